// Handlers of the encoding-index group "Branches, Exception Generating and
// System instructions" (ARM ARM DDI 0487 K.a, C4.1.87), shared between the
// table (branch_sys.cpp) and the files that implement them: branch.cpp,
// exception_gen.cpp, system.cpp. Handlers read only Insn fields.
#pragma once

#include <cstdint>

#include "cpu/cpu.h"
#include "cpu/insn.h"

namespace cpu::sys {

// Field use (decoders in branch_sys.cpp fill them):
//   imm    branch offset (sign-extended, bytes), imm16 of exception
//          generation, CRm of MSR (immediate), packed arch::SysRegId of
//          MRS/MSR/SYS/SYSL
//   rd     Rt; rn Rn of BR/BLR/RET
//   cond   B.cond; sf CBZ/CBNZ; shift the bit number of TBZ/TBNZ
//   negate the inverted form (CBNZ, TBNZ); pstate_field MSR (immediate);
//   read   MRS and SYSL

// branch.cpp
Flow B(Cpu&, const Insn&);
Flow BL(Cpu&, const Insn&);
Flow B_cond(Cpu&, const Insn&);
Flow CBZ(Cpu&, const Insn&);  // negate: CBNZ
Flow TBZ(Cpu&, const Insn&);  // negate: TBNZ
Flow BR(Cpu&, const Insn&);
Flow BLR(Cpu&, const Insn&);
Flow RET(Cpu&, const Insn&);

// exception_gen.cpp
Flow SVC(Cpu&, const Insn&);
Flow HVC(Cpu&, const Insn&);
Flow SMC(Cpu&, const Insn&);
Flow BRK(Cpu&, const Insn&);
Flow ERET(Cpu&, const Insn&);

// system.cpp
Flow NOP(Cpu&, const Insn&);  // also every hint without an effect here
Flow WFI(Cpu&, const Insn&);
Flow WFE(Cpu&, const Insn&);
Flow CLREX(Cpu&, const Insn&);
Flow DMB(Cpu&, const Insn&);  // also DSB and SB: one PE, in-order accesses
Flow ISB(Cpu&, const Insn&);
Flow MSR_imm(Cpu&, const Insn&);
Flow MRS(Cpu&, const Insn&);
Flow MSR_reg(Cpu&, const Insn&);
Flow SYS(Cpu&, const Insn&);  // read: SYSL

// PSTATE fields of MSR (immediate), op1:op2 (C5.2 "Special-purpose registers").
enum PStateField : uint8_t { kFieldSPSel = 1, kFieldDAIFSet, kFieldDAIFClr };

// AArch64.BranchAddr: the top byte of a branch target is ignored when
// TCR_EL1.TBI0/TBI1 says so for that half of the address space.
uint64_t branch_addr(const Cpu&, uint64_t target);

}  // namespace cpu::sys
