#include "gdb/stub.h"

#include <algorithm>

#include <fmt/format.h>

#include "gdb/target_xml.h"

namespace gdb {

Result<Stub> Stub::create(Target& target) {
    const auto extras = target.extra_registers();
    auto regs = RegisterMap::build(extras, target.capabilities().fpu);
    if (!regs) return regs.error();
    if (target.threads().empty()) {
        return make_error(ErrorKind::Empty, "target thread list", "threads()");
    }
    // Room for a stop reply with its expedited registers and then some;
    // smaller sizes would make every reply a special case.
    const size_t packet_size = target.capabilities().packet_size;
    if (packet_size < kMinPacketSize) {
        return Error{ErrorKind::OutOfRange, fmt::format("packet size {} is below the minimum {}",
                                                        packet_size, kMinPacketSize)};
    }
    return Stub(target, std::move(regs.value()));
}

Stub::Stub(Target& target, RegisterMap regs)
    : target_(&target),
      regs_(std::move(regs)),
      caps_(target.capabilities()),
      xml_(build_target_xml(regs_)) {
    // Before gdb's first '?', the VM is halted where it was created.
    last_stop_.thread = target.threads().front();
}

void Stub::begin_session(const StopReason& stopped) {
    stop_opts_ = {};
    general_thread_ = ThreadId{ThreadId::kAny};
    continue_thread_ = ThreadId{ThreadId::kAll};
    last_stop_ = stopped;
}

// The registry. Longest matching prefix wins, so order does not matter;
// exact entries match only the whole packet.
const Stub::Entry* Stub::lookup(std::string_view packet) {
    static const Entry kRegistry[] = {
        {"?", true, &Stub::halt_reason},
        {"g", true, &Stub::read_registers},
        {"G", false, &Stub::write_registers},
        {"p", false, &Stub::read_register},
        {"P", false, &Stub::write_register},
        {"m", false, &Stub::read_memory},
        {"M", false, &Stub::write_memory_hex},
        {"X", false, &Stub::write_memory_binary},
        {"Z", false, &Stub::breakpoint},
        {"z", false, &Stub::breakpoint},
        {"c", false, &Stub::resume},
        {"C", false, &Stub::resume},
        {"s", false, &Stub::resume},
        {"S", false, &Stub::resume},
        {"bs", true, &Stub::reverse},
        {"bc", true, &Stub::reverse},
        {"vCont?", true, &Stub::vcont_query},
        {"vCont;", false, &Stub::vcont},
        {"H", false, &Stub::set_thread},
        {"T", false, &Stub::thread_alive},
        {"k", true, &Stub::kill},  // exact: line noise must not power the VM off
        {"D", false, &Stub::detach},
        {"qSupported", false, &Stub::supported},
        {"qXfer:features:read:", false, &Stub::xfer_features},
        {"qXfer:threads:read:", false, &Stub::xfer_threads},
        {"qAttached", false, &Stub::attached},
        {"qC", true, &Stub::current_thread},
        {"qfThreadInfo", true, &Stub::first_thread_info},
        {"qsThreadInfo", true, &Stub::next_thread_info},
        {"qRcmd,", false, &Stub::monitor},
        {"QStartNoAckMode", true, &Stub::start_no_ack},
        {"vMustReplyEmpty", true, &Stub::must_reply_empty},
    };
    const Entry* best = nullptr;
    for (const Entry& e : kRegistry) {
        const bool match = e.exact ? packet == e.prefix : packet.starts_with(e.prefix);
        if (match && (!best || e.prefix.size() > best->prefix.size())) best = &e;
    }
    return best;
}

Reply Stub::handle(std::string_view packet, const InterruptPoll& poll) {
    const Entry* e = lookup(packet);
    if (!e) return empty();
    poll_ = &poll;
    Reply r = (this->*(e->handler))(packet);
    poll_ = nullptr;
    return r;
}

Reply Stub::malformed(const Error& e) {
    last_error_ = e.message;
    return Reply{"E01"};
}

// errno-style numbers, as gdbserver sends them; gdb only shows them.
Reply Stub::error(TargetError e) {
    struct Code {
        TargetError error;
        const char* reply;
    };
    static constexpr Code kCodes[] = {
        {TargetError::Fault, "E0e"},     {TargetError::Unsupported, ""},
        {TargetError::NoSlots, "E1c"},   {TargetError::BadRegister, "E16"},
        {TargetError::BadThread, "E16"}, {TargetError::Unavailable, "E05"},
        {TargetError::Failed, "E05"},
    };
    for (const Code& c : kCodes) {
        if (c.error == e) return Reply{c.reply};
    }
    return Reply{"E05"};
}

Reply Stub::okay() { return Reply{"OK"}; }
Reply Stub::empty() { return Reply{""}; }

uint32_t Stub::resolve(ThreadId t) const {
    if (t.all() || t.any()) return last_stop_.thread;
    return uint32_t(t.value);
}

bool Stub::thread_exists(uint32_t thread) const {
    const auto list = target_->threads();
    return std::find(list.begin(), list.end(), thread) != list.end();
}

const char* target_error_name(TargetError e) {
    static constexpr const char* kNames[] = {
        "fault", "unsupported", "no slots", "bad register", "bad thread", "unavailable", "failed"};
    return kNames[static_cast<int>(e)];
}

}  // namespace gdb
