// One SIMD&FP register: LDR/STR (immediate, SIMD&FP) with unsigned offset,
// pre- and post-index, LDUR/STUR (SIMD&FP), LDR/STR (register, SIMD&FP) and
// LDR (literal, SIMD&FP), of B, H, S, D or Q (DDI 0487 K.a C7.2).
//
// A load reads memory before it writes anything, so a fault leaves the
// registers as they were. The base and data registers are in different
// files, so writeback needs none of the general-purpose overlap rules.
#include "arch/bits.h"
#include "cpu/isa/simd_ls.h"

namespace cpu::simd {
namespace {

using ls::Mode;

template <unsigned kLog2, Mode M, bool kSp> Flow LDR(Cpu& c, const Insn& i) {
    if constexpr (kSp)
        if (ls::sp_misaligned(c)) return ls::sp_alignment_fault(c);
    const uint64_t b = ls::base<kSp>(c, i.rn);
    Unit<kLog2> v;
    if (!c.read(ls::address<M>(c, i, b), vec_desc(false), v)) return Flow::Exception;
    if constexpr (ls::has_wb(M)) ls::set_base<kSp>(c, i.rn, b + i.imm);
    vset<kLog2>(c, i.rd, v);
    return Flow::Next;
}

template <unsigned kLog2, Mode M, bool kSp> Flow STR(Cpu& c, const Insn& i) {
    if constexpr (kSp)
        if (ls::sp_misaligned(c)) return ls::sp_alignment_fault(c);
    const uint64_t b = ls::base<kSp>(c, i.rn);
    if (!c.write(ls::address<M>(c, i, b), vget<kLog2>(c, i.rd), vec_desc(true)))
        return Flow::Exception;
    if constexpr (ls::has_wb(M)) ls::set_base<kSp>(c, i.rn, b + i.imm);
    return Flow::Next;
}

// LDR (literal, SIMD&FP): PC-relative, no base register.
template <unsigned kLog2> Flow LDR_lit(Cpu& c, const Insn& i) {
    Unit<kLog2> v;
    if (!c.read(c.state().pc + i.imm, vec_desc(false), v)) return Flow::Exception;
    vset<kLog2>(c, i.rd, v);
    return Flow::Next;
}

// Handlers by [scale][L], scale = log2 of the access size (4: Q).
template <unsigned kLog2, Mode M, bool kSp>
constexpr ExecFn kStrLdr[2] = {fp_guarded<STR<kLog2, M, kSp>>, fp_guarded<LDR<kLog2, M, kSp>>};
template <Mode M, bool kSp>
constexpr const ExecFn* kByScale[5] = {kStrLdr<0, M, kSp>, kStrLdr<1, M, kSp>, kStrLdr<2, M, kSp>,
                                       kStrLdr<3, M, kSp>, kStrLdr<4, M, kSp>};

// scale = opc<1>:size; above 4 (size != 00 with opc<1> = 1) is unallocated.
unsigned scale_of(const ls::LsSingleFields& f) { return (f.opc >> 1) << 2 | f.size; }

template <Mode M> void pick(const ls::LsSingleFields& f, Insn& out) {
    const unsigned scale = scale_of(f);
    if (scale > 4) return;
    out.rd = uint8_t(f.rt);
    out.rn = uint8_t(f.rn);
    const unsigned l = f.opc & 1;
    out.exec = f.rn == 31 ? kByScale<M, true>[scale][l] : kByScale<M, false>[scale][l];
}

template <Mode M> void decode_imm9(const ls::LsSingleFields& f, Insn& out) {
    out.imm = uint64_t(arch::sign_extend(f.imm, 9));
    pick<M>(f, out);
}

}  // namespace

void decode_vec_unscaled(const ls::LsSingleFields& f, Insn& out) {
    decode_imm9<Mode::Offset>(f, out);
}
void decode_vec_post(const ls::LsSingleFields& f, Insn& out) { decode_imm9<Mode::Post>(f, out); }
void decode_vec_pre(const ls::LsSingleFields& f, Insn& out) { decode_imm9<Mode::Pre>(f, out); }

void decode_vec_unsigned(const ls::LsSingleFields& f, Insn& out) {
    out.imm = uint64_t(f.imm) << scale_of(f);
    pick<Mode::Offset>(f, out);
}

// Register offset by option: option<1> = 0 is UNDEFINED; S shifts Rm by
// the scale (4 for Q) or not at all.
void decode_vec_reg(const ls::LsSingleFields& f, Insn& out) {
    using Pick = void (*)(const ls::LsSingleFields&, Insn&);
    static constexpr Pick kByOption[8] = {
        nullptr, nullptr, &pick<Mode::RegUXTW>, &pick<Mode::RegLSL>,
        nullptr, nullptr, &pick<Mode::RegSXTW>, &pick<Mode::RegSXTX>};
    out.rm = uint8_t(f.rm);
    out.shift = f.s ? uint8_t(scale_of(f)) : 0;
    if (const Pick p = kByOption[f.option]) p(f, out);
}

// opc 00: S, 01: D, 10: Q; 11 is unallocated.
void decode_vec_literal(const ls::LsSingleFields& f, Insn& out) {
    static constexpr ExecFn kLit[4] = {fp_guarded<LDR_lit<2>>, fp_guarded<LDR_lit<3>>,
                                       fp_guarded<LDR_lit<4>>, nullptr};
    out.rd = uint8_t(f.rt);
    out.imm = uint64_t(arch::sign_extend(uint64_t(f.imm) << 2, 21));
    out.exec = kLit[f.opc];
}

}  // namespace cpu::simd
