#include "vmm/mem_size.h"

#include <fmt/format.h>

#include "vmm/board.h"

namespace vmm {

namespace {

static_assert(board::kRamMinSize == 2ull << 20 && board::kRamMaxSize == 32ull << 30,
              "update memory_size_range()");

kvm::Error size_error(std::string_view text, std::string_view why) {
    return kvm::Error{fmt::format("invalid memory size '{}': {} (accepted: {}; a plain number "
                                  "is MiB, suffixes K, M, G)",
                                  text, why, memory_size_range())};
}

}  // namespace

std::string_view memory_size_range() { return "2M to 32G"; }

kvm::Result<uint64_t> parse_memory_size(std::string_view text) {
    if (text.empty()) return size_error(text, "empty");
    size_t digits = 0;
    // Digits beyond this many overflow any accepted size anyway; stop counting
    // value but keep scanning so "999...9G" is "out of range", not garbage.
    bool overflow = false;
    uint64_t number = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
        if (number > (UINT64_MAX - 9) / 10)
            overflow = true;
        else
            number = number * 10 + uint64_t(text[digits] - '0');
        ++digits;
    }
    if (digits == 0) return size_error(text, "not a number");
    std::string_view suffix = text.substr(digits);
    unsigned shift = 20;  // plain number: MiB
    if (!suffix.empty()) {
        if (suffix.size() != 1) return size_error(text, fmt::format("unknown suffix '{}'", suffix));
        switch (suffix[0]) {
        case 'k': case 'K': shift = 10; break;
        case 'm': case 'M': shift = 20; break;
        case 'g': case 'G': shift = 30; break;
        case 't': case 'T': shift = 40; break;  // parsed so "1T" says "too large"
        default: return size_error(text, fmt::format("unknown suffix '{}'", suffix));
        }
    }
    if (overflow || number > (board::kRamMaxSize >> shift))
        return size_error(text, "too large");
    uint64_t bytes = number << shift;
    if (bytes < board::kRamMinSize) return size_error(text, "too small");
    if (bytes % 4096 != 0) return size_error(text, "not a multiple of 4K");
    return bytes;
}

}  // namespace vmm
