// Scalar floating-point data processing (DDI 0487 K.a, C4.1.96): the
// classes "Floating-point data-processing (1 source)" except FCVT
// (fp_convert.cpp), "(2 source)", "(3 source)" and "Floating-point
// immediate". Each handler is its instruction's Operation pseudocode (C7.2)
// on cpu::fp, for single (uint32_t) and double (uint64_t) precision.
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

// ---- (1 source): FMOV (register), FABS, FNEG, FSQRT, FRINT<r> ------------
//
// An operation is a struct whose apply<T>(op, fpcr, fpsr) is the ASL's.

struct Mov {
    template <FPBits T> static T apply(T op, uint32_t, uint32_t&) { return op; }
};
struct Abs {
    template <FPBits T> static T apply(T op, uint32_t, uint32_t&) { return fp::FPAbs(op); }
};
struct Neg {
    template <FPBits T> static T apply(T op, uint32_t, uint32_t&) { return fp::FPNeg(op); }
};
struct Sqrt {
    template <FPBits T> static T apply(T op, uint32_t fpcr, uint32_t& fpsr) {
        return fp::FPSqrt(op, fpcr, fpsr);
    }
};
// FRINTN, FRINTP, FRINTM, FRINTZ, FRINTA (scalar): the rounding each names.
template <FPRounding R>
struct RoundInt {
    template <FPBits T> static T apply(T op, uint32_t fpcr, uint32_t& fpsr) {
        return fp::FPRoundInt(op, fpcr, R, false, fpsr);
    }
};
// FRINTX and FRINTI: FPCR's rounding; FRINTX signals Inexact.
template <bool Exact>
struct RoundIntFpcr {
    template <FPBits T> static T apply(T op, uint32_t fpcr, uint32_t& fpsr) {
        return fp::FPRoundInt(op, fpcr, fp::FPRoundingMode(fpcr), Exact, fpsr);
    }
};

template <class Op, FPBits T>
Flow FP_1src(Cpu& c, const Insn& i) {
    uint32_t flags = simd::fpsr_flags(c);
    const T result = Op::template apply<T>(T(simd::vread(c, i.rn, kN<T>)), simd::fpcr(c), flags);
    simd::vwrite(c, i.rd, kN<T>, result);
    simd::fpsr_or(c, flags);
    return Flow::Next;
}
template <class Op>
constexpr ByType k1src = {fp_guarded<FP_1src<Op, uint32_t>>, fp_guarded<FP_1src<Op, uint64_t>>};

// By opcode (bits 20:15); 0001xx is FCVT, 001101 unallocated.
constexpr std::array<ByType, 16> kDp1 = {
    k1src<Mov>, k1src<Abs>, k1src<Neg>, k1src<Sqrt>, ByType{}, ByType{}, ByType{}, ByType{},
    k1src<RoundInt<FPRounding::TIEEVEN>>, k1src<RoundInt<FPRounding::POSINF>>,
    k1src<RoundInt<FPRounding::NEGINF>>, k1src<RoundInt<FPRounding::ZERO>>,
    k1src<RoundInt<FPRounding::TIEAWAY>>, ByType{}, k1src<RoundIntFpcr<true>>,
    k1src<RoundIntFpcr<false>>};

// ---- (2 source): FMUL, FDIV, FADD, FSUB, FMAX, FMIN, FMAXNM, FMINNM, FNMUL -

template <FPBits T>
using Fn2 = T (*)(T, T, uint32_t, uint32_t&);

// C7.2 FNMUL (scalar): the product negated, a NaN result too.
template <FPBits T>
T fnmul(T op1, T op2, uint32_t fpcr, uint32_t& fpsr) {
    return fp::FPNeg(fp::FPMul(op1, op2, fpcr, fpsr));
}

template <FPBits T, Fn2<T> Op>
Flow FP_2src(Cpu& c, const Insn& i) {
    uint32_t flags = simd::fpsr_flags(c);
    const T op1 = T(simd::vread(c, i.rn, kN<T>));
    const T op2 = T(simd::vread(c, i.rm, kN<T>));
    simd::vwrite(c, i.rd, kN<T>, Op(op1, op2, simd::fpcr(c), flags));
    simd::fpsr_or(c, flags);
    return Flow::Next;
}
template <Fn2<uint32_t> S, Fn2<uint64_t> D>
constexpr ByType k2src = {fp_guarded<FP_2src<uint32_t, S>>, fp_guarded<FP_2src<uint64_t, D>>};

// FMUL, FDIV, FADD, FSUB: the fast path's first way (fp_host.h) inline,
// before the call.
template <FPBits T, fp::host::Op H, Fn2<T> Op>
Flow FP_2src_first(Cpu& c, const Insn& i) {
    const T op1 = T(simd::vread(c, i.rn, kN<T>));
    const T op2 = T(simd::vread(c, i.rm, kN<T>));
    T result;
    if (!fp::host::first<H>(op1, op2, T(0), simd::fpcr(c), simd::fpsr_flags(c), result)) return FP_2src<T, Op>(c, i);
    simd::vwrite(c, i.rd, kN<T>, result);
    return Flow::Next;
}
template <fp::host::Op H, Fn2<uint32_t> S, Fn2<uint64_t> D>
constexpr ByType k2first = {fp_guarded<FP_2src_first<uint32_t, H, S>>, fp_guarded<FP_2src_first<uint64_t, H, D>>};

