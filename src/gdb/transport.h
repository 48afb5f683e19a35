// Where RSP bytes come from and go to. The session only sees this
// interface, so tests use the in-memory pipe and the VMM uses TCP.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "gdb/result.h"

namespace gdb {

enum class TransportError : uint8_t {
    Closed,  // the peer went away (or close() was called)
    Failed,  // an OS error
};

class Transport {
public:
    virtual ~Transport() = default;
    // Wait at most `timeout` (zero: just look) for bytes; 0 bytes read means
    // the timeout passed.
    virtual Result<size_t, TransportError> read(std::span<uint8_t> out,
                                                std::chrono::milliseconds timeout) = 0;
    // All of `data`, or an error.
    virtual Result<std::monostate, TransportError> write(std::span<const uint8_t> data) = 0;
    virtual void close() = 0;
    // A descriptor that polls readable when bytes arrive, so a VMM whose
    // vcpu sleeps (WFI with nothing pending) can wake it for Ctrl-C; -1 if
    // there is none.
    virtual int readable_fd() const { return -1; }
    // Who is at the other end, for logs ("127.0.0.1:40212"); empty if unknown.
    virtual std::string peer() const { return {}; }

    Result<std::monostate, TransportError> write(std::string_view s) {
        return write(std::span(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
    }
};

// Two connected in-memory ends: what one writes the other reads.
std::pair<std::unique_ptr<Transport>, std::unique_ptr<Transport>> make_pipe();

// A TCP listener. The port stays open for the whole run: gdb may come and
// go, and a client that connects while a session runs is refused by the
// server (server.h), not left waiting in the backlog.
class TcpListener {
public:
    // host is an IPv4 address or "localhost" (callers default to
    // 127.0.0.1); port 0 picks a free port. Prints "gdb: listening on
    // host:port" on stderr; binding anything but loopback adds a warning: the
    // protocol has no authentication, so whoever connects controls the guest.
    static Result<TcpListener> listen(std::string_view host, uint16_t port);
    TcpListener(TcpListener&& o) noexcept : fd_(std::exchange(o.fd_, -1)), port_(o.port_) {}
    TcpListener& operator=(TcpListener&&) = delete;
    ~TcpListener();

    uint16_t port() const { return port_; }
    // Polls readable when gdb connects (see Transport::readable_fd).
    int fd() const { return fd_; }
    // Wait at most `timeout` for a client to connect; a timeout is an error
    // of kind Empty. A
    // write that cannot make progress for `write_timeout` (gdb stopped
    // reading) fails instead of blocking the stub forever.
    Result<std::unique_ptr<Transport>> accept(
        std::chrono::milliseconds timeout,
        std::chrono::milliseconds write_timeout = std::chrono::seconds(10));

private:
    TcpListener(int fd, uint16_t port) : fd_(fd), port_(port) {}
    static void announce(std::string_view host, uint16_t port);
    int fd_;
    uint16_t port_;
};

bool is_loopback(std::string_view host);

}  // namespace gdb
