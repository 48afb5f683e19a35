#include "vmm/serial.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "vmm/console_escapes.h"

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

// The terminal's settings before raw input, for the signal handlers and
// exit: whatever way stepvisor ends, the user's terminal comes back.
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

// Raw input as QEMU's stdio chardev sets it (qemu_chr_set_echo_stdio with
// signals off): every byte, Ctrl-C and Ctrl-Z included, goes to the guest
// unechoed and untranslated; output keeps its post-processing (ONLCR), so a
// bare-metal guest's "\n" still starts a new line.
bool make_terminal_raw() {
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &g_saved_termios) != 0) return false;
    struct termios raw = g_saved_termios;
    raw.c_iflag &= ~tcflag_t(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    raw.c_lflag &= ~tcflag_t(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    raw.c_cflag = (raw.c_cflag & ~tcflag_t(CSIZE | PARENB)) | CS8;
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    g_termios_saved = 1;
    static bool at_exit = false;
    if (!at_exit) at_exit = std::atexit(restore_terminal) == 0;
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) signal(sig, restore_and_reraise);
    return tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
}

class StdoutSerial : public SerialBackend {
public:
    void write(uint8_t byte) override {
        std::fputc(byte, stdout);
        // A person reads a terminal as the guest writes it (a prompt has no
        // newline); a pipe gets whole lines.
        unflushed_ = !tty_out_ && byte != '\n';
        if (!unflushed_) std::fflush(stdout);
    }
    size_t read(uint8_t*, size_t) override { return 0; }
    void flush() override {
        if (unflushed_) std::fflush(stdout);
        unflushed_ = false;
    }

protected:
    const bool tty_out_ = isatty(STDOUT_FILENO);
    bool unflushed_ = false;
};

class StdioSerial : public StdoutSerial {
public:
    // On a terminal: raw, with the console escapes (console_escapes.h) and a
    // line on stderr that says so. Otherwise stdin is read as it comes.
    StdioSerial() : terminal_(make_terminal_raw()) {
        if (terminal_) fmt::print(stderr, "{}\n", ConsoleEscapes::hint());
    }
    ~StdioSerial() override { restore_terminal(); }
    size_t read(uint8_t* buf, size_t max) override {
        flush();
        if (quit_) return 0;
        size_t n = read_ready(STDIN_FILENO, buf, max, eof_);
        return terminal_ ? apply_escapes(buf, n) : n;
    }
    int input_fd() const override { return STDIN_FILENO; }
    bool input_ended() const override { return eof_; }
    bool quit_requested() const override { return quit_; }

private:
    // Acts on the escapes in buf[0, n) and keeps the guest's bytes, in
    // order, at its front; returns how many. Bytes after a quit are dropped.
    size_t apply_escapes(uint8_t* buf, size_t n) {
        size_t kept = 0;
        for (size_t i = 0; i < n && !quit_; ++i) {
            switch (escapes_.feed(buf[i])) {
            case ConsoleEscapes::Effect::ToGuest: buf[kept++] = buf[i]; break;
            case ConsoleEscapes::Effect::Swallowed: break;
            case ConsoleEscapes::Effect::Help:
                fmt::print(stdout, "\n{}", ConsoleEscapes::help());
                std::fflush(stdout);
                break;
            case ConsoleEscapes::Effect::Quit: quit_ = true; break;
            }
        }
        return kept;
    }

    const bool terminal_;
    ConsoleEscapes escapes_;
    bool eof_ = false;
    bool quit_ = false;
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

std::shared_ptr<SerialBackend> stdout_serial() { return std::make_shared<StdoutSerial>(); }

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

bool SerialPort::fill_queue() {
    uint8_t buf[512];
    while (queue_.size() < kHostQueue) {
        const size_t want = std::min(sizeof buf, kHostQueue - queue_.size());
        const size_t n = backend_->read(buf, want);
        queue_.insert(queue_.end(), buf, buf + n);
        // Escapes may shrink a full read: then the next kick reads on.
        if (n < want) return true;
    }
    return false;
}

void SerialPort::pump() {
    if (!backend_) return;
    if (gated_) backend_->flush();
    const bool drained = gated_ || fill_queue();
    feed_fifo();
    if (!waker_ || gated_) return;
    if (backend_->quit_requested()) waker_->kick();
    // At the end of input the descriptor stays readable: no more kicks.
    else if (drained && !backend_->input_ended()) waker_->ack();
}

void SerialPort::feed_fifo() {
    while (!queue_.empty() && uart_.rx_room() > 0) {
        uart_.receive(queue_.front());
        queue_.pop_front();
    }
}

bool SerialPort::take_input(std::vector<uint8_t>& out) {
    if (!backend_) return true;
    const size_t before = queue_.size();
    const bool drained = fill_queue();
    out.assign(queue_.begin() + std::ptrdiff_t(before), queue_.end());
    queue_.resize(before);
    if (waker_ && backend_->quit_requested()) waker_->kick();
    else if (waker_ && drained && !backend_->input_ended()) waker_->ack();
    return drained;
}

void SerialPort::inject(std::span<const uint8_t> bytes) {
    queue_.insert(queue_.end(), bytes.begin(), bytes.end());
    feed_fifo();
}

void SerialPort::access(Direction dir, uint64_t offset, std::span<uint8_t> data) {
    // Input can only be seen through a read (UARTFR, UARTDR, UARTRIS...).
    if (dir == Direction::Read) pump();
    uart_.access(dir, offset, data);
}

}  // namespace vmm