// By opcode (bits 15:12); 1001..1111 are unallocated and have no row.
constexpr std::array<ByType, 9> kDp2 = {
    k2first<fp::host::Op::Mul, fp::FPMul<uint32_t>, fp::FPMul<uint64_t>>,
    k2first<fp::host::Op::Div, fp::FPDiv<uint32_t>, fp::FPDiv<uint64_t>>,
    k2first<fp::host::Op::Add, fp::FPAdd<uint32_t>, fp::FPAdd<uint64_t>>,
    k2first<fp::host::Op::Sub, fp::FPSub<uint32_t>, fp::FPSub<uint64_t>>,
    k2src<fp::FPMax<uint32_t>, fp::FPMax<uint64_t>>,
    k2src<fp::FPMin<uint32_t>, fp::FPMin<uint64_t>>,
    k2src<fp::FPMaxNum<uint32_t>, fp::FPMaxNum<uint64_t>>,
    k2src<fp::FPMinNum<uint32_t>, fp::FPMinNum<uint64_t>>,
    k2src<fnmul<uint32_t>, fnmul<uint64_t>>};

// ---- (3 source): FMADD, FMSUB, FNMADD, FNMSUB ------------------------------

// Va + Vn * Vm with one rounding; FMSUB negates Vn, FNMADD Va and Vn,
// FNMSUB Va (C7.2 FMADD, FMSUB, FNMADD, FNMSUB): FPNeg before FPMulAdd, so
// a NaN operand propagates negated.
template <FPBits T, bool NegA, bool NegN>
Flow FP_3src(Cpu& c, const Insn& i) {
    uint32_t flags = simd::fpsr_flags(c);
    T addend = T(simd::vread(c, i.ra, kN<T>));
    T op1 = T(simd::vread(c, i.rn, kN<T>));
    const T op2 = T(simd::vread(c, i.rm, kN<T>));
    if constexpr (NegA) addend = fp::FPNeg(addend);
    if constexpr (NegN) op1 = fp::FPNeg(op1);
    T result;
    if (!fp::host::first<fp::host::Op::MulAdd>(addend, op1, op2, simd::fpcr(c), flags, result))
        result = fp::FPMulAdd(addend, op1, op2, simd::fpcr(c), flags);  // the first way inline, then the call
    simd::vwrite(c, i.rd, kN<T>, result);
    simd::fpsr_or(c, flags);
    return Flow::Next;
}
template <bool NegA, bool NegN>
constexpr ByType k3src = {fp_guarded<FP_3src<uint32_t, NegA, NegN>>,
                          fp_guarded<FP_3src<uint64_t, NegA, NegN>>};

// By o1:o0.
constexpr std::array<ByType, 4> kDp3 = {k3src<false, false>, k3src<false, true>,
                                        k3src<true, true>, k3src<true, false>};

// ---- Floating-point immediate: FMOV (scalar, immediate) --------------------

// VFPExpandImm: imm8 = a:b:cd:efgh is sign a, exponent NOT(b):Replicate(b,
// E-3):cd and fraction efgh:Zeros(F-4).
template <FPBits T>
constexpr T vfp_expand_imm(unsigned imm8) {
    constexpr unsigned N = kN<T>, E = N == 32 ? 8 : 11, F = N - E - 1;
    const uint64_t sign = imm8 >> 7, b = (imm8 >> 6) & 1, cd = (imm8 >> 4) & 3;
    const uint64_t exp = (b ^ 1) << (E - 1) | (b ? (uint64_t(1) << (E - 3)) - 1 : 0) << 2 | cd;
    return T(sign << (N - 1) | exp << F | uint64_t(imm8 & 15) << (F - 4));
}
static_assert(vfp_expand_imm<uint32_t>(0x70) == 0x3F800000u);          // 1.0
static_assert(vfp_expand_imm<uint64_t>(0x80) == 0xC000000000000000u);  // -2.0
static_assert(vfp_expand_imm<uint64_t>(0xC0) == 0xBFC0000000000000u);  // -0.125
static_assert(vfp_expand_imm<uint32_t>(0x1F) == 0x40F80000u);          // 7.75

// imm is the expanded constant.
template <FPBits T>
Flow FMOV_imm(Cpu& c, const Insn& i) {
    simd::vwrite(c, i.rd, kN<T>, i.imm);
    return Flow::Next;
}

}  // namespace

void decode_fp_dp1(const FpFields& f, Insn& o) {
    if (!single_or_double(f.ftype)) return;
    o.rd = uint8_t(f.rd);
    o.rn = uint8_t(f.rn);
    o.exec = kDp1[f.opcode][f.ftype];
}

void decode_fp_dp2(const FpFields& f, Insn& o) {
    if (!single_or_double(f.ftype)) return;
    o.rd = uint8_t(f.rd);
    o.rn = uint8_t(f.rn);
    o.rm = uint8_t(f.rm);
    o.exec = kDp2[f.opcode][f.ftype];
}

void decode_fp_dp3(const FpFields& f, Insn& o) {
    if (!single_or_double(f.ftype)) return;
    o.rd = uint8_t(f.rd);
    o.rn = uint8_t(f.rn);
    o.rm = uint8_t(f.rm);
    o.ra = uint8_t(f.ra);
    o.exec = kDp3[f.opcode][f.ftype];
}

void decode_fp_imm(const FpFields& f, Insn& o) {
    if (!single_or_double(f.ftype)) return;
    o.rd = uint8_t(f.rd);
    o.imm = f.ftype ? vfp_expand_imm<uint64_t>(f.imm8) : vfp_expand_imm<uint32_t>(f.imm8);
    o.exec = f.ftype ? fp_guarded<FMOV_imm<uint64_t>> : fp_guarded<FMOV_imm<uint32_t>>;
}

}  // namespace cpu::fpscalar
