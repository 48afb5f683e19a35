// Exception entry and return: AArch64.TakeException and
// AArch64.ExceptionReturn (DDI 0487 K.a, J1.1.2 / D1.10 "Exception entry").
#include "arch/bits.h"
#include "cpu/cpu.h"
#include "cpu/debug.h"
#include "cpu/gic_cpuif.h"
#include "cpu/sysregs.h"

namespace cpu {

namespace {

// Vector offset for an exception taken to EL1 from the current state
// (D1.10.2, Table D1-7).
uint64_t vector_offset_el1(const arch::PState& p, ExceptionType type) {
    uint64_t base = 0;
    if (p.el == 0) base = 0x400;        // lower EL using AArch64
    else if (p.sp) base = 0x200;        // current EL with SP_ELx
    return base + uint64_t(type) * 0x80;  // current EL with SP_EL0: 0x000
}

uint32_t fault_status(const Fault& f) {
    switch (f.kind) {
    case FaultKind::Alignment: return arch::fsc::kAlignment;
    case FaultKind::Translation: return arch::fsc::kTranslationL0 + f.level;
    case FaultKind::AccessFlag: return arch::fsc::kAccessFlagL0 + f.level;
    case FaultKind::Permission: return arch::fsc::kPermissionL0 + f.level;
    case FaultKind::External: return arch::fsc::kSyncExternal;
    case FaultKind::AddressSize: return arch::fsc::kAddressSizeL0 + f.level;
    case FaultKind::Watchpoint: return arch::fsc::kDebug;
    }
    return arch::fsc::kSyncExternal;
}

// ISS for a data abort (D24.2.40). The instruction-syndrome fields are
// valid only for a stage-2 fault on a single-register access.
uint32_t data_abort_iss(const Fault& f, bool syndrome_valid) {
    constexpr uint32_t kCM = 1u << 8;  // ISS.CM: an AT (or cache maintenance) instruction
    uint32_t iss = fault_status(f);
    if (f.access.write) iss |= arch::dabt::kWnR;
    if (f.access.cm) iss |= kCM;
    if (syndrome_valid && f.access.isv) {
        iss |= arch::dabt::kISV | (uint32_t(f.access.size_log2) << arch::dabt::kSasShift) |
               (uint32_t(f.access.srt) << arch::dabt::kSrtShift);
        if (f.access.sse) iss |= arch::dabt::kSSE;
        if (f.access.sf) iss |= arch::dabt::kSF;
        if (f.access.ar) iss |= arch::dabt::kAR;
    }
    return iss;
}

}  // namespace

uint32_t fault_status_code(const Fault& f) { return fault_status(f); }

Flow Cpu::take_sync_to_el2(uint32_t esr, uint64_t preferred_return, uint64_t far,
                           uint64_t hpfar) {
    s_.el2.esr = esr;
    s_.el2.far = far;
    s_.el2.hpfar = hpfar;
    s_.el2.elr = preferred_return;
    s_.el2.spsr = s_.pstate.to_spsr();
    // The world switch saves the guest's return state as its context.
    s_.pc = preferred_return;
    attention_ |= kExitedToEl2;
    step_stepped_ = false;
    return Flow::Exception;
}

// AArch64.BreakpointException, AArch64.SoftwareStepException,
// AArch64.WatchpointException: to EL2 when DebugTarget() is EL2 (always a
// lower EL there), else to EL1 with the "same EL" class from EL1.
Flow Cpu::take_debug(arch::EC lower_ec, uint32_t iss, uint64_t preferred_return, uint64_t far,
                     bool far_valid) {
    if (debug_enables_.target == 2)
        return take_sync_to_el2(arch::esr(lower_ec, iss), preferred_return, far);
    const arch::EC ec = s_.pstate.el == 0 ? lower_ec : arch::EC(uint8_t(lower_ec) + 1);
    enter_el1(ExceptionType::Sync, arch::esr(ec, iss), preferred_return, far, far_valid);
    return Flow::Exception;
}

Flow Cpu::take_sync(uint32_t esr, uint64_t preferred_return, uint64_t far, bool far_valid) {
    if (s_.el2.hcr & hcr::kTGE)
        return take_sync_to_el2(esr, preferred_return, far, 0);
    enter_el1(ExceptionType::Sync, esr, preferred_return, far, far_valid);
    return Flow::Exception;
}

Flow Cpu::undefined() { return take_sync(arch::esr(arch::EC::Unknown, 0), s_.pc); }

// AArch64.CheckFPEnabled with HCR_EL2.E2H = 0: CPACR_EL1.FPEN first (EL0
// and EL1), then CPTR_EL2.TFP (every guest EL, EL2 being always enabled).
bool Cpu::fp_enabled() const {
    const uint64_t fpen = (s_.el1.cpacr & cpacr::kFPEN) >> cpacr::kFPENShift;
    if (fpen != 3 && !(fpen == 1 && s_.pstate.el == 1)) return false;
    return !(s_.el2.cptr & cptr::kTFP);
}

// AArch64.AdvSIMDFPAccessTrap. The ISS holds ConditionSyndrome(): for A64,
// CV = 1 and COND = 0b1110. A CPACR trap with HCR_EL2.TGE = 1 goes to EL2
// as an Unknown-reason exception.
Flow Cpu::fp_access_trap() {
    const uint64_t fpen = (s_.el1.cpacr & cpacr::kFPEN) >> cpacr::kFPENShift;
    const bool el1_trap = fpen != 3 && !(fpen == 1 && s_.pstate.el == 1);
    constexpr uint32_t kCondSyndrome = (1u << 24) | (0xEu << 20);
    const uint32_t esr = arch::esr(arch::EC::FpAccess, kCondSyndrome);
    if (!el1_trap) return take_sync_to_el2(esr, s_.pc);
    if (s_.el2.hcr & hcr::kTGE) return take_sync_to_el2(arch::esr(arch::EC::Unknown, 0), s_.pc);
    enter_el1(ExceptionType::Sync, esr, s_.pc, 0, false);
    return Flow::Exception;
}

// The one place a raised fault becomes an exception (as Spike's take_trap):
// the preferred return is the faulting instruction (or the fetch's PC).
Flow Cpu::take_fault() {
    fault_pending_ = false;
    const Fault& f = fault_;
    if (f.kind == FaultKind::Watchpoint) {
        // ISS: CM (a cache maintenance instruction; none is watched), WnR,
        // DFSC = Debug exception. FAR = the first watched byte (debug.h).
        const uint32_t iss = arch::fsc::kDebug | (f.access.write ? arch::watchpt::kWnR : 0);
        return take_debug(arch::EC::WatchpointLow, iss, s_.pc, f.va, true);
    }
    const bool lower = true;  // guests run at EL0/EL1: EL2 always sees a lower EL
    if (f.stage == 2) {
        const arch::EC ec = f.fetch ? arch::EC::InstrAbortLow : arch::EC::DataAbortLow;
        uint32_t iss = f.fetch ? fault_status(f) : data_abort_iss(f, lower && !f.s1ptw);
        // A fault on a stage-1 descriptor read: S1PTW = 1, HPFAR = the
        // descriptor's IPA, no instruction syndrome; the walk only reads
        // (no hardware AF/dirty update), so WnR = 0.
        if (f.s1ptw) iss = (iss | arch::dabt::kS1PTW) & ~arch::dabt::kWnR;
        return take_sync_to_el2(arch::esr(ec, iss), s_.pc, f.va, (f.ipa >> 12) << 4);
    }
    const bool from_el0 = s_.pstate.el == 0;
    arch::EC ec;
    uint32_t iss;
    if (f.fetch) {
        ec = from_el0 ? arch::EC::InstrAbortLow : arch::EC::InstrAbortCur;
        iss = fault_status(f);
    } else {
        ec = from_el0 ? arch::EC::DataAbortLow : arch::EC::DataAbortCur;
        iss = data_abort_iss(f, false);
    }
    return take_sync(arch::esr(ec, iss), s_.pc, f.va, true);
}

void Cpu::enter_el1(ExceptionType type, uint32_t esr, uint64_t preferred_return, uint64_t far,
                    bool far_valid) {
    const uint64_t vector = s_.el1.vbar + vector_offset_el1(s_.pstate, type);
    if (retired_ == retired_at_entry_ && vector == progress_.vector) {
        if (++same_vector_entries_ >= kNoProgressLimit) attention_ |= kNoProgress;
    } else {
        same_vector_entries_ = 1;
    }
    retired_at_entry_ = retired_;
    ++el1_entries_;
    progress_ = {vector, esr, preferred_return};
    step_stepped_ = false;

    s_.el1.spsr = s_.pstate.to_spsr();
    s_.el1.elr = preferred_return;
    if (type == ExceptionType::Sync || type == ExceptionType::SError) s_.el1.esr = esr;
    if (far_valid) s_.el1.far = far;
    auto& p = s_.pstate;
    p.el = 1;
    p.sp = true;
    p.d = p.a = p.i = p.f = true;
    p.il = false;
    p.ss = false;
    s_.pc = vector;
    if (catch_el1_) [[unlikely]] {
        const bool has_esr = type == ExceptionType::Sync || type == ExceptionType::SError;
        caught_ = El1Entry{type, vector, has_esr ? esr : 0, preferred_return};
        attention_ |= kCaughtEl1;
    }
}

// Virtual interrupts (D1.3.6): HCR_EL2.VSE/VF/VI raise a virtual SError, FIQ
// or IRQ when AMO/FMO/IMO route the physical one to EL2, and so does the GIC
// virtual CPU interface (IHI 0069: its vIRQ/vFIQ are ORed with VI/VF); PSTATE.A/F/I mask
// them at EL0 and EL1. They are checked at block boundaries, which every
// instruction that can unmask them ends. Without FEAT_RAS the virtual
// SError's ISS is zero. Taking it clears HCR_EL2.VSE; VI and VF are levels
// that the hypervisor clears.
bool Cpu::take_pending_virtual_interrupt() {
    const uint64_t hcr = s_.el2.hcr | ich_lines_;
    const auto& p = s_.pstate;
    if ((hcr & hcr::kVSE) && (hcr & hcr::kAMO) && !p.a) {
        s_.el2.hcr &= ~hcr::kVSE;
        enter_el1(ExceptionType::SError, arch::esr(arch::EC::SError, 0), s_.pc, 0, false);
        return true;
    }
    if (block_interrupts_) return false;
    if ((hcr & hcr::kVF) && (hcr & hcr::kFMO) && !p.f) {
        enter_el1(ExceptionType::Fiq, 0, s_.pc, 0, false);
        return true;
    }
    if ((hcr & hcr::kVI) && (hcr & hcr::kIMO) && !p.i) {
        enter_el1(ExceptionType::Irq, 0, s_.pc, 0, false);
        return true;
    }
    return false;
}

// AArch64.ExceptionReturn from EL2 with ELR_EL2/SPSR_EL2. A return to EL2 or
// to AArch32 is illegal here (guests run at EL0/EL1 under RW = 1): PSTATE.IL
// is set and the first instruction takes an Illegal Execution state exception,
// which the current EL (EL2) receives (D1.4.4 "Illegal exception returns").
// PSTATE.SS is DebugExceptionReturnSS(SPSR_EL2): debug exceptions are
// disabled at the source (the hypervisor runs with PSTATE.D = 1), so SS
// comes from SPSR_EL2.SS whenever they are enabled at the destination: the
// hypervisor picks Active-not-pending (SS = 1) or Active-pending (SS = 0).
// The world switch restores the guest's context as ELR_EL2 = state().pc and
// SPSR_EL2 = state().pstate, so the return takes PSTATE's fields as they
// stand (PState::from_spsr(to_spsr()) is the identity) and only SPSR.M's
// legality and SS need computing. SPSR_EL2 itself is left as the last
// exception to EL2 wrote it: the next one writes it again, and nothing
// reads it in between.
void Cpu::exception_return_from_el2() {
    // The hypervisor may have changed State::ich. A maintenance condition
    // it left asserted is its own to handle: only one that rises while the
    // guest runs interrupts it (otherwise re-entry could never progress).
    attention_ &= ~uint32_t(kMaintenance);
    if (s_.ich.hcr & gic::ich_hcr::kEn) {
        maintenance_level_ = maintenance_line();
        update_ich_lines();
    } else {
        // A disabled interface signals nothing (no vIRQ/vFIQ, ICH_HCR_EL2.En
        // gates the maintenance interrupt): the two calls' result, cheaply.
        maintenance_level_ = false;
        ich_lines_ = 0;
    }
    debug_config_changed();  // and MDSCR_EL1, the OS Lock, DBG*CR
    step_stepped_ = false;
    s_.el2.elr = s_.pc;
    arch::PState& p = s_.pstate;
    // SPSR.M: EL0t (EL 0, SP 0), EL1t or EL1h.
    const bool legal = p.el == 1 || (p.el == 0 && !p.sp);
    if (!preserve_monitor_) monitor_.open = true;  // ClearExclusiveLocal
    if (!legal) {
        p.il = true;
        take_sync_to_el2(arch::esr(arch::EC::IllegalState, 0), s_.el2.elr);
        return;
    }
    p.ss = debug::exception_return_ss(debug_enables_, p.d, p.ss, p.el, false);
}

}  // namespace cpu
