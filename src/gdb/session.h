// One gdb connection: read bytes, frame them, dispatch packets, write
// replies, until gdb detaches, kills, or goes away. Garbage, oversized
// packets and disconnects end in a SessionEnd, never a crash or a hang.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <string>

#include "gdb/framing.h"
#include "gdb/stub.h"
#include "gdb/transport.h"

namespace gdb {

enum class SessionEnd : uint8_t {
    Detached,      // 'D'
    Killed,        // 'k'
    Disconnected,  // the connection closed or failed (the target is detached)
    IdleTimeout,   // idle_timeout passed without a byte, or handshake_timeout without a packet
};
const char* session_end_name(SessionEnd e);

struct SessionOptions {
    bool run_length = false;  // run-length encode replies
    // How long one transport read waits; also bounds how late a close is seen.
    std::chrono::milliseconds read_slice{50};
    // Zero: wait for gdb forever (a human may sit at the prompt).
    std::chrono::milliseconds idle_timeout{0};
    // A client that has not sent one whole packet this long after it
    // connected is dropped (zero: never): it is not gdb, or it hung, and
    // the port must be free for the next one.
    std::chrono::milliseconds handshake_timeout{0};
    // Called before each read of the connection, while gdb is at its prompt
    // and while the guest runs, and never after the session's last reply:
    // the server refuses other clients there (server.h).
    std::function<void()> between_reads{};
    // gdb normally gives up after a few NAKs; we stop resending too.
    unsigned max_retransmits = 8;
    // poll_interrupt() looks at the transport at most this often, so a
    // target may call it after every guest quantum for free.
    std::chrono::microseconds poll_interval{1000};
    // Events that may queue up while the guest runs (gdb should send
    // nothing but 0x03 then); beyond this they are dropped.
    size_t max_pending = 256;
};

struct SessionStats {
    unsigned packets = 0, bad_checksums = 0, oversized = 0, bad_encodings = 0;
    unsigned interrupts = 0, acks = 0, naks = 0, retransmits = 0;
};

class Session {
public:
    Session(Stub& stub, Transport& transport, SessionOptions opts = {});

    SessionEnd run();

    // For Target::wait_for_stop (it arrives as the InterruptPoll): read what
    // gdb sent without blocking; true if it was Ctrl-C (0x03) or gdb went
    // away, and then Target::request_interrupt() has been called. Packets
    // that arrive meanwhile are kept for after the stop.
    bool poll_interrupt();

    const SessionStats& stats() const { return stats_; }

private:
    // Read once (up to `wait`) into pending_; false if the transport closed.
    bool pump(std::chrono::milliseconds wait);
    // Act on one framing event; sets end_ when the session is over.
    void on_event(FrameEvent& ev);
    void on_packet(const std::string& payload);
    void send_raw(std::string_view bytes);
    void send_packet(std::string_view payload);

    Stub& stub_;
    Transport& transport_;
    SessionOptions opts_;
    FrameDecoder decoder_;
    std::deque<FrameEvent> pending_;
    std::string last_sent_;  // for retransmission on '-'
    unsigned retransmits_left_ = 0;
    std::chrono::steady_clock::time_point last_poll_{};
    std::optional<SessionEnd> end_;
    bool closed_ = false;
    bool got_packet_ = false;  // one well-formed packet came (handshake_timeout)
    SessionStats stats_;
};

}  // namespace gdb
