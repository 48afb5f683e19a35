// PL031 registers as the TRM (DDI 0224C) lists them, on a clock the test
// moves: the count of seconds from the base, load, the match interrupt and
// RTCINTR, the ids.
#include <gtest/gtest.h>

#include <vector>

#include "vmm/pl031.h"

namespace vmm {
namespace {

constexpr uint64_t kHz = 1000;  // a tick per millisecond, for readable tests
constexpr uint32_t kBase = 1'767'225'600;  // 2026-01-01T00:00:00Z

struct Pl031Test : ::testing::Test {
    uint64_t now = 0;
    Pl031 rtc{kBase, [this] { return now; }, kHz};
    std::vector<bool> irq;  // every RTCINTR edge
    void SetUp() override { rtc.connect_irq([this](bool l) { irq.push_back(l); }); }

    uint32_t rd(uint64_t off, size_t size = 4) {
        uint8_t d[4] = {};
        rtc.access(Direction::Read, off, std::span<uint8_t>(d, size));
        return uint32_t(load_le(std::span<const uint8_t>(d, size)));
    }
    void wr(uint64_t off, uint32_t v) {
        uint8_t d[4];
        store_le(std::span<uint8_t>(d, 4), v);
        rtc.access(Direction::Write, off, std::span<uint8_t>(d, 4));
    }
};

TEST_F(Pl031Test, DataRegisterCountsWholeSecondsFromTheBase) {
    EXPECT_EQ(rd(Pl031::RTCDR), kBase);
    now = 999;
    EXPECT_EQ(rd(Pl031::RTCDR), kBase);
    now = 1000;
    EXPECT_EQ(rd(Pl031::RTCDR), kBase + 1);
    now = 3'600'000;
    EXPECT_EQ(rd(Pl031::RTCDR), kBase + 3600);
    wr(Pl031::RTCDR, 5);  // read-only
    EXPECT_EQ(rd(Pl031::RTCDR), kBase + 3600);
}

TEST_F(Pl031Test, LoadSetsTheCountWhichCountsOnFromThere) {
    now = 1500;
    wr(Pl031::RTCLR, 100);
    EXPECT_EQ(rd(Pl031::RTCDR), 100u);
    EXPECT_EQ(rd(Pl031::RTCLR), 100u);
    now = 2499;
    EXPECT_EQ(rd(Pl031::RTCDR), 100u);
    now = 2500;
    EXPECT_EQ(rd(Pl031::RTCDR), 101u);
}

TEST_F(Pl031Test, ResetValuesAndTheStartedControlRegister) {
    EXPECT_EQ(rd(Pl031::RTCMR), 0u);
    EXPECT_EQ(rd(Pl031::RTCIMSC), 0u);
    EXPECT_EQ(rd(Pl031::RTCRIS), 0u);
    EXPECT_EQ(rd(Pl031::RTCMIS), 0u);
    EXPECT_EQ(rd(Pl031::RTCCR), 1u);  // started, as the board's firmware leaves it
    wr(Pl031::RTCCR, 0);              // no effect once started (TRM 3.3.4)
    EXPECT_EQ(rd(Pl031::RTCCR), 1u);
    EXPECT_EQ(rd(Pl031::RTCICR), 0u);  // write-only
}

TEST_F(Pl031Test, MatchRaisesTheInterruptWhenTheCountReachesIt) {
    wr(Pl031::RTCIMSC, 1);
    wr(Pl031::RTCMR, kBase + 2);
    EXPECT_EQ(rd(Pl031::RTCMR), kBase + 2);
    now = 1999;
    rtc.sync();
    EXPECT_EQ(rd(Pl031::RTCRIS), 0u);
    EXPECT_FALSE(rtc.interrupt_level());
    now = 2000;
    rtc.sync();  // as the VMM does when it has the vcpus out
    EXPECT_TRUE(rtc.interrupt_level());
    EXPECT_EQ(rd(Pl031::RTCRIS), 1u);
    EXPECT_EQ(rd(Pl031::RTCMIS), 1u);
    EXPECT_EQ(irq, std::vector<bool>{true});
    wr(Pl031::RTCICR, 1);
    EXPECT_EQ(rd(Pl031::RTCRIS), 0u);
    EXPECT_EQ(irq, (std::vector<bool>{true, false}));
    now = 10'000;  // a match fires once
    rtc.sync();
    EXPECT_EQ(rd(Pl031::RTCRIS), 0u);
}

TEST_F(Pl031Test, MaskedMatchIsRawOnlyAndUnmaskingRaisesTheLine) {
    wr(Pl031::RTCMR, kBase + 1);
    now = 1000;
    EXPECT_EQ(rd(Pl031::RTCRIS), 1u);  // an access syncs too
    EXPECT_EQ(rd(Pl031::RTCMIS), 0u);
    EXPECT_TRUE(irq.empty());
    wr(Pl031::RTCIMSC, 1);
    EXPECT_EQ(irq, std::vector<bool>{true});
    wr(Pl031::RTCIMSC, 0);
    EXPECT_EQ(irq, (std::vector<bool>{true, false}));
}

TEST_F(Pl031Test, MatchNotAheadInterruptsAtOnceAsQemu) {
    now = 5000;
    wr(Pl031::RTCMR, kBase + 5);  // the count now
    EXPECT_EQ(rd(Pl031::RTCRIS), 1u);
    wr(Pl031::RTCICR, 1);
    wr(Pl031::RTCMR, kBase);  // behind
    EXPECT_EQ(rd(Pl031::RTCRIS), 1u);
}

TEST_F(Pl031Test, LoadMovesThePendingMatch) {
    wr(Pl031::RTCLR, 40);  // RTCMR (0) is behind: raw status at once, as QEMU
    wr(Pl031::RTCMR, 50);
    wr(Pl031::RTCICR, 1);
    wr(Pl031::RTCLR, 48);  // two seconds before the match now
    now = 1999;
    EXPECT_EQ(rd(Pl031::RTCRIS), 0u);
    now = 2000;
    EXPECT_EQ(rd(Pl031::RTCRIS), 1u);
}

TEST_F(Pl031Test, ResetClearsTheInterruptButNotTheTime) {
    wr(Pl031::RTCIMSC, 1);
    wr(Pl031::RTCMR, kBase + 1);
    now = 1500;
    rtc.sync();
    ASSERT_TRUE(rtc.interrupt_level());
    rtc.reset();
    EXPECT_EQ(irq, (std::vector<bool>{true, false}));
    EXPECT_EQ(rd(Pl031::RTCMR), 0u);
    EXPECT_EQ(rd(Pl031::RTCIMSC), 0u);
    EXPECT_EQ(rd(Pl031::RTCRIS), 0u);
    EXPECT_EQ(rd(Pl031::RTCDR), kBase + 1);
}

TEST_F(Pl031Test, PrimeCellIdentification) {
    const uint32_t want[] = {0x31, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1};
    for (unsigned i = 0; i < 8; ++i) EXPECT_EQ(rd(Pl031::RTCPeriphID0 + 4 * i), want[i]) << i;
}

TEST_F(Pl031Test, OnlyWordAccessesAtWordAddresses) {
    EXPECT_EQ(rd(Pl031::RTCDR, 2), 0u);
    EXPECT_EQ(rd(Pl031::RTCDR + 1), 0u);
    EXPECT_EQ(rd(0x1000), 0u);
    EXPECT_EQ(rd(0x020), 0u);  // reserved
}

}  // namespace
}  // namespace vmm
