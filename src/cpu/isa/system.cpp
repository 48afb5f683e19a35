// Hints, barriers, MSR (immediate), and the entry points of MRS, MSR
// (register), SYS and SYSL (ARM ARM DDI 0487 K.a, C5.2/C6.2; the register
// accessors are in cpu/sysregs.cpp).
#include "arch/esr.h"
#include "arch/sysreg.h"
#include "cpu/isa/branch_sys.h"
#include "cpu/sysregs.h"

namespace cpu::sys {

Flow NOP(Cpu&, const Insn&) { return Flow::Next; }

namespace {

enum class WFxType : uint32_t { WFI = 0, WFE = 1 };

// ISS for EC 0x01 from AArch64 (D24.2.40, "ISS encoding for an exception from
// a WF* instruction"): CV = 1 and COND = 0b1110 (ConditionSyndrome() for
// AArch64), TI[1:0] = the instruction type.
constexpr uint32_t wfx_iss(WFxType t) { return (1u << 24) | (0xEu << 20) | uint32_t(t); }

// AArch64.CheckForWFxTrap: SCTLR_EL1.nTWI/nTWE = 0 traps EL0's WFx to EL1
// (to EL2 under HCR_EL2.TGE, as Cpu::take_sync routes it); then
// HCR_EL2.TWI/TWE trap EL0's and EL1's WFx to EL2. Preferred return = the WFx.
// An untrapped WFx completes at once: a WFx may complete spuriously, and this
// PE has no other agent to wait for (docs/architecture-choices-system.md).
Flow wfx(Cpu& cpu, WFxType t) {
    const State& s = cpu.state();
    const bool wfe = t == WFxType::WFE;
    const uint32_t esr = arch::esr(arch::EC::WFx, wfx_iss(t));
    if (s.pstate.el == 0 && !(s.el1.sctlr & (wfe ? sctlr::knTWE : sctlr::knTWI)))
        return cpu.take_sync(esr, s.pc);
    if (s.el2.hcr & (wfe ? hcr::kTWE : hcr::kTWI)) return cpu.take_sync_to_el2(esr, s.pc);
    return Flow::Next;
}

}  // namespace

Flow WFI(Cpu& cpu, const Insn&) { return wfx(cpu, WFxType::WFI); }
Flow WFE(Cpu& cpu, const Insn&) { return wfx(cpu, WFxType::WFE); }

// ClearExclusiveLocal (C6.2.56 CLREX).
Flow CLREX(Cpu& cpu, const Insn&) {
    cpu.monitor().open = true;
    return Flow::Next;
}

// One PE whose accesses complete in program order: DMB, DSB and SB have no
// further effect.
Flow DMB(Cpu&, const Insn&) { return Flow::Next; }

Flow ISB(Cpu&, const Insn&) { return Flow::EndBlock; }

namespace {

void set_daif(arch::PState& p, uint64_t daif4) {
    p.d = daif4 & 8;
    p.a = daif4 & 4;
    p.i = daif4 & 2;
    p.f = daif4 & 1;
}
uint64_t get_daif(const arch::PState& p) {
    return (p.d ? 8 : 0) | (p.a ? 4 : 0) | (p.i ? 2 : 0) | (p.f ? 1 : 0);
}

// The EC 0x18 syndrome of an MSR (immediate): op0 = 0, CRn = 0b0100,
// Rt = 0b11111, direction = write (D24.2.40).
uint32_t msr_imm_iss(const Insn& i) {
    const unsigned f = i.pstate_field;
    const unsigned op2 = f == kFieldSPSel ? 5 : f == kFieldDAIFSet ? 6 : 7;
    const unsigned op1 = f == kFieldSPSel ? 0 : 3;
    return arch::encode_sysreg_iss({0, uint8_t(op1), 4, uint8_t(i.imm), uint8_t(op2), 31, false});
}

}  // namespace

// MSR (immediate) to SPSel, DAIFSet, DAIFClr (C5.2.x). At EL0 SPSel is
// UNDEFINED and DAIF needs SCTLR_EL1.UMA (else EC 0x18 to EL1). Unmasking may
// make a pending interrupt takeable, so the block ends.
Flow MSR_imm(Cpu& cpu, const Insn& i) {
    State& s = cpu.state();
    if (s.pstate.el == 0) {
        if (i.pstate_field == kFieldSPSel) return cpu.undefined();
        if (!(s.el1.sctlr & sctlr::kUMA))
            return cpu.take_sync(arch::esr(arch::EC::SysReg, msr_imm_iss(i)), s.pc);
    }
    switch (i.pstate_field) {
    case kFieldSPSel: s.pstate.sp = i.imm & 1; break;
    case kFieldDAIFSet: set_daif(s.pstate, get_daif(s.pstate) | i.imm); break;
    case kFieldDAIFClr: set_daif(s.pstate, get_daif(s.pstate) & ~i.imm); break;
    default: return cpu.undefined();
    }
    return Flow::EndBlock;
}

Flow MRS(Cpu& cpu, const Insn& i) {
    return access_sysreg(cpu, arch::SysRegId(uint16_t(i.imm)), i.rd, true);
}

Flow MSR_reg(Cpu& cpu, const Insn& i) {
    return access_sysreg(cpu, arch::SysRegId(uint16_t(i.imm)), i.rd, false);
}

Flow SYS(Cpu& cpu, const Insn& i) {
    return access_sysreg(cpu, arch::SysRegId(uint16_t(i.imm)), i.rd, i.read);
}

}  // namespace cpu::sys
