// The debugger's hardware breakpoints and watchpoints through the API
// (KVM_SET_GUEST_DEBUG with USE_HW) on a running guest: with MDCR_EL2.TDE
// they come to EL2 as DEBUG exits (EC 0x30, 0x34) that advance nothing, with
// debug.arch.far the watched address (ARM ARM DDI 0487 L.a D2.8, D2.9); the
// guest's own BRK on the way is re-injected with inject_debug_exception.
#include "arch/esr.h"
#include "hyp/kvm_host.h"
#include "tests/kvm/vm_fixture.h"

namespace kvm::test {
namespace {

constexpr uint64_t kBcrEl1Any = 0x1E7;   // E, PMC = EL1 and EL0, BAS = 0xF
constexpr uint64_t kWcrLoad8 = 0x1FEF;   // E, PAC = EL1 and EL0, LSC = load, BAS = 0xFF

struct Labels {
    uint64_t brk, gicd, data;
};

Labels labels(VmFixture& f) {
    auto at = [&](unsigned i) {
        uint64_t v;
        std::memcpy(&v, f.ram.data() + (kGuestLoad - kRamBase) + 8 + 8 * i, 8);
        return v;
    };
    return {at(5), at(14), at(21)};  // guests/step_matrix.S's label table
}

// Runs to the next DEBUG exit that is not the guest's own BRK, counting
// the BRKs re-injected.
RunState& run_to_debug(VmFixture& f, unsigned& brks) {
    for (;;) {
        RunState& r = f.run_to_exit();
        if (r.exit_reason != ExitReason::Debug || arch::esr_ec(r.debug.hsr) != arch::EC::BRK64) return r;
        EXPECT_TRUE(f.vcpu->inject_debug_exception(r.debug));
        ++brks;
    }
}

TEST(GuestDebug, HardwareWatchpointAndBreakpointExitsAdvanceNothing) {
    VmFixture f("step_matrix");
    ASSERT_TRUE(f.vm->create_vgic({}));
    const Labels l = labels(f);
    GuestDebugSettings d;
    d.control = guestdbg::kEnable | guestdbg::kUseHw;
    d.arch.dbg_wvr[0] = l.data;
    d.arch.dbg_wcr[0] = kWcrLoad8;
    d.arch.dbg_bvr[0] = l.gicd;
    d.arch.dbg_bcr[0] = kBcrEl1Any;
    ASSERT_TRUE(f.vcpu->set_guest_debug(d));
    hyp::KvmVcpu& hv = *f.vm->hyp().vcpus()[0];
    unsigned brks = 0;

    RunState& w = run_to_debug(f, brks);
    ASSERT_EQ(w.exit_reason, ExitReason::Debug);
    EXPECT_EQ(arch::esr_ec(w.debug.hsr), arch::EC::WatchpointLow);
    EXPECT_EQ(w.debug.far, l.data);
    const uint64_t pc = f.reg(reg::kPc), retired = hv.cpu().retired();
    EXPECT_EQ(f.reg(reg::x(3)), 0u) << "the load has not run";
    RunState& again = run_to_debug(f, brks);
    EXPECT_EQ(arch::esr_ec(again.debug.hsr), arch::EC::WatchpointLow);
    EXPECT_EQ(f.reg(reg::kPc), pc) << "a watchpoint exit advances nothing";
    EXPECT_EQ(hv.cpu().retired(), retired);

    d.arch.dbg_wcr[0] = 0;  // the debugger steps over it as gdb does: disarm, go on
    ASSERT_TRUE(f.vcpu->set_guest_debug(d));
    RunState& b = run_to_debug(f, brks);
    ASSERT_EQ(b.exit_reason, ExitReason::Debug);
    EXPECT_EQ(arch::esr_ec(b.debug.hsr), arch::EC::BreakpointLow);
    EXPECT_EQ(f.reg(reg::kPc), l.gicd);
    EXPECT_EQ(f.reg(reg::x(3)), 0x1122334455667788u) << "the watched load ran once disarmed";
    EXPECT_EQ(brks, 1u) << "the guest's BRK at " << std::hex << l.brk << " was re-injected once";
}

}  // namespace
}  // namespace kvm::test
