// Trapped system register accesses from a real guest (guests/sysregs.c):
// what the hypervisor's table answers, and the UNDEFINED it injects.
#include <map>

#include "tests/kvm/vm_fixture.h"

namespace kvm::test {
namespace {

TEST(SysRegGuest, TrappedRegistersReadWhatTheHypervisorEmulates) {
    VmFixture f("sysregs");
    RunState& r = f.run_to_exit();
    ASSERT_EQ(r.exit_reason, ExitReason::SystemEvent);
    EXPECT_EQ(f.uart,
              // GIC field hidden: this VM has no irqchip.
              "ID_AA64PFR0_EL1 0x0000000000000111\n"
              "ID_AA64DFR0_EL1 0x000000f000305006\n"
              "ID reserved S3_0_C0_C3_3 0x0000000000000000\n"
              "OSLSR_EL1 at reset 0x000000000000000a\n"
              "OSLSR_EL1 after OSLAR 0 0x0000000000000008\n"
              "MDSCR_EL1 0x0000000000008000\n"
              "DBGBVR3_EL1 0x0000000040201000\n"
              "MDRAR_EL1 0x0000000000000000\n"
              "ACTLR_EL1 after write 0x0000000000000000\n"
              "MAIR_EL1 0x000000000000ff04\n"
              "CONTEXTIDR_EL1 0x0000000000000077\n"
              "CNTP_CVAL_EL0 0x0000000000001234\n"
              "ICC_SGI1R_EL1 UNDEFINED 0x0000000000000001\n"
              "S3_0_C15_C2_0 UNDEFINED 0x0000000000000001\n"
              "MSR ID_AA64PFR0_EL1 UNDEFINED 0x0000000000000001\n");
}

// The exit-trace hook sees each trapped access once, with its class.
TEST(SysRegGuest, ExitTraceReportsEachTrap) {
    VmFixture f("sysregs");
    std::map<unsigned, unsigned> by_ec;
    std::map<hyp::ExitHandledBy, unsigned> by_handler;
    f.vm->set_exit_trace([&](const hyp::ExitEvent& e) {
        ++by_ec[e.ec];
        ++by_handler[e.handled_by];
    });
    ASSERT_EQ(f.run_to_exit().exit_reason, ExitReason::SystemEvent);
    // ID x3, OSLSR x2, OSLAR, MDSCR x2, DBGBVR3 x2, MDRAR, ACTLR x2, the MAIR
    // and CONTEXTIDR writes (TVM; TRVM is off), ICC_SGI1R, S3_0_C15_C2_0,
    // and DC CISW (TSW).
    EXPECT_EQ(by_ec[0x18], 18u) << "trapped MSR/MRS/SYS exits";
    EXPECT_GE(by_ec[0x24], 100u) << "UART MMIO exits";
    EXPECT_EQ(by_ec[0x16], 1u) << "the final PSCI SYSTEM_OFF";
    // Every UART access and the SYSTEM_OFF went to userspace; the traps did not.
    EXPECT_EQ(by_handler[hyp::ExitHandledBy::Userspace], by_ec[0x24] + 1);
    EXPECT_EQ(by_handler[hyp::ExitHandledBy::HandleExit], by_ec[0x18]);
}

}  // namespace
}  // namespace kvm::test
