// A64 encoding index: Data processing -- immediate (ARM ARM DDI 0487 K.a,
// C4.1 "A64 instruction set encoding"). Handlers follow each instruction's
// "Operation" pseudocode in C6.2.
//
// Pattern letters (documentation only; decoders extract by bit position):
// f = sf, N = N, s = sh, h = hw, i = immediates, r = immr, S = imms,
// m = Rm, n = Rn, d = Rd.
//
// Features we do not advertise (FEAT_MTE's ADDG/SUBG, FEAT_CSSC's min/max
// immediate) have entries whose decoder leaves exec null: UNDEFINED. The
// data-processing (1 source immediate) class (FEAT_PAuth_LR) is not listed
// and falls back to UNDEFINED too.
#include "arch/bits.h"
#include "cpu/decode.h"
#include "cpu/isa/dp_common.h"

namespace cpu {

namespace {

using namespace dp;
using arch::bit;
using arch::bits;

// Fields common to the whole group.
inline unsigned field_rd(uint32_t raw) { return raw & 31; }
inline unsigned field_rn(uint32_t raw) { return (raw >> 5) & 31; }
inline bool field_sf(uint32_t raw) { return bit(raw, 31); }

// ---- PC-rel. addressing (C6.2 ADR, ADRP) ------------------------------------

// The PC is the address of this instruction; imm is the decoded offset.
Flow ADR(Cpu& c, const Insn& i) {
    c.set_x(i.rd, c.state().pc + i.imm);
    return Flow::Next;
}
Flow ADRP(Cpu& c, const Insn& i) {
    c.set_x(i.rd, (c.state().pc & ~uint64_t(0xFFF)) + i.imm);
    return Flow::Next;
}

// imm = SignExtend(immhi:immlo, 21), in pages for ADRP.
template <bool Page>
void decode_ADR(uint32_t raw, Insn& o) {
    const uint64_t imm21 = (bits(raw, 23, 5) << 2) | bits(raw, 30, 29);
    o.rd = field_rd(raw);
    o.imm = uint64_t(arch::sign_extend(imm21, 21)) << (Page ? 12 : 0);
    o.exec = Page ? ADRP : ADR;
}

// ---- Add/subtract (immediate) (C6.2 ADD, ADDS, SUB...) ----------------------

// Rn may be SP; Rd is SP for ADD/SUB and XZR for ADDS/SUBS (CMN/CMP).
// Sp = false is the decode target when neither register is 31, so the
// common case does not test for SP at run time.
template <unsigned N, bool Sub, bool SetFlags, bool Sp>
Flow ADDSUB_imm(Cpu& c, const Insn& i) {
    using T = Bits<N>;
    const T op2 = Sub ? T(~i.imm) : T(i.imm);
    const T op1 = Sp ? reg_or_sp<N>(c, i.rn) : reg<N>(c, i.rn);
    const auto [r, f] = add_with_carry<T>(op1, op2, Sub);
    if constexpr (SetFlags) {
        set_flags(c.state().pstate, f);
        set_reg<N>(c, i.rd, r);
    } else if constexpr (Sp) {
        set_reg_or_sp<N>(c, i.rd, r);
    } else {
        set_reg<N>(c, i.rd, r);
    }
    return Flow::Next;
}

template <bool Sub, bool SetFlags>
constexpr ExecFn kAddSubImm[2][2] = {  // [sf][Rd or Rn is 31]
    {ADDSUB_imm<32, Sub, SetFlags, false>, ADDSUB_imm<32, Sub, SetFlags, true>},
    {ADDSUB_imm<64, Sub, SetFlags, false>, ADDSUB_imm<64, Sub, SetFlags, true>}};

// imm = ZeroExtend(imm12 << (sh ? 12 : 0)).
template <bool Sub, bool SetFlags>
void decode_ADDSUB_imm(uint32_t raw, Insn& o) {
    o.rd = field_rd(raw);
    o.rn = field_rn(raw);
    o.imm = bits(raw, 21, 10) << (bit(raw, 22) ? 12 : 0);
    o.exec = kAddSubImm<Sub, SetFlags>[field_sf(raw)][o.rd == 31 || o.rn == 31];
}

// ---- Logical (immediate) (C6.2 AND, ANDS, EOR, ORR) -------------------------

enum class LogicOp : uint8_t { AND, ORR, EOR, ANDS };

template <typename T, LogicOp Op>
inline T logic(T a, T b) {
    if constexpr (Op == LogicOp::ORR) return a | b;
    if constexpr (Op == LogicOp::EOR) return a ^ b;
    return a & b;  // AND, ANDS
}

// Rn is XZR; Rd is SP except for ANDS (TST writes XZR).
template <unsigned N, LogicOp Op>
Flow LOGICAL_imm(Cpu& c, const Insn& i) {
    using T = Bits<N>;
    const T r = logic<T, Op>(reg<N>(c, i.rn), T(i.imm));
    if constexpr (Op == LogicOp::ANDS) {
        set_flags(c.state().pstate, logical_flags(r));
        set_reg<N>(c, i.rd, r);
    } else {
        set_reg_or_sp<N>(c, i.rd, r);
    }
    return Flow::Next;
}

// UNDEFINED: sf = 0 with N = 1, or a reserved bitmask (DecodeBitMasks).
template <LogicOp Op>
void decode_LOGICAL_imm(uint32_t raw, Insn& o) {
    const bool sf = field_sf(raw);
    const unsigned n = bit(raw, 22);
    if (!sf && n) return;
    const auto m = decode_bit_masks(n, bits(raw, 15, 10), bits(raw, 21, 16), true, sf ? 64 : 32);
    if (!m) return;
    o.rd = field_rd(raw);
    o.rn = field_rn(raw);
    o.imm = m->wmask;
    o.exec = sf ? LOGICAL_imm<64, Op> : LOGICAL_imm<32, Op>;
}

// ---- Move wide (immediate) (C6.2 MOVK, MOVN, MOVZ) --------------------------

// MOVN and MOVZ write a value fully computed at decode time.
Flow MOVZ_MOVN(Cpu& c, const Insn& i) {
    c.set_x(i.rd, i.imm);
    return Flow::Next;
}

// imm = imm16 << pos; op[0] = pos. The other bits of Rd are kept.
template <unsigned N>
Flow MOVK(Cpu& c, const Insn& i) {
    using T = Bits<N>;
    const T keep = T(~(uint64_t(0xFFFF) << i.op[0]));
    set_reg<N>(c, i.rd, T((reg<N>(c, i.rd) & keep) | i.imm));
    return Flow::Next;
}

enum class MoveOp : uint8_t { MOVN, MOVZ, MOVK };

// UNDEFINED: sf = 0 with hw<1> = 1.
template <MoveOp Op>
void decode_MOVE_wide(uint32_t raw, Insn& o) {
    const bool sf = field_sf(raw);
    if (!sf && bit(raw, 22)) return;
    const unsigned pos = unsigned(bits(raw, 22, 21)) * 16;
    const uint64_t shifted = bits(raw, 20, 5) << pos;
    o.rd = field_rd(raw);
    o.op[0] = uint8_t(pos);
    o.imm = shifted;
    if constexpr (Op == MoveOp::MOVK) {
        o.exec = sf ? MOVK<64> : MOVK<32>;
    } else {
        if (Op == MoveOp::MOVN) o.imm = ~shifted & arch::ones(sf ? 64 : 32);
        o.exec = MOVZ_MOVN;
    }
}

// ---- Bitfield (C6.2 BFM, SBFM, UBFM) ----------------------------------------
//
// The ASL computes bot = (dst AND NOT(wmask)) OR (ROR(src, R) AND wmask) and
// X[d] = (top AND NOT(tmask)) OR (bot AND tmask), top = dst (BFM), zero
// (UBFM) or Replicate(src<S>) (SBFM), dst = zero except for BFM. For UBFM
// and BFM this folds to ROR(src, R) masked by wmask AND tmask (kept in imm).

template <unsigned N>
Flow UBFM(Cpu& c, const Insn& i) {
    using T = Bits<N>;
    set_reg<N>(c, i.rd, T(std::rotr(reg<N>(c, i.rn), i.op[0]) & i.imm));
    return Flow::Next;
}

template <unsigned N>
Flow BFM(Cpu& c, const Insn& i) {
    using T = Bits<N>;
    const T m = T(i.imm);
    const T dst = reg<N>(c, i.rd);
    set_reg<N>(c, i.rd, T((dst & ~m) | (std::rotr(reg<N>(c, i.rn), i.op[0]) & m)));
    return Flow::Next;
}

// SBFM when imms >= immr (SBFX, ASR, SXTB...): the field src<S:R> sign-
// extended from bit S, as two shifts: op[0] = N-1-S left, op[1] = N-1-S+R right.
template <unsigned N>
Flow SBFM_extract(Cpu& c, const Insn& i) {
    using T = Bits<N>;
    const T v = T(reg<N>(c, i.rn) << i.op[0]);
    set_reg<N>(c, i.rd, T(SBits<N>(v) >> i.op[1]));
    return Flow::Next;
}

// SBFM when imms < immr (SBFIZ): src<S:0> sign-extended, placed at N-R:
// op[0] = op[1] = N-1-S, op[2] = N-R.
template <unsigned N>
Flow SBFM_insert(Cpu& c, const Insn& i) {
    using T = Bits<N>;
    const T v = T(reg<N>(c, i.rn) << i.op[0]);
    set_reg<N>(c, i.rd, T(T(SBits<N>(v) >> i.op[1]) << i.op[2]));
    return Flow::Next;
}

enum class BitfieldOp : uint8_t { SBFM, BFM, UBFM };

// UNDEFINED: sf = 1 with N = 0; sf = 0 with N = 1, immr<5> = 1 or imms<5> = 1.
template <BitfieldOp Op>
void decode_BITFIELD(uint32_t raw, Insn& o) {
    const bool sf = field_sf(raw);
    const unsigned n = bit(raw, 22), immr = bits(raw, 21, 16), imms = bits(raw, 15, 10);
    if (sf != bool(n)) return;
    if (!sf && ((immr | imms) & 0x20)) return;
    const unsigned datasize = sf ? 64 : 32;
    o.rd = field_rd(raw);
    o.rn = field_rn(raw);
    if constexpr (Op == BitfieldOp::SBFM) {
        o.op[0] = o.op[1] = uint8_t(datasize - 1 - imms);
        if (imms >= immr) {
            o.op[1] = uint8_t(o.op[1] + immr);
            o.exec = sf ? SBFM_extract<64> : SBFM_extract<32>;
        } else {
            o.op[2] = uint8_t(datasize - immr);
            o.exec = sf ? SBFM_insert<64> : SBFM_insert<32>;
        }
    } else {
        // Never reserved for a bitfield move (immediate = FALSE).
        const auto m = decode_bit_masks(n, imms, immr, false, datasize);
        o.op[0] = uint8_t(immr);
        o.imm = m->wmask & m->tmask;
        if constexpr (Op == BitfieldOp::BFM)
            o.exec = sf ? BFM<64> : BFM<32>;
        else
            o.exec = sf ? UBFM<64> : UBFM<32>;
    }
}

// ---- Extract (C6.2 EXTR) ----------------------------------------------------

// (Rn:Rm) >> lsb, low N bits; op[0] = lsb = imms.
template <unsigned N>
Flow EXTR(Cpu& c, const Insn& i) {
    if constexpr (N == 64) {
        const unsigned __int128 v = (static_cast<unsigned __int128>(c.x(i.rn)) << 64) | c.x(i.rm);
        c.set_x(i.rd, uint64_t(v >> i.op[0]));
    } else {
        const uint64_t v = (uint64_t(c.w(i.rn)) << 32) | c.w(i.rm);
        c.set_x(i.rd, uint32_t(v >> i.op[0]));
    }
    return Flow::Next;
}

// The table fixes N = sf; UNDEFINED: sf = 0 with imms<5> = 1.
void decode_EXTR(uint32_t raw, Insn& o) {
    const bool sf = field_sf(raw);
    const unsigned imms = bits(raw, 15, 10);
    if (!sf && imms >= 32) return;
    o.rd = field_rd(raw);
    o.rn = field_rn(raw);
    o.rm = bits(raw, 20, 16);
    o.op[0] = uint8_t(imms);
    o.exec = sf ? EXTR<64> : EXTR<32>;
}

// An encoding of a feature we do not implement: UNDEFINED.
void decode_not_implemented(uint32_t, Insn&) {}

// Within this group no two patterns overlap.
constexpr Encoding kTable[] = {
    // PC-rel. addressing
    encoding("ADR", "ADR", "0 ii 10000 iiiiiiiiiiiiiiiiiii ddddd", decode_ADR<false>),
    encoding("ADRP", "ADRP", "1 ii 10000 iiiiiiiiiiiiiiiiiii ddddd", decode_ADR<true>),
    // Add/subtract (immediate)
    encoding("ADD_imm", "ADD (immediate)", "f 0 0 100010 s iiiiiiiiiiii nnnnn ddddd",
             decode_ADDSUB_imm<false, false>),
    encoding("ADDS_imm", "ADDS (immediate)", "f 0 1 100010 s iiiiiiiiiiii nnnnn ddddd",
             decode_ADDSUB_imm<false, true>),
    encoding("SUB_imm", "SUB (immediate)", "f 1 0 100010 s iiiiiiiiiiii nnnnn ddddd",
             decode_ADDSUB_imm<true, false>),
    encoding("SUBS_imm", "SUBS (immediate)", "f 1 1 100010 s iiiiiiiiiiii nnnnn ddddd",
             decode_ADDSUB_imm<true, true>),
    // Add/subtract (immediate, with tags)
    encoding("ADDG", "ADDG (FEAT_MTE: not implemented)", "1 0 0 1000110 iiiiii 00 iiii nnnnn ddddd",
             decode_not_implemented),
    encoding("SUBG", "SUBG (FEAT_MTE: not implemented)", "1 1 0 1000110 iiiiii 00 iiii nnnnn ddddd",
             decode_not_implemented),
    // Min/max (immediate)
    encoding("SMAX_imm", "SMAX (immediate) (FEAT_CSSC: not implemented)",
             "f 0 0 1000111 0000 iiiiiiii nnnnn ddddd", decode_not_implemented),
    encoding("UMAX_imm", "UMAX (immediate) (FEAT_CSSC: not implemented)",
             "f 0 0 1000111 0001 iiiiiiii nnnnn ddddd", decode_not_implemented),
    encoding("SMIN_imm", "SMIN (immediate) (FEAT_CSSC: not implemented)",
             "f 0 0 1000111 0010 iiiiiiii nnnnn ddddd", decode_not_implemented),
    encoding("UMIN_imm", "UMIN (immediate) (FEAT_CSSC: not implemented)",
             "f 0 0 1000111 0011 iiiiiiii nnnnn ddddd", decode_not_implemented),
    // Logical (immediate)
    encoding("AND_imm", "AND (immediate)", "f 00 100100 N rrrrrr SSSSSS nnnnn ddddd",
             decode_LOGICAL_imm<LogicOp::AND>),
    encoding("ORR_imm", "ORR (immediate)", "f 01 100100 N rrrrrr SSSSSS nnnnn ddddd",
             decode_LOGICAL_imm<LogicOp::ORR>),
    encoding("EOR_imm", "EOR (immediate)", "f 10 100100 N rrrrrr SSSSSS nnnnn ddddd",
             decode_LOGICAL_imm<LogicOp::EOR>),
    encoding("ANDS_imm", "ANDS (immediate)", "f 11 100100 N rrrrrr SSSSSS nnnnn ddddd",
             decode_LOGICAL_imm<LogicOp::ANDS>),
    // Move wide (immediate); opc = 01 is unallocated
    encoding("MOVN", "MOVN", "f 00 100101 hh iiiiiiiiiiiiiiii ddddd",
             decode_MOVE_wide<MoveOp::MOVN>),
    encoding("MOVZ", "MOVZ", "f 10 100101 hh iiiiiiiiiiiiiiii ddddd",
             decode_MOVE_wide<MoveOp::MOVZ>),
    encoding("MOVK", "MOVK", "f 11 100101 hh iiiiiiiiiiiiiiii ddddd",
             decode_MOVE_wide<MoveOp::MOVK>),
    // Bitfield; opc = 11 is unallocated
    encoding("SBFM", "SBFM", "f 00 100110 N rrrrrr SSSSSS nnnnn ddddd",
             decode_BITFIELD<BitfieldOp::SBFM>),
    encoding("BFM", "BFM", "f 01 100110 N rrrrrr SSSSSS nnnnn ddddd",
             decode_BITFIELD<BitfieldOp::BFM>),
    encoding("UBFM", "UBFM", "f 10 100110 N rrrrrr SSSSSS nnnnn ddddd",
             decode_BITFIELD<BitfieldOp::UBFM>),
    // Extract; op21 != 00, o0 = 1 and N != sf are unallocated
    encoding("EXTR_32", "EXTR", "0 00 100111 0 0 mmmmm SSSSSS nnnnn ddddd", decode_EXTR),
    encoding("EXTR_64", "EXTR", "1 00 100111 1 0 mmmmm SSSSSS nnnnn ddddd", decode_EXTR),
};

}  // namespace

std::span<const Encoding> encodings_dp_imm() { return kTable; }

}  // namespace cpu
