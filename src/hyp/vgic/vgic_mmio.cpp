// Per-INTID registers as a table (see vgic_mmio.h): each row gives the
// register's offset, its bits per INTID, and the field's read and write.
#include "hyp/vgic/vgic_mmio.h"

#include <array>

#include "cpu/gic_cpuif.h"

namespace hyp::vgic {

namespace {

struct IrqReg {
    const char* name;
    uint32_t offset, bits;  // bits per INTID: 1, 2 or 8
    bool targets_only;      // ITARGETSR: GICv2 only
    uint32_t (*get)(const Irq&);
    void (*set)(Irq&, uint32_t field);
};

constexpr uint32_t kConfigEdge = 2;  // Int_config[1]: edge-triggered

constexpr IrqReg kIrqRegs[] = {
    {"IGROUPR", 0x080, 1, false, [](const Irq& i) -> uint32_t { return i.group1; },
     [](Irq& i, uint32_t f) { i.group1 = f; }},
    {"ISENABLER", 0x100, 1, false, [](const Irq& i) -> uint32_t { return i.enabled; },
     [](Irq& i, uint32_t f) { i.enabled |= f != 0; }},
    {"ICENABLER", 0x180, 1, false, [](const Irq& i) -> uint32_t { return i.enabled; },
     [](Irq& i, uint32_t f) { i.enabled &= !f; }},
    {"ISPENDR", 0x200, 1, false, [](const Irq& i) -> uint32_t { return i.pending(); },
     [](Irq& i, uint32_t f) { i.pending_latch |= f != 0; }},
    {"ICPENDR", 0x280, 1, false, [](const Irq& i) -> uint32_t { return i.pending(); },
     [](Irq& i, uint32_t f) { i.pending_latch &= !f; }},
    {"ISACTIVER", 0x300, 1, false, [](const Irq& i) -> uint32_t { return i.active; },
     [](Irq& i, uint32_t f) { i.active |= f != 0; }},
    {"ICACTIVER", 0x380, 1, false, [](const Irq& i) -> uint32_t { return i.active; },
     [](Irq& i, uint32_t f) { i.active &= !f; }},
    // 5 priority bits implemented, as the CPU interface (ICH_VTR_EL2.PRIbits).
    {"IPRIORITYR", 0x400, 8, false, [](const Irq& i) -> uint32_t { return i.priority; },
     [](Irq& i, uint32_t f) { i.priority = uint8_t(f & cpu::gic::kPriorityMask); }},
    // SGIs and PPIs read their own CPU's bit and ignore writes (IHI 0048).
    {"ITARGETSR", 0x800, 8, true, [](const Irq& i) -> uint32_t { return i.targets; },
     [](Irq& i, uint32_t f) {
         if (i.intid >= kNrPrivate) i.targets = uint8_t(f);
     }},
    // SGIs are edge-triggered and PPIs level-sensitive, read-only (our
    // IMPLEMENTATION DEFINED choice); SPIs take Int_config[1].
    {"ICFGR", 0xC00, 2, false,
     [](const Irq& i) -> uint32_t { return i.level_sensitive ? 0 : kConfigEdge; },
     [](Irq& i, uint32_t f) {
         if (i.intid >= kNrPrivate) i.level_sensitive = !(f & kConfigEdge);
     }},
};

const IrqReg* find_reg(uint64_t offset) {
    for (const IrqReg& r : kIrqRegs) {
        const uint64_t span = kNrIrqs * r.bits / 8;
        if (offset >= r.offset && offset < r.offset + ((span + 3) & ~3ull)) return &r;
    }
    return nullptr;
}

}  // namespace

bool irq_reg_access(const IrqBank& bank, uint64_t offset, unsigned len, bool is_write,
                    uint64_t& value) {
    const IrqReg* r = find_reg(offset);
    if (!r || (r->targets_only && bank.gic.config().model != Model::V2)) return false;
    // Byte access only to the byte-per-INTID registers; everything aligned.
    if (!(len == 4 || (len == 1 && r->bits == 8)) || offset % len) return false;
    const uint32_t first = uint32_t((offset - r->offset) * 8 / r->bits);
    const uint32_t count = len * 8 / r->bits;
    const uint32_t field_mask = (1u << r->bits) - 1;
    if (!is_write) value = 0;
    for (uint32_t k = 0; k < count; ++k) {
        const uint32_t intid = first + k;
        if (intid < bank.lo || intid >= bank.hi) continue;
        Irq* irq = bank.gic.irq(bank.vcpu_id, intid);
        if (!irq) continue;
        if (is_write) r->set(*irq, uint32_t(value >> (k * r->bits)) & field_mask);
        else value |= uint64_t(r->get(*irq) & field_mask) << (k * r->bits);
    }
    return true;
}

}  // namespace hyp::vgic
