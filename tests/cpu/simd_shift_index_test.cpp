// Advanced SIMD shift by immediate, x indexed element, copy and modified
// immediate: the rules the ARM ARM's pseudocode states at the edges (a
// shift by esize, the "2" forms' kept half, saturation and FPSR.QC, scalar
// writes zeroing the register, lanes an insert keeps), and the reserved and
// Armv8.0-absent encodings that are UNDEFINED. tests/difftest compares the
// same classes against Unicorn at random.
#include <gtest/gtest.h>

#include "arch/fpsimd.h"
#include "tests/cpu/dp_test_util.h"
#include "tests/cpu/simd_harness.h"

namespace cpu::test {
namespace {

uint32_t fpsr(SimdHarness& h) { return h.cpu.state().fpsr; }

constexpr uint64_t kOnes = ~0ull;

TEST(SimdShift, SriByEsizeKeepsTheDestination) {
    SimdHarness h;
    h.v(0) = VReg::from_u64(0x0123456789ABCDEF, 0xFEDCBA9876543210);
    h.v(1) = VReg::from_u64(kOnes, kOnes);
    h.run(0x6f404420);  // sri v0.2d, v1.2d, #64
    EXPECT_EQ(h.pc(), kCodeBase + 4);  // retired, not UNDEFINED
    EXPECT_EQ(h.v(0), VReg::from_u64(0x0123456789ABCDEF, 0xFEDCBA9876543210));
}

TEST(SimdShift, SaturatingNarrowTwoKeepsTheLowerHalfAndSetsQC) {
    SimdHarness h;
    h.v(0) = VReg::from_u64(0x1111222233334444, kOnes);
    h.v(1) = VReg::from_u64(0x7FFFFFFF'00012340, 0xFFFFFFF0'80000000);
    h.run(0x4f1c9420);  // sqshrn2 v0.8h, v1.4s, #4
    EXPECT_EQ(h.v(0), VReg::from_u64(0x1111222233334444, 0xFFFF'8000'7FFF'1234));
    EXPECT_EQ(fpsr(h), arch::fpsr::kQC);
}

TEST(SimdShift, ScalarSaturatingShiftZeroesTheRest) {
    SimdHarness h;
    h.v(0) = VReg::from_u64(kOnes, kOnes);
    h.v(1) = VReg::from_u64(0x20);
    h.run(0x7f0b7420);  // uqshl b0, b1, #3
    EXPECT_EQ(h.v(0), VReg::from_u64(0xFF));
    EXPECT_EQ(fpsr(h), arch::fpsr::kQC);
}

TEST(SimdShift, ScalarShlOf64BitLane) {
    SimdHarness h;
    h.v(0) = VReg::from_u64(kOnes, kOnes);
    h.v(1) = VReg::from_u64(3, kOnes);
    h.run(0x5f7f5420);  // shl d0, d1, #63
    EXPECT_EQ(h.v(0), VReg::from_u64(0x8000000000000000));
}

TEST(SimdShift, RoundingShiftRightAccumulateBy8) {
    SimdHarness h;
    h.v(0) = VReg::from_u64(0x0101010101010101, 0x0101010101010101);
    h.v(1) = VReg::from_u64(0x8080808080808080, 0x7F7F7F7F7F7F7F7F);
    h.run(0x6f083420);  // ursra v0.16b, v1.16b, #8
    EXPECT_EQ(h.v(0), VReg::from_u64(0x0202020202020202, 0x0101010101010101));
}

TEST(SimdShift, SignedLengthenUpperHalf) {
    SimdHarness h;
    h.v(1) = VReg::from_u64(kOnes, 0x80000000'00000001);
    h.run(0x4f20a420);  // sshll2 v0.2d, v1.4s, #0 (sxtl2)
    EXPECT_EQ(h.v(0), VReg::from_u64(1, 0xFFFFFFFF80000000));
}

TEST(SimdShift, FixedPointConversions) {
    SimdHarness h;
    h.v(1) = VReg::from_u64(0x00000001'80000000, 0);
    h.run(0x6f20e420);  // ucvtf v0.4s, v1.4s, #32
    EXPECT_EQ(h.v(0), VReg::from_u64(0x2F800000'3F000000, 0));  // 2^-32, 0.5
    h.v(1) = VReg::from_u64(0xBFFC000000000000, kOnes);         // -1.75
    h.run(0x5f7ffc20);  // fcvtzs d0, d1, #1
    EXPECT_EQ(h.v(0), VReg::from_u64(uint64_t(-3)));             // -3.5 toward zero
    EXPECT_EQ(fpsr(h), arch::fpsr::kIXC);
}

TEST(SimdIndexed, SaturatingDoublingMultiplyHigh) {
    SimdHarness h;
    h.v(1) = VReg::from_u64(0x40000000'80000000, 0);
    h.v(2) = VReg::from_u64(0, 0x80000000'00000000);
    h.run(0x4fa2c820);  // sqdmulh v0.4s, v1.4s, v2.s[3]
    EXPECT_EQ(h.v(0), VReg::from_u64(0xC0000000'7FFFFFFF, 0));
    EXPECT_EQ(fpsr(h), arch::fpsr::kQC);
}

TEST(SimdIndexed, FusedMultiplyAddByElement) {
    SimdHarness h;
    h.v(0) = VReg::from_u64(0x3FF0000000000000, 0x4000000000000000);  // 1.0, 2.0
    h.v(1) = VReg::from_u64(0x4008000000000000, 0x4010000000000000);  // 3.0, 4.0
    h.v(2) = VReg::from_u64(kOnes, 0x3FE0000000000000);               // d[1] = 0.5
    h.run(0x4fc21820);  // fmla v0.2d, v1.2d, v2.d[1]
    EXPECT_EQ(h.v(0), VReg::from_u64(0x4004000000000000, 0x4010000000000000));  // 2.5, 4.0
}

TEST(SimdIndexed, ScalarSaturatingDoublingMultiplyAccumulate) {
    SimdHarness h;
    h.v(0) = VReg::from_u64(0xFFFFFFFF'7FFFFFF0, kOnes);
    h.v(1) = VReg::from_u64(0x0100);
    h.v(2) = VReg::from_u64(0, 0x0100'0000'0000'0000);
    h.run(0x5f723820);  // sqdmlal s0, h1, v2.h[7]
    EXPECT_EQ(h.v(0), VReg::from_u64(0x7FFFFFFF));
    EXPECT_EQ(fpsr(h), arch::fpsr::kQC);
}

TEST(SimdIndexed, MultiplySubtractLongUpperWithRegister15) {
    SimdHarness h;
    h.v(0) = VReg::from_u64(0x0000000A'0000000A, 0x00000000'0000000A);
    h.v(1) = VReg::from_u64(kOnes, 0x0004'0003'0002'0001);
    h.v(15) = VReg::from_u64(0, 0x0002'0000'0000'0000);
    h.run(0x6f7f6820);  // umlsl2 v0.4s, v1.8h, v15.h[7]
    EXPECT_EQ(h.v(0), VReg::from_u64(0x00000006'00000008, 0xFFFFFFF8'00000004));
}

TEST(SimdCopy, InsertsKeepTheOtherLanes) {
    SimdHarness h;
    h.v(0) = VReg::from_u64(0x1111111111111111, 0x2222222222222222);
    h.x(1) = 0xAAAAAAAA'BBBBBBBB;
    h.run(0x4e1c1c20);  // mov v0.s[3], w1
    EXPECT_EQ(h.v(0), VReg::from_u64(0x1111111111111111, 0xBBBBBBBB'22222222));
    h.v(1) = VReg::from_u64(0xCC);
    h.run(0x6e1f0420);  // mov v0.b[15], v1.b[0]
    EXPECT_EQ(h.v(0), VReg::from_u64(0x1111111111111111, 0xCCBBBBBB'22222222));
}

TEST(SimdCopy, MovesToGeneralRegisters) {
    SimdHarness h;
    h.v(1) = VReg::from_u64(0, 0x8001'0000'0000'0000);
    h.run(0x4e1e2c20);  // smov x0, v1.h[7]
    EXPECT_EQ(h.x(0), 0xFFFFFFFFFFFF8001u);
    h.run(0x0e1f3c20);  // umov w0, v1.b[15]
    EXPECT_EQ(h.x(0), 0x80u);
}

TEST(SimdCopy, DuplicatesAndScalarCopy) {
    SimdHarness h;
    h.x(1) = 0x12345678;
    h.run(0x4e020c20);  // dup v0.8h, w1
    EXPECT_EQ(h.v(0), VReg::from_u64(0x5678567856785678, 0x5678567856785678));
    h.v(1) = VReg::from_u64(1, 2);
    h.run(0x5e180420);  // mov d0, v1.d[1]
    EXPECT_EQ(h.v(0), VReg::from_u64(2));
}

TEST(SimdModImm, ExpandedImmediates) {
    SimdHarness h;
    h.run(0x6f05e540);  // movi v0.2d, #0xff00ff00ff00ff00
    EXPECT_EQ(h.v(0), VReg::from_u64(0xFF00FF00FF00FF00, 0xFF00FF00FF00FF00));
    h.run(0x4f03f600);  // fmov v0.4s, #1.0
    EXPECT_EQ(h.v(0), VReg::from_u64(0x3F8000003F800000, 0x3F8000003F800000));
    h.run(0x6f07f400);  // fmov v0.2d, #-0.5
    EXPECT_EQ(h.v(0), VReg::from_u64(0xBFE0000000000000, 0xBFE0000000000000));
    h.run(0x6f00d640);  // mvni v0.4s, #0x12, msl #16
    EXPECT_EQ(h.v(0), VReg::from_u64(0xFFED0000FFED0000, 0xFFED0000FFED0000));
    h.v(0) = VReg::from_u64(kOnes, kOnes);
    h.run(0x2f07b7e0);  // bic v0.4h, #0xff, lsl #8
    EXPECT_EQ(h.v(0), VReg::from_u64(0x00FF00FF00FF00FF));
}

TEST(SimdShiftIndex, ReservedAndAbsentEncodingsAreUndefined) {
    for (uint32_t word : {
             0x0f400420u,  // sshr with immh<3> = 1 and Q = 0 (.1d)
             0x0f408420u,  // shrn with immh<3> = 1
             0x5f200420u,  // scalar sshr with immh<3> = 0
             0x0e042c20u,  // smov w0, v1.s[0]: Q = 0 with a 32-bit lane
             0x5e100420u,  // scalar dup with imm5 = 10000
             0x2f00f400u,  // modified immediate op = 1 cmode = 1111 Q = 0
             0x0f029020u,  // fmul v0.4h, v1.4h, v2.h[0] (FEAT_FP16)
             0x4f82e020u,  // sdot v0.4s, v1.16b, v2.4b[0] (FEAT_DotProd)
             0x6f82d020u,  // sqrdmlah v0.4s, v1.4s, v2.s[0] (FEAT_RDM)
             0x0f10e420u,  // scvtf v0.4h, v1.4h, #16 (FEAT_FP16)
             0x7f1dfc20u,  // fcvtzu h0, h1, #3 (FEAT_FP16)
             0x4f03fe00u,  // fmov v0.8h, #1.0 (FEAT_FP16)
             0x6f823020u,  // fcmla v0.4s, v1.4s, v2.s[0], #90 (FEAT_FCMA)
             0x0f820020u,  // fmlal v0.2s, v1.2h, v2.h[0] (FEAT_FHM)
         })
        expect_undefined(word);
}

}  // namespace
}  // namespace cpu::test
