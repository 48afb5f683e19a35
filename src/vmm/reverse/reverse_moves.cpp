// ReverseTarget: moving along the history. Forwards at its end the machine
// runs live and the history grows; anywhere else forwards replays it, and
// backwards is a replay from the checkpoint before the target.
#include <signal.h>

#include <algorithm>

#include <fmt/format.h>

#include "vmm/reverse/reverse_target.h"

namespace vmm::reverse {

namespace {

// Replays that pass further than this leave checkpoints behind on the way
// (at this distance before their target, then four times as far, ...),
// so the next steps back are short.
constexpr uint64_t kNear = uint64_t(1) << 18;

bool is_hit(const RunResult& r) {
    using gdb::StopKind;
    const StopKind k = r.stop.kind;
    return !r.limit && (k == StopKind::SwBreak || k == StopKind::HwBreak || k == StopKind::Watch ||
                        k == StopKind::ReadWatch || k == StopKind::AccessWatch);
}

bool is_watch(const gdb::StopReason& s) {
    return s.kind == gdb::StopKind::Watch || s.kind == gdb::StopKind::ReadWatch ||
           s.kind == gdb::StopKind::AccessWatch;
}

gdb::ResumeAction step_of(uint32_t thread) {
    return {gdb::ResumeKind::Step, std::nullopt, gdb::ThreadId{int64_t(thread)}};
}

}  // namespace

// One request to the active machine process; while it runs, gdb's Ctrl-C
// (the session's poll) interrupts it.
RunResult ReverseTarget::run(const RunRequest& req) {
    RunRequest r = req;
    r.output_floor = output_floor_;
    Message m;
    m.put(uint8_t(Cmd::Run));
    put(m, r);
    RunResult res;
    res.finished = true;
    res.stop.kind = gdb::StopKind::Killed;
    res.stop.signal = gdb::kSigKill;
    res.end = {StopReason::VmmError, "reverse: the machine process is gone"};
    if (!active_->ch.send(m)) {
        fmt::print(stderr, "stepvisor: reverse: the machine process is gone\n");
        finished_ = res.end;
        return res;
    }
    bool signalled = false;
    while (!active_->ch.wait_readable(5)) {
        if (!signalled && poll_ && *poll_ && (*poll_)()) {
            ::kill(active_->pid, SIGUSR1);
            signalled = interrupted_ = true;
        }
    }
    auto reply = active_->ch.receive();
    if (!reply) {
        fmt::print(stderr, "stepvisor: reverse: the machine process is gone ({})\n", reply.error().message);
        finished_ = res.end;
        return res;
    }
    res = get_run_result(reply.value());
    cur_.pos = res.pos;
    output_floor_ = std::max(output_floor_, res.pos.retired);
    if (res.stop.kind == gdb::StopKind::Signal && res.stop.signal == gdb::kSigInt) interrupted_ = true;
    if (res.finished) finished_ = res.end;
    return res;
}

// The machine is in item cur_.next: run it up to `until` retired (a step
// item is atomic: all of it).
RunResult ReverseTarget::run_item(const Item& it, uint64_t until, bool breakpoints) {
    RunRequest req;
    req.actions = it.actions;
    req.step_irq_enter = it.step_irq_enter;
    req.breakpoints = breakpoints;
    if (it.kind == Item::Kind::Run) req.until = until;
    return run(req);
}

// One step along the history from cur_: the step item there, or one step
// of the run there, which takes what the run took at that point (an
// interrupt too: the run was not masking them).
RunResult ReverseTarget::step_along(bool breakpoints) {
    const Item& it = items_.at(cur_.next);
    if (it.kind == Item::Kind::Step) return run_item(it, 0, breakpoints);
    RunRequest req;
    req.actions = {step_of(1)};
    req.step_irq_enter = true;
    req.breakpoints = breakpoints;
    return run(req);
}

// Done items are passed: a run or step whose end the machine reached.
void ReverseTarget::normalize() {
    while (cur_.next < items_.size() && items_[cur_.next].moves() &&
           !(cur_.pos < items_[cur_.next].end))
        ++cur_.next;
}

// Replays from cur_ to `to` (at or after it). With breakpoints, stops at
// the first one hit and returns why; else nullopt once at `to` (or a
// failure, as a Killed stop).
std::optional<gdb::StopReason> ReverseTarget::advance(const Loc& to, bool breakpoints) {
    normalize();
    while (cur_ < to && cur_.next < items_.size()) {
        const Item& it = items_[cur_.next];
        if (!it.moves()) {
            if (!apply_write(it)) return failed("the machine refused a write of the history");
            ++cur_.next;
            continue;
        }
        const Position want = to.next > cur_.next ? it.end : to.pos;
        RunResult r = run_item(it, want.retired, breakpoints);
        if (r.finished) return outcome(r);
        if (breakpoints && (is_hit(r) || interrupted_)) return outcome(r);
        if (interrupted_) return outcome(r);
        while (cur_.pos < want && it.kind == Item::Kind::Run) {
            r = step_along(breakpoints);
            if (r.finished || is_hit(r) || interrupted_) return outcome(r);
        }
        if (cur_.pos == it.end || it.kind == Item::Kind::Step) ++cur_.next;
        normalize();
    }
    return std::nullopt;
}

// Resumes the checkpoint nearest before `to` (or goes on from where the
// machine is, when that is nearer) and replays to `to`, leaving
// checkpoints behind when the replay is long.
kvm::Result<void> ReverseTarget::go_to(const Loc& to) {
    const Proc* best = nullptr;
    for (const Proc& c : checkpoints_)
        if (c.loc <= to) best = &c;
    if (!best) return kvm::Error{"before the history's start"};
    if (!(cur_ <= to) || cur_ < best->loc) {
        if (auto r = activate(const_cast<Proc&>(*best)); !r) return r;
    }
    std::vector<uint64_t> marks;
    for (uint64_t d = kNear; to.pos.retired > cur_.pos.retired + d + kNear; d *= 4)
        marks.push_back(to.pos.retired - d);
    std::reverse(marks.begin(), marks.end());
    const bool was_interrupted = interrupted_;
    for (uint64_t mark : marks) {
        auto at = loc_of_retired(mark);
        if (!at || !(cur_ < *at)) continue;
        if (auto stop = advance(*at, false)) return kvm::Error{"the replay stopped short"};
        checkpoint();
    }
    if (advance(to, false)) return kvm::Error{"the replay stopped short"};
    interrupted_ = was_interrupted;
    if (cur_.next < items_.size()) finished_.reset();  // the guest ends only at the end
    return {};
}

// The point where `retired` instructions had retired (before any exception
// entry there), inside the run or step item that retired them.
std::optional<Loc> ReverseTarget::loc_of_retired(uint64_t retired) const {
    for (size_t k = 0; k < items_.size(); ++k) {
        const Item& it = items_[k];
        if (!it.moves() || retired > it.end.retired) continue;
        if (retired < it.start.retired) return Loc{k, it.start};
        if (it.kind == Item::Kind::Step) return Loc{retired == it.start.retired ? k : k + 1,
                                                    retired == it.start.retired ? it.start : it.end};
        return Loc{k, Position{retired, 0}};
    }
    if (retired == cur_.pos.retired && cur_.next == items_.size()) return cur_;
    return std::nullopt;
}

Loc ReverseTarget::history_begin() const {
    return checkpoints_.empty() ? cur_ : checkpoints_.front().loc;
}

// gdb changes the state in the past: the history after this point goes,
// and the machine goes on live from here.
void ReverseTarget::truncate_here() {
    if (cur_.next >= items_.size()) return;
    // What the guest writes from here on is new output, whatever the
    // discarded history wrote there.
    output_floor_ = cur_.pos.retired;
    Item& it = items_[cur_.next];
    if (it.moves() && it.start < cur_.pos) {
        it.end = cur_.pos;
        ++cur_.next;
    }
    items_.resize(cur_.next);
    while (!checkpoints_.empty() && cur_ < checkpoints_.back().loc) {
        quit(checkpoints_.back());
        checkpoints_.pop_back();
    }
}

gdb::Status ReverseTarget::resume(std::span<const gdb::ResumeAction> actions) {
    pending_.assign(actions.begin(), actions.end());
    if (pending_.empty()) return gdb::TargetError::Failed;
    resumed_once_ = true;
    return gdb::ok();
}

gdb::StopReason ReverseTarget::wait_for_stop(const gdb::InterruptPoll& poll) {
    // The guest's end is where the history ends: elsewhere it has not ended.
    if (finished_ && cur_.next < items_.size()) finished_.reset();
    if (finished_) return outcome(RunResult{{}, false, true, *finished_, cur_.pos});
    poll_ = &poll;
    interrupted_ = false;
    gdb::StopReason stop;
    const gdb::ResumeKind kind = pending_.front().kind;
    if (kind == gdb::ResumeKind::ReverseStep) stop = reverse_step();
    else if (kind == gdb::ResumeKind::ReverseContinue) stop = reverse_continue();
    else stop = forward();
    poll_ = nullptr;
    return stop;
}

StopInfo ReverseTarget::run_detached(const std::function<bool()>& poll, int) {
    const gdb::InterruptPoll p = poll;
    pending_ = {{gdb::ResumeKind::Continue, std::nullopt, gdb::ThreadId{gdb::ThreadId::kAll}}};
    poll_ = &p;
    interrupted_ = false;
    const gdb::StopReason stop = forward();
    poll_ = nullptr;
    if (finished_) return *finished_;
    return {StopReason::Interrupted, "interrupted by the debugger", size_t(stop.thread - 1)};
}

// Forwards: along the history while there is one, then live.
gdb::StopReason ReverseTarget::forward() {
    const bool step = std::any_of(pending_.begin(), pending_.end(),
                                  [](const gdb::ResumeAction& a) { return a.kind == gdb::ResumeKind::Step; });
    normalize();
    while (cur_.next < items_.size() && !items_[cur_.next].moves()) {
        if (!apply_write(items_[cur_.next])) return failed("the machine refused a write of the history");
        ++cur_.next;
    }
    if (cur_.next >= items_.size()) return live(true);
    if (step) {
        const RunResult r = step_along(false);
        if (r.finished) return outcome(r);
        normalize();
        return outcome(r);
    }
    const Loc end{items_.size(), items_.back().moves() ? items_.back().end : cur_.pos};
    if (auto stop = advance(end, true)) return *stop;
    return live(true);
}

// At the end of the history: gdb's resume runs the machine and joins the
// history, in pieces of ropts_.interval with a checkpoint after each.
gdb::StopReason ReverseTarget::live(bool breakpoints, uint64_t until) {
    Item it;
    it.actions = pending_;
    it.step_irq_enter = opts_.step_irq_enter;
    it.start = it.end = cur_.pos;
    const bool step = std::any_of(pending_.begin(), pending_.end(),
                                  [](const gdb::ResumeAction& a) { return a.kind == gdb::ResumeKind::Step; });
    it.kind = step ? Item::Kind::Step : Item::Kind::Run;
    items_.push_back(it);
    for (;;) {
        RunRequest req;
        req.actions = it.actions;
        req.step_irq_enter = it.step_irq_enter;
        req.breakpoints = breakpoints;
        if (!step) req.until = std::min(until, (cur_.pos.retired / ropts_.interval + 1) * ropts_.interval);
        const RunResult r = run(req);
        items_.back().end = r.pos;
        cur_.next = items_.size() - 1;  // the item goes on: not done yet
        const bool crossed = r.pos.retired / ropts_.interval != it.start.retired / ropts_.interval;
        if (r.limit && r.pos.retired < until) {
            if (std::chrono::steady_clock::now() - last_checkpoint_ >= ropts_.period) checkpoint();
            continue;
        }
        normalize();
        if (ropts_.period.count() == 0 && crossed && !r.finished) checkpoint();
        return outcome(r);
    }
}

gdb::StopReason ReverseTarget::at_begin() {
    gdb::StopReason s;
    s.history_begin = true;
    return s;
}

gdb::StopReason ReverseTarget::failed(const std::string& why) {
    fmt::print(stderr, "stepvisor: reverse: {}\n", why);
    gdb::StopReason s;
    s.signal = gdb::kSigTrap;
    return s;
}

gdb::StopReason ReverseTarget::outcome(const RunResult& r) {
    gdb::StopReason s = r.stop;
    if (r.finished) {
        s = {};
        s.thread = uint32_t(r.end.vcpu + 1);
        if (r.end.exit_status() == 0) {
            s.kind = gdb::StopKind::Exited;
        } else {
            s.kind = gdb::StopKind::Killed;
            s.signal = gdb::kSigKill;
        }
        return s;
    }
    if (r.limit) s = gdb::StopReason{};
    if (interrupted_) s.signal = gdb::kSigInt;
    return s;
}

// One step back: the start of a step item, or, inside a run, the point
// before the last step the run took (found by replaying to one
// instruction before and stepping up to here).
gdb::StopReason ReverseTarget::reverse_step() {
    normalize();
    const Loc here = cur_;
    if (!(history_begin() < here)) return at_begin();
    size_t j = here.next;
    if (j >= items_.size() || !items_[j].moves() || !(items_[j].start < here.pos)) {
        while (j > 0 && (!items_[j - 1].moves() || items_[j - 1].start == items_[j - 1].end)) --j;
        if (j == 0) return at_begin();
        --j;
    }
    const Item& it = items_[j];
    if (it.kind == Item::Kind::Step) {
        if (auto r = go_to(Loc{j, it.start}); !r) return failed(r.error().message);
        return gdb::StopReason{};
    }
    const Position x = j == here.next ? here.pos : it.end;
    const uint64_t back = x.retired > it.start.retired ? x.retired - 1 : it.start.retired;
    const Loc from = back > it.start.retired ? Loc{j, Position{back, 0}} : Loc{j, it.start};
    if (from < history_begin()) return at_begin();
    if (auto r = go_to(from); !r) return failed(r.error().message);
    // One instruction retired and no exception entry between here and x:
    // exactly one step, so here is the point before it.
    if (x.retired == cur_.pos.retired + 1 && x.entries == cur_.pos.entries)
        return gdb::StopReason{};
    Position prev = cur_.pos;
    uint64_t steps = 0;
    while (cur_.pos < x) {
        prev = cur_.pos;
        const RunResult r = step_along(false);
        if (r.finished || interrupted_) return outcome(r);
        ++steps;
    }
    if (!(cur_.pos == x)) return failed(fmt::format("stepping to {} passed it", x.retired));
    if (auto r = go_to(Loc{j, prev}); !r) return failed(r.error().message);
    return gdb::StopReason{};
}

// Every breakpoint and watchpoint hit replaying [from, to): a breakpoint
// where the machine stopped before its instruction, a watchpoint after
// the access (where a backwards run meets it). A hit far enough from the
// last one kept leaves a copy of the machine there (`near`), so going to
// the last hit afterwards replays little.
std::vector<ReverseTarget::Hit> ReverseTarget::hits_between(const Loc& from, const Loc& to,
                                                           std::optional<Proc>& near) {
    std::vector<Hit> hits;
    if (auto r = go_to(from); !r) return hits;
    const auto keep = [&] {
        if (near && near->loc.pos.retired + kNear * 64 > cur_.pos.retired) return;
        active_->loc = cur_;
        auto p = clone_of(*active_);
        if (!p) return;
        if (near) quit(*near);
        near = std::move(p.value());
    };
    while (cur_ < to) {
        auto stop = advance(to, true);
        if (!stop || interrupted_) break;
        if (stop->kind == gdb::StopKind::Killed || stop->kind == gdb::StopKind::Exited) break;
        const Loc at = cur_;
        normalize();
        if (!is_watch(*stop) && at < to) {
            keep();
            hits.push_back({at, *stop});
        }
        const RunResult r = step_along(false);
        normalize();
        if (r.finished) break;
        if (is_watch(*stop) && cur_ <= to) {
            keep();
            hits.push_back({cur_, *stop});
        }
    }
    return hits;
}

// Backwards to the last breakpoint or watchpoint hit before here, one
// stretch between checkpoints at a time, or to the history's start.
gdb::StopReason ReverseTarget::reverse_continue() {
    normalize();
    Loc hi = cur_;
    const Loc here = cur_;
    for (;;) {
        const Proc* from = nullptr;
        for (const Proc& c : checkpoints_)
            if (c.loc < hi) from = &c;
        if (!from || breakpoints_.empty()) break;
        const Loc lo = from->loc;
        std::optional<Proc> near;
        pid_t near_pid = -1;
        const std::vector<Hit> hits = hits_between(lo, hi, near);
        if (near) {  // a checkpoint while this move lasts
            const auto at = std::upper_bound(checkpoints_.begin(), checkpoints_.end(), near->loc,
                                             [](const Loc& l, const Proc& c) { return l < c.loc; });
            near_pid = near->pid;
            checkpoints_.insert(at, std::move(*near));
        }
        const auto drop_near = [&] {
            for (auto it = checkpoints_.begin(); it != checkpoints_.end(); ++it) {
                if (it->pid != near_pid) continue;
                quit(*it);
                checkpoints_.erase(it);
                break;
            }
            near_pid = -1;
        };
        if (interrupted_) {
            drop_near();
            gdb::StopReason s;
            s.signal = gdb::kSigInt;
            return s;
        }
        std::optional<Hit> last;
        for (const Hit& h : hits)
            if (h.at <= here && (!last || last->at <= h.at)) last = h;
        if (last) {
            auto r = go_to(last->at);
            drop_near();
            if (!r) return failed(r.error().message);
            return last->stop;
        }
        drop_near();
        hi = lo;
    }
    if (auto r = go_to(history_begin()); !r) return failed(r.error().message);
    return at_begin();
}

}  // namespace vmm::reverse
