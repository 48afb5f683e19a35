// The arm64 Linux `Image` header (Documentation/arm64/booting.rst, "Call
// the kernel image"): 64 bytes a boot loader reads to place the kernel.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "kvm/result.h"

namespace vmm {

struct LinuxImageHeader {
    uint64_t text_offset = 0;  // load offset from a 2 MiB aligned base
    uint64_t image_size = 0;   // bytes from the load address the kernel uses, BSS included
    uint64_t flags = 0;
};

inline constexpr size_t kLinuxImageHeaderSize = 64;
inline constexpr size_t kLinuxImageMagicOffset = 56;
inline constexpr uint32_t kLinuxImageMagic = 0x644D'5241;  // "ARM\x64"
// Before Linux 3.17 image_size is 0 and text_offset is unreliable: such an
// image is placed at 0x80000 (booting.rst).
inline constexpr uint64_t kLinuxImageLegacyTextOffset = 0x80000;
// flags bit 0: kernel endianness, 1 = big-endian.
inline constexpr uint64_t kLinuxImageFlagBigEndian = 1;

// True when bytes carry the header's magic (the file is meant as an Image).
bool has_linux_image_magic(std::span<const uint8_t> bytes);

// The header of an Image named name; errors name the file and the field:
// truncated header, a big-endian kernel, a text_offset that is not 4 KiB
// aligned or beyond 2 MiB, an image_size smaller than the file, a file
// shorter than its EFI stub's PE/COFF section table says (truncated).
kvm::Result<LinuxImageHeader> parse_linux_image(const std::string& name,
                                                std::span<const uint8_t> bytes);

}  // namespace vmm
