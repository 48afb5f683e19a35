// The in-kernel interrupt controller as the run loop and the exit handlers
// see it (Linux: the kvm_vgic_* entry points in arch/arm64/kvm/vgic/vgic.c).
// The vGIC (v3 or v2) implements it; a VM without one has none.
#pragma once

#include <cstdint>

#include "kvm/result.h"

namespace hyp {

class KvmVcpu;

class IrqChip {
public:
    virtual ~IrqChip() = default;
    // Before entering the guest: sample the vcpu's interrupt lines (timer
    // PPIs) and fill the CPU's list registers (kvm_vgic_flush_hwstate).
    virtual void flush_hwstate(KvmVcpu& v) = 0;
    // After leaving the guest: fold list-register state back into the
    // distributor's view and handle the maintenance interrupt
    // (kvm_vgic_sync_hwstate).
    virtual void sync_hwstate(KvmVcpu& v) = 0;
    // An interrupt the vcpu could take is pending: WFI must not sleep
    // (kvm_vgic_vcpu_pending_irq).
    virtual bool vcpu_pending_irq(KvmVcpu& v) = 0;
    // KVM_IRQ_LINE for a shared peripheral interrupt (INTID >= 32).
    virtual kvm::Result<void> irq_line(uint32_t intid, bool level) = 0;
    // A trapped write to ICC_SGI1R_EL1 (group 1), ICC_ASGI1R_EL1 or
    // ICC_SGI0R_EL1 (group 0) from vcpu v (vgic_v3_dispatch_sgi).
    virtual void dispatch_sgi(KvmVcpu& v, uint64_t value, bool group1) = 0;
};

}  // namespace hyp
