// PSTATE fields and their SPSR_ELx packing for AArch64 state.
// ARM ARM DDI 0487 K.a, D1.4 "Process state, PSTATE" and C5.2.18 "SPSR_EL1".
#pragma once

#include <cstdint>

namespace arch {

namespace spsr {
inline constexpr uint64_t kN = 1ull << 31;
inline constexpr uint64_t kZ = 1ull << 30;
inline constexpr uint64_t kC = 1ull << 29;
inline constexpr uint64_t kV = 1ull << 28;
inline constexpr uint64_t kNZCV = 0xFull << 28;
inline constexpr uint64_t kPAN = 1ull << 22;
inline constexpr uint64_t kSS = 1ull << 21;
inline constexpr uint64_t kIL = 1ull << 20;
inline constexpr uint64_t kD = 1ull << 9;
inline constexpr uint64_t kA = 1ull << 8;
inline constexpr uint64_t kI = 1ull << 7;
inline constexpr uint64_t kF = 1ull << 6;
inline constexpr uint64_t kDAIF = 0xFull << 6;
inline constexpr uint64_t kM = 0x1F;  // M[4:0]: nRW and EL/SP selection

// M[3:0] values for AArch64 (M[4] = 0).
inline constexpr uint64_t kEL0t = 0x0;
inline constexpr uint64_t kEL1t = 0x4;
inline constexpr uint64_t kEL1h = 0x5;
inline constexpr uint64_t kEL2t = 0x8;
inline constexpr uint64_t kEL2h = 0x9;
}  // namespace spsr

// PSTATE as separate fields, the way the ASL names them.
struct PState {
    // N, Z, C, V packed as bits 3..0 (SPSR bits 31..28 shifted down): flag
    // setters write one byte and condition checks index a table with it.
    uint8_t flags = 0;
    bool d = true, a = true, i = true, f = true;
    bool pan = false;
    bool ss = false;
    bool il = false;
    uint8_t el = 1;
    bool sp = true;  // SPSel: 1 = SP_ELx, 0 = SP_EL0

    constexpr uint64_t to_spsr() const {
        uint64_t v64 = (uint64_t(flags) << 28) | (pan ? spsr::kPAN : 0) | (ss ? spsr::kSS : 0) |
                       (il ? spsr::kIL : 0) | (d ? spsr::kD : 0) | (a ? spsr::kA : 0) |
                       (i ? spsr::kI : 0) | (f ? spsr::kF : 0);
        return v64 | (uint64_t(el) << 2) | (sp ? 1 : 0);
    }
    // Fields only; legality of the M field is the caller's concern
    // (AArch64.ExceptionReturn, IllegalExceptionReturn).
    static constexpr PState from_spsr(uint64_t s) {
        PState p;
        p.flags = uint8_t((s >> 28) & 0xF);
        p.pan = s & spsr::kPAN; p.ss = s & spsr::kSS; p.il = s & spsr::kIL;
        p.d = s & spsr::kD; p.a = s & spsr::kA; p.i = s & spsr::kI; p.f = s & spsr::kF;
        p.el = uint8_t((s >> 2) & 3);
        p.sp = s & 1;
        return p;
    }
    constexpr uint32_t nzcv() const { return flags; }
    constexpr void set_nzcv(uint32_t f4) { flags = uint8_t(f4 & 0xF); }
    constexpr bool n() const { return flags & 8; }
    constexpr bool z() const { return flags & 4; }
    constexpr bool c() const { return flags & 2; }
    constexpr bool v() const { return flags & 1; }
};

}  // namespace arch
