#include "vmm/reverse/engine.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "cpu/jit/code_cache.h"
#include "vmm/reverse/protocol.h"

namespace vmm::reverse {

namespace {

// SIGUSR1 from the front end is gdb's Ctrl-C: the run stops at its next
// poll, and a vcpu asleep in WFI wakes (immediate_exit, as a signal ends
// KVM_RUN).
volatile sig_atomic_t g_interrupt = 0;
std::vector<uint8_t*> g_kicks;

void on_interrupt(int) {
    g_interrupt = 1;
    for (uint8_t* k : g_kicks) std::atomic_ref<uint8_t>(*k).store(1, std::memory_order_relaxed);
}

class Engine {
public:
    Engine(Machine& m, const GdbOptions& opts, HistorySerial* serial, Channel ch)
        : machine_(m), target_(m, opts), serial_(serial), ch_(std::move(ch)) {}
    [[noreturn]] void serve();

private:
    Message handle(Message& in, int passed_fd, bool& quit);
    Message run(Message& in);
    Message clone(int fd);
    bool poll();

    Machine& machine_;
    GdbTarget target_;
    HistorySerial* serial_;
    Channel ch_;
};

void Engine::serve() {
    g_kicks.clear();
    for (size_t i = 0; i < machine_.vcpu_count(); ++i)
        g_kicks.push_back(&machine_.vcpu(i).run_state().immediate_exit);
    struct sigaction sa {};
    sa.sa_handler = on_interrupt;
    sigaction(SIGUSR1, &sa, nullptr);
    // Children are reaped by the kernel: a dropped checkpoint leaves no zombie.
    signal(SIGCHLD, SIG_IGN);
    target_.begin_session(-1);
    for (;;) {
        int fd = -1;
        auto in = ch_.receive(&fd);
        if (!in) break;
        bool quit = false;
        const Message out = handle(in.value(), fd, quit);
        if (quit || !ch_.send(out)) break;
    }
    std::fflush(stdout);
    _exit(0);
}

Message Engine::handle(Message& in, int passed_fd, bool& quit) {
    Message out;
    const Cmd cmd = Cmd(in.get<uint8_t>());
    if (cmd == Cmd::Clone) return clone(passed_fd);
    if (passed_fd >= 0) close(passed_fd);
    switch (cmd) {
    case Cmd::ReadRegister: {
        const uint32_t thread = in.get<uint32_t>();
        const unsigned regnum = in.get<uint32_t>();
        auto r = target_.read_register(thread, regnum);
        put(out, r ? gdb::ok() : gdb::Status(r.error()));
        if (r) out.put_bytes(r->bytes());
        return out;
    }
    case Cmd::WriteRegister: {
        const uint32_t thread = in.get<uint32_t>();
        const unsigned regnum = in.get<uint32_t>();
        const std::vector<uint8_t> v = in.get_bytes();
        put(out, target_.write_register(thread, regnum, v));
        return out;
    }
    case Cmd::ReadMemory: {
        const uint32_t thread = in.get<uint32_t>();
        const uint64_t addr = in.get<uint64_t>();
        std::vector<uint8_t> buf(std::min<uint64_t>(in.get<uint32_t>(), Channel::kMaxMessage / 2));
        auto r = target_.read_memory(thread, addr, buf);
        put(out, r ? gdb::ok() : gdb::Status(r.error()));
        if (r) out.put_bytes(std::span(buf).first(r.value()));
        return out;
    }
    case Cmd::WriteMemory: {
        const uint32_t thread = in.get<uint32_t>();
        const uint64_t addr = in.get<uint64_t>();
        const std::vector<uint8_t> v = in.get_bytes();
        put(out, target_.write_memory(thread, addr, v));
        return out;
    }
    case Cmd::InsertBreakpoint:
    case Cmd::RemoveBreakpoint: {
        const auto type = gdb::BreakpointType(in.get<uint8_t>());
        const uint64_t addr = in.get<uint64_t>();
        const uint64_t kind = in.get<uint64_t>();
        put(out, cmd == Cmd::InsertBreakpoint ? target_.insert_breakpoint(type, addr, kind)
                                              : target_.remove_breakpoint(type, addr, kind));
        return out;
    }
    case Cmd::Monitor: {
        const std::string command = in.get_string();
        if (command == "\x01clear") {  // the front end's: every breakpoint removed
            target_.detach();
            return out;
        }
        auto answer = target_.monitor(command);
        out.put(uint8_t(answer.has_value())).put_string(answer.value_or(""));
        return out;
    }
    case Cmd::Run: return run(in);
    case Cmd::Quit: quit = true; return out;
    case Cmd::Clone: break;
    }
    quit = true;
    return out;
}

// The front end gone (its end of the channel closed) ends a run too.
bool Engine::poll() {
    if (g_interrupt) return true;
    return ch_.wait_readable(0);
}

Message Engine::run(Message& in) {
    const RunRequest req = get_run_request(in);
    target_.set_run_limit(req.until);
    target_.set_breakpoints_suspended(!req.breakpoints);
    target_.set_step_irq_enter(req.step_irq_enter);
    if (serial_) serial_->set_floor(req.output_floor);
    g_interrupt = 0;
    RunResult res;
    if (auto s = target_.resume(req.actions); !s) {
        res.finished = true;
        res.stop.kind = gdb::StopKind::Killed;
        res.stop.signal = gdb::kSigKill;
        res.end = {StopReason::VmmError, "reverse: the machine process could not resume"};
    } else {
        res.stop = target_.wait_for_stop([this] { return poll(); });
        res.limit = target_.limit_reached();
        if (target_.finished()) {
            res.finished = true;
            res.end = *target_.finished();
        }
    }
    std::fflush(stdout);
    res.pos = machine_.position();
    Message out;
    put(out, res);
    return out;
}

// The copy serves `fd` from here on; this process answers with its pid.
Message Engine::clone(int fd) {
    Message out;
    if (fd < 0) {
        out.put(int32_t(-1));
        return out;
    }
    machine_.before_fork();
    const pid_t pid = fork();
    if (pid == 0) {
        ch_ = Channel(fd);
        g_interrupt = 0;
        out.put(int32_t(0));
        return out;  // the copy's first reply: on its own channel
    }
    close(fd);
    out.put(int32_t(pid));
    return out;
}

}  // namespace

kvm::Result<std::pair<pid_t, Channel>> spawn_engine(Machine& machine, const GdbOptions& opts,
                                                    HistorySerial* serial) {
    auto pair = Channel::pair();
    if (!pair) return pair.error();
    machine.before_fork();
    const pid_t pid = fork();
    if (pid < 0) return kvm::Error{fmt::format("fork: {}", std::strerror(errno))};
    if (pid == 0) {
        pair.value().first.close();
        // Generated code in private memory, before any is compiled (this
        // process's machine never ran): a checkpoint's fork() copies it on
        // write with the rest, and nothing is compiled again.
        cpu::jit::CodeCache::set_default_mapping(cpu::jit::CodeCache::Mapping::Private);
        Engine(machine, opts, serial, std::move(pair.value().second)).serve();
    }
    pair.value().second.close();
    return std::pair<pid_t, Channel>{pid, std::move(pair.value().first)};
}

}  // namespace vmm::reverse
