#include "gdb/stop_reply.h"

#include <fmt/format.h>

#include "gdb/hex.h"

namespace gdb {

namespace {

// The "reason:value;" pair per stop kind; empty when the kind has none or
// gdb did not agree to it (without swbreak+ gdb works the reason out itself
// from the PC).
std::string reason_pair(const StopReason& r, const StopReplyOptions& opts) {
    struct Entry {
        StopKind kind;
        const char* name;
        bool has_addr;
    };
    static constexpr Entry kReasons[] = {
        {StopKind::SwBreak, "swbreak", false},   {StopKind::HwBreak, "hwbreak", false},
        {StopKind::Watch, "watch", true},        {StopKind::ReadWatch, "rwatch", true},
        {StopKind::AccessWatch, "awatch", true},
    };
    for (const Entry& e : kReasons) {
        if (e.kind != r.kind) continue;
        if (e.kind == StopKind::SwBreak && !opts.swbreak) return {};
        if (e.kind == StopKind::HwBreak && !opts.hwbreak) return {};
        return e.has_addr ? fmt::format("{}:{};", e.name, hex_number(r.watch_addr))
                          : fmt::format("{}:;", e.name);
    }
    return {};
}

std::string expedited(const Expedited& regs) {
    return fmt::format("{:x}:{};{:x}:{};{:x}:{};{:x}:{};", regnum::kFp, hex_le(regs.fp, 8),
                       regnum::kSp, hex_le(regs.sp, 8), regnum::kPc, hex_le(regs.pc, 8),
                       regnum::kCpsr, hex_le(regs.cpsr, 4));
}

}  // namespace

std::string format_stop_reply(const StopReason& r, const StopReplyOptions& opts) {
    if (r.kind == StopKind::Exited) return fmt::format("W{:02x}", r.exit_code);
    if (r.kind == StopKind::Killed) return fmt::format("X{:02x}", r.signal);
    std::string reply =
        fmt::format("T{:02x}{}thread:{};", r.signal, reason_pair(r, opts), hex_number(r.thread));
    if (r.history_begin) reply += "replaylog:begin;";
    if (r.regs) reply += expedited(*r.regs);
    return reply;
}

}  // namespace gdb
