// KVM_GET_ONE_REG / KVM_SET_ONE_REG (Linux: arch/arm64/kvm/guest.c).
#include <fmt/format.h>

#include "arch/sysreg.h"
#include "hyp/kvm_host.h"

namespace hyp {

namespace {

using kvm::reg::core;

// Storage behind a core-register id, or nullptr.
uint64_t* core_reg(cpu::State& s, uint64_t id) {
    for (unsigned n = 0; n < 31; ++n)
        if (id == kvm::reg::x(n)) return &s.x[n];
    if (id == kvm::reg::kSp) return &s.sp_el[0];  // user_pt_regs.sp is SP_EL0
    if (id == kvm::reg::kPc) return &s.pc;
    if (id == kvm::reg::kSpEl1) return &s.sp_el[1];
    if (id == kvm::reg::kElrEl1) return &s.el1.elr;
    if (id == kvm::reg::kSpsrEl1) return &s.el1.spsr;
    return nullptr;
}

struct SysRegSlot {
    arch::SysRegId id;
    uint64_t cpu::El1Regs::*field;
};

// System registers userspace can save and restore, sorted by encoding.
constexpr SysRegSlot kSysRegs[] = {
    {arch::sysreg::MDSCR_EL1, &cpu::El1Regs::mdscr},
    {arch::sysreg::SCTLR_EL1, &cpu::El1Regs::sctlr},
    {arch::sysreg::CPACR_EL1, &cpu::El1Regs::cpacr},
    {arch::sysreg::TTBR0_EL1, &cpu::El1Regs::ttbr0},
    {arch::sysreg::TTBR1_EL1, &cpu::El1Regs::ttbr1},
    {arch::sysreg::TCR_EL1, &cpu::El1Regs::tcr},
    {arch::sysreg::ESR_EL1, &cpu::El1Regs::esr},
    {arch::sysreg::FAR_EL1, &cpu::El1Regs::far},
    {arch::sysreg::PAR_EL1, &cpu::El1Regs::par},
    {arch::sysreg::MAIR_EL1, &cpu::El1Regs::mair},
    {arch::sysreg::VBAR_EL1, &cpu::El1Regs::vbar},
    {arch::sysreg::CONTEXTIDR_EL1, &cpu::El1Regs::contextidr},
    {arch::sysreg::TPIDR_EL1, &cpu::El1Regs::tpidr_el1},
    {arch::sysreg::CNTKCTL_EL1, &cpu::El1Regs::cntkctl},
    {arch::sysreg::TPIDR_EL0, &cpu::El1Regs::tpidr_el0},
    {arch::sysreg::TPIDRRO_EL0, &cpu::El1Regs::tpidrro_el0},
};

uint64_t* sys_reg(cpu::State& s, uint64_t id) {
    if ((id & ~0xFFFFull) != kvm::reg::sysreg(0)) return nullptr;
    for (const SysRegSlot& r : kSysRegs)
        if (r.id.packed == (id & 0xFFFF)) return &(s.el1.*r.field);
    return nullptr;
}

// PSTATE as userspace sets it: AArch64 EL0t, EL1t or EL1h only (KVM's
// validate_core_offset/set_core_reg mode check).
bool valid_pstate(uint64_t v) {
    const uint64_t m = v & arch::spsr::kM;
    return m == arch::spsr::kEL0t || m == arch::spsr::kEL1t || m == arch::spsr::kEL1h;
}

}  // namespace

Result<uint64_t> KvmVcpu::get_one_reg(uint64_t id) const {
    auto& s = const_cast<cpu::Cpu&>(cpu_).state();
    if (id == kvm::reg::kPstate) return s.pstate.to_spsr();
    if (uint64_t* p = core_reg(s, id)) return *p;
    if (uint64_t* p = sys_reg(s, id)) return *p;
    return Error{fmt::format("vcpu {}: unknown register id {:#x}", id_, id)};
}

Result<void> KvmVcpu::set_one_reg(uint64_t id, uint64_t value) {
    auto& s = cpu_.state();
    if (id == kvm::reg::kPstate) {
        if (!valid_pstate(value))
            return Error{fmt::format("vcpu {}: invalid PSTATE {:#x} (mode must be EL0t, EL1t or EL1h)",
                                     id_, value)};
        s.pstate = arch::PState::from_spsr(value);
        return {};
    }
    if (uint64_t* p = core_reg(s, id)) {
        *p = value;
        return {};
    }
    if (uint64_t* p = sys_reg(s, id)) {
        *p = value;
        cpu_.invalidate_all_code();  // translation regime may have changed
        return {};
    }
    return Error{fmt::format("vcpu {}: unknown register id {:#x}", id_, id)};
}

}  // namespace hyp
