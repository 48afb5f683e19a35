// c / s / C / S and vCont: resuming ("Packets"). Signals are two hex digits;
// vCont thread ids as in packets_threads.cpp.
#include "gdb/packet_fields.h"
#include "gdb/packets.h"

namespace gdb {

namespace {

Result<uint8_t> signal_number(std::string_view text, std::string_view packet) {
    auto sig = fields::number(text, "signal", packet, 8);
    if (!sig) return sig.error();
    return uint8_t(sig.value());
}

// "c[addr]" / "s[addr]"
Result<Resume> plain(ResumeKind kind, std::string_view args, std::string_view packet) {
    Resume r{kind, std::nullopt, std::nullopt};
    if (args.empty()) return r;
    auto addr = fields::number(args, "resume address", packet);
    if (!addr) return addr.error();
    r.addr = addr.value();
    return r;
}

// "Csig[;addr]" / "Ssig[;addr]"
Result<Resume> with_signal(ResumeKind kind, std::string_view args, std::string_view packet) {
    const auto parts = fields::split(args, ';');
    auto sig = signal_number(parts ? parts->first : args, packet);
    if (!sig) return sig.error();
    Resume r{kind, sig.value(), std::nullopt};
    if (!parts) return r;
    auto addr = fields::number(parts->second, "resume address", packet);
    if (!addr) return addr.error();
    r.addr = addr.value();
    return r;
}

}  // namespace

namespace {

// The letters shared by c/s/C/S and vCont actions, as data.
struct ActionLetter {
    char letter;
    ResumeKind kind;
    bool takes_signal;
};
constexpr ActionLetter kActionLetters[] = {
    {'c', ResumeKind::Continue, false}, {'s', ResumeKind::Step, false},
    {'C', ResumeKind::Continue, true},  {'S', ResumeKind::Step, true},
    {'t', ResumeKind::Stop, false},
};

const ActionLetter* find_letter(char c) {
    for (const auto& l : kActionLetters) {
        if (l.letter == c) return &l;
    }
    return nullptr;
}

}  // namespace

Result<Resume> parse_resume(std::string_view packet) {
    if (packet.empty()) return make_error(ErrorKind::Empty, "resume packet", packet);
    const ActionLetter* l = find_letter(packet[0]);
    if (!l || l->kind == ResumeKind::Stop) {
        return make_error(ErrorKind::Malformed, "expected c, s, C or S", packet);
    }
    const std::string_view args = packet.substr(1);
    return l->takes_signal ? with_signal(l->kind, args, packet) : plain(l->kind, args, packet);
}

namespace {

// One "action[:thread]" of vCont: c, Csig, s, Ssig, t.
Result<ResumeAction> vcont_action(std::string_view text, std::string_view packet) {
    const auto parts = fields::split(text, ':');
    const std::string_view action = parts ? parts->first : text;
    if (action.empty()) return make_error(ErrorKind::Empty, "vCont action", packet);
    const ActionLetter* l = find_letter(action[0]);
    if (!l) return make_error(ErrorKind::Malformed, "vCont action (c, C, s, S, t)", packet);
    ResumeAction a{l->kind, std::nullopt, ThreadId{ThreadId::kAll}};
    const std::string_view sig = action.substr(1);
    if (l->takes_signal) {
        auto s = signal_number(sig, packet);
        if (!s) return s.error();
        a.signal = s.value();
    } else if (!sig.empty()) {
        return make_error(ErrorKind::Malformed, "vCont action", packet);
    }
    if (parts) {
        auto t = parse_thread_id(parts->second);
        if (!t) return make_error(t.error().kind, "vCont thread", packet);
        a.thread = t.value();
    }
    return a;
}

}  // namespace

Result<std::vector<ResumeAction>> parse_vcont(std::string_view packet) {
    auto rest = fields::after_prefix(packet, "vCont;");
    if (!rest) return rest.error();
    std::vector<ResumeAction> actions;
    std::string_view todo = *rest;
    while (true) {
        const auto parts = fields::split(todo, ';');
        auto a = vcont_action(parts ? parts->first : todo, packet);
        if (!a) return a.error();
        actions.push_back(a.value());
        if (!parts) break;
        todo = parts->second;
    }
    return actions;
}

}  // namespace gdb
