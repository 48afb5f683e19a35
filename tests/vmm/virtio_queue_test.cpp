// The virtio-mmio transport and its split virtqueues (virtio §2.7, §4.2)
// against a hostile guest, with virtio-rng behind them: every malformed
// ring, chain or register access sets DEVICE_NEEDS_RESET or is refused, no
// device write leaves guest RAM, and after a Status 0 reset the device
// serves a request again. Then the paths a good driver takes: indirect
// descriptors, interrupt suppression by flag and by event index, the
// interrupt line and InterruptACK, the configuration generation.
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include "vmm/guest_ram.h"
#include "vmm/virtio/mmio.h"
#include "vmm/virtio/rng.h"

namespace vmm::virtio {
namespace {

using Reg = MmioTransport::Reg;

constexpr uint64_t kRamBase = 0x40000000, kRamSize = 1 << 20;
constexpr uint64_t kDesc = kRamBase + 0x1000, kAvail = kRamBase + 0x2000,
                   kUsed = kRamBase + 0x3000;
constexpr uint64_t kTable = kRamBase + 0x4000;  // an indirect table
constexpr uint64_t kBuf = kRamBase + 0x10000;
constexpr uint64_t kUart = 0x09000000;  // MMIO on QEMU virt
constexpr uint32_t kSize = 8;
constexpr uint64_t kAllFeatures =
    bit(kFeatureVersion1) | bit(kFeatureRingIndirectDesc) | bit(kFeatureRingEventIdx);
constexpr uint64_t kNoEventIdx = kAllFeatures & ~bit(kFeatureRingEventIdx);
constexpr uint64_t kNoIndirect = kAllFeatures & ~bit(kFeatureRingIndirectDesc);

// A guest driver, written out: registers, rings and buffers in a RAM the
// test inspects. Every device write is recorded to check it stayed in RAM.
class VirtioQueueTest : public ::testing::Test {
protected:
    explicit VirtioQueueTest(uint64_t ram_size = kRamSize)
        : ram_(std::move(GuestRam::create(kRamBase, ram_size).value())),
          dma_(ram_, [this](uint64_t gpa, uint64_t size) { writes_.push_back({gpa, size}); }),
          t_(dma_, std::make_unique<Rng>([this](std::span<uint8_t> out) { source_(out); }),
             0x0a003e00, [this](bool level) { edges_.push_back(level); },
             [this](std::string_view line) { log_.emplace_back(line); }) {}

    void TearDown() override {
        for (const GpaRange& w : writes_)
            EXPECT_TRUE(ram_.range().contains(w)) << "device wrote " << w.size << " bytes at 0x"
                                                  << std::hex << w.base << ", outside RAM";
    }

    uint32_t rd(uint32_t offset, size_t width = 4) {
        uint8_t d[8] = {};
        t_.access(Direction::Read, offset, std::span<uint8_t>(d, width));
        return uint32_t(load_le(std::span<const uint8_t>(d, width)));
    }
    void wr(uint32_t offset, uint64_t value, size_t width = 4) {
        uint8_t d[8];
        store_le(std::span<uint8_t>(d, width), value);
        t_.access(Direction::Write, offset, std::span<uint8_t>(d, width));
    }

    template <typename T> void put(uint64_t gpa, T v) {
        std::memcpy(ram_.slice({gpa, sizeof(T)}).data(), &v, sizeof(T));
    }
    template <typename T> T get(uint64_t gpa) {
        T v;
        std::memcpy(&v, ram_.slice({gpa, sizeof(T)}).data(), sizeof(T));
        return v;
    }

    // §3.1.1 up to FEATURES_OK; true if the device kept it.
    bool negotiate(uint64_t features = kAllFeatures) {
        wr(Reg::Status, kAcknowledge | kDriver);
        for (uint32_t sel = 0; sel < 2; ++sel) {
            wr(Reg::DriverFeaturesSel, sel);
            wr(Reg::DriverFeatures, uint32_t(features >> (32 * sel)));
        }
        wr(Reg::Status, kAcknowledge | kDriver | kFeaturesOk);
        return rd(Reg::Status) & kFeaturesOk;
    }
    void setup_queue(uint32_t num = kSize, uint64_t desc = kDesc, uint64_t avail = kAvail,
                     uint64_t used = kUsed) {
        wr(Reg::QueueSel, 0);
        wr(Reg::QueueNum, num);
        const uint64_t addrs[][2] = {{Reg::QueueDescLow, desc},
                                     {Reg::QueueDriverLow, avail},
                                     {Reg::QueueDeviceLow, used}};
        for (const auto& [reg, addr] : addrs) {
            wr(uint32_t(reg), uint32_t(addr));
            wr(uint32_t(reg + 4), uint32_t(addr >> 32));
        }
        wr(Reg::QueueReady, 1);
    }
    void driver_ok() { wr(Reg::Status, rd(Reg::Status) | kDriverOk); }
    void start(uint64_t features = kAllFeatures) {
        ASSERT_TRUE(negotiate(features));
        setup_queue();
        driver_ok();
    }

