// The GICv2 CPU interface of a GICv2 guest (Linux: vgic_v2_cpuif_proxy /
// __vgic_v2_perform_cpuif_access in arch/arm64/kvm/hyp/vgic-v2-cpuif-proxy.c).
// Its frame is not mapped at stage 2: every access is a data abort that the
// fast path emulates on the CPU's GICv3 virtual interface. A GICv2 guest's
// interrupts sit in the list registers as Group 1 (GICv2 without Security
// Extensions signals both groups as IRQ when FIQEn = 0), so:
//   GICC_IAR/EOIR/HPPIR  -> ICV_IAR1/EOIR1/HPPIR1 (vINTID[12:10] = CPUID)
//   GICC_CTLR.EnableGrp0|EnableGrp1 -> ICH_VMCR_EL2.VENG1, EOImodeNS -> VEOIM
//   GICC_PMR/RPR/DIR     -> ICV_PMR/RPR/DIR
//   GICC_BPR             -> ICV_BPR0 with VCBPR = 1 (one binary point for all)
//   GICC_APR0            -> ICH_AP1R0_EL2
// The aliased registers (ABPR, AIAR, AEOIR, AHPPIR), NSAPR0 and FIQEn/AckCtl
// are RAZ/WI (AIAR and AHPPIR read the spurious INTID 1023).
#include "arch/esr.h"
#include "cpu/gic_cpuif.h"
#include "hyp/emulate.h"
#include "hyp/vgic/vgic.h"

namespace hyp::vgic {

namespace {

namespace gic = cpu::gic;

constexpr uint32_t kCtlrEnableGrp0 = 1u << 0, kCtlrEnableGrp1 = 1u << 1, kCtlrEoiModeNs = 1u << 9;
constexpr uint32_t kGiccIidr = 2u << 16 | 0x43B;  // ArchitectureVersion 2, Arm

uint32_t gicc_ctlr(const cpu::State& s) {
    const uint64_t m = s.ich.vmcr;
    return ((m & gic::vmcr::kVENG1) ? kCtlrEnableGrp0 | kCtlrEnableGrp1 : 0) |
           ((m & gic::vmcr::kVEOIM) ? kCtlrEoiModeNs : 0);
}

void set_gicc_ctlr(cpu::Cpu& c, uint32_t v) {
    gic::set_igrpen(c, 1, (v & (kCtlrEnableGrp0 | kCtlrEnableGrp1)) ? 1 : 0);
    gic::set_ctlr(c, 1 | ((v & kCtlrEoiModeNs) ? 2 : 0));  // CBPR = 1 always
}

uint32_t cpuif_read(cpu::Cpu& c, uint64_t off) {
    switch (off) {
    case 0x00: return gicc_ctlr(c.state());
    case 0x04: return uint32_t(gic::pmr(c.state()));
    case 0x08: return uint32_t(gic::bpr(c.state(), 0));
    case 0x0C: return uint32_t(gic::acknowledge(c, 1));
    case 0x14: return uint32_t(gic::rpr(c.state()));
    case 0x18: return uint32_t(gic::hppir(c.state(), 1));
    case 0x20: case 0x28: return gic::kSpurious;
    case 0xD0: return uint32_t(c.state().ich.ap1r0);
    case 0xFC: return kGiccIidr;
    default: return 0;
    }
}

void cpuif_write(cpu::Cpu& c, uint64_t off, uint32_t v) {
    switch (off) {
    case 0x00: set_gicc_ctlr(c, v); break;
    case 0x04: gic::set_pmr(c, v); break;
    case 0x08: gic::set_bpr(c, 0, v); break;
    case 0x10: gic::eoi(c, 1, v); break;
    case 0xD0: gic::set_apr(c, 1, v); break;
    case 0x1000: gic::dir(c, v); break;
    default: break;
    }
}

}  // namespace

// A data abort on the GICC frame with a valid syndrome: a 32-bit aligned
// access is emulated and skipped. Any other size or alignment is skipped
// and promoted to a virtual SError (HCR_EL2.VSE), as Linux does.
bool vgic_v2_perform_cpuif_access(KvmVcpu& v, Vgic& gic) {
    if (gic.config().model != Model::V2) return false;
    const uint64_t esr = vcpu_esr(v);
    const uint32_t iss = arch::esr_iss(esr);
    if (arch::esr_ec(esr) != arch::EC::DataAbortLow || !(iss & arch::dabt::kISV) ||
        (iss & arch::dabt::kS1PTW))
        return false;
    const uint64_t ipa = fault_ipa(v);
    const uint64_t base = gic.config().cpu_base;
    if (ipa < base || ipa - base >= kV2CpuSize) return false;
    const unsigned len = 1u << ((iss >> arch::dabt::kSasShift) & 3);
    skip_instr(v);
    if (len != 4 || ipa % 4) {
        v.cpu().state().el2.hcr |= cpu::hcr::kVSE;
        return true;
    }
    const unsigned rt = (iss >> arch::dabt::kSrtShift) & 31;
    if (iss & arch::dabt::kWnR) cpuif_write(v.cpu(), ipa - base, uint32_t(v.get_reg(rt)));
    else {
        uint64_t data = cpuif_read(v.cpu(), ipa - base);
        if ((iss & arch::dabt::kSSE) && (iss & arch::dabt::kSF)) data = uint64_t(int64_t(int32_t(data)));
        v.set_reg(rt, data);
    }
    return true;
}

}  // namespace hyp::vgic
