// Advanced SIMD table lookup, permute and extract (ARM ARM DDI 0487 K.a,
// C7.2 TBL, TBX, UZP1/2, TRN1/2, ZIP1/2, EXT): lanes move, a 64-bit result
// clears the upper half, reserved encodings are UNDEFINED.
#include <gtest/gtest.h>

#include <cstdint>

#include "arch/esr.h"
#include "tests/cpu/simd_harness.h"

namespace cpu::test {
namespace {

// Byte k of the register is base + k.
VReg counting(uint8_t base) {
    VReg v;
    for (unsigned k = 0; k < 16; ++k) v.set(8, k, uint8_t(base + k));
    return v;
}

struct Permute : ::testing::Test {
    SimdHarness h;
    void SetUp() override {
        h.v(0) = VReg::from_u64(0xdeaddeaddeaddead, 0xdeaddeaddeaddead);
        h.v(1) = counting(0x00);
        h.v(2) = counting(0x10);
    }
    void expect_undefined() {
        EXPECT_EQ(h.cpu.state().el1.esr >> 26, uint64_t(arch::EC::Unknown));
        EXPECT_EQ(h.pc(), h.cpu.state().el1.vbar + 0x200);
        EXPECT_EQ(h.v(0), VReg::from_u64(0xdeaddeaddeaddead, 0xdeaddeaddeaddead));
    }
};

TEST_F(Permute, Uzp1AndUzp2TakeEvenAndOddElementsOfTheConcatenation) {
    h.run(0x0e021820);  // uzp1 v0.8b, v1.8b, v2.8b
    EXPECT_EQ(h.v(0), VReg::from_u64(0x1614121006040200, 0));
    h.run(0x0e025820);  // uzp2 v0.8b, v1.8b, v2.8b
    EXPECT_EQ(h.v(0), VReg::from_u64(0x1715131107050301, 0));
    h.run(0x4e425820);  // uzp2 v0.8h, v1.8h, v2.8h
    EXPECT_EQ(h.v(0), VReg::from_u64(0x0f0e0b0a07060302, 0x1f1e1b1a17161312));
}

TEST_F(Permute, Trn1AndTrn2InterleaveTheEvenOrOddElementsOfEachPair) {
    h.run(0x4e022820);  // trn1 v0.16b, v1.16b, v2.16b
    EXPECT_EQ(h.v(0), VReg::from_u64(0x1606140412021000, 0x1e0e1c0c1a0a1808));
    h.run(0x4ec26820);  // trn2 v0.2d, v1.2d, v2.2d
    EXPECT_EQ(h.v(0), VReg::from_u64(0x0f0e0d0c0b0a0908, 0x1f1e1d1c1b1a1918));
}

TEST_F(Permute, Zip1AndZip2InterleaveTheLowOrHighHalves) {
    h.run(0x0e423820);  // zip1 v0.4h, v1.4h, v2.4h
    EXPECT_EQ(h.v(0), VReg::from_u64(0x1312030211100100, 0));
    h.run(0x4e827820);  // zip2 v0.4s, v1.4s, v2.4s
    EXPECT_EQ(h.v(0), VReg::from_u64(0x1b1a19180b0a0908, 0x1f1e1d1c0f0e0d0c));
}

TEST_F(Permute, SixtyFourBitElementsNeedQ) {
    h.run(0x0ec21820);  // uzp1 with size 11, Q 0: reserved
    expect_undefined();
}

TEST_F(Permute, ExtTakesBytesFromThePositionInRmRn) {
    h.run(0x6e026820);  // ext v0.16b, v1.16b, v2.16b, #13
    EXPECT_EQ(h.v(0), VReg::from_u64(0x14131211100f0e0d, 0x1c1b1a1918171615));
    h.run(0x2e023820);  // ext v0.8b, v1.8b, v2.8b, #7
    EXPECT_EQ(h.v(0), VReg::from_u64(0x1615141312111007, 0));
}

TEST_F(Permute, ExtOf64BitsWithAPositionPastThemIsUndefined) {
    h.run(0x2e024020);  // ext v0.8b, v1.8b, v2.8b, #8: reserved
    expect_undefined();
}

// The list {v30, v31, v0} wraps; v0 is read as a table before it is written.
TEST_F(Permute, TblZeroesOutOfRangeIndicesAndWrapsTheRegisterList) {
    h.v(30) = counting(0x00);
    h.v(31) = counting(0x10);
    h.v(0) = counting(0x20);
    h.v(3) = VReg::from_u64(0x0f2010ff302f1100, 0x0102030405060708);
    h.run(0x4e0343c0);  // tbl v0.16b, {v30.16b, v31.16b, v0.16b}, v3.16b
    EXPECT_EQ(h.v(0), VReg::from_u64(0x0f201000002f1100, 0x0102030405060708));
}

TEST_F(Permute, TbxKeepsTheDestinationByteForOutOfRangeIndices) {
    h.v(1) = counting(0x40);
    h.v(3) = VReg::from_u64(0x0010ff0f03020100, 0xffffffffffffffff);
    h.run(0x0e031020);  // tbx v0.8b, {v1.16b}, v3.8b
    EXPECT_EQ(h.v(0), VReg::from_u64(0x40adde4f43424140, 0));
}

}  // namespace
}  // namespace cpu::test
