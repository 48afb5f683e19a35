#include "vmm/linux_image.h"

#include <algorithm>

#include <fmt/format.h>

#include "vmm/bus.h"

namespace vmm {

namespace {

uint64_t field(std::span<const uint8_t> bytes, size_t offset, size_t size) {
    return load_le(bytes.subspan(offset, size));
}

// The EFI stub's PE/COFF headers (PE Format, "COFF File Header" and
// "Section Table"): "MZ" at 0, the PE header's offset at 0x3c (booting.rst's
// res5). Each section's raw data lies in the file, so the end of the last is
// a size the file must have; image_size cannot say that (it counts the BSS).
constexpr size_t kPeOffsetField = 0x3c;
constexpr size_t kCoffHeaderSize = 24;  // "PE\0\0" and the COFF file header
constexpr size_t kSectionHeaderSize = 40;

// The bytes the PE/COFF headers say the file holds, and what ends there; 0
// when the Image carries no PE header (no EFI stub).
struct PeExtent {
    uint64_t end = 0;
    std::string what;
};

// The 8-byte name, NUL-padded, or "#index" when it is not printable text
// (the message stays one line).
std::string section_name(std::span<const uint8_t> header, uint64_t index) {
    std::string name(header.begin(), std::find(header.begin(), header.begin() + 8, 0));
    bool text = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return c > ' ' && c < 0x7f; });
    return text ? name : fmt::format("#{}", index);
}

PeExtent pe_extent(std::span<const uint8_t> bytes) {
    uint64_t pe = field(bytes, kPeOffsetField, 4);
    if (bytes[0] != 'M' || bytes[1] != 'Z' || pe == 0) return {};
    if (bytes.size() < pe + kCoffHeaderSize)
        return {pe + kCoffHeaderSize, fmt::format("its PE/COFF header at {:#x}", pe)};
    if (field(bytes, pe, 4) != 0x4550) return {};  // "PE\0\0": not an EFI stub after all
    uint64_t sections = field(bytes, pe + 6, 2);
    uint64_t table = pe + kCoffHeaderSize + field(bytes, pe + 20, 2);
    PeExtent e{table + sections * kSectionHeaderSize,
               fmt::format("its PE/COFF section table ({} sections at {:#x})", sections, table)};
    if (bytes.size() < e.end) return e;
    for (uint64_t i = 0; i < sections; ++i) {
        auto h = bytes.subspan(table + i * kSectionHeaderSize, kSectionHeaderSize);
        uint64_t end = field(h, 20, 4) + field(h, 16, 4);  // PointerToRawData + SizeOfRawData
        if (end <= e.end) continue;
        e = {end, fmt::format("its PE/COFF section {}'s data", section_name(h, i))};
    }
    return e;
}

}  // namespace

bool has_linux_image_magic(std::span<const uint8_t> bytes) {
    return bytes.size() >= kLinuxImageMagicOffset + 4 &&
           field(bytes, kLinuxImageMagicOffset, 4) == kLinuxImageMagic;
}

kvm::Result<LinuxImageHeader> parse_linux_image(const std::string& name,
                                                std::span<const uint8_t> bytes) {
    auto fail = [&](std::string msg) { return kvm::Error{fmt::format("{}: {}", name, msg)}; };
    if (bytes.size() < kLinuxImageHeaderSize)
        return fail(fmt::format("truncated Linux Image header ({} bytes, need {})", bytes.size(),
                                kLinuxImageHeaderSize));
    if (!has_linux_image_magic(bytes))
        return fail(fmt::format("Linux Image magic {:#010x} is not {:#010x} (\"ARM\\x64\")",
                                field(bytes, kLinuxImageMagicOffset, 4), kLinuxImageMagic));
    LinuxImageHeader h{field(bytes, 8, 8), field(bytes, 16, 8), field(bytes, 24, 8)};
    if (h.image_size == 0) {
        h.text_offset = kLinuxImageLegacyTextOffset;
        h.image_size = bytes.size();
    }
    if (h.flags & kLinuxImageFlagBigEndian)
        return fail(fmt::format("Linux Image flags {:#x}: a big-endian kernel (bit 0) cannot run "
                                "on this little-endian board",
                                h.flags));
    // The load address is a 2 MiB aligned base plus text_offset; the kernel
    // maps itself with 4 KiB granularity at least.
    if (h.text_offset % 4096 != 0 || h.text_offset >= (2u << 20))
        return fail(fmt::format("Linux Image text_offset {:#x} is not a multiple of 4 KiB below "
                                "2 MiB",
                                h.text_offset));
    if (h.image_size < bytes.size())
        return fail(fmt::format("Linux Image image_size {:#x} is smaller than the file ({:#x} "
                                "bytes)",
                                h.image_size, bytes.size()));
    if (PeExtent pe = pe_extent(bytes); pe.end > bytes.size())
        return fail(fmt::format("truncated Linux Image: {} ends at {:#x}, the file has {:#x} bytes",
                                pe.what, pe.end, bytes.size()));
    return h;
}

}  // namespace vmm
