// The translation tier: a Cpu's blocks compiled to x86-64 (docs/jit.md).
// A compiled block is exactly an interpreter Block: the same instructions,
// the same boundaries, its handlers called for what is not emitted inline,
// so the interpreter stays the reference. Compiled out on other hosts.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "cpu/block.h"
#include "cpu/jit/code_cache.h"

namespace cpu {
class Cpu;
}  // namespace cpu

namespace cpu::jit {

// A chained exit: a direct branch or fall-through to the successor in the
// same guest page, a jmp rel32 that goes to the unlinked path (execute()
// links it: Cpu::jit_link_) until Tier::link points it at the
// successor's body; the code is written through the code cache's
// writable view. The checks execute() would make between the two blocks
// come first (Stubs::chain), the budget at the successor's body.
struct Exit {
    const uint8_t* jump = nullptr;  // the rel32 of the jmp (executable view), or null: no exit
    uint64_t ipa = 0;               // the successor's IPA (fixed when compiled)
};

// A block's generated code: entry is called as a function of the Cpu and
// returns when the chain ends; body is where chained blocks jump in.
struct Code {
    void (*entry)(Cpu*) = nullptr;
    const void* body = nullptr;
    // Where chained exits come in: after body's loads of the PC and
    // retired(), which a chain carries in r12 and r13 instead.
    const void* chained = nullptr;
    uint64_t size = 0;  // instructions
    Exit exits[2];      // [0] the taken direct branch, [1] the fall-through
};

// The code every block leaves through, emitted once per code cache
// (Emitter::stubs) and reached by absolute jumps, so that a block holds
// only its instructions: the checks before a chain, a handler's Flow and
// the lookup would otherwise be most of every block's code, and of the
// time spent compiling it.
struct Stubs {
    const uint8_t* exit = nullptr;   // restores the entry's registers and returns
    const uint8_t* flow = nullptr;   // al = the Flow (not Next) a handler returned
    const uint8_t* ended = nullptr;  // a handler returned Next with end_block_ set
    const uint8_t* lookup = nullptr; // called: rax = the body to go on into, or exit
    // called before a chained exit or a predicted return: returns if it may go on
    const uint8_t* chain = nullptr;
    const uint8_t* exit_chained = nullptr;  // stores r12, r13 as the PC and retired(), then exit
};

// What Cpu::jit_lookup needs of the compiled block at an IPA, in 16
// bytes: the body's address (user space: below 2^48) with the block's
// instruction count (at most 64) above it.
struct alignas(16) Jump {
    uint64_t ipa = ~0ull;
    uint64_t body_size = 0;
    Jump() = default;
    Jump(uint64_t at, const void* body, uint64_t size)
        : ipa(at), body_size(reinterpret_cast<uint64_t>(body) | size << 48) {}
    const void* body() const {
        return reinterpret_cast<const void*>(body_size & ((uint64_t(1) << 48) - 1));
    }
    uint64_t size() const { return body_size >> 48; }
};

#if defined(__x86_64__)
class Emitter;

class Tier {
public:
    Tier();
    ~Tier();
    Tier(const Tier&) = delete;
    Tier& operator=(const Tier&) = delete;

    // Compiles b for cpu: null when the code cache is full (the caller
    // flushes every block and starts again).
    const Code* compile(Cpu& cpu, const Block& b);
    // Drops every compiled block and its chain slots.
    void flush();
    // Points e's jump at to's body.
    void link(const Exit& e, const Code& to);
    // The block at ipa is dropped with every block of its page: its code
    // leaves the jump cache. Exits chain only within a page, so no live
    // code jumps to it. Its memory goes with the next flush.
    void drop(uint64_t ipa);

    // The jump cache (QEMU's tb_jmp_cache): direct-mapped by IPA in front
    // of the block cache, for Cpu::jit_lookup, whose chase through the
    // block cache's front, the Block and its Code missed the host's data
    // cache three times. Holds only compiled blocks; emptied by flush().
    const Jump& jump(uint64_t ipa) const { return jumps_[jump_slot(ipa)]; }
    void add_jump(uint64_t ipa, const Code& c) {
        jumps_[jump_slot(ipa)] = Jump(ipa, c.body, c.size);
    }
    // The table itself, for the lookup stub's inline search (Emitter).
    const Jump* jumps() const { return jumps_.data(); }

    // 256 KiB: at 32 bytes an entry the table filled a host's L2 cache
    // (its misses were half of jit_lookup's time); with 8192 entries more
    // lookups missed it and went on to the block cache.
    static constexpr size_t kJumps = 1 << 14;
    // The page number folded into the slot: code 64 KiB apart (a
    // kernel's functions) would otherwise share slots.
    static constexpr unsigned kSlotFold = 16;
    static size_t jump_slot(uint64_t ipa) {
        return ((ipa >> 2) ^ (ipa >> kSlotFold)) & (kJumps - 1);
    }

private:
    Emitter& emitter(Cpu& cpu);
    bool add_stubs(Cpu& cpu);

    CodeCache cache_;
    Stubs stubs_;  // in cache_, once anything is
    std::vector<uint8_t> scratch_;  // where code is emitted, then copied into cache_
    std::unique_ptr<Emitter> emitter_;
    std::deque<Code> codes_;  // stable addresses: generated code points at the slots
    std::vector<Jump> jumps_ = std::vector<Jump>(kJumps);
};
#else
class Tier {};  // no translation tier on this host: the interpreter runs everything
#endif

}  // namespace cpu::jit
