// Helpers shared by the integer data-processing handlers, named after the ASL
// functions they implement (ARM ARM DDI 0487 K.a, J1 "Armv8 pseudocode":
// ConditionHolds, AddWithCarry, DecodeBitMasks, ShiftReg, ExtendReg).
// condition_holds() is also used by the branch and load/store groups.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <optional>
#include <type_traits>

#include "arch/bits.h"
#include "arch/pstate.h"
#include "cpu/cpu.h"

namespace cpu {

namespace detail {
// ConditionHolds(cond) evaluated for one NZCV value (bit 3 = N ... bit 0 = V).
constexpr bool condition_holds_asl(uint32_t cond, uint32_t nzcv) {
    const bool n = nzcv & 8, z = nzcv & 4, c = nzcv & 2, v = nzcv & 1;
    bool result = false;
    switch ((cond >> 1) & 7) {
    case 0: result = z; break;             // EQ or NE
    case 1: result = c; break;             // CS or CC
    case 2: result = n; break;             // MI or PL
    case 3: result = v; break;             // VS or VC
    case 4: result = c && !z; break;       // HI or LS
    case 5: result = n == v; break;        // GE or LT
    case 6: result = n == v && !z; break;  // GT or LE
    case 7: result = true; break;          // AL (and NV: "always" too)
    }
    // Odd conditions invert, except 0b1111, which is AL like 0b1110.
    if ((cond & 1) && cond != 15) result = !result;
    return result;
}

// kCondTable[cond] bit nzcv says whether cond holds for that NZCV.
constexpr std::array<uint16_t, 16> make_cond_table() {
    std::array<uint16_t, 16> t{};
    for (uint32_t cond = 0; cond < 16; ++cond)
        for (uint32_t f = 0; f < 16; ++f)
            if (condition_holds_asl(cond, f)) t[cond] |= uint16_t(1u << f);
    return t;
}
inline constexpr std::array<uint16_t, 16> kCondTable = make_cond_table();
}  // namespace detail

// ConditionHolds (C1.2.4 "Condition code", Table C1-1): a table lookup on the
// current NZCV so that conditional instructions do not branch on cond.
inline bool condition_holds(uint32_t cond, const arch::PState& p) {
    return (detail::kCondTable[cond & 15] >> p.nzcv()) & 1;
}

namespace dp {

// bits(datasize) as a host integer: datasize is 32 or 64 (the sf bit).
template <unsigned N>
using Bits = std::conditional_t<N == 64, uint64_t, uint32_t>;
template <unsigned N>
using SBits = std::make_signed_t<Bits<N>>;

// X[n, N]: reads XZR for n = 31.
template <unsigned N>
inline Bits<N> reg(const Cpu& c, unsigned n) { return Bits<N>(c.x(n)); }
// X[n, N] = v: writes to XZR are discarded; a 32-bit result zero-extends.
template <unsigned N>
inline void set_reg(Cpu& c, unsigned n, Bits<N> v) { c.set_x(n, uint64_t(v)); }
// SP[] or X[n] for operands where register 31 is the stack pointer.
template <unsigned N>
inline Bits<N> reg_or_sp(Cpu& c, unsigned n) { return Bits<N>(c.x_or_sp(n)); }
template <unsigned N>
inline void set_reg_or_sp(Cpu& c, unsigned n, Bits<N> v) { c.set_x_or_sp(n, uint64_t(v)); }

// NZCV as PState packs it: N = 8, Z = 4, C = 2, V = 1.
struct Nzcv {
    uint8_t bits;
};
constexpr Nzcv make_nzcv(bool n, bool z, bool c, bool v) {
    return {uint8_t(unsigned(n) << 3 | unsigned(z) << 2 | unsigned(c) << 1 | unsigned(v))};
}
inline void set_flags(arch::PState& p, Nzcv f) { p.flags = f.bits; }
// Flags of a logical result (ANDS, BICS): N and Z from the result, C = V = 0.
template <typename T>
inline Nzcv logical_flags(T r) {
    return make_nzcv(bool(r >> (sizeof(T) * 8 - 1)), r == 0, false, false);
}

template <typename T>
struct AddResult {
    T result;
    Nzcv flags;
};

// AddWithCarry(x, y, carry_in). C: the sum wrapped, i.e. r < x, or r == x
// when carry_in added a whole 2^N. V: x and y have the same sign and r the
// other one.
template <typename T>
inline AddResult<T> add_with_carry(T x, T y, bool carry_in) {
    constexpr unsigned top = sizeof(T) * 8 - 1;
    const T r = T(x + y + T(carry_in));
    const bool c = (r < x) | (carry_in & (r == x));
    const bool v = T((x ^ r) & (y ^ r)) >> top;
    return {r, make_nzcv(bool(r >> top), r == 0, c, v)};
}

// ShiftType (C6.2 "shift" operand): LSL, LSR, ASR, ROR in encoding order.
enum class ShiftType : uint8_t { LSL = 0, LSR = 1, ASR = 2, ROR = 3 };

// ShiftReg(reg, shiftype, amount) applied to an operand already read;
// amount < datasize (the decoders reject larger ones).
template <typename T, ShiftType S>
inline T shift_reg(T v, unsigned amount) {
    if constexpr (S == ShiftType::LSL) return T(v << amount);
    if constexpr (S == ShiftType::LSR) return T(v >> amount);
    if constexpr (S == ShiftType::ASR) return T(std::make_signed_t<T>(v) >> amount);
    if constexpr (S == ShiftType::ROR) return std::rotr(v, int(amount));
}

// ExtendType (C6.2 "extend" operand), in encoding order of the option field.
enum class ExtendType : uint8_t { UXTB, UXTH, UXTW, UXTX, SXTB, SXTH, SXTW, SXTX };

// ExtendReg(reg, exttype, shift): the low 8 << (option & 3) bits of the
// register, zero- or sign-extended, then shifted left by 0..4. Truncating
// after the shift is the same as the ASL's Min(len, N - shift).
template <typename T, ExtendType E>
inline T extend_reg(uint64_t v, unsigned shift) {
    constexpr unsigned kind = unsigned(E);
    constexpr unsigned len = 8u << (kind & 3);
    uint64_t ext;
    if constexpr (kind < 4)
        ext = v & arch::ones(len);
    else
        ext = uint64_t(arch::sign_extend(v & arch::ones(len), len));
    return T(ext << shift);
}

struct BitMasks {
    uint64_t wmask, tmask;
};

// Replicate(x, esize) up to 64 bits.
constexpr uint64_t replicate(uint64_t elem, unsigned esize) {
    for (unsigned s = esize; s < 64; s *= 2) elem |= elem << s;
    return elem;
}

// DecodeBitMasks(immN, imms, immr, immediate, M): the masks of a logical
// immediate (wmask) or a bitfield move (wmask, tmask), M = datasize.
// nullopt is the ASL's UNDEFINED (no element size, or an all-ones element
// for a logical immediate).
constexpr std::optional<BitMasks> decode_bit_masks(unsigned immN, unsigned imms, unsigned immr,
                                                   bool immediate, unsigned M) {
    const unsigned combined = (immN << 6) | (~imms & 0x3F);
    if (combined == 0) return std::nullopt;
    const unsigned len = 31 - unsigned(std::countl_zero(uint32_t(combined)));  // HighestSetBit
    if (len < 1 || M < (1u << len)) return std::nullopt;
    const unsigned levels = (1u << len) - 1;
    if (immediate && (imms & levels) == levels) return std::nullopt;
    const unsigned S = imms & levels;
    const unsigned R = immr & levels;
    const unsigned diff = (S - R) & 0x3F;  // 6-bit subtract with borrow
    const unsigned esize = 1u << len;
    const unsigned d = diff & levels;
    const uint64_t welem = arch::ones(S + 1);
    const uint64_t telem = arch::ones(d + 1);
    // ROR(welem, R) within esize bits.
    const uint64_t emask = arch::ones(esize);
    const uint64_t rot = R == 0 ? welem : ((welem >> R) | (welem << (esize - R))) & emask;
    const uint64_t dmask = arch::ones(M);
    return BitMasks{replicate(rot, esize) & dmask, replicate(telem, esize) & dmask};
}

}  // namespace dp
}  // namespace cpu
