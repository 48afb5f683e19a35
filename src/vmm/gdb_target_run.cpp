// GdbTarget: resuming, stopping, kill and detach. All-stop: the vcpus gdb
// resumes run in the VMM's round-robin loop, the stepped one (SINGLESTEP)
// first; the others gdb leaves out stay where they are.
#include <algorithm>
#include <atomic>
#include <cstring>

#include <fmt/format.h>

#include "arch/esr.h"
#include "vmm/gdb_target.h"

namespace vmm {

namespace {

using gdb::StopKind;

// Instructions between two looks at the socket: about a millisecond of
// guest time, so Ctrl-C answers at once without slowing the guest.
constexpr uint64_t kPollSlice = 100'000;

bool same(const kvm::GuestDebugSettings& a, const kvm::GuestDebugSettings& b) {
    return a.control == b.control && std::memcmp(&a.arch, &b.arch, sizeof a.arch) == 0;
}

bool any_used(const auto& slots) {
    for (const auto& s : slots)
        if (s.used) return true;
    return false;
}

}  // namespace

kvm::Result<void> GdbTarget::apply_guest_debug(size_t i, bool step) {
    namespace dbg = kvm::guestdbg;
    kvm::GuestDebugSettings want;
    want.control = dbg::kEnable | dbg::kUseSwBp;
    if (!suspended_ && (any_used(hw_bps_) || any_used(watches_))) {
        want.control |= dbg::kUseHw;
        want.arch = debug_registers();
    }
    if (step) want.control |= dbg::kSingleStep | (opts_.step_irq_enter ? 0 : dbg::kBlockIrq);
    if (catch_ && !suspended_) want.control |= dbg::kCatchExceptions;
    if (applied_[i] && same(*applied_[i], want)) return {};
    auto r = machine_.vcpu(i).set_guest_debug(want);
    if (!r) return r;
    applied_[i] = want;
    after_catch_[i] = false;  // a new setting starts Active-not-pending
    return {};
}

kvm::Result<void> GdbTarget::apply_sw_breakpoints() {
    if (!sw_changed_) return {};
    std::vector<uint64_t> vas(sw_.begin(), sw_.end());
    if (suspended_) vas.clear();
    for (size_t i = 0; i < machine_.vcpu_count(); ++i)
        if (auto r = machine_.vcpu(i).set_sw_breakpoints(vas); !r) return r;
    sw_changed_ = false;
    return {};
}

void GdbTarget::set_breakpoints_suspended(bool on) {
    if (on == suspended_) return;
    suspended_ = on;
    sw_changed_ = true;
}

gdb::Status GdbTarget::resume(std::span<const gdb::ResumeAction> actions) {
    stepping_.reset();
    std::vector<size_t> continuing;
    for (size_t i = 0; i < machine_.vcpu_count(); ++i) {
        for (const gdb::ResumeAction& a : actions) {
            if (!a.thread.all() && a.thread.value != int64_t(i + 1)) continue;
            if (a.kind == gdb::ResumeKind::Step && !stepping_) stepping_ = i;
            if (a.kind == gdb::ResumeKind::Continue) continuing.push_back(i);
            break;
        }
    }
    // The stepped vcpu first: its step ends before the others' turn unless
    // it waits (WFI), when they run, as gdb's vCont;s:N;c asks.
    running_.clear();
    if (stepping_) running_.push_back(*stepping_);
    for (size_t i : continuing)
        if (stepping_ != i) running_.push_back(i);
    if (running_.empty()) return gdb::TargetError::Failed;
    auto r = apply_sw_breakpoints();
    for (size_t i = 0; r && i < machine_.vcpu_count(); ++i) r = apply_guest_debug(i, stepping_ == i);
    if (!r) {
        fmt::print(stderr, "stepvisor: gdb: {}\n", r.error().message);
        return gdb::TargetError::Failed;
    }
    resumed_once_ = true;
    return gdb::ok();
}

// A kick left from the last run (a packet gdb sent while it ran) is read by
// now: drop it and watch for what comes while the guest runs. (A serial
// input kick dropped here is taken at the next slice's INTR.)
void GdbTarget::rearm_waker() {
    if (!waker_) return;
    for (size_t i = 0; i < machine_.vcpu_count(); ++i)
        std::atomic_ref<uint8_t>(machine_.vcpu(i).run_state().immediate_exit)
            .store(0, std::memory_order_release);
    waker_->ack();
}

// Stopped, the guest needs no kick for the packets gdb sends until the
// next resume: the waker holds, so a stepi wakes no thread.
gdb::StopReason GdbTarget::wait_for_stop(const gdb::InterruptPoll& poll) {
    if (finished_) return finish(*finished_);
    rearm_waker();
    const gdb::StopReason stop = run_to_stop(poll);
    if (waker_) waker_->hold();
    return stop;
}

gdb::StopReason GdbTarget::run_to_stop(const gdb::InterruptPoll& poll) {
    for (;;) {
        RunControl ctl;
        ctl.vcpus = running_;
        ctl.debug_exits = true;
        ctl.poll = [&] {
            const bool stop = poll();
            if (waker_) waker_->ack();
            return stop;
        };
        ctl.slice = kPollSlice;
        ctl.until = until_;
        limit_reached_ = false;
        StopInfo info = machine_.run(ctl);
        if (info.reason == StopReason::InsnLimit && until_ != kvm::Vcpu::kNoInsnLimit) {
            limit_reached_ = true;
            gdb::StopReason stop;
            stop.thread = uint32_t(info.vcpu + 1);
            return stop;
        }
        const uint32_t thread = uint32_t(info.vcpu + 1);
        if (info.reason == StopReason::Debug) {
            if (auto stop = classify_debug(info.vcpu)) return *stop;
            continue;  // the guest's own BRK, given back to it
        }
        if (info.reason == StopReason::Interrupted) {
            gdb::StopReason stop;
            stop.signal = gdb::kSigInt;
            stop.thread = thread;
            return stop;
        }
        if (info.exit_status() != 0) fmt::print(stderr, "stepvisor: {}\n", info.message);
        finished_ = info;
        return finish(info);
    }
}

// The guest is done: powered off (gdb's "exited with code 0") or stopped by
// the VMM (gdb's "killed", with the reason on stderr).
gdb::StopReason GdbTarget::finish(const StopInfo& info) {
    gdb::StopReason r;
    r.thread = uint32_t(info.vcpu + 1);
    if (info.exit_status() == 0) {
        r.kind = StopKind::Exited;
        r.exit_code = 0;
        return r;
    }
    r.kind = StopKind::Killed;
    r.signal = gdb::kSigKill;
    return r;
}

std::optional<gdb::StopReason> GdbTarget::classify_debug(size_t i) {
    kvm::Vcpu& v = machine_.vcpu(i);
    const kvm::RunState::DebugArch d = v.run_state().debug;
    const uint64_t hsr = uint64_t(d.hsr_high) << 32 | d.hsr;
    const uint32_t thread = uint32_t(i + 1);
    gdb::StopReason stop;
    stop.thread = thread;
    if (d.caught != kvm::RunState::DebugArch::Caught::None) return caught_stop(i, d);
    const bool after_catch = after_catch_[i];
    after_catch_[i] = false;
    switch (arch::esr_ec(hsr)) {
    case arch::EC::BRK64: {
        auto pc = v.get_one_reg(kvm::reg::kPc);
        if (pc && sw_.contains(pc.value())) {
            stop.kind = StopKind::SwBreak;
            return stop;
        }
        // Not ours: the guest's own BRK goes to its EL1 vector.
        if (auto r = v.inject_debug_exception(d); !r)
            fmt::print(stderr, "stepvisor: gdb: {}\n", r.error().message);
        return std::nullopt;
    }
    case arch::EC::BreakpointLow: stop.kind = StopKind::HwBreak; return stop;
    case arch::EC::WatchpointLow:
        return watch_stop(thread, d.far, arch::esr_iss(hsr) & arch::watchpt::kWnR);
    case arch::EC::SoftStepLow:
        // The step pending since the catch stop ran nothing (ISV = 0): go on
        // to the step gdb asked for.
        if (after_catch && !(hsr & arch::sstep::kISV)) return std::nullopt;
        return stop;
    default: return stop;
    }
}

namespace {

// The vector offset's kind (D1.3.1, Table D1-7): IRQ and FIQ have no ESR.
const char* entry_kind(uint64_t vector) {
    static constexpr const char* kKinds[] = {"synchronous", "IRQ", "FIQ", "SError"};
    return kKinds[(vector >> 7) & 3];
}

std::string describe(const kvm::RunState::DebugArch& d) {
    const arch::EC ec = arch::esr_ec(d.esr);
    if (d.caught == kvm::RunState::DebugArch::Caught::El2)
        return fmt::format("exception: to the hypervisor, vector 0x{:x} (VBAR_EL2 offset), EC "
                           "0x{:02x} ({}), ESR 0x{:x}, at 0x{:x}, handled\n",
                           d.vector, unsigned(ec), arch::ec_name(ec), d.esr, d.elr);
    const bool sync = ((d.vector >> 7) & 3) == 0;
    if (!sync && d.esr == 0)
        return fmt::format("exception: vector 0x{:x} ({}), ELR 0x{:x}\n", d.vector,
                           entry_kind(d.vector), d.elr);
    return fmt::format("exception: vector 0x{:x} ({}), EC 0x{:02x} ({}), ESR 0x{:x}, ELR 0x{:x}\n",
                       d.vector, entry_kind(d.vector), unsigned(ec), arch::ec_name(ec), d.esr,
                       d.elr);
}

}  // namespace

gdb::StopReason GdbTarget::caught_stop(size_t i, const kvm::RunState::DebugArch& d) {
    gdb::StopReason stop;
    stop.thread = uint32_t(i + 1);
    stop.console = describe(d);
    last_exception_ = stop.console;
    after_catch_[i] = stepping_ == i;
    return stop;
}

// The watchpoint that fired: the slot whose bytes hold FAR (an access may
// start below the watched bytes; then the first slot it overlaps), its
// kind as gdb set it, and an address inside the watched range, which is
// what gdb matches its watchpoints against.
gdb::StopReason GdbTarget::watch_stop(uint32_t thread, uint64_t far, bool write) const {
    const Slot* hit = nullptr;
    for (const Slot& s : watches_) {
        if (!s.used) continue;
        if (far >= s.addr && far < s.addr + s.len) {
            hit = &s;
            break;
        }
        if (!hit && (far & ~7ull) == (s.addr & ~7ull)) hit = &s;
    }
    gdb::StopReason stop;
    stop.thread = thread;
    stop.kind = write ? StopKind::Watch : StopKind::ReadWatch;
    stop.watch_addr = far;
    if (hit) {
        if (hit->type == gdb::BreakpointType::AccessWatch) stop.kind = StopKind::AccessWatch;
        if (hit->type == gdb::BreakpointType::WriteWatch) stop.kind = StopKind::Watch;
        if (hit->type == gdb::BreakpointType::ReadWatch) stop.kind = StopKind::ReadWatch;
        if (far < hit->addr || far >= hit->addr + hit->len) stop.watch_addr = hit->addr;
    }
    return stop;
}

// A guest asleep in WFI with nothing pending is woken by wake_fd (the
// listener: a gdb connecting).
StopInfo GdbTarget::run_detached(const std::function<bool()>& poll, int wake_fd) {
    const std::unique_ptr<InputWaker> waker = machine_.waker_for(wake_fd);
    RunControl ctl;
    ctl.slice = 100'000;
    ctl.poll = [&] {
        waker->ack();
        return poll();
    };
    return machine_.run(ctl);
}

void GdbTarget::begin_session(int wake_fd) {
    detach();  // what the last gdb left, if it vanished without 'D'
    stepping_.reset();
    running_.clear();
    std::fill(after_catch_.begin(), after_catch_.end(), 0);
    catch_ = false;
    physical_ = false;
    last_exception_.clear();
    waker_ = wake_fd >= 0 ? machine_.waker_for(wake_fd) : nullptr;
}

// The session ends with kill or detach. The waker goes first: its thread
// polls the connection, and a socket being polled is not released when the
// session closes it, so gdb would never see the connection end.
void GdbTarget::kill() {
    killed_ = true;
    waker_.reset();
    remove_all_breakpoints();
}

// No breakpoints, debug off: the guest runs on as without gdb.
void GdbTarget::detach() {
    waker_.reset();
    remove_all_breakpoints();
    if (auto r = apply_sw_breakpoints(); !r)
        fmt::print(stderr, "stepvisor: gdb: {}\n", r.error().message);
    for (size_t i = 0; i < machine_.vcpu_count(); ++i) {
        if (auto r = machine_.vcpu(i).set_guest_debug({}); !r)
            fmt::print(stderr, "stepvisor: gdb: {}\n", r.error().message);
        applied_[i].reset();
    }
}

}  // namespace vmm
