#include "gdb/server.h"

namespace gdb {

Result<SessionEnd> serve_one(TcpListener& listener, Stub& stub,
                             std::chrono::milliseconds accept_timeout, SessionOptions opts) {
    auto conn = listener.accept(accept_timeout);
    if (!conn) return conn.error();
    Session session(stub, *conn.value(), opts);
    return session.run();
}

}  // namespace gdb
