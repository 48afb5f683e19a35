// The interpreter core: budget, stage-2 faults, exception return rules.
#include <gtest/gtest.h>

#include "arch/esr.h"
#include "tests/cpu/harness.h"

namespace cpu::test {
namespace {

TEST(CpuCore, BudgetStopIsAnIrqToEl2AtTheNextInstruction) {
    Harness h;
    h.code({0xd503201f, 0xd503201f, 0xd503201f});  // nop; nop; nop
    EXPECT_EQ(h.step(2), Stop::Irq);
    EXPECT_EQ(h.pc(), kCodeBase + 8);
    EXPECT_EQ(h.cpu.retired(), 2u);
}

TEST(CpuCore, FetchOutsideStage2IsAnInstructionAbortToEl2) {
    Harness h;
    h.cpu.state().pc = 0x1000;  // no region there
    EXPECT_EQ(h.step(1), Stop::Trap);
    const auto& el2 = h.cpu.state().el2;
    EXPECT_EQ(arch::esr_ec(el2.esr), arch::EC::InstrAbortLow);
    EXPECT_EQ(el2.far, 0x1000u);
    EXPECT_EQ(el2.hpfar, (0x1000u >> 12) << 4);
    EXPECT_EQ(el2.elr, 0x1000u);
}

TEST(CpuCore, UnallocatedWordIsUndefinedAtVbarEl1) {
    Harness h;
    h.code({0x00000000});  // udf #0
    h.step(1);
    const auto& s = h.cpu.state();
    EXPECT_EQ(arch::esr_ec(s.el1.esr), arch::EC::Unknown);
    EXPECT_EQ(s.el1.elr, kCodeBase);
    EXPECT_EQ(s.pc, s.el1.vbar + 0x200);  // current EL with SP_ELx, synchronous
}

// PC alignment checking (D1.3.5): a branch to a misaligned address completes;
// the fault is taken when the next instruction is fetched, with ELR_EL1 and
// FAR_EL1 holding the misaligned PC.
TEST(CpuCore, BranchToMisalignedPcFaultsOnTheNextFetch) {
    Harness h;
    h.code({0xd61f0020});  // br x1
    h.x(1) = kCodeBase + 0x102;
    h.step(2);
    const auto& s = h.cpu.state();
    EXPECT_EQ(arch::esr_ec(s.el1.esr), arch::EC::PCAlign);
    EXPECT_EQ(s.el1.esr, arch::esr(arch::EC::PCAlign, 0));
    EXPECT_EQ(s.el1.elr, kCodeBase + 0x102);
    EXPECT_EQ(s.el1.far, kCodeBase + 0x102);
    EXPECT_EQ(s.pc, s.el1.vbar + 0x200);
}

TEST(CpuCore, IllegalReturnToEl2SetsIlAndTrapsIllegalState) {
    Harness h;
    h.cpu.state().pstate.el = 2;  // SPSR_EL2.M = EL2h: not a legal target here
    EXPECT_EQ(h.step(1), Stop::Trap);
    EXPECT_EQ(arch::esr_ec(h.cpu.state().el2.esr), arch::EC::IllegalState);
    EXPECT_TRUE(h.cpu.state().pstate.il);
}

}  // namespace
}  // namespace cpu::test
