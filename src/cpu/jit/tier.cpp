#if defined(__x86_64__)
#include "cpu/jit/tier.h"

#include <algorithm>
#include <vector>

#include "cpu/jit/emitter.h"

namespace cpu::jit {

namespace {
// A block's code before it is copied into the cache: 64 instructions of
// at most a few hundred bytes each, inline and out of line.
constexpr size_t kScratchBytes = 64 << 10;
}  // namespace

const Code* Tier::compile(Cpu& cpu, const Block& b) {
    thread_local std::vector<uint8_t> scratch(kScratchBytes);
    Code& code = codes_.emplace_back();
    Emitter e(cpu, scratch.data(), scratch.size());
    e.block(b, code);
    const uint8_t* at = cache_.add({scratch.data(), e.getSize()});
    if (!at) {
        codes_.pop_back();
        return nullptr;
    }
    code.entry = reinterpret_cast<void (*)(Cpu*)>(const_cast<uint8_t*>(at));
    code.body = at + e.body_offset();
    perf_map_add(at, e.getSize(), b.ipa);
    add_jump(b.ipa, code);
    return &code;
}

void Tier::flush() {
    codes_.clear();
    cache_.reset();
    std::fill(jumps_.begin(), jumps_.end(), Jump{});
}

}  // namespace cpu::jit
#endif
