// Self-hosted debug as the PE holds it: the enables, the software-step state
// machine's inputs, and breakpoint/watchpoint matching.
// ARM ARM DDI 0487 L.a, D2 "AArch64 Self-hosted Debug"; the ASL of J1.1.1
// (AArch64.GenerateDebugExceptionsFrom, AArch64.BreakpointMatch,
// AArch64.BreakpointValueMatch, AArch64.ReservedBreakpointType,
// AArch64.StateMatch, AArch64.WatchpointByteMatch, AArch64.WatchpointMatch)
// and J1.3.1 (CheckSoftwareStep, DebugExceptionReturnSS, SSAdvance).
//
// Everything here is a pure function of State, or of the Enables computed
// from it (Cpu keeps them current); cpu.cpp decides when to call it (only
// while Cpu's attention word says debug is armed).
#pragma once

#include <cstdint>
#include <optional>

#include "cpu/debug_enables.h"
#include "cpu/memory.h"
#include "cpu/state.h"
#include "cpu/sysregs.h"  // mdcr::kTDE

namespace cpu::debug {

// MDSCR_EL1 fields (D24.3.x MDSCR_EL1).
namespace mdscr {
inline constexpr uint64_t kSS = 1ull << 0;
inline constexpr uint64_t kKDE = 1ull << 13;
inline constexpr uint64_t kMDE = 1ull << 15;
}  // namespace mdscr

// What ID_AA64DFR0_EL1 advertises: BRPs = 5, WRPs = 3, CTX_CMPs = 0, so
// breakpoints 0..5, watchpoints 0..3, and breakpoint 5 is the one
// context-aware breakpoint (context-aware ones are the highest numbered).
inline constexpr unsigned kBreakpoints = 6;
inline constexpr unsigned kWatchpoints = 4;
inline constexpr unsigned kFirstContextAware = 5;

// DebugTarget: EL2 when HCR_EL2.TGE or MDCR_EL2.TDE routes debug exceptions
// there, else EL1.
inline unsigned target_el(const State& s) {
    return ((s.el2.hcr & hcr::kTGE) || (s.el2.mdcr & mdcr::kTDE)) ? 2 : 1;
}

// AArch64.GenerateDebugExceptionsFrom(from_el, Non-secure, mask).
inline bool enabled_from(const State& s, unsigned from_el, bool mask) {
    if (s.el1.oslk) return false;  // no Double Lock, no Halting
    const unsigned target = target_el(s);
    if (from_el == target) return (s.el1.mdscr & mdscr::kKDE) && !mask;
    return target > from_el;
}
// AArch64.GenerateDebugExceptions: from PSTATE.EL with PSTATE.D.
inline bool enabled(const State& s) { return enabled_from(s, s.pstate.el, s.pstate.d); }

// The Enables of s. Only EL2 writes HCR_EL2 and MDCR_EL2 (between runs),
// so a Cpu recomputes them on entry from EL2 and on the guest's writes to
// MDSCR_EL1 and OSLAR_EL1 (Cpu::debug_config_changed).
inline Enables enables(const State& s) {
    Enables e;
    for (unsigned el = 0; el <= 1; ++el)
        for (unsigned mask = 0; mask <= 1; ++mask)
            if (enabled_from(s, el, mask)) e.from |= uint8_t(1u << (2 * el + mask));
    e.target = uint8_t(target_el(s));
    e.ss = s.el1.mdscr & mdscr::kSS;
    return e;
}
// enabled_from(el, mask) for a guest EL (0 or 1).
inline bool enabled_from(const Enables& e, unsigned from_el, bool mask) {
    return (e.from >> (2 * from_el + mask)) & 1;
}
inline bool enabled(const Enables& e, const arch::PState& p) { return enabled_from(e, p.el, p.d); }

// CheckSoftwareStep's step_enabled: debug exceptions enabled and
// MDSCR_EL1.SS = 1. With PSTATE.SS = 1 the state is Active-not-pending,
// with PSTATE.SS = 0 Active-pending.
inline bool step_active(const Enables& e, const arch::PState& p) { return e.ss && enabled(e, p); }

// DebugExceptionReturnSS: the PSTATE.SS an exception return to dest_el
// (0 or 1) sets, from the SPSR's D and SS bits and whether debug
// exceptions were enabled at the source.
inline bool exception_return_ss(const Enables& e, bool spsr_d, bool spsr_ss, unsigned dest_el,
                                bool enabled_at_source) {
    if (!e.ss || enabled_at_source) return false;
    return spsr_ss && enabled_from(e, dest_el, spsr_d);
}

// AArch64.CheckBreakpoint for the instruction at pc: MDSCR_EL1.MDE, debug
// exceptions enabled, and any breakpoint matches.
bool breakpoint_hit(const State& s, uint64_t pc);

// AArch64.CheckWatchpoint for a data access of size bytes at va: MDE,
// debug exceptions enabled, and any watchpoint matches. Returns the lowest
// watched byte the access touches (the FAR: D2.9.8.2.4 allows any address
// from the lowest accessed to the highest watched one), or nullopt.
std::optional<uint64_t> watchpoint_hit(const State& s, uint64_t va, unsigned size,
                                       const AccessDesc& a);

// Whether the per-instruction slow path is needed (software step or a
// breakpoint could fire) and whether data accesses must be checked (a
// watchpoint could fire). Conservative supersets that depend only on
// MDSCR_EL1, OSLSR_EL1.OSLK and DBGBCR/DBGWCR.E, so the CPU recomputes them
// only when those are written (and on entry from EL2).
bool insn_checks_armed(const State& s);
bool data_checks_armed(const State& s);

// A64 load-exclusive (LDXR, LDAXR, LDXP, LDAXP in every size): the
// "Load/store exclusive" class with o2 = 0 and L = 1 (C4.1.x encoding
// index). ISS.EX of a step exception reports one was stepped.
constexpr bool is_load_exclusive(uint32_t raw) {
    return (raw & 0x3F000000) == 0x08000000 && !(raw & (1u << 23)) && (raw & (1u << 22));
}

}  // namespace cpu::debug
