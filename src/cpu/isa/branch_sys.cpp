// A64 encoding index: Branches, Exception Generating and System instructions
// (ARM ARM DDI 0487 K.a, C4.1.87). One line per encoding, in the order of the
// manual's index; the decoders below turn a word into Insn fields and the
// handlers live in branch.cpp, exception_gen.cpp and system.cpp.
//
// Pattern letters (documentation only; decoders extract by bit position):
// i = immediate or offset, c = cond, t = Rt, n = Rn, d = Rm/modifier,
// m = CRm, N = CRn, p = op1, q = op2, o = o0, s = sf, b = b5:b40, M = key.
//
// Entries without a handler are the encodings of features this PE does not
// advertise (ID_AA64*): their words raise UNDEFINED.
#include "arch/bits.h"
#include "arch/sysreg.h"
#include "cpu/decode.h"
#include "cpu/isa/branch_sys.h"

namespace cpu {

namespace {

using arch::bits;

void decode_unallocated(uint32_t, Insn& o) { o.ends_block = true; }

// ---- Branches -------------------------------------------------------------

template <ExecFn Fn>
void decode_imm26(uint32_t raw, Insn& o) {
    o.imm = uint64_t(arch::sign_extend(bits(raw, 25, 0), 26) << 2);
    o.exec = Fn;
    o.ends_block = true;
}

void decode_B_cond(uint32_t raw, Insn& o) {
    o.imm = uint64_t(arch::sign_extend(bits(raw, 23, 5), 19) << 2);
    o.op[0] = uint8_t(bits(raw, 3, 0));
    o.exec = sys::B_cond;
    o.ends_block = true;
}

void decode_CBZ(uint32_t raw, Insn& o) {
    o.imm = uint64_t(arch::sign_extend(bits(raw, 23, 5), 19) << 2);
    o.rd = uint8_t(bits(raw, 4, 0));
    o.op[0] = uint8_t(bits(raw, 31, 31));  // sf
    o.op[1] = uint8_t(bits(raw, 24, 24));  // op: CBNZ
    o.exec = sys::CBZ;
    o.ends_block = true;
}

void decode_TBZ(uint32_t raw, Insn& o) {
    o.imm = uint64_t(arch::sign_extend(bits(raw, 18, 5), 14) << 2);
    o.rd = uint8_t(bits(raw, 4, 0));
    o.op[0] = uint8_t((bits(raw, 31, 31) << 5) | bits(raw, 23, 19));  // b5:b40
    o.op[1] = uint8_t(bits(raw, 24, 24));                              // op: TBNZ
    o.exec = sys::TBZ;
    o.ends_block = true;
}

template <ExecFn Fn>
void decode_branch_reg(uint32_t raw, Insn& o) {
    o.rn = uint8_t(bits(raw, 9, 5));
    o.exec = Fn;
    o.ends_block = true;
}

// ---- Exception generation -------------------------------------------------

template <ExecFn Fn>
void decode_imm16(uint32_t raw, Insn& o) {
    o.imm = bits(raw, 20, 5);
    o.exec = Fn;
    o.ends_block = true;
}

// ---- Hints, barriers, PSTATE ----------------------------------------------

// Hints that have no effect on this PE: every unallocated or unimplemented
// hint executes as a NOP (C6.2.126 HINT).
void decode_NOP(uint32_t, Insn& o) { o.exec = sys::NOP; }

template <ExecFn Fn>
void decode_wfx(uint32_t, Insn& o) {
    o.exec = Fn;
    o.ends_block = true;  // may trap; a WFI is also where time may jump later
}

void decode_CLREX(uint32_t, Insn& o) { o.exec = sys::CLREX; }
void decode_DMB(uint32_t, Insn& o) { o.exec = sys::DMB; }

// ISB is a context synchronization event: instructions after it are fetched
// again, so the block ends here (B2.3.10 "Context synchronization event").
void decode_ISB(uint32_t, Insn& o) {
    o.exec = sys::ISB;
    o.ends_block = true;
}

// MSR (immediate), C6.2.230: op1:op2 select the PSTATE field. UAO, PAN,
// SSBS, DIT, TCO, ALLINT, PM, SVCR and the FlagM forms (CFINV, XAFLAG,
// AXFLAG) are not advertised, so their encodings are UNDEFINED.
void decode_MSR_imm(uint32_t raw, Insn& o) {
    const unsigned op1 = bits(raw, 18, 16), op2 = bits(raw, 7, 5);
    o.imm = bits(raw, 11, 8);  // CRm
    o.ends_block = true;
    if (op1 == 0 && op2 == 5) o.op[0] = sys::kFieldSPSel;
    else if (op1 == 3 && op2 == 6) o.op[0] = sys::kFieldDAIFSet;
    else if (op1 == 3 && op2 == 7) o.op[0] = sys::kFieldDAIFClr;
    else return;
    o.exec = sys::MSR_imm;
}

// ---- System instructions and register moves -------------------------------

template <ExecFn Fn, bool Read>
void decode_sysreg(uint32_t raw, Insn& o) {
    o.imm = arch::sysreg_from_insn(raw).packed;
    o.rd = uint8_t(bits(raw, 4, 0));
    o.op[0] = Read;
    o.exec = Fn;
    // MRS never changes context; MSR and SYS may (the accessor then ends the
    // block itself with Cpu::end_block()).
}

constexpr Encoding kTable[] = {
    // Conditional branch (immediate)
    encoding("B_cond", "B.cond", "0101010 0 iiiiiiiiiiiiiiiiiii 0 cccc", decode_B_cond),
    encoding("BC_cond", "BC.cond (FEAT_HBC)", "0101010 0 iiiiiiiiiiiiiiiiiii 1 cccc",
             decode_unallocated),
    // Exception generation
    encoding("SVC", "SVC", "11010100 000 iiiiiiiiiiiiiiii 000 01", decode_imm16<sys::SVC>),
    encoding("HVC", "HVC", "11010100 000 iiiiiiiiiiiiiiii 000 10", decode_imm16<sys::HVC>),
    encoding("SMC", "SMC", "11010100 000 iiiiiiiiiiiiiiii 000 11", decode_imm16<sys::SMC>),
    encoding("BRK", "BRK", "11010100 001 iiiiiiiiiiiiiiii 000 00", decode_imm16<sys::BRK>),
    // Halting debug is not enabled (EDSCR.HDE = 0): HLT is UNDEFINED (C6.2.124).
    encoding("HLT", "HLT", "11010100 010 iiiiiiiiiiiiiiii 000 00", decode_unallocated),
    encoding("TCANCEL", "TCANCEL (FEAT_TME)", "11010100 011 iiiiiiiiiiiiiiii 000 00",
             decode_unallocated),
    // DCPSx are UNDEFINED in Non-debug state (C6.2.85).
    encoding("DCPS1", "DCPS1", "11010100 101 iiiiiiiiiiiiiiii 000 01", decode_unallocated),
    encoding("DCPS2", "DCPS2", "11010100 101 iiiiiiiiiiiiiiii 000 10", decode_unallocated),
    encoding("DCPS3", "DCPS3", "11010100 101 iiiiiiiiiiiiiiii 000 11", decode_unallocated),
    // System instructions with register argument
    encoding("WFET", "WFET (FEAT_WFxT)", "11010101 00000011 0001 0000 000 ttttt",
             decode_unallocated),
    encoding("WFIT", "WFIT (FEAT_WFxT)", "11010101 00000011 0001 0000 001 ttttt",
             decode_unallocated),
    // Hints
    encoding("HINT", "HINT", "11010101 00000011 0010 mmmm qqq 11111", decode_NOP),
    encoding("NOP", "NOP", "11010101 00000011 0010 0000 000 11111", decode_NOP),
    encoding("YIELD", "YIELD", "11010101 00000011 0010 0000 001 11111", decode_NOP),
    encoding("WFE", "WFE", "11010101 00000011 0010 0000 010 11111", decode_wfx<sys::WFE>),
    encoding("WFI", "WFI", "11010101 00000011 0010 0000 011 11111", decode_wfx<sys::WFI>),
    encoding("SEV", "SEV", "11010101 00000011 0010 0000 100 11111", decode_NOP),
    encoding("SEVL", "SEVL", "11010101 00000011 0010 0000 101 11111", decode_NOP),
    encoding("ESB", "ESB", "11010101 00000011 0010 0010 000 11111", decode_NOP),
    encoding("PSB", "PSB CSYNC", "11010101 00000011 0010 0010 001 11111", decode_NOP),
    encoding("CSDB", "CSDB", "11010101 00000011 0010 0010 100 11111", decode_NOP),
    encoding("BTI", "BTI", "11010101 00000011 0010 0100 qq0 11111", decode_NOP),
    // Barriers
    encoding("CLREX", "CLREX", "11010101 00000011 0011 mmmm 010 11111", decode_CLREX),
    encoding("DSB_nXS", "DSB (FEAT_XS)", "11010101 00000011 0011 mm10 001 11111",
             decode_unallocated),
    encoding("DSB", "DSB", "11010101 00000011 0011 mmmm 100 11111", decode_DMB),
    encoding("DMB", "DMB", "11010101 00000011 0011 mmmm 101 11111", decode_DMB),
    encoding("ISB", "ISB", "11010101 00000011 0011 mmmm 110 11111", decode_ISB),
    encoding("SB", "SB", "11010101 00000011 0011 0000 111 11111", decode_DMB),
    // PSTATE
    encoding("MSR_imm", "MSR (immediate)", "1101010100 0 00 ppp 0100 mmmm qqq 11111",
             decode_MSR_imm),
    // System instructions
    encoding("SYS", "SYS", "1101010100 0 01 ppp NNNN mmmm qqq ttttt",
             (decode_sysreg<sys::SYS, false>)),
    encoding("SYSL", "SYSL", "1101010100 1 01 ppp NNNN mmmm qqq ttttt",
             (decode_sysreg<sys::SYS, true>)),
    // System register move
    encoding("MSR_reg", "MSR (register)", "1101010100 0 1 o ppp NNNN mmmm qqq ttttt",
             (decode_sysreg<sys::MSR_reg, false>)),
    encoding("MRS", "MRS", "1101010100 1 1 o ppp NNNN mmmm qqq ttttt",
             (decode_sysreg<sys::MRS, true>)),
    // Unconditional branch (register); the pointer-authentication forms are
    // UNDEFINED: FEAT_PAuth is not advertised (ID_AA64ISAR1_EL1.{APA,API} = 0).
    encoding("BR", "BR", "1101011 0000 11111 000000 nnnnn 00000", decode_branch_reg<sys::BR>),
    encoding("BLR", "BLR", "1101011 0001 11111 000000 nnnnn 00000", decode_branch_reg<sys::BLR>),
    encoding("RET", "RET", "1101011 0010 11111 000000 nnnnn 00000", decode_branch_reg<sys::RET>),
    encoding("ERET", "ERET", "1101011 0100 11111 000000 11111 00000",
             decode_branch_reg<sys::ERET>),
    // DRPS is UNDEFINED in Non-debug state (C6.2.90).
    encoding("DRPS", "DRPS", "1101011 0101 11111 000000 11111 00000", decode_unallocated),
    encoding("BRAxZ", "BRAAZ, BRABZ", "1101011 0000 11111 00001 M nnnnn 11111",
             decode_unallocated),
    encoding("BLRAxZ", "BLRAAZ, BLRABZ", "1101011 0001 11111 00001 M nnnnn 11111",
             decode_unallocated),
    encoding("RETAx", "RETAA, RETAB", "1101011 0010 11111 00001 M 11111 11111",
             decode_unallocated),
    encoding("ERETAx", "ERETAA, ERETAB", "1101011 0100 11111 00001 M 11111 11111",
             decode_unallocated),
    encoding("BRAx", "BRAA, BRAB", "1101011 1000 11111 00001 M nnnnn ddddd", decode_unallocated),
    encoding("BLRAx", "BLRAA, BLRAB", "1101011 1001 11111 00001 M nnnnn ddddd",
             decode_unallocated),
    // Unconditional branch (immediate)
    encoding("B", "B", "0 00101 iiiiiiiiiiiiiiiiiiiiiiiiii", decode_imm26<sys::B>),
    encoding("BL", "BL", "1 00101 iiiiiiiiiiiiiiiiiiiiiiiiii", decode_imm26<sys::BL>),
    // Compare and branch (immediate)
    encoding("CBZ", "CBZ", "s 011010 0 iiiiiiiiiiiiiiiiiii ttttt", decode_CBZ),
    encoding("CBNZ", "CBNZ", "s 011010 1 iiiiiiiiiiiiiiiiiii ttttt", decode_CBZ),
    // Test and branch (immediate)
    encoding("TBZ", "TBZ", "b 011011 0 bbbbb iiiiiiiiiiiiii ttttt", decode_TBZ),
    encoding("TBNZ", "TBNZ", "b 011011 1 bbbbb iiiiiiiiiiiiii ttttt", decode_TBZ),
};

}  // namespace

std::span<const Encoding> encodings_branch_sys() { return kTable; }

}  // namespace cpu
