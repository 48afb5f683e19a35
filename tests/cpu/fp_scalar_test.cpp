// The scalar floating-point classes (DDI 0487 K.a, C4.1.96) on the points
// the Unicorn difftest cannot check: Unicorn's `max` model has FEAT_FP16,
// FEAT_FRINTTS and FEAT_JSCVT, which this Armv8.0-A PE lacks. The values
// themselves are the difftest's (groups fp_dp1 ... fp_fixed).
#include <gtest/gtest.h>

#include "arch/esr.h"
#include "arch/fpsimd.h"
#include "tests/cpu/dp_test_util.h"
#include "tests/cpu/harness.h"

namespace cpu::test {
namespace {

constexpr uint64_t kCpacrFpenAll = 3ull << 20;  // CPACR_EL1.FPEN = 0b11: no trap

struct FpHarness : Harness {
    FpHarness() { cpu.state().el1.cpacr = kCpacrFpenAll; }
    VReg& v(unsigned n) { return cpu.state().v[n]; }
};

TEST(FpScalar, HalfPrecisionArithmeticIsUndefined) {  // FEAT_FP16
    for (uint32_t word : {0x1ee22820u /* fadd h0, h1, h2 */, 0x1eee1003u /* fmov h3, #1.0 */,
                          0x1ef800a4u /* fcvtzs w4, h5 */, 0x9ee200e6u /* scvtf h6, x7 */,
                          0x1ee60128u /* fmov w8, h9 */, 0x1ee02148u /* fcmp h10, #0.0 */,
                          0x1eed0d8bu /* fcsel h11, h12, h13, eq */,
                          0x1fd045eeu /* fmadd h14, h15, h16, h17 */,
                          0x1ee1c272u /* fsqrt h18, h19 */})
        expect_undefined(word);
}

TEST(FpScalar, LaterFeaturesAreUndefined) {
    expect_undefined(0x1e2842b4);  // frint32z s20, s21 (FEAT_FRINTTS)
    expect_undefined(0x1e7e02f6);  // fjcvtzs w22, d23 (FEAT_JSCVT)
    expect_undefined(0x1e634338);  // bfcvt h24, s25 (FEAT_BF16)
    expect_undefined(0x1ea22820);  // fadd with ftype 10 (reserved)
}

TEST(FpScalar, TrapsWhenCpacrDisablesFp) {
    Harness h;  // CPACR_EL1.FPEN = 0
    h.code({0x1e222820 /* fadd s0, s1, s2 */});
    h.step(1);
    EXPECT_EQ(arch::esr_ec(h.cpu.state().el1.esr), arch::EC::FpAccess);
    EXPECT_EQ(h.cpu.state().el1.elr, kCodeBase);
}

// FCVT from half: with FPCR.AHP the all-ones exponent is a number (65536),
// not an infinity; the scalar write clears bits 127:32.
TEST(FpScalar, FcvtFromHalfHonoursAhp) {
    FpHarness h;
    h.code({0x1ee243bc /* fcvt s28, h29 */, 0x1ee243bc /* fcvt s28, h29 */});
    h.v(29) = VReg::from_u64(0x7C00);
    h.v(28) = VReg::from_u64(~0ull, ~0ull);
    h.step(1);
    EXPECT_EQ(h.v(28), VReg::from_u64(0x7F800000));  // +inf
    h.cpu.state().fpcr = arch::fpcr::kAHP;
    h.step(1);
    EXPECT_EQ(h.v(28), VReg::from_u64(0x47800000));  // 65536.0
    EXPECT_EQ(h.cpu.state().fpsr, 0u);
}

// FCVT to half with FPCR.AHP: a NaN becomes +0 with Invalid Operation.
TEST(FpScalar, FcvtToAlternativeHalfZeroesANan) {
    FpHarness h;
    h.code({0x1e63c37a /* fcvt h26, d27 */});
    h.v(27) = VReg::from_u64(0x7FF8000000000000);
    h.v(26) = VReg::from_u64(~0ull, ~0ull);
    h.cpu.state().fpcr = arch::fpcr::kAHP;
    h.step(1);
    EXPECT_EQ(h.v(26), VReg::from_u64(0));
    EXPECT_EQ(h.cpu.state().fpsr, arch::fpsr::kIOC);
}

// FMOV Xd, Vn.D[1] reads the upper half; FMOV Vd.D[1], Xn keeps the lower.
TEST(FpScalar, FmovGeneralTopHalf) {
    FpHarness h;
    h.code({0x9eae0041 /* fmov x1, v2.d[1] */, 0x9eaf0083 /* fmov v3.d[1], x4 */});
    h.v(2) = VReg::from_u64(0x1111, 0x2222333344445555);
    h.v(3) = VReg::from_u64(0x6666777788889999, 0xAAAA);
    h.x(4) = 0xBBBBCCCCDDDDEEEE;
    h.step(2);
    EXPECT_EQ(h.x(1), 0x2222333344445555u);
    EXPECT_EQ(h.v(3), VReg::from_u64(0x6666777788889999, 0xBBBBCCCCDDDDEEEE));
}

// Fixed point at the widest scales: 0.5 * 2^32 saturates a W result (IOC,
// no IXC); INT64_MIN / 2^64 is -0.5.
TEST(FpScalar, FixedPointAtTheWidestScale) {
    FpHarness h;
    h.code({0x1e188041 /* fcvtzs w1, s2, #32 */, 0x9e420060 /* scvtf d0, x3, #64 */});
    h.v(2) = VReg::from_u64(0x3F000000);
    h.x(1) = ~0ull;
    h.x(3) = 0x8000000000000000;
    h.step(2);
    EXPECT_EQ(h.x(1), 0x7FFFFFFFu);
    EXPECT_EQ(h.v(0), VReg::from_u64(0xBFE0000000000000));
    EXPECT_EQ(h.cpu.state().fpsr, arch::fpsr::kIOC);
}

TEST(FpScalar, FmovImmediateExpandsImm8) {
    FpHarness h;
    h.code({0x1e381000 /* fmov s0, #-0.125 */});
    h.v(0) = VReg::from_u64(~0ull, ~0ull);
    h.step(1);
    EXPECT_EQ(h.v(0), VReg::from_u64(0xBE000000));
}

}  // namespace
}  // namespace cpu::test
