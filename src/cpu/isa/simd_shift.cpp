// A64 encoding index: Advanced SIMD shift by immediate and Advanced SIMD
// scalar shift by immediate (ARM ARM DDI 0487 K.a, C4.1.95). Handlers
// follow the Operation pseudocode of the C7.2 instructions named in
// kShiftOps.
//
// Pattern letters: Q = Q, U = U, h = immh, b = immb, o = opcode, n = Rn,
// d = Rd. Insn: rd, rn, and shift = the shift amount or, for the
// fixed-point conversions, fracbits.
//
// Each class is one row whose decoder picks the instruction from kShiftOps
// by U:opcode: the class is "immh != 0000", which a pattern cannot say, and
// the Advanced SIMD modified immediate rows (immh = 0000, simd_modimm.cpp)
// refine the vector row. The element size is 8 << HighestSetBit(immh).
#include <array>
#include <bit>
#include <type_traits>

#include "cpu/decode.h"
#include "cpu/isa/simd_common.h"
#include "cpu/isa/simd_saturate.h"

namespace cpu {

namespace {

using namespace simd;

// What a lane operation reads besides its lanes, and the FPSR flags it raises.
struct Lanes {
    unsigned shift;
    uint32_t fpcr;
    uint32_t flags = 0;
};

template <unsigned E>
using FPLane = std::conditional_t<E == 64, uint64_t, uint32_t>;

// ---- Lanes of one size in, one size out: lane<E>(Vn lane, Vd lane) ----------

// SSHR, SSRA, SRSHR, SRSRA, USHR, USRA, URSHR, URSRA: (Int(x) + round_const)
// >> shift, added to the destination lane by the accumulating forms.
template <bool Unsigned, bool Round, bool Accumulate>
struct ShiftRight {
    template <unsigned E>
    static uint64_t lane(uint64_t x, uint64_t d, Lanes& k) {
        const i128 round_const = Round ? i128(1) << (k.shift - 1) : 0;
        const i128 element = (Int<E>(x, Unsigned) + round_const) >> k.shift;
        return lane_bits<E>(Accumulate ? element + i128(d) : element);
    }
};

// SRI: the bits LSR(x, shift) replace; a shift of esize inserts nothing.
struct ShiftRightInsert {
    template <unsigned E>
    static uint64_t lane(uint64_t x, uint64_t d, Lanes& k) {
        if (k.shift == E) return d;
        const uint64_t mask = arch::ones(E) >> k.shift;
        return (d & ~mask) | (x >> k.shift);
    }
};

// SHL, and SLI (the bits LSL(x, shift) replace).
template <bool Insert>
struct ShiftLeft {
    template <unsigned E>
    static uint64_t lane(uint64_t x, uint64_t d, Lanes& k) {
        const uint64_t shifted = lane_bits<E>(i128(x) << k.shift);
        if (!Insert) return shifted;
        const uint64_t mask = lane_bits<E>(i128(arch::ones(E)) << k.shift);
        return (d & ~mask) | shifted;
    }
};

// SQSHL, SQSHLU, UQSHL (immediate): SatQ(Int(x, src_unsigned) << shift).
template <bool SrcUnsigned, bool DstUnsigned>
struct SaturatingShiftLeft {
    template <unsigned E>
    static uint64_t lane(uint64_t x, uint64_t, Lanes& k) {
        return SatQ<E>(Int<E>(x, SrcUnsigned) << k.shift, DstUnsigned, k.flags);
    }
};

// SCVTF, UCVTF (vector, fixed-point): FixedToFP with FPCR's rounding.
template <bool Unsigned>
struct FixedToFloat {
    template <unsigned E>
    static uint64_t lane(uint64_t x, uint64_t, Lanes& k) {
        return fp::FixedToFP<FPLane<E>>(x, int(k.shift), Unsigned, E == 64, k.fpcr,
                                        fp::FPRoundingMode(k.fpcr), k.flags);
    }
};

// FCVTZS, FCVTZU (vector, fixed-point): FPToFixed rounding toward zero.
template <bool Unsigned>
struct FloatToFixed {
    template <unsigned E>
    static uint64_t lane(uint64_t x, uint64_t, Lanes& k) {
        return fp::FPToFixed(FPLane<E>(x), int(k.shift), Unsigned, E == 64, k.fpcr,
                             fp::FPRounding::ZERO, k.flags);
    }
};

// D / E lanes; a 64-bit vector or a scalar zeroes the rest of Vd.
template <class L, unsigned E, unsigned D>
Flow shift_same(Cpu& c, const Insn& i) {
    const VReg n = vreg(c, i.rn), d = vreg(c, i.rd);
    Lanes k{i.shift, fpcr(c)};
    VReg result;
    for (unsigned e = 0; e < D / E; ++e)
        result.set(E, e, L::template lane<E>(n.get(E, e), d.get(E, e), k));
    vreg(c, i.rd) = result;
    fpsr_or(c, k.flags);
    return Flow::Next;
}

// ---- Narrowing: lanes of 2E bits in, E bits out: lane<E>(Vn lane) ---------

// SHRN, RSHRN: (UInt(x) + round_const) >> shift, truncated.
template <bool Round>
struct ShiftRightNarrow {
    template <unsigned E>
    static uint64_t lane(uint64_t x, Lanes& k) {
        const i128 round_const = Round ? i128(1) << (k.shift - 1) : 0;
        return lane_bits<E>((i128(x) + round_const) >> k.shift);
    }
};

// SQSHRN, SQRSHRN, UQSHRN, UQRSHRN, SQSHRUN, SQRSHRUN: the same, saturated.
template <bool SrcUnsigned, bool DstUnsigned, bool Round>
struct SaturatingShiftRightNarrow {
    template <unsigned E>
    static uint64_t lane(uint64_t x, Lanes& k) {
        const i128 round_const = Round ? i128(1) << (k.shift - 1) : 0;
        return SatQ<E>((Int<2 * E>(x, SrcUnsigned) + round_const) >> k.shift, DstUnsigned, k.flags);
    }
};

// Where a narrowing result goes: a scalar V[d, esize], or Vpart[d, part]
// of the vector form ("2" writes the upper half and keeps the lower).
enum class Part : uint8_t { Scalar, Lower, Upper };

template <class L, unsigned E, Part P>
Flow shift_narrow(Cpu& c, const Insn& i) {
    constexpr unsigned kElements = P == Part::Scalar ? 1 : 64 / E;
    constexpr unsigned kFirst = P == Part::Upper ? kElements : 0;
    const VReg n = vreg(c, i.rn);
    Lanes k{i.shift, fpcr(c)};
    VReg result = P == Part::Upper ? vreg(c, i.rd) : VReg{};
    for (unsigned e = 0; e < kElements; ++e)
        result.set(E, kFirst + e, L::template lane<E>(n.get(2 * E, e), k));
    vreg(c, i.rd) = result;
    fpsr_or(c, k.flags);
    return Flow::Next;
}

// ---- Widening: SSHLL, USHLL (SXTL, UXTL) ------------------------------------

// Vpart[n, part] lanes of E bits, extended and shifted into 2E bits.
template <bool Unsigned, unsigned E, bool Upper>
Flow SHLL(Cpu& c, const Insn& i) {
    const VReg n = vreg(c, i.rn);
    const unsigned first = Upper ? 64 / E : 0;
    VReg result;
    for (unsigned e = 0; e < 64 / E; ++e)
        result.set(2 * E, e, lane_bits<2 * E>(Int<E>(n.get(E, first + e), Unsigned) << i.shift));
    vreg(c, i.rd) = result;
    return Flow::Next;
}

// ---- The table: U:opcode -> handlers by element size ------------------------

// How the amount comes from immh:immb: Right = 2 * esize - immh:immb (also
// fracbits), Left = immh:immb - esize.
enum class Amount : uint8_t { Right, Left };

struct ShiftForms {
    Amount amount = Amount::Right;
    ExecFn vector[4][2] = {};  // [HighestSetBit(immh)][Q]; null: reserved
    ExecFn scalar[4] = {};     // [HighestSetBit(immh)]; null: reserved or no scalar form
};

// Esize sets, bit k for esize 8 << k.
constexpr unsigned kAll = 0xF, k64 = 0x8, kSingleDouble = 0xC;

template <class L, unsigned E, unsigned D, unsigned Sizes>
constexpr ExecFn same() {
    if constexpr (Sizes >> std::countr_zero(E / 8) & 1)
        return fp_guarded<shift_same<L, E, D>>;
    else
        return nullptr;
}

// Vector: 64-bit lanes need Q = 1 (immh<3>:Q = 10 is reserved).
template <class L, unsigned Vector, unsigned Scalar>
constexpr ShiftForms same_forms(Amount a) {
    return {a,
            {{same<L, 8, 64, Vector>(), same<L, 8, 128, Vector>()},
             {same<L, 16, 64, Vector>(), same<L, 16, 128, Vector>()},
             {same<L, 32, 64, Vector>(), same<L, 32, 128, Vector>()},
             {nullptr, same<L, 64, 128, Vector>()}},
            {same<L, 8, 8, Scalar>(), same<L, 16, 16, Scalar>(), same<L, 32, 32, Scalar>(),
             same<L, 64, 64, Scalar>()}};
}

template <class L, unsigned E, Part P, bool Ok>
constexpr ExecFn narrow() {
    if constexpr (Ok) return fp_guarded<shift_narrow<L, E, P>>;
    else return nullptr;
}

// immh<3> = 1 (a 128-bit source lane) is reserved.
template <class L, bool Scalar>
constexpr ShiftForms narrow_forms() {
    return {Amount::Right,
            {{narrow<L, 8, Part::Lower, true>(), narrow<L, 8, Part::Upper, true>()},
             {narrow<L, 16, Part::Lower, true>(), narrow<L, 16, Part::Upper, true>()},
             {narrow<L, 32, Part::Lower, true>(), narrow<L, 32, Part::Upper, true>()},
             {}},
            {narrow<L, 8, Part::Scalar, Scalar>(), narrow<L, 16, Part::Scalar, Scalar>(),
             narrow<L, 32, Part::Scalar, Scalar>(), nullptr}};
}

template <bool Unsigned>
constexpr ShiftForms widen_forms() {
    return {Amount::Left,
            {{fp_guarded<SHLL<Unsigned, 8, false>>, fp_guarded<SHLL<Unsigned, 8, true>>},
             {fp_guarded<SHLL<Unsigned, 16, false>>, fp_guarded<SHLL<Unsigned, 16, true>>},
             {fp_guarded<SHLL<Unsigned, 32, false>>, fp_guarded<SHLL<Unsigned, 32, true>>},
             {}},
            {}};
}

// C4.1.95's two opcode tables (vector and scalar share the opcodes; the
// scalar class lacks SHRN, RSHRN, SSHLL, USHLL and has the non-saturating
// shifts for 64-bit lanes only). Half-precision conversions (immh = 001x)
// are FEAT_FP16: UNDEFINED.
constexpr auto kShiftOps = [] {
    std::array<std::array<ShiftForms, 32>, 2> t{};
    auto& s = t[0];
    s[0b00000] = same_forms<ShiftRight<false, false, false>, kAll, k64>(Amount::Right);  // SSHR
    s[0b00010] = same_forms<ShiftRight<false, false, true>, kAll, k64>(Amount::Right);   // SSRA
    s[0b00100] = same_forms<ShiftRight<false, true, false>, kAll, k64>(Amount::Right);   // SRSHR
    s[0b00110] = same_forms<ShiftRight<false, true, true>, kAll, k64>(Amount::Right);    // SRSRA
    s[0b01010] = same_forms<ShiftLeft<false>, kAll, k64>(Amount::Left);                  // SHL
    s[0b01110] = same_forms<SaturatingShiftLeft<false, false>, kAll, kAll>(Amount::Left);  // SQSHL
    s[0b10000] = narrow_forms<ShiftRightNarrow<false>, false>();                         // SHRN
    s[0b10001] = narrow_forms<ShiftRightNarrow<true>, false>();                          // RSHRN
    s[0b10010] = narrow_forms<SaturatingShiftRightNarrow<false, false, false>, true>();  // SQSHRN
    s[0b10011] = narrow_forms<SaturatingShiftRightNarrow<false, false, true>, true>();   // SQRSHRN
    s[0b10100] = widen_forms<false>();                                                   // SSHLL
    s[0b11100] = same_forms<FixedToFloat<false>, kSingleDouble, kSingleDouble>(Amount::Right);  // SCVTF
    s[0b11111] = same_forms<FloatToFixed<false>, kSingleDouble, kSingleDouble>(Amount::Right);  // FCVTZS
    auto& u = t[1];
    u[0b00000] = same_forms<ShiftRight<true, false, false>, kAll, k64>(Amount::Right);   // USHR
    u[0b00010] = same_forms<ShiftRight<true, false, true>, kAll, k64>(Amount::Right);    // USRA
    u[0b00100] = same_forms<ShiftRight<true, true, false>, kAll, k64>(Amount::Right);    // URSHR
    u[0b00110] = same_forms<ShiftRight<true, true, true>, kAll, k64>(Amount::Right);     // URSRA
    u[0b01000] = same_forms<ShiftRightInsert, kAll, k64>(Amount::Right);                 // SRI
    u[0b01010] = same_forms<ShiftLeft<true>, kAll, k64>(Amount::Left);                   // SLI
    u[0b01100] = same_forms<SaturatingShiftLeft<false, true>, kAll, kAll>(Amount::Left);  // SQSHLU
    u[0b01110] = same_forms<SaturatingShiftLeft<true, true>, kAll, kAll>(Amount::Left);   // UQSHL
    u[0b10000] = narrow_forms<SaturatingShiftRightNarrow<false, true, false>, true>();   // SQSHRUN
    u[0b10001] = narrow_forms<SaturatingShiftRightNarrow<false, true, true>, true>();    // SQRSHRUN
    u[0b10010] = narrow_forms<SaturatingShiftRightNarrow<true, true, false>, true>();    // UQSHRN
    u[0b10011] = narrow_forms<SaturatingShiftRightNarrow<true, true, true>, true>();     // UQRSHRN
    u[0b10100] = widen_forms<true>();                                                    // USHLL
    u[0b11100] = same_forms<FixedToFloat<true>, kSingleDouble, kSingleDouble>(Amount::Right);  // UCVTF
    u[0b11111] = same_forms<FloatToFixed<true>, kSingleDouble, kSingleDouble>(Amount::Right);  // FCVTZU
    return t;
}();

// UNDEFINED: immh = 0000 (in the vector class, the modified immediate
// words no row of that class takes), an unallocated opcode, and the
// reserved sizes the table leaves null.
template <Pattern P>
void decode_SHIFT_imm(Word<P> w, Insn& o) {
    const unsigned immh = field<'h'>(w);
    if (immh == 0) return;
    const unsigned size = std::bit_width(immh) - 1, esize = 8u << size;
    const ShiftForms& f = kShiftOps[field<'U'>(w)][field<'o'>(w)];
    ExecFn exec;
    if constexpr (P.has('Q')) exec = f.vector[size][field<'Q'>(w)];
    else exec = f.scalar[size];
    if (!exec) return;
    const unsigned immhb = immh << 3 | field<'b'>(w);
    o.rd = uint8_t(field<'d'>(w));
    o.rn = uint8_t(field<'n'>(w));
    o.shift = uint8_t(f.amount == Amount::Right ? 2 * esize - immhb : immhb - esize);
    o.exec = exec;
}

constexpr Encoding kTable[] = {
    encoding<"0 Q U 011110 hhhh bbb ooooo 1 nnnnn ddddd", decode_SHIFT_imm>
        ("SIMD_shift_imm", "Advanced SIMD shift by immediate"),
    encoding<"01 U 111110 hhhh bbb ooooo 1 nnnnn ddddd", decode_SHIFT_imm>
        ("SIMD_scalar_shift_imm", "Advanced SIMD scalar shift by immediate"),
};

}  // namespace

std::span<const Encoding> encodings_simd_shift() { return kTable; }

}  // namespace cpu
