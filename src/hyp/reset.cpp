// vcpu init and architectural reset (Linux: arch/arm64/kvm/reset.c).
#include <fmt/format.h>

#include "cpu/sysregs.h"
#include "hyp/sys_regs.h"

namespace hyp {

namespace {
constexpr uint32_t kKnownFeatures =
    (1u << kvm::vcpu_feature::kPowerOff) | (1u << kvm::vcpu_feature::kPsci0_2);

// MPIDR_EL1 as KVM derives it from the vcpu id: Aff0 takes 4 bits so that
// 16 vcpus share a cluster (GICv3 SGI target lists), bit 31 is RES1.
uint64_t vcpu_mpidr(uint32_t id) {
    return (1ull << 31) | (id & 0x0F) | (uint64_t((id >> 4) & 0xFF) << 8) |
           (uint64_t((id >> 12) & 0xFF) << 16);
}
}  // namespace

// KVM_ARM_VCPU_INIT: features must be known, and PSCI 0.2 or later must be
// requested (PSCI 0.1's implementation-specific ids are not offered).
Result<void> KvmVcpu::init(const kvm::VcpuInit& in) {
    const uint32_t f = in.features[0];
    if (f & ~kKnownFeatures)
        return Error{fmt::format("vcpu {}: unknown feature bits {:#x}", id_, f & ~kKnownFeatures)};
    for (unsigned i = 1; i < 7; ++i)
        if (in.features[i])
            return Error{fmt::format("vcpu {}: unknown feature word {} = {:#x}", id_, i, in.features[i])};
    if (!(f & (1u << kvm::vcpu_feature::kPsci0_2)))
        return Error{fmt::format("vcpu {}: features {:#x} lack PSCI_0_2 (PSCI 0.1 is not offered)", id_, f)};
    reset();
    run_ = kvm::RunState{};
    power_off = f & (1u << kvm::vcpu_feature::kPowerOff);
    initialized = true;
    return {};
}

// PSCI CPU_ON's entry state (DEN0022 6.4.3 "CPU_ON"; kvm_reset_vcpu with a
// reset_state): the architectural reset, then PC = entry point and
// X0 = context id; EL1h with DAIF masked and the MMU off come from reset.
void KvmVcpu::power_on(uint64_t entry, uint64_t context_id) {
    reset();
    pc() = entry;
    set_reg(0, context_id);
    power_off = false;
}

// Architectural reset as KVM performs it: EL1h with D, A, I, F masked, all
// registers zero (the guest's FP/SIMD registers too, the host owning the
// CPU's), system registers at their reset values, no cached
// translations, no pending MMIO, not halted. The EL2 controls: HCR_EL2 as
// kHcrGuestFlags; MDCR_EL2 traps the debug, OS Lock and debug ROM registers
// so the guest's debug state lives in GuestDebugRegs (kvm_arm_setup_mdcr_el2);
// CNTHCTL_EL2 lets EL1 use the physical counter and timer directly, as KVM
// does when the physical offset is 0 (docs/architecture-choices.md).
void KvmVcpu::reset() {
    cpu::State& s = cpu_.state();
    s = cpu::State{};
    s.pstate = arch::PState{};
    s.el2.hcr = kHcrGuestFlags;
    s.el2.mdcr = cpu::mdcr::kTDA | cpu::mdcr::kTDOSA | cpu::mdcr::kTDRA;
    s.el2.cnthctl = cpu::cnthctl::kEL1PCTEN | cpu::cnthctl::kEL1PCEN;
    s.el2.vmpidr = vcpu_mpidr(id_);
    s.el2.vpidr = kvm_.id_regs().midr;  // MIDR_EL1 as the VM's (KVM: vcpu_reset_hcr's VPIDR)
    cpu_.stage2().set_regions(kvm_.stage2_map());
    cpu_.tlb().invalidate_all();
    cpu_.invalidate_all_code();
    reset_sys_regs(*this);
    kvm_reset_fpsimd(*this);
    mmio_needed = false;
    debug_state = {};
    halted = false;
    quantum_left = 0;
}

}  // namespace hyp
