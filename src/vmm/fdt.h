// The device tree that describes the board (board.h) to the guest: the nodes
// and properties QEMU's `virt` (gic-version=3 or 2) gives a guest, for what
// stepvisor implements. docs/vmm.md lists what QEMU has and we leave out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kvm/result.h"
#include "vmm/guest_ram.h"

namespace vmm {

struct FdtConfig {
    uint64_t ram_base = 0;
    uint64_t ram_size = 0;
    uint32_t num_cpus = 1;
    unsigned gic_version = 3;  // 3: arm,gic-v3; 2: arm,cortex-a15-gic
    std::string bootargs;      // /chosen/bootargs when not empty
    std::optional<GpaRange> initrd;  // /chosen/linux,initrd-{start,end}
    std::string cpu_compatible = "arm,cortex-a57";  // the CPU model's (cpu_models.h)
};

// A flattened device tree blob (DTB), at most board::kFdtMaxSize bytes,
// built with libfdt's sequential-write API.
kvm::Result<std::vector<uint8_t>> build_fdt(const FdtConfig& config);

// A user's blob (--dtb), named name in errors: checked with fdt_check_full,
// then /chosen gets bootargs and the initrd as build_fdt would write them
// (only those the config sets), the rest is the user's.
kvm::Result<std::vector<uint8_t>> adopt_fdt(const std::string& name, std::vector<uint8_t> blob,
                                            const FdtConfig& config);

}  // namespace vmm
