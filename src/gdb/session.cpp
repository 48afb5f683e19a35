#include "gdb/session.h"

#include <array>
#include <vector>

namespace gdb {

const char* session_end_name(SessionEnd e) {
    static constexpr const char* kNames[] = {"detached", "killed", "disconnected", "idle timeout"};
    return kNames[static_cast<int>(e)];
}

Session::Session(Stub& stub, Transport& transport, SessionOptions opts)
    : stub_(stub), transport_(transport), opts_(opts), decoder_(stub.capabilities().packet_size) {}

SessionEnd Session::run() {
    const auto start = std::chrono::steady_clock::now();
    auto idle_since = start;
    while (!end_) {
        if (pending_.empty()) {
            if (!pump(opts_.read_slice)) {
                end_ = SessionEnd::Disconnected;
                break;
            }
            const auto now = std::chrono::steady_clock::now();
            if (!pending_.empty()) {
                idle_since = now;
            } else if (opts_.idle_timeout.count() && now - idle_since > opts_.idle_timeout) {
                end_ = SessionEnd::IdleTimeout;
            }
            if (!got_packet_ && opts_.handshake_timeout.count() &&
                now - start > opts_.handshake_timeout)
                end_ = SessionEnd::IdleTimeout;
            continue;
        }
        FrameEvent ev = std::move(pending_.front());
        pending_.pop_front();
        on_event(ev);
    }
    // gdb vanished without 'D' or 'k': leave the guest runnable, not stuck
    // on our breakpoints.
    if (*end_ == SessionEnd::Disconnected || *end_ == SessionEnd::IdleTimeout) {
        stub_.target().detach();
    }
    transport_.close();
    return *end_;
}

bool Session::pump(std::chrono::milliseconds wait) {
    if (closed_) return false;
    if (opts_.between_reads) opts_.between_reads();
    std::array<uint8_t, 4096> buf;
    auto n = transport_.read(buf, wait);
    if (!n) {
        closed_ = true;
        return false;
    }
    std::vector<FrameEvent> events;
    decoder_.feed(std::span(buf).first(n.value()), events);
    for (FrameEvent& e : events) {
        // Bounded even if gdb floods us while the guest runs; an interrupt
        // is never dropped.
        if (pending_.size() < opts_.max_pending || e.kind == FrameEvent::Kind::Interrupt) {
            pending_.push_back(std::move(e));
        }
    }
    return true;
}

bool Session::poll_interrupt() {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_poll_ < opts_.poll_interval) return false;
    last_poll_ = now;
    const bool open = pump(std::chrono::milliseconds(0));
    bool interrupt = !open;
    for (auto it = pending_.begin(); it != pending_.end();) {
        if (it->kind == FrameEvent::Kind::Interrupt) {
            ++stats_.interrupts;
            interrupt = true;
            it = pending_.erase(it);
        } else {
            ++it;
        }
    }
    if (interrupt) stub_.target().request_interrupt();
    return interrupt;
}

void Session::on_event(FrameEvent& ev) {
    using Kind = FrameEvent::Kind;
    if (ev.ack) send_raw(std::string_view(&*ev.ack, 1));
    switch (ev.kind) {
    case Kind::Packet: return on_packet(ev.payload);
    case Kind::Ack: ++stats_.acks; return;
    case Kind::Nak:
        ++stats_.naks;
        if (!decoder_.no_ack() && !last_sent_.empty() && retransmits_left_ > 0) {
            --retransmits_left_;
            ++stats_.retransmits;
            send_raw(last_sent_);
        }
        return;
    // 0x03 while the guest is already stopped: nothing to interrupt.
    case Kind::Interrupt: ++stats_.interrupts; return;
    case Kind::BadChecksum: ++stats_.bad_checksums; return;
    case Kind::Oversized: ++stats_.oversized; return;
    case Kind::BadEncoding: ++stats_.bad_encodings; return;
    }
}

void Session::on_packet(const std::string& payload) {
    ++stats_.packets;
    got_packet_ = true;
    const InterruptPoll poll = [this] { return poll_interrupt(); };
    const Reply r = stub_.handle(payload, poll);
    for (const std::string& p : r.before) send_packet(p);
    if (r.payload) send_packet(*r.payload);
    // "Packet Acknowledgment": no-ack mode starts after the OK to QStartNoAckMode has gone out.
    if (r.after == Reply::After::StartNoAck) decoder_.set_no_ack(true);
    if (r.after == Reply::After::Detach) end_ = SessionEnd::Detached;
    if (r.after == Reply::After::Kill) end_ = SessionEnd::Killed;
    if (closed_ && !end_) end_ = SessionEnd::Disconnected;
}

void Session::send_raw(std::string_view bytes) {
    if (closed_) return;
    if (!transport_.write(bytes)) closed_ = true;
}

void Session::send_packet(std::string_view payload) {
    last_sent_ = encode_packet(payload, opts_.run_length);
    retransmits_left_ = opts_.max_retransmits;
    send_raw(last_sent_);
}

}  // namespace gdb
