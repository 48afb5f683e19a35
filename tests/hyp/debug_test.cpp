// setup_debug / clear_debug around a world switch, the step strategies'
// hooks and the debug re-injection helper, driven directly (Linux:
// arch/arm64/kvm/debug.c). The rules are the single-step contract's
// (DESIGN.md) and ARM ARM DDI 0487 L.a D2.12 (software step) and D2.3
// (MDCR_EL2.TDE routing). tests/kvm/step_matrix_test.cpp proves them on a
// running guest.
#include <gtest/gtest.h>

#include "arch/sysreg.h"
#include "cpu/debug.h"
#include "cpu/sysregs.h"
#include "hyp/debug.h"
#include "hyp/emulate.h"
#include "tests/hyp/vcpu_fixture.h"

namespace hyp {
namespace {

namespace mdscr = cpu::debug::mdscr;
using test::kPc;
using test::kVbar;
constexpr uint64_t kPstateSS = 1ull << 21;

struct Debug : test::VcpuTest {
    void debug(uint32_t control) {
        v->guest_debug.control = control;
        guest_debug_changed(*v);
    }
    void step(uint32_t extra = 0) { debug(kvm::guestdbg::kEnable | kvm::guestdbg::kSingleStep | extra); }
    uint64_t one_reg(uint64_t id) { return v->get_one_reg(id).value(); }
    uint64_t guest_mdscr() { return one_reg(kvm::reg::sysreg(arch::sysreg::MDSCR_EL1.id.packed)); }
    // A trap as the CPU leaves it: ESR_EL2, and SPSR_EL2.SS in PSTATE.SS.
    void exit_with(arch::EC ec, bool ss) {
        v->cpu().state().el2.esr = arch::esr(ec, arch::fsc::kDebug);
        v->pstate().ss = ss;
    }
};

TEST_F(Debug, SingleStepSetsMdscrSsAndTdeNeverKde) {
    ASSERT_TRUE(v->set_one_reg(kvm::reg::sysreg(arch::sysreg::OSLSR_EL1.id.packed), 0x8));  // OSLM = 0b10, OSLK = 0
    ASSERT_TRUE(v->set_one_reg(kvm::reg::sysreg(arch::sysreg::MDSCR_EL1.id.packed), mdscr::kKDE));
    step();
    setup_debug(*v);
    const cpu::State& s = v->cpu().state();
    EXPECT_TRUE(s.el2.mdcr & cpu::mdcr::kTDE);
    EXPECT_TRUE(s.el1.mdscr & mdscr::kSS);
    EXPECT_FALSE(s.el1.mdscr & mdscr::kKDE);
    EXPECT_TRUE(s.pstate.ss) << "a new session enters Active-not-pending";
    EXPECT_EQ(guest_mdscr(), mdscr::kKDE) << "the guest sees its own MDSCR_EL1";
    clear_debug(*v);
}

TEST_F(Debug, GuestSeesItsOwnPstateSsAndOsLock) {
    step();
    setup_debug(*v);
    EXPECT_TRUE(v->pstate().ss);
    EXPECT_FALSE(v->cpu().state().el1.oslk) << "a locked guest still steps for the debugger";
    clear_debug(*v);
    EXPECT_EQ(one_reg(kvm::reg::kPstate) & kPstateSS, 0u);
    EXPECT_EQ(one_reg(kvm::reg::sysreg(arch::sysreg::OSLSR_EL1.id.packed)) & 2, 2u) << "OSLK still 1";
    EXPECT_EQ(guest_mdscr() & mdscr::kSS, 0u);
}

// DBG_SS_ACTIVE_PENDING: an exit with SPSR_EL2.SS = 0 (HVC's SSAdvance)
// re-enters with SS = 0 until the step exception is taken.
TEST_F(Debug, ExitActivePendingReentersActivePendingUntilTheStepIsTaken) {
    step();
    setup_debug(*v);
    exit_with(arch::EC::HVC64, false);
    clear_debug(*v);
    setup_debug(*v);
    EXPECT_FALSE(v->pstate().ss);
    exit_with(arch::EC::SoftStepLow, false);
    clear_debug(*v);
    EXPECT_EQ(handle_exit(*v), ExitAction::ExitToUser);
    EXPECT_EQ(v->run_state().exit_reason, kvm::ExitReason::Debug);
    EXPECT_EQ(arch::esr_ec(v->run_state().debug.hsr), arch::EC::SoftStepLow);
    setup_debug(*v);
    EXPECT_TRUE(v->pstate().ss);
}

TEST_F(Debug, StateMachineSkipInstrMakesReentryActivePending) {
    step();
    skip_instr(*v);
    EXPECT_FALSE(report_pending_step(*v));
    setup_debug(*v);
    EXPECT_FALSE(v->pstate().ss);
    EXPECT_EQ(v->pc(), kPc + 4);
}

TEST_F(Debug, StateMachineFastPathSkipClearsSpsrSs) {
    step();
    setup_debug(*v);
    skip_instr(*v);  // inside the world switch
    EXPECT_FALSE(v->pstate().ss);
}

TEST_F(Debug, ExitStrategyReportsTheStepWithStateMachinesSyndrome) {
    kvm.step_strategy = kvm::StepStrategy::Exit;
    step();
    skip_instr(*v);
    ASSERT_TRUE(report_pending_step(*v));
    EXPECT_EQ(v->run_state().exit_reason, kvm::ExitReason::Debug);
    EXPECT_EQ(v->run_state().debug.hsr, 0xCA000022u) << "EC 0x32, IL = 1, ISV = 0, IFSC 0x22";
    EXPECT_FALSE(report_pending_step(*v)) << "reported once";
    setup_debug(*v);
    EXPECT_TRUE(v->pstate().ss);
}

TEST_F(Debug, LegacySetsSsOnEveryEntry) {
    kvm.step_strategy = kvm::StepStrategy::Legacy;
    step();
    skip_instr(*v);
    setup_debug(*v);
    EXPECT_TRUE(v->pstate().ss) << "the 2017 bug: the instruction after the emulated one runs too";
}

TEST_F(Debug, SettingGuestDebugAgainStartsActiveNotPending) {
    step();
    skip_instr(*v);
    step();
    setup_debug(*v);
    EXPECT_TRUE(v->pstate().ss);
}

TEST_F(Debug, UseHwLoadsTheDebuggersBreakpointsWithMde) {
    v->guest_debug_regs.dbgbvr[0] = 0x1234;
    kvm::GuestDebugSettings d;
    d.control = kvm::guestdbg::kEnable | kvm::guestdbg::kUseHw;
    d.arch.dbg_bvr[0] = kPc;
    d.arch.dbg_bcr[0] = 0x1E7;
    v->guest_debug = d;
    guest_debug_changed(*v);  // as Vcpu::set_guest_debug does
    setup_debug(*v);
    const cpu::State& s = v->cpu().state();
    EXPECT_EQ(s.el1.dbgbvr[0], kPc);
    EXPECT_EQ(s.el1.dbgbcr[0], 0x1E7u);
    EXPECT_TRUE(s.el1.mdscr & mdscr::kMDE);
    EXPECT_FALSE(s.el1.mdscr & mdscr::kSS);
    d.control = kvm::guestdbg::kEnable;  // without USE_HW: the guest's own
    v->guest_debug = d;
    guest_debug_changed(*v);
    setup_debug(*v);
    EXPECT_EQ(s.el1.dbgbvr[0], 0x1234u);
    EXPECT_FALSE(s.el1.mdscr & mdscr::kMDE) << "the guest's MDE is 0 (OS Lock set)";
    // The guest writes its DBGBVR0_EL1 while the debugger is attached: the
    // next entry loads it.
    ASSERT_TRUE(v->set_one_reg(kvm::reg::sysreg(arch::SysRegId(2, 0, 0, 0, 4).packed), 0x5678));
    setup_debug(*v);
    EXPECT_EQ(s.el1.dbgbvr[0], 0x5678u);
}

TEST_F(Debug, BlockIrqMasksVirtualInterruptsAndWithoutEnableNothingRoutesToEl2) {
    step(kvm::guestdbg::kBlockIrq);
    setup_debug(*v);
    EXPECT_TRUE(v->cpu().block_interrupts());
    clear_debug(*v);
    debug(0);
    setup_debug(*v);
    EXPECT_FALSE(v->cpu().block_interrupts());
    EXPECT_FALSE(v->cpu().state().el2.mdcr & cpu::mdcr::kTDE);
}

// Breakpoint, watchpoint and BRK exits advance nothing.
TEST_F(Debug, DebugExitsReportHsrAndFarAndAdvanceNothing) {
    step();
    for (arch::EC ec : {arch::EC::BreakpointLow, arch::EC::WatchpointLow, arch::EC::BRK64}) {
        setup_debug(*v);
        exit_with(ec, true);
        v->cpu().state().el2.far = 0x40002008;
        clear_debug(*v);
        ASSERT_EQ(handle_exit(*v), ExitAction::ExitToUser);
        EXPECT_EQ(arch::esr_ec(v->run_state().debug.hsr), ec);
        EXPECT_EQ(v->run_state().debug.far, 0x40002008u);
        EXPECT_EQ(v->pc(), kPc);
    }
}

// Re-injection (D24.2.40 EC values): from EL1 the current-EL class, the
// preferred return the instruction itself, and the step then ends at the
// vector before its first instruction.
TEST_F(Debug, ReinjectedWatchpointTakesTheCurrentElClassAtTheVector) {
    step();
    const uint64_t hsr = arch::esr(arch::EC::WatchpointLow, arch::fsc::kDebug | arch::watchpt::kWnR);
    ASSERT_TRUE(inject_debug_exception(*v, hsr, 0x40002008));
    EXPECT_EQ(arch::esr_ec(one_reg(kvm::reg::sysreg(arch::sysreg::ESR_EL1.id.packed))), arch::EC::WatchpointCur);
    EXPECT_EQ(one_reg(kvm::reg::sysreg(arch::sysreg::FAR_EL1.id.packed)), 0x40002008u);
    EXPECT_EQ(one_reg(kvm::reg::kElrEl1), kPc);
    EXPECT_EQ(v->pc(), kVbar + 0x200);
    setup_debug(*v);
    EXPECT_FALSE(v->pstate().ss) << "the step ends at the vector";
}

TEST_F(Debug, ReinjectionRefusesOtherSyndromes) {
    const uint64_t before = v->pc();
    EXPECT_FALSE(inject_debug_exception(*v, arch::esr(arch::EC::SVC64, 0), 0));
    EXPECT_EQ(v->pc(), before);
}

}  // namespace
}  // namespace hyp
