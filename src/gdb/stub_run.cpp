// ? / c / s / C / S / vCont / k / D: running and stopping the guest.
#include <vector>

#include "gdb/hex.h"
#include "gdb/stub.h"

namespace gdb {

Reply Stub::halt_reason(std::string_view) { return stop_reply(last_stop_); }

// c/s resume: 'c' lets every vcpu run, 's' steps only the Hc thread (the
// one gdb is stepping); an address first moves that thread's PC.
Reply Stub::resume(std::string_view packet) {
    auto req = parse_resume(packet);
    if (!req) return malformed(req.error());
    const uint32_t thread = resolve(continue_thread_);
    if (req->addr) {
        const Status s = target_->write_register(thread, regnum::kPc, RegisterValue::of(*req->addr, 8).bytes());
        if (!s) return error(s.error());
    }
    const ThreadId who =
        req->kind == ResumeKind::Step ? ThreadId{thread} : ThreadId{ThreadId::kAll};
    const ResumeAction action{req->kind, req->signal, who};
    return run_until_stop(std::span(&action, 1));
}

// bs / bc ("Packets"): a step or a continue backwards, when the target has
// a history; bs steps the Hc thread as 's' does.
Reply Stub::reverse(std::string_view packet) {
    if (!caps_.reverse) return empty();
    const bool step = packet == "bs";
    const ThreadId who = step ? ThreadId{resolve(continue_thread_)} : ThreadId{ThreadId::kAll};
    const ResumeAction action{step ? ResumeKind::ReverseStep : ResumeKind::ReverseContinue,
                              std::nullopt, who};
    return run_until_stop(std::span(&action, 1));
}

Reply Stub::vcont_query(std::string_view) {
    if (!caps_.vcont) return empty();
    return Reply{"vCont;c;C;s;S;t"};
}

Reply Stub::vcont(std::string_view packet) {
    if (!caps_.vcont) return empty();
    auto req = parse_vcont(packet);
    if (!req) return malformed(req.error());
    for (ResumeAction& a : req.value()) {
        if (a.thread.any()) a.thread = ThreadId{last_stop_.thread};
        if (!a.thread.all() && !thread_exists(uint32_t(a.thread.value))) {
            return error(TargetError::BadThread);
        }
    }
    return run_until_stop(req.value());
}

Reply Stub::run_until_stop(std::span<const ResumeAction> actions) {
    const Status s = target_->resume(actions);
    if (!s) return error(s.error());
    static const InterruptPoll kNever = [] { return false; };
    const InterruptPoll& poll = poll_ && *poll_ ? *poll_ : kNever;
    return stop_reply(target_->wait_for_stop(poll));
}

// Fill the expedited registers the target left out, remember the stop for
// '?' and qC, and format it.
Reply Stub::stop_reply(StopReason reason) {
    const bool running_guest = reason.kind != StopKind::Exited && reason.kind != StopKind::Killed;
    if (running_guest && !reason.regs) {
        auto read = [&](unsigned n) { return target_->read_register(reason.thread, n); };
        auto pc = read(regnum::kPc), sp = read(regnum::kSp), fp = read(regnum::kFp),
             cpsr = read(regnum::kCpsr);
        // Without them gdb simply asks with 'g'.
        if (pc && sp && fp && cpsr) {
            reason.regs = Expedited{pc->u64(), sp->u64(), fp->u64(), uint32_t(cpsr->u64())};
        }
    }
    Reply reply{format_stop_reply(reason, stop_opts_)};
    // "Stop Reply Packets": O packets may come before the stop reply. '?'
    // repeats the stop, not the console text.
    if (!reason.console.empty()) reply.before.push_back("O" + hex_bytes(std::string_view(reason.console)));
    reason.console.clear();
    last_stop_ = reason;
    return reply;
}

// 'k' gets no reply ("Packets": gdb does not wait for one); the session ends.
Reply Stub::kill(std::string_view) {
    target_->kill();
    return Reply{std::nullopt, Reply::After::Kill};
}

Reply Stub::detach(std::string_view packet) {
    auto req = parse_exact(packet, "D");
    if (!req) return malformed(req.error());
    target_->detach();
    return Reply{"OK", Reply::After::Detach};
}

}  // namespace gdb
