#include "vmm/virtio/net.h"

#include <algorithm>

namespace vmm::virtio {

namespace {

// virtio_net_hdr for a received frame: no flags, GSO_NONE, and num_buffers
// (offset 10) = 1, the one chain that holds it (§5.1.6.4).
constexpr std::array<uint8_t, Net::kHeaderSize> kRxHeader = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0};

}  // namespace

Net::Net(std::unique_ptr<NetBackend> backend, Mac mac) : backend_(std::move(backend)), mac_(mac) {}

void Net::read_config(uint64_t offset, std::span<uint8_t> data) {
    // struct virtio_net_config (§5.1.4): mac, then status; the fields after
    // it belong to features not offered.
    std::array<uint8_t, 8> config{};
    std::copy(mac_.begin(), mac_.end(), config.begin());
    config[6] = uint8_t(kStatusLinkUp);
    for (size_t i = 0; i < data.size() && offset + i < config.size(); ++i)
        data[i] = config[size_t(offset + i)];
}

void Net::connect(const Host& host) {
    backend_->connect(host, [this](std::span<const uint8_t> frame) { receive(frame); });
}

void Net::notify(unsigned queue) {
    if (queue == kTxQueue) transmit();
    deliver();
}

void Net::poll() {
    backend_->poll();
    deliver();
}

void Net::receive(std::span<const uint8_t> frame) {
    if (backlog_.size() >= kRxBacklog) {
        ++rx_dropped_;
        return;
    }
    backlog_.emplace_back(frame.begin(), frame.end());
}

void Net::transmit() {
    std::vector<uint8_t> frame;
    serve(kTxQueue, [&](const DescChain& chain) -> kvm::Result<uint32_t> {
        if (!chain.writable.empty())
            return kvm::Error{"transmit chain has device-writable buffers"};
        ChainReader r(ctx().dma(), chain.readable);
        std::array<uint8_t, kHeaderSize> header;
        if (!r.read(header)) return kvm::Error{"transmit chain shorter than the virtio-net header"};
        if (r.remaining() > kMaxFrame) {
            ++tx_dropped_;
            return 0u;
        }
        frame.resize(size_t(r.remaining()));
        r.read(frame);  // the chain was checked to lie in RAM
        backend_->send(frame);
        return 0u;  // the device wrote nothing
    });
}

// Frames from the backlog into receive chains, one frame per chain, while
// both last.
void Net::deliver() {
    // Not live after a transmit that just failed the device.
    if (!ctx().live() || !ctx().queue(kRxQueue).ready || backlog_.empty()) return;
    serve_while(kRxQueue, [this] { return !backlog_.empty(); },
                [this](const DescChain& c) -> kvm::Result<uint32_t> {
                    if (!c.readable.empty())
                        return kvm::Error{"receive chain has device-readable buffers"};
                    const std::vector<uint8_t>& frame = backlog_.front();
                    ChainWriter w(ctx().dma(), c.writable);
                    uint32_t len = 0;  // too small for the frame: dropped, as QEMU does
                    if (w.remaining() >= kHeaderSize + frame.size()) {
                        w.write(kRxHeader);
                        w.write(frame);
                        len = w.written();
                    } else {
                        ++rx_dropped_;
                    }
                    backlog_.pop_front();
                    return len;
                });
}

}  // namespace vmm::virtio
