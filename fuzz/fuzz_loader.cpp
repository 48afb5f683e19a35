// Image files as the VMM reads them: whatever a file holds, the loader
// returns an error naming it or places the image inside guest RAM, and never
// reads or writes outside the file or the RAM.
//
// Input: byte 0 picks the loader (kLoaders), byte 1 the RAM size; the rest
// is the file. A loader is one line in kLoaders.
#include <libfdt.h>

#include <array>
#include <cstring>
#include <string>
#include <vector>

#include "vmm/board.h"
#include "vmm/elf_loader.h"
#include "vmm/guest_ram.h"
#include "vmm/machine.h"

namespace {

using Bytes = std::vector<uint8_t>;

// A bare-metal ELF: parse, plan against the board's device tree, load.
void load_elf_image(Bytes file, uint64_t ram_size) {
    auto image = vmm::parse_elf("fuzz.elf", std::move(file));
    if (!image) return;
    auto plan = vmm::plan_elf_boot(std::move(image.value()), ram_size);
    if (!plan) return;
    auto ram = vmm::GuestRam::create(vmm::board::kRamBase, ram_size);
    if (!ram) __builtin_trap();
    for (const vmm::GpaRange& r : vmm::load_elf(plan.value().image, ram.value())) {
        if (!ram.value().range().contains(r)) __builtin_trap();
    }
}

// A user's device tree (--dtb), as a VMM adopts one: checked with
// fdt_check_full, opened into a larger buffer, /chosen given bootargs and an
// initrd range, then every node and property walked as a guest would.
// Blobs older than version 17 are refused before libfdt sees them: Debian
// 12's libfdt 1.6.1 fdt_check_full reads through a null pointer on some of
// them (corpus/loader/regress-dtb-v9-check-full-null, found here).
void adopt_dtb(Bytes blob, uint64_t ram_size) {
    if (blob.size() > vmm::board::kFdtMaxSize) return;
    if (blob.size() < sizeof(fdt_header) || fdt_version(blob.data()) < 17) return;
    if (fdt_check_full(blob.data(), blob.size()) != 0) return;
    Bytes buf(vmm::board::kFdtMaxSize);
    if (fdt_open_into(blob.data(), buf.data(), int(buf.size())) != 0) return;
    int chosen = fdt_path_offset(buf.data(), "/chosen");
    if (chosen < 0) chosen = fdt_add_subnode(buf.data(), 0, "chosen");
    if (chosen >= 0) {
        fdt_setprop_string(buf.data(), chosen, "bootargs", "console=ttyAMA0");
        fdt_setprop_u64(buf.data(), chosen, "linux,initrd-start", vmm::board::kRamBase + ram_size / 2);
        fdt_setprop_u64(buf.data(), chosen, "linux,initrd-end", vmm::board::kRamBase + ram_size);
    }
    if (fdt_pack(buf.data()) != 0) return;
    if (fdt_check_full(buf.data(), fdt_totalsize(buf.data())) != 0) __builtin_trap();
    size_t seen = 0;
    for (int node = 0; node >= 0; node = fdt_next_node(buf.data(), node, nullptr)) {
        int len = 0;
        if (!fdt_get_name(buf.data(), node, &len)) break;
        int prop;
        fdt_for_each_property_offset(prop, buf.data(), node) {
            const char* name = nullptr;
            const void* v = fdt_getprop_by_offset(buf.data(), prop, &name, &len);
            if (v && len > 0) seen += static_cast<const uint8_t*>(v)[len - 1];
        }
    }
    (void)seen;
}

struct Loader {
    const char* name;
    void (*load)(Bytes file, uint64_t ram_size);
};
// After the VMM's Image and raw loaders land: {"image", ...} and {"raw", ...}
// calling vmm::plan_boot with the matching BootFiles.
constexpr std::array kLoaders = {
    Loader{"elf", load_elf_image},
    Loader{"dtb", adopt_dtb},
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
