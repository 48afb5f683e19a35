// Cap::Jit: the translation tier per VM, applied to every vcpu the VM has
// and will have; on by default where the host has it (Cpu::jit_supported),
// refused where it does not. Vcpu::retired_jit_insns counts the
// instructions generated code retired. A guest sees the same either way.
#include <vector>

#include "hyp/kvm_host.h"
#include "tests/kvm/vm_fixture.h"

namespace kvm::test {
namespace {

constexpr uint32_t kAddX0 = 0x91000400;  // add x0, x0, #1
constexpr uint32_t kBBack = 0x17ffffff;  // b .-4
constexpr uint64_t kLoopInsns = 200000;

Result<void> set_jit(Vm& vm, uint64_t on) {
    EnableCap cap;
    cap.cap = Cap::Jit;
    cap.args[0] = on;
    return vm.enable_cap(cap);
}

bool cpu_jit(Vm& vm, size_t vcpu) { return vm.hyp().vcpus().at(vcpu)->cpu().jit(); }

// A vcpu on `add x0, x0, #1; b .-4`, stopped by the instruction limit.
struct LoopVm : VmFixture {
    LoopVm() : VmFixture("hello") {
        const uint32_t code[] = {kAddX0, kBBack};
        std::memcpy(ram.data() + (kGuestLoad - kRamBase), code, sizeof code);
        vm->memory_written(kGuestLoad, sizeof code);
    }
    void run_loop() {
        vcpu->set_insn_limit(kLoopInsns);
        EXPECT_EQ(run().exit_reason, ExitReason::Intr);
        EXPECT_EQ(vcpu->retired_insns(), kLoopInsns);
    }
};

TEST(JitCap, CheckExtensionSaysWhetherTheHostHasTheTier) {
    VmFixture f("hello");
    EXPECT_EQ(f.vm->check_extension(Cap::Jit), cpu::Cpu::jit_supported() ? 1 : 0);
    EXPECT_EQ(cpu_jit(*f.vm, 0), cpu::Cpu::jit_supported()) << "default: on where supported";
}

TEST(JitCap, OffReachesTheExistingVcpuAndLaterOnes) {
    VmFixture f("hello");
    ASSERT_TRUE(set_jit(*f.vm, 0));
    EXPECT_FALSE(cpu_jit(*f.vm, 0));
    ASSERT_TRUE(f.vm->create_vcpu(1));
    EXPECT_FALSE(cpu_jit(*f.vm, 1)) << "a vcpu created after the cap took the VM's setting";
    RunState& r = f.run_to_exit();
    ASSERT_EQ(r.exit_reason, ExitReason::SystemEvent);
    EXPECT_EQ(f.uart, "Hello from EL1 on stepvisor\n");
    EXPECT_EQ(f.vcpu->retired_jit_insns(), 0u) << "generated code ran with the tier off";
}

// 1 switches the tier back on where the host has it; elsewhere it is
// refused naming the host's lack, and the interpreter stays.
TEST(JitCap, OnWhereSupportedRefusedElsewhere) {
    VmFixture f("hello");
    ASSERT_TRUE(set_jit(*f.vm, 0));
    auto r = set_jit(*f.vm, 1);
    if (cpu::Cpu::jit_supported()) {
        EXPECT_TRUE(r) << r.error().message;
        EXPECT_TRUE(cpu_jit(*f.vm, 0));
    } else {
        ASSERT_FALSE(r);
        EXPECT_NE(r.error().message.find("not x86-64"), std::string::npos) << r.error().message;
        EXPECT_FALSE(cpu_jit(*f.vm, 0));
    }
}

TEST(JitCap, RejectsArgumentsOtherThanZeroAndOne) {
    VmFixture f("hello");
    auto r = set_jit(*f.vm, 2);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("enable_cap Jit: args[0] = 2"), std::string::npos)
        << r.error().message;
    EXPECT_EQ(cpu_jit(*f.vm, 0), cpu::Cpu::jit_supported()) << "a refused cap changed the setting";
}

// The same loop under the interpreter and under the default: the same
// state after the same count; where the host has the tier, almost all of
// it in generated code, elsewhere none.
TEST(JitCap, GeneratedCodeRetiresTheLoopWithTheSameResult) {
    LoopVm off;
    ASSERT_TRUE(set_jit(*off.vm, 0));
    off.run_loop();
    EXPECT_EQ(off.vcpu->retired_jit_insns(), 0u);

    LoopVm on;
    on.run_loop();
    EXPECT_EQ(on.reg(reg::x(0)), off.reg(reg::x(0)));
    EXPECT_EQ(on.reg(reg::kPc), off.reg(reg::kPc));
    EXPECT_EQ(on.reg(reg::kPstate), off.reg(reg::kPstate));
    const uint64_t jit = on.vcpu->retired_jit_insns();
    if (cpu::Cpu::jit_supported()) {
        EXPECT_GE(jit, kLoopInsns * 95 / 100)
            << "got " << jit << " of " << kLoopInsns
            << " instructions in generated code (expected at least 95%)";
    } else {
        EXPECT_EQ(jit, 0u) << "generated code ran on a host without the tier";
    }
}

}  // namespace
}  // namespace kvm::test
