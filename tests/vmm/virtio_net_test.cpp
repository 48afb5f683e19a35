// virtio-net (virtio §5.1) through its virtio-mmio transport, driven as a
// driver drives it, with a backend in the test that records what the guest
// sends and hands frames in: the header comes off sent frames and goes on
// received ones, frames wait for receive buffers and are dropped past the
// backlog, and chains the specification forbids stop the device.
#include <gtest/gtest.h>

#include <numeric>

#include "vmm/virtio/net.h"
#include "tests/vmm/virtio_driver.h"

namespace vmm::virtio {
namespace {

// What the guest sent, and a way to hand it frames, as a network would.
struct TestBackend : NetBackend {
    std::vector<std::vector<uint8_t>> sent;
    Receiver receiver;
    bool connected = false;
    bool echo = false;  // answer each frame at once, as slirp answers ARP
    int polls = 0;
    std::vector<std::vector<uint8_t>> on_poll;  // frames the next poll brings

    void connect(const Host&, Receiver r) override {
        connected = true;
        receiver = std::move(r);
    }
    void send(std::span<const uint8_t> frame) override {
        sent.emplace_back(frame.begin(), frame.end());
        if (echo) receiver(frame);
    }
    void poll() override {
        ++polls;
        for (const auto& f : on_poll) receiver(f);
        on_poll.clear();
    }
};

using test::VirtioDriver;
using Buf = VirtioDriver::Buf;

std::vector<uint8_t> frame_of(size_t n, uint8_t first) {
    std::vector<uint8_t> f(n);
    std::iota(f.begin(), f.end(), first);
    return f;
}

struct VirtioNetTest : ::testing::Test {
    TestBackend* backend = nullptr;
    Net* net = nullptr;
    std::unique_ptr<VirtioDriver> drv;

    void SetUp() override {
        auto b = std::make_unique<TestBackend>();
        backend = b.get();
        auto n = std::make_unique<Net>(std::move(b));
        net = n.get();
        n->connect(Host{});
        drv = std::make_unique<VirtioDriver>(std::move(n));
    }
    uint64_t next_buf = VirtioDriver::kBuffers;

    void start() { drv->start(0, 2); }
    bool needs_reset() { return drv->status() & kNeedsReset; }
    // Buffers in guest RAM, one after the other: holding `bytes` for the
    // device to read, or `len` bytes for it to write.
    Buf readable(std::span<const uint8_t> bytes) {
        const Buf b{next_buf, uint32_t(bytes.size()), false};
        std::copy(bytes.begin(), bytes.end(), drv->at(b.gpa));
        next_buf += (bytes.size() + 15) & ~size_t(15);
        return b;
    }
    Buf writable(uint32_t len) {
        const Buf b{next_buf, len, true};
        next_buf += (len + 15) & ~uint32_t(15);
        return b;
    }
    std::vector<uint8_t> bytes(uint64_t gpa, size_t n) {
        return std::vector<uint8_t>(drv->at(gpa), drv->at(gpa) + n);
    }
    // A transmit chain: the header, then the frame in two pieces.
    void transmit(const std::vector<uint8_t>& frame) {
        const std::vector<uint8_t> hdr(Net::kHeaderSize, 0);
        const size_t half = frame.size() / 2;
        drv->offer(Net::kTxQueue, {readable(hdr), readable(std::span(frame).first(half)),
                                   readable(std::span(frame).subspan(half))});
        drv->notify(Net::kTxQueue);
    }
};

TEST_F(VirtioNetTest, OffersMacAndStatusAndShowsThemInItsConfig) {
    EXPECT_TRUE(backend->connected);
    EXPECT_EQ(drv->rd(MmioTransport::DeviceID), uint32_t(kDeviceNet));
    const uint64_t f = drv->device_features();
    EXPECT_EQ(
        f & ~(bit(kFeatureVersion1) | bit(kFeatureRingIndirectDesc) | bit(kFeatureRingEventIdx)),
        bit(Net::kFeatureMac) | bit(Net::kFeatureStatus));
    uint8_t config[8] = {};
    for (unsigned i = 0; i < 8; ++i) {
        uint8_t b = 0;
        drv->transport().access(Direction::Read, MmioTransport::Config + i, std::span(&b, 1));
        config[i] = b;
    }
    const uint8_t want[8] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 1, 0};  // MAC, LINK_UP
    EXPECT_EQ(std::vector<uint8_t>(config, config + 8), std::vector<uint8_t>(want, want + 8));
}

TEST_F(VirtioNetTest, TransmitHandsTheFrameWithoutItsHeaderToTheBackend) {
    start();
    const auto frame = frame_of(60, 7);
    transmit(frame);
    ASSERT_EQ(backend->sent.size(), 1u);
    EXPECT_EQ(backend->sent[0], frame);
    auto u = drv->take_used(Net::kTxQueue);
    ASSERT_TRUE(u);
    EXPECT_EQ(u->len, 0u);  // the device wrote nothing
    EXPECT_TRUE(drv->irq);
    EXPECT_FALSE(needs_reset());
}

TEST_F(VirtioNetTest, ReceivedFramesLandInGuestBuffersAfterTheHeader) {
    start();
    const auto frame = frame_of(100, 1);
    const auto buf = writable(1526);
    const uint16_t head = drv->offer(Net::kRxQueue, {buf});
    drv->notify(Net::kRxQueue);
    EXPECT_FALSE(drv->take_used(Net::kRxQueue));  // nothing to receive yet
    backend->on_poll.push_back(frame);
    drv->transport().poll();
    auto u = drv->take_used(Net::kRxQueue);
    ASSERT_TRUE(u);
    EXPECT_EQ(u->id, head);
    EXPECT_EQ(u->len, Net::kHeaderSize + frame.size());
    const auto got = bytes(buf.gpa, u->len);
    const std::vector<uint8_t> header = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0};  // num_buffers 1
    EXPECT_EQ(std::vector<uint8_t>(got.begin(), got.begin() + Net::kHeaderSize), header);
    EXPECT_EQ(std::vector<uint8_t>(got.begin() + Net::kHeaderSize, got.end()), frame);
    EXPECT_TRUE(drv->irq);
}

