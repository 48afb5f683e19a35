// Advanced SIMD three same / three different: the edges a random difftest
// rarely reaches (saturation and FPSR.QC, shifts by more than the element,
// PMULL2's 128-bit product, the "2" narrowing forms) and the reserved
// encodings around the implemented ones. Expected values follow each
// instruction's Operation pseudocode (ARM ARM DDI 0487 K.a, C7.2).
#include <gtest/gtest.h>

#include "arch/fpsimd.h"
#include "tests/cpu/dp_test_util.h"
#include "tests/cpu/simd_harness.h"

namespace cpu::test {
namespace {

// Runs one instruction with V1 = n, V2 = m and V0 = d.
struct ThreeHarness : SimdHarness {
    uint32_t fpsr() const { return cpu.state().fpsr; }
    void run(uint32_t word, VReg n, VReg m, VReg d = {}) {
        v(0) = d, v(1) = n, v(2) = m;
        SimdHarness::run(word);
        ASSERT_EQ(pc(), kCodeBase + 4);
    }
};

constexpr uint32_t kQC = arch::fpsr::kQC;

TEST(SimdThree, SqaddSaturatesAndSetsQc) {
    ThreeHarness h;
    h.run(0x4ee20c20,  // sqadd v0.2d, v1.2d, v2.2d
          VReg::from_u64(0x7FFF'FFFF'FFFF'FFFF, uint64_t(-5)), VReg::from_u64(1, 3));
    EXPECT_EQ(h.v(0), VReg::from_u64(0x7FFF'FFFF'FFFF'FFFF, uint64_t(-2)));
    EXPECT_EQ(h.fpsr(), kQC);
}

// The shift is the signed low byte of each Rm element, up to +-128.
TEST(SimdThree, SqshlByMoreThanTheElementSaturates) {
    ThreeHarness h;
    const VReg n = VReg::from_u64(0xFFFF'FFFF'0000'0001, 0x4000'0000'0000'0000);
    const VReg m = VReg::from_u64(0x0000'007F'1234'567F, 0x0000'0001'0000'00C8);
    h.run(0x4ea24c20, n, m);  // sqshl v0.4s, v1.4s, v2.4s
    EXPECT_EQ(h.v(0), VReg::from_u64(0x8000'0000'7FFF'FFFF, 0x7FFF'FFFF'0000'0000));
    EXPECT_EQ(h.fpsr(), kQC);
}

TEST(SimdThree, SrshlRoundsAFarRightShift) {
    ThreeHarness h;
    // (INT64_MIN + 2^62) >> 63 = -1; the scalar form zeroes bits 127:64.
    h.run(0x5ee25420,  // srshl d0, d1, d2
          VReg::from_u64(0x8000'0000'0000'0000), VReg::from_u64(0xC1), VReg::from_u64(0, 7));
    EXPECT_EQ(h.v(0), VReg::from_u64(~0ull));
    h.run(0x5ee25420, VReg::from_u64(~0ull), VReg::from_u64(0x80));  // shift -128
    EXPECT_EQ(h.v(0), VReg{});
    h.run(0x7ee24420, VReg::from_u64(1), VReg::from_u64(64));  // ushl d0, d1, d2
    EXPECT_EQ(h.v(0), VReg{});
    EXPECT_EQ(h.fpsr(), 0u);
}

TEST(SimdThree, SqdmulhSaturatesOnlyMinTimesMin) {
    ThreeHarness h;
    h.run(0x0e62b420,  // sqdmulh v0.4h, v1.4h, v2.4h
          VReg::from_u64(0x0000'8000'4000'8000, ~0ull),
          VReg::from_u64(0x0000'7FFF'4000'8000, ~0ull));
    EXPECT_EQ(h.v(0), VReg::from_u64(0x0000'8001'2000'7FFF));
    EXPECT_EQ(h.fpsr(), kQC);
}

TEST(SimdThree, PolynomialMultiplies) {
    ThreeHarness h;
    // (x^63 + 1)(x + 1) = x^64 + x^63 + x + 1, from the upper doublewords.
    h.run(0x4ee2e020,  // pmull2 v0.1q, v1.2d, v2.2d
          VReg::from_u64(5, 0x8000'0000'0000'0001), VReg::from_u64(9, 3));
    EXPECT_EQ(h.v(0), VReg::from_u64(0x8000'0000'0000'0003, 1));
    h.run(0x0e22e020, VReg::from_u64(0x02FF, ~0ull), VReg::from_u64(0x03FF, ~0ull));  // pmull v0.8h
    EXPECT_EQ(h.v(0), VReg::from_u64(0x0006'5555));
}

TEST(SimdThree, AddhnWritesTheHalfItsQSelects) {
    ThreeHarness h;
    const VReg n = VReg::from_u64(0x12FF'12FF'12FF'12FF, 0x12FF'12FF'12FF'12FF);
    const VReg m = VReg::from_u64(0x0001'0001'0001'0001, 0x0001'0001'0001'0001);
    const VReg d = VReg::from_u64(0x1122'3344'5566'7788, 0x99);
    h.run(0x4e224020, n, m, d);  // addhn2 v0.16b, v1.8h, v2.8h
    EXPECT_EQ(h.v(0), VReg::from_u64(0x1122'3344'5566'7788, 0x1313'1313'1313'1313));
    h.run(0x0e224020, n, m, d);  // addhn v0.8b, v1.8h, v2.8h
    EXPECT_EQ(h.v(0), VReg::from_u64(0x1313'1313'1313'1313));
}

TEST(SimdThree, SqdmlalSaturatesTheProductAndTheSum) {
    ThreeHarness h;
    h.run(0x5ea29020,  // sqdmlal d0, s1, s2
          VReg::from_u64(0x8000'0000), VReg::from_u64(0x8000'0000), VReg::from_u64(1, 1));
    EXPECT_EQ(h.v(0), VReg::from_u64(0x7FFF'FFFF'FFFF'FFFF));
    EXPECT_EQ(h.fpsr(), kQC);
}

TEST(SimdThree, ReservedAndUnimplementedEncodingsAreUndefined) {
    for (uint32_t word : {
             0x4ee20420u,  // SHADD, size 11
             0x0ee28420u,  // ADD, size 11 with Q 0
             0x0e62d420u,  // FADD, sz 1 with Q 0
             0x0e22b420u,  // SQDMULH, size 00
             0x2e629c20u,  // PMUL, size 01
             0x4ee2a420u,  // SMAXP, size 11
             0x5ea23420u,  // CMGT (scalar), size 10
             0x0e62e020u,  // PMULL, size 01
             0x4ee29020u,  // SQDMLAL, size 11
             0x5e229020u,  // SQDMLAL (scalar), size 00
             0x0e421420u,  // FADD v0.4h (FEAT_FP16)
             0x2e428420u,  // SQRDMLAH v0.4h (FEAT_RDM)
             0x0e22ec20u,  // FMLAL v0.2s (FEAT_FHM)
         })
        expect_undefined(word);
}

}  // namespace
}  // namespace cpu::test
