// The software-step state machine (ARM ARM DDI 0487 L.a, D2.12 "Software
// Step exceptions"; ASL CheckSoftwareStep, SSAdvance, DebugExceptionReturnSS,
// AArch64.GenerateDebugExceptionsFrom). Each test names the rule it checks.
#include <gtest/gtest.h>

#include "tests/cpu/debug_harness.h"

namespace cpu::test {
namespace {

using arch::EC;
namespace ss = arch::sstep;

constexpr uint32_t kMsrMdscrX1 = 0xd5100241;  // msr mdscr_el1, x1
constexpr uint32_t kMsrOslarX1 = 0xd5101081;  // msr oslar_el1, x1

struct Step : DebugTest {
    // The hypervisor's step setup: TDE routes the step to EL2, MDSCR_EL1.SS
    // enables it, and PSTATE.SS = 1 (in SPSR_EL2) chooses Active-not-pending.
    void arm(bool pstate_ss = true) {
        route_to_el2();
        s().el1.mdscr |= debug::mdscr::kSS;
        s().pstate.ss = pstate_ss;
    }
    uint32_t iss() { return arch::esr_iss(esr2()); }
};

TEST_F(Step, ActiveNotPendingRunsExactlyOneInstructionThenTakesTheStep) {
    h.code({kAddX0, kAddX0, kAddX0});
    arm();
    EXPECT_EQ(h.step(kRun), Stop::Trap);
    EXPECT_EQ(ec2(), EC::SoftStepLow);
    EXPECT_EQ(s().el2.elr, kCodeBase + 4);
    EXPECT_EQ(h.x(0), 1u);
    EXPECT_EQ(iss(), ss::kISV | arch::fsc::kDebug) << "stepped: ISV = 1, EX = 0";
    EXPECT_FALSE(spsr2_ss()) << "SSAdvance left Active-pending";
}

TEST_F(Step, ActivePendingTakesTheStepBeforeAnyInstruction) {
    h.code({kAddX0, kAddX0});
    arm(false);
    EXPECT_EQ(h.step(kRun), Stop::Trap);
    EXPECT_EQ(ec2(), EC::SoftStepLow);
    EXPECT_EQ(s().el2.elr, kCodeBase);
    EXPECT_EQ(h.x(0), 0u);
    EXPECT_EQ(h.cpu.retired(), 0u);
    EXPECT_EQ(iss(), arch::fsc::kDebug) << "nothing stepped: ISV = 0";
}

TEST_F(Step, SteppingALoadExclusiveSetsIssEx) {
    h.code({0xc85f7c41, kNop});  // ldxr x1, [x2]
    h.x(2) = kData;
    arm();
    EXPECT_EQ(h.step(kRun), Stop::Trap);
    EXPECT_EQ(ec2(), EC::SoftStepLow);
    EXPECT_EQ(iss(), ss::kISV | ss::kEX | arch::fsc::kDebug);
}

TEST_F(Step, RepeatedStepsWalkTheCodeOneInstructionEach) {
    h.code({kAddX0, kAddX0, kAddX0, kAddX0});
    arm();
    for (uint64_t n = 1; n <= 3; ++n) {
        s().pstate.ss = true;  // the hypervisor re-arms Active-not-pending
        EXPECT_EQ(h.step(kRun), Stop::Trap);
        EXPECT_EQ(s().el2.elr, kCodeBase + 4 * n);
        EXPECT_EQ(h.x(0), n);
    }
}

// AArch64.GenerateDebugExceptionsFrom: OSLSR_EL1.OSLK = 1 disables them.
TEST_F(Step, OsLockMakesTheStepInactive) {
    h.code({kAddX0, kAddX0, kAddX0});
    arm();
    s().el1.oslk = true;
    EXPECT_EQ(h.step(3), Stop::Irq);
    EXPECT_EQ(h.x(0), 3u);
}

// From EL1 towards target EL2, debug exceptions are enabled whatever KDE and D.
TEST_F(Step, FromEl1TowardsEl2EnabledWhateverKdeAndD) {
    h.code({kAddX0, kAddX0});
    arm();
    s().pstate.d = true;
    EXPECT_EQ(s().el1.mdscr & debug::mdscr::kKDE, 0u);
    EXPECT_EQ(h.step(kRun), Stop::Trap);
    EXPECT_EQ(s().el2.elr, kCodeBase + 4);
}

// HCR_EL2.TGE routes debug exceptions to EL2 like MDCR_EL2.TDE.
TEST_F(Step, TgeRoutesTheStepToEl2) {
    h.code({kAddX0, kAddX0});
    to_el0();
    s().el2.hcr = hcr::kTGE;
    s().el1.mdscr |= debug::mdscr::kSS;
    s().pstate.ss = true;
    EXPECT_EQ(h.step(kRun), Stop::Trap);
    EXPECT_EQ(ec2(), EC::SoftStepLow);
    EXPECT_EQ(s().el2.elr, kCodeBase + 4);
}

// Target EL1, at EL1: enabled only with MDSCR_EL1.KDE = 1 and PSTATE.D = 0;
// the step is then a same-EL exception (EC 0x33) to VBAR_EL1 + 0x200.
TEST_F(Step, AtTargetElNeedsKdeAndUnmaskedD) {
    h.code({kAddX0, kAddX0, kAddX0});
    s().el1.mdscr = debug::mdscr::kSS | debug::mdscr::kKDE;
    s().pstate.ss = true;
    s().pstate.d = true;
    EXPECT_EQ(h.step(2), Stop::Irq) << "masked by PSTATE.D";
    EXPECT_EQ(h.x(0), 2u);
}

TEST_F(Step, AtTargetElWithKdeAndDClearTakesSameElStep) {
    h.code({kAddX0, kAddX0, kAddX0});
    s().el1.mdscr = debug::mdscr::kSS | debug::mdscr::kKDE;
    s().pstate.ss = true;
    s().pstate.d = false;
    h.step(kRun);
    EXPECT_EQ(ec1(), EC::SoftStepCur);
    EXPECT_EQ(s().el1.elr, kCodeBase + 4);
    EXPECT_EQ(s().pc, s().el1.vbar + kCurrentSpx);
    EXPECT_EQ(h.x(0), 1u);
}

// DebugExceptionReturnSS on the ERET from EL2 at run(): PSTATE.SS = SPSR.SS
// when debug exceptions are enabled at the destination, else 0. run(0)
// returns at once and shows the PSTATE the return produced.
TEST_F(Step, EntryFromEl2KeepsSsWhenEnabledAtDestination) {
    h.code({kNop});
    arm();
    h.step(0);
    EXPECT_TRUE(spsr2_ss());
}

TEST_F(Step, EntryFromEl2ClearsSsWhenDisabledAtDestination) {
    h.code({kNop});
    arm();
    s().el1.oslk = true;
    h.step(0);
    EXPECT_FALSE(spsr2_ss());
}

TEST_F(Step, EntryFromEl2ClearsSsWithoutMdscrSs) {
    h.code({kNop});
    route_to_el2();
    s().pstate.ss = true;
    h.step(0);
    EXPECT_FALSE(spsr2_ss());
}

// AArch64.CallSupervisor calls SSAdvance: the SVC completes the step
// (SPSR_EL1.SS = 0), and at the vector EL1 is stepped towards EL2, so the
// step is taken there before the handler's first instruction (ISV = 0).
TEST_F(Step, SvcCompletesTheStepWhichEndsOnTheVector) {
    h.code({0xd4000001});  // svc #0
    to_el0();
    arm();
    EXPECT_EQ(h.step(kRun), Stop::Trap);
    EXPECT_EQ(ec2(), EC::SoftStepLow);
    EXPECT_EQ(s().el2.elr, s().el1.vbar + kLowerA64);
    EXPECT_EQ(arch::esr_ec(s().el1.esr), EC::SVC64);
    EXPECT_FALSE(s().el1.spsr & arch::spsr::kSS);
    EXPECT_EQ(arch::esr_iss(esr2()), arch::fsc::kDebug);
}

// AArch64.CallHypervisor calls SSAdvance: SPSR_EL2.SS = 0, so re-entering
// with it gives Active-pending and the step is taken at PC + 4 at once.
TEST_F(Step, HvcCompletesTheStep) {
    h.code({0xd4000002, kAddX0});  // hvc #0
    arm();
    EXPECT_EQ(h.step(kRun), Stop::Trap);
    EXPECT_EQ(ec2(), EC::HVC64);
    EXPECT_FALSE(spsr2_ss());
    const uint64_t retired = h.cpu.retired();
    EXPECT_EQ(h.step(kRun), Stop::Trap);  // the hypervisor re-enters unchanged
    EXPECT_EQ(ec2(), EC::SoftStepLow);
    EXPECT_EQ(s().el2.elr, kCodeBase + 4);
    EXPECT_EQ(h.cpu.retired(), retired);
}

// Traps to EL2 are not completed steps: SPSR_EL2.SS keeps 1 and ELR is the
// trapped instruction (the hypervisor must advance the state machine itself).
TEST_F(Step, SmcTrappedByTscLeavesSsSet) {
    h.code({0xd4000003});  // smc #0
    arm();
    s().el2.hcr |= hcr::kTSC;
    EXPECT_EQ(h.step(kRun), Stop::Trap);
    EXPECT_EQ(ec2(), EC::SMC64);
    EXPECT_EQ(s().el2.elr, kCodeBase);
    EXPECT_TRUE(spsr2_ss());
}

TEST_F(Step, WfiTrapLeavesSsSet) {
    h.code({0xd503207f});  // wfi
    arm();
    s().el2.hcr |= hcr::kTWI;
    EXPECT_EQ(h.step(kRun), Stop::Trap);
    EXPECT_EQ(ec2(), EC::WFx);
    EXPECT_TRUE(spsr2_ss());
}

TEST_F(Step, Stage2DataAbortLeavesSsSet) {
    h.code({0xf9400041});  // ldr x1, [x2]
    h.x(2) = 0x10000000;   // outside the stage-2 map
    arm();
    EXPECT_EQ(h.step(kRun), Stop::Trap);
    EXPECT_EQ(ec2(), EC::DataAbortLow);
    EXPECT_EQ(s().el2.elr, kCodeBase);
    EXPECT_TRUE(spsr2_ss());
}

// AArch64.SoftwareBreakpoint does not call SSAdvance.
TEST_F(Step, BrkDoesNotCompleteTheStep) {
    h.code({0xd42000a0});  // brk #5
    arm();
    EXPECT_EQ(h.step(kRun), Stop::Trap);
    EXPECT_EQ(ec2(), EC::BRK64);
    EXPECT_EQ(arch::esr_iss(esr2()), 5u);
    EXPECT_TRUE(spsr2_ss());
}

// A self-hosted debugger at EL1 steps EL0: ERET from EL1 (debug disabled
// there by PSTATE.D) to EL0 (enabled: target EL1 is higher) copies SPSR.SS.
TEST_F(Step, EretFromEl1ToEl0CopiesSpsrSsWhenEnabledOnlyAtDestination) {
    h.code({0xd69f03e0});  // eret
    const uint64_t el0 = kCodeBase + 0x100;
    h.put32(el0, kAddX0);
    h.put32(el0 + 4, kAddX0);
    s().el1.mdscr = debug::mdscr::kSS | debug::mdscr::kKDE;
    s().el1.elr = el0;
    s().el1.spsr = arch::spsr::kEL0t | arch::spsr::kSS;
    h.step(kRun);
    EXPECT_EQ(ec1(), EC::SoftStepLow);
    EXPECT_EQ(s().el1.elr, el0 + 4);
    EXPECT_EQ(s().pc, s().el1.vbar + kLowerA64);
    EXPECT_EQ(h.x(0), 1u);
    EXPECT_EQ(arch::esr_iss(esr1()), ss::kISV | arch::fsc::kDebug);
}

TEST_F(Step, EretWithSpsrSsClearGivesActivePendingAtTheReturnAddress) {
    h.code({0xd69f03e0});  // eret
    const uint64_t el0 = kCodeBase + 0x100;
    h.put32(el0, kAddX0);
    s().el1.mdscr = debug::mdscr::kSS | debug::mdscr::kKDE;
    s().el1.elr = el0;
    s().el1.spsr = arch::spsr::kEL0t;
    h.step(kRun);
    EXPECT_EQ(ec1(), EC::SoftStepLow);
    EXPECT_EQ(s().el1.elr, el0);
    EXPECT_EQ(h.x(0), 0u);
}

// ERET executed while stepping (enabled at the source): PSTATE.SS = 0, so the
// step ends at the return address.
TEST_F(Step, EretSteppedFromEl1EndsAtTheReturnAddress) {
    h.code({0xd69f03e0});  // eret
    const uint64_t el0 = kCodeBase + 0x100;
    h.put32(el0, kAddX0);
    arm();
    s().el1.elr = el0;
    s().el1.spsr = arch::spsr::kEL0t | arch::spsr::kSS;
    EXPECT_EQ(h.step(kRun), Stop::Trap);
    EXPECT_EQ(ec2(), EC::SoftStepLow);
    EXPECT_EQ(s().el2.elr, el0);
    EXPECT_EQ(h.x(0), 0u);
}

// Active-pending is taken before a pending interrupt; in Active-not-pending
// the interrupt is taken first and the step ends on its vector.
TEST_F(Step, InterruptPendingAtStartIsTakenAndTheStepEndsOnTheVector) {
    h.code({kAddX0, kAddX0});
    arm();
    s().pstate.i = false;
    s().el2.hcr |= hcr::kIMO | hcr::kVI;
    EXPECT_EQ(h.step(kRun), Stop::Trap);
    EXPECT_EQ(ec2(), EC::SoftStepLow);
    EXPECT_EQ(s().el2.elr, s().el1.vbar + kCurrentSpx + 0x80);
    EXPECT_EQ(h.x(0), 0u);
    EXPECT_TRUE(s().el1.spsr & arch::spsr::kSS) << "the interrupted instruction is still to step";
}

TEST_F(Step, ActivePendingStepIsTakenBeforeAPendingInterrupt) {
    h.code({kAddX0});
    arm(false);
    s().pstate.i = false;
    s().el2.hcr |= hcr::kIMO | hcr::kVI;
    EXPECT_EQ(h.step(kRun), Stop::Trap);
    EXPECT_EQ(ec2(), EC::SoftStepLow);
    EXPECT_EQ(s().el2.elr, kCodeBase);
}

// Cpu::set_block_interrupts: virtual IRQ/FIQ are held back (the "mask"
// policy); the instruction runs and the step ends at PC + 4.
TEST_F(Step, BlockInterruptsHoldsVirtualIrqAndFiqBack) {
    h.code({kAddX0, kAddX0});
    arm();
    s().pstate.i = s().pstate.f = false;
    s().el2.hcr |= hcr::kIMO | hcr::kFMO | hcr::kVI | hcr::kVF;
    h.cpu.set_block_interrupts(true);
    EXPECT_EQ(h.step(kRun), Stop::Trap);
    EXPECT_EQ(ec2(), EC::SoftStepLow);
    EXPECT_EQ(s().el2.elr, kCodeBase + 4);
    EXPECT_EQ(h.x(0), 1u);
}

TEST_F(Step, BlockInterruptsDoesNotHoldSErrorBack) {
    h.code({kAddX0, kAddX0});
    s().pstate.a = false;
    s().el2.hcr |= hcr::kAMO | hcr::kVSE;
    h.cpu.set_block_interrupts(true);
    h.step(1);
    EXPECT_EQ(s().pc, s().el1.vbar + kCurrentSpx + 0x180);
}

// AArch64.ExceptionReturn clears the local monitor, so a stepped LDXR/STXR
// pair fails on hardware; Cpu::set_preserve_monitor_on_entry lets the
// hypervisor keep it across its own debug exits.
TEST_F(Step, SteppedLdxrStxrFailsUnlessTheMonitorIsPreserved) {
    for (const bool preserve : {false, true}) {
        SCOPED_TRACE(preserve);
        h.code({0xc85f7c41, 0xc8037c41});  // ldxr x1, [x2]; stxr w3, x1, [x2]
        h.x(2) = kData;
        h.x(3) = 7;
        h.cpu.set_preserve_monitor_on_entry(preserve);
        arm();
        EXPECT_EQ(h.step(kRun), Stop::Trap);  // after the LDXR
        s().pstate.ss = true;
        EXPECT_EQ(h.step(kRun), Stop::Trap);  // after the STXR
        EXPECT_EQ(s().el2.elr, kCodeBase + 8);
        EXPECT_EQ(h.x(3), preserve ? 0u : 1u) << "STXR status";
    }
}

// The CPU keeps the debug enables computed (Cpu::debug_enables) and
// recomputes them when what they depend on changes. At target EL1 without
// KDE the step is disabled, so the entry from EL2 left PSTATE.SS = 0
// (DebugExceptionReturnSS); the guest's MSR MDSCR_EL1 setting KDE enables
// it from the very next instruction, in Active-pending state: the step
// exception (EC 0x33, ISV = 0) is taken before that instruction runs.
TEST_F(Step, GuestSettingKdeEnablesTheStepFromTheNextInstruction) {
    h.code({kMsrMdscrX1, kAddX0, kAddX0, kAddX0});
    s().el1.mdscr = debug::mdscr::kSS;
    h.x(1) = debug::mdscr::kSS | debug::mdscr::kKDE;
    s().pstate.ss = true;
    s().pstate.d = false;
    h.step(kRun);
    EXPECT_EQ(ec1(), EC::SoftStepCur);
    EXPECT_EQ(s().el1.elr, kCodeBase + 4);
    EXPECT_EQ(h.x(0), 0u);
    EXPECT_EQ(arch::esr_iss(esr1()), arch::fsc::kDebug);
}

// A guest's OSLAR_EL1 write locking the OS Lock disables the step: the
// stepped MSR advances the state machine (Active-pending), but no step
// exception is taken, before or after the instructions that follow.
TEST_F(Step, GuestLockingTheOsLockDisablesTheStepAtOnce) {
    h.code({kMsrOslarX1, kAddX0, kAddX0, kAddX0});
    s().el1.mdscr = debug::mdscr::kSS | debug::mdscr::kKDE;
    h.x(1) = 1;
    s().pstate.ss = true;
    s().pstate.d = false;
    EXPECT_EQ(h.step(3), Stop::Irq);
    EXPECT_EQ(h.x(0), 2u);
    EXPECT_EQ(s().pc, kCodeBase + 12);
}

// Entry from EL2 recomputes them too: the hypervisor setting MDCR_EL2.TDE
// between two runs routes the step to EL2 (enabled from EL1 whatever KDE).
TEST_F(Step, TdeSetBetweenRunsEnablesTheStepOnEntry) {
    h.code({kAddX0, kAddX0, kAddX0, kAddX0});
    s().el1.mdscr = debug::mdscr::kSS;
    s().pstate.ss = true;
    EXPECT_EQ(h.step(1), Stop::Irq) << "target EL1 without KDE: no step";
    EXPECT_EQ(h.x(0), 1u);
    route_to_el2();
    s().pstate.ss = true;
    EXPECT_EQ(h.step(kRun), Stop::Trap);
    EXPECT_EQ(ec2(), EC::SoftStepLow);
    EXPECT_EQ(s().el2.elr, kCodeBase + 8);
    EXPECT_EQ(h.x(0), 2u);
}

}  // namespace
}  // namespace cpu::test