    void desc(uint16_t i, uint64_t addr, uint32_t len, uint16_t flags = 0, uint16_t next = 0,
              uint64_t table = kDesc) {
        const uint64_t at = table + 16 * i;
        put(at, addr);
        put(at + 8, len);
        put(at + 12, flags);
        put(at + 14, next);
    }
    // head on the available ring; avail idx advances by one.
    void offer(uint16_t head) {
        put<uint16_t>(kAvail + 4 + 2 * (avail_idx_ % kSize), head);
        put<uint16_t>(kAvail + 2, ++avail_idx_);
    }
    void notify(uint32_t queue = 0) { wr(Reg::QueueNotify, queue); }
    void request(uint16_t head) {
        offer(head);
        notify();
    }

    uint16_t used_idx() { return get<uint16_t>(kUsed + 2); }
    uint32_t used_id(unsigned k) { return get<uint32_t>(kUsed + 4 + 8 * k); }
    uint32_t used_len(unsigned k) { return get<uint32_t>(kUsed + 8 + 8 * k); }
    bool needs_reset() { return rd(Reg::Status) & kNeedsReset; }

    // n bytes of entropy at gpa, the source's bytes from first on.
    void expect_entropy(uint64_t gpa, uint32_t n, uint8_t first) {
        for (uint32_t i = 0; i < n; ++i)
            ASSERT_EQ(get<uint8_t>(gpa + i), uint8_t(first + i)) << "byte " << i;
    }

    // After Status 0 the driver starts over and a request is served.
    void expect_works_after_reset() {
        wr(Reg::Status, 0);
        EXPECT_EQ(rd(Reg::Status), 0u);
        EXPECT_EQ(rd(Reg::InterruptStatus), 0u);
        for (uint64_t ring : {kDesc, kAvail, kUsed, kTable})
            std::memset(ram_.slice({ring, 0x1000}).data(), 0, 0x1000);
        avail_idx_ = 0;
        start();
        desc(0, kBuf, 16, kDescFlagWrite);
        const uint8_t first = entropy_;
        request(0);
        EXPECT_FALSE(needs_reset());
        ASSERT_EQ(used_idx(), 1);
        EXPECT_EQ(used_id(0), 0u);
        EXPECT_EQ(used_len(0), 16u);
        expect_entropy(kBuf, 16, first);
    }
    // The request made the device stop, untouched buffers and all, until
    // the driver resets it.
    void expect_needs_reset() {
        EXPECT_TRUE(needs_reset());
        EXPECT_EQ(used_idx(), 0);
        EXPECT_EQ(get<uint64_t>(kBuf), 0u);
        EXPECT_EQ(log_.size(), 1u);
        expect_works_after_reset();
    }

