// Boot planning: what goes where in guest RAM and how the vcpu starts, for
// the three image formats QEMU virt's -kernel accepts, decided and checked
// before any VM exists so that bad input is told apart from a failing VMM.
//
//   format       kernel placed at                 x0        device tree at
//   ELF          its segments' physical addresses  0         RAM base
//   Linux Image  RAM base + text_offset            DTB       after the initrd
//   raw binary   --load-addr (RAM base + 0x80000)  DTB       after the initrd
//
// A gzip'd file is inflated first (QEMU's -kernel does it for arm64), and a
// kernel for another architecture (foreign_kernel.h) is refused, never run as
// a raw binary.
// An initrd goes at RAM base + min(RAM / 2, 128 MiB), or after the kernel if
// that is higher, 4 KiB aligned; for Image and raw the device tree follows it
// at the next 2 MiB boundary (hw/arm/boot.c's layout, checked by running
// guests/image_hello.S under both machines: docs/vmm.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kvm/result.h"
#include "vmm/guest_ram.h"

namespace vmm {

enum class ImageFormat { Elf, LinuxImage, Raw };
const char* image_format_name(ImageFormat f);

struct BootOptions {
    std::string image;                  // path
    uint64_t ram_size = 0;              // from parse_memory_size
    std::optional<uint64_t> load_addr;  // raw binaries only
    std::string initrd;                 // path, or empty
    std::string dtb;                    // path of a blob to use, or empty: the board's
    std::string bootargs;               // /chosen/bootargs
    unsigned gic_version = 3;
    uint32_t num_cpus = 1;
    std::string cpu_compatible = "arm,cortex-a57";  // /cpus/cpu@N (the --cpu model's)
};

// The files' contents, read (read_file) or made up by tests.
struct BootFiles {
    std::vector<uint8_t> image;
    std::optional<std::vector<uint8_t>> initrd;
    std::optional<std::vector<uint8_t>> dtb;
};

// Bytes for guest RAM at gpa, then zero_fill zeros (an ELF's BSS).
struct LoadChunk {
    std::string what;  // for errors: "segment 0x...", "kernel", "initrd", "device tree"
    uint64_t gpa = 0;
    std::vector<uint8_t> bytes;
    uint64_t zero_fill = 0;
    GpaRange range() const { return {gpa, bytes.size() + zero_fill}; }
};

struct BootPlan {
    ImageFormat format = ImageFormat::Elf;
    std::vector<LoadChunk> chunks;  // inside RAM, pairwise disjoint
    uint64_t entry = 0;
    uint64_t x0 = 0;
    std::vector<uint8_t> fdt;  // the blob the guest gets (also a chunk)
    uint64_t fdt_addr = 0;
    uint64_t ram_size = 0;
};

// Fixed for every format: PSTATE EL1h with D, A, I and F masked, as QEMU
// starts a kernel (and booting.rst asks).
inline constexpr uint64_t kBootPstate = 0x3c5;
// Where a raw binary goes without --load-addr: QEMU's KERNEL64_LOAD_ADDR.
inline constexpr uint64_t kRawDefaultOffset = 0x80000;

// Reads the files named in opts, then plans. Every error is one line that
// names the file or the value.
kvm::Result<BootPlan> plan_boot(const BootOptions& opts);
kvm::Result<BootPlan> plan_boot(const BootOptions& opts, BootFiles files);

// The format of an image: ELF magic, else the Image header's magic, else raw
// (plan_boot refuses other architectures' kernels before it takes raw).
ImageFormat detect_format(const std::vector<uint8_t>& bytes);

}  // namespace vmm
