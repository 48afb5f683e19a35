// The world switch's fast path (Linux: fixup_guest_exit in
// arch/arm64/kvm/hyp/include/hyp/switch.h): exits that EL2 can finish on its
// own, without the full handle_exit, before the guest is re-entered.
#include "hyp/switch.h"

#include "hyp/emulate.h"
#include "hyp/vgic/vgic.h"

namespace hyp {

// Returns true when the exit was handled here and the guest can be
// re-entered; false sends it on to handle_exit. An access the fast path
// declines (SGI generation, ICC_SRE_EL1, a GICv2 access without a valid
// syndrome) is handled there.
bool fixup_guest_exit(KvmVcpu& v) {
    vgic::Vgic* gic = vgic::vgic_of(v.kvm());
    if (!gic) return false;
    switch (arch::esr_ec(vcpu_esr(v))) {
    case arch::EC::SysReg: return vgic::vgic_v3_perform_cpuif_access(v, *gic);
    case arch::EC::DataAbortLow: return vgic::vgic_v2_perform_cpuif_access(v, *gic);
    default: return false;
    }
}

}  // namespace hyp
