#include "vmm/linux_image.h"

#include <fmt/format.h>

#include "vmm/bus.h"

namespace vmm {

namespace {

uint64_t field(std::span<const uint8_t> bytes, size_t offset, size_t size) {
    return load_le(bytes.subspan(offset, size));
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
    return h;
}

}  // namespace vmm
