// The vcpu run loop (Linux: kvm_arch_vcpu_ioctl_run in arch/arm64/kvm/arm.c).
//
// Several vcpus share one host thread: each run() is KVM_RUN for one vcpu,
// and userspace round-robins. A vcpu gives the thread back by returning
// INTR, as KVM_RUN does when a host signal arrives: when its quantum
// (Kvm::vcpu_quantum instructions) is used up, or when it waits (WFI, WFE,
// CPU_OFF) while another vcpu could run. Time is the VM's (Kvm::now), so a
// run is reproducible from its inputs and the order userspace runs vcpus in.
// An instruction limit (insn_limit) ends run() with INTR after exactly that
// many retired instructions: no world switch is given a larger budget.
#include <atomic>
#include <chrono>
#include <thread>

#include <fmt/format.h>

#include "cpu/features.h"
#include "cpu/timer.h"
#include "hyp/emulate.h"
#include "hyp/id_regs.h"
#include "hyp/switch.h"

namespace hyp {

bool immediate_exit_requested(KvmVcpu& v) {
    // Userspace may set immediate_exit from a signal handler while run() is
    // inside this loop; read it through an atomic view.
    return std::atomic_ref<uint8_t>(v.run_state().immediate_exit).load(std::memory_order_relaxed);
}

void wait_for_immediate_exit(KvmVcpu& v) {
    while (!immediate_exit_requested(v)) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

// IdleClock::RealTime and Paced: the host waits as long as the guest's clock has to
// go to `deadline` (polling immediate_exit each millisecond, as
// wait_for_immediate_exit does), then the clock moves on by the host time
// waited, to the deadline at most (Paced: only a whole wait moves it).
void idle_in_real_time(KvmVcpu& v, uint64_t deadline) {
    using namespace std::chrono;
    const uint64_t start = v.kvm().now();
    // Far-off deadlines (a timer years ahead) wait in one-hour pieces.
    const uint64_t ticks = std::min<uint64_t>(deadline - start, 3600 * cpu::kCounterFrequencyHz);
    const nanoseconds span{ticks * (1'000'000'000 / cpu::kCounterFrequencyHz)};
    const auto t0 = steady_clock::now();
    nanoseconds waited{0};
    while (waited < span && !immediate_exit_requested(v)) {
        std::this_thread::sleep_for(std::min<nanoseconds>(milliseconds(1), span - waited));
        waited = duration_cast<nanoseconds>(steady_clock::now() - t0);
    }
    if (waited < span && v.kvm().idle_clock == kvm::IdleClock::Paced) return;
    const uint64_t elapsed = uint64_t(waited.count()) / (1'000'000'000 / cpu::kCounterFrequencyHz);
    v.kvm().advance_to(start + std::min(ticks, elapsed));
}

const char* exit_handled_by_name(ExitHandledBy h) {
    switch (h) {
    case ExitHandledBy::FastPath: return "fast-path";
    case ExitHandledBy::HandleExit: return "handle_exit";
    case ExitHandledBy::Userspace: return "userspace";
    case ExitHandledBy::Host: return "host";
    }
    return "?";
}

namespace {

void report_no_progress(KvmVcpu& v) {
    const cpu::ProgressInfo& p = v.cpu().no_progress_info();
    auto& run = v.run_state();
    run.exit_reason = kvm::ExitReason::InternalError;
    run.internal.suberror = kvm::InternalError::NoProgress;
    run.internal.ndata = 3;
    run.internal.data[0] = p.vector;
    run.internal.data[1] = p.esr;
    run.internal.data[2] = p.elr;
    run.internal.description = fmt::format(
        "no progress: {} exception entries to vector {:#x} without retiring an instruction "
        "(ESR {:#x} {}, ELR {:#x})",
        cpu::kNoProgressLimit, p.vector, p.esr, arch::ec_name(arch::esr_ec(p.esr)), p.elr);
}

uint64_t host_ns() {
    return uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(
                        std::chrono::steady_clock::now().time_since_epoch())
                        .count());
}

// Instructions the next world switch may run: the rest of the quantum, cut
// at the next timer deadline when an irqchip will deliver it, so the
// interrupt arrives at the same count on every run; and at the instruction
// limit (run() checked that it lies ahead).
uint64_t entry_budget(KvmVcpu& v) {
    uint64_t budget = std::min({v.quantum_left, kRunQuantum, v.insn_limit - v.cpu().retired()});
    if (v.kvm().irqchip()) {
        const uint64_t now = cpu::physical_count(v.cpu()), d = v.cpu().next_timer_deadline();
        if (d != cpu::kNoTimerDeadline && d > now) budget = std::min(budget, d - now);
    }
    return budget;
}

// What the world switch's stop means for run(); true when it returns to
// userspace (run_state().exit_reason says why).
bool handle_stop(KvmVcpu& v, cpu::Stop stop) {
    switch (stop) {
    case cpu::Stop::Irq:
        // kCatchExceptions: an EL1 entry or a fast-path trap to report.
        if (report_caught_exception(v)) return true;
        // The host timer or the quantum: poll, then go on or hand over.
        if (v.quantum_left == 0 && v.kvm().other_runnable(v)) {
            v.run_state().exit_reason = kvm::ExitReason::Intr;
            return true;
        }
        return false;
    case cpu::Stop::NoProgress:
        report_no_progress(v);
        return true;
    case cpu::Stop::Trap: {
        const uint64_t esr = vcpu_esr(v), pc = v.pc();
        if (handle_exit(v) == ExitAction::ExitToUser) return true;
        // kCatchExceptions: the trap, handled here, is reported.
        caught_hyp_trap(v, esr, pc);
        return report_caught_exception(v);
    }
    }
    return false;
}

// handle_stop with one exit-trace event: the syndrome and PC as the exit
// left them, who dealt with it and the host time it took.
bool handle_stop_traced(KvmVcpu& v, cpu::Stop stop) {
    ExitEvent ev{v.id(), 0, 0, v.pc(), ExitHandledBy::Host, 0};
    if (stop == cpu::Stop::Trap) {
        ev.ec = uint8_t(arch::esr_ec(vcpu_esr(v)));
        ev.iss = arch::esr_iss(vcpu_esr(v));
        if (arch::EC(ev.ec) == arch::EC::DataAbortLow) ev.ipa = fault_ipa(v);
        ev.handled_by = ExitHandledBy::HandleExit;
    }
    const uint64_t t0 = host_ns();
    const bool to_user = handle_stop(v, stop);
    // A trap caught for the debugger was still handled here.
    const bool caught_trap = stop == cpu::Stop::Trap &&
                             v.run_state().exit_reason == kvm::ExitReason::Debug &&
                             v.run_state().debug.caught == kvm::RunState::DebugArch::Caught::El2;
    if (to_user && !caught_trap) ev.handled_by = ExitHandledBy::Userspace;
    ev.ns = host_ns() - t0;
    v.kvm().exit_trace(ev);
    return to_user;
}

}  // namespace

void KvmVcpu::sync_clock() {
    const uint64_t c = cpu::physical_count(cpu_);
    if (kvm_.now() > c) cpu_.advance_count(kvm_.now() - c);
}

bool KvmVcpu::wake_pending() {
    sync_clock();
    constexpr uint64_t kVirtualLines = cpu::hcr::kVI | cpu::hcr::kVF | cpu::hcr::kVSE;
    if (cpu_.timer_line(cpu::Timer::Virtual) || cpu_.timer_line(cpu::Timer::Physical)) return true;
    if (cpu_.state().el2.hcr & kVirtualLines) return true;
    IrqChip* chip = kvm_.irqchip();
    return chip && chip->vcpu_pending_irq(*this);
}

bool KvmVcpu::runnable() {
    return initialized && !power_off && (!halted || wake_pending());
}

// kvm_vcpu_first_run_init: from now on the VM's ID registers are fixed,
// and the PE executes what they advertise (features_from_id) — which a real
// PE under KVM would not: it executes all it has, whatever the VM's
// registers say (docs/architecture-choices.md, "CPU models").
void KvmVcpu::first_run_init() {
    namespace sr = arch::sysreg;
    kvm_.mark_ran();
    cpu_.set_features(cpu::features_from_id(read_id_reg(*this, sr::ID_AA64ISAR0_EL1),
                                            read_id_reg(*this, sr::ID_AA64ISAR1_EL1),
                                            read_id_reg(*this, sr::ID_AA64MMFR0_EL1)));
    ran_ = true;
}

// Runs the vcpu until an exit userspace must see, the host owning the
// FP/SIMD registers on entry and again on return (vcpu_load/vcpu_put).
Result<void> KvmVcpu::run() {
    if (!initialized) return Error{fmt::format("vcpu {}: run before init", id_)};
    if (!ran_) first_run_init();
    kvm_arch_vcpu_load_fp(*this);
    Result<void> r = run_loop();
    kvm_arch_vcpu_put_fp(*this);
    // Back to userspace for the debugger or the VMM's own reasons (a kick,
    // an instruction limit, a debug exit): the guest does not see that
    // exit, so the next entry keeps its exclusive monitor
    // (docs/architecture-choices.md); an MMIO or other exit the guest
    // caused clears it, as hardware's ERET does.
    const auto why = run_.exit_reason;
    invisible_exit_ = (why == kvm::ExitReason::Intr || why == kvm::ExitReason::Debug) &&
                      kvm_.step_strategy != kvm::StepStrategy::Legacy;
    return r;
}

// In order, as Linux does: complete a pending userspace MMIO access, honour
// immediate_exit, then world-switch and handle exits until one goes to
// userspace. A vcpu that cannot run yields to one that can, or sleeps in
// virtual time.
Result<void> KvmVcpu::run_loop() {
    if (mmio_needed) {
        mmio_needed = false;
        handle_mmio_return(*this);
    }
    for (;;) {
        if (immediate_exit_requested(*this)) {
            // As a signal ends kvm_vcpu_halt: the WFI has already completed
            // (PC + 4), so the next run() goes on from there. A round-robin
            // hand-over below keeps the vcpu halted instead, and so does
            // Cap::KickKeepsHalt.
            if (!kvm_.kick_keeps_halt) halted = false;
            run_.exit_reason = kvm::ExitReason::Intr;
            return {};
        }
        if (cpu_.retired() >= insn_limit) {
            // Not a hand-over: the vcpu keeps its turn, and its next entry
            // starts the fresh quantum that run_guest would have started.
            if (quantum_left == 0) quantum_left = kvm_.vcpu_quantum;
            run_.exit_reason = kvm::ExitReason::Intr;
            return {};
        }
        if (runnable()) {
            halted = false;
            if (debug_state.step_exit_pending && report_pending_step(*this)) return {};
            if (run_guest()) return {};
            continue;
        }
        if (kvm_.other_runnable(*this)) {
            quantum_left = 0;
            run_.exit_reason = kvm::ExitReason::Intr;
            return {};
        }
        // Nothing can run: on to the next deadline, or wait for userspace.
        const uint64_t deadline = kvm_.next_halt_deadline();
        if (deadline == cpu::kNoTimerDeadline) wait_for_immediate_exit(*this);
        else if (kvm_.idle_clock != kvm::IdleClock::Warp) idle_in_real_time(*this, deadline);
        else kvm_.advance_to(deadline);
    }
}

// One world switch and its exit; true when run() returns to userspace
// (run_.exit_reason says why).
bool KvmVcpu::run_guest() {
    sync_clock();
    if (quantum_left == 0) quantum_left = kvm_.vcpu_quantum;
    IrqChip* chip = kvm_.irqchip();
    if (chip) chip->flush_hwstate(*this);
    const uint64_t before = cpu_.retired();
    setup_debug(*this);
    if (invisible_exit_) cpu_.set_preserve_monitor_on_entry(true);
    invisible_exit_ = false;
    const cpu::Stop stop = kvm_vcpu_run_switch(*this, entry_budget(*this));
    clear_debug(*this);
    quantum_left -= std::min(quantum_left, cpu_.retired() - before);
    kvm_.advance_to(cpu::physical_count(cpu_));
    if (chip) chip->sync_hwstate(*this);
    if (kvm_.exit_trace) [[unlikely]] return handle_stop_traced(*this, stop);
    return handle_stop(*this, stop);
}

}  // namespace hyp
