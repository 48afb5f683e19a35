// A64 encoding index: the Advanced SIMD classes that move whole elements
// without arithmetic (ARM ARM DDI 0487 K.a, C4.1 "Data Processing --
// Scalar Floating-Point and Advanced SIMD"): table lookup (TBL, TBX),
// permute (UZP1/2, TRN1/2, ZIP1/2) and extract (EXT). Handlers follow each
// instruction's Operation pseudocode in C7.2.
//
// Pattern letters (decode.h): Q = Q, z = size, p = the part (op, bit 14:
// UZP1/TRN1/ZIP1 are 0, UZP2/TRN2/ZIP2 are 1), l = len, i = imm4,
// m = Rm, n = Rn, d = Rd.
//
// Every handler reads its sources whole before writing V[d], which may be
// one of them. A result built in a zeroed VReg and stored whole is the V[]
// setter's zero-extension for a 64-bit (Q = 0) vector.
#include "cpu/decode.h"
#include "cpu/isa/simd_common.h"

namespace cpu {

namespace {

using simd::fp_guarded;
using simd::vreg;

constexpr unsigned datasize(bool q) { return q ? 128 : 64; }

// ---- Table lookup (C7.2 TBL, TBX) -------------------------------------------

// The table is Regs consecutive registers from Rn, wrapping modulo 32. An
// out-of-range index gives zero (TBL) or leaves the byte of V[d] (TBX).
template <bool Q, unsigned Regs, bool Tbx>
Flow TBL_TBX(Cpu& c, const Insn& i) {
    constexpr unsigned elements = datasize(Q) / 8;
    VReg table[Regs];
    for (unsigned r = 0; r < Regs; ++r) table[r] = vreg(c, (i.rn + r) % 32);
    const VReg indices = vreg(c, i.rm);
    VReg result;
    if constexpr (Tbx) result = Q ? vreg(c, i.rd) : VReg::zero_extended(64, vreg(c, i.rd).d());
    for (unsigned e = 0; e < elements; ++e) {
        const unsigned index = unsigned(indices.get(8, e));
        if (index < 16 * Regs) result.set(8, e, table[index / 16].get(8, index % 16));
    }
    vreg(c, i.rd) = result;
    return Flow::Next;
}

template <bool Tbx>
constexpr ExecFn kTableLookup[2][4] = {  // [Q][len]
    {fp_guarded<TBL_TBX<false, 1, Tbx>>, fp_guarded<TBL_TBX<false, 2, Tbx>>,
     fp_guarded<TBL_TBX<false, 3, Tbx>>, fp_guarded<TBL_TBX<false, 4, Tbx>>},
    {fp_guarded<TBL_TBX<true, 1, Tbx>>, fp_guarded<TBL_TBX<true, 2, Tbx>>,
     fp_guarded<TBL_TBX<true, 3, Tbx>>, fp_guarded<TBL_TBX<true, 4, Tbx>>}};

template <bool Tbx, Pattern P>
void decode_TBL_TBX(Word<P> w, Insn& o) {
    o.rd = uint8_t(field<'d'>(w));
    o.rn = uint8_t(field<'n'>(w));
    o.rm = uint8_t(field<'m'>(w));
    o.exec = kTableLookup<Tbx>[field<'Q'>(w)][field<'l'>(w)];
}

// ---- Permute (C7.2 UZP1, UZP2, TRN1, TRN2, ZIP1, ZIP2) ----------------------

enum class PermuteOp : uint8_t { UZP, TRN, ZIP };

// Where element e of the result comes from: operand2 = V[m] or operand1 =
// V[n], and which element of it.
struct PermuteSource {
    bool from_m;
    unsigned index;
};
template <PermuteOp Op, unsigned Elements, unsigned Part>
constexpr PermuteSource permute_source(unsigned e) {
    if constexpr (Op == PermuteOp::UZP) {  // Elem[operand2:operand1, 2*e+part]
        const unsigned k = 2 * e + Part;
        return {k >= Elements, k % Elements};
    } else if constexpr (Op == PermuteOp::TRN) {  // pair p: operand1[2p+part], operand2[2p+part]
        return {e % 2 == 1, e - e % 2 + Part};
    } else {  // pair p: operand1[base+p], operand2[base+p], base = part * pairs
        return {e % 2 == 1, Part * Elements / 2 + e / 2};
    }
}

template <PermuteOp Op, unsigned Esize, bool Q, unsigned Part>
Flow PERMUTE(Cpu& c, const Insn& i) {
    constexpr unsigned elements = datasize(Q) / Esize;
    const VReg operand1 = vreg(c, i.rn), operand2 = vreg(c, i.rm);
    VReg result;
    for (unsigned e = 0; e < elements; ++e) {
        const PermuteSource s = permute_source<Op, elements, Part>(e);
        result.set(Esize, e, (s.from_m ? operand2 : operand1).get(Esize, s.index));
    }
    vreg(c, i.rd) = result;
    return Flow::Next;
}

template <PermuteOp Op, unsigned Part>
constexpr ExecFn kPermute[4][2] = {  // [size][Q]; size 11 with Q 0 is reserved
    {fp_guarded<PERMUTE<Op, 8, false, Part>>, fp_guarded<PERMUTE<Op, 8, true, Part>>},
    {fp_guarded<PERMUTE<Op, 16, false, Part>>, fp_guarded<PERMUTE<Op, 16, true, Part>>},
    {fp_guarded<PERMUTE<Op, 32, false, Part>>, fp_guarded<PERMUTE<Op, 32, true, Part>>},
    {nullptr, fp_guarded<PERMUTE<Op, 64, true, Part>>}};

// UNDEFINED: size:Q == '110'.
template <PermuteOp Op, Pattern P>
void decode_PERMUTE(Word<P> w, Insn& o) {
    const ExecFn exec = field<'p'>(w) ? kPermute<Op, 1>[field<'z'>(w)][field<'Q'>(w)]
                                      : kPermute<Op, 0>[field<'z'>(w)][field<'Q'>(w)];
    if (!exec) return;
    o.rd = uint8_t(field<'d'>(w));
    o.rn = uint8_t(field<'n'>(w));
    o.rm = uint8_t(field<'m'>(w));
    o.exec = exec;
}

// ---- Extract (C7.2 EXT) -----------------------------------------------------

// (V[m]:V[n])<position+datasize-1:position>, position = imm4 bytes (shift).
template <bool Q>
Flow EXT(Cpu& c, const Insn& i) {
    constexpr unsigned bytes = datasize(Q) / 8;
    const VReg lo = vreg(c, i.rn), hi = vreg(c, i.rm);
    VReg result;
    for (unsigned e = 0; e < bytes; ++e) {
        const unsigned k = i.shift + e;
        result.set(8, e, k < bytes ? lo.get(8, k) : hi.get(8, k - bytes));
    }
    vreg(c, i.rd) = result;
    return Flow::Next;
}

// UNDEFINED: Q == '0' with imm4<3> == '1'.
template <Pattern P>
void decode_EXT(Word<P> w, Insn& o) {
    const bool q = field<'Q'>(w);
    const unsigned imm4 = field<'i'>(w);
    if (!q && imm4 >= 8) return;
    o.rd = uint8_t(field<'d'>(w));
    o.rn = uint8_t(field<'n'>(w));
    o.rm = uint8_t(field<'m'>(w));
    o.shift = uint8_t(imm4);
    o.exec = q ? fp_guarded<EXT<true>> : fp_guarded<EXT<false>>;
}

// clang-format off
constexpr Encoding kEncodings[] = {
    // Advanced SIMD table lookup
    encoding<"0 Q 001110 00 0 mmmmm 0 ll 0 00 nnnnn ddddd", decode_TBL_TBX<false>>("TBL", "TBL"),
    encoding<"0 Q 001110 00 0 mmmmm 0 ll 1 00 nnnnn ddddd", decode_TBL_TBX<true>>("TBX", "TBX"),
    // Advanced SIMD permute
    encoding<"0 Q 001110 zz 0 mmmmm 0 p=0 01 10 nnnnn ddddd", decode_PERMUTE<PermuteOp::UZP>>("UZP1", "UZP1"),
    encoding<"0 Q 001110 zz 0 mmmmm 0 p=0 10 10 nnnnn ddddd", decode_PERMUTE<PermuteOp::TRN>>("TRN1", "TRN1"),
    encoding<"0 Q 001110 zz 0 mmmmm 0 p=0 11 10 nnnnn ddddd", decode_PERMUTE<PermuteOp::ZIP>>("ZIP1", "ZIP1"),
    encoding<"0 Q 001110 zz 0 mmmmm 0 p=1 01 10 nnnnn ddddd", decode_PERMUTE<PermuteOp::UZP>>("UZP2", "UZP2"),
    encoding<"0 Q 001110 zz 0 mmmmm 0 p=1 10 10 nnnnn ddddd", decode_PERMUTE<PermuteOp::TRN>>("TRN2", "TRN2"),
    encoding<"0 Q 001110 zz 0 mmmmm 0 p=1 11 10 nnnnn ddddd", decode_PERMUTE<PermuteOp::ZIP>>("ZIP2", "ZIP2"),
    // Advanced SIMD extract
    encoding<"0 Q 101110 00 0 mmmmm 0 iiii 0 nnnnn ddddd", decode_EXT>("EXT", "EXT"),
};
// clang-format on

}  // namespace

std::span<const Encoding> encodings_simd_permute() { return kEncodings; }

}  // namespace cpu