    GuestRam ram_;
    std::vector<GpaRange> writes_;
    Dma dma_;
    uint8_t entropy_ = 1;
    // What the device's entropy source gives: by default a byte counter.
    Rng::Source counter() {
        return [this](std::span<uint8_t> out) {
            for (uint8_t& b : out) b = entropy_++;
        };
    }
    Rng::Source source_ = counter();
    std::vector<bool> edges_;  // the interrupt line's changes
    std::vector<std::string> log_;
    MmioTransport t_;
    uint16_t avail_idx_ = 0;
};

// Guest RAM of 4 GiB and more (MAP_NORESERVE: untouched, it costs nothing),
// where one chain can name more than a used element's len can count.
class VirtioQueueBigRamTest : public VirtioQueueTest {
protected:
    VirtioQueueBigRamTest() : VirtioQueueTest(uint64_t(5) << 30) {}
};

// --- hostile chains -------------------------------------------------------

TEST_F(VirtioQueueTest, ChainThatLoopsNeedsReset) {
    start();
    desc(0, kBuf, 8, kDescFlagWrite | kDescFlagNext, 1);
    desc(1, kBuf + 8, 8, kDescFlagWrite | kDescFlagNext, 0);
    request(0);
    expect_needs_reset();
}

TEST_F(VirtioQueueTest, ChainThatLoopsInsideAnIndirectTableNeedsReset) {
    start();
    desc(0, kTable, 2 * 16, kDescFlagIndirect);
    desc(0, kBuf, 8, kDescFlagWrite | kDescFlagNext, 1, kTable);
    desc(1, kBuf + 8, 8, kDescFlagWrite | kDescFlagNext, 0, kTable);
    request(0);
    expect_needs_reset();
}

TEST_F(VirtioQueueTest, NextOutsideTheTableNeedsReset) {
    start();
    desc(0, kBuf, 8, kDescFlagWrite | kDescFlagNext, kSize);
    request(0);
    expect_needs_reset();
}

TEST_F(VirtioQueueTest, HeadOutsideTheTableNeedsReset) {
    start();
    request(kSize + 3);
    expect_needs_reset();
}

TEST_F(VirtioQueueTest, BufferPastTheEndOfRamNeedsReset) {
    start();
    desc(0, kRamBase + kRamSize, 8, kDescFlagWrite);
    request(0);
    expect_needs_reset();
}

TEST_F(VirtioQueueTest, BufferStraddlingTheEndOfRamNeedsReset) {
    start();
    desc(0, kRamBase + kRamSize - 4, 8, kDescFlagWrite);
    request(0);
    expect_needs_reset();
}

TEST_F(VirtioQueueTest, BufferBelowRamNeedsReset) {
    start();
    desc(0, kRamBase - 8, 8, kDescFlagWrite);
    request(0);
    expect_needs_reset();
}

TEST_F(VirtioQueueTest, BufferAtMmioNeedsReset) {
    start();
    desc(0, kUart, 8, kDescFlagWrite);
    request(0);
    expect_needs_reset();
}

TEST_F(VirtioQueueTest, LengthNear4GiBNeedsReset) {
    start();
    desc(0, kBuf, UINT32_MAX, kDescFlagWrite);
    request(0);
    expect_needs_reset();
}

TEST_F(VirtioQueueTest, BufferWrappingPastTheTopOfTheAddressSpaceNeedsReset) {
    start();
    desc(0, ~uint64_t(0) - 0xFFF, 0x2000, kDescFlagWrite);
    request(0);
    expect_needs_reset();
}

TEST_F(VirtioQueueBigRamTest, ChainSummingPast4GiBNeedsReset) {
    start();
    desc(0, kBuf, 0x80000000, kDescFlagWrite | kDescFlagNext, 1);
    desc(1, kBuf, 0x80000000, kDescFlagWrite);
    request(0);
    expect_needs_reset();
}

TEST_F(VirtioQueueBigRamTest, ChainOf4GiBLessOneByteIsServed) {
    start();
    desc(0, kBuf, 0x80000000, kDescFlagWrite | kDescFlagNext, 1);
    desc(1, kBuf, 0x7FFFFFFF, kDescFlagWrite);
    request(0);
    EXPECT_FALSE(needs_reset());
    ASSERT_EQ(used_idx(), 1);
    EXPECT_EQ(used_len(0), Rng::kMaxRequest);  // what one request gets
}

// The longest chains a guest can offer: a full ring whose every entry names
// one indirect table of 32768 descriptors. Checking a chain costs time in
// proportion to its length (regression: the byte count was summed over the
// whole chain at every descriptor, 256 x 5 * 10^8 additions per notify,
// minutes of a stalled vcpu).
TEST_F(VirtioQueueTest, LongestChainsCostLinearTime) {
    constexpr uint32_t kRing = 256, kTableLen = kMaxQueueSize;
    constexpr uint64_t kLongTable = kRamBase + 0x20000;
    ASSERT_TRUE(negotiate());
    setup_queue(kRing);
    driver_ok();
    desc(0, kLongTable, kTableLen * 16, kDescFlagIndirect);
    for (uint16_t i = 0; i + 1u < kTableLen; ++i)
        desc(i, kBuf, 1, kDescFlagNext, uint16_t(i + 1), kLongTable);
    desc(kTableLen - 1, kBuf + 0x100, 1, kDescFlagWrite, 0, kLongTable);  // the end is reached
    for (uint32_t k = 0; k < kRing; ++k) put<uint16_t>(kAvail + 4 + 2 * k, 0);
    put<uint16_t>(kAvail + 2, kRing);
    const auto begin = std::chrono::steady_clock::now();
    notify();
    // Linear: well under a second unoptimised; quadratic: a minute and more.
    EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(20));
    EXPECT_FALSE(needs_reset());
    ASSERT_EQ(used_idx(), kRing);
    EXPECT_EQ(used_len(kRing - 1), 1u);
}

// A writable buffer over the available ring's idx, and a device that writes
// there one more than it has read: each chain it serves offers another.
// The device stops after a ring's worth (regression: it served for ever;
// blk's reads write what the guest put on the disk, so it can be made to).
TEST_F(VirtioQueueTest, DeviceWritesThatRefillTheRingNeedReset) {
    uint16_t next = 1;
    source_ = [&](std::span<uint8_t> out) {
        ++next;
        store_le(out, next);
    };
    start();
    desc(0, kAvail + 2, 2, kDescFlagWrite);
    request(0);
    EXPECT_TRUE(needs_reset());
    EXPECT_EQ(used_idx(), kSize);
    EXPECT_EQ(log_.size(), 1u);
    source_ = counter();
    expect_works_after_reset();
}

TEST_F(VirtioQueueTest, ReadableBufferAfterAWritableOneNeedsReset) {
    start();
    desc(0, kBuf, 8, kDescFlagWrite | kDescFlagNext, 1);
    desc(1, kBuf + 8, 8, 0);
    request(0);
    expect_needs_reset();
}

// --- hostile indirect tables (§2.7.5.3.1) ----------------------------------

TEST_F(VirtioQueueTest, IndirectTableThatNamesItselfNeedsReset) {
    start();
    desc(0, kTable, 16, kDescFlagIndirect);
    desc(0, kTable, 16, kDescFlagIndirect, 0, kTable);
    request(0);
    expect_needs_reset();
}

TEST_F(VirtioQueueTest, IndirectTableHoldingAnIndirectDescriptorNeedsReset) {
    start();
    desc(0, kTable, 16, kDescFlagIndirect);
    desc(0, kTable + 0x100, 16, kDescFlagIndirect, 0, kTable);
    desc(0, kBuf, 8, kDescFlagWrite, 0, kTable + 0x100);
    request(0);
    expect_needs_reset();
}

TEST_F(VirtioQueueTest, IndirectDescriptorWithNextNeedsReset) {
    start();
    desc(0, kTable, 16, kDescFlagIndirect | kDescFlagNext, 1);
    desc(1, kBuf, 8, kDescFlagWrite);
    desc(0, kBuf + 8, 8, kDescFlagWrite, 0, kTable);
    request(0);
    expect_needs_reset();
}

TEST_F(VirtioQueueTest, IndirectDescriptorNotNegotiatedNeedsReset) {
    start(kNoIndirect);
    desc(0, kTable, 16, kDescFlagIndirect);
    desc(0, kBuf, 8, kDescFlagWrite, 0, kTable);
    request(0);
    expect_needs_reset();
}

TEST_F(VirtioQueueTest, IndirectTableNotAWholeNumberOfDescriptorsNeedsReset) {
    start();
    desc(0, kTable, 24, kDescFlagIndirect);
    desc(0, kBuf, 8, kDescFlagWrite, 0, kTable);
    request(0);
    expect_needs_reset();
}

TEST_F(VirtioQueueTest, EmptyIndirectTableNeedsReset) {
    start();
    desc(0, kTable, 0, kDescFlagIndirect);
    request(0);
    expect_needs_reset();
}

TEST_F(VirtioQueueTest, IndirectTableAtMmioNeedsReset) {
    start();
    desc(0, kUart, 16, kDescFlagIndirect);
    request(0);
    expect_needs_reset();
}

TEST_F(VirtioQueueTest, IndirectTableNear4GiBLongNeedsReset) {
    start();
    desc(0, kTable, 0xFFFFFFF0, kDescFlagIndirect);
    request(0);
    expect_needs_reset();
}

// --- hostile queue layouts (§2.7, §4.2.3.2) ---------------------------------

// QueueReady with a layout the device cannot use: NEEDS_RESET, and the
// queue stays not ready.

TEST_F(VirtioQueueTest, QueueSizeNotAPowerOfTwoNeedsReset) {
    ASSERT_TRUE(negotiate());
    setup_queue(6);
    EXPECT_EQ(rd(Reg::QueueReady), 0u);
    driver_ok();
    desc(0, kBuf, 8, kDescFlagWrite);
    request(0);
    expect_needs_reset();
}

TEST_F(VirtioQueueTest, QueueSizeAboveQueueNumMaxNeedsReset) {
    ASSERT_TRUE(negotiate());
    wr(Reg::QueueSel, 0);
    ASSERT_EQ(rd(Reg::QueueNumMax), 256u);
    setup_queue(512);
    EXPECT_EQ(rd(Reg::QueueReady), 0u);
    expect_needs_reset();
}

TEST_F(VirtioQueueTest, QueueSizeZeroNeedsReset) {
    ASSERT_TRUE(negotiate());
    setup_queue(0);
    EXPECT_EQ(rd(Reg::QueueReady), 0u);
    expect_needs_reset();
}

TEST_F(VirtioQueueTest, MisalignedDescriptorTableNeedsReset) {
    ASSERT_TRUE(negotiate());
    setup_queue(kSize, kDesc + 8);
    EXPECT_EQ(rd(Reg::QueueReady), 0u);
    expect_needs_reset();
}

TEST_F(VirtioQueueTest, MisalignedAvailableRingNeedsReset) {
    ASSERT_TRUE(negotiate());
    setup_queue(kSize, kDesc, kAvail + 1);
    EXPECT_EQ(rd(Reg::QueueReady), 0u);
    expect_needs_reset();
}

TEST_F(VirtioQueueTest, MisalignedUsedRingNeedsReset) {
    ASSERT_TRUE(negotiate());
    setup_queue(kSize, kDesc, kAvail, kUsed + 2);
    EXPECT_EQ(rd(Reg::QueueReady), 0u);
    expect_needs_reset();
}

TEST_F(VirtioQueueTest, DescriptorTableAtMmioNeedsReset) {
    ASSERT_TRUE(negotiate());
    setup_queue(kSize, kUart);
    EXPECT_EQ(rd(Reg::QueueReady), 0u);
    expect_needs_reset();
}

TEST_F(VirtioQueueTest, UsedRingStraddlingTheEndOfRamNeedsReset) {
    ASSERT_TRUE(negotiate());
    setup_queue(kSize, kDesc, kAvail, kRamBase + kRamSize - 16);
    EXPECT_EQ(rd(Reg::QueueReady), 0u);
    expect_needs_reset();
}

TEST_F(VirtioQueueTest, AvailableRingAbove4GiBOutsideRamNeedsReset) {
    ASSERT_TRUE(negotiate());
    setup_queue(kSize, kDesc, kAvail + (uint64_t(1) << 32));
    EXPECT_EQ(rd(Reg::QueueReady), 0u);
    expect_needs_reset();
}

TEST_F(VirtioQueueTest, AvailableIndexMoreThanTheQueueSizeAheadNeedsReset) {
    start();
    desc(0, kBuf, 8, kDescFlagWrite);
    put<uint16_t>(kAvail + 2, kSize + 1);
    notify();
    expect_needs_reset();
}

// --- hostile driver protocol --------------------------------------------------

TEST_F(VirtioQueueTest, NotifyBeforeDriverOkNeedsReset) {
    ASSERT_TRUE(negotiate());
    setup_queue();
    desc(0, kBuf, 8, kDescFlagWrite);
    request(0);
    EXPECT_TRUE(needs_reset());
    driver_ok();  // too late: the device stays stopped
    notify();
    expect_needs_reset();
}

TEST_F(VirtioQueueTest, NotifyOfANonexistentQueueIsIgnored) {
    start();
    desc(0, kBuf, 8, kDescFlagWrite);
    offer(0);
    for (uint32_t q : {1u, 7u, 8u, 0xFFFFu}) notify(q);
    EXPECT_EQ(rd(Reg::Status), kAcknowledge | kDriver | kFeaturesOk | kDriverOk);
    EXPECT_EQ(used_idx(), 0);
    EXPECT_TRUE(writes_.empty());
    notify(0x10000);  // QueueNotify's upper half is not the index
    EXPECT_EQ(used_idx(), 1);
}

TEST_F(VirtioQueueTest, NotifyAfterNeedsResetIsIgnored) {
    start();
    desc(0, kBuf, 8, kDescFlagWrite | kDescFlagNext, 0);
    request(0);
    ASSERT_TRUE(needs_reset());
    desc(0, kBuf, 8, kDescFlagWrite);
    const size_t before = writes_.size();
    request(0);
    EXPECT_EQ(writes_.size(), before);
    expect_needs_reset();
}

TEST_F(VirtioQueueTest, FeaturesOkWithAFeatureNotOfferedIsRefused) {
    EXPECT_FALSE(negotiate(kAllFeatures | bit(0)));
    EXPECT_EQ(rd(Reg::Status), kAcknowledge | kDriver);
    expect_works_after_reset();
}

TEST_F(VirtioQueueTest, FeaturesOkWithoutVersion1IsRefused) {
    EXPECT_FALSE(negotiate(kAllFeatures & ~bit(kFeatureVersion1)));
    EXPECT_EQ(rd(Reg::Status), kAcknowledge | kDriver);
    expect_works_after_reset();
}

TEST_F(VirtioQueueTest, DriverFeaturesAreFrozenByFeaturesOk) {
    ASSERT_TRUE(negotiate(kNoIndirect));
    wr(Reg::DriverFeaturesSel, 0);
    wr(Reg::DriverFeatures, uint32_t(kAllFeatures));  // too late: no indirect
    setup_queue();
    driver_ok();
    desc(0, kTable, 16, kDescFlagIndirect);
    desc(0, kBuf, 8, kDescFlagWrite, 0, kTable);
    request(0);
    expect_needs_reset();
}

TEST_F(VirtioQueueTest, RegisterAccessesOfTheWrongWidthAreIgnored) {
    EXPECT_EQ(rd(Reg::MagicValue), MmioTransport::kMagic);
    for (size_t width : {1u, 2u, 8u}) {
        EXPECT_EQ(rd(Reg::MagicValue, width), 0u) << width;
        EXPECT_EQ(rd(Reg::DeviceID, width), 0u) << width;
        wr(Reg::Status, kAcknowledge, width);
        EXPECT_EQ(rd(Reg::Status), 0u) << width;
    }
    EXPECT_EQ(rd(Reg::MagicValue + 2), 0u);  // unaligned
    wr(Reg::Status + 1, kAcknowledge);
    EXPECT_EQ(rd(Reg::Status), 0u);
    start();
    desc(0, kBuf, 8, kDescFlagWrite);
    offer(0);
    wr(Reg::QueueNotify, 0, 2);
    wr(Reg::QueueNotify, 0, 8);
    wr(Reg::QueueReady, 0, 1);
    wr(Reg::Status, 0, 2);  // not a reset
    EXPECT_EQ(used_idx(), 0);
    EXPECT_EQ(rd(Reg::QueueReady), 1u);
    EXPECT_EQ(rd(Reg::Status), kAcknowledge | kDriver | kFeaturesOk | kDriverOk);
    notify();
    EXPECT_EQ(used_idx(), 1);
}

TEST_F(VirtioQueueTest, QueueRegistersAreFrozenWhileTheQueueIsReady) {
    start();
    wr(Reg::QueueNum, 6);
    wr(Reg::QueueDescLow, uint32_t(kUart));
    EXPECT_EQ(rd(Reg::QueueDescLow), uint32_t(kDesc));
    desc(0, kBuf, 8, kDescFlagWrite);
    request(0);
    EXPECT_FALSE(needs_reset());
    EXPECT_EQ(used_idx(), 1);
}

TEST_F(VirtioQueueTest, NeedsResetAfterDriverOkRaisesAConfigurationChange) {
    start();
    desc(0, kBuf, 8, kDescFlagWrite | kDescFlagNext, 0);
    request(0);
    EXPECT_TRUE(needs_reset());
    EXPECT_EQ(rd(Reg::InterruptStatus), kInterruptConfigChange);
    EXPECT_EQ(edges_, std::vector<bool>{true});
    expect_needs_reset();
    EXPECT_EQ(edges_, (std::vector<bool>{true, false, true}));
}

TEST_F(VirtioQueueTest, DistinctComplaintsAreLoggedOnceEach) {
    for (int i = 0; i < 3; ++i) {
        start();
        desc(0, kUart, 8, kDescFlagWrite);
        request(0);
        ASSERT_TRUE(needs_reset());
        wr(Reg::Status, 0);
        avail_idx_ = 0;
        put<uint16_t>(kAvail + 2, 0);
    }
    ASSERT_EQ(log_.size(), 1u);
    EXPECT_NE(log_[0].find("0x9000000"), std::string::npos) << log_[0];
}

// --- a good driver -------------------------------------------------------------

TEST_F(VirtioQueueTest, IdentifiesAsVersion2EntropyDevice) {
    EXPECT_EQ(rd(Reg::MagicValue), 0x74726976u);
    EXPECT_EQ(rd(Reg::Version), 2u);
    EXPECT_EQ(rd(Reg::DeviceID), uint32_t(kDeviceEntropy));
    EXPECT_EQ(rd(Reg::VendorID), MmioTransport::kVendorQemu);
    wr(Reg::DeviceFeaturesSel, 0);
    EXPECT_EQ(rd(Reg::DeviceFeatures), uint32_t(kAllFeatures));
    wr(Reg::DeviceFeaturesSel, 1);
    EXPECT_EQ(rd(Reg::DeviceFeatures), uint32_t(kAllFeatures >> 32));
    wr(Reg::DeviceFeaturesSel, 2);
    EXPECT_EQ(rd(Reg::DeviceFeatures), 0u);
    wr(Reg::QueueSel, 1);
    EXPECT_EQ(rd(Reg::QueueNumMax), 0u);  // §4.2.3.2: no such queue
}

TEST_F(VirtioQueueTest, FillsWritableBuffersWithEntropy) {
    start();
    desc(0, kBuf, 64, kDescFlagWrite);
    const uint8_t first = entropy_;
    request(0);
    EXPECT_FALSE(needs_reset());
    ASSERT_EQ(used_idx(), 1);
    EXPECT_EQ(used_id(0), 0u);
    EXPECT_EQ(used_len(0), 64u);
    expect_entropy(kBuf, 64, first);
    EXPECT_EQ(get<uint8_t>(kBuf + 64), 0);
}

TEST_F(VirtioQueueTest, ServesAChainOfBuffersInOrder) {
    start();
    desc(3, kBuf + 0x800, 5, kDescFlagNext, 5);  // device-readable: skipped
    desc(5, kBuf, 16, kDescFlagWrite | kDescFlagNext, 1);
    desc(1, kBuf + 0x100, 0, kDescFlagWrite | kDescFlagNext, 2);  // empty
    desc(2, kBuf + 0x200, 16, kDescFlagWrite);
    const uint8_t first = entropy_;
    request(3);
    EXPECT_FALSE(needs_reset());
    ASSERT_EQ(used_idx(), 1);
    EXPECT_EQ(used_id(0), 3u);
    EXPECT_EQ(used_len(0), 32u);
    expect_entropy(kBuf, 16, first);
    expect_entropy(kBuf + 0x200, 16, uint8_t(first + 16));
    EXPECT_EQ(get<uint8_t>(kBuf + 0x800), 0);
}

TEST_F(VirtioQueueTest, ServesEveryAvailableChainAndWrapsTheRing) {
    start();
    for (uint16_t i = 0; i < kSize; ++i) desc(i, kBuf + 0x100 * i, 4, kDescFlagWrite);
    for (unsigned round = 0; round < 3; ++round) {
        for (uint16_t i = 0; i < kSize; ++i) offer(i);
        notify();
        EXPECT_FALSE(needs_reset());
        EXPECT_EQ(used_idx(), kSize * (round + 1));
    }
    for (unsigned k = 0; k < kSize; ++k) EXPECT_EQ(used_id(k), k);
}

TEST_F(VirtioQueueTest, OneRequestGetsAtMostMaxRequest) {
    start();
    desc(0, kBuf, 2 * Rng::kMaxRequest, kDescFlagWrite);
    request(0);
    ASSERT_EQ(used_idx(), 1);
    EXPECT_EQ(used_len(0), Rng::kMaxRequest);
    EXPECT_EQ(get<uint8_t>(kBuf + Rng::kMaxRequest), 0);
}

TEST_F(VirtioQueueTest, FollowsIndirectDescriptors) {
    start();
    desc(0, kTable, 3 * 16, kDescFlagIndirect);
    desc(0, kBuf + 0x800, 4, kDescFlagNext, 2, kTable);
    desc(2, kBuf, 8, kDescFlagWrite | kDescFlagNext, 1, kTable);
    desc(1, kBuf + 0x100, 8, kDescFlagWrite, 0, kTable);
    const uint8_t first = entropy_;
    request(0);
    EXPECT_FALSE(needs_reset());
    ASSERT_EQ(used_idx(), 1);
    EXPECT_EQ(used_len(0), 16u);
    expect_entropy(kBuf, 8, first);
    expect_entropy(kBuf + 0x100, 8, uint8_t(first + 8));
}

TEST_F(VirtioQueueTest, IndirectDescriptorAtTheEndOfAChain) {
    start();
    desc(4, kBuf + 0x800, 4, kDescFlagNext, 6);
    desc(6, kTable, 16, kDescFlagIndirect);
    desc(0, kBuf, 8, kDescFlagWrite, 0, kTable);
    request(4);
    EXPECT_FALSE(needs_reset());
    ASSERT_EQ(used_idx(), 1);
    EXPECT_EQ(used_len(0), 8u);
}

TEST_F(VirtioQueueTest, InterruptLineFollowsInterruptStatusUntilAck) {
    start(kNoEventIdx);
    desc(0, kBuf, 8, kDescFlagWrite);
    EXPECT_TRUE(edges_.empty());
    request(0);
    EXPECT_EQ(rd(Reg::InterruptStatus), kInterruptUsedBuffer);
    EXPECT_EQ(edges_, std::vector<bool>{true});
    request(0);  // still pending: no new edge
    EXPECT_EQ(edges_, std::vector<bool>{true});
    wr(Reg::InterruptACK, kInterruptConfigChange);  // not the pending bit
    EXPECT_EQ(rd(Reg::InterruptStatus), kInterruptUsedBuffer);
    EXPECT_EQ(edges_, std::vector<bool>{true});
    wr(Reg::InterruptACK, kInterruptUsedBuffer);
    EXPECT_EQ(rd(Reg::InterruptStatus), 0u);
    EXPECT_EQ(edges_, (std::vector<bool>{true, false}));
    request(0);
    EXPECT_EQ(edges_, (std::vector<bool>{true, false, true}));
    wr(Reg::Status, 0);  // a reset lowers the line
    EXPECT_EQ(edges_, (std::vector<bool>{true, false, true, false}));
}

TEST_F(VirtioQueueTest, NoInterruptFlagSuppressesTheInterrupt) {
    start(kNoEventIdx);
    desc(0, kBuf, 8, kDescFlagWrite);
    put<uint16_t>(kAvail, kAvailFlagNoInterrupt);
    request(0);
    EXPECT_EQ(used_idx(), 1);
    EXPECT_EQ(rd(Reg::InterruptStatus), 0u);
    EXPECT_TRUE(edges_.empty());
    put<uint16_t>(kAvail, 0);
    request(0);
    EXPECT_EQ(rd(Reg::InterruptStatus), kInterruptUsedBuffer);
}

// §2.7.10: with VIRTIO_F_EVENT_IDX the device ignores the flag.
TEST_F(VirtioQueueTest, NoInterruptFlagIsIgnoredWithEventIndex) {
    start();
    desc(0, kBuf, 8, kDescFlagWrite);
    put<uint16_t>(kAvail, kAvailFlagNoInterrupt);
    request(0);
    EXPECT_EQ(rd(Reg::InterruptStatus), kInterruptUsedBuffer);
}

// used_event (§2.7.10): interrupt once the used index passes it.
TEST_F(VirtioQueueTest, UsedEventSuppressesInterruptsUntilPassed) {
    start();
    desc(0, kBuf, 8, kDescFlagWrite);
    const uint64_t used_event = kAvail + 4 + 2 * kSize;
    put<uint16_t>(used_event, 2);  // interrupt when entry 2 is used (the third)
    request(0);
    request(0);
    EXPECT_EQ(used_idx(), 2);
    EXPECT_EQ(rd(Reg::InterruptStatus), 0u);
    request(0);
    EXPECT_EQ(rd(Reg::InterruptStatus), kInterruptUsedBuffer);
    wr(Reg::InterruptACK, kInterruptUsedBuffer);
    request(0);  // used_event already passed: no more until the driver moves it
    EXPECT_EQ(rd(Reg::InterruptStatus), 0u);
    put<uint16_t>(used_event, 4);
    request(0);
    EXPECT_EQ(rd(Reg::InterruptStatus), kInterruptUsedBuffer);
}

// avail_event (§2.7.10): the device asks to be notified when the driver
// adds the entry it will read next.
TEST_F(VirtioQueueTest, AvailEventNamesTheNextEntryToRead) {
    start();
    const uint64_t avail_event = kUsed + 4 + 8 * kSize;
    desc(0, kBuf, 8, kDescFlagWrite);
    offer(0);
    offer(0);
    offer(0);
    notify();
    EXPECT_EQ(get<uint16_t>(avail_event), 3);
    notify();  // nothing new: avail_event still names entry 3
    EXPECT_EQ(get<uint16_t>(avail_event), 3);
}

TEST_F(VirtioQueueTest, WithoutEventIndexAvailEventIsNotWritten) {
    start(kNoEventIdx);
    desc(0, kBuf, 8, kDescFlagWrite);
    request(0);
    EXPECT_EQ(get<uint16_t>(kUsed + 4 + 8 * kSize), 0);
}

TEST_F(VirtioQueueTest, StatusZeroResetsTheTransport) {
    start();
    desc(0, kBuf, 8, kDescFlagWrite);
    request(0);
    wr(Reg::QueueSel, 0);
    wr(Reg::Status, 0);
    EXPECT_EQ(rd(Reg::Status), 0u);
    EXPECT_EQ(rd(Reg::QueueReady), 0u);
    EXPECT_EQ(rd(Reg::QueueDescLow), 0u);
    EXPECT_EQ(rd(Reg::QueueDriverLow), 0u);
    EXPECT_EQ(rd(Reg::QueueDeviceLow), 0u);
    EXPECT_EQ(rd(Reg::InterruptStatus), 0u);
    expect_works_after_reset();
}

TEST_F(VirtioQueueTest, MachineResetIsAStatusZeroReset) {
    start();
    desc(0, kBuf, 8, kDescFlagWrite | kDescFlagNext, 0);
    request(0);
    ASSERT_TRUE(needs_reset());
    t_.reset();
    EXPECT_EQ(rd(Reg::Status), 0u);
    EXPECT_EQ(rd(Reg::InterruptStatus), 0u);
    expect_works_after_reset();
}

// A device whose configuration space the test changes (virtio-rng has none).
class ConfigDevice : public Device {
public:
    std::string_view name() const override { return "config-test"; }
    DeviceId id() const override { return kDeviceEntropy; }
    uint64_t features() const override { return 0; }
    unsigned num_queues() const override { return 1; }
    void read_config(uint64_t offset, std::span<uint8_t> data) override {
        for (size_t i = 0; i < data.size() && offset + i < sizeof(value_); ++i)
            data[i] = uint8_t(value_ >> (8 * (offset + i)));
    }
    void notify(unsigned) override {}
    void change(uint32_t value) {
        value_ = value;
        ctx().config_changed();
    }

private:
    uint32_t value_ = 0x11223344;
};

TEST_F(VirtioQueueTest, ConfigGenerationCountsConfigurationChanges) {
    auto owned = std::make_unique<ConfigDevice>();
    ConfigDevice& dev = *owned;
    std::vector<bool> edges;
    MmioTransport t(dma_, std::move(owned), 0x0a003c00, [&](bool l) { edges.push_back(l); },
                    [](std::string_view) {});
    auto read = [&](uint32_t offset, size_t width = 4) {
        uint8_t d[8] = {};
        t.access(Direction::Read, offset, std::span<uint8_t>(d, width));
        return uint32_t(load_le(std::span<const uint8_t>(d, width)));
    };
    const uint32_t gen = read(Reg::ConfigGeneration);
    EXPECT_EQ(read(Reg::Config), 0x11223344u);
    EXPECT_EQ(read(Reg::Config + 1, 1), 0x33u);  // any width in the config space
    EXPECT_EQ(read(Reg::Config + 4), 0u);  // past the structure
    EXPECT_EQ(read(Reg::ConfigGeneration), gen);
    dev.change(0x55667788);
    EXPECT_NE(read(Reg::ConfigGeneration), gen);
    EXPECT_EQ(read(Reg::Config), 0x55667788u);
    EXPECT_EQ(read(Reg::InterruptStatus), kInterruptConfigChange);
    EXPECT_EQ(edges, std::vector<bool>{true});
    uint8_t ack[4];
    store_le(ack, kInterruptConfigChange);
    t.access(Direction::Write, Reg::InterruptACK, ack);
    EXPECT_EQ(edges, (std::vector<bool>{true, false}));
}

}  // namespace
}  // namespace vmm::virtio
