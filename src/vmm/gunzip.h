// gzip'd kernels (RFC 1952): Ubuntu's arm64 vmlinuz is a gzip'd Image, and
// QEMU's -kernel inflates it (hw/arm/boot.c, load_aarch64_image) before it
// reads the Image header; so does `run`, with zlib.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "kvm/result.h"

namespace vmm {

// QEMU's LOAD_IMAGE_MAX_GUNZIP_BYTES: what -kernel inflates at most.
inline constexpr uint64_t kMaxInflatedKernel = 256ull << 20;

// True when bytes start with the gzip member magic 1f 8b.
bool is_gzip(std::span<const uint8_t> bytes);

// The first gzip member of the file named name, inflated and its CRC-32 and
// length checked (what follows it is ignored, as QEMU does). Errors are one
// line naming the file: a corrupt or truncated stream, or contents larger
// than limit bytes.
kvm::Result<std::vector<uint8_t>> gunzip(const std::string& name, std::span<const uint8_t> bytes,
                                         uint64_t limit);

}  // namespace vmm
