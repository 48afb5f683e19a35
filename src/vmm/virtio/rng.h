// virtio-rng, the entropy device (virtio §5.4): one request queue whose
// writable buffers the device fills with random bytes from the host's
// getrandom(2). The bytes are input from outside the VM, as packets are
// (a recording logs them, DESIGN.md "Determinism and time").
#pragma once

#include <cstdint>
#include <functional>
#include <span>

#include "vmm/virtio/device.h"

namespace vmm::virtio {

class Rng : public Device {
public:
    // Fills the span with entropy; the default is getrandom(2).
    using Source = std::function<void(std::span<uint8_t>)>;
    explicit Rng(Source source = host_entropy());
    static Source host_entropy();

    std::string_view name() const override { return "virtio-rng"; }
    DeviceId id() const override { return kDeviceEntropy; }
    uint64_t features() const override { return 0; }  // §5.4.3: none
    unsigned num_queues() const override { return 1; }
    void read_config(uint64_t, std::span<uint8_t>) override {}  // §5.4.4: none
    void notify(unsigned queue) override;

    // The most one request gets: Linux asks for at most a page at a time;
    // a guest that offers 4 GiB of buffer gets this much and no more.
    static constexpr uint32_t kMaxRequest = 64 * 1024;

private:
    Source source_;
};

}  // namespace vmm::virtio
