// A virtio driver for device tests: guest RAM, the DMA path and one
// virtio-mmio transport, with no machine and no vcpu. It negotiates as
// Linux's virtio_mmio does, lays its queues out in RAM and submits chains
// the way a driver writes them: descriptors, available ring, QueueNotify.
// submit() runs one request on queue 0 to completion; offer(), notify()
// and take_used() keep several chains in flight on any queue (a network
// card's receive buffers).
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "vmm/bus.h"
#include "vmm/guest_ram.h"
#include "vmm/virtio/dma.h"
#include "vmm/virtio/mmio.h"
#include "vmm/virtio/virtio.h"

namespace vmm::virtio::test {

class VirtioDriver {
public:
    static constexpr uint64_t kRamBase = 0x4000'0000;
    static constexpr uint64_t kRamSize = 4 << 20;
    static constexpr uint32_t kQueueSize = 16;
    // Where the driver puts its ring and its buffers.
    static constexpr uint64_t kDesc = kRamBase;
    static constexpr uint64_t kAvail = kRamBase + 0x1000;
    static constexpr uint64_t kUsed = kRamBase + 0x2000;
    static constexpr uint64_t kBuffers = kRamBase + 0x10000;
    // Queue q's rings are at kDesc, kAvail and kUsed + q * kQueueStride.
    static constexpr uint64_t kQueueStride = 0x3000;
    static constexpr unsigned kMaxQueues = 4;

    struct Buf {
        uint64_t gpa;
        uint32_t len;
        bool device_writes;
    };

    explicit VirtioDriver(std::unique_ptr<Device> dev)
        : ram_(make_ram()),
          dma_(ram_, [this](uint64_t gpa, uint64_t size) { written.push_back({gpa, size}); }),
          transport_(dma_, std::move(dev), 0x0a003e00, [this](bool l) { irq = l; },
                     [this](std::string_view line) { log.emplace_back(line); }) {}

    uint32_t rd(uint32_t off) {
        uint8_t d[4] = {};
        transport_.access(Direction::Read, off, d);
        return uint32_t(load_le(d));
    }
    void wr(uint32_t off, uint32_t v) {
        uint8_t d[4];
        store_le(d, v);
        transport_.access(Direction::Write, off, d);
    }
    template <typename T> T config(uint32_t off) {
        uint8_t d[sizeof(T)] = {};
        transport_.access(Direction::Read, MmioTransport::Config + off, d);
        return T(load_le(d));
    }
    uint64_t device_features() {
        wr(MmioTransport::DeviceFeaturesSel, 0);
        const uint64_t lo = rd(MmioTransport::DeviceFeatures);
        wr(MmioTransport::DeviceFeaturesSel, 1);
        return lo | uint64_t(rd(MmioTransport::DeviceFeatures)) << 32;
    }

    // Status ACKNOWLEDGE .. DRIVER_OK with every offered feature but
    // EVENT_IDX and those in refuse, and queues 0 .. queues - 1 laid out.
    void start(uint64_t refuse = 0, unsigned queues = 1) {
        wr(MmioTransport::Status, kAcknowledge | kDriver);
        const uint64_t f = device_features() & ~bit(kFeatureRingEventIdx) & ~refuse;
        for (uint32_t sel = 0; sel < 2; ++sel) {
            wr(MmioTransport::DriverFeaturesSel, sel);
            wr(MmioTransport::DriverFeatures, uint32_t(f >> (32 * sel)));
        }
        wr(MmioTransport::Status, kAcknowledge | kDriver | kFeaturesOk);
        if (!(rd(MmioTransport::Status) & kFeaturesOk))
            throw std::runtime_error("FEATURES_OK refused");
        for (unsigned q = 0; q < queues; ++q) {
            wr(MmioTransport::QueueSel, q);
            wr(MmioTransport::QueueNum, kQueueSize);
            wr(MmioTransport::QueueDescLow, uint32_t(kDesc + q * kQueueStride));
            wr(MmioTransport::QueueDriverLow, uint32_t(kAvail + q * kQueueStride));
            wr(MmioTransport::QueueDeviceLow, uint32_t(kUsed + q * kQueueStride));
            wr(MmioTransport::QueueReady, 1);
        }
        wr(MmioTransport::Status, kAcknowledge | kDriver | kFeaturesOk | kDriverOk);
    }

