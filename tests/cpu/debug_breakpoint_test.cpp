// Breakpoints (ARM ARM DDI 0487 L.a, D2.8 "Breakpoint exceptions"; ASL
// AArch64.CheckBreakpoint, AArch64.BreakpointMatch,
// AArch64.BreakpointValueMatch, AArch64.ReservedBreakpointType,
// AArch64.StateMatch) and BRK (AArch64.SoftwareBreakpoint).
#include <gtest/gtest.h>

#include "tests/cpu/debug_harness.h"

namespace cpu::test {
namespace {

using arch::EC;

struct Breakpoint : DebugTest {
    void SetUp() override {
        DebugTest::SetUp();
        h.code({kAddX0, kAddX0, kAddX0, kAddX0});
        s().el1.mdscr = debug::mdscr::kMDE;
    }
    void set_bp(unsigned n, uint64_t addr, uint64_t ctrl) {
        s().el1.dbgbvr[n] = addr;
        s().el1.dbgbcr[n] = ctrl;
    }
    // Runs to the end of the four adds; true if a breakpoint stopped it at 8.
    bool hits_third() {
        const Stop st = h.step(4);
        return st == Stop::Trap && ec2() == EC::BreakpointLow && s().el2.elr == kCodeBase + 8 &&
               h.x(0) == 2;
    }
};

TEST_F(Breakpoint, AddressMatchIsTakenBeforeTheInstructionWithIfscDebug) {
    route_to_el2();
    set_bp(0, kCodeBase + 8, kBcrE | kPxcBoth | kBcrBas);
    EXPECT_TRUE(hits_third());
    EXPECT_EQ(arch::esr_iss(esr2()), arch::fsc::kDebug);
    EXPECT_EQ(h.cpu.retired(), 2u);
}

// The last breakpoint (5) and a hit after re-entry at the breakpointed PC
// with it disabled: breakpoints advance nothing.
TEST_F(Breakpoint, EveryImplementedBreakpointMatches) {
    route_to_el2();
    for (unsigned n = 0; n < debug::kBreakpoints; ++n) {
        SCOPED_TRACE(n);
        h.code({kAddX0, kAddX0, kAddX0, kAddX0});
        h.x(0) = 0;
        s().el1.dbgbcr = {};
        set_bp(n, kCodeBase + 8, kBcrE | kPxcBoth | kBcrBas);
        EXPECT_TRUE(hits_third());
    }
}

// CheckBreakpoint requires MDSCR_EL1.MDE = 1.
TEST_F(Breakpoint, NeedsMde) {
    route_to_el2();
    s().el1.mdscr = 0;
    set_bp(0, kCodeBase + 8, kBcrE | kPxcBoth | kBcrBas);
    EXPECT_FALSE(hits_third());
}

TEST_F(Breakpoint, OsLockSuppressesIt) {
    route_to_el2();
    s().el1.oslk = true;
    set_bp(0, kCodeBase + 8, kBcrE | kPxcBoth | kBcrBas);
    EXPECT_FALSE(hits_third());
}

// StateMatch: PMC = 0b10 matches EL0 only, 0b01 EL1 only.
TEST_F(Breakpoint, PmcSelectsTheExceptionLevel) {
    route_to_el2();
    set_bp(0, kCodeBase + 8, kBcrE | kPxcEl0 | kBcrBas);
    EXPECT_FALSE(hits_third()) << "EL0-only breakpoint at EL1";
    h.code({kAddX0, kAddX0, kAddX0, kAddX0});
    h.x(0) = 0;
    to_el0();
    EXPECT_TRUE(hits_third()) << "EL0-only breakpoint at EL0";
}

// Target EL1 at EL1: masked by PSTATE.D; with KDE and D = 0 it is EC 0x31.
TEST_F(Breakpoint, AtTheTargetElMaskedByPstateD) {
    set_bp(0, kCodeBase + 8, kBcrE | kPxcBoth | kBcrBas);
    s().el1.mdscr |= debug::mdscr::kKDE;
    h.step(4);
    EXPECT_EQ(h.x(0), 4u);
}

TEST_F(Breakpoint, AtTheTargetElWithKdeAndDClearIsSameElException) {
    set_bp(0, kCodeBase + 8, kBcrE | kPxcBoth | kBcrBas);
    s().el1.mdscr |= debug::mdscr::kKDE;
    s().pstate.d = false;
    h.step(4);
    EXPECT_EQ(ec1(), EC::BreakpointCur);
    EXPECT_EQ(s().el1.elr, kCodeBase + 8);
    EXPECT_EQ(s().pc, s().el1.vbar + kCurrentSpx);
}

TEST_F(Breakpoint, FromEl0ToEl1IsLowerElException) {
    set_bp(0, kCodeBase + 8, kBcrE | kPxcBoth | kBcrBas);
    to_el0();
    h.step(4);
    EXPECT_EQ(ec1(), EC::BreakpointLow);
    EXPECT_EQ(s().el1.elr, kCodeBase + 8);
    EXPECT_EQ(s().pc, s().el1.vbar + kLowerA64);
}

// BAS is RES1 on an A64-only PE: a breakpoint with BAS = 0 still matches.
TEST_F(Breakpoint, BasIsIgnoredWithoutAArch32) {
    route_to_el2();
    set_bp(0, kCodeBase + 8, kBcrE | kPxcBoth);
    EXPECT_TRUE(hits_third());
}

// DBGBVR bits [1:0] are RES0: an unaligned value matches its word.
TEST_F(Breakpoint, UnalignedValueMatchesItsWord) {
    route_to_el2();
    set_bp(0, kCodeBase + 10, kBcrE | kPxcBoth | kBcrBas);
    s().el1.dbgbvr[0] &= ~3ull;  // what the MSR stores (sysregs.cpp kDbgvrMask)
    EXPECT_TRUE(hits_third());
}

// ReservedBreakpointType: context types on a breakpoint that is not
// context-aware are reserved; stepvisor treats them as disabled.
TEST_F(Breakpoint, ContextIdTypeOnANonContextAwareBreakpointIsDisabled) {
    route_to_el2();
    s().el1.contextidr = 0x42;
    set_bp(0, 0x42, kBcrE | kPxcBoth | kBcrBas | bcr_bt(2));
    h.step(4);
    EXPECT_EQ(h.x(0), 4u);
}

TEST_F(Breakpoint, ContextIdMatchOnTheContextAwareBreakpoint) {
    route_to_el2();
    s().el1.contextidr = 0x42;
    set_bp(debug::kFirstContextAware, 0x42, kBcrE | kPxcBoth | kBcrBas | bcr_bt(2));
    EXPECT_EQ(h.step(4), Stop::Trap);
    EXPECT_EQ(ec2(), EC::BreakpointLow);
    EXPECT_EQ(s().el2.elr, kCodeBase) << "matches every instruction in the context";
}

// A linked address breakpoint matches only while its linked context
// breakpoint (BT = 0b0011, which never fires alone) matches.
TEST_F(Breakpoint, LinkedAddressMatchNeedsTheLinkedContext) {
    route_to_el2();
    const unsigned ctx = debug::kFirstContextAware;
    set_bp(ctx, 0x42, kBcrE | kPxcBoth | kBcrBas | bcr_bt(3));
    set_bp(0, kCodeBase + 8, kBcrE | kPxcBoth | kBcrBas | bcr_bt(1) | bcr_lbn(ctx));
    s().el1.contextidr = 0x41;
    h.step(4);
    EXPECT_EQ(h.x(0), 4u) << "context differs";
    h.code({kAddX0, kAddX0, kAddX0, kAddX0});
    h.x(0) = 0;
    s().el1.contextidr = 0x42;
    EXPECT_TRUE(hits_third());
}

// A software step in Active-pending state has priority over a breakpoint.
TEST_F(Breakpoint, ActivePendingStepHasPriority) {
    route_to_el2();
    set_bp(0, kCodeBase, kBcrE | kPxcBoth | kBcrBas);
    s().el1.mdscr |= debug::mdscr::kSS;
    s().pstate.ss = false;
    EXPECT_EQ(h.step(kRun), Stop::Trap);
    EXPECT_EQ(ec2(), EC::SoftStepLow);
}

// A breakpoint on the instruction to step: taken instead of it, SPSR.SS
// still 1 (the step is not complete).
TEST_F(Breakpoint, BreakpointOnTheSteppedInstructionLeavesSsSet) {
    route_to_el2();
    set_bp(0, kCodeBase, kBcrE | kPxcBoth | kBcrBas);
    s().el1.mdscr |= debug::mdscr::kSS;
    s().pstate.ss = true;
    EXPECT_EQ(h.step(kRun), Stop::Trap);
    EXPECT_EQ(ec2(), EC::BreakpointLow);
    EXPECT_TRUE(spsr2_ss());
}

// BRK is not a debug exception that MDE, PSTATE.D or the OS Lock gate.
TEST_F(Breakpoint, BrkIsTakenWithTheOsLockSetAndDMasked) {
    h.code({0xd42000a0});  // brk #5
    s().el1.oslk = true;
    h.step(1);
    EXPECT_EQ(ec1(), EC::BRK64);
    EXPECT_EQ(arch::esr_iss(esr1()), 5u);
    EXPECT_EQ(s().el1.elr, kCodeBase);
}

TEST_F(Breakpoint, BrkWithTdeGoesToEl2) {
    h.code({0xd42000a0});  // brk #5
    route_to_el2();
    EXPECT_EQ(h.step(1), Stop::Trap);
    EXPECT_EQ(ec2(), EC::BRK64);
    EXPECT_EQ(s().el2.elr, kCodeBase);
}

// The slow path is armed by the guest's own writes too (MSR DBGBCR0_EL1
// at EL1, which TDE would trap: the guest debugs itself, KDE, D = 0).
TEST_F(Breakpoint, ArmedByAnMsrInTheRunningBlock) {
    s().el1.mdscr |= debug::mdscr::kKDE;
    s().pstate.d = false;
    s().el1.dbgbvr[0] = kCodeBase + 12;
    h.code({0xd51000a5, kAddX0, kAddX0, kAddX0});  // msr dbgbcr0_el1, x5
    h.x(5) = kBcrE | kPxcBoth | kBcrBas;
    h.step(kRun);
    EXPECT_EQ(ec1(), EC::BreakpointCur);
    EXPECT_EQ(s().el1.elr, kCodeBase + 12);
}

}  // namespace
}  // namespace cpu::test
