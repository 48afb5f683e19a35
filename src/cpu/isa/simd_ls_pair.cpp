// SIMD&FP register pairs: LDP/STP (SIMD&FP) with signed offset, pre- and
// post-index, and LDNP/STNP (SIMD&FP), of S, D or Q (DDI 0487 K.a C7.2).
//
// As for the general-purpose pairs (ls_pair.cpp), without FEAT_LSE2 a pair
// is two accesses of the register size, first register first; a load reads
// both before writing a register and a store translates both before writing
// either, so a fault on the second leaves registers and memory unchanged.
#include "arch/bits.h"
#include "cpu/isa/simd_ls.h"

namespace cpu::simd {
namespace {

using ls::Mode;

// LDP with Rt == Rt2 is CONSTRAINED UNPREDICTABLE (Unpredictable_LDPOVERLAP):
// Constraint_UNKNOWN, the register holds the second element, as for the
// general-purpose LDP (docs/architecture-choices.md).
template <unsigned kLog2, Mode M, bool kSp> Flow LDP(Cpu& c, const Insn& i) {
    if constexpr (kSp)
        if (ls::sp_misaligned(c)) return ls::sp_alignment_fault(c);
    const uint64_t b = ls::base<kSp>(c, i.rn);
    const uint64_t a = ls::address<M>(c, i, b);
    Unit<kLog2> v1, v2;
    if (!c.read(a, vec_desc(false), v1) || !c.read(a + (1u << kLog2), vec_desc(false), v2))
        return Flow::Exception;
    if constexpr (M != Mode::Offset) ls::set_base<kSp>(c, i.rn, b + i.imm);
    vset<kLog2>(c, i.rd, v1);
    vset<kLog2>(c, i.ra, v2);
    return Flow::Next;
}

template <unsigned kLog2, Mode M, bool kSp> Flow STP(Cpu& c, const Insn& i) {
    if constexpr (kSp)
        if (ls::sp_misaligned(c)) return ls::sp_alignment_fault(c);
    const uint64_t b = ls::base<kSp>(c, i.rn);
    const uint64_t a = ls::address<M>(c, i, b);
    const Unit<kLog2> v1 = vget<kLog2>(c, i.rd), v2 = vget<kLog2>(c, i.ra);
    if (!c.write_pair(a, v1, v2, vec_desc(true))) return Flow::Exception;
    if constexpr (M != Mode::Offset) ls::set_base<kSp>(c, i.rn, b + i.imm);
    return Flow::Next;
}

// Handlers by [opc][L]: opc 00 S, 01 D, 10 Q; 11 is unallocated.
template <unsigned kLog2, Mode M, bool kSp>
constexpr ExecFn kStpLdp[2] = {fp_guarded<STP<kLog2, M, kSp>>, fp_guarded<LDP<kLog2, M, kSp>>};
template <Mode M, bool kSp>
constexpr const ExecFn* kPair[4] = {kStpLdp<2, M, kSp>, kStpLdp<3, M, kSp>, kStpLdp<4, M, kSp>,
                                    nullptr};

template <Mode M> void decode_pair(const ls::LsPairFields& f, Insn& out) {
    const ExecFn* by_l = f.rn == 31 ? kPair<M, true>[f.opc] : kPair<M, false>[f.opc];
    if (!by_l) return;
    const unsigned scale = 2 + f.opc;
    out.rd = uint8_t(f.rt);
    out.rn = uint8_t(f.rn);
    out.ra = uint8_t(f.rt2);
    out.imm = uint64_t(arch::sign_extend(f.imm7, 7) * (int64_t(1) << scale));
    out.exec = by_l[f.l];
}

}  // namespace

// LDNP/STNP: the non-temporal hint has no effect in the model.
void decode_vec_pair_nt(const ls::LsPairFields& f, Insn& out) {
    decode_pair<Mode::Offset>(f, out);
}
void decode_vec_pair_post(const ls::LsPairFields& f, Insn& out) {
    decode_pair<Mode::Post>(f, out);
}
void decode_vec_pair_off(const ls::LsPairFields& f, Insn& out) {
    decode_pair<Mode::Offset>(f, out);
}
void decode_vec_pair_pre(const ls::LsPairFields& f, Insn& out) {
    decode_pair<Mode::Pre>(f, out);
}

}  // namespace cpu::simd
