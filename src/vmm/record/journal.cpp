#include "vmm/record/journal.h"

#include <algorithm>

#include <fmt/format.h>

#include "vmm/virtio/rng.h"

namespace vmm::record {

namespace {

constexpr uint64_t kNone = kvm::Vcpu::kNoInsnLimit;
// Input left in the host (the serial queue was full) is looked at again
// this many instructions later.
constexpr uint64_t kInputRetry = uint64_t(1) << 16;

std::string where(const Position& p) {
    return fmt::format("instruction {} (exception entry {})", p.retired, p.entries);
}

// An end the person or the debugger made: a replay stops there by count.
bool ended_from_outside(uint8_t reason) {
    const auto r = StopReason(reason);
    return r == StopReason::Quit || r == StopReason::Interrupted;
}

}  // namespace

std::shared_ptr<Journal> Journal::recorder(RecordingWriter writer) {
    return std::shared_ptr<Journal>(new Journal(std::move(writer), std::nullopt));
}

std::shared_ptr<Journal> Journal::replayer(Recording recording) {
    Replay r{std::move(recording)};
    auto j = std::shared_ptr<Journal>(new Journal(std::nullopt, std::move(r)));
    j->replay_->next_stop_input = j->skip_to_stop_input(0);
    return j;
}

size_t Journal::skip_to_stop_input(size_t i) const {
    const auto& in = replay_->rec.inputs;
    while (i < in.size() && in[i].at != At::Stop) ++i;
    return i;
}

uint64_t Journal::stop_at() const {
    if (!replay_) return std::min(input_at_, hash_at_);
    const Replay& r = *replay_;
    uint64_t at = kNone;
    if (r.next_stop_input < r.rec.inputs.size()) at = r.rec.inputs[r.next_stop_input].pos.retired;
    if (checks_ && r.next_hash < r.rec.hashes.size()) at = std::min(at, r.rec.hashes[r.next_hash].pos.retired);
    if (ended_from_outside(r.rec.end.reason)) at = std::min(at, r.rec.end.pos.retired);
    return at;
}

bool Journal::at_stop(StopInfo& info, bool user_limit) {
    if (diverged_) {
        info = {StopReason::VmmError, *failure_, info.vcpu};
        return false;
    }
    return replay_ ? replay_stop(info, user_limit) : record_stop(info, user_limit);
}

void Journal::write(kvm::Result<void> r) {
    if (!r && !failure_) failure_ = r.error().message;
}

void Journal::take_input(const Position& p) {
    std::vector<uint8_t> bytes;
    const bool drained = machine_->take_serial_input(bytes);
    if (!bytes.empty()) write(writer_->input({p, Source::Serial, At::Stop, bytes}));
    machine_->inject_serial_input(bytes);
    input_at_ = drained ? kNone : p.retired + kInputRetry;
}

bool Journal::record_stop(StopInfo& info, bool user_limit) {
    const Position p = machine_->position();
    bool own = false;
    if (info.reason == StopReason::Interrupted && kicked_) {
        kicked_ = false;
        own = true;
        // Waiting for userspace alone, the vcpus stand where a stop by count
        // stands (the first boundary at this count): take the input here.
        if (machine_->waits_for_userspace()) take_input(p);
        else input_at_ = std::min(input_at_, p.retired + 1);
    } else if (info.reason == StopReason::InsnLimit && p.retired == stop_at()) {
        own = !user_limit;
        if (p.retired == input_at_) take_input(p);
        if (p.retired == hash_at_) {
            const auto now = std::chrono::steady_clock::now();
            if (now - last_hash_ >= kHashPeriod) {
                write(writer_->hash({p, machine_->state_hash()}));
                last_hash_ = now;
            }
            hash_at_ += kHashEvery;
        }
    }
    if (failure_) {
        info = {StopReason::VmmError, fmt::format("--record: {}", *failure_), info.vcpu};
        return false;
    }
    return own;
}

void Journal::diverge(std::string what) {
    if (diverged_) return;
    diverged_ = true;
    failure_ = fmt::format("replay diverged from the recording: {}", what);
}

bool Journal::replay_stop(StopInfo& info, bool user_limit) {
    if (info.reason != StopReason::InsnLimit) return false;
    Replay& r = *replay_;
    const Position p = machine_->position();
    if (p.retired != stop_at()) return false;
    auto& inputs = r.rec.inputs;
    while (r.next_stop_input < inputs.size() && inputs[r.next_stop_input].pos.retired == p.retired) {
        const Input& in = inputs[r.next_stop_input];
        if (in.pos != p)
            diverge(fmt::format("the recording took serial input at {}, this run stands at {}",
                                where(in.pos), where(p)));
        machine_->inject_serial_input(in.bytes);
        r.next_stop_input = skip_to_stop_input(r.next_stop_input + 1);
    }
    while (checks_ && r.next_hash < r.rec.hashes.size() && r.rec.hashes[r.next_hash].pos.retired == p.retired) {
        const Hash& h = r.rec.hashes[r.next_hash++];
        if (h.pos != p)
            diverge(fmt::format("the recording hashed its state at {}, this run stands at {}",
                                where(h.pos), where(p)));
        else if (h.state != machine_->state_hash())
            diverge(fmt::format("the machine state at {} differs from the recording's (state hash "
                                "{:016x}, recorded {:016x})",
                                where(p), machine_->state_hash(), h.state));
    }
    if (diverged_) {
        info = {StopReason::VmmError, *failure_, info.vcpu};
        return false;
    }
    if (ended_from_outside(r.rec.end.reason) && p.retired == r.rec.end.pos.retired) {
        info = {StopReason(r.rec.end.reason), r.rec.end.message, info.vcpu};
        return false;
    }
    return !user_limit;
}

void Journal::entropy(std::span<uint8_t> out) {
    const Position p = machine_->position();
    if (!replay_) {
        virtio::Rng::host_entropy()(out);
        write(writer_->input({p, Source::Rng, At::Inline, {out.begin(), out.end()}}));
        return;
    }
    auto& inputs = replay_->rec.inputs;
    size_t& i = replay_->next_inline;
    while (i < inputs.size() && !(inputs[i].at == At::Inline && inputs[i].source == Source::Rng)) ++i;
    if (i == inputs.size() || inputs[i].pos != p || inputs[i].bytes.size() != out.size()) {
        diverge(i == inputs.size()
                    ? fmt::format("the guest asked for entropy at {}, the recording has no more",
                                  where(p))
                    : fmt::format("the guest asked for {} bytes of entropy at {}, the recording "
                                  "gave {} at {}",
                                  out.size(), where(p), inputs[i].bytes.size(), where(inputs[i].pos)));
        std::fill(out.begin(), out.end(), 0);
        machine_->kick();
        return;
    }
    std::copy(inputs[i].bytes.begin(), inputs[i].bytes.end(), out.begin());
    ++i;
}

void Journal::finish(StopInfo& info) {
    const Position p = machine_->position();
    if (!replay_) {
        write(writer_->end({p, uint8_t(info.reason), info.exit_status(), machine_->state_hash(), info.message}));
        if (failure_ && info.reason != StopReason::VmmError)
            info = {StopReason::VmmError, fmt::format("--record: {}", *failure_), info.vcpu};
        return;
    }
    if (diverged_ || !checks_) return;
    const End& e = replay_->rec.end;
    if (p != e.pos || info.reason != StopReason(e.reason))
        diverge(fmt::format("the recording ended at {} ({}), this run at {} ({})", where(e.pos),
                            e.message.empty() ? "powered off" : e.message, where(p),
                            info.message.empty() ? "powered off" : info.message));
    else if (machine_->state_hash() != e.state)
        diverge(fmt::format("the final machine state at {} differs from the recording's (state "
                            "hash {:016x}, recorded {:016x})",
                            where(p), machine_->state_hash(), e.state));
    else if (replay_->next_stop_input < replay_->rec.inputs.size())
        diverge(fmt::format("the run ended with recorded input left, the next at {}",
                            where(replay_->rec.inputs[replay_->next_stop_input].pos)));
    if (diverged_) info = {StopReason::VmmError, *failure_, info.vcpu};
}

}  // namespace vmm::record
