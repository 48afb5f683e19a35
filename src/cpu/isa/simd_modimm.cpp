// A64 encoding index: Advanced SIMD modified immediate (ARM ARM DDI 0487
// K.a, C4.1.95; C7.2 MOVI, MVNI, ORR (vector, immediate), BIC (vector,
// immediate), FMOV (vector, immediate)). These are the words of the shift
// by immediate class with immh = 0000 (simd_shift.cpp), whose row they
// refine.
//
// Pattern letters: Q = Q, p = op, c = cmode, i = a:b:c:d:e:f:g:h, d = Rd.
// Insn: rd, and imm = the 64-bit pattern AdvSIMDExpandImm gives, inverted
// for MVNI.
#include "arch/bits.h"
#include "cpu/decode.h"
#include "cpu/isa/simd_common.h"

namespace cpu {

namespace {

using namespace simd;

constexpr uint64_t replicate(uint64_t pattern, unsigned width) {
    uint64_t r = 0;
    for (unsigned i = 0; i < 64; i += width) r |= pattern << i;
    return r;
}

// The floating-point immediates: imm8<7>:NOT(imm8<6>):Replicate(imm8<6>, n):imm8<5:0>
// in the top bits of an esize-bit value.
constexpr uint64_t fp_imm(unsigned imm8, unsigned esize, unsigned n) {
    const uint64_t b6 = imm8 >> 6 & 1;
    const uint64_t top = uint64_t(imm8 >> 7) << (n + 7) | (b6 ^ 1) << (n + 6) |
                         (b6 ? arch::ones(n) : 0) << 6 | (imm8 & 0x3F);
    return top << (esize - n - 8);
}

// J1 shared pseudocode AdvSIMDExpandImm(op, cmode, imm8): the 64-bit
// pattern a datasize-bit immediate replicates. Reserved combinations
// (FMOV half-precision, op = 1 cmode = 1111) have no row.
constexpr uint64_t AdvSIMDExpandImm(unsigned op, unsigned cmode, uint64_t imm8) {
    switch (cmode >> 1) {
    case 0b000: return replicate(imm8, 32);
    case 0b001: return replicate(imm8 << 8, 32);
    case 0b010: return replicate(imm8 << 16, 32);
    case 0b011: return replicate(imm8 << 24, 32);
    case 0b100: return replicate(imm8, 16);
    case 0b101: return replicate(imm8 << 8, 16);
    case 0b110: return replicate(cmode & 1 ? imm8 << 16 | 0xFFFF : imm8 << 8 | 0xFF, 32);
    default: break;
    }
    if (!(cmode & 1) && !op) return replicate(imm8, 8);
    if (!(cmode & 1)) {  // each bit of imm8 a byte of ones or zeros
        uint64_t r = 0;
        for (unsigned b = 0; b < 8; ++b) r |= (imm8 >> b & 1 ? uint64_t(0xFF) : 0) << (8 * b);
        return r;
    }
    return op ? fp_imm(unsigned(imm8), 64, 8) : replicate(fp_imm(unsigned(imm8), 32, 5), 32);
}
static_assert(AdvSIMDExpandImm(0, 0b1111, 0x70) == 0x3F8000003F800000);  // fmov v.4s, #1.0
static_assert(AdvSIMDExpandImm(1, 0b1111, 0x70) == 0x3FF0000000000000);  // fmov v.2d, #1.0
static_assert(AdvSIMDExpandImm(1, 0b1110, 0x81) == 0xFF000000000000FF);

// MOVI, MVNI, FMOV (vector, immediate): the immediate, in both halves when Q = 1.
template <bool Q>
Flow MOVI(Cpu& c, const Insn& i) {
    vreg(c, i.rd) = VReg::from_u64(i.imm, Q ? i.imm : 0);
    return Flow::Next;
}

// ORR, BIC (vector, immediate): Vd OR imm, Vd AND NOT(imm) (imm inverted
// at decode time).
template <bool Q, bool Bic>
Flow ORR_BIC_vec_imm(Cpu& c, const Insn& i) {
    const VReg d = vreg(c, i.rd);
    const uint64_t lo = Bic ? d.d() & i.imm : d.d() | i.imm;
    const uint64_t hi = Bic ? d.hi() & i.imm : d.hi() | i.imm;
    vreg(c, i.rd) = VReg::from_u64(lo, Q ? hi : 0);
    return Flow::Next;
}

enum class ModImmOp : uint8_t { MOVI, MVNI, ORR, BIC };

template <ModImmOp Op>
constexpr ExecFn kModImm[2] = {  // [Q]
    Op == ModImmOp::ORR   ? fp_guarded<ORR_BIC_vec_imm<false, false>>
    : Op == ModImmOp::BIC ? fp_guarded<ORR_BIC_vec_imm<false, true>>
                          : fp_guarded<MOVI<false>>,
    Op == ModImmOp::ORR   ? fp_guarded<ORR_BIC_vec_imm<true, false>>
    : Op == ModImmOp::BIC ? fp_guarded<ORR_BIC_vec_imm<true, true>>
                          : fp_guarded<MOVI<true>>};

template <ModImmOp Op, Pattern P>
void decode_MODIMM(Word<P> w, Insn& o) {
    const uint64_t imm = AdvSIMDExpandImm(field<'p'>(w), field<'c'>(w), field<'i'>(w));
    o.rd = uint8_t(field<'d'>(w));
    o.imm = Op == ModImmOp::MVNI || Op == ModImmOp::BIC ? ~imm : imm;
    o.exec = kModImm<Op>[field<'Q'>(w)];
}

// C4.1.95 "Advanced SIMD modified immediate", by op:cmode:o2. op = 1 with
// cmode = 1111 and Q = 0, and o2 = 1 except FMOV (half), are unallocated.
constexpr Encoding kTable[] = {
    encoding<"0 Q p=0 0111100000 iii c=0 cc c=0 0 1 iiiii ddddd", decode_MODIMM<ModImmOp::MOVI>>
        ("MOVI_32_shifted", "MOVI (32-bit shifted immediate)"),
    encoding<"0 Q p=0 0111100000 iii c=0 cc c=1 0 1 iiiii ddddd", decode_MODIMM<ModImmOp::ORR>>
        ("ORR_vec_imm_32", "ORR (vector, immediate) (32-bit)"),
    encoding<"0 Q p=0 0111100000 iii c=10 c c=0 0 1 iiiii ddddd", decode_MODIMM<ModImmOp::MOVI>>
        ("MOVI_16_shifted", "MOVI (16-bit shifted immediate)"),
    encoding<"0 Q p=0 0111100000 iii c=10 c c=1 0 1 iiiii ddddd", decode_MODIMM<ModImmOp::ORR>>
        ("ORR_vec_imm_16", "ORR (vector, immediate) (16-bit)"),
    encoding<"0 Q p=0 0111100000 iii c=110 c 0 1 iiiii ddddd", decode_MODIMM<ModImmOp::MOVI>>
        ("MOVI_32_ones", "MOVI (32-bit shifting ones)"),
    encoding<"0 Q p=0 0111100000 iii c=1110 0 1 iiiii ddddd", decode_MODIMM<ModImmOp::MOVI>>
        ("MOVI_8", "MOVI (8-bit)"),
    encoding<"0 Q p=0 0111100000 iii c=1111 0 1 iiiii ddddd", decode_MODIMM<ModImmOp::MOVI>>
        ("FMOV_vec_imm_s", "FMOV (vector, immediate) (single-precision)"),
    encoding<"0 Q 0 0111100000 iii 1111 1 1 iiiii ddddd", decode_UNDEFINED>
        ("FMOV_vec_imm_h", "FMOV (vector, immediate) (half-precision) (FEAT_FP16: not implemented)"),
    encoding<"0 Q p=1 0111100000 iii c=0 cc c=0 0 1 iiiii ddddd", decode_MODIMM<ModImmOp::MVNI>>
        ("MVNI_32_shifted", "MVNI (32-bit shifted immediate)"),
    encoding<"0 Q p=1 0111100000 iii c=0 cc c=1 0 1 iiiii ddddd", decode_MODIMM<ModImmOp::BIC>>
        ("BIC_vec_imm_32", "BIC (vector, immediate) (32-bit)"),
    encoding<"0 Q p=1 0111100000 iii c=10 c c=0 0 1 iiiii ddddd", decode_MODIMM<ModImmOp::MVNI>>
        ("MVNI_16_shifted", "MVNI (16-bit shifted immediate)"),
    encoding<"0 Q p=1 0111100000 iii c=10 c c=1 0 1 iiiii ddddd", decode_MODIMM<ModImmOp::BIC>>
        ("BIC_vec_imm_16", "BIC (vector, immediate) (16-bit)"),
    encoding<"0 Q p=1 0111100000 iii c=110 c 0 1 iiiii ddddd", decode_MODIMM<ModImmOp::MVNI>>
        ("MVNI_32_ones", "MVNI (32-bit shifting ones)"),
    encoding<"0 Q p=1 0111100000 iii c=1110 0 1 iiiii ddddd", decode_MODIMM<ModImmOp::MOVI>>
        ("MOVI_64", "MOVI (64-bit scalar, 64-bit vector)"),
    encoding<"0 Q=1 p=1 0111100000 iii c=1111 0 1 iiiii ddddd", decode_MODIMM<ModImmOp::MOVI>>
        ("FMOV_vec_imm_d", "FMOV (vector, immediate) (double-precision)"),
};

}  // namespace

std::span<const Encoding> encodings_simd_modimm() { return kTable; }

}  // namespace cpu
