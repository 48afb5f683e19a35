#include "tests/difftest/mmu.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <stdexcept>

#include "tests/difftest/gen.h"

namespace difftest {

namespace {

// Descriptor fields (D8.3.1 "Table descriptor", D8.3.2 "Block descriptor
// and Page descriptor").
constexpr uint64_t kTableDesc = 3, kPageDesc = 3;
constexpr uint64_t kAF = 1ull << 10, kNG = 1ull << 11;
constexpr uint64_t kPXN = 1ull << 53, kUXN = 1ull << 54;
constexpr uint64_t ap(unsigned v) { return uint64_t(v) << 6; }  // AP[2:1]
constexpr uint64_t attr_indx(unsigned i) { return uint64_t(i) << 2; }
constexpr uint64_t sh(unsigned v) { return uint64_t(v) << 8; }

// MAIR_EL1 (D24.2.99): attribute 0 Normal write-back (code, vectors); the
// data buffer and the window take any of them: Normal non-cacheable,
// Device-nGnRnE, Device-nGnRE, Normal write-through, Device-GRE.
constexpr uint64_t kMair = 0xFFull | 0x44ull << 8 | 0x00ull << 16 | 0x04ull << 24 | 0xBBull << 32 |
                           0x0Cull << 40;
constexpr unsigned kMairAttrs = 6;

// TCR_EL1 (D24.2.173) fields the set-up uses.
constexpr uint64_t kTg0_4K = 0ull << 14, kTg1_4K = 2ull << 30, kEpd1 = 1ull << 23, kIps48 = 5ull << 32;
constexpr uint64_t kAs16 = 1ull << 36, kTbi0 = 1ull << 37;

constexpr uint64_t kSctlrReset = 0x30D00800;  // RES1 bits (D24.2.158)
constexpr uint64_t kSctlrM = 1, kSctlrC = 1ull << 2, kSctlrI = 1ull << 12;

// Translation tables in the area at kTables, for TTBR0_EL1 with one granule
// and input size (AArch64.S1Walk: the start level and each level's index
// bits follow from them).
class Tables {
public:
    Tables(unsigned grain, unsigned t0sz, std::vector<uint8_t>& mem)
        : grain_(grain), inputsize_(64 - t0sz), mem_(mem) {
        root_ = alloc();
    }
    uint64_t root() const { return root_; }

    // The IPA of va's descriptor at `level`, creating tables above it.
    uint64_t slot(uint64_t va, unsigned level) {
        uint64_t table = root_;
        for (unsigned l = start_level();; ++l) {
            const uint64_t a = entry(table, va, l);
            if (l == level) return a;
            uint64_t d = get(a);
            if (!(d & 1)) put(a, d = alloc() | kTableDesc);
            table = d & ~((1ull << grain_) - 1) & ((1ull << 48) - 1);
        }
    }
    // The first level at which va's descriptor is still invalid: a fault
    // there hits no other mapping.
    unsigned first_free_level(uint64_t va) {
        uint64_t table = root_;
        for (unsigned l = start_level(); l < 3; ++l) {
            const uint64_t d = get(entry(table, va, l));
            if (!(d & 1)) return l;
            table = d & ~((1ull << grain_) - 1) & ((1ull << 48) - 1);
        }
        return 3;
    }
    void map_page(uint64_t va, uint64_t pa, uint64_t attrs) { put(slot(va, 3), pa | attrs | kPageDesc); }

private:
    unsigned start_level() const {
        const unsigned stride = grain_ - 3;
        return 4 - (inputsize_ - grain_ + stride - 1) / stride;
    }
    uint64_t entry(uint64_t table, uint64_t va, unsigned level) const {
        const unsigned stride = grain_ - 3, shift = grain_ + stride * (3 - level);
        const unsigned n = std::min(stride, inputsize_ - shift);
        return table + (((va >> shift) & ((1ull << n) - 1)) << 3);
    }
    uint64_t alloc() {
        const uint64_t size = 1ull << grain_;
        const uint64_t t = kTables + ((mem_.size() + size - 1) & ~(size - 1));
        if (t + size > kTables + kTablesSize) throw std::logic_error("difftest: translation tables overflow");
        mem_.resize(t + size - kTables);
        return t;
    }
    uint64_t get(uint64_t ipa) const {
        uint64_t d;
        std::memcpy(&d, &mem_[ipa - kTables], 8);
        return d;
    }
    void put(uint64_t ipa, uint64_t d) { std::memcpy(&mem_[ipa - kTables], &d, 8); }

