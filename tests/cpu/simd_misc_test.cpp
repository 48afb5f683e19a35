// Advanced SIMD two-register miscellaneous, across lanes and scalar pairwise
// (ARM ARM DDI 0487 K.a, C7.2): the rules the difftest's random inputs
// rarely isolate — Reduce()'s tree order, round to odd, AHP, QC, Vpart[]
// writes, the reserved and later-feature encodings.
#include <gtest/gtest.h>

#include "arch/esr.h"
#include "arch/fpsimd.h"
#include "tests/cpu/simd_harness.h"

namespace cpu::test {
namespace {

uint32_t fpsr(SimdHarness& h) { return h.cpu.state().fpsr; }

VReg words(uint32_t e0, uint32_t e1, uint32_t e2, uint32_t e3) {
    return VReg::from_u64(uint64_t(e1) << 32 | e0, uint64_t(e3) << 32 | e2);
}

// Reduce() combines halves: FPMax(FPMax(e0, e1), FPMax(e2, e3)). A
// left-to-right fold would reach the signalling NaN last and return it
// quieted; the tree meets two quiet NaNs at the root and keeps the first.
TEST(SimdMisc, FmaxvReducesAsATree) {
    SimdHarness h;
    h.code({0x6e30f841 /* fmaxv s1, v2.4s */});
    h.v(1) = VReg::from_u64(~0ull, ~0ull);
    h.v(2) = words(0x7fc0000a /* qNaN */, 0x3f800000 /* 1.0 */, 0x40000000 /* 2.0 */, 0x7f80000b /* sNaN */);
    h.step(1);
    EXPECT_EQ(h.v(1), VReg::from_u64(0x7fc0000a));
    EXPECT_EQ(fpsr(h), arch::fpsr::kIOC);
}

TEST(SimdMisc, SqxtnSaturatesSetsQcAndWritesItsPart) {
    SimdHarness h;
    h.code({0x5e214883 /* sqxtn b3, h4 */, 0x4e214885 /* sqxtn2 v5.16b, v4.8h */});
    h.v(3) = VReg::from_u64(~0ull, ~0ull);
    h.v(4) = VReg::from_u64(0x7fff'ff7f'ff80'0123, 0x0008'0007'0006'0005);
    h.v(5) = VReg::from_u64(0x1122334455667788, ~0ull);
    h.step(2);
    EXPECT_EQ(h.v(3), VReg::from_u64(0x7f));  // the scalar zeroes the rest
    EXPECT_EQ(h.v(5), VReg::from_u64(0x1122334455667788, 0x08070605'7f80807f));
    EXPECT_EQ(fpsr(h), arch::fpsr::kQC);
}

TEST(SimdMisc, SuqaddAddsUnsignedToSignedWithSaturation) {
    SimdHarness h;
    h.code({0x4ea038c5 /* suqadd v5.4s, v6.4s */});
    h.v(5) = words(0x7ffffff0, 0xffffffff, 0x80000000, 5);
    h.v(6) = words(0x20, 0xffffffff, 0x10, 0);
    h.step(1);
    EXPECT_EQ(h.v(5), words(0x7fffffff, 0x7fffffff, 0x80000010, 5));
    EXPECT_EQ(fpsr(h), arch::fpsr::kQC);
}

// FPConvert with FPRounding_ODD: an inexact result gets its lowest bit set.
TEST(SimdMisc, FcvtxnRoundsToOdd) {
    SimdHarness h;
    h.code({0x7e616907 /* fcvtxn s7, d8 */, 0x6e616909 /* fcvtxn2 v9.4s, v8.2d */});
    h.v(8) = VReg::from_u64(0x3ff0000000400000 /* 1 + 2^-30 */, 0x4000000000000000 /* 2.0 */);
    h.v(9) = VReg::from_u64(0x1234, ~0ull);
    h.step(2);
    EXPECT_EQ(h.v(7), VReg::from_u64(0x3f800001));
    EXPECT_EQ(h.v(9), VReg::from_u64(0x1234, 0x40000000'3f800001));
    EXPECT_EQ(fpsr(h), arch::fpsr::kIXC);
}

// With FPCR.AHP a half whose exponent is all ones is a number (2^16).
TEST(SimdMisc, Fcvtl2ReadsTheUpperHalvesInTheAlternativeFormat) {
    SimdHarness h;
    h.code({0x4e217949 /* fcvtl2 v9.4s, v10.8h */});
    h.cpu.state().fpcr = arch::fpcr::kAHP;
    h.v(10) = VReg::from_u64(0, 0x0001'3c00'fc00'7c00);
    h.step(1);
    EXPECT_EQ(h.v(9), words(0x47800000, 0xc7800000, 0x3f800000, 0x33800000));
    EXPECT_EQ(fpsr(h), 0u);
}

TEST(SimdMisc, ClsCountsSignBitsBelowTheTopOne) {
    SimdHarness h;
    h.code({0x0e204a0f /* cls v15.8b, v16.8b */});
    h.v(16) = VReg::from_u64(0xe0'3f'c0'40'80'01'ff'00, ~0ull);
    h.step(1);
    EXPECT_EQ(h.v(15), VReg::from_u64(0x02'01'01'00'00'06'07'07));
}

TEST(SimdMisc, SaddlvAndFaddpWriteOneWideScalar) {
    SimdHarness h;
    h.code({0x4eb03a51 /* saddlv d17, v18.4s */, 0x7e70db17 /* faddp d23, v24.2d */});
    h.v(18) = words(0x80000000, 0x80000000, 0xffffffff, 1);
    h.v(24) = VReg::from_u64(0x3ff0000000000000, 0x4000000000000000);
    h.v(23) = VReg::from_u64(~0ull, ~0ull);
    h.step(2);
    EXPECT_EQ(h.v(17), VReg::from_u64(0xffffffff00000000));
    EXPECT_EQ(h.v(23), VReg::from_u64(0x4008000000000000));
}

// Reserved size/Q values, and FEAT_FP16 / FEAT_FRINTTS encodings an Armv8.0
// PE does not implement.
TEST(SimdMisc, ReservedAndLaterFeatureEncodingsAreUndefined) {
    for (uint32_t w : {
             0x0ee0b820u,  // abs v0.1d, v1.1d (size:Q = 110)
             0x0ee1b820u,  // fcvtzs v0.1d, v1.1d (sz:Q = 10)
             0x0eb1b820u,  // addv s0, v1.2s (size:Q = 100)
             0x2e30f820u,  // fmaxv s0, v1.2s (sz:Q = 00)
             0x5ee14820u,  // sqxtn with size 11
             0x6e216820u,  // fcvtxn2 with sz = 0
             0x0e30f820u,  // fmaxv h0, v1.4h (FEAT_FP16)
             0x0ef8f820u,  // fabs v0.4h, v1.4h (FEAT_FP16)
             0x4e21e820u,  // frint32z v0.4s, v1.4s (FEAT_FRINTTS)
         }) {
        SimdHarness h;
        h.run(w);
        EXPECT_EQ(arch::esr_ec(h.cpu.state().el1.esr), arch::EC::Unknown) << std::hex << w;
        EXPECT_EQ(h.cpu.state().el1.elr, kCodeBase) << std::hex << w;
    }
}

}  // namespace
}  // namespace cpu::test
