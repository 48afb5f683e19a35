// ReverseTarget: the machine processes, and gdb's calls that only read or
// write the state (moving along the history: reverse_moves.cpp).
#include "vmm/reverse/reverse_target.h"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <string>

#include <fmt/format.h>

#include "vmm/reverse/engine.h"

namespace vmm::reverse {

namespace {

Message request(Cmd c) {
    Message m;
    m.put(uint8_t(c));
    return m;
}

void complain(const std::string& what) { fmt::print(stderr, "stepvisor: reverse: {}\n", what); }

}  // namespace

kvm::Result<std::unique_ptr<ReverseTarget>> ReverseTarget::create(Machine& machine, GdbOptions opts,
                                                                  ReverseOptions ropts,
                                                                  HistorySerial* serial) {
    if (machine.vcpu_count() != 1)
        return kvm::Error{"--reverse runs one vcpu so far (--smp 1)"};
    // Machine processes whose parent went are this process's to reap, and
    // reaped by the kernel: none stays a zombie.
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    signal(SIGCHLD, SIG_IGN);
    kvm::EnableCap keep;
    keep.cap = kvm::Cap::KickKeepsHalt;
    keep.args[0] = 1;
    if (auto r = machine.vm().enable_cap(keep); !r) return r.error();
    std::unique_ptr<ReverseTarget> t(new ReverseTarget(machine, opts, ropts));
    auto first = spawn_engine(machine, opts, serial);
    if (!first) return first.error();
    t->active_ = std::make_unique<Proc>(Proc{first.value().first, std::move(first.value().second), {}});
    t->checkpoint();  // the start of the history
    return t;
}

ReverseTarget::~ReverseTarget() {
    for (Proc& p : checkpoints_) quit(p);
    if (active_) quit(*active_);
}

gdb::Capabilities ReverseTarget::capabilities() const {
    gdb::Capabilities c = local_.capabilities();
    c.reverse = true;
    return c;
}

kvm::Result<Message> ReverseTarget::call(Proc& p, const Message& m) {
    if (auto r = p.ch.send(m); !r) return r.error();
    return p.ch.receive();
}

// The copy answers on the new channel once it is there.
kvm::Result<ReverseTarget::Proc> ReverseTarget::clone_of(Proc& p) {
    auto pair = Channel::pair();
    if (!pair) return pair.error();
    if (auto r = p.ch.send(request(Cmd::Clone), pair.value().second.fd()); !r) return r.error();
    pair.value().second.close();
    auto reply = p.ch.receive();
    if (!reply) return reply.error();
    const int32_t pid = reply.value().get<int32_t>();
    if (pid <= 0) return kvm::Error{"the machine process could not fork"};
    auto ready = pair.value().first.receive();
    if (!ready) return kvm::Error{fmt::format("the copy of the machine process: {}", ready.error().message)};
    return Proc{pid, std::move(pair.value().first), p.loc};
}

void ReverseTarget::quit(Proc& p) {
    if (p.ch.fd() >= 0) (void)p.ch.send(request(Cmd::Quit));
    p.ch.close();
}

// The new machine process gets this session's breakpoints and settings:
// the checkpoint it copies may hold older ones.
kvm::Result<void> ReverseTarget::activate(Proc& from) {
    auto p = clone_of(from);
    if (!p) return p.error();
    if (active_) quit(*active_);
    active_ = std::make_unique<Proc>(std::move(p.value()));
    cur_ = active_->loc;
    Message clear = request(Cmd::Monitor);
    clear.put_string("\x01clear");
    if (auto r = call(*active_, clear); !r) return r.error();
    for (const std::string& s : settings_) {
        Message m = request(Cmd::Monitor);
        m.put_string(s);
        if (auto r = call(*active_, m); !r) return r.error();
    }
    for (const Breakpoint& b : breakpoints_) {
        Message m = request(Cmd::InsertBreakpoint);
        m.put(uint8_t(b.type)).put(b.addr).put(b.kind);
        if (auto r = call(*active_, m); !r) return r.error();
    }
    return {};
}

void ReverseTarget::checkpoint() {
    last_checkpoint_ = std::chrono::steady_clock::now();
    active_->loc = cur_;
    auto p = clone_of(*active_);
    if (!p) {
        complain(fmt::format("no checkpoint at {}: {}", cur_.pos.retired, p.error().message));
        return;
    }
    const auto at = std::upper_bound(checkpoints_.begin(), checkpoints_.end(), cur_,
                                     [](const Loc& l, const Proc& c) { return l < c.loc; });
    checkpoints_.insert(at, std::move(p.value()));
    // Measuring walks every checkpoint's page tables: only when the last
    // measurement's average says the limit may be near, or their number
    // doubled since.
    const uint64_t estimate = measured_at_ ? measured_bytes_ / measured_at_ * checkpoints_.size() : 0;
    if (estimate > ropts_.memory_limit / 2 || checkpoints_.size() >= 2 * std::max<size_t>(measured_at_, 8))
        enforce_memory_limit();
}

// Proportional set size: pages a checkpoint shares with others count a
// share each, so the sum over the checkpoints is what they hold together.
uint64_t ReverseTarget::checkpoint_bytes() const {
    uint64_t total = 0;
    for (const Proc& p : checkpoints_) {
        std::ifstream in(fmt::format("/proc/{}/smaps_rollup", p.pid));
        std::string key;
        uint64_t kb = 0;
        while (in >> key) {
            if (key == "Pss:") {
                in >> kb;
                total += kb * 1024;
                break;
            }
            in.ignore(1 << 12, '\n');
        }
    }
    return total;
}

// The oldest go first; the one at the history's start goes too, and the
// history then starts at the next.
void ReverseTarget::enforce_memory_limit() {
    for (;;) {
        measured_bytes_ = checkpoint_bytes();
        measured_at_ = checkpoints_.size();
        if (checkpoints_.size() <= 2 || measured_bytes_ <= ropts_.memory_limit) return;
        // Enough of the oldest to come under the limit at the average size.
        const size_t drop = std::max<size_t>(
            1, (measured_bytes_ - ropts_.memory_limit) / std::max<uint64_t>(1, measured_bytes_ / measured_at_));
        for (size_t i = 0; i < drop && checkpoints_.size() > 2; ++i) {
            quit(checkpoints_.front());
            checkpoints_.erase(checkpoints_.begin());
        }
    }
}

gdb::Result<gdb::RegisterValue, gdb::TargetError> ReverseTarget::read_register(uint32_t thread,
                                                                               unsigned regnum) {
    Message m = request(Cmd::ReadRegister);
    m.put(thread).put(uint32_t(regnum));
    auto r = call(*active_, m);
    if (!r) return gdb::TargetError::Failed;
    const gdb::Status s = get_status(r.value());
    if (!s) return s.error();
    return gdb::RegisterValue(r.value().get_bytes());
}

gdb::Result<size_t, gdb::TargetError> ReverseTarget::read_memory(uint32_t thread, uint64_t addr,
                                                                 std::span<uint8_t> out) {
    Message m = request(Cmd::ReadMemory);
    m.put(thread).put(addr).put(uint32_t(out.size()));
    auto r = call(*active_, m);
    if (!r) return gdb::TargetError::Failed;
    const gdb::Status s = get_status(r.value());
    if (!s) return s.error();
    const std::vector<uint8_t> b = r.value().get_bytes();
    const size_t n = std::min(b.size(), out.size());
    std::copy_n(b.begin(), n, out.begin());
    return n;
}

// A write is part of the history: in the past, what came after it goes.
gdb::Status ReverseTarget::write_register(uint32_t thread, unsigned regnum,
                                          std::span<const uint8_t> value) {
    Item it;
    it.kind = Item::Kind::WriteRegister;
    it.thread = thread;
    it.regnum = regnum;
    it.data.assign(value.begin(), value.end());
    return write(it);
}

gdb::Status ReverseTarget::write_memory(uint32_t thread, uint64_t addr,
                                        std::span<const uint8_t> data) {
    Item it;
    it.kind = Item::Kind::WriteMemory;
    it.thread = thread;
    it.addr = addr;
    it.data.assign(data.begin(), data.end());
    return write(it);
}

// gdb's write: once the machine took it, the history after here goes and
// the write joins it.
gdb::Status ReverseTarget::write(const Item& it) {
    const gdb::Status s = apply_write(it);
    if (!s) return s;
    truncate_here();
    items_.push_back(it);
    cur_.next = items_.size();
    return s;
}

// Applies a write to the active machine (gdb's, or the history's replayed).
gdb::Status ReverseTarget::apply_write(const Item& it) {
    Message m = request(it.kind == Item::Kind::WriteRegister ? Cmd::WriteRegister : Cmd::WriteMemory);
    m.put(it.thread);
    if (it.kind == Item::Kind::WriteRegister) m.put(uint32_t(it.regnum));
    else m.put(it.addr);
    m.put_bytes(it.data);
    auto r = call(*active_, m);
    if (!r) return gdb::TargetError::Failed;
    return get_status(r.value());
}

gdb::Status ReverseTarget::insert_breakpoint(gdb::BreakpointType type, uint64_t addr, uint64_t kind) {
    Message m = request(Cmd::InsertBreakpoint);
    m.put(uint8_t(type)).put(addr).put(kind);
    auto r = call(*active_, m);
    if (!r) return gdb::TargetError::Failed;
    const gdb::Status s = get_status(r.value());
    const Breakpoint b{type, addr, kind};
    if (s && std::find(breakpoints_.begin(), breakpoints_.end(), b) == breakpoints_.end())
        breakpoints_.push_back(b);
    return s;
}

gdb::Status ReverseTarget::remove_breakpoint(gdb::BreakpointType type, uint64_t addr, uint64_t kind) {
    Message m = request(Cmd::RemoveBreakpoint);
    m.put(uint8_t(type)).put(addr).put(kind);
    auto r = call(*active_, m);
    if (!r) return gdb::TargetError::Failed;
    std::erase(breakpoints_, Breakpoint{type, addr, kind});
    return get_status(r.value());
}

void ReverseTarget::begin_session(int) {
    detach();
    settings_.clear();
}

void ReverseTarget::kill() {
    killed_ = true;
    detach();
}

void ReverseTarget::detach() {
    breakpoints_.clear();
    Message clear = request(Cmd::Monitor);
    clear.put_string("\x01clear");
    (void)call(*active_, clear);
}

std::optional<std::string> ReverseTarget::monitor(std::string_view command) {
    if (command == "icount") return fmt::format("icount {}\n", cur_.pos.retired);
    if (command == "history") return monitor_history();
    if (command.starts_with("goto")) return monitor_goto(command.substr(4));
    if (command.starts_with("step-irq")) {
        const std::string_view arg = command.size() > 9 ? command.substr(9) : "";
        if (arg == "mask" || arg == "enter") opts_.step_irq_enter = arg == "enter";
        else if (!arg.empty()) return fmt::format("unknown step-irq policy '{}' (mask or enter)\n", arg);
        return fmt::format("step-irq {}\n", opts_.step_irq_enter ? "enter" : "mask");
    }
    Message m = request(Cmd::Monitor);
    m.put_string(command);
    auto r = call(*active_, m);
    if (!r) return std::nullopt;
    const bool has = r.value().get<uint8_t>();
    std::string text = r.value().get_string();
    // Settings a copy of an older checkpoint must be told again.
    if (command.starts_with("catch") || command.starts_with("memory ") ||
        command.starts_with("step-strategy "))
        settings_.emplace_back(command);
    if (command == "help") text += "  icount                                 instructions retired so far (all vcpus)\n"
                                   "  goto N                                 move to where N instructions had retired\n"
                                   "  history                                the history's span, checkpoints and memory\n";
    if (!has) return std::nullopt;
    return text;
}

std::string ReverseTarget::monitor_history() const {
    const Loc begin = history_begin();
    return fmt::format("history: instructions {} to {}, now at {}; {} checkpoints holding {} MiB "
                       "(--reverse-memory {} MiB)\n",
                       begin.pos.retired, output_floor_, cur_.pos.retired, checkpoints_.size(),
                       checkpoint_bytes() >> 20, ropts_.memory_limit >> 20);
}

std::string ReverseTarget::monitor_goto(std::string_view arg) {
    while (!arg.empty() && arg.front() == ' ') arg.remove_prefix(1);
    uint64_t n = 0;
    auto [end, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), n);
    if (arg.empty() || ec != std::errc() || end != arg.data() + arg.size())
        return fmt::format("usage: monitor goto N (an instruction count), not '{}'\n", arg);
    const Loc begin = history_begin();
    if (n < begin.pos.retired)
        return fmt::format("{} is before the history's start ({})\n", n, begin.pos.retired);
    if (auto to = loc_of_retired(n)) {
        if (auto r = go_to(*to); !r) return fmt::format("goto {} failed: {}\n", n, r.error().message);
        return fmt::format("icount {}\n", cur_.pos.retired);
    }
    // Past the end: there first, then on live to n.
    if (!items_.empty() && items_.back().moves()) {
        if (auto r = go_to(Loc{items_.size(), items_.back().end}); !r)
            return fmt::format("goto {} failed: {}\n", n, r.error().message);
    }
    pending_ = {{gdb::ResumeKind::Continue, std::nullopt, gdb::ThreadId{gdb::ThreadId::kAll}}};
    const gdb::StopReason stop = live(false, n);
    if (stop.kind == gdb::StopKind::Exited || stop.kind == gdb::StopKind::Killed)
        return fmt::format("the guest ended at {}\n", cur_.pos.retired);
    return fmt::format("icount {}\n", cur_.pos.retired);
}

}  // namespace vmm::reverse
