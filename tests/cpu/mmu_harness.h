// A Harness whose guest runs with stage 1 on: the test builds translation
// tables in guest RAM, as an OS would, and sets TCR/TTBR/MAIR/SCTLR
// directly (D8.2 "Translation process", D8.3 "Translation table
// descriptor formats").
#pragma once

#include "arch/esr.h"
#include "tests/cpu/harness.h"

namespace cpu::test {

// Descriptor fields (D8.3.1, D8.3.2).
namespace desc {
inline constexpr uint64_t kValid = 1, kTable = 3, kPage = 3, kBlock = 1;
inline constexpr uint64_t kAttr0 = 0 << 2;      // MAIR attr 0: Normal WB
inline constexpr uint64_t kAttrDev = 1 << 2;    // MAIR attr 1: Device-nGnRnE
inline constexpr uint64_t kApEl0 = 1 << 6;      // AP[1]: EL0 access
inline constexpr uint64_t kApRo = 1 << 7;       // AP[2]: read-only
inline constexpr uint64_t kShInner = 3 << 8;
inline constexpr uint64_t kAF = 1 << 10;
inline constexpr uint64_t kNG = 1 << 11;
inline constexpr uint64_t kPXN = 1ull << 53, kUXN = 1ull << 54;
inline constexpr uint64_t kPXNTable = 1ull << 59, kUXNTable = 1ull << 60;
inline constexpr uint64_t kApTableNoEl0 = 1ull << 61, kApTableRo = 1ull << 62;
inline constexpr uint64_t kNormal = kAF | kShInner | kAttr0;  // EL1 RW, executable
}  // namespace desc

// TCR_EL1 fields (D24.2.x TCR_EL1).
namespace tcr {
inline constexpr uint64_t kTg0_4K = 0ull << 14, kTg0_64K = 1ull << 14, kTg0_16K = 2ull << 14;
inline constexpr uint64_t kTg1_16K = 1ull << 30, kTg1_4K = 2ull << 30, kTg1_64K = 3ull << 30;
inline constexpr uint64_t kEpd0 = 1ull << 7, kEpd1 = 1ull << 23;
inline constexpr uint64_t kA1 = 1ull << 22, kIps48 = 5ull << 32, kAs16 = 1ull << 36;
inline constexpr uint64_t kTbi0 = 1ull << 37;
inline constexpr uint64_t t0sz(uint64_t n) { return n; }
inline constexpr uint64_t t1sz(uint64_t n) { return n << 16; }
}  // namespace tcr

inline constexpr uint64_t kTables = kRamBase + 0x90000;  // after the vectors, to the end of RAM
inline constexpr uint64_t kPageData = kRamBase + 0x20000;  // data pages for the tests
inline constexpr uint64_t kSctlrWxn = 1ull << 19, kSctlrA = 1ull << 1;

struct MmuHarness : Harness {
    unsigned grain = 12;
    unsigned txsz[2] = {16, 16};
    uint64_t root[2] = {0, 0};
    uint64_t next = kTables;

    // Tables for TTBR0 (and TTBR1) with one granule and size; maps the code
    // and vector pages one-to-one (EL1 RW, executable).
    explicit MmuHarness(unsigned grain_shift = 12, unsigned t0sz = 16, unsigned t1sz = 16) {
        grain = grain_shift;
        txsz[0] = t0sz;
        txsz[1] = t1sz;
        root[0] = alloc();
        root[1] = alloc();
        auto& r = cpu.state().el1;
        const uint64_t tg0 = grain == 12 ? tcr::kTg0_4K : grain == 14 ? tcr::kTg0_16K : tcr::kTg0_64K;
        const uint64_t tg1 = grain == 12 ? tcr::kTg1_4K : grain == 14 ? tcr::kTg1_16K : tcr::kTg1_64K;
        r.tcr = tcr::t0sz(t0sz) | tcr::t1sz(t1sz) | tg0 | tg1 | tcr::kIps48 | tcr::kAs16;
        r.ttbr0 = root[0];
        r.ttbr1 = root[1];
        r.mair = 0x00FF;  // attr 0 = 0xFF (Normal WB), attr 1 = 0x00 (Device-nGnRnE)
        map(kCodeBase, kCodeBase, desc::kNormal);
        map(r.vbar, r.vbar, desc::kNormal);
    }
    void enable() { cpu.state().el1.sctlr |= 1; }

    uint64_t alloc() {
        const uint64_t size = 1ull << grain;
        next = (next + size - 1) & ~(size - 1);
        const uint64_t t = next;
        next += size;
        std::memset(&ram[t - kRamBase], 0, size);
        return t;
    }
    unsigned start_level(unsigned half) const {
        const unsigned stride = grain - 3, in = 64 - txsz[half];
        return 4 - (in - grain + stride - 1) / stride;
    }
    // The IPA of va's descriptor at `level`, creating tables above it.
    uint64_t slot(uint64_t va, unsigned level) {
        const unsigned half = (va >> 55) & 1, stride = grain - 3, in = 64 - txsz[half];
        uint64_t table = root[half];
        for (unsigned l = start_level(half);; ++l) {
            const unsigned shift = grain + stride * (3 - l);
            const unsigned n = std::min(stride, in - shift);
            const uint64_t a = table + (((va >> shift) & ((1ull << n) - 1)) << 3);
            if (l == level) return a;
            uint64_t d = get64(a);
            if (!(d & 1)) {
                d = alloc() | desc::kTable;
                put64(a, d);
            }
            table = d & 0xFFFFFFFFF000ull & ~((1ull << grain) - 1);
        }
    }
    // A page (level 3) or block (level 1/2) descriptor for va.
    void map(uint64_t va, uint64_t pa, uint64_t attrs, unsigned level = 3) {
        put64(slot(va, level), pa | attrs | (level == 3 ? desc::kPage : desc::kBlock));
    }
    void set_table_attrs(uint64_t va, unsigned level, uint64_t attrs) {
        const uint64_t a = slot(va, level);
        put64(a, get64(a) | attrs);
    }
    uint64_t read64(uint64_t ipa) const { return get64(ipa); }

    const El1Regs& el1() const { return cpu.state().el1; }
    arch::EC ec() const { return arch::esr_ec(el1().esr); }
    uint32_t fsc() const { return arch::esr_iss(el1().esr) & 0x3F; }
    bool wnr() const { return arch::esr_iss(el1().esr) & arch::dabt::kWnR; }
};

}  // namespace cpu::test
