#include "vmm/vcpu_loop.h"

#include <algorithm>

#include <fmt/format.h>

namespace vmm {

namespace {

ExitOutcome resume() { return {}; }

ExitOutcome stop(StopReason reason, std::string message) {
    return {ExitOutcome::Action::Stop, StopInfo{reason, std::move(message)}};
}

std::string pc_text(ExitContext& ctx) {
    return ctx.pc ? fmt::format("{:#x}", ctx.pc()) : std::string("unknown");
}

ExitOutcome handle_mmio(kvm::RunState::Mmio& mmio, ExitContext& ctx) {
    // The hypervisor only reports 1-, 2-, 4- and 8-byte accesses; anything
    // else is an API bug, not a guest's doing.
    if (mmio.len == 0 || mmio.len > sizeof mmio.data || (mmio.len & (mmio.len - 1)) != 0)
        return stop(StopReason::VmmError,
                    fmt::format("MMIO exit with invalid length {} at IPA {:#x}", mmio.len,
                                mmio.phys_addr));
    Direction dir = mmio.is_write ? Direction::Write : Direction::Read;
    ctx.bus.access(dir, mmio.phys_addr, std::span<uint8_t>(mmio.data, mmio.len));
    return resume();
}

ExitOutcome handle_system_event(const kvm::RunState::SystemEvent& ev) {
    switch (ev.type) {
    case kvm::SystemEventType::Shutdown: return stop(StopReason::PoweredOff, "guest powered off");
    case kvm::SystemEventType::Reset:
        // The machine reboots unless told not to (Machine::run, --no-reboot).
        return stop(StopReason::Reset, "guest requested a reset; stopping (--no-reboot)");
    case kvm::SystemEventType::Crash:
        return stop(StopReason::GuestError, "guest stopped: guest reported a crash");
    }
    return stop(StopReason::VmmError,
                fmt::format("guest stopped: unknown system event type {}", uint32_t(ev.type)));
}

}  // namespace

ExitOutcome handle_exit(kvm::RunState& run, ExitContext& ctx) {
    using kvm::ExitReason;
    switch (run.exit_reason) {
    case ExitReason::Mmio: return handle_mmio(run.mmio, ctx);
    case ExitReason::SystemEvent: return handle_system_event(run.system_event);
    case ExitReason::Intr: return resume();  // a signal interrupted run(): go on
    case ExitReason::ArmNisv:
        return stop(StopReason::GuestError,
                    fmt::format("guest stopped: MMIO access without instruction syndrome at IPA "
                                "{:#x} (ESR ISS {:#x}) at PC {}",
                                run.arm_nisv.fault_ipa, run.arm_nisv.esr_iss, pc_text(ctx)));
    case ExitReason::InternalError:
        if (run.internal.description.empty())
            return stop(StopReason::GuestError,
                        fmt::format("guest stopped: internal error (suberror {:#x}) at PC {}",
                                    uint32_t(run.internal.suberror), pc_text(ctx)));
        return stop(StopReason::GuestError,
                    fmt::format("guest stopped: {}", run.internal.description));
    case ExitReason::FailEntry:
        return stop(StopReason::VmmError,
                    fmt::format("guest stopped: FAIL_ENTRY (hardware entry failure reason {:#x}, "
                                "cpu {})",
                                run.fail_entry.hardware_entry_failure_reason,
                                run.fail_entry.cpu));
    case ExitReason::Debug:
        // Nobody asked for guest debugging yet: the gdb stub will.
        return stop(StopReason::VmmError,
                    fmt::format("guest stopped: unexpected DEBUG exit (ESR {:#x}) at PC {}",
                                run.debug.hsr, pc_text(ctx)));
    case ExitReason::Unknown: break;
    }
    return stop(StopReason::VmmError,
                fmt::format("guest stopped: unexpected exit {} ({}) at PC {}",
                            kvm::exit_reason_name(run.exit_reason), uint32_t(run.exit_reason),
                            pc_text(ctx)));
}

uint64_t VcpuLoop::retired() const {
    uint64_t n = 0;
    for (const kvm::Vcpu* v : vcpus_) n += v->retired_insns();
    return n;
}

uint64_t VcpuLoop::limit_for(size_t i, uint64_t done) {
    kvm::Vcpu& v = *vcpus_[i];
    uint64_t limit = opts_.max_insns == kvm::Vcpu::kNoInsnLimit
                         ? kvm::Vcpu::kNoInsnLimit
                         : v.retired_insns() + (opts_.max_insns - done);
    if (opts_.insn_trace) limit = std::min(limit, opts_.insn_trace->begin(i, v));
    if (opts_.slice != kvm::Vcpu::kNoInsnLimit)
        limit = std::min(limit, v.retired_insns() + opts_.slice);
    return limit;
}

StopInfo VcpuLoop::run() {
    std::vector<ExitContext> ctx;
    for (kvm::Vcpu* v : vcpus_)
        ctx.push_back({bus_, [v] {
                           auto pc = v->get_one_reg(kvm::reg::kPc);
                           return pc ? pc.value() : 0;
                       }});
    const uint64_t start = retired();
    StopInfo info;
    size_t i = opts_.first < vcpus_.size() ? opts_.first : 0;
    while (state_ == VcpuState::Running) {
        kvm::Vcpu& v = *vcpus_[i];
        const uint64_t done = retired() - start;
        if (done >= opts_.max_insns) {
            info = {StopReason::InsnLimit, fmt::format("stopped after {} instructions", done), i};
            state_ = VcpuState::Finished;
            break;
        }
        v.set_insn_limit(limit_for(i, done));
        if (auto r = v.run(); !r) {
            info = {StopReason::VmmError, fmt::format("vcpu run failed: {}", r.error().message)};
            state_ = VcpuState::Finished;
            break;
        }
        if (opts_.debug_exits && v.run_state().exit_reason == kvm::ExitReason::Debug) {
            if (opts_.insn_trace) opts_.insn_trace->end(i, v);
            info = {StopReason::Debug, "DEBUG exit", i};
            state_ = VcpuState::Finished;
            break;
        }
        ExitOutcome out = handle_exit(v.run_state(), ctx[i]);
        if (opts_.insn_trace) opts_.insn_trace->end(i, v);
        if (v.run_state().exit_reason == kvm::ExitReason::Intr) {
            if (on_intr_) on_intr_();
            if (opts_.poll && opts_.poll()) {
                info = {StopReason::Interrupted, "interrupted by the debugger", i};
                state_ = VcpuState::Finished;
                break;
            }
            if (v.yielded()) i = (i + 1) % vcpus_.size();
        }
        if (out.action == ExitOutcome::Action::Stop) {
            info = std::move(out.stop);
            info.vcpu = i;
            state_ = VcpuState::Finished;
        }
    }
    return info;
}

}  // namespace vmm