    unsigned grain_, inputsize_;
    std::vector<uint8_t>& mem_;
    uint64_t root_;
};

// The window's pages alias the data buffer's physical pieces offset for offset.
void map_alias(Tables& t, const MmuSetup& m, uint64_t attrs) {
    const uint64_t page = 1ull << m.grain;
    for (uint64_t off = 0; off < kDataSize; off += page)
        t.map_page(kUnmapped + off, m.data_pa[off / kPiece], attrs);
}

}  // namespace

uint32_t MmuSetup::window_dfsc() const {
    switch (window) {
    case Window::Invalid: return 0x04 + fault_level;  // Translation fault, level n
    case Window::AccessFlag: return 0x0B;             // Access flag fault, level 3
    case Window::ReadOnly:
    case Window::El1Only: return 0x0F;                // Permission fault, level 3
    }
    return 0;
}

uint64_t data_pa(const MmuSetup* m, uint64_t va) {
    if (!m || va < kDataBase || va >= kDataBase + kDataSize) return va;
    return m->data_pa[(va - kDataBase) / kPiece] + va % kPiece;
}

MmuSetup random_mmu(Rng& r, GranuleMode) {
    // Unicorn 2.0.1 walks correctly only with the 4 KiB granule and T0SZ
    // 25, 32 or 33 (a level-1 start); other sizes and granules make every
    // fetch a Prefetch Abort there (docs/oracle-exceptions.md,
    // mmu-tcr-sizes). The full range is checked against QEMU by the
    // mmu_rules guest instead.
    static constexpr unsigned kT0sz[] = {25, 32, 33};
    MmuSetup m;
    m.grain = 12;
    m.t0sz = kT0sz[r.below(std::size(kT0sz))];
    Tables t(m.grain, m.t0sz, m.tables);
    const uint64_t page = 1ull << m.grain;

    // Code and vectors: EL1 read/write or read-only, never EL0-writable
    // (which would make them PXN, D8.4.1.2); UXN = 0, as Unicorn will not
    // fetch at EL1 from a UXN page (docs/oracle-exceptions.md, mmu-uxn-el1-fetch).
    const uint64_t code = kAF | sh(3) | attr_indx(0) | ap(r.coin() ? 0 : 2);
    for (uint64_t va = kRamBase; va < kRamBase + 0x10000; va += page) t.map_page(va, va, code);
    t.map_page(kVbar & ~(page - 1), kVbar & ~(page - 1), code);

    // Data: EL0 and EL1 read/write (LDTR/STTR reach it), moved or not.
    if (r.coin())
        m.data_pa = m.grain == 12 ? std::array<uint64_t, 2>{kDataAlias + kPiece, kDataAlias}
                                  : std::array<uint64_t, 2>{kDataAlias, kDataAlias + kPiece};
    const uint64_t data = kAF | sh(r.below(4)) | attr_indx(r.below(kMairAttrs)) | ap(1) | kUXN | kPXN |
                          (r.coin() ? kNG : 0);
    for (uint64_t off = 0; off < kDataSize; off += page) t.map_page(kDataBase + off, m.data_pa[off / kPiece], data);
    m.data_pte = t.slot(kDataBase, 3);

    m.window = Window(r.below(4));
    const uint64_t window = sh(3) | attr_indx(r.below(kMairAttrs)) | kUXN | kPXN;
    switch (m.window) {
    case Window::Invalid: {
        const unsigned free = t.first_free_level(kUnmapped);
        m.fault_level = free + r.below(4 - free);
        if (m.fault_level > free) t.slot(kUnmapped, m.fault_level);  // tables down to it
        break;
    }
    case Window::AccessFlag: map_alias(t, m, window | ap(1)); break;
    case Window::ReadOnly:
        m.window_el0_readable = r.coin();
        map_alias(t, m, window | kAF | ap(m.window_el0_readable ? 3 : 2));
        break;
    case Window::El1Only: map_alias(t, m, window | kAF | ap(0)); break;
    }

    const uint64_t asid = r.next() & 0xFFFF;
    m.ttbr0 = t.root() | asid << 48;
    m.tcr = m.t0sz | kTg0_4K | kTg1_4K | kEpd1 | kIps48 | (r.coin() ? kAs16 : 0) |
            (r.coin() ? kTbi0 : 0) | (r.next() & 0x3F00);  // IRGN0, ORGN0, SH0
    m.mair = kMair;
    m.sctlr = kSctlrReset | kSctlrM | (r.coin() ? kSctlrC : 0) | (r.coin() ? kSctlrI : 0);
    return m;
}

}  // namespace difftest
