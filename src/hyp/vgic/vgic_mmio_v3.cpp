// The GICv3 distributor and redistributors (Linux: vgic-mmio-v3.c; IHI 0069
// "GIC Distributor register map", "Redistributor register map"). Accesses of
// a size or alignment a register does not allow, reserved offsets and
// writes to read-only registers are RAZ/WI.
#include <fmt/format.h>

#include "hyp/kvm_host.h"
#include "hyp/vgic/vgic_mmio.h"

namespace hyp::vgic {

namespace {

// GICD_CTLR (IHI 0069, with a single Security state: DS = 1).
constexpr uint32_t kCtlrEnableGrp0 = 1u << 0, kCtlrEnableGrp1 = 1u << 1;
constexpr uint32_t kCtlrAre = 1u << 4, kCtlrDs = 1u << 6;
// GICD_IIDR / GICR_IIDR: Implementer 0x43B (Arm), ProductID 'K' as KVM, Revision 3.
constexpr uint32_t kIidr = 0x4B << 24 | 3 << 12 | 0x43B;
// GICD_PIDR2 / GICR_PIDR2: ArchRev [7:4] = 3 (GICv3), JEDEC bits 0xB.
constexpr uint32_t kPidr2V3 = 0x3B;
constexpr uint64_t kPidr2 = 0xFFE8;
// GICD_TYPER: ITLinesNumber = 7 (256 INTIDs), IDbits = 9 (10-bit INTIDs).
constexpr uint32_t kTyper = (kNrIrqs / 32 - 1) | 9u << 19;
constexpr uint64_t kIrouter = 0x6000;
constexpr uint64_t kIrouterMask = 0xFF00FFFFFFull | 1ull << 31;  // Aff3, IRM, Aff2..0
constexpr uint64_t kSgiBase = 0x10000;

// A 64-bit register read or written in one 64-bit or two 32-bit accesses.
bool access_u64(uint64_t& reg, uint64_t off, unsigned len, bool is_write, uint64_t& value,
                uint64_t writable) {
    if ((len != 4 && len != 8) || off % len) return false;
    const unsigned shift = (off & 4) * 8;
    const uint64_t mask = (len == 8 ? ~0ull : 0xFFFFFFFFull) << shift;
    if (is_write) reg = (reg & ~(mask & writable)) | ((value << shift) & mask & writable);
    else value = (reg & mask) >> shift;
    return true;
}

class V3Dist final : public KvmIoDevice {
public:
    explicit V3Dist(Vgic& gic) : gic_(gic) {}
    uint64_t read(KvmVcpu& v, uint64_t off, unsigned len) override {
        uint64_t value = 0;
        access(v, off, len, false, value);
        return value;
    }
    void write(KvmVcpu& v, uint64_t off, unsigned len, uint64_t value) override {
        access(v, off, len, true, value);
    }

private:
    void access(KvmVcpu& v, uint64_t off, unsigned len, bool is_write, uint64_t& value) {
        if (irq_reg_access({gic_, v.id(), kNrPrivate, kNrIrqs}, off, len, is_write, value)) return;
        if (off >= kIrouter + 8 * kNrPrivate && off < kIrouter + 8 * kNrIrqs) {
            Irq* irq = gic_.irq(0, uint32_t((off - kIrouter) / 8));
            if (access_u64(irq->route, off & 7, len, is_write, value, kIrouterMask)) return;
        }
        if (is_write) {
            if (off == 0 && len == 4) {
                gic_.set_group_enables(value & kCtlrEnableGrp0, value & kCtlrEnableGrp1);
            }
            return;
        }
        value = len == 4 ? ro_reg(off) : 0;
    }
    uint32_t ro_reg(uint64_t off) const {
        switch (off) {
        case 0x0000:
            return kCtlrAre | kCtlrDs | (gic_.group_enabled(false) ? kCtlrEnableGrp0 : 0) |
                   (gic_.group_enabled(true) ? kCtlrEnableGrp1 : 0);
        case 0x0004: return kTyper;
        case 0x0008: return kIidr;
        case kPidr2: return kPidr2V3;
        default: return 0;
        }
    }
    Vgic& gic_;
};

// GICR_TYPER (IHI 0069): Affinity_Value [63:32], Processor_Number [23:8],
// Last [4] on the highest vcpu's redistributor.
constexpr uint64_t kTyperLast = 1u << 4;
// GICR_WAKER: ProcessorSleep [1], ChildrenAsleep [2] follows it at once.
constexpr uint32_t kWakerProcessorSleep = 1u << 1, kWakerChildrenAsleep = 1u << 2;

class V3Redist final : public KvmIoDevice {
public:
    explicit V3Redist(Vgic& gic) : gic_(gic) {}
    uint64_t read(KvmVcpu& v, uint64_t off, unsigned len) override {
        uint64_t value = 0;
        access(v, off, len, false, value);
        return value;
    }
    void write(KvmVcpu& v, uint64_t off, unsigned len, uint64_t value) override {
        access(v, off, len, true, value);
    }

private:
    // Redistributor n serves vcpu n; a frame with no vcpu is RAZ/WI.
    void access(KvmVcpu&, uint64_t off, unsigned len, bool is_write, uint64_t& value) {
        const uint32_t id = uint32_t(off / kV3RedistSize);
        off %= kV3RedistSize;
        if (!is_write) value = 0;
        if (!gic_.vcpu(id)) return;
        if (off >= kSgiBase) {
            irq_reg_access({gic_, id, 0, kNrPrivate}, off - kSgiBase, len, is_write, value);
            return;
        }
        if (off == 0x0008 || off == 0x000C) {
            uint64_t typer = typer_of(id);
            if (!is_write) access_u64(typer, off & 7, len, false, value, 0);
            return;
        }
        if (len != 4 || off % 4) return;
        if (is_write) {
            if (off == 0x0014) gic_.processor_sleep[id] = value & kWakerProcessorSleep;
            return;
        }
        value = ro_reg(id, off);
    }
    uint64_t typer_of(uint32_t id) const {
        const bool last = gic_.nr_vcpus() <= id + 1;
        return gic_.vcpu_affinity(id) << 32 | uint64_t(id) << 8 | (last ? kTyperLast : 0);
    }
    uint32_t ro_reg(uint32_t id, uint64_t off) const {
        switch (off) {
        case 0x0004: return kIidr;
        case 0x0014: return gic_.processor_sleep[id] ? kWakerProcessorSleep | kWakerChildrenAsleep : 0;
        case kPidr2: return kPidr2V3;
        default: return 0;  // GICR_CTLR: no LPIs, RWP/UWP never set
        }
    }
    Vgic& gic_;
};

}  // namespace

std::unique_ptr<KvmIoDevice> make_v3_dist(Vgic& gic) { return std::make_unique<V3Dist>(gic); }
std::unique_ptr<KvmIoDevice> make_v3_redist(Vgic& gic) { return std::make_unique<V3Redist>(gic); }

}  // namespace hyp::vgic
