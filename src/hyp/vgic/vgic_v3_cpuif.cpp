// The GICv3 CPU interface accesses trapped by ICH_HCR_EL2.TALL0/TALL1/TC,
// emulated in the fast path without leaving "EL2" (Linux:
// __vgic_v3_perform_cpuif_access in arch/arm64/kvm/hyp/vgic-v3-sr.c). The
// emulation is the ICV_* behaviour the CPU's virtual interface has (IHI 0069
// ICV_*_EL1), so a trapped access does what an untrapped one would. SGI
// generation and ICC_SRE_EL1 are declined: handle_exit deals with them.
#include <array>

#include "arch/esr.h"
#include "arch/sysreg.h"
#include "cpu/gic_cpuif.h"
#include "hyp/emulate.h"
#include "hyp/vgic/vgic.h"

namespace hyp::vgic {

namespace {

namespace gic = cpu::gic;
namespace sr = arch::sysreg;
using Reader = uint64_t (*)(cpu::Cpu&);
using Writer = void (*)(cpu::Cpu&, uint64_t);

struct CpuifReg {
    arch::SysRegId id;
    Reader rd;  // null: write-only
    Writer wr;  // null: read-only
};

template <unsigned G> uint64_t iar(cpu::Cpu& c) { return gic::acknowledge(c, G); }
template <unsigned G> void eoir(cpu::Cpu& c, uint64_t v) { gic::eoi(c, G, v); }
template <unsigned G> uint64_t hppir(cpu::Cpu& c) { return gic::hppir(c.state(), G); }
template <unsigned G> uint64_t bpr(cpu::Cpu& c) { return gic::bpr(c.state(), G); }
template <unsigned G> void set_bpr(cpu::Cpu& c, uint64_t v) { gic::set_bpr(c, G, v); }
template <unsigned G> uint64_t apr(cpu::Cpu& c) { return gic::apr(c.state(), G); }
template <unsigned G> void set_apr(cpu::Cpu& c, uint64_t v) { gic::set_apr(c, G, v); }
template <unsigned G> uint64_t igrpen(cpu::Cpu& c) { return gic::igrpen(c.state(), G); }
template <unsigned G> void set_igrpen(cpu::Cpu& c, uint64_t v) { gic::set_igrpen(c, G, v); }
uint64_t ctlr(cpu::Cpu& c) { return gic::ctlr(c.state()); }
uint64_t pmr(cpu::Cpu& c) { return gic::pmr(c.state()); }
uint64_t rpr(cpu::Cpu& c) { return gic::rpr(c.state()); }

// Sorted by encoding, as the CPU's table (ARM ARM C5.3, ICC_* encodings).
constexpr CpuifReg kCpuifRegs[] = {
    {sr::ICC_PMR_EL1, pmr, gic::set_pmr},
    {sr::ICC_IAR0_EL1, iar<0>, nullptr},
    {sr::ICC_EOIR0_EL1, nullptr, eoir<0>},
    {sr::ICC_HPPIR0_EL1, hppir<0>, nullptr},
    {sr::ICC_BPR0_EL1, bpr<0>, set_bpr<0>},
    {sr::ICC_AP0R0_EL1, apr<0>, set_apr<0>},
    {sr::ICC_AP1R0_EL1, apr<1>, set_apr<1>},
    {sr::ICC_DIR_EL1, nullptr, gic::dir},
    {sr::ICC_RPR_EL1, rpr, nullptr},
    {sr::ICC_IAR1_EL1, iar<1>, nullptr},
    {sr::ICC_EOIR1_EL1, nullptr, eoir<1>},
    {sr::ICC_HPPIR1_EL1, hppir<1>, nullptr},
    {sr::ICC_BPR1_EL1, bpr<1>, set_bpr<1>},
    {sr::ICC_CTLR_EL1, ctlr, gic::set_ctlr},
    {sr::ICC_IGRPEN0_EL1, igrpen<0>, set_igrpen<0>},
    {sr::ICC_IGRPEN1_EL1, igrpen<1>, set_igrpen<1>},
};

const CpuifReg* find(arch::SysRegId id) {
    for (const CpuifReg& r : kCpuifRegs)
        if (r.id == id) return &r;
    return nullptr;
}

}  // namespace

bool vgic_v3_perform_cpuif_access(KvmVcpu& v, Vgic& gic) {
    if (gic.config().model != Model::V3) return false;
    const arch::SysRegIss s = arch::decode_sysreg_iss(arch::esr_iss(vcpu_esr(v)));
    const CpuifReg* r = find(arch::SysRegId(s.op0, s.op1, s.crn, s.crm, s.op2));
    if (!r || !(s.is_read ? r->rd != nullptr : r->wr != nullptr)) return false;
    if (s.is_read) v.set_reg(s.rt, r->rd(v.cpu()));
    else r->wr(v.cpu(), v.get_reg(s.rt));
    skip_instr(v);
    return true;
}

}  // namespace hyp::vgic
