// The machine's side of record and replay (docs/recording.md): where what
// comes from outside enters a run, and when.
//
// Recording, outside input (serial bytes, packets) enters only where a
// replay can stop again: at an instruction count, between two instructions.
// A kick (input arrived) makes the machine stop at the next instruction
// boundary by count (retired + 1) and take the input there; when every vcpu
// waits in WFI for userspace alone, the machine already stands where a stop
// by count would, and takes it at once. Entropy is taken where the device
// asks for it, inside an instruction (inline); a replay's device gets it at
// the same point. The journal stops the run every 2^24 instructions to
// hash the machine state, once a second of host time has gone by. Packets
// enter as serial input does, when the network's poll runs at a stop, or
// inline when the network answers a frame the guest sent at once.
//
// Replaying, the machine stops at each recorded input's count and checks
// that it stands where the recording stood (instructions and exception
// entries), at each hash and at the end; the first difference ends the
// replay with a message naming it.
#pragma once

#include <chrono>
#include <functional>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "vmm/machine.h"
#include "vmm/record/recording.h"

namespace vmm::record {

class Journal {
public:
    static std::shared_ptr<Journal> recorder(RecordingWriter writer);
    static std::shared_ptr<Journal> replayer(Recording recording);

    bool replaying() const { return replay_.has_value(); }
    // Set by the machine as it is built: where it stands, and how to kick
    // its vcpus out (a replay's inline check failed).
    void attach(Machine& m) { machine_ = &m; }

    // The retired count at which the run must stop for the journal next.
    uint64_t stop_at() const;
    // Recording: a kick came (input may wait); the run stops for it.
    void kicked() { kicked_ = !replaying(); }
    bool wants_stop() const { return kicked_ || diverged_; }
    // The run stopped (info); true when the stop was the journal's and the
    // run goes on. A replay's divergence replaces info with the message.
    bool at_stop(StopInfo& info, bool user_limit);
    // Entropy for a device, inline.
    void entropy(std::span<uint8_t> out);
    // Packets (record/net_journal.h). Recording: a frame the network gave
    // the guest (at the journal's stop, or inline in a device's exit).
    // Replaying: the recorded frames for this point go to `give`.
    void net_frame(std::span<const uint8_t> frame);
    void net_frames(const std::function<void(std::span<const uint8_t>)>& give);
    void add_net() { has_net_ = true; }
    // The run is over (info): a recording writes its end; a replay checks
    // the recording ended the same way, or replaces info with what differs.
    void finish(StopInfo& info);
    // A replay under gdb: gdb changed the machine, so the recording's
    // hashes no longer apply (inputs still come at their counts).
    void detach_checks() { checks_ = false; }
    // What a run's write error or a replay's divergence said, if anything.
    const std::optional<std::string>& failure() const { return failure_; }

    static constexpr uint64_t kHashEvery = uint64_t(1) << 24;
    static constexpr auto kHashPeriod = std::chrono::seconds(1);

private:
    struct Replay {
        Recording rec;
        // The next input of each source and place, an index into rec.inputs.
        size_t next[4][2] = {};
        size_t next_hash = 0;
        size_t& cursor(Source s, At a) { return next[size_t(s)][size_t(a)]; }
        // The input the cursor is at, or null at the end; the cursor
        // skips to the next one of its source and place first.
        const Input* at(Source s, At a);
        const Input* advance(Source s, At a) {
            ++cursor(s, a);
            return at(s, a);
        }
    };
    explicit Journal(std::optional<RecordingWriter> w, std::optional<Replay> r)
        : writer_(std::move(w)), replay_(std::move(r)) {}

    bool record_stop(StopInfo& info, bool user_limit);
    bool replay_stop(StopInfo& info, bool user_limit);
    void take_input(const Position& p);
    void write(kvm::Result<void> r);
    void diverge(std::string what);
    // Replaying: an input due here that is not exactly here diverges.
    bool due(const Input* in, const Position& p, std::string_view what);

    Machine* machine_ = nullptr;
    std::optional<RecordingWriter> writer_;
    std::optional<Replay> replay_;
    bool kicked_ = false;
    bool in_stop_ = false;  // taking or giving input at a stop, not inline
    bool has_net_ = false;
    bool net_logged_ = false;
    bool diverged_ = false;
    bool checks_ = true;
    uint64_t input_at_ = kvm::Vcpu::kNoInsnLimit;  // recording: stop here to take input
    uint64_t hash_at_ = kHashEvery;
    std::chrono::steady_clock::time_point last_hash_ = std::chrono::steady_clock::now();
    std::optional<std::string> failure_;
};

}  // namespace vmm::record
