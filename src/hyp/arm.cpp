// The vcpu run loop (Linux: kvm_arch_vcpu_ioctl_run in arch/arm64/kvm/arm.c).
#include <atomic>
#include <chrono>
#include <thread>

#include <fmt/format.h>

#include "hyp/emulate.h"
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

}  // namespace

// Runs the vcpu until an exit userspace must see. In order, as Linux does:
// complete a pending userspace MMIO access, honour immediate_exit, then
// world-switch and handle exits until one goes to userspace.
Result<void> KvmVcpu::run() {
    if (!initialized) return Error{fmt::format("vcpu {}: run before init", id_)};
    if (mmio_needed) {
        mmio_needed = false;
        handle_mmio_return(*this);
    }
    for (;;) {
        if (immediate_exit_requested(*this)) {
            run_.exit_reason = kvm::ExitReason::Intr;
            return {};
        }
        if (power_off) {
            // Nothing can wake a powered-off vcpu in a single-vcpu VM; wait for
            // userspace to ask for an exit.
            wait_for_immediate_exit(*this);
            continue;
        }
        IrqChip* chip = kvm_.irqchip();
        if (chip) chip->flush_hwstate(*this);
        // The world switch; exits the fast path finishes re-enter at once,
        // before the interrupt state is synced (__kvm_vcpu_run).
        cpu::Stop stop;
        do stop = cpu_.run(kRunQuantum);
        while (stop == cpu::Stop::Trap && fixup_guest_exit(*this));
        if (chip) chip->sync_hwstate(*this);
        switch (stop) {
        case cpu::Stop::Irq:
            continue;  // the host timer fired: poll and re-enter
        case cpu::Stop::NoProgress:
            report_no_progress(*this);
            return {};
        case cpu::Stop::Trap:
            if (handle_exit(*this) == ExitAction::ExitToUser) return {};
            continue;
        }
    }
}

}  // namespace hyp
