#include "vmm/foreign_kernel.h"

#include <algorithm>
#include <string_view>

#include <fmt/format.h>

namespace vmm {

namespace {

struct KernelMagic {
    std::string_view what;
    size_t offset;
    std::string_view bytes;
    std::string_view shown;  // the magic as the message prints it
};

// Each boot protocol's own header magic:
//   x86 boot protocol (Documentation/x86/boot.rst): "HdrS" at 0x202;
//   arm32 zImage (arch/arm/boot/compressed/head.S): 0x016F2818 LE at 0x24;
//   RISC-V Image (Documentation/riscv/boot-image-header.rst): magic2
//   "RSC\x05" at 0x38, and the deprecated magic "RISCV\0\0\0" at 0x30.
constexpr KernelMagic kMagics[] = {
    {"an x86 bzImage", 0x202, "HdrS", "\"HdrS\""},
    {"an arm32 zImage", 0x24, std::string_view("\x18\x28\x6f\x01", 4), "0x016f2818"},
    {"a RISC-V Image", 0x38, std::string_view("RSC\x05", 4), "\"RSC\\x05\""},
    {"a RISC-V Image", 0x30, std::string_view("RISCV\0\0\0", 8), "\"RISCV\""},
};

}  // namespace

std::optional<std::string> foreign_kernel(std::span<const uint8_t> bytes) {
    for (const KernelMagic& m : kMagics) {
        if (bytes.size() < m.offset + m.bytes.size()) continue;
        auto at = bytes.begin() + long(m.offset);
        if (std::equal(m.bytes.begin(), m.bytes.end(), at, [](char a, uint8_t b) { return uint8_t(a) == b; }))
            return fmt::format("{} ({} at {:#x})", m.what, m.shown, m.offset);
    }
    return std::nullopt;
}

}  // namespace vmm
