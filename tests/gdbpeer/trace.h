// A gdb step trace (written by tests/gdbpeer/step_trace.py): the guest's
// labels, then the state before any stepi and after each one, then how the
// run ended. Parsing, and printing two traces side by side.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace gdbpeer {

// What gdb read after one stepi: PC, X0-X30, SP, CPSR without PSTATE.SS,
// TCR_EL1, ESR_EL1, and how many bytes the serial output file held.
struct State {
    uint64_t pc = 0;
    std::array<uint64_t, 31> x{};
    uint64_t sp = 0;
    uint64_t cpsr = 0;
    uint64_t tcr = 0;
    uint64_t esr = 0;
    long serial = 0;
};

// A register of State by trace column: 0 = X0 ... 30 = X30, then SP, CPSR,
// TCR_EL1, ESR_EL1.
constexpr int kSp = 31, kCpsr = 32, kTcr = 33, kEsr = 34, kColumns = 35;
inline uint64_t column(const State& s, int c) {
    switch (c) {
    case kSp: return s.sp;
    case kCpsr: return s.cpsr;
    case kTcr: return s.tcr;
    case kEsr: return s.esr;
    default: return s.x[size_t(c)];
    }
}
inline std::string column_name(int c) {
    constexpr const char* kNames[] = {"sp", "cpsr", "tcr_el1", "esr_el1"};
    return c < 31 ? fmt::format("x{}", c) : kNames[c - kSp];
}

struct Trace {
    std::map<std::string, uint64_t> labels;
    std::vector<State> steps;  // steps[0]: before the first stepi
    std::optional<int> exit_code;
    std::string error;         // gdb's error that ended the trace, if one did

    uint64_t label(const std::string& name) const {
        auto it = labels.find(name);
        return it == labels.end() ? ~uint64_t(0) : it->second;
    }
    // The first step taken from `pc` (steps[i].pc == pc, i + 1 exists).
    std::optional<size_t> step_from(uint64_t pc) const {
        for (size_t i = 0; i + 1 < steps.size(); ++i) {
            if (steps[i].pc == pc) return i;
        }
        return std::nullopt;
    }
};

inline Trace parse_trace(const std::string& text) {
    Trace t;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream l(line);
        std::string kind;
        l >> kind;
        if (kind == "label") {
            std::string name, addr;
            l >> name >> addr;
            t.labels[name] = std::stoull(addr, nullptr, 16);
        } else if (kind == "step") {
            State s;
            size_t n;
            l >> n >> std::hex >> s.pc;
            for (auto& r : s.x) l >> r;
            l >> s.sp >> s.cpsr >> s.tcr >> s.esr >> std::dec >> s.serial;
            if (l) t.steps.push_back(s);
        } else if (kind == "exited") {
            int code = -1;
            l >> code;
            t.exit_code = code;
        } else if (kind == "error") {
            t.error = line.substr(6);
        }
    }
    return t;
}

// The label at `pc`, or label+offset from the nearest label below it.
inline std::string where(const Trace& t, uint64_t pc) {
    const std::string* best = nullptr;
    uint64_t base = 0;
    for (const auto& [name, addr] : t.labels) {
        if (addr <= pc && (!best || addr > base)) best = &name, base = addr;
    }
    if (!best) return fmt::format("{:#x}", pc);
    return pc == base ? *best : fmt::format("{}+{:#x}", *best, pc - base);
}

// Steps [first, last) of a and b side by side: PC, serial bytes and the
// registers the step changed; a register that differs between a and b is
// marked with '*'.
inline std::string side_by_side(const Trace& a, const Trace& b, size_t first, size_t last,
                                const char* a_name, const char* b_name) {
    std::string out = fmt::format("{:>5}  {:<52} | {}\n", "step", a_name, b_name);
    auto cell = [&](const Trace& t, size_t i, const State* other) {
        if (i >= t.steps.size()) {
            return i == t.steps.size() && t.exit_code ? fmt::format("exited {}", *t.exit_code)
                                                      : std::string("-");
        }
        const State& s = t.steps[i];
        std::string c = fmt::format("{} ({:#x}) ser={}", where(t, s.pc), s.pc, s.serial);
        for (int r = 0; r < kColumns; ++r) {
            const bool differs = other && column(*other, r) != column(s, r);
            const bool changed = i > 0 && column(t.steps[i - 1], r) != column(s, r);
            if (differs || changed) {
                c += fmt::format(" {}{}={:#x}", differs ? "*" : "", column_name(r), column(s, r));
            }
        }
        return c;
    };
    for (size_t i = first; i < last; ++i) {
        const State* sa = i < a.steps.size() ? &a.steps[i] : nullptr;
        const State* sb = i < b.steps.size() ? &b.steps[i] : nullptr;
        out += fmt::format("{:>5}  {:<52} | {}\n", i, cell(a, i, sb), cell(b, i, sa));
    }
    return out;
}

}  // namespace gdbpeer
