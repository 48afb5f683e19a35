// Exception generation (SVC, HVC, SMC, BRK), exception return (ERET, illegal
// return, PSTATE.IL), hints and WFx traps, barriers and MSR (immediate)
// (ARM ARM DDI 0487 K.a, C6.2, D1.4.4, D1.10; ASL named per test).
#include <gtest/gtest.h>

#include "arch/esr.h"
#include "cpu/sysregs.h"
#include "tests/cpu/harness.h"

namespace cpu::test {
namespace {

constexpr uint64_t kCurrentSp0 = 0x000, kCurrentSpx = 0x200, kLowerA64 = 0x400;

// The CPU entered VBAR_EL1 + offset with a synchronous exception of class ec.
void expect_el1_sync(Harness& h, uint64_t offset, arch::EC ec, uint64_t elr) {
    const auto& s = h.cpu.state();
    EXPECT_EQ(s.pc, s.el1.vbar + offset);
    EXPECT_EQ(arch::esr_ec(s.el1.esr), ec) << arch::ec_name(arch::esr_ec(s.el1.esr));
    EXPECT_EQ(s.el1.elr, elr);
    EXPECT_EQ(s.pstate.el, 1);
    EXPECT_TRUE(s.pstate.sp);
}

void to_el0(Harness& h) {
    h.cpu.state().pstate.el = 0;
    h.cpu.state().pstate.sp = false;
}

// ---- SVC (AArch64.CallSupervisor) -------------------------------------------

TEST(Svc, FromEl1WithSpElxUsesOffset0x200AndReturnsToNextInstruction) {
    Harness h;
    h.code({0xd4024681});  // svc #0x1234
    h.step(1);
    expect_el1_sync(h, kCurrentSpx, arch::EC::SVC64, kCodeBase + 4);
    EXPECT_EQ(arch::esr_iss(h.cpu.state().el1.esr), 0x1234u);  // ISS = imm16
    EXPECT_EQ(h.cpu.state().el1.spsr & 0x1F, arch::spsr::kEL1h);
    EXPECT_EQ(h.cpu.retired(), 1u);  // SVC is retired
}

TEST(Svc, FromEl1WithSpEl0UsesOffset0x000) {  // D1.10.2 Table D1-7
    Harness h;
    h.code({0xd4024681});  // svc #0x1234
    h.cpu.state().pstate.sp = false;
    h.step(1);
    expect_el1_sync(h, kCurrentSp0, arch::EC::SVC64, kCodeBase + 4);
    EXPECT_EQ(h.cpu.state().el1.spsr & 0x1F, arch::spsr::kEL1t);
}

TEST(Svc, FromEl0UsesLowerElOffset0x400) {
    Harness h;
    h.code({0xd40000a1});  // svc #5
    to_el0(h);
    h.step(1);
    expect_el1_sync(h, kLowerA64, arch::EC::SVC64, kCodeBase + 4);
    EXPECT_EQ(arch::esr_iss(h.cpu.state().el1.esr), 5u);
    EXPECT_EQ(h.cpu.state().el1.spsr & 0x1F, arch::spsr::kEL0t);
}

TEST(Svc, FromEl0WithTgeGoesToEl2) {  // CallSupervisor: route_to_el2 when TGE
    Harness h;
    h.code({0xd40000a1});  // svc #5
    to_el0(h);
    h.cpu.state().el2.hcr = hcr::kTGE;
    EXPECT_EQ(h.step(1), Stop::Trap);
    EXPECT_EQ(arch::esr_ec(h.cpu.state().el2.esr), arch::EC::SVC64);
    EXPECT_EQ(h.cpu.state().el2.elr, kCodeBase + 4);
}

// ---- HVC, SMC (AArch64.CallHypervisor, AArch64.CheckForSMCUndefOrTrap) -------

TEST(Hvc, FromEl1TrapsToEl2WithImm16AndReturnAtNextInstruction) {
    Harness h;
    h.code({0xd4000842});  // hvc #0x42
    EXPECT_EQ(h.step(1), Stop::Trap);
    const auto& el2 = h.cpu.state().el2;
    EXPECT_EQ(arch::esr_ec(el2.esr), arch::EC::HVC64);
    EXPECT_EQ(arch::esr_iss(el2.esr), 0x42u);
    EXPECT_EQ(el2.elr, kCodeBase + 4);
    EXPECT_EQ(h.cpu.retired(), 1u);  // HVC is retired
}

TEST(Hvc, AtEl0IsUndefined) {
    Harness h;
    h.code({0xd4000842});  // hvc #0x42
    to_el0(h);
    h.step(1);
    expect_el1_sync(h, kLowerA64, arch::EC::Unknown, kCodeBase);
}

TEST(Hvc, WithHcrHcdIsUndefined) {  // HCR_EL2.HCD disables HVC when EL3 is absent
    Harness h;
    h.code({0xd4000842});  // hvc #0x42
    h.cpu.state().el2.hcr = hcr::kHCD;
    h.step(1);
    expect_el1_sync(h, kCurrentSpx, arch::EC::Unknown, kCodeBase);
}

TEST(Smc, WithoutTscIsUndefinedBecauseThereIsNoEl3) {
    Harness h;
    h.code({0xd40000e3});  // smc #7
    h.step(1);
    expect_el1_sync(h, kCurrentSpx, arch::EC::Unknown, kCodeBase);
}

TEST(Smc, WithTscTrapsToEl2AtTheSmcItself) {  // HCR_EL2.TSC: not retired
    Harness h;
    h.code({0xd40000e3});  // smc #7
    h.cpu.state().el2.hcr = hcr::kTSC;
    EXPECT_EQ(h.step(1), Stop::Trap);
    const auto& el2 = h.cpu.state().el2;
    EXPECT_EQ(arch::esr_ec(el2.esr), arch::EC::SMC64);
    EXPECT_EQ(arch::esr_iss(el2.esr), 7u);
    EXPECT_EQ(el2.elr, kCodeBase);
    EXPECT_EQ(h.cpu.retired(), 0u);
}

TEST(Smc, AtEl0IsUndefinedEvenWithTsc) {
    Harness h;
    h.code({0xd40000e3});  // smc #7
    h.cpu.state().el2.hcr = hcr::kTSC;
    to_el0(h);
    h.step(1);
    expect_el1_sync(h, kLowerA64, arch::EC::Unknown, kCodeBase);
}

// ---- BRK, HLT, DCPS, DRPS ---------------------------------------------------

TEST(Brk, GoesToEl1WithPreferredReturnAtTheBrk) {  // AArch64.SoftwareBreakpoint
    Harness h;
    h.code({0xd4201320});  // brk #0x99
    h.step(1);
    expect_el1_sync(h, kCurrentSpx, arch::EC::BRK64, kCodeBase);
    EXPECT_EQ(arch::esr_iss(h.cpu.state().el1.esr), 0x99u);
    EXPECT_EQ(h.cpu.retired(), 1u);  // the vector's B . only: BRK is not retired
}

TEST(Brk, MdcrTdeRoutesToEl2) {
    Harness h;
    h.code({0xd4201320});  // brk #0x99
    h.cpu.state().el2.mdcr = mdcr::kTDE;
    EXPECT_EQ(h.step(1), Stop::Trap);
    EXPECT_EQ(arch::esr_ec(h.cpu.state().el2.esr), arch::EC::BRK64);
    EXPECT_EQ(arch::esr_iss(h.cpu.state().el2.esr), 0x99u);
    EXPECT_EQ(h.cpu.state().el2.elr, kCodeBase);
}

TEST(Debug, HltDcpsDrpsAreUndefinedOutsideDebugState) {  // C6.2.124, C6.2.85, C6.2.90
    for (uint32_t word : {0xd4400020u /* hlt #1 */, 0xd4a00001u /* dcps1 */,
                          0xd6bf03e0u /* drps */}) {
        Harness h;
        h.code({word});
        h.step(1);
        expect_el1_sync(h, kCurrentSpx, arch::EC::Unknown, kCodeBase);
    }
}

// ---- ERET (AArch64.ExceptionReturn) and PSTATE.IL ----------------------------

TEST(Eret, ToEl0AndBackViaSvc) {
    Harness h;
    h.code({0xd69f03e0});  // eret
    h.put32(kCodeBase + 0x100, 0xd40000a1);  // svc #5
    auto& s = h.cpu.state();
    s.el1.spsr = arch::spsr::kEL0t | arch::spsr::kZ;  // EL0t, DAIF clear, Z set
    s.el1.elr = kCodeBase + 0x100;
    h.cpu.monitor().open = false;
    EXPECT_EQ(h.step(1), Stop::Irq);
    EXPECT_EQ(h.pc(), kCodeBase + 0x100);
    EXPECT_EQ(s.pstate.el, 0);
    EXPECT_FALSE(s.pstate.i);
    EXPECT_TRUE(s.pstate.z());
    EXPECT_TRUE(h.cpu.monitor().open);  // ClearExclusiveLocal
    h.step(1);
    expect_el1_sync(h, kLowerA64, arch::EC::SVC64, kCodeBase + 0x104);
    EXPECT_EQ(s.el1.spsr, arch::spsr::kEL0t | arch::spsr::kZ);
}

TEST(Eret, AtEl0IsUndefined) {
    Harness h;
    h.code({0xd69f03e0});  // eret
    to_el0(h);
    h.step(1);
    expect_el1_sync(h, kLowerA64, arch::EC::Unknown, kCodeBase);
}

// D1.4.4 / IllegalExceptionReturn: a return to a higher EL or to AArch32 sets
// PSTATE.IL and keeps EL and SP; the next instruction takes EC 0x0E at EL1.
TEST(Eret, IllegalReturnSetsIlThenIllegalStateExceptionAtEl1) {
    for (uint64_t m : {arch::spsr::kEL2h, uint64_t(0x10) /* AArch32 User */, uint64_t(0x2)}) {
        Harness h;
        h.code({0xd69f03e0});  // eret
        h.put32(kCodeBase + 0x100, 0xd503201f);  // nop: never executes
        auto& s = h.cpu.state();
        s.el1.spsr = m | arch::spsr::kC;
        s.el1.elr = kCodeBase + 0x100;
        h.step(1);
        EXPECT_TRUE(s.pstate.il) << m;
        EXPECT_EQ(s.pstate.el, 1);
        EXPECT_TRUE(s.pstate.sp);
        EXPECT_TRUE(s.pstate.c());  // the other fields are restored
        EXPECT_EQ(h.pc(), kCodeBase + 0x100);
        h.step(1);
        expect_el1_sync(h, kCurrentSpx, arch::EC::IllegalState, kCodeBase + 0x100);
        EXPECT_FALSE(s.pstate.il);  // exception entry clears IL
        EXPECT_NE(s.el1.spsr & arch::spsr::kIL, 0u);
        EXPECT_EQ(h.cpu.retired(), 2u);  // the ERET and the vector's B .: nop never ran
    }
}

TEST(Eret, ReturnToEl1WithTgeIsIllegal) {  // IllegalExceptionReturn: EL1 under TGE
    Harness h;
    h.code({0xd69f03e0});  // eret
    h.cpu.state().el1.spsr = arch::spsr::kEL1h;
    h.cpu.state().el1.elr = kCodeBase + 0x100;
    h.cpu.state().el2.hcr = hcr::kTGE;
    h.step(1);
    EXPECT_TRUE(h.cpu.state().pstate.il);
}

TEST(Eret, SpsrIlOnALegalReturnIsRestoredAndTakenAtTheTarget) {
    Harness h;
    h.code({0xd69f03e0});  // eret
    h.cpu.state().el1.spsr = arch::spsr::kEL0t | arch::spsr::kIL;
    h.cpu.state().el1.elr = kCodeBase + 0x100;
    h.step(1);
    EXPECT_EQ(h.cpu.state().pstate.el, 0);
    h.step(1);
    expect_el1_sync(h, kLowerA64, arch::EC::IllegalState, kCodeBase + 0x100);
}

TEST(Eret, IlFromTheHypervisorsReturnIsTakenAtEl1) {  // SPSR_EL2.IL = 1, legal EL1h
    Harness h;
    h.code({0xd503201f});  // nop: never executes
    h.cpu.state().pstate.il = true;
    h.step(1);
    expect_el1_sync(h, kCurrentSpx, arch::EC::IllegalState, kCodeBase);
    EXPECT_EQ(arch::esr_iss(h.cpu.state().el1.esr), 0u);
}

TEST(Brk, AtEl0WithTgeGoesToEl2) {  // AArch64.SoftwareBreakpoint: route_to_el2
    Harness h;
    h.code({0xd4201320});  // brk #0x99
    to_el0(h);
    h.cpu.state().el2.hcr = hcr::kTGE;
    EXPECT_EQ(h.step(1), Stop::Trap);
    EXPECT_EQ(arch::esr_ec(h.cpu.state().el2.esr), arch::EC::BRK64);
}

// ---- Hints, WFI/WFE (AArch64.CheckForWFxTrap) --------------------------------

TEST(Hint, EveryHintWithoutAnEffectIsANop) {  // C6.2.126 HINT
    for (uint32_t word : {0xd503201fu /* nop */, 0xd503203fu /* yield */, 0xd503209fu /* sev */,
                          0xd50320bfu /* sevl */, 0xd503221fu /* esb */, 0xd503229fu /* csdb */,
                          0xd503245fu /* bti c */, 0xd503211fu /* pacia1716 */,
                          0xd503261fu /* hint #0x30 */, 0xd5032fffu /* hint #0x7f */}) {
        Harness h;
        h.code({word});
        EXPECT_EQ(h.step(1), Stop::Irq) << std::hex << word;
        EXPECT_EQ(h.pc(), kCodeBase + 4) << std::hex << word;
    }
}

TEST(Wfx, UntrappedWfiAndWfeCompleteAtOnce) {
    Harness h;
    h.code({0xd503207f, 0xd503205f});  // wfi; wfe
    EXPECT_EQ(h.step(2), Stop::Irq);
    EXPECT_EQ(h.pc(), kCodeBase + 8);
}

// ISS: CV = 1, COND = 0b1110, TI = 0 (WFI) / 1 (WFE) (D24.2.40).
constexpr uint32_t kWfiIss = 0x1E00000, kWfeIss = 0x1E00001;

TEST(Wfx, HcrTwiTrapsWfiToEl2AtTheWfi) {
    Harness h;
    h.code({0xd503207f});  // wfi
    h.cpu.state().el2.hcr = hcr::kTWI;
    EXPECT_EQ(h.step(1), Stop::Trap);
    const auto& el2 = h.cpu.state().el2;
    EXPECT_EQ(arch::esr_ec(el2.esr), arch::EC::WFx);
    EXPECT_EQ(arch::esr_iss(el2.esr), kWfiIss);
    EXPECT_EQ(el2.elr, kCodeBase);
    EXPECT_EQ(h.cpu.retired(), 0u);
}

TEST(Wfx, HcrTweTrapsWfeWithTiOne) {
    Harness h;
    h.code({0xd503205f});  // wfe
    h.cpu.state().el2.hcr = hcr::kTWE;
    EXPECT_EQ(h.step(1), Stop::Trap);
    EXPECT_EQ(arch::esr_iss(h.cpu.state().el2.esr), kWfeIss);
}

TEST(Wfx, El0WfiTrapsToEl1WhenSctlrNtwiIsZero) {
    Harness h;
    h.code({0xd503207f});  // wfi
    to_el0(h);             // reset SCTLR_EL1.nTWI = 0
    h.step(1);
    expect_el1_sync(h, kLowerA64, arch::EC::WFx, kCodeBase);
    EXPECT_EQ(arch::esr_iss(h.cpu.state().el1.esr), kWfiIss);
}

TEST(Wfx, El0WfeRunsWhenSctlrNtweIsSet) {
    Harness h;
    h.code({0xd503205f});  // wfe
    to_el0(h);
    h.cpu.state().el1.sctlr |= sctlr::knTWE;
    EXPECT_EQ(h.step(1), Stop::Irq);
    EXPECT_EQ(h.pc(), kCodeBase + 4);
}

// ---- Barriers, CLREX ----------------------------------------------------------

TEST(Barrier, DsbDmbIsbSbSsbbExecute) {
    Harness h;
    h.code({0xd5033f9f, 0xd5033bbf, 0xd5033fdf, 0xd50330ff, 0xd503379f, 0xd503309f});
    // dsb sy; dmb ish; isb; sb; dsb nsh; ssbb
    EXPECT_EQ(h.step(6), Stop::Irq);
    EXPECT_EQ(h.pc(), kCodeBase + 24);
}

TEST(Barrier, ClrexOpensTheLocalMonitor) {  // C6.2.56 CLREX
    Harness h;
    h.code({0xd5033f5f});  // clrex
    h.cpu.monitor().open = false;
    h.step(1);
    EXPECT_TRUE(h.cpu.monitor().open);
}

// ---- MSR (immediate) -----------------------------------------------------------

TEST(MsrImm, DaifSetAndDaifClr) {  // C5.2.x DAIFSet/DAIFClr
    Harness h;
    h.code({0xd50342ff, 0xd5034fdf});  // msr daifclr, #2; msr daifset, #0xf
    auto& p = h.cpu.state().pstate;
    h.step(1);
    EXPECT_TRUE(p.d && p.a && !p.i && p.f);
    h.step(1);
    EXPECT_TRUE(p.d && p.a && p.i && p.f);
}

TEST(MsrImm, SpselSwitchesTheStackPointerUsedByExceptionVectors) {
    Harness h;
    h.code({0xd50040bf, 0xd40000a1});  // msr spsel, #0; svc #5
    h.step(1);
    EXPECT_FALSE(h.cpu.state().pstate.sp);
    h.step(1);
    expect_el1_sync(h, kCurrentSp0, arch::EC::SVC64, kCodeBase + 8);
}

TEST(MsrImm, SpselAtEl0IsUndefined) {
    Harness h;
    h.code({0xd50041bf});  // msr spsel, #1
    to_el0(h);
    h.step(1);
    expect_el1_sync(h, kLowerA64, arch::EC::Unknown, kCodeBase);
}

TEST(MsrImm, DaifFromEl0TrapsToEl1UnlessSctlrUma) {
    Harness h;
    h.code({0xd50342ff});  // msr daifclr, #2
    to_el0(h);
    h.step(1);
    expect_el1_sync(h, kLowerA64, arch::EC::SysReg, kCodeBase);
    const auto iss = arch::decode_sysreg_iss(arch::esr_iss(h.cpu.state().el1.esr));
    EXPECT_EQ(iss.op0, 0);
    EXPECT_EQ(iss.op1, 3);
    EXPECT_EQ(iss.crn, 4);
    EXPECT_EQ(iss.crm, 2);
    EXPECT_EQ(iss.op2, 7);
    EXPECT_EQ(iss.rt, 31);
    EXPECT_FALSE(iss.is_read);

    Harness u;
    u.code({0xd50342ff});  // msr daifclr, #2
    to_el0(u);
    u.cpu.state().el1.sctlr |= sctlr::kUMA;
    EXPECT_EQ(u.step(1), Stop::Irq);
    EXPECT_FALSE(u.cpu.state().pstate.i);
}

TEST(MsrImm, UnadvertisedPstateFieldsAreUndefined) {  // PAN, UAO, CFINV not advertised
    /* msr pan, #1 = 0xd500419f; msr uao, #1 = 0xd500417f; cfinv = 0xd500401f */
    for (uint32_t word : {0xd500419fu, 0xd500417fu, 0xd500401fu}) {
        Harness h;
        h.code({word});
        h.step(1);
        expect_el1_sync(h, kCurrentSpx, arch::EC::Unknown, kCodeBase);
    }
}

}  // namespace
}  // namespace cpu::test
