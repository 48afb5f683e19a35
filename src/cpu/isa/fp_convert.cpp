// Scalar floating-point conversions (DDI 0487 K.a, C4.1.96): FCVT between
// half, single and double (class "Floating-point data-processing (1
// source)"), the classes "Conversion between floating-point and integer"
// (FCVT<r>S/U, FCVTAS/AU, SCVTF, UCVTF, FMOV (general)) and "Conversion
// between floating-point and fixed-point" (FCVTZS, FCVTZU, SCVTF, UCVTF).
// The arithmetic is cpu::fp's FPConvert, FPToFixed and FixedToFP.
#include <array>
#include <cstdint>

#include "cpu/fp/fp_host.h"
#include "cpu/isa/fp_scalar.h"
#include "cpu/isa/simd_common.h"

namespace cpu::fpscalar {

namespace {

using fp::FPBits;
using fp::FPRounding;
using simd::fp_guarded;

// ---- FCVT (C7.2 FCVT) --------------------------------------------------------

// FPConvert honours FPCR.AHP for a half source or destination and FPCR.DN.
template <FPBits To, FPBits From>
Flow FCVT(Cpu& c, const Insn& i) {
    uint32_t flags = 0;
    const From op = From(simd::vread(c, i.rn, kN<From>));
    simd::vwrite(c, i.rd, kN<To>, fp::FPConvert<To, From>(op, simd::fpcr(c), flags));
    simd::fpsr_or(c, flags);
    return Flow::Next;
}
template <FPBits To, FPBits From>
constexpr ExecFn kFcvt = fp_guarded<FCVT<To, From>>;

// Precision index of an ftype or opc value: 00 single, 01 double, 11 half;
// 10 is reserved (kReserved).
constexpr unsigned kReserved = 3;
constexpr std::array<unsigned, 4> kPrecision = {0, 1, kReserved, 2};

// [source][destination]; the diagonal (ftype == opc) is unallocated.
constexpr std::array<std::array<ExecFn, 3>, 3> kFcvtTable = {{
    {nullptr, kFcvt<uint64_t, uint32_t>, kFcvt<uint16_t, uint32_t>},
    {kFcvt<uint32_t, uint64_t>, nullptr, kFcvt<uint16_t, uint64_t>},
    {kFcvt<uint32_t, uint16_t>, kFcvt<uint64_t, uint16_t>, nullptr},
}};

// ---- To and from a general register (integer and fixed-point) ---------------

// C7.2 FCVTNS ... FCVTZU (scalar, integer and fixed-point): FPToFixed into
// Wd or Xd (a W result zero-extends), with the rounding the instruction
// names; shift = fbits, 0 for the integer forms.
template <FPBits T, bool Is64, bool Unsigned, FPRounding R>
Flow FCVT_to_fixed(Cpu& c, const Insn& i) {
    uint32_t flags = 0;
    const T op = T(simd::vread(c, i.rn, kN<T>));
    c.set_x(i.rd, fp::FPToFixed(op, i.shift, Unsigned, Is64, simd::fpcr(c), R, flags));
    simd::fpsr_or(c, flags);
    return Flow::Next;
}

// C7.2 SCVTF, UCVTF (scalar, integer and fixed-point): FixedToFP from Wn or
// Xn in FPCR's rounding mode; shift = fbits.
template <FPBits T, bool Is64, bool Unsigned>
Flow CVTF_from_fixed(Cpu& c, const Insn& i) {
    uint32_t flags = 0;
    const uint32_t fpcr = simd::fpcr(c);
    T result;
    if (!fp::host::fixed_to_fp(c.x(i.rn), i.shift, Unsigned, Is64, result))  // FixedToFP's first step, inline
        result = fp::FixedToFP<T>(c.x(i.rn), i.shift, Unsigned, Is64, fpcr, fp::FPRoundingMode(fpcr), flags);
    simd::vwrite(c, i.rd, kN<T>, result);
    simd::fpsr_or(c, flags);
    return Flow::Next;
}

// [sf][ftype]
using BySfType = std::array<ByType, 2>;
template <bool Unsigned, FPRounding R>
constexpr BySfType kToFixed = {
    ByType{fp_guarded<FCVT_to_fixed<uint32_t, false, Unsigned, R>>,
           fp_guarded<FCVT_to_fixed<uint64_t, false, Unsigned, R>>},
    ByType{fp_guarded<FCVT_to_fixed<uint32_t, true, Unsigned, R>>,
           fp_guarded<FCVT_to_fixed<uint64_t, true, Unsigned, R>>}};
template <FPRounding R>
constexpr std::array<BySfType, 2> kToFixedSU = {kToFixed<false, R>, kToFixed<true, R>};

// [FPRounding][unsigned][sf][ftype]
constexpr std::array<std::array<BySfType, 2>, 5> kToFixedTable = {
    kToFixedSU<FPRounding::TIEEVEN>, kToFixedSU<FPRounding::POSINF>,
    kToFixedSU<FPRounding::NEGINF>, kToFixedSU<FPRounding::ZERO>, kToFixedSU<FPRounding::TIEAWAY>};

template <bool Unsigned>
constexpr BySfType kFromFixed = {
    ByType{fp_guarded<CVTF_from_fixed<uint32_t, false, Unsigned>>,
           fp_guarded<CVTF_from_fixed<uint64_t, false, Unsigned>>},
    ByType{fp_guarded<CVTF_from_fixed<uint32_t, true, Unsigned>>,
           fp_guarded<CVTF_from_fixed<uint64_t, true, Unsigned>>}};

// The class opcodes: 000/001 FCVT<r>S/U (or FCVTZS/U with fbits), 010/011
// SCVTF/UCVTF, 100/101 FCVTAS/AU; bit 0 is unsigned.
void install_conversion(const FpFields& f, FPRounding to_int_rounding, unsigned fbits, Insn& o) {
    const bool is_unsigned = f.opcode & 1;
    o.rd = uint8_t(f.rd);
    o.rn = uint8_t(f.rn);
    o.shift = uint8_t(fbits);
    if (f.opcode == 0b010 || f.opcode == 0b011)
        o.exec = (is_unsigned ? kFromFixed<true> : kFromFixed<false>)[f.sf][f.ftype];
    else
        o.exec = kToFixedTable[unsigned(to_int_rounding)][is_unsigned][f.sf][f.ftype];
}

// ---- FMOV (general) (C7.2 FMOV (general)) -----------------------------------

// A bit copy, no FP exception. To a W register the value zero-extends; to
// V[d] of 32 or 64 bits the rest of the register becomes zero.
template <unsigned N>
Flow FMOV_to_general(Cpu& c, const Insn& i) {
    c.set_x(i.rd, simd::vread(c, i.rn, N));
    return Flow::Next;
}
template <unsigned N>
Flow FMOV_from_general(Cpu& c, const Insn& i) {
    simd::vwrite(c, i.rd, N, c.x(i.rn));
    return Flow::Next;
}
// FMOV Xd, Vn.D[1] and FMOV Vd.D[1], Xn: Vpart[n, 1]; the write keeps
// bits 63:0 of Vd.
Flow FMOV_to_general_top(Cpu& c, const Insn& i) {
    c.set_x(i.rd, simd::vreg(c, i.rn).hi());
    return Flow::Next;
}
Flow FMOV_from_general_top(Cpu& c, const Insn& i) {
    simd::vreg(c, i.rd).set(64, 1, c.x(i.rn));
    return Flow::Next;
}

// The allocated (sf, ftype, rmode) of FMOV (general); ftype 11 (half) is
// FEAT_FP16.
struct FmovForm {
    unsigned sf, ftype, rmode;
    ExecFn to_general, from_general;
};
constexpr FmovForm kFmovForms[] = {
    {0, 0b00, 0b00, fp_guarded<FMOV_to_general<32>>, fp_guarded<FMOV_from_general<32>>},
    {1, 0b01, 0b00, fp_guarded<FMOV_to_general<64>>, fp_guarded<FMOV_from_general<64>>},
    {1, 0b10, 0b01, fp_guarded<FMOV_to_general_top>, fp_guarded<FMOV_from_general_top>},
};

}  // namespace

// FCVT: opcode is opc, the destination's precision.
void decode_fp_fcvt(const FpFields& f, Insn& o) {
    const unsigned from = kPrecision[f.ftype], to = kPrecision[f.opcode];
    if (from == kReserved || to == kReserved) return;
    o.rd = uint8_t(f.rd);
    o.rn = uint8_t(f.rn);
    o.exec = kFcvtTable[from][to];
}

// FCVT{N,P,M,Z}{S,U} round by rmode (FPDecodeRounding, FPRounding's first
// four); FCVTA{S,U} (rmode 00) by TIEAWAY.
static_assert(FPRounding(0b01) == FPRounding::POSINF && FPRounding(0b10) == FPRounding::NEGINF &&
              FPRounding(0b11) == FPRounding::ZERO);
void decode_fp_int(const FpFields& f, Insn& o) {
    if (!single_or_double(f.ftype)) return;
    const FPRounding r = f.opcode & 0b100 ? FPRounding::TIEAWAY : FPRounding(f.rmode);
    install_conversion(f, r, 0, o);
}

// fbits = 64 - scale; sf = 0 with scale<5> = 0 (fbits > 32) is UNDEFINED.
// FCVTZS/FCVTZU round toward zero.
void decode_fp_fixed(const FpFields& f, Insn& o) {
    if (!single_or_double(f.ftype) || (!f.sf && f.scale < 32)) return;
    install_conversion(f, FPRounding::ZERO, 64 - f.scale, o);
}

// opcode 110 moves to the general register, 111 from it.
void decode_fp_fmov_general(const FpFields& f, Insn& o) {
    for (const FmovForm& form : kFmovForms) {
        if (form.sf != f.sf || form.ftype != f.ftype || form.rmode != f.rmode) continue;
        o.rd = uint8_t(f.rd);
        o.rn = uint8_t(f.rn);
        o.exec = f.opcode == 0b110 ? form.to_general : form.from_general;
    }
}

}  // namespace cpu::fpscalar