TEST_F(VirtioNetTest, FramesWaitForBuffersThenArriveInOrderAndTheBacklogDrops) {
    start();
    for (size_t i = 0; i < Net::kRxBacklog + 3; ++i)
        backend->on_poll.push_back(frame_of(64, uint8_t(i)));
    drv->transport().poll();
    EXPECT_FALSE(drv->take_used(Net::kRxQueue));
    EXPECT_EQ(net->rx_dropped(), 3u);
    // New buffers (the driver notifies the receive queue): the oldest first.
    std::vector<Buf> bufs;
    for (int i = 0; i < 2; ++i) {
        bufs.push_back(writable(1526));
        drv->offer(Net::kRxQueue, {bufs.back()});
    }
    drv->notify(Net::kRxQueue);
    for (uint8_t i = 0; i < 2; ++i) {
        auto u = drv->take_used(Net::kRxQueue);
        ASSERT_TRUE(u);
        EXPECT_EQ(bytes(bufs[i].gpa + Net::kHeaderSize, 64), frame_of(64, i));
    }
    EXPECT_FALSE(drv->take_used(Net::kRxQueue));
}

TEST_F(VirtioNetTest, AnAnswerMadeDuringTransmitIsDeliveredInTheSameNotify) {
    start();
    backend->echo = true;
    const auto buf = writable(1526);
    drv->offer(Net::kRxQueue, {buf});
    drv->notify(Net::kRxQueue);
    const auto frame = frame_of(42, 3);
    transmit(frame);
    auto u = drv->take_used(Net::kRxQueue);
    ASSERT_TRUE(u);
    EXPECT_EQ(bytes(buf.gpa + Net::kHeaderSize, frame.size()), frame);
}

TEST_F(VirtioNetTest, ABufferTooSmallForTheFrameComesBackEmptyAndTheFrameIsDropped) {
    start();
    drv->offer(Net::kRxQueue, {writable(Net::kHeaderSize + 10)});
    drv->notify(Net::kRxQueue);
    backend->on_poll.push_back(frame_of(60, 0));
    drv->transport().poll();
    auto u = drv->take_used(Net::kRxQueue);
    ASSERT_TRUE(u);
    EXPECT_EQ(u->len, 0u);
    EXPECT_EQ(net->rx_dropped(), 1u);
    EXPECT_FALSE(needs_reset());
}

TEST_F(VirtioNetTest, AnOversizedFrameIsDroppedUnread) {
    start();
    const std::vector<uint8_t> hdr(Net::kHeaderSize, 0);
    // A length past kMaxFrame that the driver claims; the bytes are never read.
    drv->offer(Net::kTxQueue, {readable(hdr), {VirtioDriver::kRamBase, Net::kMaxFrame + 1, false}});
    drv->notify(Net::kTxQueue);
    EXPECT_TRUE(backend->sent.empty());
    EXPECT_EQ(net->tx_dropped(), 1u);
    EXPECT_TRUE(drv->take_used(Net::kTxQueue));
    EXPECT_FALSE(needs_reset());
}

TEST_F(VirtioNetTest, ATransmitChainShorterThanTheHeaderNeedsAReset) {
    start();
    const std::vector<uint8_t> short_hdr(Net::kHeaderSize - 1, 0);
    drv->offer(Net::kTxQueue, {readable(short_hdr)});
    drv->notify(Net::kTxQueue);
    EXPECT_TRUE(needs_reset());
    EXPECT_TRUE(backend->sent.empty());
}

TEST_F(VirtioNetTest, ATransmitChainWithAWritableBufferNeedsAReset) {
    start();
    const auto frame = frame_of(60 + Net::kHeaderSize, 0);
    drv->offer(Net::kTxQueue, {readable(frame), writable(16)});
    drv->notify(Net::kTxQueue);
    EXPECT_TRUE(needs_reset());
    EXPECT_TRUE(backend->sent.empty());
}

TEST_F(VirtioNetTest, AReceiveChainWithAReadableBufferNeedsAReset) {
    start();
    const std::vector<uint8_t> junk(16, 0);
    drv->offer(Net::kRxQueue, {readable(junk), writable(1526)});
    drv->notify(Net::kRxQueue);
    EXPECT_FALSE(needs_reset());  // nothing to receive: the chain is not taken yet
    backend->on_poll.push_back(frame_of(60, 0));
    drv->transport().poll();
    EXPECT_TRUE(needs_reset());
}

TEST_F(VirtioNetTest, ResetForgetsFramesThatWaited) {
    start();
    backend->on_poll.push_back(frame_of(60, 9));
    drv->transport().poll();
    drv->wr(MmioTransport::Status, 0);
    start();
    drv->offer(Net::kRxQueue, {writable(1526)});
    drv->notify(Net::kRxQueue);
    EXPECT_FALSE(drv->take_used(Net::kRxQueue));
}

TEST_F(VirtioNetTest, TheBackendIsPolledOnlyWhileTheDriverRunsIt) {
    drv->transport().poll();
    EXPECT_EQ(backend->polls, 0);
    start();  // DRIVER_OK polls once: what waited meanwhile comes in
    EXPECT_EQ(backend->polls, 1);
    drv->transport().poll();
    EXPECT_EQ(backend->polls, 2);
}

}  // namespace
}  // namespace vmm::virtio
