// Serving gdb over TCP, one connection at a time: what the VMM calls.
#pragma once

#include <chrono>

#include "gdb/session.h"
#include "gdb/transport.h"

namespace gdb {

// Wait up to `accept_timeout` for gdb, then run a session until it ends.
// A second gdb waits in the listen backlog until this one is done.
Result<SessionEnd> serve_one(TcpListener& listener, Stub& stub,
                             std::chrono::milliseconds accept_timeout, SessionOptions opts = {});

}  // namespace gdb
