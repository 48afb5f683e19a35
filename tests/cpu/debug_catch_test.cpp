// Cpu::set_catch_el1_entries: run() stops after an exception entry to EL1,
// before the vector's first instruction, the way a physical IRQ to EL2 at
// that instruction boundary would (ELR_EL2 = the vector). The input for
// gdb's `catch exception`; the entry itself follows AArch64.TakeException.
#include <gtest/gtest.h>

#include "tests/cpu/debug_harness.h"

namespace cpu::test {
namespace {

TEST(CatchEl1Entries, StopsOnTheVectorBeforeItsFirstInstruction) {
    Harness h;
    h.code({0xd4000021, kAddX0});  // svc #1
    h.cpu.set_catch_el1_entries(true);
    EXPECT_EQ(h.step(kRun), Stop::Irq);
    const State& s = h.cpu.state();
    EXPECT_EQ(s.pc, s.el1.vbar + kCurrentSpx);
    EXPECT_EQ(s.el2.elr, s.pc);
    EXPECT_EQ(h.cpu.retired(), 1u) << "only the SVC";
    const auto e = h.cpu.caught_el1_entry();
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->type, ExceptionType::Sync);
    EXPECT_EQ(e->vector, s.el1.vbar + kCurrentSpx);
    EXPECT_EQ(arch::esr_ec(e->esr), arch::EC::SVC64);
    EXPECT_EQ(e->elr, kCodeBase + 4);
    EXPECT_FALSE(h.cpu.caught_el1_entry().has_value()) << "reported once";
}

TEST(CatchEl1Entries, InterruptEntryHasNoEsr) {
    Harness h;
    h.code({kAddX0});
    h.cpu.state().pstate.i = false;
    h.cpu.state().el2.hcr = hcr::kIMO | hcr::kVI;
    h.cpu.set_catch_el1_entries(true);
    EXPECT_EQ(h.step(kRun), Stop::Irq);
    const auto e = h.cpu.caught_el1_entry();
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->type, ExceptionType::Irq);
    EXPECT_EQ(e->esr, 0u);
    EXPECT_EQ(e->elr, kCodeBase);
}

TEST(CatchEl1Entries, OffByDefaultAndNotForInjectedExceptions) {
    Harness h;
    h.code({0xd4000021, kAddX0});  // svc #1
    h.step(2);
    EXPECT_FALSE(h.cpu.caught_el1_entry().has_value());
    h.cpu.set_catch_el1_entries(true);
    h.cpu.inject_el1(ExceptionType::Sync, arch::esr(arch::EC::Unknown, 0));
    EXPECT_FALSE(h.cpu.caught_el1_entry().has_value());
}

}  // namespace
}  // namespace cpu::test
