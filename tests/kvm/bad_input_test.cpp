// Bad input at the API: an error value naming the offending argument, or the
// architected answer, never a crash or a hang. Host routines print
// "got X (expected Y)".
#include "arch/sysreg.h"
#include "tests/kvm/vm_fixture.h"

namespace kvm::test {
namespace {

std::string message(const Result<void>& r) { return r ? "ok" : r.error().message; }

TEST(BadInput, UnknownOneRegIdIsAnErrorNamingIt) {
    VmFixture f("hello");
    auto got = f.vcpu->get_one_reg(reg::sysreg(0xFFFF));
    ASSERT_FALSE(got) << "got a value (expected an error)";
    EXPECT_NE(got.error().message.find("0xffff"), std::string::npos) << got.error().message;
    const Result<void> set = f.vcpu->set_one_reg(0x6030000000990000ull, 1);
    ASSERT_FALSE(set);
    EXPECT_NE(message(set).find("0x6030000000990000"), std::string::npos) << message(set);
}

TEST(BadInput, ReadOnlyIdRegisterRefusesAnotherValue) {
    VmFixture f("hello");
    const uint64_t id = reg::sysreg(arch::sysreg::ID_AA64DFR0_EL1.id.packed);
    const uint64_t v = f.vcpu->get_one_reg(id).value();
    EXPECT_TRUE(f.vcpu->set_one_reg(id, v)) << "writing back the value read is allowed";
    const Result<void> r = f.vcpu->set_one_reg(id, v ^ 1);
    EXPECT_NE(message(r).find("ID_AA64DFR0_EL1"), std::string::npos) << "got " << message(r);
}

TEST(BadInput, RunBeforeInitIsAnError) {
    auto vm = std::move(Vm::create().value());
    Vcpu* v = vm->create_vcpu(0).value();
    const Result<void> r = v->run();
    EXPECT_NE(message(r).find("before init"), std::string::npos) << "got " << message(r);
}

TEST(BadInput, EnableCapNamesTheRejectedArgument) {
    auto vm = std::move(Vm::create().value());
    EnableCap c{Cap::StepStrategy};
    c.args[0] = 3;
    EXPECT_NE(message(vm->enable_cap(c)).find("args[0] = 3"), std::string::npos);
    c = EnableCap{Cap::GicTrapClasses};
    c.args[0] = 8;
    EXPECT_NE(message(vm->enable_cap(c)).find("0x8"), std::string::npos);
    c = EnableCap{Cap::UserMemory};
    EXPECT_NE(message(vm->enable_cap(c)).find("cannot be enabled"), std::string::npos);
    c = EnableCap{Cap::VcpuQuantum};
    EXPECT_FALSE(vm->enable_cap(c)) << "a zero quantum";
    c.args[0] = 1000;
    c.flags = 1;
    EXPECT_NE(message(vm->enable_cap(c)).find("flags"), std::string::npos);
}

// KVM_CAP_ARM_WRITABLE_IMP_ID_REGS: only before the first vcpu.
TEST(BadInput, WritableImpIdRegsComesBeforeTheVcpus) {
    auto vm = std::move(Vm::create().value());
    EXPECT_TRUE(vm->enable_cap(EnableCap{Cap::ArmWritableImpIdRegs}));
    vm->create_vcpu(0).value();
    EXPECT_NE(message(vm->enable_cap(EnableCap{Cap::ArmWritableImpIdRegs})).find("already has vcpus"),
              std::string::npos);
}

TEST(BadInput, GuestDebugRefusesUnknownFlags) {
    VmFixture f("hello");
    GuestDebugSettings d;
    d.control = guestdbg::kEnable | 0x4;
    EXPECT_NE(message(f.vcpu->set_guest_debug(d)).find("0x4"), std::string::npos);
    d.control = guestdbg::kSupported;
    EXPECT_TRUE(f.vcpu->set_guest_debug(d));
}

TEST(BadInput, CheckExtensionReportsDebugResources) {
    auto vm = std::move(Vm::create().value());
    EXPECT_EQ(vm->check_extension(Cap::GuestDebugHwBps), 6);
    EXPECT_EQ(vm->check_extension(Cap::GuestDebugHwWps), 4);
    EXPECT_EQ(vm->check_extension(Cap::SetGuestDebug2), int64_t(guestdbg::kSupported));
    EXPECT_TRUE(vm->check_extension(Cap::SetGuestDebug2) & guestdbg::kBlockIrq);
    EXPECT_EQ(vm->check_extension(Cap::ArmPsci02), 1);
}

// A VMM that never answers an MMIO exit: the next run() with immediate_exit
// completes the access and returns INTR without running the guest.
TEST(BadInput, UnansweredMmioThenImmediateExit) {
    VmFixture f("hello");
    RunState& r = f.run();
    ASSERT_EQ(r.exit_reason, ExitReason::Mmio) << "got " << exit_reason_name(r.exit_reason);
    const uint64_t pc = f.reg(reg::kPc);
    r.immediate_exit = 1;
    RunState& again = f.run();
    EXPECT_EQ(again.exit_reason, ExitReason::Intr)
        << "got " << exit_reason_name(again.exit_reason) << " (expected INTR)";
    EXPECT_EQ(f.reg(reg::kPc), pc + 4) << "the access completed, nothing else ran";
}

}  // namespace
}  // namespace kvm::test
