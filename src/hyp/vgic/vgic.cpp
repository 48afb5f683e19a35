// Interrupt state and its transfer to and from the list registers (Linux:
// arch/arm64/kvm/vgic/vgic.c, vgic-v3.c). The rules: IHI 0069 "Interrupt
// handling state machine" (inactive, pending, active, active and pending),
// "Level-sensitive and edge-triggered interrupts", and ICH_LR<n>_EL2.
#include "hyp/vgic/vgic.h"

#include <algorithm>

#include <fmt/format.h>

#include "cpu/gic_cpuif.h"
#include "cpu/timer.h"
#include "hyp/kvm_host.h"

namespace hyp::vgic {

namespace {

namespace lr = cpu::gic::lr;
namespace ich_hcr = cpu::gic::ich_hcr;
using cpu::gic::LrState;

static_assert(kMaxVcpus == Kvm::kMaxVcpus);
constexpr unsigned kV2SgiSourceShift = 10;  // vINTID[12:10]: GICC_IAR.CPUID for a GICv2 guest

void init_irq(Irq& irq, uint32_t intid, Model model) {
    irq = Irq{};
    irq.intid = intid;
    // SGIs reset enabled on GICv2 (IHI 0048 GICD_ISENABLERn) and are always
    // edge-triggered; PPIs are level-sensitive (our IMPLEMENTATION DEFINED
    // choice); SPIs reset to level-sensitive as KVM does.
    irq.enabled = model == Model::V2 && intid < kFirstPpi;
    irq.level_sensitive = intid >= kFirstPpi;
    // KVM resets every interrupt of a GICv3 guest to Group 1 (kvm_vgic_vcpu_init).
    irq.group1 = model == Model::V3;
    irq.targets = 1;  // GICv2 SPIs start routed to CPU 0 (ITARGETSR reset is ours to pick)
}

// The list-register image of an interrupt (vgic_v3_populate_lr). Edge
// interrupts hand their pending state to the LR; a level-sensitive one asks
// for a maintenance interrupt on deactivation (EOI) so it is re-sampled.
// An active level-sensitive interrupt is not also made pending: its line
// is re-sampled after deactivation instead (KVM avoids P+A for software
// resampling).
uint64_t populate_lr(Irq& irq, Model model) {
    const bool pend = irq.pending() && !(irq.level_sensitive && irq.active);
    unsigned st = (pend ? 1u : 0u) | (irq.active ? 2u : 0u);
    uint64_t v = irq.intid;
    if (model == Model::V2 && irq.intid < kFirstPpi) v |= uint64_t(irq.sgi_source) << kV2SgiSourceShift;
    // A GICv2 guest's interrupts are all signalled as IRQs (no FIQEn): Group 1 in the LR.
    if (irq.group1 || model == Model::V2) v |= lr::kGroup;
    if (irq.level_sensitive) v |= lr::kEoi;
    v |= uint64_t(irq.priority & cpu::gic::kPriorityMask) << lr::kPriorityShift;
    v |= uint64_t(st) << lr::kStateShift;
    if (pend && !irq.level_sensitive) irq.pending_latch = false;
    return v;
}

// Folds an LR back into the interrupt (vgic_v3_fold_lr_state).
void fold_lr(Irq& irq, uint64_t v) {
    const auto st = LrState(v >> lr::kStateShift);
    irq.active = st == LrState::Active || st == LrState::PendingActive;
    const bool pend = st == LrState::Pending || st == LrState::PendingActive;
    if (!irq.level_sensitive && pend) irq.pending_latch = true;
    // A level-sensitive interrupt acknowledged by the guest: the latch set by
    // ISPENDR is consumed; the line is re-sampled at the next flush.
    if (irq.level_sensitive && !pend) irq.pending_latch = false;
}

}  // namespace

Vgic::Vgic(Kvm& kvm, const Config& cfg) : kvm_(kvm), cfg_(cfg), vcpus_(kMaxVcpus) {
    for (uint32_t id = 0; id < vcpus_.size(); ++id)
        for (uint32_t i = 0; i < kNrPrivate; ++i) {
            init_irq(vcpus_[id].priv[i], i, cfg.model);
            vcpus_[id].priv[i].targets = uint8_t(1u << id);
        }
    for (uint32_t i = 0; i < kNrSpis; ++i) init_irq(spis_[i], kNrPrivate + i, cfg.model);
    processor_sleep.fill(true);
}

Vgic::~Vgic() {
    for (auto& d : devices_) kvm_.io_bus().unregister_dev(*d);
}

kvm::Result<void> Vgic::map_resources() {
    struct Frame {
        uint64_t base, size;
        std::unique_ptr<KvmIoDevice> dev;
    };
    std::vector<Frame> frames;
    if (cfg_.model == Model::V3) {
        frames.push_back({cfg_.dist_base, kV3DistSize, make_v3_dist(*this)});
        frames.push_back({cfg_.redist_base, kV3RedistSize * kMaxVcpus, make_v3_redist(*this)});
    } else {
        frames.push_back({cfg_.dist_base, kV2DistSize, make_v2_dist(*this)});
    }
    for (auto& f : frames) {
        if (auto ok = kvm_.io_bus().register_dev(f.base, f.size, *f.dev); !ok) {
            for (auto& d : devices_) kvm_.io_bus().unregister_dev(*d);
            devices_.clear();
            return ok;
        }
        devices_.push_back(std::move(f.dev));
    }
    return {};
}

Irq* Vgic::irq(uint32_t vcpu_id, uint32_t intid) {
    ++version_;
    if (intid < kNrPrivate) return vcpu_id < vcpus_.size() ? &vcpus_[vcpu_id].priv[intid] : nullptr;
    return intid < kNrIrqs ? &spis_[intid - kNrPrivate] : nullptr;
}

KvmVcpu* Vgic::vcpu(uint32_t id) const {
    for (const auto& v : kvm_.vcpus())
        if (v->id() == id) return v.get();
    return nullptr;
}

uint32_t Vgic::nr_vcpus() const {
    uint32_t n = 0;
    while (n < kMaxVcpus && vcpu(n)) ++n;
    return n;
}

uint64_t Vgic::vcpu_affinity(uint32_t id) const {
    KvmVcpu* v = vcpu(id);
    if (!v) return ~0ull;
    const uint64_t m = v->cpu().state().el2.vmpidr;
    return (m & 0xFFFFFF) | ((m >> 32) & 0xFF) << 32;
}

// IROUTER names one PE by affinity, or with IRM = 1 any PE (we pick vcpu 0);
// GICv2's ITARGETSR names a set (we pick the lowest). A route to no vcpu
// leaves the SPI pending in the distributor.
uint32_t Vgic::spi_target(const Irq& irq) const {
    constexpr uint64_t kIrm = 1ull << 31;
    if (cfg_.model == Model::V2) return irq.targets ? uint32_t(__builtin_ctz(irq.targets)) : ~0u;
    if (irq.route & kIrm) return 0;
    for (uint32_t id = 0; id < kMaxVcpus; ++id)
        if (vcpu(id) && vcpu_affinity(id) == (irq.route & ~kIrm)) return id;
    return ~0u;
}

// Active, or pending, enabled and its group enabled in the distributor;
// an SPI only on the vcpu it is routed to.
bool Vgic::deliverable(const Irq& irq, uint32_t vcpu_id) const {
    if (!irq.active && !(irq.pending() && irq.enabled && group_enabled(irq.group1))) return false;
    return irq.intid < kNrPrivate || spi_target(irq) == vcpu_id;
}

void Vgic::sample_timer_lines(KvmVcpu& v) {
    auto& p = vcpus_[v.id()].priv;
    const bool virt = v.cpu().timer_line(cpu::Timer::Virtual);
    const bool phys = v.cpu().timer_line(cpu::Timer::Physical);
    if (p[kVirtTimerIntid].line_level != virt || p[kPhysTimerIntid].line_level != phys) ++version_;
    p[kVirtTimerIntid].line_level = virt;
    p[kPhysTimerIntid].line_level = phys;
}

// kvm_vgic_flush_hwstate: every interrupt this vcpu may take, active ones
// first (their deactivation must reach an LR), then by priority and INTID,
// into the four list registers. With more than fit, underflow (UIE) asks for
// a maintenance interrupt when at most one LR is still in use.
void Vgic::flush_hwstate(KvmVcpu& v) {
    sample_timer_lines(v);
    VcpuIrqs& vi = vcpus_[v.id()];
    std::array<Irq*, kNrIrqs> list;
    size_t n = 0;
    if (vi.idle_version != version_) {
        for (Irq& irq : vi.priv)
            if (deliverable(irq, v.id())) list[n++] = &irq;
        for (Irq& irq : spis_)
            if (deliverable(irq, v.id())) list[n++] = &irq;
        vi.idle_version = n ? ~0ull : version_;
    }
    const auto first = [](const Irq* a, const Irq* b) {
        if (a->active != b->active) return a->active;
        if (a->priority != b->priority) return a->priority < b->priority;
        return a->intid < b->intid;
    };
    const size_t used = std::min<size_t>(n, cpu::kListRegs);
    std::partial_sort(list.begin(), list.begin() + used, list.begin() + n, first);
    auto& ich = v.cpu().state().ich;
    for (size_t i = 0; i < cpu::kListRegs; ++i) {
        vi.in_lr[i] = i < used ? list[i] : nullptr;
        ich.lr[i] = i < used ? populate_lr(*list[i], cfg_.model) : 0;
    }
    // Active interrupts left out (the first `used` slots went to active
    // ones): the guest's EOIs of them only count in EOIcount (LRENPIE).
    vi.active_outside.clear();
    for (size_t i = used; i < n; ++i)
        if (list[i]->active) vi.active_outside.push_back(list[i]);
    std::sort(vi.active_outside.begin(), vi.active_outside.end(), first);
    uint64_t hcr = ich_hcr::kEn;
    if (n > cpu::kListRegs) hcr |= ich_hcr::kUIE;
    if (!vi.active_outside.empty()) hcr |= ich_hcr::kLRENPIE;
    // The trap classes (KVM_ENABLE_CAP GicTrapClasses, as Linux's
    // kvm-arm.vgic_v3_*_trap), for a GICv3 guest only.
    if (cfg_.model == Model::V3) {
        const uint32_t t = kvm_.gic_traps;
        if (t & kvm::gic_trap::kGroup0) hcr |= ich_hcr::kTALL0;
        if (t & kvm::gic_trap::kGroup1) hcr |= ich_hcr::kTALL1;
        if (t & kvm::gic_trap::kCommon) hcr |= ich_hcr::kTC;
    }
    ich.hcr = hcr;
}

// kvm_vgic_sync_hwstate: fold each LR back. A maintenance interrupt (an EOI
// of a level-sensitive interrupt, or underflow) needs nothing more: the next
// flush re-samples and refills. EOIcount deactivates that many of the
// active interrupts that had no LR, highest priority first (the order in
// which EOIs drop priorities).
void Vgic::sync_hwstate(KvmVcpu& v) {
    VcpuIrqs& vi = vcpus_[v.id()];
    auto& ich = v.cpu().state().ich;
    for (size_t i = 0; i < cpu::kListRegs; ++i) {
        if (vi.in_lr[i]) {
            fold_lr(*vi.in_lr[i], ich.lr[i]);
            ++version_;
        }
        vi.in_lr[i] = nullptr;
        ich.lr[i] = 0;
    }
    const size_t eoicount = (ich.hcr >> ich_hcr::kEOIcountShift) & 0x1F;
    for (size_t i = 0; i < eoicount && i < vi.active_outside.size(); ++i)
        vi.active_outside[i]->active = false;
    vi.active_outside.clear();
    ich.hcr &= ~(0x1Full << ich_hcr::kEOIcountShift | ich_hcr::kUIE | ich_hcr::kLRENPIE);
}

// kvm_vgic_vcpu_pending_irq: something pending, enabled and above the
// guest's priority mask (ICH_VMCR_EL2.VPMR) would wake a WFI.
bool Vgic::vcpu_pending_irq(KvmVcpu& v) {
    sample_timer_lines(v);
    const uint64_t vpmr = (v.cpu().state().ich.vmcr >> cpu::gic::vmcr::kVPMRShift) & 0xFF;
    const auto wakes = [&](const Irq& irq) {
        return !irq.active && deliverable(irq, v.id()) && irq.priority < vpmr;
    };
    const auto& priv = vcpus_[v.id()].priv;
    return std::any_of(priv.begin(), priv.end(), wakes) ||
           std::any_of(spis_.begin(), spis_.end(), wakes);
}

// KVM_IRQ_LINE for an SPI (kvm_vgic_inject_irq): a level-sensitive input
// follows the line; an edge-triggered one latches on the rising edge.
kvm::Result<void> Vgic::irq_line(uint32_t intid, bool level) {
    if (intid < kNrPrivate || intid >= kNrIrqs)
        return kvm::Error{fmt::format("irq_line: INTID {} is not an SPI (32..{})", intid, kNrIrqs - 1)};
    Irq& irq = spis_[intid - kNrPrivate];
    ++version_;
    if (irq.level_sensitive) irq.line_level = level;
    else if (level) irq.pending_latch = true;
    return {};
}

// ICC_SGI1R_EL1 / ICC_SGI0R_EL1 (vgic_v3_dispatch_sgi, IHI 0069 ICC_SGI1R_EL1):
// TargetList [15:0] names Aff0 = RS * 16 + bit within Aff3.Aff2.Aff1; IRM = 1
// means every PE but the sender. A target that does not exist is ignored. A
// Group 0 request pends only Group 0 SGIs; a Group 1 request pends either.
void Vgic::dispatch_sgi(KvmVcpu& v, uint64_t value, bool group1) {
    const uint32_t intid = (value >> 24) & 0xF;
    const bool irm = (value >> 40) & 1;
    const uint64_t aff321 = ((value >> 16) & 0xFF) << 8 | ((value >> 32) & 0xFF) << 16 |
                            ((value >> 48) & 0xFF) << 32;
    const unsigned rs = (value >> 44) & 0xF;
    for (uint32_t id = 0; id < kMaxVcpus; ++id) {
        if (!vcpu(id)) continue;
        const uint64_t aff = vcpu_affinity(id);
        bool hit;
        if (irm) hit = id != v.id();
        else {
            const unsigned aff0 = aff & 0xFF;
            hit = (aff & ~0xFFull) == aff321 && aff0 / 16 == rs && ((value >> (aff0 % 16)) & 1);
        }
        Irq& irq = vcpus_[id].priv[intid];
        if (hit && (group1 || !irq.group1)) {
            irq.pending_latch = true;
            ++version_;
        }
    }
}

Vgic* vgic_of(Kvm& kvm) { return dynamic_cast<Vgic*>(kvm.irqchip()); }

}  // namespace hyp::vgic
