// The memory fast path: a softmmu TLB (as QEMU's CPUTLB) that maps a
// guest virtual page straight to host memory for RAM reads and writes and
// to an IPA for instruction fetch.
//
// It is a view of the architectural TLB (mmu.h), never more: an entry is
// filled only after a full translation succeeded (the architectural TLB hit
// or walked and cached, permissions and attributes checked, stage 2 mapped
// RAM), its slot is the architectural TLB's slot for the same page, and
// whatever empties or replaces that architectural slot empties it too. So
// a guest sees exactly the stale translations the interpreter's slow path
// would give. What a translation's result depends on beyond the entry —
// the EL1&0 context registers, stage 2, the PE's features — empties it
// whole when it changes (Cpu::sync_fast_tlb, and the MSRs that write it).
//
// An entry matches only an access the slow path would pass unchanged:
// - aligned accesses (the tag comparison includes the low address bits,
//   so an unaligned one misses: alignment faults and page crossings stay on
//   the slow path);
// - one table per privilege (EL1, and EL0 permissions: EL0 and LDTR/STTR);
// - a write tag only for a writable stage-2 region whose page holds no
//   decoded code (a store there must end the block and drop the code);
// - nothing while a watchpoint is armed (disabled: every access misses);
// - MMIO and unmapped IPAs are never filled.
#pragma once

#include <array>
#include <cstdint>

namespace cpu {

struct FastTlbEntry {
    uint64_t read_tag = ~0ull;   // VA of the page, or ~0 (never a page address)
    uint64_t write_tag = ~0ull;
    uint64_t addend = 0;  // host address = VA + addend
    uint64_t host_page = 0;  // host address of the page (drop_writes_to)
};

struct FastFetchEntry {
    uint64_t tag = ~0ull;
    uint64_t ipa_addend = 0;  // IPA = VA + ipa_addend
};

class FastTlb {
public:
    static constexpr unsigned kEntries = 512;  // Tlb::kEntries: the same slots
    static constexpr uint64_t kPageMask = ~0xFFFull;
    enum Mode : unsigned { kEl1 = 0, kEl0 = 1 };

    static unsigned slot(uint64_t va) { return (va >> 12) % kEntries; }
    // The tag an aligned access of `size` bytes at va compares with.
    static uint64_t key(uint64_t va, unsigned size) { return va & (kPageMask | (size - 1)); }

    uint8_t* read(unsigned mode, uint64_t va, unsigned size) const {
        const FastTlbEntry& e = data_[mode][slot(va)];
        return key(va, size) == e.read_tag ? reinterpret_cast<uint8_t*>(va + e.addend) : nullptr;
    }
    uint8_t* write(unsigned mode, uint64_t va, unsigned size) const {
        const FastTlbEntry& e = data_[mode][slot(va)];
        return key(va, size) == e.write_tag ? reinterpret_cast<uint8_t*>(va + e.addend) : nullptr;
    }
    // The IPA of an instruction fetch at pc, or ~0 on a miss.
    uint64_t fetch(unsigned mode, uint64_t pc) const {
        const FastFetchEntry& e = fetch_[mode][slot(pc)];
        return (pc & kPageMask) == e.tag ? pc + e.ipa_addend : ~0ull;
    }

    // host is the host address of va's byte.
    void fill_data(unsigned mode, uint64_t va, uint8_t* host, bool write);
    void fill_fetch(unsigned mode, uint64_t pc, uint64_t ipa);

    void clear();
    void clear_slot(unsigned i);
    // A page became code: stores to it must take the slow path.
    void drop_writes_to(const uint8_t* host_page);
    // Off while a watchpoint is armed: empty, and nothing is filled.
    void set_enabled(bool on) {
        enabled_ = on;
        if (!on) clear();
    }

    // For generated code: the tables by mode, each kEntries long, the EL0
    // one right after the EL1 one.
    const FastTlbEntry* data_table(unsigned mode) const { return data_[mode].data(); }
    const FastFetchEntry* fetch_table(unsigned mode) const { return fetch_[mode].data(); }
    // Set whenever a fetch entry is emptied; cleared by generated code once
    // it has found its page's entry present again. While it stays clear,
    // the translation a chain of blocks in one page started under holds.
    const uint8_t* fetch_dropped() const { return &fetch_dropped_; }

private:
    std::array<std::array<FastTlbEntry, kEntries>, 2> data_{};
    std::array<std::array<FastFetchEntry, kEntries>, 2> fetch_{};
    bool enabled_ = true;
    uint8_t fetch_dropped_ = 1;
};

}  // namespace cpu
