// TCP transport: POSIX sockets, poll() for timeouts, TCP_NODELAY because
// every RSP exchange is a tiny request/response.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "gdb/transport.h"

namespace gdb {

namespace {

constexpr int kListenBacklog = 8;

// Wait for `events` on fd; false on timeout.
bool wait_fd(int fd, short events, std::chrono::milliseconds timeout) {
    pollfd p{fd, events, 0};
    int r;
    do {
        r = ::poll(&p, 1, int(timeout.count()));
    } while (r < 0 && errno == EINTR);
    return r > 0;
}

class TcpTransport : public Transport {
public:
    TcpTransport(int fd, std::chrono::milliseconds write_timeout, std::string peer)
        : fd_(fd), write_timeout_(write_timeout), peer_(std::move(peer)) {}
    ~TcpTransport() override { close(); }

    // gdb's next packet usually follows our reply within a millisecond;
    // sleeping in poll() and being woken again costs an idle (virtual) CPU
    // about as much, once per round trip, and a stepi is 10 round trips. So
    // for a millisecond after a reply, read() looks for the next packet
    // without sleeping (recv() that does not wait, which also takes it).
    // A packet already there costs one recv(). Reads that only look (the
    // guest running: timeout 0) and a gdb idle at its prompt do not spin.
    Result<size_t, TransportError> read(std::span<uint8_t> out,
                                        std::chrono::milliseconds timeout) override {
        if (fd_ < 0) return TransportError::Closed;
        bool waited = false;
        for (;;) {
            const ssize_t n = ::recv(fd_, out.data(), out.size(), MSG_DONTWAIT);
            if (n > 0) return size_t(n);
            if (n == 0) return TransportError::Closed;
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                return errno == ECONNRESET ? TransportError::Closed : TransportError::Failed;
            if (waited) return size_t(0);
            if (timeout.count() > 0 && std::chrono::steady_clock::now() < spin_until_) continue;
            if (!wait_fd(fd_, POLLIN, timeout)) return size_t(0);
            waited = true;
        }
    }

    Result<std::monostate, TransportError> write(std::span<const uint8_t> data) override {
        while (!data.empty()) {
            if (fd_ < 0) return TransportError::Closed;
            // MSG_DONTWAIT: send only what fits now; only a full socket
            // buffer waits, so the timeout bounds the wait and a reply
            // (which fits, as a rule) costs one system call. MSG_NOSIGNAL:
            // a vanished gdb must not SIGPIPE the VMM.
            const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                if (!wait_fd(fd_, POLLOUT, write_timeout_)) return TransportError::Failed;
                continue;
            }
            if (n < 0) {
                return errno == EPIPE || errno == ECONNRESET ? TransportError::Closed
                                                             : TransportError::Failed;
            }
            data = data.subspan(size_t(n));
        }
        spin_until_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(1);
        return std::monostate{};
    }

    void close() override {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

    int readable_fd() const override { return fd_; }
    std::string peer() const override { return peer_; }

private:
    int fd_;
    std::chrono::milliseconds write_timeout_;
    std::string peer_;
    std::chrono::steady_clock::time_point spin_until_{};  // the spin's end, see above
};

Result<in_addr> parse_host(std::string_view host) {
    const std::string h = host == "localhost" ? "127.0.0.1" : std::string(host);
    in_addr a{};
    if (::inet_pton(AF_INET, h.c_str(), &a) != 1) {
        return make_error(ErrorKind::Malformed, "listen address (IPv4 or localhost)", host);
    }
    return a;
}

Error os_error(std::string_view what, std::string_view host, uint16_t port) {
    return Error{ErrorKind::OutOfRange,
                 fmt::format("{} {}:{}: {}", what, host, port, std::strerror(errno))};
}

}  // namespace

// Says where the stub listens, with the port a port of 0 picked; anything but
// loopback gets a warning, since whoever connects controls the guest.
void TcpListener::announce(std::string_view host, uint16_t port) {
    fmt::print(stderr, "gdb: listening on {}:{}\n", host, port);
    if (!is_loopback(host)) {
        fmt::print(stderr,
                   "warning: gdb stub listening on {}:{}, not loopback; the remote protocol has no "
                   "authentication, anyone who connects controls the guest\n",
                   host, port);
    }
}

bool is_loopback(std::string_view host) {
    auto a = parse_host(host);
    return a && (ntohl(a->s_addr) >> 24) == 127;
}

Result<TcpListener> TcpListener::listen(std::string_view host, uint16_t port) {
    auto addr = parse_host(host);
    if (!addr) return addr.error();
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return os_error("socket for", host, port);
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr = addr.value();
    // A backlog of a few: connects that arrive together (a gdb retrying, a
    // second client the server refuses) are queued, never dropped, so no
    // client waits out its SYN retransmissions.
    if (::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) < 0 ||
        ::listen(fd, kListenBacklog) < 0) {
        Error e = os_error("bind/listen on", host, port);
        ::close(fd);
        return e;
    }
    socklen_t len = sizeof sa;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
    announce(host, ntohs(sa.sin_port));
    return TcpListener(fd, ntohs(sa.sin_port));
}

TcpListener::~TcpListener() {
    if (fd_ >= 0) ::close(fd_);
}

Result<std::unique_ptr<Transport>> TcpListener::accept(std::chrono::milliseconds timeout,
                                                       std::chrono::milliseconds write_timeout) {
    if (!wait_fd(fd_, POLLIN, timeout)) {
        return Error{ErrorKind::Empty, fmt::format("no gdb connected to port {} within {} ms",
                                                   port_, timeout.count())};
    }
    sockaddr_in peer{};
    socklen_t len = sizeof peer;
    const int c = ::accept4(fd_, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_CLOEXEC);
    if (c < 0) {
        // The client gave up between poll() and accept(): nothing to serve.
        if (errno == ECONNABORTED || errno == EAGAIN || errno == EINTR)
            return Error{ErrorKind::Empty, fmt::format("a client to port {} went away", port_)};
        return os_error("accept on", "port", port_);
    }
    const int one = 1;
    ::setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    char ip[INET_ADDRSTRLEN] = "?";
    ::inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof ip);
    return std::unique_ptr<Transport>(std::make_unique<TcpTransport>(
        c, write_timeout, fmt::format("{}:{}", ip, ntohs(peer.sin_port))));
}

}  // namespace gdb
