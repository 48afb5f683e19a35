// Guest debug around each world switch (Linux: arch/arm64/kvm/debug.c,
// kvm_handle_guest_debug in handle_exit.c, and the DBG_SS_ACTIVE_PENDING
// flag of Linux 6.1). ARM ARM DDI 0487 L.a, D2.12 "Software Step
// exceptions" (CheckSoftwareStep, SSAdvance, DebugExceptionReturnSS) and
// D2.3 "Routing debug exceptions" (MDCR_EL2.TDE).
#include "hyp/debug.h"

#include <utility>

#include "cpu/debug.h"
#include "cpu/sysregs.h"
#include "hyp/emulate.h"

namespace hyp {

namespace {

namespace mdscr = cpu::debug::mdscr;
using kvm::guestdbg::kBlockIrq;
using kvm::guestdbg::kEnable;
using kvm::guestdbg::kSingleStep;
using kvm::guestdbg::kUseHw;
using kvm::guestdbg::kUseSwBp;

bool debugger_steps(const KvmVcpu& v) {
    constexpr uint32_t kBoth = kEnable | kSingleStep;
    return (v.guest_debug.control & kBoth) == kBoth;
}

// Puts the breakpoints and watchpoints the CPU matches while the debugger
// is attached into the CPU: the debugger's with USE_HW, else the guest's
// own (KVM arms one set; a hit on the guest's comes out as a DEBUG exit
// userspace re-injects).
void copy_breakpoints(KvmVcpu& v, bool use_hw) {
    cpu::El1Regs& el1 = v.cpu().state().el1;
    if (!use_hw) {
        const GuestDebugRegs& g = v.guest_debug_regs;
        el1.dbgbvr = g.dbgbvr;
        el1.dbgbcr = g.dbgbcr;
        el1.dbgwvr = g.dbgwvr;
        el1.dbgwcr = g.dbgwcr;
        return;
    }
    const kvm::GuestDebugArch& d = v.guest_debug.arch;
    for (unsigned i = 0; i < kvm::kMaxDbgRegs; ++i) {
        el1.dbgbvr[i] = d.dbg_bvr[i];
        el1.dbgbcr[i] = d.dbg_bcr[i];
        el1.dbgwvr[i] = d.dbg_wvr[i];
        el1.dbgwcr[i] = d.dbg_wcr[i];
    }
}

// MDSCR_EL1 while the debugger is attached: the guest's (none of its
// enables while its OS Lock is set), KDE never, MDE as the breakpoints in
// use need it, SS when the debugger steps.
uint64_t debugger_mdscr(KvmVcpu& v, bool steps) {
    const GuestDebugRegs& g = v.guest_debug_regs;
    const bool use_hw = v.guest_debug.control & kUseHw;
    if (!std::exchange(v.debug_state.bkpts_loaded, true)) copy_breakpoints(v, use_hw);
    uint64_t m = g.mdscr & ~(mdscr::kKDE | mdscr::kMDE | (g.oslk ? mdscr::kSS : 0));
    if (use_hw || (!g.oslk && (g.mdscr & mdscr::kMDE))) m |= mdscr::kMDE;
    if (steps) m |= mdscr::kSS;
    return m;
}

}  // namespace

// MDCR_EL2.TDE routes every debug exception from the guest to EL2. KDE is
// never set: it enables debug exceptions at the EL they target, and the
// target is EL2 now. SPSR_EL2.SS = 1 (Active-not-pending: one instruction
// runs) unless the guest left Active-pending, when SS = 0 makes the step
// exception come at once (DebugExceptionReturnSS). While the debugger
// steps, the ERET keeps the exclusive monitor (docs/architecture-choices.md,
// "Step contract"). `legacy` sets SS = 1 on every entry and clears the
// monitor: the 2017 bug, where an emulated instruction's step lets the next
// instruction run too.
void setup_debug(KvmVcpu& v) {
    cpu::State& s = v.cpu().state();
    const uint32_t ctl = v.guest_debug.control;
    const bool steps = debugger_steps(v);
    const bool legacy = v.kvm().step_strategy == kvm::StepStrategy::Legacy;
    v.cpu().set_block_interrupts((ctl & kEnable) && (ctl & kBlockIrq));
    v.cpu().set_sw_breakpoints_armed((ctl & kEnable) && (ctl & kUseSwBp));
    v.cpu().set_catch_el1_entries(catching_exceptions(v));
    v.cpu().set_preserve_monitor_on_entry(steps && !legacy);
    if (!(ctl & kEnable)) {
        s.el2.mdcr &= ~cpu::mdcr::kTDE;
        return;
    }
    if (steps) {
        v.debug_state.guest_pstate_ss = s.pstate.ss;
        s.pstate.ss = legacy || !v.debug_state.ss_active_pending;
    }
    s.el1.mdscr = debugger_mdscr(v, steps);
    s.el1.oslk = false;
    s.el2.mdcr |= cpu::mdcr::kTDE;
    v.debug_state.loaded = true;
}

// SPSR_EL2.SS = 0 at the exit means the guest left Active-pending: an HVC
// (SSAdvance before the exception), the fast path's skip, or an interrupt
// or immediate_exit after an emulated instruction. The next entry keeps it
// so the step is reported before anything runs.
void clear_debug(KvmVcpu& v) {
    VcpuDebugState& d = v.debug_state;
    if (!std::exchange(d.loaded, false) || !debugger_steps(v)) return;
    cpu::State& s = v.cpu().state();
    if (v.kvm().step_strategy != kvm::StepStrategy::Legacy) d.ss_active_pending = !s.pstate.ss;
    s.pstate.ss = d.guest_pstate_ss;
}

// `state-machine`: the completed instruction advances the state machine
// (SSAdvance), so re-entry is Active-pending; inside the world switch (the
// fast path) that is SPSR_EL2.SS itself, outside it the saved flag. `exit`:
// the step is reported by the run loop instead, before the guest runs.
void step_completed_in_hyp(KvmVcpu& v) {
    if (!debugger_steps(v)) return;
    VcpuDebugState& d = v.debug_state;
    switch (v.kvm().step_strategy) {
    case kvm::StepStrategy::StateMachine:
        if (d.loaded) v.pstate().ss = false;
        else d.ss_active_pending = true;
        break;
    case kvm::StepStrategy::Exit:
        d.step_exit_pending = true;
        d.ss_active_pending = false;
        break;
    case kvm::StepStrategy::Legacy:
        break;
    }
}

// The syndrome `state-machine` produces when the step exception is taken in
// Active-pending state on entry: EC 0x32, IL = 1, ISV = 0 (the step did
// not run an instruction, SoftwareStep_DidNotStep), IFSC 0x22.
bool report_pending_step(KvmVcpu& v) {
    if (!std::exchange(v.debug_state.step_exit_pending, false)) return false;
    auto& run = v.run_state();
    run.exit_reason = kvm::ExitReason::Debug;
    run.debug.caught = kvm::RunState::DebugArch::Caught::None;
    run.debug.hsr = arch::esr(arch::EC::SoftStepLow, arch::fsc::kDebug);
    run.debug.hsr_high = 0;
    run.debug.far = 0;  // FAR_EL2 is UNKNOWN for a step exception
    return true;
}

bool catching_exceptions(const KvmVcpu& v) {
    constexpr uint32_t kBoth = kEnable | kvm::guestdbg::kCatchExceptions;
    return (v.guest_debug.control & kBoth) == kBoth;
}

void caught_hyp_trap(KvmVcpu& v, uint64_t esr, uint64_t pc) {
    if (!catching_exceptions(v)) return;
    VcpuDebugState& d = v.debug_state;
    d.el2_caught = true;
    d.el2_esr = esr;
    d.el2_elr = pc;
}

// The EL1 entry first: a trap whose handling injected an exception into the
// guest (an UNDEFINED system register) is reported as the trap, with the
// PC already at the guest's vector. The DEBUG exit's hsr is the caught
// syndrome, so a debugger that reads only hsr still sees the class.
bool report_caught_exception(KvmVcpu& v) {
    using Caught = kvm::RunState::DebugArch::Caught;
    constexpr uint64_t kLowerElSync = 0x400;  // D1.3.1, Table D1-7: from a lower EL, AArch64
    kvm::RunState::DebugArch& dbg = v.run_state().debug;
    VcpuDebugState& d = v.debug_state;
    if (std::exchange(d.el2_caught, false)) {
        dbg.caught = Caught::El2;
        dbg.vector = kLowerElSync;
        dbg.esr = d.el2_esr;
        dbg.elr = d.el2_elr;
    } else if (const auto el1 = v.cpu().caught_el1_entry()) {
        dbg.caught = Caught::El1;
        dbg.vector = el1->vector;
        dbg.esr = el1->esr;
        dbg.elr = el1->elr;
    } else {
        return false;
    }
    v.run_state().exit_reason = kvm::ExitReason::Debug;
    dbg.hsr = uint32_t(dbg.esr);
    dbg.hsr_high = uint32_t(dbg.esr >> 32);
    dbg.far = 0;
    return true;
}

void guest_debug_changed(KvmVcpu& v) {
    v.debug_state.bkpts_loaded = false;
    v.debug_state.ss_active_pending = false;
    v.debug_state.step_exit_pending = false;
    v.debug_state.el2_caught = false;
}

ExitAction kvm_handle_guest_debug(KvmVcpu& v) {
    const uint64_t esr = vcpu_esr(v);
    auto& run = v.run_state();
    run.exit_reason = kvm::ExitReason::Debug;
    run.debug.hsr = uint32_t(esr);
    run.debug.hsr_high = uint32_t(esr >> 32);
    run.debug.far = v.cpu().state().el2.far;
    run.debug.caught = kvm::RunState::DebugArch::Caught::None;
    if (arch::esr_ec(esr) == arch::EC::SoftStepLow) v.debug_state.ss_active_pending = false;
    return ExitAction::ExitToUser;
}

// The EL1 syndrome: the "lower EL" class from EL0, the "current EL" class
// (EC + 1) from EL1; BRK has one class (D24.2.40, EC values). The exception
// entry is a step boundary, so the next step exit is at the vector.
bool inject_debug_exception(KvmVcpu& v, uint64_t hsr, uint64_t far) {
    const arch::EC ec = arch::esr_ec(hsr);
    const bool el1 = v.pstate().el == 1;
    arch::EC to = ec;
    switch (ec) {
    case arch::EC::BRK64: break;
    case arch::EC::BreakpointLow:
    case arch::EC::SoftStepLow:
    case arch::EC::WatchpointLow:
        if (el1) to = arch::EC(uint32_t(ec) + 1);
        break;
    default: return false;
    }
    const bool il = hsr & (1u << 25);
    v.cpu().inject_el1(cpu::ExceptionType::Sync, arch::esr(to, arch::esr_iss(hsr), il), far,
                       ec == arch::EC::WatchpointLow);
    step_completed_in_hyp(v);
    return true;
}

}  // namespace hyp
