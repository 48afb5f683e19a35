// Bit manipulation helpers named after the ASL primitives.
#pragma once

#include <cstdint>

namespace arch {

constexpr uint64_t bits(uint64_t v, unsigned hi, unsigned lo) {
    return (v >> lo) & ((hi - lo + 1 >= 64) ? ~0ull : ((1ull << (hi - lo + 1)) - 1));
}
constexpr bool bit(uint64_t v, unsigned n) { return (v >> n) & 1; }
// SignExtend(x, N): N is the width of x.
constexpr int64_t sign_extend(uint64_t v, unsigned width) {
    const unsigned s = 64 - width;
    return int64_t(v << s) >> s;
}
constexpr uint64_t ones(unsigned n) { return n >= 64 ? ~0ull : (1ull << n) - 1; }

}  // namespace arch
