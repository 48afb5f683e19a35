// Exception generation and return: SVC, HVC, SMC, BRK, ERET
// (ARM ARM DDI 0487 K.a, C6.2; ASL AArch64.CallSupervisor,
// AArch64.CallHypervisor, AArch64.CheckForSMCUndefOrTrap,
// AArch64.SoftwareBreakpoint, AArch64.ExceptionReturn).
//
// SVC and HVC are retired instructions whose exception's preferred return is
// the next instruction. A trapped SMC and BRK are not retired: their
// preferred return is the instruction itself.
#include "arch/esr.h"
#include "arch/pstate.h"
#include "cpu/debug.h"
#include "cpu/isa/branch_sys.h"
#include "cpu/sysregs.h"

namespace cpu::sys {

namespace {
uint32_t imm16(const Insn& i) { return uint32_t(i.imm & 0xFFFF); }
}  // namespace

// AArch64.CallSupervisor: SSAdvance() (the step completes: SPSR.SS = 0),
// then to EL1, or to EL2 from EL0 when HCR_EL2.TGE = 1 (Cpu::take_sync
// routes it).
Flow SVC(Cpu& cpu, const Insn& i) {
    const uint64_t next = cpu.state().pc + 4;
    cpu.ss_advance();
    cpu.retire_current();
    return cpu.take_sync(arch::esr(arch::EC::SVC64, imm16(i)), next);
}

// HVC is UNDEFINED at EL0, and at EL1 when HCR_EL2.HCD = 1 (no EL3, so
// HCD is the enable). Otherwise AArch64.CallHypervisor: SSAdvance(), then
// EL2 with EC 0x16.
Flow HVC(Cpu& cpu, const Insn& i) {
    const auto& s = cpu.state();
    if (s.pstate.el == 0 || (s.el2.hcr & hcr::kHCD)) return cpu.undefined();
    const uint64_t next = s.pc + 4;
    cpu.ss_advance();
    cpu.retire_current();
    return cpu.take_sync_to_el2(arch::esr(arch::EC::HVC64, imm16(i)), next);
}

// SMC: UNDEFINED at EL0. There is no EL3; at EL1 with HCR_EL2.TSC = 1 the
// SMC traps to EL2 (EC 0x17, preferred return = the SMC), otherwise it is
// UNDEFINED. Trapping without EL3 is the IMPLEMENTATION DEFINED choice
// recorded in docs/architecture-choices-system.md (D24.2.48 HCR_EL2.TSC).
// A trap is not a completed step: no SSAdvance, SPSR_EL2.SS keeps PSTATE.SS.
// (There is no untrapped SMC to call SSAdvance: no EL3.)
Flow SMC(Cpu& cpu, const Insn& i) {
    const auto& s = cpu.state();
    if (s.pstate.el == 0 || !(s.el2.hcr & hcr::kTSC)) return cpu.undefined();
    return cpu.take_sync_to_el2(arch::esr(arch::EC::SMC64, imm16(i)), s.pc);
}

// AArch64.SoftwareBreakpoint: to EL2 when HCR_EL2.TGE or MDCR_EL2.TDE routes
// debug exceptions there, else to EL1. Preferred return = the BRK; not a
// completed step (no SSAdvance). BRK is not masked by PSTATE.D or the OS Lock.
Flow BRK(Cpu& cpu, const Insn& i) {
    const auto& s = cpu.state();
    const uint32_t esr = arch::esr(arch::EC::BRK64, imm16(i));
    if ((s.el2.hcr & hcr::kTGE) || (s.el2.mdcr & mdcr::kTDE))
        return cpu.take_sync_to_el2(esr, s.pc);
    return cpu.take_sync(esr, s.pc);
}

namespace {

// IllegalExceptionReturn (J1.1.2) for an ERET at EL1: the SPSR must name
// AArch64 EL0t, EL1t or EL1h, and EL1 only while HCR_EL2.TGE = 0.
bool illegal_return(const State& s, uint64_t spsr) {
    if (spsr & 0x10) return true;  // M[4] = 1: AArch32, not implemented
    const unsigned m = spsr & 0xF;
    if (m == arch::spsr::kEL0t) return false;
    if (m == arch::spsr::kEL1t || m == arch::spsr::kEL1h) return (s.el2.hcr & hcr::kTGE) != 0;
    return true;  // EL2/EL3 (higher than the current EL) or a reserved M value
}

}  // namespace

// AArch64.ExceptionReturn from EL1 with ELR_EL1/SPSR_EL1. An illegal return
// keeps PSTATE.{EL, SP}, restores the other fields and sets PSTATE.IL, so the
// next instruction takes an Illegal Execution state exception at EL1
// (D1.4.4). PAN is not implemented, so SPSR.PAN is not restored.
// PSTATE.SS = DebugExceptionReturnSS(SPSR_EL1): SPSR.SS only when debug
// exceptions are disabled here and enabled at the destination, else 0.
Flow ERET(Cpu& cpu, const Insn&) {
    State& s = cpu.state();
    if (s.pstate.el == 0) return cpu.undefined();
    const uint64_t spsr = s.el1.spsr;
    cpu.monitor().open = true;  // ClearExclusiveLocal
    arch::PState p = arch::PState::from_spsr(spsr);
    p.pan = false;
    if (illegal_return(s, spsr)) {
        p.el = s.pstate.el;
        p.sp = s.pstate.sp;
        p.il = true;
    }
    const debug::Enables& e = cpu.debug_enables();
    p.ss = debug::exception_return_ss(e, spsr & arch::spsr::kD, spsr & arch::spsr::kSS, p.el,
                                      debug::enabled(e, s.pstate));
    s.pstate = p;
    s.pc = branch_addr(cpu, s.el1.elr);
    return Flow::Branch;
}

}  // namespace cpu::sys
