// A virtio driver for device tests: guest RAM, the DMA path and one
// virtio-mmio transport, with no machine and no vcpu. It negotiates as
// Linux's virtio_mmio does, lays one queue out in RAM and submits chains
// the way a driver writes them: descriptors, available ring, QueueNotify.
#pragma once

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
    // EVENT_IDX and those in refuse, and queue 0 laid out at kDesc, kAvail,
    // kUsed.
    void start(uint64_t refuse = 0) {
        wr(MmioTransport::Status, kAcknowledge | kDriver);
        const uint64_t f = device_features() & ~bit(kFeatureRingEventIdx) & ~refuse;
        for (uint32_t sel = 0; sel < 2; ++sel) {
            wr(MmioTransport::DriverFeaturesSel, sel);
            wr(MmioTransport::DriverFeatures, uint32_t(f >> (32 * sel)));
        }
        wr(MmioTransport::Status, kAcknowledge | kDriver | kFeaturesOk);
        if (!(rd(MmioTransport::Status) & kFeaturesOk))
            throw std::runtime_error("FEATURES_OK refused");
        wr(MmioTransport::QueueSel, 0);
        wr(MmioTransport::QueueNum, kQueueSize);
        wr(MmioTransport::QueueDescLow, uint32_t(kDesc));
        wr(MmioTransport::QueueDriverLow, uint32_t(kAvail));
        wr(MmioTransport::QueueDeviceLow, uint32_t(kUsed));
        wr(MmioTransport::QueueReady, 1);
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
};

}  // namespace vmm::virtio::test
