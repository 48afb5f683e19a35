// The GICv2 distributor (Linux: vgic-mmio-v2.c; IHI 0048 "Distributor
// register map"), without the Security Extensions: SGIs and PPIs are banked
// per CPU, SPIs go to the CPUs named by ITARGETSR. Bad sizes, reserved
// offsets and writes to read-only registers are RAZ/WI.
#include "hyp/kvm_host.h"
#include "hyp/vgic/vgic_mmio.h"

namespace hyp::vgic {

namespace {

constexpr uint32_t kCtlrEnableGrp0 = 1u << 0, kCtlrEnableGrp1 = 1u << 1;
constexpr uint32_t kIidr = 0x4B << 24 | 2 << 12 | 0x43B;
constexpr uint32_t kPidr2V2 = 0x2B;  // ICPIDR2.ArchRev = 2
constexpr uint64_t kSgir = 0xF00;

class V2Dist final : public KvmIoDevice {
public:
    explicit V2Dist(Vgic& gic) : gic_(gic) {}
    uint64_t read(KvmVcpu& v, uint64_t off, unsigned len) override {
        uint64_t value = 0;
        if (irq_reg_access({gic_, v.id(), 0, kNrIrqs}, off, len, false, value)) return value;
        return len == 4 && off % 4 == 0 ? ro_reg(off) : 0;
    }
    void write(KvmVcpu& v, uint64_t off, unsigned len, uint64_t value) override {
        if (irq_reg_access({gic_, v.id(), 0, kNrIrqs}, off, len, true, value)) return;
        if (len != 4 || off % 4) return;
        if (off == 0) {
            gic_.set_group_enables(value & kCtlrEnableGrp0, value & kCtlrEnableGrp1);
        } else if (off == kSgir) {
            sgir(v, uint32_t(value));
        }
    }

private:
    uint32_t ro_reg(uint64_t off) const {
        switch (off) {
        case 0x000:
            return (gic_.group_enabled(false) ? kCtlrEnableGrp0 : 0) | (gic_.group_enabled(true) ? kCtlrEnableGrp1 : 0);
        case 0x004: return (kNrIrqs / 32 - 1) | (gic_.nr_vcpus() - 1) << 5;  // ITLinesNumber, CPUNumber
        case 0x008: return kIidr;
        case 0xFE8: return kPidr2V2;
        default: return 0;
        }
    }
    // GICD_SGIR: TargetListFilter [25:24] (0 the list, 1 all but self,
    // 2 self, 3 reserved: ignored), CPUTargetList [23:16], SGIINTID [3:0].
    void sgir(KvmVcpu& v, uint32_t value) {
        const unsigned filter = (value >> 24) & 3;
        const uint32_t intid = value & 0xF;
        uint32_t targets = (value >> 16) & 0xFF;
        if (filter == 1) targets = 0xFF & ~(1u << v.id());
        else if (filter == 2) targets = 1u << v.id();
        else if (filter == 3) return;
        for (uint32_t id = 0; id < kMaxVcpus; ++id) {
            if (!(targets & (1u << id)) || !gic_.vcpu(id)) continue;
            Irq* irq = gic_.irq(id, intid);
            irq->pending_latch = true;
            irq->sgi_source = uint8_t(v.id());
        }
    }
    Vgic& gic_;
};

}  // namespace

std::unique_ptr<KvmIoDevice> make_v2_dist(Vgic& gic) { return std::make_unique<V2Dist>(gic); }

}  // namespace hyp::vgic
