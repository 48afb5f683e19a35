// A64 encoding index: Advanced SIMD copy and Advanced SIMD scalar copy
// (ARM ARM DDI 0487 K.a, C4.1.95; C7.2 DUP (element), DUP (general), INS
// (general), INS (element), SMOV, UMOV). The lane size is 8 << size with
// size = LowestSetBit(imm5); the lane index is imm5<4:size+1>.
//
// Pattern letters: Q = Q, i = imm5, j = imm4, n = Rn, d = Rd.
// Insn: rd, rn; imm = the index of the lane read from Vn (DUP (element),
// SMOV, UMOV, INS (element)), shift2 = the index of the lane written in Vd
// (INS, the insert position).
#include <bit>

#include "arch/bits.h"
#include "cpu/decode.h"
#include "cpu/isa/simd_common.h"

namespace cpu {

namespace {

using namespace simd;

// DUP (element), DUP (general): one lane replicated over datasize bits.
template <unsigned E, bool Q>
void replicate_lane(Cpu& c, unsigned d, uint64_t element) {
    VReg result;
    for (unsigned e = 0; e < (Q ? 128 : 64) / E; ++e) result.set(E, e, element);
    vreg(c, d) = result;
}

template <unsigned E, bool Q>
Flow DUP_element(Cpu& c, const Insn& i) {
    replicate_lane<E, Q>(c, i.rd, vreg(c, i.rn).get(E, unsigned(i.imm)));
    return Flow::Next;
}

template <unsigned E, bool Q>
Flow DUP_general(Cpu& c, const Insn& i) {
    replicate_lane<E, Q>(c, i.rd, c.x(i.rn) & arch::ones(E));
    return Flow::Next;
}

// DUP (element), scalar (MOV scalar): V[d, esize] = the lane.
template <unsigned E>
Flow DUP_element_scalar(Cpu& c, const Insn& i) {
    vwrite(c, i.rd, E, vreg(c, i.rn).get(E, unsigned(i.imm)));
    return Flow::Next;
}

// INS (general), INS (element): one lane of Vd replaced, the rest kept.
template <unsigned E>
Flow INS_general(Cpu& c, const Insn& i) {
    vreg(c, i.rd).set(E, i.shift2, c.x(i.rn));
    return Flow::Next;
}
template <unsigned E>
Flow INS_element(Cpu& c, const Insn& i) {
    const uint64_t element = vreg(c, i.rn).get(E, unsigned(i.imm));
    vreg(c, i.rd).set(E, i.shift2, element);
    return Flow::Next;
}

// SMOV to W (X64 = false) or X; UMOV: the lane zero-extended.
template <unsigned E, bool X64>
Flow SMOV(Cpu& c, const Insn& i) {
    const int64_t v = arch::sign_extend(vreg(c, i.rn).get(E, unsigned(i.imm)), E);
    c.set_x(i.rd, X64 ? uint64_t(v) : uint32_t(v));
    return Flow::Next;
}
template <unsigned E>
Flow UMOV(Cpu& c, const Insn& i) {
    c.set_x(i.rd, vreg(c, i.rn).get(E, unsigned(i.imm)));
    return Flow::Next;
}

// [size][Q]; null: reserved (64-bit lanes need Q = 1, SMOV's lane is
// narrower than its register, UMOV's as wide).
constexpr ExecFn kDupElement[4][2] = {
    {fp_guarded<DUP_element<8, false>>, fp_guarded<DUP_element<8, true>>},
    {fp_guarded<DUP_element<16, false>>, fp_guarded<DUP_element<16, true>>},
    {fp_guarded<DUP_element<32, false>>, fp_guarded<DUP_element<32, true>>},
    {nullptr, fp_guarded<DUP_element<64, true>>}};
constexpr ExecFn kDupGeneral[4][2] = {
    {fp_guarded<DUP_general<8, false>>, fp_guarded<DUP_general<8, true>>},
    {fp_guarded<DUP_general<16, false>>, fp_guarded<DUP_general<16, true>>},
    {fp_guarded<DUP_general<32, false>>, fp_guarded<DUP_general<32, true>>},
    {nullptr, fp_guarded<DUP_general<64, true>>}};
constexpr ExecFn kSmov[4][2] = {
    {fp_guarded<SMOV<8, false>>, fp_guarded<SMOV<8, true>>},
    {fp_guarded<SMOV<16, false>>, fp_guarded<SMOV<16, true>>},
    {nullptr, fp_guarded<SMOV<32, true>>},
    {nullptr, nullptr}};
constexpr ExecFn kUmov[4][2] = {
    {fp_guarded<UMOV<8>>, nullptr},
    {fp_guarded<UMOV<16>>, nullptr},
    {fp_guarded<UMOV<32>>, nullptr},
    {nullptr, fp_guarded<UMOV<64>>}};
constexpr ExecFn kInsGeneral[4] = {fp_guarded<INS_general<8>>, fp_guarded<INS_general<16>>,
                                   fp_guarded<INS_general<32>>, fp_guarded<INS_general<64>>};
constexpr ExecFn kInsElement[4] = {fp_guarded<INS_element<8>>, fp_guarded<INS_element<16>>,
                                   fp_guarded<INS_element<32>>, fp_guarded<INS_element<64>>};
constexpr ExecFn kDupScalar[4] = {
    fp_guarded<DUP_element_scalar<8>>, fp_guarded<DUP_element_scalar<16>>,
    fp_guarded<DUP_element_scalar<32>>, fp_guarded<DUP_element_scalar<64>>};

// UNDEFINED: imm5 = x0000 (size > 3), and the null entries.
template <const ExecFn (&Table)[4][2], Pattern P>
void decode_COPY(Word<P> w, Insn& o) {
    const unsigned imm5 = field<'i'>(w), size = unsigned(std::countr_zero(imm5));
    if (size > 3) return;
    o.rd = uint8_t(field<'d'>(w));
    o.rn = uint8_t(field<'n'>(w));
    o.imm = imm5 >> (size + 1);
    o.exec = Table[size][field<'Q'>(w)];
}

// INS (general), INS (element), DUP (element) scalar.
enum class CopyOne : uint8_t { INS_general, INS_element, DUP_scalar };

template <CopyOne Op, Pattern P>
void decode_COPY_one(Word<P> w, Insn& o) {
    const unsigned imm5 = field<'i'>(w), size = unsigned(std::countr_zero(imm5));
    if (size > 3) return;
    o.rd = uint8_t(field<'d'>(w));
    o.rn = uint8_t(field<'n'>(w));
    const unsigned index = imm5 >> (size + 1);
    if constexpr (Op == CopyOne::DUP_scalar) {
        o.imm = index;
        o.exec = kDupScalar[size];
    } else if constexpr (Op == CopyOne::INS_general) {
        o.shift2 = uint8_t(index);
        o.exec = kInsGeneral[size];
    } else {
        o.shift2 = uint8_t(index);
        o.imm = field<'j'>(w) >> size;
        o.exec = kInsElement[size];
    }
}

// Within this group no two patterns overlap. The other op:imm4 values are
// unallocated.
constexpr Encoding kTable[] = {
    // Advanced SIMD copy
    encoding<"0 Q 0 01110000 iiiii 0 0000 1 nnnnn ddddd", decode_COPY<kDupElement>>
        ("DUP_element", "DUP (element)"),
    encoding<"0 Q 0 01110000 iiiii 0 0001 1 nnnnn ddddd", decode_COPY<kDupGeneral>>
        ("DUP_general", "DUP (general)"),
    encoding<"0 1 0 01110000 iiiii 0 0011 1 nnnnn ddddd", decode_COPY_one<CopyOne::INS_general>>
        ("INS_general", "INS (general)"),
    encoding<"0 Q 0 01110000 iiiii 0 0101 1 nnnnn ddddd", decode_COPY<kSmov>>("SMOV", "SMOV"),
    encoding<"0 Q 0 01110000 iiiii 0 0111 1 nnnnn ddddd", decode_COPY<kUmov>>("UMOV", "UMOV"),
    encoding<"0 1 1 01110000 iiiii 0 jjjj 1 nnnnn ddddd", decode_COPY_one<CopyOne::INS_element>>
        ("INS_element", "INS (element)"),
    // Advanced SIMD scalar copy
    encoding<"01 0 11110000 iiiii 0 0000 1 nnnnn ddddd", decode_COPY_one<CopyOne::DUP_scalar>>
        ("DUP_element_scalar", "DUP (element) (scalar)"),
};

}  // namespace

std::span<const Encoding> encodings_simd_copy() { return kTable; }

}  // namespace cpu
