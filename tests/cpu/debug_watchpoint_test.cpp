// Watchpoints (ARM ARM DDI 0487 L.a, D2.9 "Watchpoint exceptions"; ASL
// AArch64.CheckWatchpoint, AArch64.WatchpointMatch,
// AArch64.WatchpointByteMatch, AArch64.StateMatch; FAR per D2.9.8.2).
#include <gtest/gtest.h>

#include "tests/cpu/debug_harness.h"

namespace cpu::test {
namespace {

using arch::EC;

constexpr uint32_t kLdrX1 = 0xf9400041;   // ldr x1, [x2]
constexpr uint32_t kStrX1 = 0xf9000041;   // str x1, [x2]
constexpr uint32_t kLdrW1 = 0xb9400041;   // ldr w1, [x2]
constexpr uint32_t kLdrW1p4 = 0xb9400441; // ldr w1, [x2, #4]

struct Watchpoint : DebugTest {
    void SetUp() override {
        DebugTest::SetUp();
        s().el1.mdscr = debug::mdscr::kMDE;
        route_to_el2();
        h.x(1) = 0x1122334455667788;
        h.x(2) = kData;
    }
    void set_wp(unsigned n, uint64_t addr, uint64_t ctrl) {
        s().el1.dbgwvr[n] = addr;
        s().el1.dbgwcr[n] = ctrl;
    }
    // Runs one access instruction; true if it took a watchpoint to EL2.
    bool hits(uint32_t insn) {
        h.code({insn, kNop});
        const Stop st = h.step(1);
        return st == Stop::Trap && ec2() == EC::WatchpointLow;
    }
};

TEST_F(Watchpoint, StoreReportsFarWnRAndDoesNotWrite) {
    set_wp(0, kData, kBcrE | kPxcBoth | kLscStore | wcr_bas(0xFF));
    EXPECT_TRUE(hits(kStrX1));
    EXPECT_EQ(s().el2.far, kData);
    EXPECT_EQ(s().el2.elr, kCodeBase) << "preferred return: the access instruction";
    EXPECT_EQ(arch::esr_iss(esr2()), arch::watchpt::kWnR | arch::fsc::kDebug);
    EXPECT_EQ(h.get64(kData), 0u);
}

TEST_F(Watchpoint, LoadHasWnRClearAndLeavesTheRegister) {
    set_wp(0, kData, kBcrE | kPxcBoth | kLscLoad | wcr_bas(0xFF));
    EXPECT_TRUE(hits(kLdrX1));
    EXPECT_EQ(arch::esr_iss(esr2()), arch::fsc::kDebug);
    EXPECT_EQ(h.x(1), 0x1122334455667788u);
}

// An access to the page before the watchpoint was armed (the memory fast
// path then holds it) does not hide the watchpoint from the next one.
TEST_F(Watchpoint, ArmedAfterAnAccessToItsPage) {
    EXPECT_FALSE(hits(kLdrX1));
    set_wp(0, kData, kBcrE | kPxcBoth | kLscLoad | wcr_bas(0xFF));
    EXPECT_TRUE(hits(kLdrX1));
}

// LSC selects loads, stores or both.
TEST_F(Watchpoint, LoadOnlyIgnoresStores) {
    set_wp(0, kData, kBcrE | kPxcBoth | kLscLoad | wcr_bas(0xFF));
    EXPECT_FALSE(hits(kStrX1));
    EXPECT_EQ(h.get64(kData), 0x1122334455667788u);
}

TEST_F(Watchpoint, LoadAndStoreMatchesBoth) {
    set_wp(3, kData, kBcrE | kPxcBoth | kLscLoad | kLscStore | wcr_bas(0xFF));
    EXPECT_TRUE(hits(kLdrX1));
    EXPECT_TRUE(hits(kStrX1));
}

// WatchpointByteMatch: BAS selects bytes of the doubleword at DBGWVR.
TEST_F(Watchpoint, BasSelectsBytes) {
    set_wp(0, kData, kBcrE | kPxcBoth | kLscLoad | wcr_bas(0xF0));
    EXPECT_FALSE(hits(kLdrW1)) << "bytes 0-3 not watched";
    EXPECT_TRUE(hits(kLdrW1p4));
    EXPECT_EQ(s().el2.far, kData + 4);
}

// MASK watches a 2^MASK-byte aligned range.
TEST_F(Watchpoint, MaskWatchesARange) {
    set_wp(1, kData, kBcrE | kPxcBoth | kLscLoad | wcr_bas(0xFF) | wcr_mask(6));
    EXPECT_TRUE(hits(0xf9401441));  // ldr x1, [x2, #40]
    EXPECT_EQ(s().el2.far, kData + 40);
    EXPECT_FALSE(hits(0xf9402041)) << "ldr x1, [x2, #64]: outside 64 bytes";
}

// Reserved MASK values 1 and 2: stepvisor treats the watchpoint as disabled.
TEST_F(Watchpoint, ReservedMaskDisables) {
    set_wp(0, kData, kBcrE | kPxcBoth | kLscLoad | wcr_bas(0xFF) | wcr_mask(2));
    EXPECT_FALSE(hits(kLdrX1));
}

// MASK with BAS other than 0xFF: BAS is ignored (the range matches).
TEST_F(Watchpoint, MaskWithPartialBasIgnoresBas) {
    set_wp(0, kData, kBcrE | kPxcBoth | kLscLoad | wcr_bas(0x01) | wcr_mask(4));
    EXPECT_TRUE(hits(0xb9400c41));  // ldr w1, [x2, #12]
}

// A non-contiguous BAS watches the whole doubleword.
TEST_F(Watchpoint, NonContiguousBasWatchesTheDoubleword) {
    set_wp(0, kData, kBcrE | kPxcBoth | kLscLoad | wcr_bas(0x81));
    EXPECT_TRUE(hits(0xb9400441)) << "ldr w1, [x2, #4]: bytes 4-7";
}

// DBGWVR[2] = 1: a word-aligned watchpoint uses BAS[3:0] over that word.
TEST_F(Watchpoint, WordAlignedValueUsesTheLowBasBits) {
    set_wp(0, kData + 4, kBcrE | kPxcBoth | kLscLoad | wcr_bas(0x0F));
    EXPECT_FALSE(hits(kLdrW1));
    EXPECT_TRUE(hits(kLdrW1p4));
}

// FAR: an address from the lowest accessed to the highest watched one
// (D2.9.8.2.4); stepvisor reports the first watched byte accessed.
TEST_F(Watchpoint, PairAccessReportsTheFirstWatchedByte) {
    set_wp(0, kData + 8, kBcrE | kPxcBoth | kLscLoad | wcr_bas(0xFF));
    EXPECT_TRUE(hits(0xa9400c41));  // ldp x1, x3, [x2]
    EXPECT_EQ(s().el2.far, kData + 8);
}

TEST_F(Watchpoint, AccessStartingBeforeTheWatchedBytesReportsTheFirstWatchedByte) {
    set_wp(0, kData, kBcrE | kPxcBoth | kLscLoad | wcr_bas(0x30));
    EXPECT_TRUE(hits(kLdrX1));
    EXPECT_EQ(s().el2.far, kData + 4);
}

TEST_F(Watchpoint, NeedsMde) {
    s().el1.mdscr = 0;
    set_wp(0, kData, kBcrE | kPxcBoth | kLscLoad | wcr_bas(0xFF));
    EXPECT_FALSE(hits(kLdrX1));
}

TEST_F(Watchpoint, OsLockSuppressesIt) {
    s().el1.oslk = true;
    set_wp(0, kData, kBcrE | kPxcBoth | kLscLoad | wcr_bas(0xFF));
    EXPECT_FALSE(hits(kLdrX1));
}

// StateMatch with the access's EL: PAC = EL0 only, LDTR at EL1 counts as EL0.
TEST_F(Watchpoint, PacEl0OnlyMatchesUnprivilegedAccessAtEl1) {
    set_wp(0, kData, kBcrE | kPxcEl0 | kLscLoad | wcr_bas(0xFF));
    EXPECT_FALSE(hits(kLdrX1));
    EXPECT_TRUE(hits(0xf8400841));  // ldtr x1, [x2]
}

// Target EL1 from EL0: EC 0x34 to VBAR_EL1 + 0x400 with FAR_EL1.
TEST_F(Watchpoint, FromEl0ToEl1SetsFarEl1) {
    s().el2.mdcr = 0;
    to_el0();
    set_wp(0, kData, kBcrE | kPxcBoth | kLscStore | wcr_bas(0xFF));
    h.code({kStrX1});
    h.step(1);
    EXPECT_EQ(ec1(), EC::WatchpointLow);
    EXPECT_EQ(s().el1.far, kData);
    EXPECT_EQ(s().el1.elr, kCodeBase);
    EXPECT_EQ(s().pc, s().el1.vbar + kLowerA64);
}

// Translation faults come before the watchpoint (AArch64.TranslateAddress
// checks debug only when the translation succeeded).
TEST_F(Watchpoint, Stage2FaultHasPriority) {
    h.x(2) = 0x10000000;
    set_wp(0, 0x10000000, kBcrE | kPxcBoth | kLscLoad | wcr_bas(0xFF));
    h.code({kLdrX1});
    EXPECT_EQ(h.step(1), Stop::Trap);
    EXPECT_EQ(ec2(), EC::DataAbortLow);
}

// Disarming restores the fast path: a disabled watchpoint matches nothing.
TEST_F(Watchpoint, DisabledWatchpointMatchesNothing) {
    set_wp(0, kData, kPxcBoth | kLscLoad | wcr_bas(0xFF));
    EXPECT_FALSE(hits(kLdrX1));
    EXPECT_EQ(h.x(1), 0u) << "loaded from RAM";
}

// A SIMD&FP structure store is a run of element accesses, each checked: a
// watchpoint on the second register's bytes stops it before any byte is
// written, with FAR at the first watched element.
TEST_F(Watchpoint, StructureStoreChecksEveryElementAndWritesNothing) {
    s().el1.cpacr = cpacr::kFPEN;
    s().v[1] = VReg::from_u64(0x1111111111111111, 0x2222222222222222);
    set_wp(0, kData + 24, kBcrE | kPxcBoth | kLscStore | wcr_bas(0xFF));
    EXPECT_TRUE(hits(0x4c00a041));  // st1 {v1.16b, v2.16b}, [x2]
    EXPECT_EQ(s().el2.far, kData + 24);
    EXPECT_EQ(arch::esr_iss(esr2()), arch::watchpt::kWnR | arch::fsc::kDebug);
    EXPECT_EQ(h.get64(kData), 0u);
}

}  // namespace
}  // namespace cpu::test
