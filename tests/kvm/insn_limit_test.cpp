// The instruction limit (Vcpu::set_insn_limit, retired_insns): run() returns
// INTR after exactly the given number of retired instructions, whichever
// path retired the last one: the CPU, the hypervisor's emulation, or
// userspace completing an MMIO access on the next run().
#include <vector>

#include "tests/kvm/vm_fixture.h"

namespace kvm::test {
namespace {

constexpr uint32_t kAddX0 = 0x91000400;        // add x0, x0, #1
constexpr uint32_t kMovzX2Uart = 0xD2A12002;   // movz x2, #0x900, lsl #16 (PL011 DR)
constexpr uint32_t kStrW1X2 = 0xB9000041;      // str w1, [x2]
constexpr uint32_t kMrsX3Sctlr = 0xD5381003;   // mrs x3, sctlr_el1
constexpr uint32_t kMsrSctlrX3 = 0xD5181003;   // msr sctlr_el1, x3 (trapped: HCR_EL2.TVM)

// A VM whose vcpu starts at kGuestLoad on `code`.
struct CodeVm : VmFixture {
    explicit CodeVm(const std::vector<uint32_t>& code) : VmFixture("hello") {
        std::memcpy(ram.data() + (kGuestLoad - kRamBase), code.data(), code.size() * 4);
        vm->memory_written(kGuestLoad, code.size() * 4);
    }
    uint64_t pc() { return reg(reg::kPc); }
};

TEST(InsnLimit, StopsAfterExactlyNStraightLineInstructions) {
    CodeVm f(std::vector<uint32_t>(64, kAddX0));
    const uint64_t start = f.vcpu->retired_insns();
    f.vcpu->set_insn_limit(start + 37);
    EXPECT_EQ(f.run().exit_reason, ExitReason::Intr);
    EXPECT_EQ(f.vcpu->retired_insns(), start + 37);
    EXPECT_EQ(f.pc(), kGuestLoad + 37 * 4);
    EXPECT_EQ(f.reg(reg::x(0)), 37u);
    EXPECT_FALSE(f.vcpu->yielded()) << "the limit is not a hand-over";

    f.vcpu->set_insn_limit(start + 50);
    EXPECT_EQ(f.run().exit_reason, ExitReason::Intr);
    EXPECT_EQ(f.pc(), kGuestLoad + 50 * 4);
    EXPECT_EQ(f.reg(reg::x(0)), 50u);
}

// A limit at or below the count: INTR at once, nothing runs.
TEST(InsnLimit, LimitAlreadyReachedRunsNothing) {
    CodeVm f(std::vector<uint32_t>(8, kAddX0));
    f.vcpu->set_insn_limit(f.vcpu->retired_insns());
    EXPECT_EQ(f.run().exit_reason, ExitReason::Intr);
    EXPECT_EQ(f.pc(), kGuestLoad);
    EXPECT_EQ(f.reg(reg::x(0)), 0u);
}

// One instruction per run(), including one the hypervisor emulates
// (skip_instr retires it): every run() moves the PC by exactly 4.
TEST(InsnLimit, OneAtATimeThroughAnEmulatedSysregWrite) {
    CodeVm f({kAddX0, kMrsX3Sctlr, kMsrSctlrX3, kAddX0, kAddX0});
    for (unsigned n = 1; n <= 5; ++n) {
        f.vcpu->set_insn_limit(f.vcpu->retired_insns() + 1);
        RunState& r = f.run();
        ASSERT_EQ(r.exit_reason, ExitReason::Intr) << "step " << n;
        EXPECT_EQ(f.pc(), kGuestLoad + 4 * n) << "step " << n;
    }
    EXPECT_EQ(f.reg(reg::x(0)), 3u);
}

// The limit falls on a userspace MMIO store: run() returns MMIO (not yet
// retired); the next run() completes it and returns INTR without running on.
TEST(InsnLimit, LimitOnAUserspaceMmioAccessEndsAtItsCompletion) {
    CodeVm f({kMovzX2Uart, kStrW1X2, kAddX0, kAddX0});
    const uint64_t start = f.vcpu->retired_insns();
    f.vcpu->set_insn_limit(start + 2);
    RunState& r = f.run();
    ASSERT_EQ(r.exit_reason, ExitReason::Mmio);
    EXPECT_EQ(f.vcpu->retired_insns(), start + 1);
    EXPECT_EQ(f.run().exit_reason, ExitReason::Intr);
    EXPECT_EQ(f.vcpu->retired_insns(), start + 2);
    EXPECT_EQ(f.pc(), kGuestLoad + 8);
    EXPECT_EQ(f.reg(reg::x(0)), 0u);
}

// Without a limit the vcpu runs on; kNoInsnLimit restores that.
TEST(InsnLimit, NoLimitRunsToTheNextExit) {
    CodeVm f({kAddX0, kAddX0, kMovzX2Uart, kStrW1X2});
    f.vcpu->set_insn_limit(f.vcpu->retired_insns() + 1);
    EXPECT_EQ(f.run().exit_reason, ExitReason::Intr);
    f.vcpu->set_insn_limit(Vcpu::kNoInsnLimit);
    EXPECT_EQ(f.run().exit_reason, ExitReason::Mmio);
    EXPECT_EQ(f.pc(), kGuestLoad + 12);
}

// yielded() tells a hand-over (a powered-off vcpu gives the thread to one
// that can run) from a limit stop.
TEST(InsnLimit, YieldedTellsAHandOverFromALimitStop) {
    CodeVm f(std::vector<uint32_t>(8, kAddX0));
    Vcpu* off = f.vm->create_vcpu(1).value();
    VcpuInit init;
    init.features[0] = 1u << vcpu_feature::kPsci0_2 | 1u << vcpu_feature::kPowerOff;
    ASSERT_TRUE(off->init(init));
    ASSERT_TRUE(off->run());
    EXPECT_EQ(off->run_state().exit_reason, ExitReason::Intr);
    EXPECT_TRUE(off->yielded());
    f.vcpu->set_insn_limit(f.vcpu->retired_insns() + 3);
    EXPECT_EQ(f.run().exit_reason, ExitReason::Intr);
    EXPECT_FALSE(f.vcpu->yielded());
}

}  // namespace
}  // namespace kvm::test
