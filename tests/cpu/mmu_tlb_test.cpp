// The TLB and what maintains it: stale translations until TLBI, ASID
// tagging, global entries, AT into PAR_EL1, code remapping and
// self-modifying code with the MMU on, the exclusive monitor by IPA
// (DDI 0487 K.a D8.16 "Translation Lookaside Buffers (TLBs)", C5.5 "A64
// System instructions for TLB maintenance / address translation",
// D24.2.142 PAR_EL1).
#include <gtest/gtest.h>

#include "tests/cpu/mmu_harness.h"

namespace cpu::test {
namespace {

using namespace desc;

constexpr uint32_t kLdrX0 = 0xf9400020;  // ldr x0, [x1]
constexpr uint32_t kLdrX5 = 0xf9400025;  // ldr x5, [x1]
constexpr uint32_t kLdrX6 = 0xf9400026;  // ldr x6, [x1]
constexpr uint32_t kTlbiVae1 = 0xd5088723;     // tlbi vae1, x3
constexpr uint32_t kTlbiVale1 = 0xd50887a3;    // tlbi vale1, x3
constexpr uint32_t kTlbiVaae1 = 0xd5088763;    // tlbi vaae1, x3
constexpr uint32_t kTlbiAside1 = 0xd5088743;   // tlbi aside1, x3
constexpr uint32_t kTlbiVmalle1 = 0xd508871f;  // tlbi vmalle1
constexpr uint32_t kTlbiVmalle1is = 0xd508831f;  // tlbi vmalle1is
constexpr uint32_t kNop = 0xd503201f;          // nop
constexpr uint64_t kVa = 0x10000000;
constexpr uint64_t kAsid = 5;

// Caches kVa -> kPageData (holding 1) under ASID kAsid, then points the
// descriptor at kPageData + 0x1000 (holding 2) without TLBI.
MmuHarness& stale_setup(MmuHarness& h, uint64_t attrs = kNormal | kNG) {
    h.cpu.state().el1.ttbr0 |= kAsid << 48;
    h.map(kVa, kPageData, attrs);
    h.put64(kPageData, 1);
    h.put64(kPageData + 0x1000, 2);
    h.x(1) = kVa;
    h.enable();
    return h;
}

// Runs: ldr x0 (caches), [descriptor rewritten], ldr x5, <maintenance>, ldr x6.
void run_stale(MmuHarness& h, uint32_t maintenance, uint64_t x3) {
    h.code({kLdrX0, kLdrX5, maintenance, kLdrX6});
    h.x(3) = x3;
    ASSERT_EQ(h.step(1), Stop::Irq);
    ASSERT_EQ(h.x(0), 1u);
    h.map(kVa, kPageData + 0x1000, kNormal | kNG);  // no TLBI
    ASSERT_EQ(h.step(3), Stop::Irq);
    EXPECT_EQ(h.x(5), 1u) << "the TLB keeps the old translation until TLBI";
}

TEST(MmuTlb, StaleUntilTlbiVae1) {
    MmuHarness h;
    run_stale(stale_setup(h), kTlbiVae1, kAsid << 48 | kVa >> 12);
    EXPECT_EQ(h.x(6), 2u);
}

TEST(MmuTlb, TlbiVale1) {
    MmuHarness h;
    run_stale(stale_setup(h), kTlbiVale1, kAsid << 48 | kVa >> 12);
    EXPECT_EQ(h.x(6), 2u);
}

// TLBI VAE1 with another ASID leaves a non-global entry alone.
TEST(MmuTlb, TlbiVae1OtherAsidKeepsEntry) {
    MmuHarness h;
    run_stale(stale_setup(h), kTlbiVae1, (kAsid + 1) << 48 | kVa >> 12);
    EXPECT_EQ(h.x(6), 1u);
}

// TLBI VAE1 of another page leaves this one alone.
TEST(MmuTlb, TlbiVae1OtherPageKeepsEntry) {
    MmuHarness h;
    run_stale(stale_setup(h), kTlbiVae1, kAsid << 48 | (kVa + 0x1000) >> 12);
    EXPECT_EQ(h.x(6), 1u);
}

TEST(MmuTlb, TlbiAside1) {
    MmuHarness h;
    run_stale(stale_setup(h), kTlbiAside1, kAsid << 48);
    EXPECT_EQ(h.x(6), 2u);
}

TEST(MmuTlb, TlbiVmalle1) {
    MmuHarness h;
    run_stale(stale_setup(h), kTlbiVmalle1, 0);
    EXPECT_EQ(h.x(6), 2u);
}

TEST(MmuTlb, TlbiVmalle1is) {
    MmuHarness h;
    run_stale(stale_setup(h), kTlbiVmalle1is, 0);
    EXPECT_EQ(h.x(6), 2u);
}

// nG = 0: a global entry survives TLBI ASIDE1 but not TLBI VAAE1.
TEST(MmuTlb, GlobalEntrySurvivesAside1) {
    MmuHarness h;
    run_stale(stale_setup(h, kNormal), kTlbiAside1, kAsid << 48);
    EXPECT_EQ(h.x(6), 1u);

    MmuHarness v;
    run_stale(stale_setup(v, kNormal), kTlbiVaae1, kVa >> 12);
    EXPECT_EQ(v.x(6), 2u);
}

// TLBI by VA removes a whole 2 MiB block cached through any of its pages.
TEST(MmuTlb, TlbiVaRemovesBlock) {
    MmuHarness h;
    h.map(0x80000000, kRamBase, kNormal | kNG, 2);
    h.code({kLdrX0, kTlbiVae1, kLdrX5});
    h.x(1) = 0x80000000 + (kPageData - kRamBase);
    h.x(3) = 0x80100000 >> 12;  // another page of the same block
    h.put64(kPageData, 1);
    h.enable();
    ASSERT_EQ(h.step(1), Stop::Irq);
    h.put64(h.slot(0x80000000, 2), 0);  // unmap
    ASSERT_EQ(h.step(2), Stop::Irq);   // ldr x5 faults: its walk finds nothing
    EXPECT_EQ(h.ec(), arch::EC::DataAbortCur);
    EXPECT_EQ(h.fsc(), 0x06u);
}

// The same for a 1 GiB block, by a page 256 MiB from the one cached: the
// TLBI's page is in another 2 MiB region than the block's start.
TEST(MmuTlb, TlbiVaRemovesGigabyteBlock) {
    MmuHarness h;
    h.map(0x80000000, kRamBase, kNormal | kNG, 1);
    h.code({kLdrX0, kTlbiVae1, kLdrX5});
    h.x(1) = 0x80000000 + (kPageData - kRamBase);
    h.x(3) = 0x90000000 >> 12;
    h.put64(kPageData, 1);
    h.enable();
    ASSERT_EQ(h.step(1), Stop::Irq);
    ASSERT_EQ(h.x(0), 1u);
    h.put64(h.slot(0x80000000, 1), 0);  // unmap
    ASSERT_EQ(h.step(2), Stop::Irq);
    EXPECT_EQ(h.ec(), arch::EC::DataAbortCur);
    EXPECT_EQ(h.fsc(), 0x05u);  // translation fault, level 1
}

// A TTBR0 write switches the ASID used for lookups: another ASID does not
// hit a non-global entry and walks afresh.
TEST(MmuTlb, OtherAsidMisses) {
    MmuHarness h;
    stale_setup(h);
    h.code({kLdrX0, 0xd5182005 /* msr ttbr0_el1, x5 */, 0xd5033fdf /* isb */, kLdrX6});
    h.x(5) = (h.el1().ttbr0 & ~(0xFFFFull << 48)) | 9ull << 48;
    ASSERT_EQ(h.step(1), Stop::Irq);
    h.map(kVa, kPageData + 0x1000, kNormal | kNG);
    ASSERT_EQ(h.step(3), Stop::Irq);
    EXPECT_EQ(h.x(6), 2u);
}

// TTBR writes do not flush the TLB: back on the first ASID, its stale
// entry is still used.
TEST(MmuTlb, TtbrWriteDoesNotFlush) {
    MmuHarness h;
    stale_setup(h);
    h.code({kLdrX0, 0xd5182005 /* msr ttbr0_el1, x5 */, 0xd5033fdf /* isb */,
            0xd5182007 /* msr ttbr0_el1, x7 */, 0xd5033fdf /* isb */, kLdrX6});
    h.x(7) = h.el1().ttbr0;
    h.x(5) = (h.el1().ttbr0 & ~(0xFFFFull << 48)) | 9ull << 48;
    ASSERT_EQ(h.step(1), Stop::Irq);
    h.map(kVa, kPageData + 0x1000, kNormal | kNG);
    ASSERT_EQ(h.step(5), Stop::Irq);
    EXPECT_EQ(h.x(6), 1u);
}

// TCR_EL1.A1 = 1: the ASID comes from TTBR1_EL1 (here 5), not TTBR0_EL1.
TEST(MmuTlb, A1SelectsTtbr1Asid) {
    MmuHarness h;
    h.cpu.state().el1.tcr |= tcr::kA1;
    h.cpu.state().el1.ttbr1 |= kAsid << 48;
    h.map(kVa, kPageData, kNormal | kNG);
    h.put64(kPageData, 1);
    h.put64(kPageData + 0x1000, 2);
    h.x(1) = kVa;
    h.enable();
    run_stale(h, kTlbiAside1, kAsid << 48);
    EXPECT_EQ(h.x(6), 2u);
}

// TCR_EL1.AS = 0: 8-bit ASIDs, so TLBI ASIDE1 ignores ASID[15:8].
TEST(MmuTlb, EightBitAsids) {
    MmuHarness h;
    h.cpu.state().el1.tcr &= ~tcr::kAs16;
    run_stale(stale_setup(h), kTlbiAside1, (0x100 | kAsid) << 48);
    EXPECT_EQ(h.x(6), 2u);
}

// Two PEs of one Inner Shareable domain: `a` caches kVa, its descriptor
// changes without TLBI, then `b` runs one TLB maintenance instruction.
// Returns what `a` reads at kVa afterwards: 1 (stale) or 2 (maintained).
uint64_t after_maintenance_by_other_pe(uint32_t tlbi, uint64_t hcr_b = 0) {
    MmuHarness a, b;
    a.cpu.set_shareable_domain({&a.cpu, &b.cpu});
    b.cpu.set_shareable_domain({&a.cpu, &b.cpu});
    stale_setup(a);
    a.code({kLdrX0, kLdrX5});
    EXPECT_EQ(a.step(1), Stop::Irq);
    a.map(kVa, kPageData + 0x1000, kNormal | kNG);
    b.cpu.state().el2.hcr |= hcr_b;
    b.code({tlbi, kNop});
    b.x(3) = kAsid << 48 | kVa >> 12;
    EXPECT_EQ(b.step(1), Stop::Irq);
    EXPECT_EQ(a.step(1), Stop::Irq);
    return a.x(5);
}

// D8.16.3: the IS forms reach every PE of the domain; the others only the
// PE that runs them, unless HCR_EL2.FB forces the broadcast (as KVM sets).
TEST(MmuTlb, InnerShareableFormsReachOtherPes) {
    EXPECT_EQ(after_maintenance_by_other_pe(kTlbiVmalle1is), 2u);
    EXPECT_EQ(after_maintenance_by_other_pe(0xd50883a3 /* tlbi vale1is, x3 */), 2u);
    EXPECT_EQ(after_maintenance_by_other_pe(0xd5088343 /* tlbi aside1is, x3 */), 2u);
}

TEST(MmuTlb, LocalFormsStayLocalWithoutForceBroadcast) {
    EXPECT_EQ(after_maintenance_by_other_pe(kTlbiVmalle1), 1u);
    EXPECT_EQ(after_maintenance_by_other_pe(kTlbiVale1), 1u);
    EXPECT_EQ(after_maintenance_by_other_pe(kTlbiVmalle1, hcr::kFB), 2u);
    EXPECT_EQ(after_maintenance_by_other_pe(kTlbiVale1, hcr::kFB), 2u);
}

// AT S1E1R: success writes PAR_EL1 with the PA, SH, ATTR and bit 11 (RES1).
TEST(MmuAt, S1E1RSuccess) {
    MmuHarness h;
    h.map(kVa, kPageData, kNormal);
    h.code({0xd5087801 /* at s1e1r, x1 */, 0xd5387400 /* mrs x0, par_el1 */});
    h.x(1) = kVa + 0x123;
    h.enable();
    ASSERT_EQ(h.step(2), Stop::Irq);
    EXPECT_EQ(h.x(0), 0xFFull << 56 | kPageData | 3ull << 7 | 1ull << 11);
}

// Device memory reports ATTR 0x00 and SH = 0b10.
TEST(MmuAt, S1E1RDevice) {
    MmuHarness h;
    h.map(kVa, kPageData, kAF | kAttrDev);
    h.code({0xd5087801 /* at s1e1r, x1 */});
    h.x(1) = kVa;
    h.enable();
    ASSERT_EQ(h.step(1), Stop::Irq);
    EXPECT_EQ(h.el1().par, kPageData | 2ull << 7 | 1ull << 11);
}

// Faults: F = 1, FST = the fault status, no exception.
TEST(MmuAt, FaultsReportInPar) {
    struct Case { uint32_t insn; uint64_t attrs; uint64_t fst; } cases[] = {
        {0xd5087841 /* at s1e0r, x1 */, kNormal, 0x0F},          // EL1-only page
        {0xd5087821 /* at s1e1w, x1 */, kNormal | kApRo, 0x0F},  // read-only
        {0xd5087861 /* at s1e0w, x1 */, kNormal | kApEl0 | kApRo, 0x0F},
        {0xd5087801 /* at s1e1r, x1 */, kNormal & ~kAF, 0x0B},   // Access flag
        {0xd5087801 /* at s1e1r, x1 */, 0, 0x05},                // no level-1 entry
    };
    for (const Case& c : cases) {
        MmuHarness h;
        if (c.attrs) h.map(kVa, kPageData, c.attrs);
        h.code({c.insn, kNop});
        h.x(1) = kVa;
        h.enable();
        ASSERT_EQ(h.step(2), Stop::Irq);
        EXPECT_EQ(h.pc(), kCodeBase + 8) << "no exception";
        EXPECT_EQ(h.el1().par, 1ull << 11 | c.fst << 1 | 1) << std::hex << c.insn;
    }
}

// EL0 permissions pass for an EL0-readable page.
TEST(MmuAt, S1E0RSuccess) {
    MmuHarness h;
    h.map(kVa, kPageData, kNormal | kApEl0);
    h.code({0xd5087841 /* at s1e0r, x1 */});
    h.x(1) = kVa;
    h.enable();
    ASSERT_EQ(h.step(1), Stop::Irq);
    EXPECT_EQ(h.el1().par & 1, 0u);
    EXPECT_EQ(h.el1().par & 0xFFFFFFFFF000ull, kPageData);
}

// A stage 2 fault on AT's walk goes to EL2 (S1PTW = 1, CM = 1).
TEST(MmuAt, Stage2FaultOnWalkGoesToEl2) {
    MmuHarness h;
    h.cpu.state().el1.ttbr1 = 0x10000000;
    h.code({0xd5087801 /* at s1e1r, x1 */});
    h.x(1) = 0xFFFF000000001000;
    h.enable();
    ASSERT_EQ(h.step(1), Stop::Trap);
    const uint32_t iss = arch::esr_iss(h.cpu.state().el2.esr);
    EXPECT_EQ(arch::esr_ec(h.cpu.state().el2.esr), arch::EC::DataAbortLow);
    EXPECT_TRUE(iss & arch::dabt::kS1PTW);
    EXPECT_TRUE(iss & (1u << 8));  // CM
}

// A VA remapped to other code runs the new code after TLBI (blocks are
// keyed by IPA, the PC is translated at each block), and the old code
// until then.
TEST(MmuCode, RemappedCodeRunsAfterTlbi) {
    MmuHarness h;
    constexpr uint64_t kFn = 0x20000000;
    h.map(kFn, kPageData, kNormal);
    h.put32(kPageData, 0xd2800020);           // mov x0, #1
    h.put32(kPageData + 0x1000, 0xd2800040);  // mov x0, #2
    h.code({kTlbiVmalle1, 0xd61f0020 /* br x1 */});
    h.x(1) = kFn;
    h.enable();
    h.cpu.state().pc = kFn;
    ASSERT_EQ(h.step(1), Stop::Irq);
    EXPECT_EQ(h.x(0), 1u);
    h.map(kFn, kPageData + 0x1000, kNormal);  // remap without TLBI
    h.cpu.state().pc = kFn;
    ASSERT_EQ(h.step(1), Stop::Irq);
    EXPECT_EQ(h.x(0), 1u) << "stale TLB entry: the old code";
    h.cpu.state().pc = kCodeBase;
    ASSERT_EQ(h.step(3), Stop::Irq);
    EXPECT_EQ(h.x(0), 2u);
}

// Self-modifying code through an alias VA: the store hits the IPA of the
// next instruction, which runs modified.
TEST(MmuCode, SelfModifyingThroughAlias) {
    MmuHarness h;
    constexpr uint64_t kFn = 0x20000000, kAlias = 0x30000000;
    h.map(kFn, kPageData, kNormal);
    h.map(kAlias, kPageData, kNormal);
    h.put32(kPageData, 0xb9000022);      // str w2, [x1]
    h.put32(kPageData + 4, 0xd2800020);  // mov x0, #1
    h.x(1) = kAlias + 4;
    h.x(2) = 0xd2800040;             // mov x0, #2
    h.enable();
    h.cpu.state().pc = kFn;
    ASSERT_EQ(h.step(2), Stop::Irq);
    EXPECT_EQ(h.x(0), 2u);
}

// The exclusive monitor holds the IPA: a store-exclusive through another VA
// of the same location passes (AArch64.ExclusiveMonitorsPass).
TEST(MmuExclusive, MonitorTaggedWithIpa) {
    MmuHarness h;
    h.map(kVa, kPageData, kNormal);
    h.map(kVa + 0x100000, kPageData, kNormal);
    h.code({0xc85f7c20 /* ldxr x0, [x1] */, 0xc8057c82 /* stxr w5, x2, [x4] */});
    h.x(1) = kVa + 8;
    h.x(4) = kVa + 0x100000 + 8;
    h.x(2) = 42;
    h.x(5) = 7;
    h.enable();
    ASSERT_EQ(h.step(2), Stop::Irq);
    EXPECT_EQ(h.x(5), 0u);
    EXPECT_EQ(h.read64(kPageData + 8), 42u);
}

}  // namespace
}  // namespace cpu::test
