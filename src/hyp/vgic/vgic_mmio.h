// The registers with one field per INTID, at the same offsets in the GICv3
// distributor, the GICv3 redistributor's SGI_base frame and the GICv2
// distributor (Linux: vgic-mmio.c; IHI 0069 "The GIC Distributor register
// map", IHI 0048 "Distributor register map").
#pragma once

#include <cstdint>

#include "hyp/vgic/vgic.h"

namespace hyp::vgic {

// The INTIDs a frame holds: [lo, hi). Fields outside are RAZ/WI (GICD's
// private INTIDs with ARE = 1, GICR's SPIs).
struct IrqBank {
    Vgic& gic;
    uint32_t vcpu_id;  // whose SGIs and PPIs the frame shows
    uint32_t lo, hi;
};

// A read or write of offset within the per-INTID register block
// (0x080..0xCFF). Returns false when offset is not such a register or the
// access size is not one the register allows (the caller then makes it RAZ/WI).
bool irq_reg_access(const IrqBank& bank, uint64_t offset, unsigned len, bool is_write,
                    uint64_t& value);

}  // namespace hyp::vgic
