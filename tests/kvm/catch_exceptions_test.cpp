// stepvisor's guest-debug flag kCatchExceptions (gdb's `catch exception`):
// a DEBUG exit after every exception entry to the guest's EL1, at the
// vector before its first instruction (AArch64.TakeException has run,
// nothing of the handler), and after every trap the hypervisor handled
// (its effect visible, PC past it). The latter is an exit in the
// Active-pending window: a stepping debugger's next run() reports the step
// at once (docs/step-contract.md).
#include "arch/esr.h"
#include "hyp/kvm_host.h"
#include "tests/kvm/vm_fixture.h"

namespace kvm::test {
namespace {

using Caught = RunState::DebugArch::Caught;

constexpr uint64_t kVbarEl1 = reg::sysreg(3, 0, 12, 0, 0);
constexpr uint64_t kCurrentElSpxSync = 0x200;  // D1.3.1, Table D1-7

void catch_exceptions(VmFixture& f, uint32_t extra = 0) {
    GuestDebugSettings d;
    d.control = guestdbg::kEnable | guestdbg::kCatchExceptions | extra;
    ASSERT_TRUE(f.vcpu->set_guest_debug(d));
}

TEST(CatchExceptions, IsAdvertisedBySetGuestDebug2) {
    VmFixture f("gdb_target");
    EXPECT_TRUE(f.vm->check_extension(Cap::SetGuestDebug2) & guestdbg::kCatchExceptions);
}

TEST(CatchExceptions, SvcStopsAtTheEl1VectorBeforeItsFirstInstruction) {
    VmFixture f("gdb_target");
    catch_exceptions(f);
    RunState& r = f.run_to_exit();
    ASSERT_EQ(r.exit_reason, ExitReason::Debug);
    ASSERT_EQ(r.debug.caught, Caught::El1);
    const uint64_t vector = f.reg(kVbarEl1) + kCurrentElSpxSync;
    EXPECT_EQ(r.debug.vector, vector);
    EXPECT_EQ(f.reg(reg::kPc), vector) << "the vector's ERET has not run";
    EXPECT_EQ(arch::esr_ec(r.debug.esr), arch::EC::SVC64);
    EXPECT_EQ(arch::esr_iss(r.debug.esr), 0x15u) << "svc #0x15";
    EXPECT_EQ(r.debug.elr, f.reg(reg::kElrEl1)) << "the preferred return: after the SVC";
    EXPECT_EQ(f.uart, "G") << "the PL011 write before it is not an exception";
}

// guests/step_matrix.S traps to the hypervisor (MSR, MRS, SMC, WFE, HVC)
// and takes an SVC and a UDF before its BRK: without the flag the BRK's
// DEBUG exit is the first.
TEST(CatchExceptions, OffWithoutTheFlag) {
    VmFixture f("step_matrix");
    ASSERT_TRUE(f.vm->create_vgic({}));
    GuestDebugSettings d;
    d.control = guestdbg::kEnable;
    ASSERT_TRUE(f.vcpu->set_guest_debug(d));
    RunState& r = f.run_to_exit();
    ASSERT_EQ(r.exit_reason, ExitReason::Debug);
    EXPECT_EQ(r.debug.caught, Caught::None);
    EXPECT_EQ(arch::esr_ec(r.debug.hsr), arch::EC::BRK64);
}

// guests/step_matrix.S: the first trap handled in the kernel is a system
// register access (EC 0x18): reported after handle_exit, PC + 4.
TEST(CatchExceptions, HypervisorTrapIsReportedAfterItWasEmulated) {
    VmFixture f("step_matrix");
    ASSERT_TRUE(f.vm->create_vgic({}));
    catch_exceptions(f);
    RunState& r = f.run_to_exit();
    ASSERT_EQ(r.exit_reason, ExitReason::Debug);
    ASSERT_EQ(r.debug.caught, Caught::El2);
    EXPECT_EQ(arch::esr_ec(r.debug.esr), arch::EC::SysReg);
    EXPECT_EQ(r.debug.vector, 0x400u) << "lower EL, AArch64, synchronous";
    EXPECT_EQ(f.reg(reg::kPc), r.debug.elr + 4);
    EXPECT_EQ(r.debug.hsr, uint32_t(r.debug.esr));
}

TEST(CatchExceptions, AStepAfterACaughtTrapEndsAtOnceWithoutRunning) {
    VmFixture f("step_matrix");
    ASSERT_TRUE(f.vm->create_vgic({}));
    catch_exceptions(f);
    ASSERT_EQ(f.run_to_exit().debug.caught, Caught::El2);
    catch_exceptions(f, guestdbg::kSingleStep);
    // Stepping onto the next trap (the TID3 MRS right after): the catch
    // stop comes first, PC past it, then the step exit at the same PC,
    // ISV = 0 (it ran nothing).
    for (int i = 0; i < 20; ++i) {
        RunState& r = f.run_to_exit();
        ASSERT_EQ(r.exit_reason, ExitReason::Debug);
        if (r.debug.caught != Caught::El2) continue;
        const uint64_t at = f.reg(reg::kPc);
        EXPECT_EQ(at, r.debug.elr + 4);
        RunState& s = f.run_to_exit();
        ASSERT_EQ(s.exit_reason, ExitReason::Debug);
        EXPECT_EQ(s.debug.caught, Caught::None);
        EXPECT_EQ(arch::esr_ec(s.debug.hsr), arch::EC::SoftStepLow);
        EXPECT_FALSE(s.debug.hsr & arch::sstep::kISV);
        EXPECT_EQ(f.reg(reg::kPc), at) << "nothing ran";
        return;
    }
    ADD_FAILURE() << "no second trap within 20 steps";
}

}  // namespace
}  // namespace kvm::test
