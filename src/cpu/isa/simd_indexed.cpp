// A64 encoding index: Advanced SIMD vector x indexed element and Advanced
// SIMD scalar x indexed element (ARM ARM DDI 0487 K.a, C4.1.95; C7.2, the
// "(by element)" instructions). Every lane of Vn meets one lane of Vm.
//
// Pattern letters: Q = Q, U = U, z = size, L, M, H = L, M, H, m = Rm<3:0>,
// n = Rn, d = Rd. Insn: rd, rn, rm = Rm (M:Rm for 32- and 64-bit lanes),
// imm = the index of Vm's lane (H:L:M, H:L or H by the lane size).
//
// Not in Armv8.0-A, so UNDEFINED: half-precision (size = 00) FP forms
// (FEAT_FP16), FMLAL/FMLSL (FEAT_FHM), SDOT/UDOT (FEAT_DotProd), SUDOT,
// USDOT (FEAT_I8MM), BFDOT, BFMLAL (FEAT_BF16), SQRDMLAH/SQRDMLSH
// (FEAT_RDM), FCMLA (FEAT_FCMA).
#include <type_traits>

#include "cpu/decode.h"
#include "cpu/isa/simd_common.h"
#include "cpu/isa/simd_saturate.h"

namespace cpu {

namespace {

using namespace simd;

// What a lane operation reads besides its lanes, and the FPSR flags it raises.
struct Lanes {
    uint32_t fpcr;
    uint32_t flags = 0;
};

template <unsigned E>
using FPLane = std::conditional_t<E == 64, uint64_t, uint32_t>;

enum class Acc : uint8_t { None, Add, Sub };

// ---- Lanes of one size: lane<E>(Vn lane, Vm's lane, Vd lane) --------------

// MUL, MLA, MLS: Vd ± Vn * Vm modulo 2^esize.
template <Acc A>
struct MulAcc {
    template <unsigned E>
    static uint64_t lane(uint64_t n, uint64_t m, uint64_t d, Lanes&) {
        const uint64_t product = n * m;
        return lane_bits<E>(A == Acc::Add ? d + product : A == Acc::Sub ? d - product : product);
    }
};

// SQDMULH, SQRDMULH: SignedSatQ((2 * n * m + round_const) >> esize).
template <bool Round>
struct SatDoublingMulHigh {
    template <unsigned E>
    static uint64_t lane(uint64_t n, uint64_t m, uint64_t, Lanes& k) {
        const i128 round_const = Round ? i128(1) << (E - 1) : 0;
        const i128 product = 2 * Int<E>(n, false) * Int<E>(m, false) + round_const;
        return SignedSatQ<E>(product >> E, k.flags);
    }
};

// FMUL, FMULX: FPMul, FPMulX.
template <bool X>
struct FPMultiply {
    template <unsigned E>
    static uint64_t lane(uint64_t n, uint64_t m, uint64_t, Lanes& k) {
        using T = FPLane<E>;
        return X ? fp::FPMulX(T(n), T(m), k.fpcr, k.flags) : fp::FPMul(T(n), T(m), k.fpcr, k.flags);
    }
};

// FMLA, FMLS: FPMulAdd(Vd, ±Vn, Vm), one rounding.
template <bool Sub>
struct FPMultiplyAdd {
    template <unsigned E>
    static uint64_t lane(uint64_t n, uint64_t m, uint64_t d, Lanes& k) {
        using T = FPLane<E>;
        const T element1 = Sub ? fp::FPNeg(T(n)) : T(n);
        return fp::FPMulAdd(T(d), element1, T(m), k.fpcr, k.flags);
    }
};

// D / E lanes; a 64-bit vector or a scalar zeroes the rest of Vd.
template <class L, unsigned E, unsigned D>
Flow elem_same(Cpu& c, const Insn& i) {
    const VReg n = vreg(c, i.rn), d = vreg(c, i.rd);
    const uint64_t element2 = vreg(c, i.rm).get(E, unsigned(i.imm));
    Lanes k{fpcr(c)};
    VReg result;
    for (unsigned e = 0; e < D / E; ++e)
        result.set(E, e, L::template lane<E>(n.get(E, e), element2, d.get(E, e), k));
    vreg(c, i.rd) = result;
    fpsr_or(c, k.flags);
    return Flow::Next;
}

// ---- Long: lanes of E bits in, 2E out: lane<E>(Vn lane, Vm's lane, Vd lane)

// SMULL, UMULL, SMLAL, UMLAL, SMLSL, UMLSL: Vd ± Int(n) * Int(m) modulo 2^(2 * esize).
template <bool Unsigned, Acc A>
struct MulAccLong {
    template <unsigned E>
    static uint64_t lane(uint64_t n, uint64_t m, uint64_t d, Lanes&) {
        const i128 product = Int<E>(n, Unsigned) * Int<E>(m, Unsigned);
        return lane_bits<2 * E>(A == Acc::Add ? d + product : A == Acc::Sub ? d - product : product);
    }
};

// SQDMULL, SQDMLAL, SQDMLSL: SignedSatQ(2 * n * m), then SignedSatQ of
// Vd ± that; either saturation sets QC.
template <Acc A>
struct SatDoublingMulAccLong {
    template <unsigned E>
    static uint64_t lane(uint64_t n, uint64_t m, uint64_t d, Lanes& k) {
        const uint64_t product = SignedSatQ<2 * E>(2 * Int<E>(n, false) * Int<E>(m, false), k.flags);
        if (A == Acc::None) return product;
        const i128 accum = A == Acc::Add ? Int<2 * E>(d, false) + Int<2 * E>(product, false)
                                         : Int<2 * E>(d, false) - Int<2 * E>(product, false);
        return SignedSatQ<2 * E>(accum, k.flags);
    }
};

// Which lanes of Vn a long operation reads: the scalar's one, or
// Vpart[n, part] ("2" reads the upper half).
enum class Part : uint8_t { Scalar, Lower, Upper };

template <class L, unsigned E, Part P>
Flow elem_long(Cpu& c, const Insn& i) {
    constexpr unsigned kElements = P == Part::Scalar ? 1 : 64 / E;
    constexpr unsigned kFirst = P == Part::Upper ? kElements : 0;
    const VReg n = vreg(c, i.rn), d = vreg(c, i.rd);
    const uint64_t element2 = vreg(c, i.rm).get(E, unsigned(i.imm));
    Lanes k{fpcr(c)};
    VReg result;
    for (unsigned e = 0; e < kElements; ++e)
        result.set(2 * E, e, L::template lane<E>(n.get(E, kFirst + e), element2, d.get(2 * E, e), k));
    vreg(c, i.rd) = result;
    fpsr_or(c, k.flags);
    return Flow::Next;
}

// ---- Handlers by lane size ---------------------------------------------------

// [lane size: 16 or single, 32 or double][Q] and the scalar forms; null:
// reserved (double-precision needs Q = 1).
struct ElemForms {
    ExecFn vector[2][2] = {};
    ExecFn scalar[2] = {};
};

template <ExecFn F, bool Ok>
constexpr ExecFn guarded() {
    if constexpr (Ok) return fp_guarded<F>;
    else return nullptr;
}

template <class L, bool Scalar>
constexpr ElemForms kIntSame = {
    {{fp_guarded<elem_same<L, 16, 64>>, fp_guarded<elem_same<L, 16, 128>>},
     {fp_guarded<elem_same<L, 32, 64>>, fp_guarded<elem_same<L, 32, 128>>}},
    {guarded<elem_same<L, 16, 16>, Scalar>(), guarded<elem_same<L, 32, 32>, Scalar>()}};

template <class L, bool Scalar>
constexpr ElemForms kIntLong = {
    {{fp_guarded<elem_long<L, 16, Part::Lower>>, fp_guarded<elem_long<L, 16, Part::Upper>>},
     {fp_guarded<elem_long<L, 32, Part::Lower>>, fp_guarded<elem_long<L, 32, Part::Upper>>}},
    {guarded<elem_long<L, 16, Part::Scalar>, Scalar>(),
     guarded<elem_long<L, 32, Part::Scalar>, Scalar>()}};

template <class L>
constexpr ElemForms kFPSame = {
    {{fp_guarded<elem_same<L, 32, 64>>, fp_guarded<elem_same<L, 32, 128>>},
     {nullptr, fp_guarded<elem_same<L, 64, 128>>}},
    {fp_guarded<elem_same<L, 32, 32>>, fp_guarded<elem_same<L, 64, 64>>}};

template <const ElemForms& F, Pattern P>
void install(Word<P> w, Insn& o, unsigned size_index) {
    o.rd = uint8_t(field<'d'>(w));
    o.rn = uint8_t(field<'n'>(w));
    if constexpr (P.has('Q')) o.exec = F.vector[size_index][field<'Q'>(w)];
    else o.exec = F.scalar[size_index];
}

// Integer lanes: size 01 (16-bit, index H:L:M, Rm<3:0>) or 10 (32-bit,
// index H:L, M:Rm); UNDEFINED: size 00 or 11.
template <const ElemForms& F, Pattern P>
void decode_ELEM_int(Word<P> w, Insn& o) {
    const unsigned size = field<'z'>(w), h = field<'H'>(w), l = field<'L'>(w), m = field<'M'>(w);
    if (size != 1 && size != 2) return;
    o.imm = size == 1 ? (h << 2 | l << 1 | m) : (h << 1 | l);
    o.rm = uint8_t(size == 1 ? field<'m'>(w) : (m << 4 | field<'m'>(w)));
    install<F>(w, o, size - 1);
}

// FP lanes: size = 1:sz, single (index H:L) or double (index H); UNDEFINED:
// sz:L = 11.
template <const ElemForms& F, Pattern P>
void decode_ELEM_fp(Word<P> w, Insn& o) {
    const unsigned sz = field<'z'>(w) & 1, h = field<'H'>(w), l = field<'L'>(w);
    if (sz && l) return;
    o.imm = sz ? h : (h << 1 | l);
    o.rm = uint8_t(field<'M'>(w) << 4 | field<'m'>(w));
    install<F>(w, o, sz);
}

// Each instruction's handlers (the scalar ones where a scalar form exists).
constexpr const ElemForms& kSMLAL = kIntLong<MulAccLong<false, Acc::Add>, false>;
constexpr const ElemForms& kSQDMLAL = kIntLong<SatDoublingMulAccLong<Acc::Add>, true>;
constexpr const ElemForms& kSMLSL = kIntLong<MulAccLong<false, Acc::Sub>, false>;
constexpr const ElemForms& kSQDMLSL = kIntLong<SatDoublingMulAccLong<Acc::Sub>, true>;
constexpr const ElemForms& kMUL = kIntSame<MulAcc<Acc::None>, false>;
constexpr const ElemForms& kSMULL = kIntLong<MulAccLong<false, Acc::None>, false>;
constexpr const ElemForms& kSQDMULL = kIntLong<SatDoublingMulAccLong<Acc::None>, true>;
constexpr const ElemForms& kSQDMULH = kIntSame<SatDoublingMulHigh<false>, true>;
constexpr const ElemForms& kSQRDMULH = kIntSame<SatDoublingMulHigh<true>, true>;
constexpr const ElemForms& kFMLA = kFPSame<FPMultiplyAdd<false>>;
constexpr const ElemForms& kFMLS = kFPSame<FPMultiplyAdd<true>>;
constexpr const ElemForms& kFMUL = kFPSame<FPMultiply<false>>;
constexpr const ElemForms& kMLA = kIntSame<MulAcc<Acc::Add>, false>;
constexpr const ElemForms& kUMLAL = kIntLong<MulAccLong<true, Acc::Add>, false>;
constexpr const ElemForms& kMLS = kIntSame<MulAcc<Acc::Sub>, false>;
constexpr const ElemForms& kUMLSL = kIntLong<MulAccLong<true, Acc::Sub>, false>;
constexpr const ElemForms& kUMULL = kIntLong<MulAccLong<true, Acc::None>, false>;
constexpr const ElemForms& kFMULX = kFPSame<FPMultiply<true>>;

// Within this group no two patterns overlap; the other U:opcode values
// are unallocated.
constexpr Encoding kTable[] = {
    // Advanced SIMD vector x indexed element
    encoding<"0 Q 0 01111 zz L M mmmm 0010 H 0 nnnnn ddddd", decode_ELEM_int<kSMLAL>>
        ("SMLAL_elem", "SMLAL, SMLAL2 (by element)"),
    encoding<"0 Q 0 01111 zz L M mmmm 0011 H 0 nnnnn ddddd", decode_ELEM_int<kSQDMLAL>>
        ("SQDMLAL_elem", "SQDMLAL, SQDMLAL2 (by element)"),
    encoding<"0 Q 0 01111 zz L M mmmm 0110 H 0 nnnnn ddddd", decode_ELEM_int<kSMLSL>>
        ("SMLSL_elem", "SMLSL, SMLSL2 (by element)"),
    encoding<"0 Q 0 01111 zz L M mmmm 0111 H 0 nnnnn ddddd", decode_ELEM_int<kSQDMLSL>>
        ("SQDMLSL_elem", "SQDMLSL, SQDMLSL2 (by element)"),
    encoding<"0 Q 0 01111 zz L M mmmm 1000 H 0 nnnnn ddddd", decode_ELEM_int<kMUL>>
        ("MUL_elem", "MUL (by element)"),
    encoding<"0 Q 0 01111 zz L M mmmm 1010 H 0 nnnnn ddddd", decode_ELEM_int<kSMULL>>
        ("SMULL_elem", "SMULL, SMULL2 (by element)"),
    encoding<"0 Q 0 01111 zz L M mmmm 1011 H 0 nnnnn ddddd", decode_ELEM_int<kSQDMULL>>
        ("SQDMULL_elem", "SQDMULL, SQDMULL2 (by element)"),
    encoding<"0 Q 0 01111 zz L M mmmm 1100 H 0 nnnnn ddddd", decode_ELEM_int<kSQDMULH>>
        ("SQDMULH_elem", "SQDMULH (by element)"),
    encoding<"0 Q 0 01111 zz L M mmmm 1101 H 0 nnnnn ddddd", decode_ELEM_int<kSQRDMULH>>
        ("SQRDMULH_elem", "SQRDMULH (by element)"),
    encoding<"0 Q 0 01111 z=1z L M mmmm 0001 H 0 nnnnn ddddd", decode_ELEM_fp<kFMLA>>
        ("FMLA_elem", "FMLA (by element)"),
    encoding<"0 Q 0 01111 z=1z L M mmmm 0101 H 0 nnnnn ddddd", decode_ELEM_fp<kFMLS>>
        ("FMLS_elem", "FMLS (by element)"),
    encoding<"0 Q 0 01111 z=1z L M mmmm 1001 H 0 nnnnn ddddd", decode_ELEM_fp<kFMUL>>
        ("FMUL_elem", "FMUL (by element)"),
    encoding<"0 Q 1 01111 zz L M mmmm 0000 H 0 nnnnn ddddd", decode_ELEM_int<kMLA>>
        ("MLA_elem", "MLA (by element)"),
    encoding<"0 Q 1 01111 zz L M mmmm 0010 H 0 nnnnn ddddd", decode_ELEM_int<kUMLAL>>
        ("UMLAL_elem", "UMLAL, UMLAL2 (by element)"),
    encoding<"0 Q 1 01111 zz L M mmmm 0100 H 0 nnnnn ddddd", decode_ELEM_int<kMLS>>
        ("MLS_elem", "MLS (by element)"),
    encoding<"0 Q 1 01111 zz L M mmmm 0110 H 0 nnnnn ddddd", decode_ELEM_int<kUMLSL>>
        ("UMLSL_elem", "UMLSL, UMLSL2 (by element)"),
    encoding<"0 Q 1 01111 zz L M mmmm 1010 H 0 nnnnn ddddd", decode_ELEM_int<kUMULL>>
        ("UMULL_elem", "UMULL, UMULL2 (by element)"),
    encoding<"0 Q 1 01111 z=1z L M mmmm 1001 H 0 nnnnn ddddd", decode_ELEM_fp<kFMULX>>
        ("FMULX_elem", "FMULX (by element)"),
    encoding<"0 Q 0 01111 00 L M mmmm 0001 H 0 nnnnn ddddd", decode_UNDEFINED>
        ("FMLA_elem_h", "FMLA (by element) (half-precision) (FEAT_FP16: not implemented)"),
    encoding<"0 Q 0 01111 00 L M mmmm 0101 H 0 nnnnn ddddd", decode_UNDEFINED>
        ("FMLS_elem_h", "FMLS (by element) (half-precision) (FEAT_FP16: not implemented)"),
    encoding<"0 Q 0 01111 00 L M mmmm 1001 H 0 nnnnn ddddd", decode_UNDEFINED>
        ("FMUL_elem_h", "FMUL (by element) (half-precision) (FEAT_FP16: not implemented)"),
    encoding<"0 Q 1 01111 00 L M mmmm 1001 H 0 nnnnn ddddd", decode_UNDEFINED>
        ("FMULX_elem_h", "FMULX (by element) (half-precision) (FEAT_FP16: not implemented)"),
    encoding<"0 Q 0 01111 10 L M mmmm 0000 H 0 nnnnn ddddd", decode_UNDEFINED>
        ("FMLAL_elem", "FMLAL (by element) (FEAT_FHM: not implemented)"),
    encoding<"0 Q 0 01111 10 L M mmmm 0100 H 0 nnnnn ddddd", decode_UNDEFINED>
        ("FMLSL_elem", "FMLSL (by element) (FEAT_FHM: not implemented)"),
    encoding<"0 Q 1 01111 10 L M mmmm 1000 H 0 nnnnn ddddd", decode_UNDEFINED>
        ("FMLAL2_elem", "FMLAL2 (by element) (FEAT_FHM: not implemented)"),
    encoding<"0 Q 1 01111 10 L M mmmm 1100 H 0 nnnnn ddddd", decode_UNDEFINED>
        ("FMLSL2_elem", "FMLSL2 (by element) (FEAT_FHM: not implemented)"),
    encoding<"0 Q 0 01111 10 L M mmmm 1110 H 0 nnnnn ddddd", decode_UNDEFINED>
        ("SDOT_elem", "SDOT (by element) (FEAT_DotProd: not implemented)"),
    encoding<"0 Q 1 01111 10 L M mmmm 1110 H 0 nnnnn ddddd", decode_UNDEFINED>
        ("UDOT_elem", "UDOT (by element) (FEAT_DotProd: not implemented)"),
    encoding<"0 Q 0 01111 zz L M mmmm 1111 H 0 nnnnn ddddd", decode_UNDEFINED>
        ("SUDOT_USDOT_BFDOT_BFMLAL_elem",
         "SUDOT, USDOT, BFDOT, BFMLAL (by element) (FEAT_I8MM, FEAT_BF16: not implemented)"),
    encoding<"0 Q 1 01111 zz L M mmmm 1101 H 0 nnnnn ddddd", decode_UNDEFINED>
        ("SQRDMLAH_elem", "SQRDMLAH (by element) (FEAT_RDM: not implemented)"),
    encoding<"0 Q 1 01111 zz L M mmmm 1111 H 0 nnnnn ddddd", decode_UNDEFINED>
        ("SQRDMLSH_elem", "SQRDMLSH (by element) (FEAT_RDM: not implemented)"),
    encoding<"0 Q 1 01111 zz L M mmmm 0 rr 1 H 0 nnnnn ddddd", decode_UNDEFINED>
        ("FCMLA_elem", "FCMLA (by element) (FEAT_FCMA: not implemented)"),
    // Advanced SIMD scalar x indexed element
    encoding<"01 0 11111 zz L M mmmm 0011 H 0 nnnnn ddddd", decode_ELEM_int<kSQDMLAL>>
        ("SQDMLAL_elem_scalar", "SQDMLAL (by element) (scalar)"),
    encoding<"01 0 11111 zz L M mmmm 0111 H 0 nnnnn ddddd", decode_ELEM_int<kSQDMLSL>>
        ("SQDMLSL_elem_scalar", "SQDMLSL (by element) (scalar)"),
    encoding<"01 0 11111 zz L M mmmm 1011 H 0 nnnnn ddddd", decode_ELEM_int<kSQDMULL>>
        ("SQDMULL_elem_scalar", "SQDMULL (by element) (scalar)"),
    encoding<"01 0 11111 zz L M mmmm 1100 H 0 nnnnn ddddd", decode_ELEM_int<kSQDMULH>>
        ("SQDMULH_elem_scalar", "SQDMULH (by element) (scalar)"),
    encoding<"01 0 11111 zz L M mmmm 1101 H 0 nnnnn ddddd", decode_ELEM_int<kSQRDMULH>>
        ("SQRDMULH_elem_scalar", "SQRDMULH (by element) (scalar)"),
    encoding<"01 0 11111 z=1z L M mmmm 0001 H 0 nnnnn ddddd", decode_ELEM_fp<kFMLA>>
        ("FMLA_elem_scalar", "FMLA (by element) (scalar)"),
    encoding<"01 0 11111 z=1z L M mmmm 0101 H 0 nnnnn ddddd", decode_ELEM_fp<kFMLS>>
        ("FMLS_elem_scalar", "FMLS (by element) (scalar)"),
    encoding<"01 0 11111 z=1z L M mmmm 1001 H 0 nnnnn ddddd", decode_ELEM_fp<kFMUL>>
        ("FMUL_elem_scalar", "FMUL (by element) (scalar)"),
    encoding<"01 1 11111 z=1z L M mmmm 1001 H 0 nnnnn ddddd", decode_ELEM_fp<kFMULX>>
        ("FMULX_elem_scalar", "FMULX (by element) (scalar)"),
    encoding<"01 0 11111 00 L M mmmm 0001 H 0 nnnnn ddddd", decode_UNDEFINED>
        ("FMLA_elem_scalar_h", "FMLA (by element) (scalar, half-precision) (FEAT_FP16: not implemented)"),
    encoding<"01 0 11111 00 L M mmmm 0101 H 0 nnnnn ddddd", decode_UNDEFINED>
        ("FMLS_elem_scalar_h", "FMLS (by element) (scalar, half-precision) (FEAT_FP16: not implemented)"),
    encoding<"01 0 11111 00 L M mmmm 1001 H 0 nnnnn ddddd", decode_UNDEFINED>
        ("FMUL_elem_scalar_h", "FMUL (by element) (scalar, half-precision) (FEAT_FP16: not implemented)"),
    encoding<"01 1 11111 00 L M mmmm 1001 H 0 nnnnn ddddd", decode_UNDEFINED>
        ("FMULX_elem_scalar_h", "FMULX (by element) (scalar, half-precision) (FEAT_FP16: not implemented)"),
    encoding<"01 1 11111 zz L M mmmm 1101 H 0 nnnnn ddddd", decode_UNDEFINED>
        ("SQRDMLAH_elem_scalar", "SQRDMLAH (by element) (scalar) (FEAT_RDM: not implemented)"),
    encoding<"01 1 11111 zz L M mmmm 1111 H 0 nnnnn ddddd", decode_UNDEFINED>
        ("SQRDMLSH_elem_scalar", "SQRDMLSH (by element) (scalar) (FEAT_RDM: not implemented)"),
};

}  // namespace

std::span<const Encoding> encodings_simd_indexed() { return kTable; }

}  // namespace cpu
