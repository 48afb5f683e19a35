// The device tree that describes the board (board.h) to the guest, with the
// nodes and properties QEMU's `virt,gic-version=3` gives a guest for what
// stepvisor implements.
#pragma once

#include <cstdint>
#include <vector>

#include "kvm/result.h"

namespace vmm {

struct FdtConfig {
    uint64_t ram_base = 0;
    uint64_t ram_size = 0;
    uint32_t num_cpus = 1;
};

// A flattened device tree blob (DTB), at most board::kFdtMaxSize bytes,
// built with libfdt's sequential-write API.
kvm::Result<std::vector<uint8_t>> build_fdt(const FdtConfig& config);

}  // namespace vmm
