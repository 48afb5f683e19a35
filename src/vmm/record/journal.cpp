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
    return std::shared_ptr<Journal>(new Journal(std::nullopt, std::move(r)));
}

const Input* Journal::Replay::at(Source s, At a) {
    size_t& i = cursor(s, a);
    while (i < rec.inputs.size() && (rec.inputs[i].source != s || rec.inputs[i].at != a)) ++i;
    return i < rec.inputs.size() ? &rec.inputs[i] : nullptr;
}

uint64_t Journal::stop_at() const {
    if (!replay_) return std::min(input_at_, hash_at_);
    Replay& r = const_cast<Replay&>(*replay_);  // the cursors only skip ahead
    uint64_t at = kNone;
    for (Source s : {Source::Serial, Source::Net})
        if (const Input* in = r.at(s, At::Stop)) at = std::min(at, in->pos.retired);
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
    in_stop_ = true;
    std::vector<uint8_t> bytes;
    const bool drained = machine_->take_serial_input(bytes);
    if (!bytes.empty()) write(writer_->input({p, Source::Serial, At::Stop, bytes}));
    machine_->inject_serial_input(bytes);
    // The network's poll also moves frames waiting in the device to buffers
    // the driver added without a notify: a replay polls here too, so the
    // poll is recorded even when it brought nothing (an empty packet).
    net_logged_ = false;
    machine_->poll_devices();
    if (has_net_ && !net_logged_) write(writer_->input({p, Source::Net, At::Stop, {}}));
    in_stop_ = false;
    input_at_ = drained ? kNone : p.retired + kInputRetry;
}

void Journal::net_frame(std::span<const uint8_t> frame) {
    net_logged_ = true;
    write(writer_->input({machine_->position(), Source::Net, in_stop_ ? At::Stop : At::Inline,
                          {frame.begin(), frame.end()}}));
}

void Journal::net_frames(const std::function<void(std::span<const uint8_t>)>& give) {
    const Position p = machine_->position();
    const At a = in_stop_ ? At::Stop : At::Inline;
    for (const Input* in = replay_->at(Source::Net, a); in && in->pos.retired <= p.retired;
         in = replay_->advance(Source::Net, a)) {
        if (!due(in, p, "a packet")) return;
        if (!in->bytes.empty()) give(in->bytes);
    }
}

bool Journal::due(const Input* in, const Position& p, std::string_view what) {
    if (in->pos == p) return true;
    diverge(fmt::format("the recording took {} at {}, this run stands at {}", what, where(in->pos),
                        where(p)));
    machine_->kick();
    return false;
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
    in_stop_ = true;
    for (const Input* in = r.at(Source::Serial, At::Stop); in && in->pos.retired == p.retired;
         in = r.advance(Source::Serial, At::Stop))
        if (due(in, p, "serial input")) machine_->inject_serial_input(in->bytes);
    // The recording polled the network here: its frames come out of the
    // poll. A device not yet live polled nothing then and polls nothing now
    // (its marker, an empty packet, stays behind: passed over).
    if (const Input* in = r.at(Source::Net, At::Stop); in && in->pos.retired == p.retired) {
        if (due(in, p, "packets")) machine_->poll_devices();
        for (in = r.at(Source::Net, At::Stop); in && in->pos.retired == p.retired;
             in = r.advance(Source::Net, At::Stop))
            if (!in->bytes.empty())
                diverge(fmt::format("the network device did not take the recording's packet at {}",
                                    where(in->pos)));
    }
    in_stop_ = false;
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
    if (!diverged_ && ended_from_outside(r.rec.end.reason) && p.retired == r.rec.end.pos.retired) {
        info = {StopReason(r.rec.end.reason), r.rec.end.message, info.vcpu};
        return false;
    }
    // Whatever is due here was taken: a stop that cannot move on is a bug
    // or a forged file, never a hang.
    if (!diverged_ && stop_at() <= p.retired)
        diverge(fmt::format("the recording's input at {} was not taken", where(p)));
    if (diverged_) {
        info = {StopReason::VmmError, *failure_, info.vcpu};
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
    const Input* in = replay_->at(Source::Rng, At::Inline);
    if (!in || in->pos != p || in->bytes.size() != out.size()) {
        diverge(!in ? fmt::format("the guest asked for entropy at {}, the recording has no more",
                                  where(p))
                    : fmt::format("the guest asked for {} bytes of entropy at {}, the recording "
                                  "gave {} at {}",
                                  out.size(), where(p), in->bytes.size(), where(in->pos)));
        std::fill(out.begin(), out.end(), 0);
        machine_->kick();
        return;
    }
    std::copy(in->bytes.begin(), in->bytes.end(), out.begin());
    replay_->advance(Source::Rng, At::Inline);
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
    else if (const Input* left = replay_->at(Source::Serial, At::Stop))
        diverge(fmt::format("the run ended with recorded input left, the next at {}", where(left->pos)));
    if (diverged_) info = {StopReason::VmmError, *failure_, info.vcpu};
}

}  // namespace vmm::record
