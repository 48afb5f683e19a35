// Guest debug: the debugger's single step, breakpoints and watchpoints
// around each world switch (Linux: arch/arm64/kvm/debug.c and
// kvm_handle_guest_debug in handle_exit.c). DESIGN.md, "The single-step
// contract"; the choices are in docs/step-contract.md.
#pragma once

#include <cstdint>

namespace hyp {

class KvmVcpu;
enum class ExitAction;

// What the vcpu keeps of the debugger's step between world switches (Linux's
// vcpu debug flags and guest_debug_preserved).
struct VcpuDebugState {
    bool loaded = false;             // between setup_debug and clear_debug
    bool ss_active_pending = false;  // DBG_SS_ACTIVE_PENDING
    bool step_exit_pending = false;  // `exit` strategy: a step ended in hyp, not yet reported
    bool guest_pstate_ss = false;    // the guest's own PSTATE.SS while the debugger steps
    // The CPU holds the breakpoints and watchpoints setup_debug chose
    // (Linux's DEBUG_DIRTY, inverted): cleared when the debugger's or the
    // guest's debug registers change.
    bool bkpts_loaded = false;
    // kCatchExceptions: a trap the hypervisor handled, to report as a DEBUG
    // exit before the guest runs again (ESR_EL2 and the trapped PC).
    bool el2_caught = false;
    uint64_t el2_esr = 0, el2_elr = 0;
};

// kvm_arm_setup_debug, before entering the guest: the debugger's MDSCR_EL1
// (SS, MDE), MDCR_EL2.TDE, breakpoints/watchpoints, PSTATE.SS
// (SPSR_EL2.SS), interrupt masking and the exclusive-monitor rule.
void setup_debug(KvmVcpu& v);
// kvm_arm_clear_debug, after the guest left: records whether the step state
// machine was left Active-pending, then gives back the guest's PSTATE.SS.
void clear_debug(KvmVcpu& v);

// The hypervisor completed the instruction at PC or entered an exception
// in the guest on its behalf: one step ends here (skip_instr, injections).
void step_completed_in_hyp(KvmVcpu& v);

// `exit` strategy: when a step that ended in hyp is waiting, fills a DEBUG
// exit with the syndrome `state-machine` would produce and returns true.
bool report_pending_step(KvmVcpu& v);

// KVM_SET_GUEST_DEBUG took effect: a new debugging session starts
// Active-not-pending.
void guest_debug_changed(KvmVcpu& v);

// kCatchExceptions is on (with ENABLE).
bool catching_exceptions(const KvmVcpu& v);
// A trap was handled in the hypervisor (handle_exit or the fast path): with
// kCatchExceptions, remember it for report_caught_exception.
void caught_hyp_trap(KvmVcpu& v, uint64_t esr, uint64_t pc);
// With kCatchExceptions: fills a DEBUG exit (debug.caught) for the EL1
// entry the CPU stopped after, or the trap caught_hyp_trap kept, and returns
// true; false when there is none.
bool report_caught_exception(KvmVcpu& v);

// EC 0x30, 0x32, 0x34, 0x3C taken to EL2: a DEBUG exit with
// debug.arch.{hsr, far} (kvm_handle_guest_debug).
ExitAction kvm_handle_guest_debug(KvmVcpu& v);

// Re-injects a debug exception that is the guest's own (userspace's helper,
// as QEMU re-injects a BRK it does not own): taken to the guest's EL1 as if
// TDE were 0, from the DEBUG exit's hsr and far. False, changing nothing,
// for an hsr that is not a breakpoint, watchpoint, step or BRK.
bool inject_debug_exception(KvmVcpu& v, uint64_t hsr, uint64_t far);

}  // namespace hyp
