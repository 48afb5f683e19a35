// Register pairs: LDP/STP (W and X), LDPSW, LDNP/STNP, offset, pre- and
// post-index, SP as base, and the Rt == Rt2 / writeback-overlap choices.
#include <gtest/gtest.h>

#include "tests/cpu/ls_harness.h"

namespace cpu::test {
namespace {

TEST(LoadStorePair, LdpOffset) {
    Harness h;
    h.code({0xa9400440});  // ldp x0, x1, [x2]
    h.x(2) = kData;
    h.put64(kData, 0x10);
    h.put64(kData + 8, 0x18);
    h.step(1);
    EXPECT_EQ(h.x(0), 0x10u);
    EXPECT_EQ(h.x(1), 0x18u);
    EXPECT_EQ(h.x(2), kData);
}

TEST(LoadStorePair, LdpPreAndPostIndex) {
    Harness h;
    h.code({
        0xa9c10440,  // ldp x0, x1, [x2, #16]!
        0xa8ff1043,  // ldp x3, x4, [x2], #-16
    });
    h.x(2) = kData;
    h.put64(kData + 16, 0xa);
    h.put64(kData + 24, 0xb);
    h.step(1);
    EXPECT_EQ(h.x(0), 0xau);
    EXPECT_EQ(h.x(1), 0xbu);
    EXPECT_EQ(h.x(2), kData + 16);
    h.step(1);
    EXPECT_EQ(h.x(3), 0xau);
    EXPECT_EQ(h.x(4), 0xbu);
    EXPECT_EQ(h.x(2), kData);
}

TEST(LoadStorePair, StpPreIndexAndWords) {
    Harness h;
    h.code({
        0xa9bf0440,  // stp x0, x1, [x2, #-16]!
        0x29010440,  // stp w0, w1, [x2, #8]
    });
    h.x(0) = 0x1111111122222222;
    h.x(1) = 0x3333333344444444;
    h.x(2) = kData + 16;
    h.step(1);
    EXPECT_EQ(h.get64(kData), 0x1111111122222222u);
    EXPECT_EQ(h.get64(kData + 8), 0x3333333344444444u);
    EXPECT_EQ(h.x(2), kData);
    h.step(1);
    EXPECT_EQ(h.get64(kData + 8), 0x4444444422222222u);
}

TEST(LoadStorePair, LdpWordsZeroExtendAndLdpswSignExtends) {
    Harness h;
    h.code({
        0x29400440,  // ldp w0, w1, [x2]
        0x69401043,  // ldpsw x3, x4, [x2]
    });
    h.x(0) = h.x(1) = ~0ull;
    h.x(2) = kData;
    h.put64(kData, 0x80000000'7fffffff);
    h.step(2);
    EXPECT_EQ(h.x(0), 0x7fffffffu);
    EXPECT_EQ(h.x(1), 0x80000000u);
    EXPECT_EQ(h.x(3), 0x7fffffffu);
    EXPECT_EQ(h.x(4), 0xffffffff80000000u);
}

TEST(LoadStorePair, LdpswPostAndPreIndex) {
    Harness h;
    h.code({
        0x68c10440,  // ldpsw x0, x1, [x2], #8
        0x69ff1043,  // ldpsw x3, x4, [x2, #-8]!
    });
    h.x(2) = kData;
    h.put64(kData, 0xfffffffe'00000001);
    h.step(2);
    EXPECT_EQ(h.x(0), 1u);
    EXPECT_EQ(h.x(1), uint64_t(-2));
    EXPECT_EQ(h.x(3), 1u);
    EXPECT_EQ(h.x(4), uint64_t(-2));
    EXPECT_EQ(h.x(2), kData);
}

TEST(LoadStorePair, NonTemporalPairs) {
    Harness h;
    h.code({
        0xa8010440,  // stnp x0, x1, [x2, #16]
        0xa8411043,  // ldnp x3, x4, [x2, #16]
    });
    h.x(0) = 5;
    h.x(1) = 6;
    h.x(2) = kData;
    h.step(2);
    EXPECT_EQ(h.get64(kData + 16), 5u);
    EXPECT_EQ(h.get64(kData + 24), 6u);
    EXPECT_EQ(h.x(3), 5u);
    EXPECT_EQ(h.x(4), 6u);
    EXPECT_EQ(h.x(2), kData);
}

TEST(LoadStorePair, ImmediateRange) {
    Harness h;
    h.code({
        0xa95f8440,  // ldp x0, x1, [x2, #504]
        0xa9600043,  // ldp x3, x0, [x2, #-512]
        0x295f8444,  // ldp w4, w1, [x2, #252]
    });
    h.x(2) = kData + 0x400;
    h.put64(kData + 0x400 + 504, 0x504);
    h.put64(kData + 0x400 - 512, 0x512);
    put<uint32_t>(h, kData + 0x400 + 252, 0x252);
    h.step(3);
    EXPECT_EQ(h.x(3), 0x512u);
    EXPECT_EQ(h.x(4), 0x252u);
}

TEST(LoadStorePair, FramePushWithSp) {
    Harness h;
    h.code({0xa9bf7bfd});  // stp x29, x30, [sp, #-16]!
    h.cpu.state().el1.sctlr |= 8;  // SA
    h.cpu.state().sp_el[1] = kData + 32;
    h.x(29) = 0x29;
    h.x(30) = 0x30;
    h.step(1);
    EXPECT_EQ(h.get64(kData + 16), 0x29u);
    EXPECT_EQ(h.get64(kData + 24), 0x30u);
    EXPECT_EQ(h.cpu.state().sp_el[1], kData + 16);
}

TEST(LoadStorePair, SpAlignmentFault) {
    Harness h;
    stop_at_vectors(h);
    h.code({0xa9bf7bfd});  // stp x29, x30, [sp, #-16]!
    h.cpu.state().el1.sctlr |= 8;
    h.cpu.state().sp_el[1] = kData + 40;
    h.step(1);
    EXPECT_EQ(arch::esr_ec(h.cpu.state().el1.esr), arch::EC::SPAlign);
    EXPECT_EQ(h.cpu.state().sp_el[1], kData + 40);
    EXPECT_EQ(h.get64(kData + 24), 0u);
}

// CONSTRAINED UNPREDICTABLE: Rt == Rt2 loads the second element; writeback
// onto Rt is suppressed; a store pair with Rn == Rt stores the old base.
TEST(LoadStorePair, OverlapChoices) {
    Harness h;
    h.code({
        0xa9400040,  // ldp x0, x0, [x2]
        0xa8c10843,  // ldp x3, x2, [x2], #16
    });
    h.x(2) = kData;
    h.put64(kData, 0x1);
    h.put64(kData + 8, 0x2);
    h.step(2);
    EXPECT_EQ(h.x(0), 0x2u);
    EXPECT_EQ(h.x(3), 0x1u);
    EXPECT_EQ(h.x(2), 0x2u);
    h.x(1) = 0x11;
    h.x(3) = kData + 0x40;
    h.code({0xa9810c61});  // stp x1, x3, [x3, #16]!
    h.step(1);
    EXPECT_EQ(h.get64(kData + 0x50), 0x11u);
    EXPECT_EQ(h.get64(kData + 0x58), kData + 0x40);
    EXPECT_EQ(h.x(3), kData + 0x50);
}

TEST(LoadStorePair, UnallocatedAreUndefined) {
    for (uint32_t w : {
             0xe9400440u,  // ldp with opc = 11 (unallocated)
             0x68400440u,  // ldnp with opc = 01 (unallocated)
         }) {
        Harness h;
        stop_at_vectors(h);
        h.code({w});
        h.x(2) = kData;
        h.step(1);
        EXPECT_EQ(arch::esr_ec(h.cpu.state().el1.esr), arch::EC::Unknown) << std::hex << w;
    }
}

}  // namespace
}  // namespace cpu::test
