#include "gdb/server.h"

#include <fmt/format.h>

namespace gdb {

void BusyRefuser::refuse_waiting() {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < kInterval) return;
    last_ = now;
    for (;;) {
        // The connection closes as `c` goes out of scope.
        auto c = listener_.accept(std::chrono::milliseconds(0));
        if (!c) {
            if (c.error().kind == ErrorKind::Empty) return;
            fmt::print(stderr, "gdb: {}\n", c.error().message);
            return;
        }
        fmt::print(stderr, "gdb: refused a connection from {}: another gdb is attached\n",
                   c.value()->peer());
    }
}

Result<SessionEnd> serve_one(TcpListener& listener, Stub& stub,
                             std::chrono::milliseconds accept_timeout, SessionOptions opts) {
    auto conn = listener.accept(accept_timeout);
    if (!conn) return conn.error();
    BusyRefuser refuser(listener);
    opts.between_reads = [&refuser] { refuser.refuse_waiting(); };
    Session session(stub, *conn.value(), opts);
    return session.run();
}

}  // namespace gdb
