// Stage-1 walks that succeed: granules, table sizes, both TTBRs, blocks,
// TBI (DDI 0487 K.a D8.2 "Translation process", AArch64.S1Walk).
#include <gtest/gtest.h>

#include "tests/cpu/mmu_harness.h"

namespace cpu::test {
namespace {

constexpr uint32_t kLdrX0 = 0xf9400020;  // ldr x0, [x1]
constexpr uint32_t kStrX2 = 0xf9000022;  // str x2, [x1]

// A load through a VA mapped to a different PA reads the PA.
void expect_load_through(MmuHarness& h, uint64_t va, uint64_t pa) {
    h.put64(pa, 0x1122334455667788);
    h.code({kLdrX0});
    h.x(1) = va;
    h.enable();
    ASSERT_EQ(h.step(1), Stop::Irq);
    EXPECT_EQ(h.x(0), 0x1122334455667788u) << std::hex << va;
    EXPECT_EQ(h.pc(), kCodeBase + 4);
}

// D8.2.7: 4 KiB granule, 48-bit VA (T0SZ = 16): lookup starts at level 0.
TEST(MmuWalk, FourLevels4K) {
    MmuHarness h(12, 16);
    EXPECT_EQ(h.start_level(0), 0u);
    h.map(0x0000123456789000, kPageData, desc::kNormal);
    expect_load_through(h, 0x0000123456789008, kPageData + 8);
}

// T0SZ = 25 (39-bit VA) with 4 KiB: lookup starts at level 1.
TEST(MmuWalk, ThreeLevels4K) {
    MmuHarness h(12, 25);
    EXPECT_EQ(h.start_level(0), 1u);
    h.map(0x7F12345000, kPageData, desc::kNormal);
    expect_load_through(h, 0x7F12345010, kPageData + 0x10);
}

// 16 KiB granule (TG0 = 0b10): 48-bit VA starts at level 0 with 2 entries.
TEST(MmuWalk, Granule16K) {
    MmuHarness h(14, 16);
    EXPECT_EQ(h.start_level(0), 0u);
    h.map(0x0000800012344000, kPageData, desc::kNormal);  // kPageData is 16 KiB aligned
    expect_load_through(h, 0x0000800012346ff8, kPageData + 0x2ff8);
}

// 64 KiB granule (TG0 = 0b01): 48-bit VA starts at level 1.
TEST(MmuWalk, Granule64K) {
    MmuHarness h(16, 16);
    EXPECT_EQ(h.start_level(0), 1u);
    h.map(0x0000ABCD00020000, kPageData - 0x20000 + 0x20000, desc::kNormal);
    expect_load_through(h, 0x0000ABCD0002F000, kPageData + 0xF000);
}

// VA bit 55 = 1 selects TTBR1_EL1 with T1SZ and TG1 (TG1 = 0b10 is 4 KiB).
TEST(MmuWalk, Ttbr1HighAddress) {
    MmuHarness h(12, 16, 16);
    h.map(0xFFFF000000042000, kPageData, desc::kNormal);
    expect_load_through(h, 0xFFFF000000042100, kPageData + 0x100);
}

// TTBR1 with its own size: T1SZ = 30 (34-bit upper range, start level 1).
TEST(MmuWalk, Ttbr1OwnSize) {
    MmuHarness h(12, 16, 30);
    EXPECT_EQ(h.start_level(1), 1u);
    h.map(0xFFFFFFFF00001000, kPageData, desc::kNormal);
    expect_load_through(h, 0xFFFFFFFF00001040, kPageData + 0x40);
}

// Block descriptors: 1 GiB at level 1 and 2 MiB at level 2 with 4 KiB.
TEST(MmuWalk, Level1Block) {
    MmuHarness h(12, 16);
    h.map(0x0000008040000000, 0x40000000, desc::kNormal, 1);  // 1 GiB -> RAM
    expect_load_through(h, 0x0000008040000000 + (kPageData - kRamBase) + 0x18, kPageData + 0x18);
}

TEST(MmuWalk, Level2Block) {
    MmuHarness h(12, 16);
    h.map(0x0000000080000000, 0x40000000, desc::kNormal, 2);  // 2 MiB -> RAM
    expect_load_through(h, 0x0000000080000000 + (kPageData - kRamBase), kPageData);
}

// 64 KiB granule, level-2 block of 512 MiB.
TEST(MmuWalk, Level2Block64K) {
    MmuHarness h(16, 16);
    h.map(0x0000100000000000, 0x40000000, desc::kNormal, 2);
    expect_load_through(h, 0x0000100000000000 + (kPageData - kRamBase) + 8, kPageData + 8);
}

// TCR_EL1.TBI0 = 1: the top byte of a data address is ignored.
TEST(MmuWalk, TopByteIgnored) {
    MmuHarness h(12, 16);
    h.cpu.state().el1.tcr |= tcr::kTbi0;
    h.map(0x0000000012345000, kPageData, desc::kNormal);
    expect_load_through(h, 0x5A00000012345000, kPageData);
}

// A store reaches the mapped PA too.
TEST(MmuWalk, StoreThroughMapping) {
    MmuHarness h(12, 16);
    h.map(0x0000000010000000, kPageData, desc::kNormal);
    h.code({kStrX2});
    h.x(1) = 0x0000000010000010;
    h.x(2) = 0xCAFE;
    h.enable();
    ASSERT_EQ(h.step(1), Stop::Irq);
    EXPECT_EQ(h.read64(kPageData + 0x10), 0xCAFEu);
}

// Instruction fetch translates too: code at a VA far from its PA runs.
TEST(MmuWalk, FetchThroughMapping) {
    MmuHarness h(12, 16);
    h.map(0x0000004000000000, kPageData, desc::kNormal);
    h.put32(kPageData, 0xd2800040);  // mov x0, #2
    h.code({0xd61f0020});        // br x1
    h.x(1) = 0x0000004000000000;
    h.enable();
    ASSERT_EQ(h.step(2), Stop::Irq);
    EXPECT_EQ(h.x(0), 2u);
    EXPECT_EQ(h.pc(), 0x0000004000000004u);
}

// TG1 encodes granules differently from TG0: 0b01 = 16 KiB, 0b11 = 64 KiB.
TEST(MmuWalk, Ttbr1Granule16K) {
    MmuHarness h(14, 16, 16);
    EXPECT_EQ(h.el1().tcr >> 30 & 3, 1u);
    h.map(0xFFFF800000004000, kPageData, desc::kNormal);
    expect_load_through(h, 0xFFFF800000004008, kPageData + 8);
}

TEST(MmuWalk, Ttbr1Granule64K) {
    MmuHarness h(16, 16, 16);
    EXPECT_EQ(h.el1().tcr >> 30 & 3, 3u);
    h.map(0xFFFF000000010000, kPageData, desc::kNormal);
    expect_load_through(h, 0xFFFF00000001A000, kPageData + 0xA000);
}

// T0SZ below 16 is CONSTRAINED UNPREDICTABLE; stepvisor forces 16
// (docs/architecture-choices.md): tables built for a 48-bit VA still work.
TEST(MmuWalk, TxSzBelowMinimumIsForcedTo16) {
    MmuHarness h(12, 16);
    h.map(0x0000123456789000, kPageData, desc::kNormal);
    h.cpu.state().el1.tcr = (h.el1().tcr & ~0x3Full) | 8;
    expect_load_through(h, 0x0000123456789000, kPageData);
}

}  // namespace
}  // namespace cpu::test
