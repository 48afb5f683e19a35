// The ELF loader: a bare-metal AArch64 executable into guest RAM, as QEMU's
// -kernel does for an ELF (segments by physical address, entry from the header).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kvm/result.h"
#include "vmm/guest_ram.h"

namespace vmm {

struct ElfSegment {
    uint64_t paddr = 0;
    uint64_t offset = 0;  // in the file
    uint64_t filesz = 0;
    uint64_t memsz = 0;
    GpaRange range() const { return {paddr, memsz}; }
};

struct ElfImage {
    std::string name;  // as the user named the file: every error starts with it
    std::vector<uint8_t> bytes;
    uint64_t entry = 0;
    std::vector<ElfSegment> segments;  // PT_LOAD with memsz > 0, in file order
};

// The whole file; errors name the path and the reason (errno text).
kvm::Result<std::vector<uint8_t>> read_file(const std::string& path);

// Checks an ELF64 little-endian AArch64 ET_EXEC image and collects its PT_LOAD
// segments. Nothing read from the file is trusted: every offset and size is
// checked against the file and for overflow before use, and segments do not
// wrap or overlap each other.
kvm::Result<ElfImage> parse_elf(std::string name, std::vector<uint8_t> bytes);

// read_file + parse_elf.
kvm::Result<ElfImage> open_elf(const std::string& path);

// Every segment and the entry point must lie in ram, and no segment may
// overlap reserved (the device tree blob, named reserved_name).
kvm::Result<void> check_elf_placement(const ElfImage& image, const GpaRange& ram,
                                      const GpaRange& reserved, std::string_view reserved_name);

// Copies the segments (file bytes, then zeros up to memsz) into ram, which
// check_elf_placement accepted. Returns the ranges written, for
// Vm::memory_written.
std::vector<GpaRange> load_elf(const ElfImage& image, GuestRam& ram);

}  // namespace vmm
