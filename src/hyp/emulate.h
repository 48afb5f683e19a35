// Helpers shared by the exit handlers (Linux: asm/kvm_emulate.h).
#pragma once

#include "hyp/debug.h"
#include "hyp/kvm_host.h"

namespace hyp {

// Advances the guest past the instruction that trapped (kvm_skip_instr).
// The single-step contract hooks here: every emulated instruction completes
// through this one function. It retires, so virtual time counts it
// (DESIGN.md, "Determinism and time"), and it is one step for a debugger.
inline void skip_instr(KvmVcpu& v) {
    v.pc() += 4;
    v.cpu().retire_current();
    step_completed_in_hyp(v);
}

// Exit-handler contract (Linux's handle_exit returns > 0, 0, < 0):
enum class ExitAction {
    Resume,      // re-enter the guest
    ExitToUser,  // run() returns; run_state() says why
};

// The ISS of the exception that brought the vcpu out (ESR_EL2).
inline uint64_t vcpu_esr(KvmVcpu& v) { return v.cpu().state().el2.esr; }

// The faulting IPA: HPFAR_EL2.FIPA gives bits [47:12], FAR_EL2 the page offset
// (D24.2.52 HPFAR_EL2).
inline uint64_t fault_ipa(KvmVcpu& v) {
    const auto& el2 = v.cpu().state().el2;
    return ((el2.hpfar >> 4) << 12) | (el2.far & 0xFFF);
}

// Blocks a vcpu that nothing can wake until userspace sets immediate_exit
// (from another thread or a signal handler, hence polling).
void wait_for_immediate_exit(KvmVcpu& v);
// Every vcpu waits for a timer and the VM's idle clock is RealTime.
void idle_in_real_time(KvmVcpu& v, uint64_t deadline);
bool immediate_exit_requested(KvmVcpu& v);

void inject_undefined(KvmVcpu& v);
void inject_abort(KvmVcpu& v, bool fetch, uint64_t addr);

ExitAction handle_exit(KvmVcpu& v);
ExitAction io_mem_abort(KvmVcpu& v);
void handle_mmio_return(KvmVcpu& v);
ExitAction smccc_call(KvmVcpu& v);

// Gives the host thread to another vcpu: run() returns INTR with a fresh
// quantum next time.
ExitAction yield(KvmVcpu& v);

}  // namespace hyp
