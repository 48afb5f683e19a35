// Serving gdb over TCP, one connection at a time: what the VMM calls.
#pragma once

#include <chrono>

#include "gdb/session.h"
#include "gdb/transport.h"

namespace gdb {

// While one gdb is attached the port stays open, and every other client is
// closed as soon as the session looks, with one line on stderr naming its
// address: it learns at once that the stub is busy instead of hanging in
// the backlog, and the attached session is not disturbed. The session looks
// before each read of its connection (SessionOptions::between_reads), so
// never after its last reply: a gdb that detaches and connects again at
// once is accepted as the next session, not refused.
class BusyRefuser {
public:
    explicit BusyRefuser(TcpListener& listener) : listener_(listener) {}

    // Closes every client waiting to be accepted. Looks at most once per
    // kInterval (a session's read slice, the longest a refusal waits
    // anyway): a look per packet cost a system call per round trip.
    void refuse_waiting();
    static constexpr std::chrono::milliseconds kInterval{50};

private:
    TcpListener& listener_;
    std::chrono::steady_clock::time_point last_{};
};

// Wait up to `accept_timeout` for gdb, then run a session until it ends,
// refusing other clients meanwhile.
Result<SessionEnd> serve_one(TcpListener& listener, Stub& stub,
                             std::chrono::milliseconds accept_timeout, SessionOptions opts = {});

}  // namespace gdb
