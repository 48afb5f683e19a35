#include "cli/run_gdb.h"

#include <charconv>
#include <chrono>
#include <memory>

#include <fmt/format.h>

#include "cli/commands.h"
#include "gdb/server.h"
#include "gdb/session.h"
#include "gdb/stub.h"
#include "gdb/transport.h"

namespace cli {

namespace {

using namespace std::chrono_literals;

// How often a running guest looks for gdb connecting (without --wait-gdb).
constexpr auto kAcceptPoll = 1ms;

// How long a client may take to send its first whole packet: a port
// scanner, or a client that is not gdb, must not hold the port.
constexpr auto kHandshakeTimeout = std::chrono::seconds(30);

// The guest runs until a client connects (then it stops there, as after
// Ctrl-C, and `stopped_vcpu` says which vcpu was running) or until it ends
// on its own (`ended`).
std::unique_ptr<gdb::Transport> run_until_connect(vmm::SessionTarget& target,
                                                  gdb::TcpListener& listener,
                                                  std::optional<vmm::StopInfo>& ended,
                                                  size_t& stopped_vcpu) {
    std::unique_ptr<gdb::Transport> conn;
    auto last = std::chrono::steady_clock::now();
    const auto poll = [&] {
        const auto now = std::chrono::steady_clock::now();
        if (now - last < kAcceptPoll) return false;
        last = now;
        auto c = listener.accept(0ms);
        if (c) conn = std::move(c.value());
        return conn != nullptr;
    };
    vmm::StopInfo info = target.run_detached(poll, listener.fd());
    if (info.reason != vmm::StopReason::Interrupted) ended = info;
    stopped_vcpu = info.vcpu;
    return conn;
}

std::unique_ptr<gdb::Transport> wait_for_connect(gdb::TcpListener& listener) {
    for (;;) {
        auto c = listener.accept(std::chrono::hours(1));
        if (c) return std::move(c.value());
        if (c.error().kind != gdb::ErrorKind::Empty) {
            print_error(fmt::format("gdb: {}", c.error().message));
            return nullptr;
        }
    }
}

int finished_status(const vmm::StopInfo& info, bool print) {
    if (print && info.reason != vmm::StopReason::PoweredOff) print_error(info.message);
    return info.exit_status();
}

}  // namespace

kvm::Result<GdbEndpoint> parse_gdb_endpoint(std::string_view text) {
    GdbEndpoint ep;
    std::string_view port = text;
    if (const size_t colon = text.rfind(':'); colon != std::string_view::npos) {
        ep.host = std::string(text.substr(0, colon));
        port = text.substr(colon + 1);
    }
    unsigned v = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), v);
    if (ep.host.empty() || port.empty() || ec != std::errc() || end != port.data() + port.size() ||
        v > 65535)
        return kvm::Error{fmt::format("invalid --gdb '{}': expected [HOST:]PORT, PORT 0 to 65535",
                                      text)};
    ep.port = uint16_t(v);
    return ep;
}

kvm::Result<uint32_t> parse_gic_trap_classes(std::string_view text) {
    struct Class {
        std::string_view name;
        uint32_t bit;
    };
    static constexpr Class kClasses[] = {{"group0", kvm::gic_trap::kGroup0},
                                         {"group1", kvm::gic_trap::kGroup1},
                                         {"common", kvm::gic_trap::kCommon}};
    uint32_t bits = 0;
    while (!text.empty()) {
        const size_t comma = text.find(',');
        const std::string_view item = text.substr(0, comma);
        bool known = false;
        for (const Class& c : kClasses) {
            if (item != c.name) continue;
            bits |= c.bit;
            known = true;
        }
        if (!known)
            return kvm::Error{fmt::format("invalid --gic-cpuif-trap class '{}': expected group0, "
                                          "group1 or common",
                                          item)};
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return bits;
}

// One gdb at a time, any number in turn, as QEMU's gdbstub: after a detach
// or a disconnect the guest runs on and the port takes the next gdb, which
// stops the guest where it is.
int run_with_gdb(vmm::SessionTarget& target, const GdbRunOptions& opts) {
    auto stub = gdb::Stub::create(target);
    if (!stub) {
        print_error(fmt::format("gdb: {}", stub.error().message));
        return kExitGuestStopped;
    }
    auto listener = gdb::TcpListener::listen(opts.endpoint.host, opts.endpoint.port);
    if (!listener) {
        print_error(fmt::format("gdb: {}", listener.error().message));
        return kExitUsage;
    }
    // --wait-gdb holds the guest until a gdb resumes it or detaches (which
    // lets it run); a client that only came and went releases nothing.
    bool hold = opts.wait;
    for (;;) {
        std::optional<vmm::StopInfo> ended;
        size_t stopped_vcpu = 0;
        std::unique_ptr<gdb::Transport> conn =
            hold ? wait_for_connect(listener.value())
                 : run_until_connect(target, listener.value(), ended, stopped_vcpu);
        if (ended) return finished_status(*ended, true);
        if (!conn) return kExitGuestStopped;
        gdb::StopReason stopped;
        stopped.thread = uint32_t(stopped_vcpu + 1);
        stub.value().begin_session(stopped);
        target.begin_session(conn->readable_fd());
        gdb::SessionOptions session_opts;
        session_opts.run_length = true;
        session_opts.handshake_timeout = kHandshakeTimeout;
        gdb::BusyRefuser refuser(listener.value());
        session_opts.between_reads = [&refuser] { refuser.refuse_waiting(); };
        gdb::Session session(stub.value(), *conn, session_opts);
        const gdb::SessionEnd end = session.run();  // detach() has run unless gdb killed
        hold = hold && !target.resumed_once() && end != gdb::SessionEnd::Detached;
        if (target.killed()) return kExitGuestStopped;
        // The guest's end was reported to gdb (and any error printed then).
        if (target.finished()) return finished_status(*target.finished(), false);
    }
}

}  // namespace cli