    // Host view of guest RAM.
    uint8_t* at(uint64_t gpa) { return ram_.slice({gpa, 1}).data(); }
    uint16_t used_idx() { return le16(kUsed + 2); }
    uint32_t used_len(uint16_t i) { return le32(kUsed + 4 + 8 * (i % kQueueSize) + 4); }

    // Puts the chain in descriptors 0.. and on the available ring, notifies,
    // and returns the used element's len, nullopt when none came back.
    std::optional<uint32_t> submit(const std::vector<Buf>& chain) {
        for (size_t i = 0; i < chain.size(); ++i) {
            uint8_t* d = at(kDesc + 16 * i);
            const uint16_t flags = uint16_t((i + 1 < chain.size() ? kDescFlagNext : 0) |
                                            (chain[i].device_writes ? kDescFlagWrite : 0));
            store_le({d, 8}, chain[i].gpa);
            store_le({d + 8, 4}, chain[i].len);
            store_le({d + 12, 2}, flags);
            store_le({d + 14, 2}, i + 1);
        }
        const uint16_t avail = le16(kAvail + 2);
        store_le({at(kAvail + 4 + 2 * (avail % kQueueSize)), 2}, 0);
        store_le({at(kAvail + 2), 2}, uint16_t(avail + 1));
        const uint16_t before = used_idx();
        wr(MmioTransport::QueueNotify, 0);
        if (used_idx() != uint16_t(before + 1)) return std::nullopt;
        return used_len(before);
    }
    uint32_t status() { return rd(MmioTransport::Status); }
    MmioTransport& transport() { return transport_; }

    // Puts the chain on queue q's available ring, in the descriptors after
    // the last chain offered there, without notifying; returns its head.
    uint16_t offer(unsigned q, const std::vector<Buf>& chain) {
        const uint64_t ring = q * kQueueStride;
        const uint16_t head = next_desc_.at(q);
        for (size_t i = 0; i < chain.size(); ++i) {
            const uint16_t n = uint16_t((head + i) % kQueueSize);
            uint8_t* d = at(kDesc + ring + 16 * n);
            const uint16_t flags = uint16_t((i + 1 < chain.size() ? kDescFlagNext : 0) |
                                            (chain[i].device_writes ? kDescFlagWrite : 0));
            store_le({d, 8}, chain[i].gpa);
            store_le({d + 8, 4}, chain[i].len);
            store_le({d + 12, 2}, flags);
            store_le({d + 14, 2}, (n + 1) % kQueueSize);
        }
        next_desc_.at(q) = uint16_t((head + chain.size()) % kQueueSize);
        const uint16_t avail = le16(kAvail + ring + 2);
        store_le({at(kAvail + ring + 4 + 2 * (avail % kQueueSize)), 2}, head);
        store_le({at(kAvail + ring + 2), 2}, uint16_t(avail + 1));
        return head;
    }
    void notify(unsigned q) { wr(MmioTransport::QueueNotify, q); }
    struct Used {
        uint32_t id;
        uint32_t len;
    };
    // Queue q's next used element, nullopt when the device put none since.
    std::optional<Used> take_used(unsigned q) {
        const uint64_t used = kUsed + q * kQueueStride;
        if (le16(used + 2) == last_used_.at(q)) return std::nullopt;
        const uint64_t elem = used + 4 + 8 * (last_used_.at(q)++ % kQueueSize);
        return Used{le32(elem), le32(elem + 4)};
    }

    std::vector<GpaRange> written;  // every DMA write, in order
    std::vector<std::string> log;
    bool irq = false;

private:
    static GuestRam make_ram() {
        auto r = GuestRam::create(kRamBase, kRamSize);
        if (!r) throw std::runtime_error(r.error().message);
        return std::move(r.value());
    }
    uint16_t le16(uint64_t gpa) { return uint16_t(load_le({at(gpa), 2})); }
    uint32_t le32(uint64_t gpa) { return uint32_t(load_le({at(gpa), 4})); }

    GuestRam ram_;
    Dma dma_;
    MmioTransport transport_;
    std::array<uint16_t, kMaxQueues> next_desc_{};
    std::array<uint16_t, kMaxQueues> last_used_{};
};

}  // namespace vmm::virtio::test
