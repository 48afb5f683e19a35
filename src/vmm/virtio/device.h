// A virtio device behind a transport (virtio-mmio, mmio.h): what a device
// offers the transport, and what the transport offers the device.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string_view>

#include "kvm/result.h"
#include "vmm/virtio/dma.h"
#include "vmm/virtio/virtio.h"
#include "vmm/virtio/virtqueue.h"

namespace vmm::virtio {

// The transport, as the device sees it.
class Context {
public:
    virtual const Dma& dma() const = 0;
    virtual Virtqueue& queue(unsigned i) = 0;
    virtual uint64_t driver_features() const = 0;
    // DRIVER_OK set and DEVICE_NEEDS_RESET not: the device may use its queues.
    virtual bool live() const = 0;
    // The device put chains on queue i's used ring: interrupt the driver if
    // it asked for one (used buffer notification, §2.7.7.2).
    virtual void used(unsigned i) = 0;
    // The driver broke the rules on queue i (a malformed request, a chain
    // the device cannot use): DEVICE_NEEDS_RESET, and the device stops.
    virtual void fail(unsigned i, const kvm::Error& why) = 0;
    // The device changed its configuration space (§2.5.1).
    virtual void config_changed() = 0;

protected:
    ~Context() = default;
};

// The machine, as a device whose input comes from outside the VM (a
// network) sees it.
struct Host {
    // The VM's clock, guest virtual time in ns (the system counter); read on
    // the VMM's thread only.
    std::function<uint64_t()> guest_ns;
    // From any thread: the vcpus leave run() soon, so that the VMM calls
    // poll() even while the guest waits in WFI.
    std::function<void()> kick;
};

class Device {
public:
    virtual ~Device() = default;
    // "virtio-blk", ...: in logs and the exit trace.
    virtual std::string_view name() const = 0;
    virtual DeviceId id() const = 0;
    // Device-type feature bits; the transport adds VERSION_1, INDIRECT_DESC
    // and EVENT_IDX.
    virtual uint64_t features() const = 0;
    virtual unsigned num_queues() const = 0;
    virtual uint32_t queue_max_size() const { return 256; }
    // Device-specific configuration space (§4.2.2 offset 0x100 on): data
    // arrives zeroed; offsets past the structure read 0 and ignore writes.
    virtual void read_config(uint64_t offset, std::span<uint8_t> data) = 0;
    virtual void write_config(uint64_t offset, std::span<const uint8_t> data) {
        (void)offset, (void)data;
    }
    // The transport calls attach once, before anything but connect.
    void attach(Context& ctx) { ctx_ = &ctx; }
    // The machine calls connect once, as it makes the device; the device
    // may call host's functions until it is destroyed (the machine destroys
    // its devices before its vcpus).
    virtual void connect(const Host& host) { (void)host; }
    // DRIVER_OK: the driver finished setting up.
    virtual void activate() {}
    // The driver wrote queue i's index to QueueNotify (only while live()).
    virtual void notify(unsigned queue) = 0;
    // Device reset (Status 0, or the machine's reset): back to the state
    // before the driver found it; the transport resets the queues.
    virtual void reset() {}
    // Input from outside the VM (packets) may wait: take it in now. The VMM
    // calls this while the vcpus are out (Machine::run).
    virtual void poll() {}

protected:
    Context& ctx() const { return *ctx_; }
    // Serves every available chain on queue q: handler(chain) does the
    // request and returns the bytes it wrote into the chain (the used
    // element's len), or an error that fails the device. Then the driver is
    // notified as it asked.
    template <typename Handler> void serve(unsigned q, Handler&& handler) {
        serve_while(q, [] { return true; }, handler);
    }
    // The same, taking a chain only while more() holds (receive queues:
    // while frames wait).
    template <typename More, typename Handler>
    void serve_while(unsigned q, More&& more, Handler&& handler);

private:
    Context* ctx_ = nullptr;
};

template <typename More, typename Handler>
void Device::serve_while(unsigned q, More&& more, Handler&& handler) {
    Virtqueue& vq = ctx().queue(q);
    // The vcpus wait while a device serves (one host thread), so the driver
    // adds no chain meanwhile: more chains than the ring holds means the
    // device's own writes refill it (a writable buffer over the available
    // ring), which would keep it here for ever.
    for (uint32_t served = 0; more(); ++served) {
        auto chain = vq.pop(ctx().dma());
        if (!chain) return ctx().fail(q, chain.error());
        if (!chain.value()) break;
        if (served == vq.size)
            return ctx().fail(q, kvm::Error{"the device's writes refill the available ring"});
        kvm::Result<uint32_t> len = handler(*chain.value());
        if (!len) return ctx().fail(q, len.error());
        if (auto r = vq.push(ctx().dma(), chain.value()->head, len.value()); !r)
            return ctx().fail(q, r.error());
    }
    ctx().used(q);
}

}  // namespace vmm::virtio
