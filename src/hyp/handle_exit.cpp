// Exit dispatch by exception class (Linux: arch/arm64/kvm/handle_exit.c).
#include <array>

#include <fmt/format.h>

#include "hyp/sys_regs.h"

namespace hyp {

namespace {

using ExitHandler = ExitAction (*)(KvmVcpu&);

// Every class without a handler: log the syndrome and make the instruction
// UNDEFINED in the guest (kvm_handle_unknown_ec).
ExitAction handle_unknown_ec(KvmVcpu& v) {
    const uint64_t esr = vcpu_esr(v);
    fmt::print(stderr, "stepvisor: unhandled exception class {:#04x} ({}), ESR_EL2 {:#x}, PC {:#x}\n",
               unsigned(arch::esr_ec(esr)), arch::ec_name(arch::esr_ec(esr)), esr, v.pc());
    inject_undefined(v);
    return ExitAction::Resume;
}

// HVC: the exception's preferred return is already the next instruction.
// A non-zero immediate is not an SMCCC call (kvm_handle_hvc).
ExitAction handle_hvc(KvmVcpu& v) {
    if (arch::esr_iss(vcpu_esr(v)) & 0xFFFF) {
        v.set_reg(0, ~0ull);
        return ExitAction::Resume;
    }
    return smccc_call(v);
}

// SMC trapped by HCR_EL2.TSC returns to the SMC itself: skip it, then answer
// it per the SMCCC like an HVC (handle_smc).
ExitAction handle_smc(KvmVcpu& v) {
    skip_instr(v);
    return smccc_call(v);
}

// WFI/WFE trapped by TWI/TWE (kvm_handle_wfx), completed first (PC + 4).
// WFE is a yield. WFI halts the vcpu unless a wake-up event is pending
// already; the run loop then lets another vcpu run or sleeps in virtual time
// until one is (kvm_vcpu_wfi).
ExitAction handle_wfx(KvmVcpu& v) {
    const bool is_wfe = arch::esr_iss(vcpu_esr(v)) & 1;
    skip_instr(v);
    if (is_wfe) return v.kvm().other_runnable(v) ? yield(v) : ExitAction::Resume;
    v.halted = !v.wake_pending();
    return ExitAction::Resume;
}

// An Illegal Execution state exception taken to EL2 means the world switch
// itself returned to an illegal state: the entry failed (Linux's
// ARM_EXCEPTION_IL case, KVM_EXIT_FAIL_ENTRY).
ExitAction handle_fail_entry(KvmVcpu& v) {
    auto& run = v.run_state();
    run.exit_reason = kvm::ExitReason::FailEntry;
    run.fail_entry.hardware_entry_failure_reason = vcpu_esr(v);
    run.fail_entry.cpu = v.id();
    return ExitAction::ExitToUser;
}

// Stage-2 aborts outside every memslot (kvm_handle_guest_abort): a fetch is
// a prefetch abort in the guest; a read of the guest's own translation
// tables (S1PTW) is a data abort in the guest, since no device can back a
// page table; any other data access is MMIO.
ExitAction handle_guest_abort(KvmVcpu& v) {
    const uint64_t esr = vcpu_esr(v);
    const uint64_t far = v.cpu().state().el2.far;
    const bool fetch = arch::esr_ec(esr) == arch::EC::InstrAbortLow;
    if (fetch || (arch::esr_iss(esr) & arch::dabt::kS1PTW)) {
        inject_abort(v, fetch, far);
        return ExitAction::Resume;
    }
    return io_mem_abort(v);
}

constexpr std::array<ExitHandler, 64> make_exit_handlers() {
    std::array<ExitHandler, 64> t{};
    for (auto& h : t) h = handle_unknown_ec;
    t[size_t(arch::EC::WFx)] = handle_wfx;
    t[size_t(arch::EC::IllegalState)] = handle_fail_entry;
    t[size_t(arch::EC::SysReg)] = kvm_handle_sys_reg;
    t[size_t(arch::EC::HVC64)] = handle_hvc;
    t[size_t(arch::EC::SMC64)] = handle_smc;
    t[size_t(arch::EC::InstrAbortLow)] = handle_guest_abort;
    t[size_t(arch::EC::DataAbortLow)] = handle_guest_abort;
    t[size_t(arch::EC::BreakpointLow)] = kvm_handle_guest_debug;
    t[size_t(arch::EC::SoftStepLow)] = kvm_handle_guest_debug;
    t[size_t(arch::EC::WatchpointLow)] = kvm_handle_guest_debug;
    t[size_t(arch::EC::BRK64)] = kvm_handle_guest_debug;
    return t;
}
constexpr auto kExitHandlers = make_exit_handlers();

}  // namespace

ExitAction yield(KvmVcpu& v) {
    v.quantum_left = 0;
    v.run_state().exit_reason = kvm::ExitReason::Intr;
    return ExitAction::ExitToUser;
}

ExitAction handle_exit(KvmVcpu& v) {
    return kExitHandlers[size_t(arch::esr_ec(vcpu_esr(v)))](v);
}

}  // namespace hyp
