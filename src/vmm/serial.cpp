#include "vmm/serial.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

namespace vmm {

namespace {

// Bytes readable on fd now, without waiting; eof is set when the input has
// ended (readable, but nothing to read).
size_t read_ready(int fd, uint8_t* buf, size_t max, bool& eof) {
    if (fd < 0 || max == 0 || eof) return 0;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 0) <= 0 || !(p.revents & (POLLIN | POLLHUP))) return 0;
    ssize_t n = ::read(fd, buf, max);
    if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) eof = true;
    return n > 0 ? size_t(n) : 0;
}

// The terminal's settings before raw input, for the signal handler.
struct termios g_saved_termios;
volatile sig_atomic_t g_termios_saved = 0;

void restore_terminal() {
    if (g_termios_saved) tcsetattr(STDIN_FILENO, TCSANOW, &g_saved_termios);
    g_termios_saved = 0;
}

void restore_and_reraise(int sig) {
    restore_terminal();
    signal(sig, SIG_DFL);
    raise(sig);
}

class StdioSerial : public SerialBackend {
public:
    StdioSerial() {
        // Keystrokes go to the guest one by one and unechoed; ISIG stays on
        // so Ctrl-C still stops stepvisor.
        if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &g_saved_termios) != 0) return;
        struct termios raw = g_saved_termios;
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO);
        raw.c_iflag &= ~tcflag_t(ICRNL);
        raw.c_cc[VMIN] = 1;
        raw.c_cc[VTIME] = 0;
        g_termios_saved = 1;
        signal(SIGINT, restore_and_reraise);
        signal(SIGTERM, restore_and_reraise);
        tcsetattr(STDIN_FILENO, TCSANOW, &raw);
    }
    ~StdioSerial() override { restore_terminal(); }
    void write(uint8_t byte) override {
        std::fputc(byte, stdout);
        unflushed_ = byte != '\n';
        if (!unflushed_) std::fflush(stdout);
    }
    size_t read(uint8_t* buf, size_t max) override {
        // A guest that reads the UART may be waiting for an answer to a
        // prompt without newline: show it.
        if (unflushed_) std::fflush(stdout);
        unflushed_ = false;
        return read_ready(STDIN_FILENO, buf, max, eof_);
    }
    int input_fd() const override { return STDIN_FILENO; }
    bool input_ended() const override { return eof_; }

private:
    bool unflushed_ = false;
    bool eof_ = false;
};

class NullSerial : public SerialBackend {
public:
    void write(uint8_t) override {}
    size_t read(uint8_t*, size_t) override { return 0; }
};

class TcpSerial : public SerialBackend {
public:
    explicit TcpSerial(int fd) : fd_(fd) {}
    ~TcpSerial() override { close(fd_); }
    void write(uint8_t byte) override {
        if (!gone_ && send(fd_, &byte, 1, MSG_NOSIGNAL) != 1) gone_ = true;
    }
    size_t read(uint8_t* buf, size_t max) override {
        if (gone_ || max == 0) return 0;
        pollfd p{fd_, POLLIN, 0};
        if (poll(&p, 1, 0) <= 0) return 0;
        ssize_t n = ::read(fd_, buf, max);
        if (n <= 0) gone_ = true;  // the client went: output is dropped from now on
        return n > 0 ? size_t(n) : 0;
    }
    // Kept open until the end (a closed number could be reused under the
    // InputWaker); a client that went polls as hung up.
    int input_fd() const override { return fd_; }
    bool input_ended() const override { return gone_; }

private:
    int fd_;
    bool gone_ = false;
};

kvm::Result<std::shared_ptr<SerialBackend>> open_tcp(uint16_t port, const LogSink& announce) {
    auto fail = [&](std::string_view what) {
        return kvm::Error{fmt::format("--serial tcp:{}: {}: {}", port, what, std::strerror(errno))};
    };
    int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (ls < 0) return fail("socket");
    struct Closer {
        int fd;
        ~Closer() { close(fd); }
    } closer{ls};
    int one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(ls, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return fail("bind");
    if (listen(ls, 1) != 0) return fail("listen");
    socklen_t len = sizeof addr;
    getsockname(ls, reinterpret_cast<sockaddr*>(&addr), &len);
    if (announce)
        announce(fmt::format("stepvisor: serial: waiting for a connection on 127.0.0.1:{}",
                             ntohs(addr.sin_port)));
    int fd;
    do fd = accept4(ls, nullptr, nullptr, SOCK_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) return fail("accept");
    return std::shared_ptr<SerialBackend>(std::make_shared<TcpSerial>(fd));
}

}  // namespace

kvm::Result<SerialSpec> parse_serial_spec(std::string_view text) {
    if (text == "stdio") return SerialSpec{SerialSpec::Kind::Stdio, 0};
    if (text == "none") return SerialSpec{SerialSpec::Kind::None, 0};
    if (text.starts_with("tcp:")) {
        std::string_view num = text.substr(4);
        unsigned port = 0;
        auto [end, ec] = std::from_chars(num.data(), num.data() + num.size(), port);
        if (!num.empty() && ec == std::errc() && end == num.data() + num.size() && port <= 65535)
            return SerialSpec{SerialSpec::Kind::Tcp, uint16_t(port)};
        return kvm::Error{fmt::format("invalid --serial '{}': PORT '{}' is not a number from 0 "
                                      "to 65535",
                                      text, num)};
    }
    return kvm::Error{
        fmt::format("invalid --serial '{}' (accepted: stdio, tcp:PORT, none)", text)};
}

kvm::Result<std::shared_ptr<SerialBackend>> open_serial(const SerialSpec& spec,
                                                        const LogSink& announce) {
    switch (spec.kind) {
    case SerialSpec::Kind::Stdio: return std::shared_ptr<SerialBackend>(std::make_shared<StdioSerial>());
    case SerialSpec::Kind::None: return std::shared_ptr<SerialBackend>(std::make_shared<NullSerial>());
    case SerialSpec::Kind::Tcp: return open_tcp(spec.port, announce);
    }
    return kvm::Error{"invalid serial kind"};
}

void SerialPort::pump() {
    if (!backend_) return;
    uint8_t buf[Pl011::kFifoDepth];
    size_t n = backend_->read(buf, uart_.rx_room());
    for (size_t i = 0; i < n; ++i) uart_.receive(buf[i]);
    // At the end of input the descriptor stays readable: no more kicks.
    if (waker_ && uart_.rx_room() > 0 && !backend_->input_ended()) waker_->ack();
}

void SerialPort::access(Direction dir, uint64_t offset, std::span<uint8_t> data) {
    // Input can only be seen through a read (UARTFR, UARTDR, UARTRIS...).
    if (dir == Direction::Read) pump();
    uart_.access(dir, offset, data);
}

}  // namespace vmm
