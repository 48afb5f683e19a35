// Exclusives with the local monitor, and the ordered forms (LDAR, STLR,
// LDAPR). The monitor is open after each run() entry (the ERET from EL2
// clears it), so a sequence that must see the monitor set runs in one call.
#include <gtest/gtest.h>

#include "tests/cpu/ls_harness.h"

namespace cpu::test {
namespace {

TEST(Exclusive, LdxrStxrSucceeds) {
    Harness h;
    h.code({
        0xc85f7c20,  // ldxr x0, [x1]
        0xc8037c22,  // stxr w3, x2, [x1]
    });
    h.x(1) = kData;
    h.x(2) = 0x2222;
    h.x(3) = 0x77;
    h.put64(kData, 0x1111);
    h.step(2);
    EXPECT_EQ(h.x(0), 0x1111u);
    EXPECT_EQ(h.x(3), 0u);
    EXPECT_EQ(h.get64(kData), 0x2222u);
    EXPECT_TRUE(h.cpu.monitor().open);
}

TEST(Exclusive, StxrWithOpenMonitorFailsAndDoesNotWrite) {
    Harness h;
    h.code({0xc8037c22});  // stxr w3, x2, [x1]
    h.x(1) = kData;
    h.x(2) = 0x2222;
    h.put64(kData, 0x1111);
    h.step(1);
    EXPECT_EQ(h.x(3), 1u);
    EXPECT_EQ(h.get64(kData), 0x1111u);
}

TEST(Exclusive, SecondStxrFailsBecauseTheFirstClearedTheMonitor) {
    Harness h;
    h.code({
        0xc85f7c20,  // ldxr x0, [x1]
        0xc8037c22,  // stxr w3, x2, [x1]
        0xc8047c25,  // stxr w4, x5, [x1]
    });
    h.x(1) = kData;
    h.x(2) = 2;
    h.x(5) = 5;
    h.step(3);
    EXPECT_EQ(h.x(3), 0u);
    EXPECT_EQ(h.x(4), 1u);
    EXPECT_EQ(h.get64(kData), 2u);
}

TEST(Exclusive, MonitorDoesNotSurviveRunEntry) {
    Harness h;
    h.code({
        0xc85f7c20,  // ldxr x0, [x1]
        0xc8037c22,  // stxr w3, x2, [x1]
    });
    h.x(1) = kData;
    h.x(2) = 9;
    h.step(1);
    h.step(1);  // the ERET that starts this run clears the monitor
    EXPECT_EQ(h.x(3), 1u);
    EXPECT_EQ(h.get64(kData), 0u);
}

TEST(Exclusive, StoreToAnotherAddressFails) {
    Harness h;
    h.code({
        0xc85f7c20,  // ldxr x0, [x1]
        0xc8037c42,  // stxr w3, x2, [x2]
    });
    h.x(1) = kData;
    h.x(2) = kData + 64;
    h.step(2);
    EXPECT_EQ(h.x(3), 1u);
    EXPECT_EQ(h.get64(kData + 64), 0u);
}

TEST(Exclusive, ByteHalfwordAndAcquireReleaseForms) {
    Harness h;
    h.code({
        0x085f7c20,  // ldxrb w0, [x1]
        0x08037c22,  // stxrb w3, w2, [x1]
        0x485ffc24,  // ldaxrh w4, [x1]
        0x4803fc22,  // stlxrh w3, w2, [x1]
        0x885ffc25,  // ldaxr w5, [x1]
        0x8806fc27,  // stlxr w6, w7, [x1]
    });
    h.x(1) = kData;
    h.x(2) = 0xabcd;
    h.x(7) = 0x12345678;
    h.put64(kData, 0xffffffff'ffffff99);
    h.step(2);
    EXPECT_EQ(h.x(0), 0x99u);
    EXPECT_EQ(h.x(3), 0u);
    EXPECT_EQ(h.get64(kData), 0xffffffff'ffffffcdu);
    h.step(2);
    EXPECT_EQ(h.x(4), 0xffcdu);
    EXPECT_EQ(h.x(3), 0u);
    EXPECT_EQ(h.get64(kData), 0xffffffff'ffffabcdu);
    h.step(2);
    EXPECT_EQ(h.x(5), 0xffffabcdu);
    EXPECT_EQ(h.x(6), 0u);
    EXPECT_EQ(h.get64(kData), 0xffffffff'12345678u);
}

TEST(Exclusive, NarrowerStoreInsideTheMarkedRangePasses) {
    Harness h;
    h.code({
        0xc85f7c20,  // ldxr x0, [x1]
        0x88037c22,  // stxr w3, w2, [x1]
    });
    h.x(1) = kData;
    h.x(2) = 0x5;
    h.step(2);
    EXPECT_EQ(h.x(3), 0u);
    EXPECT_EQ(h.get64(kData), 5u);
}

TEST(Exclusive, PairsOf64And32Bits) {
    Harness h;
    h.code({
        0xc87f1020,  // ldxp x0, x4, [x1]
        0xc8231422,  // stxp w3, x2, x5, [x1]
        0x887f1026,  // ldxp w6, w4, [x1]
        0x88231427,  // stxp w3, w7, w5, [x1]
    });
    h.x(1) = kData;
    h.x(2) = 0x2222;
    h.x(5) = 0x5555;
    h.x(7) = 0x7777;
    h.put64(kData, 0xa);
    h.put64(kData + 8, 0xb);
    h.step(2);
    EXPECT_EQ(h.x(0), 0xau);
    EXPECT_EQ(h.x(4), 0xbu);
    EXPECT_EQ(h.x(3), 0u);
    EXPECT_EQ(h.get64(kData), 0x2222u);
    EXPECT_EQ(h.get64(kData + 8), 0x5555u);
    h.step(2);
    EXPECT_EQ(h.x(6), 0x2222u);
    EXPECT_EQ(h.x(4), 0u);
    EXPECT_EQ(h.x(3), 0u);
    EXPECT_EQ(h.get64(kData), 0x00005555'00007777u);
}

TEST(Exclusive, AcquireReleasePair) {
    Harness h;
    h.code({
        0xc87f9020,  // ldaxp x0, x4, [x1]
        0xc8239422,  // stlxp w3, x2, x5, [x1]
    });
    h.x(1) = kData + 16;
    h.x(2) = 1;
    h.x(5) = 2;
    h.step(2);
    EXPECT_EQ(h.x(3), 0u);
    EXPECT_EQ(h.get64(kData + 16), 1u);
    EXPECT_EQ(h.get64(kData + 24), 2u);
}

// LDXP of two doublewords must be 16-byte aligned even though each access
// is 8-byte aligned.
TEST(Exclusive, PairMustBeAlignedToItsSize) {
    Harness h;
    stop_at_vectors(h);
    h.code({0xc87f1020});  // ldxp x0, x4, [x1]
    h.x(1) = kData + 8;
    h.x(0) = 0x77;
    h.step(1);
    const auto& s = h.cpu.state();
    EXPECT_EQ(arch::esr_ec(s.el1.esr), arch::EC::DataAbortCur);
    EXPECT_EQ(dabt(s.el1.esr).dfsc(), arch::fsc::kAlignment);
    EXPECT_EQ(s.el1.far, kData + 8);
    EXPECT_EQ(h.x(0), 0x77u);
    EXPECT_TRUE(h.cpu.monitor().open);
}

// CONSTRAINED UNPREDICTABLE: Rs == Rt stores the old Rt; Rs == Rn uses the
// old Rn as the address (next test); LDXP with Rt == Rt2 keeps the second
// element.
TEST(Exclusive, OverlapChoices) {
    Harness h;
    h.code({
        0xc85f7c40,  // ldxr x0, [x2]
        0xc8017c41,  // stxr w1, x1, [x2]
        0xc87f0060,  // ldxp x0, x0, [x3]
    });
    h.x(1) = 0x1111;
    h.x(2) = kData;
    h.x(3) = kData + 16;
    h.put64(kData + 24, 0x88);
    h.step(3);
    EXPECT_EQ(h.get64(kData), 0x1111u);
    EXPECT_EQ(h.x(1), 0u);
    EXPECT_EQ(h.x(0), 0x88u);
}

TEST(Exclusive, StxrStatusRegEqualsBaseUsesOldBase) {
    Harness h;
    h.code({
        0xc85f7c40,  // ldxr x0, [x2]
        0xc8027c41,  // stxr w2, x1, [x2]
    });
    h.x(1) = 0x1234;
    h.x(2) = kData;
    h.step(2);
    EXPECT_EQ(h.get64(kData), 0x1234u);
    EXPECT_EQ(h.x(2), 0u);
}

TEST(Exclusive, UnalignedExclusiveFaults) {
    Harness h;
    stop_at_vectors(h);
    h.code({0x885f7c20});  // ldxr w0, [x1]
    h.x(1) = kData + 2;
    h.step(1);
    EXPECT_EQ(dabt(h.cpu.state().el1.esr).dfsc(), arch::fsc::kAlignment);
    EXPECT_EQ(h.cpu.state().el1.far, kData + 2);
}

TEST(Ordered, LoadAcquireStoreReleaseAndLdapr) {
    Harness h;
    h.code({
        0xc8dffc20,  // ldar x0, [x1]
        0x08dffc22,  // ldarb w2, [x1]
        0x48dffc23,  // ldarh w3, [x1]
        0x88dffc24,  // ldar w4, [x1]
        0xf8bfc025,  // ldapr x5, [x1]
        0x38bfc026,  // ldaprb w6, [x1]
        0x78bfc027,  // ldaprh w7, [x1]
        0xb8bfc028,  // ldapr w8, [x1]
    });
    h.x(1) = kData;
    h.put64(kData, 0x8877665544332211);
    h.step(8);
    EXPECT_EQ(h.x(0), 0x8877665544332211u);
    EXPECT_EQ(h.x(2), 0x11u);
    EXPECT_EQ(h.x(3), 0x2211u);
    EXPECT_EQ(h.x(4), 0x44332211u);
    EXPECT_EQ(h.x(5), 0x8877665544332211u);
    EXPECT_EQ(h.x(6), 0x11u);
    EXPECT_EQ(h.x(7), 0x2211u);
    EXPECT_EQ(h.x(8), 0x44332211u);
}

TEST(Ordered, StoreRelease) {
    Harness h;
    h.code({
        0xc89ffc20,  // stlr x0, [x1]
        0x489ffc22,  // stlrh w2, [x1]
        0x089ffc23,  // stlrb w3, [x1]
        0x889ffc24,  // stlr w4, [x1, #0]
    });
    h.x(0) = 0x1111111111111111;
    h.x(1) = kData;
    h.x(2) = 0x2222;
    h.x(3) = 0x33;
    h.x(4) = 0x44444444;
    h.step(3);
    EXPECT_EQ(h.get64(kData), 0x1111111111112233u);
    h.step(1);
    EXPECT_EQ(h.get64(kData), 0x1111111144444444u);
}

}  // namespace
}  // namespace cpu::test
