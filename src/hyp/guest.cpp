// KVM_GET_ONE_REG / KVM_SET_ONE_REG (Linux: arch/arm64/kvm/guest.c).
#include <optional>

#include <fmt/format.h>

#include "arch/sysreg.h"
#include "hyp/sys_regs.h"

namespace hyp {

namespace {

using kvm::reg::core;

// Storage behind a core-register id, or nullptr.
uint64_t* core_reg(cpu::State& s, uint64_t id) {
    if (id == kvm::reg::kPc) return &s.pc;  // first: a debugger reads it after every step
    // X0..X30 are the doublewords at word offsets 0, 2, ..., 60.
    if (id >= kvm::reg::x(0) && id <= kvm::reg::x(30) && !((id - kvm::reg::x(0)) & 1))
        return &s.x[(id - kvm::reg::x(0)) / 2];
    if (id == kvm::reg::kSp) return &s.sp_el[0];  // user_pt_regs.sp is SP_EL0
    if (id == kvm::reg::kSpEl1) return &s.sp_el[1];
    if (id == kvm::reg::kElrEl1) return &s.el1.elr;
    if (id == kvm::reg::kSpsrEl1) return &s.el1.spsr;
    return nullptr;
}

// ARM64_SYS_REG ids go to the system register table (sys_regs.cpp).
std::optional<arch::SysRegId> sys_reg_id(uint64_t id) {
    if ((id & ~0xFFFFull) != kvm::reg::sysreg(0)) return std::nullopt;
    return arch::SysRegId(uint16_t(id & 0xFFFF));
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
    if (uint64_t* p = core_reg(s, id)) return *p;
    if (id == kvm::reg::kPstate) return s.pstate.to_spsr();
    if (auto sr = sys_reg_id(id)) return get_sys_reg(const_cast<KvmVcpu&>(*this), *sr);
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
    if (auto sr = sys_reg_id(id)) return set_sys_reg(*this, *sr, value);
    return Error{fmt::format("vcpu {}: unknown register id {:#x}", id_, id)};
}

}  // namespace hyp
