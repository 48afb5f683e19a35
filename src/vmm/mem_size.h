// Guest RAM sizes as the user writes them (-m), QEMU-like.
#pragma once

#include <cstdint>
#include <string_view>

#include "kvm/result.h"

namespace vmm {

// Parses SIZE: a decimal number with an optional suffix K, M, G or T
// (case-insensitive, powers of 1024); a plain number is MiB, as QEMU's -m.
// The result is a multiple of 4 KiB within board::kRamMinSize ..
// board::kRamMaxSize. Every error names the text and the accepted range.
kvm::Result<uint64_t> parse_memory_size(std::string_view text);

// The range as the help text and errors say it: "2M to 32G".
std::string_view memory_size_range();

}  // namespace vmm
