// The translation tier's return prediction, as a CPU's return stack: BL
// and BLR push where the call returns to, RET pops it (docs/jit.md). A
// RET whose target is the popped return address, translated now to the
// same IPA, jumps straight into the block there instead of through
// Cpu::jit_lookup; anything else goes through the lookup as before. It is
// a cache of the lookup's answer, never more: the lookup's tests that only
// C++ code can change are left to Cpu::jit_recheck_ (set: the lookup), the
// translation is the fast TLB's present entry, and the bodies it holds go
// with the code (cleared whenever blocks are dropped or flushed).
#pragma once

#include <array>
#include <cstdint>

namespace cpu::jit {

struct ReturnStack {
    struct Entry {
        uint64_t va = 1;             // the return address
        uint64_t ipa = ~0ull;        // its IPA when pushed (~0: none, no fetch translates to it)
        const void* body = nullptr;  // the compiled block's there when pushed, or null
        uint64_t unused = 0;         // 32 bytes: generated code indexes by shifting 5
    };
    // A kernel's calls nest deeper; a deeper return misses and is looked up.
    static constexpr unsigned kEntries = 16;
    std::array<Entry, kEntries> entries{};
    uint8_t top = 0;  // the last pushed

    void clear() { entries.fill(Entry{}); }
};
static_assert(sizeof(ReturnStack::Entry) == 32);

}  // namespace cpu::jit
