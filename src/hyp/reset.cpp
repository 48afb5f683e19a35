// vcpu init and architectural reset (Linux: arch/arm64/kvm/reset.c).
#include <fmt/format.h>

#include "cpu/sysregs.h"
#include "hyp/kvm_host.h"

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
    power_off = f & (1u << kvm::vcpu_feature::kPowerOff);
    initialized = true;
    return {};
}

// Architectural reset as KVM performs it: EL1h with D, A, I, F masked, all
// registers zero, system registers at their reset values, no cached
// translations, no pending MMIO.
void KvmVcpu::reset() {
    cpu::State& s = cpu_.state();
    s = cpu::State{};
    s.pstate = arch::PState{};
    s.el2.hcr = kHcrGuestFlags;
    // The guest reads the physical counter directly; the physical timer is
    // not modelled yet, so its registers stay trapped (CNTHCTL_EL2.EL1PCEN = 0).
    s.el2.cnthctl = cpu::cnthctl::kEL1PCTEN;
    s.el2.vmpidr = vcpu_mpidr(id_);
    cpu_.stage2().set_regions(kvm_.stage2_map());
    cpu_.tlb().invalidate_all();
    cpu_.invalidate_all_code();
    mmio_needed = false;
    run_ = kvm::RunState{};
}

}  // namespace hyp
