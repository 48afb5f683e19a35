// The SIMD&FP register file as state: lanes of a V register, the V[]
// zero-extension rule, reset values and the FPCR/FPSR write masks.
#include <gtest/gtest.h>

#include "arch/fpsimd.h"
#include "cpu/state.h"

namespace {

using cpu::VReg;

TEST(VReg, LanesAreLittleEndian) {
    const VReg r = VReg::from_u64(0x8877665544332211, 0xFFEEDDCCBBAA9900);
    EXPECT_EQ(r.get(8, 0), 0x11u);
    EXPECT_EQ(r.get(8, 15), 0xFFu);
    EXPECT_EQ(r.get(16, 1), 0x4433u);
    EXPECT_EQ(r.get(32, 3), 0xFFEEDDCCu);
    EXPECT_EQ(r.get(64, 1), 0xFFEEDDCCBBAA9900u);
    EXPECT_EQ(r.d(), 0x8877665544332211u);
    EXPECT_EQ(r.s(), 0x44332211u);
    EXPECT_EQ(r.hi(), 0xFFEEDDCCBBAA9900u);
    EXPECT_EQ(r.bytes()[0], 0x11);
    EXPECT_EQ(r.bytes()[8], 0x00);
}

TEST(VReg, SetOneLaneLeavesTheOthers) {
    VReg r = VReg::from_u64(~0ull, ~0ull);
    r.set(16, 5, 0x1234);
    EXPECT_EQ(r.get(16, 5), 0x1234u);
    EXPECT_EQ(r.get(16, 4), 0xFFFFu);
    EXPECT_EQ(r.get(16, 6), 0xFFFFu);
    r.set(32, 0, 0x1'0000'0002);  // only esize bits are stored
    EXPECT_EQ(r.get(32, 0), 2u);
    EXPECT_EQ(r.get(32, 1), 0xFFFFFFFFu);
}

// ASL V[n, width] = value zero-extends: a write of S<n> clears bits 127:32.
TEST(VReg, ScalarWriteZeroesTheUpperBits) {
    EXPECT_EQ(VReg::zero_extended(32, 0xFFFF'FFFF'3F80'0000), VReg::from_u64(0x3F80'0000));
    EXPECT_EQ(VReg::zero_extended(64, 0x4000'0000'0000'0000), VReg::from_u64(0x4000'0000'0000'0000));
    EXPECT_EQ(VReg::zero_extended(8, 0x1FF), VReg::from_u64(0xFF));
}

TEST(FpState, ResetIsZero) {
    const cpu::State s;
    for (const VReg& v : s.v) EXPECT_EQ(v, VReg{});
    EXPECT_EQ(s.fpcr, 0u);
    EXPECT_EQ(s.fpsr, 0u);
}

TEST(FpState, FpcrKeepsAhpDnFzRMode) {
    EXPECT_EQ(arch::fpcr_write_value(0xFFFF'FFFF'FFFF'FFFF), 0x07C0'0000u);
    // Trap enables are RAZ/WI on a PE without trapped exceptions.
    const uint32_t traps = arch::fpcr::kIOE | arch::fpcr::kDZE | arch::fpcr::kOFE |
                           arch::fpcr::kUFE | arch::fpcr::kIXE | arch::fpcr::kIDE;
    EXPECT_EQ(traps, 0x9F00u);
    EXPECT_EQ(arch::fpcr_write_value(traps | arch::fpcr::kDN), arch::fpcr::kDN);
    EXPECT_EQ(arch::fpcr_write_value(1u << 19), 0u);  // FZ16 needs FEAT_FP16
}

TEST(FpState, FpsrKeepsQcAndTheCumulativeFlags) {
    EXPECT_EQ(arch::fpsr_write_value(0xFFFF'FFFF), 0x0800'009Fu);
    EXPECT_EQ(arch::fpsr_write_value(0xF000'0000), 0u);  // NZCV: AArch32 only
}

}  // namespace
