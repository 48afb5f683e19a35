// A64 encoding index: Branches, Exception Generating and System instructions
// (ARM ARM DDI 0487 K.a, C4.1.87). One line per encoding, in the order of the
// manual's index; the decoders below turn a word into Insn fields and the
// handlers live in branch.cpp, exception_gen.cpp and system.cpp.
//
// Pattern letters (decode.h; decoders read them with field<>): i =
// immediate or offset, c = cond, t = Rt, n = Rn, d = Rm/modifier, m = CRm,
// N = CRn, p = op1, q = op2, O = op0, s = sf, b = b5:b40, x = op (the
// inverted test), M = key.
//
// Entries that raise UNDEFINED are the encodings of features this PE does
// not advertise (ID_AA64*) or that are UNDEFINED in its state.
#include "arch/bits.h"
#include "arch/sysreg.h"
#include "cpu/decode.h"
#include "cpu/isa/branch_sys.h"

namespace cpu {

namespace {

// ---- Branches -------------------------------------------------------------

// imm = the byte offset, SignExtend(imm:'00').
template <ExecFn Fn, Pattern P>
void decode_imm26(Word<P> w, Insn& o) {
    o.imm = uint64_t(sfield<'i'>(w) * 4);
    o.exec = Fn;
    o.ends_block = true;
}

template <Pattern P>
void decode_B_cond(Word<P> w, Insn& o) {
    o.imm = uint64_t(sfield<'i'>(w) * 4);
    o.cond = uint8_t(field<'c'>(w));
    o.exec = sys::B_cond;
    o.ends_block = true;
}

template <Pattern P>
void decode_CBZ(Word<P> w, Insn& o) {
    o.imm = uint64_t(sfield<'i'>(w) * 4);
    o.rd = uint8_t(field<'t'>(w));
    o.sf = field<'s'>(w);
    o.negate = field<'x'>(w);  // CBNZ
    o.exec = sys::CBZ;
    o.ends_block = true;
}

template <Pattern P>
void decode_TBZ(Word<P> w, Insn& o) {
    o.imm = uint64_t(sfield<'i'>(w) * 4);
    o.rd = uint8_t(field<'t'>(w));
    o.shift = uint8_t(field<'b'>(w));  // b5:b40, the bit tested
    o.negate = field<'x'>(w);          // TBNZ
    o.exec = sys::TBZ;
    o.ends_block = true;
}

template <ExecFn Fn, Pattern P>
void decode_branch_reg(Word<P> w, Insn& o) {
    if constexpr (P.has('n')) o.rn = uint8_t(field<'n'>(w));
    o.exec = Fn;
    o.ends_block = true;
}

// ---- Exception generation -------------------------------------------------

template <ExecFn Fn, Pattern P>
void decode_imm16(Word<P> w, Insn& o) {
    o.imm = field<'i'>(w);
    o.exec = Fn;
    o.ends_block = true;
}

// ---- Hints, barriers, PSTATE ----------------------------------------------

// Hints that have no effect on this PE: every unallocated or unimplemented
// hint executes as a NOP (C6.2.126 HINT).
template <Pattern P>
void decode_NOP(Word<P>, Insn& o) { o.exec = sys::NOP; }

template <ExecFn Fn, Pattern P>
void decode_wfx(Word<P>, Insn& o) {
    o.exec = Fn;
    o.ends_block = true;  // may trap; a WFI is also where time may jump later
}

template <Pattern P>
void decode_CLREX(Word<P>, Insn& o) { o.exec = sys::CLREX; }
template <Pattern P>
void decode_DMB(Word<P>, Insn& o) { o.exec = sys::DMB; }

// ISB is a context synchronization event: instructions after it are fetched
// again, so the block ends here (B2.3.10 "Context synchronization event").
template <Pattern P>
void decode_ISB(Word<P>, Insn& o) {
    o.exec = sys::ISB;
    o.ends_block = true;
}

// MSR (immediate), C6.2.230: op1:op2 select the PSTATE field. UAO, PAN,
// SSBS, DIT, TCO, ALLINT, PM, SVCR and the FlagM forms (CFINV, XAFLAG,
// AXFLAG) are not advertised, so their encodings are UNDEFINED.
template <Pattern P>
void decode_MSR_imm(Word<P> w, Insn& o) {
    const unsigned op1 = field<'p'>(w), op2 = field<'q'>(w);
    o.imm = field<'m'>(w);  // CRm
    o.ends_block = true;
    if (op1 == 0 && op2 == 5) o.pstate_field = sys::kFieldSPSel;
    else if (op1 == 3 && op2 == 6) o.pstate_field = sys::kFieldDAIFSet;
    else if (op1 == 3 && op2 == 7) o.pstate_field = sys::kFieldDAIFClr;
    else return;
    o.exec = sys::MSR_imm;
}

// ---- System instructions and register moves -------------------------------

// imm = the packed arch::SysRegId (op0, op1, CRn, CRm, op2).
template <ExecFn Fn, bool Read, Pattern P>
void decode_sysreg(Word<P> w, Insn& o) {
    o.imm = arch::SysRegId(field<'O'>(w), field<'p'>(w), field<'N'>(w), field<'m'>(w),
                           field<'q'>(w)).packed;
    o.rd = uint8_t(field<'t'>(w));
    o.read = Read;
    o.exec = Fn;
    // MRS never changes context; MSR and SYS may (the accessor then ends the
    // block itself with Cpu::end_block()).
}

constexpr Encoding kTable[] = {
    // Conditional branch (immediate)
    encoding<"0101010 0 iiiiiiiiiiiiiiiiiii 0 cccc", decode_B_cond>("B_cond", "B.cond"),
    encoding<"0101010 0 iiiiiiiiiiiiiiiiiii 1 cccc", decode_UNDEFINED>
        ("BC_cond", "BC.cond (FEAT_HBC)"),
    // Exception generation
    encoding<"11010100 000 iiiiiiiiiiiiiiii 000 01", decode_imm16<sys::SVC>>("SVC", "SVC"),
    encoding<"11010100 000 iiiiiiiiiiiiiiii 000 10", decode_imm16<sys::HVC>>("HVC", "HVC"),
    encoding<"11010100 000 iiiiiiiiiiiiiiii 000 11", decode_imm16<sys::SMC>>("SMC", "SMC"),
    encoding<"11010100 001 iiiiiiiiiiiiiiii 000 00", decode_imm16<sys::BRK>>("BRK", "BRK"),
    // Halting debug is not enabled (EDSCR.HDE = 0): HLT is UNDEFINED (C6.2.124).
    encoding<"11010100 010 iiiiiiiiiiiiiiii 000 00", decode_UNDEFINED>("HLT", "HLT"),
    encoding<"11010100 011 iiiiiiiiiiiiiiii 000 00", decode_UNDEFINED>
        ("TCANCEL", "TCANCEL (FEAT_TME)"),
    // DCPSx are UNDEFINED in Non-debug state (C6.2.85).
    encoding<"11010100 101 iiiiiiiiiiiiiiii 000 01", decode_UNDEFINED>("DCPS1", "DCPS1"),
    encoding<"11010100 101 iiiiiiiiiiiiiiii 000 10", decode_UNDEFINED>("DCPS2", "DCPS2"),
    encoding<"11010100 101 iiiiiiiiiiiiiiii 000 11", decode_UNDEFINED>("DCPS3", "DCPS3"),
    // System instructions with register argument
    encoding<"11010101 00000011 0001 0000 000 ttttt", decode_UNDEFINED>("WFET", "WFET (FEAT_WFxT)"),
    encoding<"11010101 00000011 0001 0000 001 ttttt", decode_UNDEFINED>("WFIT", "WFIT (FEAT_WFxT)"),
    // Hints
    encoding<"11010101 00000011 0010 mmmm qqq 11111", decode_NOP>("HINT", "HINT"),
    encoding<"11010101 00000011 0010 0000 000 11111", decode_NOP>("NOP", "NOP"),
    encoding<"11010101 00000011 0010 0000 001 11111", decode_NOP>("YIELD", "YIELD"),
    encoding<"11010101 00000011 0010 0000 010 11111", decode_wfx<sys::WFE>>("WFE", "WFE"),
    encoding<"11010101 00000011 0010 0000 011 11111", decode_wfx<sys::WFI>>("WFI", "WFI"),
    encoding<"11010101 00000011 0010 0000 100 11111", decode_NOP>("SEV", "SEV"),
    encoding<"11010101 00000011 0010 0000 101 11111", decode_NOP>("SEVL", "SEVL"),
    encoding<"11010101 00000011 0010 0010 000 11111", decode_NOP>("ESB", "ESB"),
    encoding<"11010101 00000011 0010 0010 001 11111", decode_NOP>("PSB", "PSB CSYNC"),
    encoding<"11010101 00000011 0010 0010 100 11111", decode_NOP>("CSDB", "CSDB"),
    encoding<"11010101 00000011 0010 0100 qq0 11111", decode_NOP>("BTI", "BTI"),
    // Barriers
    encoding<"11010101 00000011 0011 mmmm 010 11111", decode_CLREX>("CLREX", "CLREX"),
    encoding<"11010101 00000011 0011 mm10 001 11111", decode_UNDEFINED>("DSB_nXS", "DSB (FEAT_XS)"),
    encoding<"11010101 00000011 0011 mmmm 100 11111", decode_DMB>("DSB", "DSB"),
    encoding<"11010101 00000011 0011 mmmm 101 11111", decode_DMB>("DMB", "DMB"),
    encoding<"11010101 00000011 0011 mmmm 110 11111", decode_ISB>("ISB", "ISB"),
    encoding<"11010101 00000011 0011 0000 111 11111", decode_DMB>("SB", "SB").needs(Feature::SB),
    // PSTATE
    encoding<"1101010100 0 00 ppp 0100 mmmm qqq 11111", decode_MSR_imm>
        ("MSR_imm", "MSR (immediate)"),
    // System instructions
    encoding<"1101010100 0 O=01 ppp NNNN mmmm qqq ttttt", decode_sysreg<sys::SYS, false>>
        ("SYS", "SYS"),
    // The one SYS operation of an optional feature (sysregs.cpp implements it).
    encoding<"1101010100 0 O=01 p=011 N=0111 m=1100 q=001 ttttt", decode_sysreg<sys::SYS, false>>
        ("DC_CVAP", "DC CVAP").needs(Feature::DPB),
    encoding<"1101010100 1 O=01 ppp NNNN mmmm qqq ttttt", decode_sysreg<sys::SYS, true>>
        ("SYSL", "SYSL"),
    // System register move
    encoding<"1101010100 0 O=1O ppp NNNN mmmm qqq ttttt", decode_sysreg<sys::MSR_reg, false>>
        ("MSR_reg", "MSR (register)"),
    encoding<"1101010100 1 O=1O ppp NNNN mmmm qqq ttttt", decode_sysreg<sys::MRS, true>>
        ("MRS", "MRS"),
    // Unconditional branch (register); the pointer-authentication forms are
    // UNDEFINED: FEAT_PAuth is not advertised (ID_AA64ISAR1_EL1.{APA,API} = 0).
    encoding<"1101011 0000 11111 000000 nnnnn 00000", decode_branch_reg<sys::BR>>("BR", "BR"),
    encoding<"1101011 0001 11111 000000 nnnnn 00000", decode_branch_reg<sys::BLR>>("BLR", "BLR"),
    encoding<"1101011 0010 11111 000000 nnnnn 00000", decode_branch_reg<sys::RET>>("RET", "RET"),
    encoding<"1101011 0100 11111 000000 11111 00000", decode_branch_reg<sys::ERET>>("ERET", "ERET"),
    // DRPS is UNDEFINED in Non-debug state (C6.2.90).
    encoding<"1101011 0101 11111 000000 11111 00000", decode_UNDEFINED>("DRPS", "DRPS"),
    encoding<"1101011 0000 11111 00001 M nnnnn 11111", decode_UNDEFINED>("BRAxZ", "BRAAZ, BRABZ"),
    encoding<"1101011 0001 11111 00001 M nnnnn 11111", decode_UNDEFINED>
        ("BLRAxZ", "BLRAAZ, BLRABZ"),
    encoding<"1101011 0010 11111 00001 M 11111 11111", decode_UNDEFINED>("RETAx", "RETAA, RETAB"),
    encoding<"1101011 0100 11111 00001 M 11111 11111", decode_UNDEFINED>
        ("ERETAx", "ERETAA, ERETAB"),
    encoding<"1101011 1000 11111 00001 M nnnnn ddddd", decode_UNDEFINED>("BRAx", "BRAA, BRAB"),
    encoding<"1101011 1001 11111 00001 M nnnnn ddddd", decode_UNDEFINED>("BLRAx", "BLRAA, BLRAB"),
    // Unconditional branch (immediate)
    encoding<"0 00101 iiiiiiiiiiiiiiiiiiiiiiiiii", decode_imm26<sys::B>>("B", "B"),
    encoding<"1 00101 iiiiiiiiiiiiiiiiiiiiiiiiii", decode_imm26<sys::BL>>("BL", "BL"),
    // Compare and branch (immediate)
    encoding<"s 011010 x=0 iiiiiiiiiiiiiiiiiii ttttt", decode_CBZ>("CBZ", "CBZ"),
    encoding<"s 011010 x=1 iiiiiiiiiiiiiiiiiii ttttt", decode_CBZ>("CBNZ", "CBNZ"),
    // Test and branch (immediate)
    encoding<"b 011011 x=0 bbbbb iiiiiiiiiiiiii ttttt", decode_TBZ>("TBZ", "TBZ"),
    encoding<"b 011011 x=1 bbbbb iiiiiiiiiiiiii ttttt", decode_TBZ>("TBNZ", "TBNZ"),
};

}  // namespace

std::span<const Encoding> encodings_branch_sys() { return kTable; }

}  // namespace cpu
