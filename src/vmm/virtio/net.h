// virtio-net, the network device (virtio §5.1): receive queue 0, transmit
// queue 1, a fixed MAC and a link that is always up. Every buffer starts
// with the 12-byte virtio_net_hdr (§5.1.6, VERSION_1: num_buffers always
// there); no offload is offered (no CSUM, GSO or MRG_RXBUF), so a frame is
// a plain Ethernet frame and each received frame fills one chain.
//
// Frames the guest sends go to a backend (slirp_net.h) at once, inside the
// QueueNotify exit. Frames the backend has for the guest wait in a bounded
// queue (full: dropped, as a NIC's FIFO drops) until the driver has
// receive buffers; they are delivered at poll(), after a notify of the
// receive queue (new buffers), and after a transmit (a reply the backend
// made at once, such as ARP or DHCP).
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "vmm/virtio/device.h"

namespace vmm::virtio {

// Where a virtio-net device's frames go and come from.
class NetBackend {
public:
    // Takes one frame for the guest (copies it).
    using Receiver = std::function<void(std::span<const uint8_t> frame)>;
    virtual ~NetBackend() = default;
    // Once, before anything else: the machine, and where frames for the
    // guest go (from send() or poll(), on the VMM's thread).
    virtual void connect(const Host& host, Receiver receiver) = 0;
    // A frame from the guest.
    virtual void send(std::span<const uint8_t> frame) = 0;
    // Takes in what waits outside (sockets, timers).
    virtual void poll() = 0;
};

class Net : public Device {
public:
    using Mac = std::array<uint8_t, 6>;
    // QEMU's default MAC for the first NIC.
    static constexpr Mac kDefaultMac = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
    // Feature bits (§5.1.3) and the status bit (§5.1.4).
    static constexpr unsigned kFeatureMac = 5;
    static constexpr unsigned kFeatureStatus = 16;
    static constexpr uint16_t kStatusLinkUp = 1;
    static constexpr unsigned kRxQueue = 0, kTxQueue = 1;
    // struct virtio_net_hdr with num_buffers (§5.1.6).
    static constexpr uint32_t kHeaderSize = 12;
    // The longest frame taken from the guest: an Ethernet header with a VLAN
    // tag and the largest IPv4 packet. Longer ones are dropped unread.
    static constexpr uint32_t kMaxFrame = 14 + 4 + 65535;
    // Frames waiting for receive buffers.
    static constexpr size_t kRxBacklog = 256;

    explicit Net(std::unique_ptr<NetBackend> backend, Mac mac = kDefaultMac);

    std::string_view name() const override { return "virtio-net"; }
    DeviceId id() const override { return kDeviceNet; }
    uint64_t features() const override { return bit(kFeatureMac) | bit(kFeatureStatus); }
    unsigned num_queues() const override { return 2; }
    void read_config(uint64_t offset, std::span<uint8_t> data) override;
    void connect(const Host& host) override;
    void activate() override { poll(); }
    void notify(unsigned queue) override;
    void reset() override { backlog_.clear(); }
    void poll() override;

    // Frames dropped: for a full backlog, and oversized ones from the guest.
    uint64_t rx_dropped() const { return rx_dropped_; }
    uint64_t tx_dropped() const { return tx_dropped_; }

private:
    void receive(std::span<const uint8_t> frame);
    void transmit();
    void deliver();

    std::unique_ptr<NetBackend> backend_;
    Mac mac_;
    std::deque<std::vector<uint8_t>> backlog_;
    uint64_t rx_dropped_ = 0;
    uint64_t tx_dropped_ = 0;
};

}  // namespace vmm::virtio
