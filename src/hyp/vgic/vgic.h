// The in-kernel virtual GIC (Linux: arch/arm64/kvm/vgic/vgic.{h,c}): the
// interrupt state per INTID, the GICv3 distributor and redistributors or the
// GICv2 distributor as MMIO devices on the KvmIoBus, and the transfer of
// pending interrupts into the CPU's ICH list registers and back. Facts from
// the GIC architecture specification IHI 0069 (GICv3/v4) and IHI 0048 (GICv2).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "cpu/state.h"
#include "hyp/irqchip.h"
#include "hyp/kvm_io_bus.h"
#include "kvm/result.h"

namespace hyp {
class Kvm;
}

namespace hyp::vgic {

enum class Model : uint8_t { V2, V3 };

// 224 SPIs (INTIDs 32..255): QEMU virt's GICD_TYPER.ITLinesNumber = 7.
inline constexpr uint32_t kNrPrivate = 32;
inline constexpr uint32_t kNrSpis = 224;
inline constexpr uint32_t kNrIrqs = kNrPrivate + kNrSpis;
inline constexpr uint32_t kFirstPpi = 16;
inline constexpr uint32_t kMaxVcpus = 8;  // Kvm::kMaxVcpus: one redistributor each
// The timer PPIs (QEMU virt, Linux's default arch timer INTIDs).
inline constexpr uint32_t kVirtTimerIntid = 27;
inline constexpr uint32_t kPhysTimerIntid = 30;

// Frame sizes (IHI 0069 "Redistributor memory map", IHI 0048 "GIC memory map").
inline constexpr uint64_t kV3DistSize = 0x10000;
inline constexpr uint64_t kV3RedistSize = 0x20000;  // RD_base + SGI_base
inline constexpr uint64_t kV2DistSize = 0x1000;
inline constexpr uint64_t kV2CpuSize = 0x2000;

// KVM_DEV_ARM_VGIC_GRP_ADDR: where the guest sees the frames.
struct Config {
    Model model = Model::V3;
    uint64_t dist_base = 0x08000000;
    uint64_t redist_base = 0x080A0000;  // V3: redistributor of vcpu n at + n * 128 KiB
    uint64_t cpu_base = 0x08010000;     // V2: the CPU interface, trapped by stage 2
};

// One interrupt (struct vgic_irq).
struct Irq {
    uint32_t intid = 0;
    bool pending_latch = false;  // edge, or set through ISPENDR
    bool line_level = false;     // the input line, for level-sensitive interrupts
    bool enabled = false;
    bool active = false;
    bool level_sensitive = false;  // Int_config: 0 level, 1 edge
    bool group1 = false;
    uint8_t priority = 0;
    uint8_t targets = 0;     // V2 ITARGETSR: one bit per vcpu
    uint64_t route = 0;      // V3 IROUTER: Aff3.Aff2.Aff1.Aff0, IRM
    uint8_t sgi_source = 0;  // V2: the CPU that sent the SGI (GICC_IAR.CPUID)
    bool pending() const { return pending_latch || (level_sensitive && line_level); }
};

class Vgic final : public IrqChip {
public:
    Vgic(Kvm& kvm, const Config& cfg);
    ~Vgic() override;
    // Registers the frames on the KvmIoBus (kvm_vgic_map_resources).
    kvm::Result<void> map_resources();

    void flush_hwstate(KvmVcpu& v) override;
    void sync_hwstate(KvmVcpu& v) override;
    bool vcpu_pending_irq(KvmVcpu& v) override;
    kvm::Result<void> irq_line(uint32_t intid, bool level) override;
    void dispatch_sgi(KvmVcpu& v, uint64_t value, bool group1) override;

    const Config& config() const { return cfg_; }

    // The interrupt `intid` as vcpu `vcpu_id` sees it (its private bank for
    // SGIs and PPIs), or null outside the implemented range. The caller may
    // change it: flush_hwstate then looks at every interrupt again.
    Irq* irq(uint32_t vcpu_id, uint32_t intid);
    // The vcpu a pending SPI is delivered to (1-of-N picks the first vcpu).
    uint32_t spi_target(const Irq& irq) const;
    KvmVcpu* vcpu(uint32_t id) const;
    uint32_t nr_vcpus() const;
    uint64_t vcpu_affinity(uint32_t id) const;  // MPIDR_EL1.Aff3..Aff0 as IROUTER packs it

    // GICD_CTLR.EnableGrp0/EnableGrp1.
    bool group_enabled(bool group1) const { return group1 ? enable_grp1_ : enable_grp0_; }
    void set_group_enables(bool grp0, bool grp1) {
        enable_grp0_ = grp0, enable_grp1_ = grp1;
        ++version_;
    }
    // GICR_WAKER.ProcessorSleep, per vcpu.
    std::array<bool, kMaxVcpus> processor_sleep{};

private:
    struct VcpuIrqs {
        std::array<Irq, kNrPrivate> priv;
        std::array<Irq*, cpu::kListRegs> in_lr{};  // what flush_hwstate put in each LR
        std::vector<Irq*> active_outside;          // active but in no LR, by priority
        uint64_t idle_version = ~0ull;             // version_ when nothing was deliverable
    };
    void sample_timer_lines(KvmVcpu& v);
    bool deliverable(const Irq& irq, uint32_t vcpu_id) const;

    bool enable_grp0_ = false, enable_grp1_ = false;
    // Bumped by every change an interrupt's state may have seen from outside
    // flush/sync (MMIO, irq_line, SGIs, a timer line that moved), so a vcpu
    // with nothing deliverable skips the scan on entry.
    uint64_t version_ = 0;
    Kvm& kvm_;
    Config cfg_;
    std::vector<VcpuIrqs> vcpus_;
    std::array<Irq, kNrSpis> spis_;
    std::vector<std::unique_ptr<KvmIoDevice>> devices_;
};

// The in-kernel vGIC of a VM, or null (KVM's vgic_initialized + model check).
Vgic* vgic_of(Kvm& kvm);

// The fast-path emulations (hyp/switch.cpp calls them). Each returns true when
// it handled the exit and the guest can be re-entered.
bool vgic_v3_perform_cpuif_access(KvmVcpu& v, Vgic& gic);
bool vgic_v2_perform_cpuif_access(KvmVcpu& v, Vgic& gic);

// The devices (vgic_mmio_v3.cpp, vgic_mmio_v2.cpp).
std::unique_ptr<KvmIoDevice> make_v3_dist(Vgic& gic);
std::unique_ptr<KvmIoDevice> make_v3_redist(Vgic& gic);
std::unique_ptr<KvmIoDevice> make_v2_dist(Vgic& gic);

}  // namespace hyp::vgic
