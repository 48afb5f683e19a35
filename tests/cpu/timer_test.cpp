// The generic timer's EL1 physical and virtual timers (ARM ARM DDI 0487 K.a,
// D12.2.4 "Timers", D24.8 CNTP_*/CNTV_* and their "Accessing" pseudocode):
// TVAL/CVAL, ISTATUS, IMASK, the output lines, the deadline the hypervisor
// jumps virtual time to, and the EL0/EL2 access controls.
#include <gtest/gtest.h>

#include "arch/esr.h"
#include "cpu/sysregs.h"
#include "cpu/timer.h"
#include "tests/cpu/harness.h"

namespace cpu::test {
namespace {

constexpr uint32_t kNop = 0xd503201f;  // nop

TimerRegs& vtimer(Harness& h) { return h.cpu.state().timer[size_t(Timer::Virtual)]; }
TimerRegs& ptimer(Harness& h) { return h.cpu.state().timer[size_t(Timer::Physical)]; }

// D12.2.4: a TVAL write sets CVAL = count + SignExtend(TVAL[31:0]), against
// the virtual count (physical - CNTVOFF_EL2) for the virtual timer.
TEST(TimerTval, WriteSetsCvalToCountPlusSignExtendedTval) {
    Harness h;
    h.code({kNop, 0xd51be303,    // nop; msr cntv_tval_el0, x3
            0xd53be342,          // mrs x2, cntv_cval_el0
            0xd51be303});        // msr cntv_tval_el0, x3
    h.cpu.state().el2.cntvoff = 5;
    h.x(3) = 0xFFFFFFF0;  // TVAL = -16
    // A timer write ends the run after it (Cpu::timer_written): two runs.
    EXPECT_EQ(h.step(3), Stop::Irq);
    EXPECT_EQ(h.pc(), kCodeBase + 8) << "the run ends after the write";
    h.step(1);
    EXPECT_EQ(h.x(2), uint64_t(1 - 5 - 16)) << "count 1 - CNTVOFF 5 - 16";
    h.x(3) = 0xABCD00000064;  // bits [63:32] ignored: TVAL = 100
    h.step(1);
    EXPECT_EQ(vtimer(h).cval, uint64_t(3 - 5 + 100));
}

// D12.2.4: a TVAL read returns (CVAL - count)[31:0], negative once the
// count has passed CVAL.
TEST(TimerTval, ReadIsCvalMinusCountLow32Bits) {
    Harness h;
    h.code({kNop, kNop, 0xd53be203,  // nop; nop; mrs x3, cntp_tval_el0
            0xd53be303});            // mrs x3, cntv_tval_el0
    h.cpu.state().el2.cnthctl = cnthctl::kEL1PCEN;
    ptimer(h).cval = 10;
    vtimer(h).cval = 0;
    h.step(3);
    EXPECT_EQ(h.x(3), 8u) << "CVAL 10 - count 2";
    h.step(1);
    EXPECT_EQ(h.x(3), 0xFFFFFFFDu) << "CVAL 0 - count 3, zero-extended";
}

// D24.8 CNTV_CTL_EL0.ISTATUS: set once the count reaches CVAL while enabled.
TEST(TimerCtl, IstatusSetsAsTheCountPassesCval) {
    Harness h;
    h.code({0xd53be321, kNop, kNop,  // mrs x1, cntv_ctl_el0; nop; nop
            0xd53be325});            // mrs x5, cntv_ctl_el0
    vtimer(h) = {cntctl::kENABLE, 3};
    h.step(4);
    EXPECT_EQ(h.x(1), cntctl::kENABLE) << "count 0 < CVAL 3";
    EXPECT_EQ(h.x(5), cntctl::kENABLE | cntctl::kISTATUS) << "count 3 >= CVAL 3";
}

// ISTATUS is read-only, and reads 0 while the timer is disabled (UNKNOWN in
// the manual; docs/architecture-choices.md).
TEST(TimerCtl, IstatusIsReadOnlyAndZeroWhileDisabled) {
    Harness h;
    h.code({0xd51be321, 0xd53be322,   // msr cntv_ctl_el0, x1; mrs x2, cntv_ctl_el0
            0xd51be323, 0xd53be324});  // msr cntv_ctl_el0, x3; mrs x4, cntv_ctl_el0
    h.x(1) = 0xFFFF'FFFF'FFFF'FFFC;   // ENABLE = IMASK = 0, ISTATUS and RES0 set
    h.x(3) = cntctl::kENABLE | cntctl::kIMASK;
    for (int i = 0; i < 4; ++i) h.step(1);  // each write ends its run
    EXPECT_EQ(h.x(2), 0u);
    EXPECT_EQ(h.x(4), cntctl::kENABLE | cntctl::kIMASK | cntctl::kISTATUS) << "CVAL 0 met";
}

// D12.2.4: the output is asserted when ENABLE = 1, IMASK = 0 and ISTATUS = 1.
TEST(TimerLine, AssertedWhenEnabledUnmaskedAndMet) {
    Harness h;
    h.code({kNop, kNop});
    vtimer(h) = {cntctl::kENABLE, 2};
    h.step(1);
    EXPECT_FALSE(h.cpu.timer_line(Timer::Virtual)) << "count 1 < CVAL 2";
    h.step(1);
    EXPECT_TRUE(h.cpu.timer_line(Timer::Virtual));
    EXPECT_FALSE(h.cpu.timer_line(Timer::Physical));
    vtimer(h).ctl |= cntctl::kIMASK;
    EXPECT_FALSE(h.cpu.timer_line(Timer::Virtual)) << "IMASK masks the line, not ISTATUS";
    vtimer(h).ctl = 0;
    EXPECT_FALSE(h.cpu.timer_line(Timer::Virtual)) << "disabled";
}

// The hypervisor's WFI jump (DESIGN.md "Determinism and time"): the earliest
// physical count at which an enabled, unmasked timer fires.
TEST(TimerDeadline, EarliestEnabledUnmaskedTimerInPhysicalCount) {
    Harness h;
    EXPECT_EQ(h.cpu.next_timer_deadline(), kNoTimerDeadline) << "no timer enabled";
    h.cpu.advance_count(1000);
    h.cpu.state().el2.cntvoff = 900;             // virtual count = 100
    vtimer(h) = {cntctl::kENABLE, 150};          // fires at physical 1050
    ptimer(h) = {cntctl::kENABLE, 1200};         // fires at physical 1200
    EXPECT_EQ(h.cpu.next_timer_deadline(), 1050u);
    vtimer(h).ctl |= cntctl::kIMASK;              // masked: no deadline
    EXPECT_EQ(h.cpu.next_timer_deadline(), 1200u);
    vtimer(h).ctl = cntctl::kENABLE;
    h.cpu.advance_count(h.cpu.next_timer_deadline() - physical_count(h.cpu));
    EXPECT_TRUE(h.cpu.timer_line(Timer::Virtual)) << "jumping to the deadline asserts it";
    EXPECT_EQ(h.cpu.next_timer_deadline(), 1050u) << "already met: now";
}

// The count only grows: advance_count adds to both CNTPCT and CNTVCT.
TEST(TimerCount, AdvanceCountIsMonotonic) {
    Harness h;
    h.code({0xd53be021, 0xd53be042,   // mrs x1, cntpct_el0; mrs x2, cntvct_el0
            0xd53be023, 0xd53be044});  // mrs x3, cntpct_el0; mrs x4, cntvct_el0
    h.cpu.state().el2.cnthctl = cnthctl::kEL1PCTEN;
    h.step(2);
    h.cpu.advance_count(500);
    h.step(2);
    EXPECT_EQ(h.x(3), h.x(1) + 2 + 500);
    EXPECT_EQ(h.x(4), h.x(2) + 2 + 500);
}

void to_el0(Harness& h) {
    h.cpu.state().pstate.el = 0;
    h.cpu.state().pstate.sp = false;
}

// CNTV_*_EL0 "Accessing": at EL0, CNTKCTL_EL1.EL0VTEN = 0 traps to EL1;
// CNTP_*_EL0 likewise with EL0PTEN.
TEST(TimerAccess, El0AccessFollowsCntkctl) {
    struct Case {
        uint32_t word;
        uint64_t enable;
    } cases[] = {{0xd53be321 /* mrs x1, cntv_ctl_el0 */, cntkctl::kEL0VTEN},
                 {0xd51be342 /* msr cntv_cval_el0, x2 */, cntkctl::kEL0VTEN},
                 {0xd53be203 /* mrs x3, cntp_tval_el0 */, cntkctl::kEL0PTEN}};
    for (const Case& c : cases) {
        Harness h;
        h.code({c.word});
        to_el0(h);
        h.cpu.state().el2.cnthctl = cnthctl::kEL1PCEN;
        h.cpu.state().el1.cntkctl = cntkctl::kEL0VTEN | cntkctl::kEL0PTEN;
        h.cpu.state().el1.cntkctl &= ~c.enable;
        h.step(1);
        EXPECT_EQ(arch::esr_ec(h.cpu.state().el1.esr), arch::EC::SysReg) << std::hex << c.word;
        EXPECT_EQ(h.pc(), h.cpu.state().el1.vbar + 0x400);
        Harness ok;
        ok.code({c.word, kNop});
        to_el0(ok);
        ok.cpu.state().el2.cnthctl = cnthctl::kEL1PCEN;
        ok.cpu.state().el1.cntkctl = c.enable;
        // A write ends the run after it (Cpu::timer_written), a read does not.
        EXPECT_EQ(ok.step(1), Stop::Irq) << std::hex << c.word;
        EXPECT_EQ(ok.step(1), Stop::Irq) << std::hex << c.word;
        EXPECT_EQ(ok.pc(), kCodeBase + 8);
    }
}

// CNTP_*_EL0 "Accessing" with HCR_EL2.E2H = 0: CNTHCTL_EL2.EL1PCEN = 0 traps
// EL1 (and EL0, once CNTKCTL_EL1 allows it) to EL2 with EC 0x18.
TEST(TimerAccess, PhysicalTimerTrapsToEl2UnlessCnthctlEl1pcen) {
    Harness h;
    h.code({0xd53be221});  // mrs x1, cntp_ctl_el0
    h.cpu.state().el2.cnthctl = cnthctl::kEL1PCTEN;
    ASSERT_EQ(h.step(1), Stop::Trap);
    const uint32_t esr = uint32_t(h.cpu.state().el2.esr);
    EXPECT_EQ(arch::esr_ec(esr), arch::EC::SysReg);
    const arch::SysRegIss iss = arch::decode_sysreg_iss(esr & 0x1FFFFFF);
    EXPECT_EQ(iss.op0, 3);
    EXPECT_EQ(iss.op1, 3);
    EXPECT_EQ(iss.crn, 14);
    EXPECT_EQ(iss.crm, 2);
    EXPECT_EQ(iss.op2, 1);
    EXPECT_EQ(iss.rt, 1);
    EXPECT_TRUE(iss.is_read);
    EXPECT_EQ(h.cpu.state().el2.elr, kCodeBase) << "preferred return: the MRS";

    Harness e0;
    e0.code({0xd51be242});  // msr cntp_cval_el0, x2
    to_el0(e0);
    e0.cpu.state().el1.cntkctl = cntkctl::kEL0PTEN;
    ASSERT_EQ(e0.step(1), Stop::Trap);
    EXPECT_FALSE(arch::decode_sysreg_iss(uint32_t(e0.cpu.state().el2.esr) & 0x1FFFFFF).is_read);

    Harness ok;
    ok.code({0xd51be242, 0xd53be221});  // msr cntp_cval_el0, x2; mrs x1, cntp_ctl_el0
    ok.cpu.state().el2.cnthctl = cnthctl::kEL1PCEN;
    ok.x(2) = 77;
    EXPECT_EQ(ok.step(2), Stop::Irq);
    EXPECT_EQ(ptimer(ok).cval, 77u);
}

}  // namespace
}  // namespace cpu::test
