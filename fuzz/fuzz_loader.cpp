// Image files as the VMM reads them: whatever a file holds, planning the
// boot returns an error naming it or places every piece inside guest RAM
// with a valid device tree, and never reads outside the file.
//
// Input: byte 0 picks the loader (kLoaders), byte 1 the RAM size; the rest
// is the file. A loader is one line in kLoaders.
#include <libfdt.h>

#include <array>
#include <cstring>
#include <string>
#include <vector>

#include "vmm/board.h"
#include "vmm/boot.h"

namespace {

using Bytes = std::vector<uint8_t>;

// Every chunk inside RAM, and the device tree the guest gets valid.
void check_plan(const vmm::BootPlan& plan, uint64_t ram_size) {
    const vmm::GpaRange ram{vmm::board::kRamBase, ram_size};
    for (const vmm::LoadChunk& c : plan.chunks)
        if (!ram.contains(c.range())) __builtin_trap();
    if (fdt_check_full(plan.fdt.data(), plan.fdt.size()) != 0) __builtin_trap();
}

// The file as `stepvisor run FILE` takes it (ELF, Linux Image or raw,
// detected), with an initrd, as vmm::plan_boot plans it.
void as_image(Bytes file, uint64_t ram_size) {
    vmm::BootOptions opts;
    opts.image = "fuzz.img";
    opts.ram_size = ram_size;
    vmm::BootFiles files;
    files.image = std::move(file);
    files.initrd = Bytes(4096, 0x5A);
    opts.initrd = "fuzz.initrd";
    if (auto plan = vmm::plan_boot(opts, std::move(files))) check_plan(plan.value(), ram_size);
}

// The file as a user's device tree (--dtb FILE) next to a one-instruction
// raw image: vmm::adopt_fdt checks it, then gives /chosen its properties.
void as_dtb(Bytes blob, uint64_t ram_size) {
    vmm::BootOptions opts;
    opts.image = "fuzz.bin";
    opts.dtb = "fuzz.dtb";
    opts.bootargs = "console=ttyAMA0";
    opts.ram_size = ram_size;
    vmm::BootFiles files;
    files.image = {0x00, 0x00, 0x00, 0x14};  // b .
    files.dtb = std::move(blob);
    if (auto plan = vmm::plan_boot(opts, std::move(files))) check_plan(plan.value(), ram_size);
}

struct Loader {
    const char* name;
    void (*load)(Bytes file, uint64_t ram_size);
};
constexpr std::array kLoaders = {
    Loader{"image", as_image},
    Loader{"dtb", as_dtb},
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 2) return 0;
    const Loader& l = kLoaders[data[0] % kLoaders.size()];
    // 2 MiB .. 33 MiB: MAP_NORESERVE RAM, so only what a segment fills costs.
    const uint64_t ram_size = vmm::board::kRamMinSize + (uint64_t(data[1] & 15) << 21);
    l.load(Bytes(data + 2, data + size), ram_size);
    return 0;
}
