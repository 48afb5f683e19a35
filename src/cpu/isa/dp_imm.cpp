// A64 encoding index: Data processing -- immediate (ARM ARM DDI 0487 K.a,
// C4.1 "A64 instruction set encoding"). Handlers follow each instruction's
// "Operation" pseudocode in C6.2.
//
// Pattern letters (decode.h; decoders read them with field<>): f = sf,
// N = N, s = sh, h = hw, i = immediates, l/H = immlo/immhi, r = immr,
// S = imms, m = Rm, n = Rn, d = Rd.
//
// Features we do not advertise (FEAT_MTE's ADDG/SUBG, FEAT_CSSC's min/max
// immediate) have entries that raise UNDEFINED. The data-processing
// (1 source immediate) class (FEAT_PAuth_LR) is not listed and is
// UNDEFINED too.
#include "arch/bits.h"
#include "cpu/decode.h"
#include "cpu/isa/dp_common.h"

namespace cpu {

namespace {

using namespace dp;

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
template <bool Page, Pattern P>
void decode_ADR(Word<P> w, Insn& o) {
    const uint64_t imm21 = uint64_t(sfield<'H'>(w) * 4) | field<'l'>(w);
    o.rd = uint8_t(field<'d'>(w));
    o.imm = imm21 << (Page ? 12 : 0);
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
template <bool Sub, bool SetFlags, Pattern P>
void decode_ADDSUB_imm(Word<P> w, Insn& o) {
    o.rd = uint8_t(field<'d'>(w));
    o.rn = uint8_t(field<'n'>(w));
    o.imm = uint64_t(field<'i'>(w)) << (field<'s'>(w) ? 12 : 0);
    o.exec = kAddSubImm<Sub, SetFlags>[field<'f'>(w)][o.rd == 31 || o.rn == 31];
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
template <LogicOp Op, Pattern P>
void decode_LOGICAL_imm(Word<P> w, Insn& o) {
    const bool sf = field<'f'>(w);
    const unsigned n = field<'N'>(w);
    if (!sf && n) return;
    const auto m = decode_bit_masks(n, field<'S'>(w), field<'r'>(w), true, sf ? 64 : 32);
    if (!m) return;
    o.rd = uint8_t(field<'d'>(w));
    o.rn = uint8_t(field<'n'>(w));
    o.imm = m->wmask;
    o.exec = sf ? LOGICAL_imm<64, Op> : LOGICAL_imm<32, Op>;
}

// ---- Move wide (immediate) (C6.2 MOVK, MOVN, MOVZ) --------------------------

// MOVN and MOVZ write a value fully computed at decode time.
Flow MOVZ_MOVN(Cpu& c, const Insn& i) {
    c.set_x(i.rd, i.imm);
    return Flow::Next;
}

// imm = imm16 << pos; shift = pos. The other bits of Rd are kept.
template <unsigned N>
Flow MOVK(Cpu& c, const Insn& i) {
    using T = Bits<N>;
    const T keep = T(~(uint64_t(0xFFFF) << i.shift));
    set_reg<N>(c, i.rd, T((reg<N>(c, i.rd) & keep) | i.imm));
    return Flow::Next;
}

enum class MoveOp : uint8_t { MOVN, MOVZ, MOVK };

// UNDEFINED: sf = 0 with hw<1> = 1.
template <MoveOp Op, Pattern P>
void decode_MOVE_wide(Word<P> w, Insn& o) {
    const bool sf = field<'f'>(w);
    if (!sf && (field<'h'>(w) & 2)) return;
    const unsigned pos = field<'h'>(w) * 16;
    const uint64_t shifted = uint64_t(field<'i'>(w)) << pos;
    o.rd = uint8_t(field<'d'>(w));
    o.shift = uint8_t(pos);
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
    set_reg<N>(c, i.rd, T(std::rotr(reg<N>(c, i.rn), i.shift) & i.imm));
    return Flow::Next;
}

template <unsigned N>
Flow BFM(Cpu& c, const Insn& i) {
    using T = Bits<N>;
    const T m = T(i.imm);
    const T dst = reg<N>(c, i.rd);
    set_reg<N>(c, i.rd, T((dst & ~m) | (std::rotr(reg<N>(c, i.rn), i.shift) & m)));
    return Flow::Next;
}

// SBFM when imms >= immr (SBFX, ASR, SXTB...): the field src<S:R> sign-
// extended from bit S, as two shifts: shift = N-1-S left, shift2 = N-1-S+R right.
template <unsigned N>
Flow SBFM_extract(Cpu& c, const Insn& i) {
    using T = Bits<N>;
    const T v = T(reg<N>(c, i.rn) << i.shift);
    set_reg<N>(c, i.rd, T(SBits<N>(v) >> i.shift2));
    return Flow::Next;
}

// SBFM when imms < immr (SBFIZ): src<S:0> sign-extended, placed at N-R:
// shifted left and arithmetic-right by shift = N-1-S, then left by shift2 = N-R.
template <unsigned N>
Flow SBFM_insert(Cpu& c, const Insn& i) {
    using T = Bits<N>;
    const T v = T(reg<N>(c, i.rn) << i.shift);
    set_reg<N>(c, i.rd, T(T(SBits<N>(v) >> i.shift) << i.shift2));
    return Flow::Next;
}

enum class BitfieldOp : uint8_t { SBFM, BFM, UBFM };

// UNDEFINED: sf = 1 with N = 0; sf = 0 with N = 1, immr<5> = 1 or imms<5> = 1.
template <BitfieldOp Op, Pattern P>
void decode_BITFIELD(Word<P> w, Insn& o) {
    const bool sf = field<'f'>(w);
    const unsigned n = field<'N'>(w), immr = field<'r'>(w), imms = field<'S'>(w);
    if (sf != bool(n)) return;
    if (!sf && ((immr | imms) & 0x20)) return;
    const unsigned datasize = sf ? 64 : 32;
    o.rd = uint8_t(field<'d'>(w));
    o.rn = uint8_t(field<'n'>(w));
    if constexpr (Op == BitfieldOp::SBFM) {
        o.shift = uint8_t(datasize - 1 - imms);
        if (imms >= immr) {
            o.shift2 = uint8_t(o.shift + immr);
            o.exec = sf ? SBFM_extract<64> : SBFM_extract<32>;
        } else {
            o.shift2 = uint8_t(datasize - immr);
            o.exec = sf ? SBFM_insert<64> : SBFM_insert<32>;
        }
    } else {
        // Never reserved for a bitfield move (immediate = FALSE).
        const auto m = decode_bit_masks(n, imms, immr, false, datasize);
        o.shift = uint8_t(immr);
        o.imm = m->wmask & m->tmask;
        if constexpr (Op == BitfieldOp::BFM)
            o.exec = sf ? BFM<64> : BFM<32>;
        else
            o.exec = sf ? UBFM<64> : UBFM<32>;
    }
}

// ---- Extract (C6.2 EXTR) ----------------------------------------------------

// (Rn:Rm) >> lsb, low N bits; shift = lsb = imms.
template <unsigned N>
Flow EXTR(Cpu& c, const Insn& i) {
    if constexpr (N == 64) {
        const unsigned __int128 v = (static_cast<unsigned __int128>(c.x(i.rn)) << 64) | c.x(i.rm);
        c.set_x(i.rd, uint64_t(v >> i.shift));
    } else {
        const uint64_t v = (uint64_t(c.w(i.rn)) << 32) | c.w(i.rm);
        c.set_x(i.rd, uint32_t(v >> i.shift));
    }
    return Flow::Next;
}

// The table fixes N = sf; UNDEFINED: sf = 0 with imms<5> = 1.
template <Pattern P>
void decode_EXTR(Word<P> w, Insn& o) {
    const bool sf = field<'f'>(w);
    const unsigned imms = field<'S'>(w);
    if (!sf && imms >= 32) return;
    o.rd = uint8_t(field<'d'>(w));
    o.rn = uint8_t(field<'n'>(w));
    o.rm = uint8_t(field<'m'>(w));
    o.shift = uint8_t(imms);
    o.exec = sf ? EXTR<64> : EXTR<32>;
}

// Within this group no two patterns overlap.
constexpr Encoding kTable[] = {
    // PC-rel. addressing
    encoding<"0 ll 10000 HHHHHHHHHHHHHHHHHHH ddddd", decode_ADR<false>>("ADR", "ADR"),
    encoding<"1 ll 10000 HHHHHHHHHHHHHHHHHHH ddddd", decode_ADR<true>>("ADRP", "ADRP"),
    // Add/subtract (immediate)
    encoding<"f 0 0 100010 s iiiiiiiiiiii nnnnn ddddd", decode_ADDSUB_imm<false, false>>
        ("ADD_imm", "ADD (immediate)"),
    encoding<"f 0 1 100010 s iiiiiiiiiiii nnnnn ddddd", decode_ADDSUB_imm<false, true>>
        ("ADDS_imm", "ADDS (immediate)"),
    encoding<"f 1 0 100010 s iiiiiiiiiiii nnnnn ddddd", decode_ADDSUB_imm<true, false>>
        ("SUB_imm", "SUB (immediate)"),
    encoding<"f 1 1 100010 s iiiiiiiiiiii nnnnn ddddd", decode_ADDSUB_imm<true, true>>
        ("SUBS_imm", "SUBS (immediate)"),
    // Add/subtract (immediate, with tags)
    encoding<"1 0 0 1000110 iiiiii 00 iiii nnnnn ddddd", decode_UNDEFINED>
        ("ADDG", "ADDG (FEAT_MTE: not implemented)"),
    encoding<"1 1 0 1000110 iiiiii 00 iiii nnnnn ddddd", decode_UNDEFINED>
        ("SUBG", "SUBG (FEAT_MTE: not implemented)"),
    // Min/max (immediate)
    encoding<"f 0 0 1000111 0000 iiiiiiii nnnnn ddddd", decode_UNDEFINED>
        ("SMAX_imm", "SMAX (immediate) (FEAT_CSSC: not implemented)"),
    encoding<"f 0 0 1000111 0001 iiiiiiii nnnnn ddddd", decode_UNDEFINED>
        ("UMAX_imm", "UMAX (immediate) (FEAT_CSSC: not implemented)"),
    encoding<"f 0 0 1000111 0010 iiiiiiii nnnnn ddddd", decode_UNDEFINED>
        ("SMIN_imm", "SMIN (immediate) (FEAT_CSSC: not implemented)"),
    encoding<"f 0 0 1000111 0011 iiiiiiii nnnnn ddddd", decode_UNDEFINED>
        ("UMIN_imm", "UMIN (immediate) (FEAT_CSSC: not implemented)"),
    // Logical (immediate)
    encoding<"f 00 100100 N rrrrrr SSSSSS nnnnn ddddd", decode_LOGICAL_imm<LogicOp::AND>>
        ("AND_imm", "AND (immediate)"),
    encoding<"f 01 100100 N rrrrrr SSSSSS nnnnn ddddd", decode_LOGICAL_imm<LogicOp::ORR>>
        ("ORR_imm", "ORR (immediate)"),
    encoding<"f 10 100100 N rrrrrr SSSSSS nnnnn ddddd", decode_LOGICAL_imm<LogicOp::EOR>>
        ("EOR_imm", "EOR (immediate)"),
    encoding<"f 11 100100 N rrrrrr SSSSSS nnnnn ddddd", decode_LOGICAL_imm<LogicOp::ANDS>>
        ("ANDS_imm", "ANDS (immediate)"),
    // Move wide (immediate); opc = 01 is unallocated
    encoding<"f 00 100101 hh iiiiiiiiiiiiiiii ddddd", decode_MOVE_wide<MoveOp::MOVN>>
        ("MOVN", "MOVN"),
    encoding<"f 10 100101 hh iiiiiiiiiiiiiiii ddddd", decode_MOVE_wide<MoveOp::MOVZ>>
        ("MOVZ", "MOVZ"),
    encoding<"f 11 100101 hh iiiiiiiiiiiiiiii ddddd", decode_MOVE_wide<MoveOp::MOVK>>
        ("MOVK", "MOVK"),
    // Bitfield; opc = 11 is unallocated
    encoding<"f 00 100110 N rrrrrr SSSSSS nnnnn ddddd", decode_BITFIELD<BitfieldOp::SBFM>>
        ("SBFM", "SBFM"),
    encoding<"f 01 100110 N rrrrrr SSSSSS nnnnn ddddd", decode_BITFIELD<BitfieldOp::BFM>>
        ("BFM", "BFM"),
    encoding<"f 10 100110 N rrrrrr SSSSSS nnnnn ddddd", decode_BITFIELD<BitfieldOp::UBFM>>
        ("UBFM", "UBFM"),
    // Extract; op21 != 00, o0 = 1 and N != sf are unallocated
    encoding<"f=0 00 100111 0 0 mmmmm SSSSSS nnnnn ddddd", decode_EXTR>("EXTR_32", "EXTR"),
    encoding<"f=1 00 100111 1 0 mmmmm SSSSSS nnnnn ddddd", decode_EXTR>("EXTR_64", "EXTR"),
};

}  // namespace

std::span<const Encoding> encodings_dp_imm() { return kTable; }

}  // namespace cpu
