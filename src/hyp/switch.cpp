// The world switch's fast path (Linux: fixup_guest_exit in
// arch/arm64/kvm/hyp/include/hyp/switch.h): exits that EL2 can finish on its
// own, without the full handle_exit, before the guest is re-entered.
#include "hyp/switch.h"

#include <chrono>

#include "hyp/emulate.h"
#include "hyp/fpsimd.h"
#include "hyp/vgic/vgic.h"

namespace hyp {

// Returns true when the exit was handled here and the guest can be
// re-entered; false sends it on to handle_exit. An access the fast path
// declines (SGI generation, ICC_SRE_EL1, a GICv2 access without a valid
// syndrome) is handled there.
namespace {

// The exception classes fixup_guest_exit may finish: the GIC CPU
// interface's system registers (GICv3) and its MMIO frame (GICv2), and the
// lazy FP/SIMD switch's trap.
bool fast_path_class(arch::EC ec) {
    return ec == arch::EC::SysReg || ec == arch::EC::DataAbortLow || ec == arch::EC::FpAccess;
}

}  // namespace

bool fixup_guest_exit(KvmVcpu& v) {
    const arch::EC ec = arch::esr_ec(vcpu_esr(v));
    if (ec == arch::EC::FpAccess) return kvm_hyp_handle_fpsimd(v);
    if (!fast_path_class(ec)) return false;
    vgic::Vgic* gic = vgic::vgic_of(v.kvm());
    if (!gic) return false;
    return ec == arch::EC::SysReg ? vgic::vgic_v3_perform_cpuif_access(v, *gic)
                                  : vgic::vgic_v2_perform_cpuif_access(v, *gic);
}

namespace {

// Only what the fast path may finish is looked at here; the run loop deals
// with (and traces) every other exit.
bool may_fix_up(KvmVcpu& v, cpu::Stop stop) {
    return stop == cpu::Stop::Trap && fast_path_class(arch::esr_ec(vcpu_esr(v)));
}

// kvm_vcpu_run_switch from the first exit the fast path may finish (the
// run of `before` retired instructions having stopped with `stop`), apart
// so that a run that ends otherwise (a debugger's step) pays for none of it.
[[gnu::noinline]] cpu::Stop fix_up_and_reenter(KvmVcpu& v, uint64_t quantum, uint64_t before,
                                               cpu::Stop stop) {
    for (;;) {
        const bool tracing = bool(v.kvm().exit_trace);
        const uint64_t esr = vcpu_esr(v), pc = v.pc();
        const auto t0 = tracing ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
        if (!fixup_guest_exit(v)) return stop;
        if (tracing) {
            const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                std::chrono::steady_clock::now() - t0);
            v.kvm().exit_trace({v.id(), uint8_t(arch::esr_ec(esr)), arch::esr_iss(esr), pc,
                                ExitHandledBy::FastPath, uint64_t(ns.count())});
        }
        // `exit` strategy: the run loop reports the step the fast path ended;
        // kCatchExceptions: it reports the trap.
        const bool emulated = arch::esr_ec(esr) != arch::EC::FpAccess;
        if (emulated) caught_hyp_trap(v, esr, pc);
        if (v.debug_state.step_exit_pending || v.debug_state.el2_caught) return cpu::Stop::Irq;
        const uint64_t ran = v.cpu().retired() - before + (emulated ? 1 : 0);
        if (ran >= quantum) return cpu::Stop::Irq;  // the "host timer" fired
        quantum -= ran;
        before = v.cpu().retired();
        stop = v.cpu().run(quantum);
        if (!may_fix_up(v, stop)) return stop;
    }
}

}  // namespace

// One world switch (Linux: __kvm_vcpu_run's loop around __guest_enter):
// runs the guest and re-enters at once after every exit the fast path
// finishes. The quantum is shared by the re-entries, each emulated
// instruction counting as one, so a guest that keeps trapping still hands
// control back to the run loop (to poll immediate_exit) within a quantum.
// The FP/SIMD trap completes nothing (the guest re-runs the instruction,
// which ends no step and is no exception a debugger catches) and comes at
// most once per run(). Each exit it finishes is one exit-trace event
// (handled by FastPath).
cpu::Stop kvm_vcpu_run_switch(KvmVcpu& v, uint64_t quantum) {
    const uint64_t before = v.cpu().retired();
    const cpu::Stop stop = v.cpu().run(quantum);
    if (!may_fix_up(v, stop)) [[likely]]
        return stop;
    return fix_up_and_reenter(v, quantum, before, stop);
}

}  // namespace hyp
