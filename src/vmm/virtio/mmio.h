// The virtio-mmio transport, version 2 (virtio §4.2.2), as QEMU virt has 32
// of them: one bus device per transport, with or without a virtio device
// behind it (an unused transport reads as device id 0, §4.2.3.1.1).
//
// A QueueNotify write is served at once, in the MMIO exit that carries it:
// the requests complete, their data is in guest RAM and the interrupt is
// raised before the vcpu runs again (no ioeventfd, no I/O thread), so a
// request's effects sit at one instruction of guest time.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>

#include "vmm/bus.h"
#include "vmm/virtio/device.h"

namespace vmm::virtio {

class MmioTransport : public vmm::Device, private Context {
public:
    // Register offsets (§4.2.2, table "MMIO Device Register Layout").
    enum Reg : uint32_t {
        MagicValue = 0x000,
        Version = 0x004,
        DeviceID = 0x008,
        VendorID = 0x00C,
        DeviceFeatures = 0x010,
        DeviceFeaturesSel = 0x014,
        DriverFeatures = 0x020,
        DriverFeaturesSel = 0x024,
        QueueSel = 0x030,
        QueueNumMax = 0x034,
        QueueNum = 0x038,
        QueueReady = 0x044,
        QueueNotify = 0x050,
        InterruptStatus = 0x060,
        InterruptACK = 0x064,
        Status = 0x070,
        QueueDescLow = 0x080,
        QueueDescHigh = 0x084,
        QueueDriverLow = 0x090,
        QueueDriverHigh = 0x094,
        QueueDeviceLow = 0x0A0,
        QueueDeviceHigh = 0x0A4,
        ConfigGeneration = 0x0FC,
        Config = 0x100,
    };
    static constexpr uint32_t kMagic = 0x74726976;   // "virt"
    static constexpr uint32_t kVendorQemu = 0x554D4551;  // "QEMU", as QEMU's transports say
    static constexpr unsigned kMaxQueues = 8;

    // The interrupt line: the level is InterruptStatus != 0, as QEMU drives
    // it (the device tree calls the SPI edge-triggered; the GIC sees the edge).
    using IrqLine = std::function<void(bool level)>;
    // dev may be null: an unused transport. base names it in the log.
    MmioTransport(const Dma& dma, std::unique_ptr<virtio::Device> dev, uint64_t base, IrqLine irq,
                  LogSink log);

    std::string_view name() const override;
    void access(Direction dir, uint64_t offset, std::span<uint8_t> data) override;

    // The machine's reset: as the driver writing Status 0.
    void reset();
    // Outside input for the device (Device::poll), while the vcpus are out.
    void poll();
    uint32_t status() const { return status_; }
    virtio::Device* device() const { return dev_.get(); }

private:
    uint32_t read_reg(uint32_t offset) const;
    void write_reg(uint32_t offset, uint32_t value);
    void write_status(uint32_t value);
    void write_queue_addr(uint32_t offset, uint32_t value);
    void set_queue_ready(bool ready);
    void notify_queue(uint32_t index);
    uint64_t offered_features() const;
    // The queue QueueSel names, if the device has it.
    const Virtqueue* selected() const;
    Virtqueue* selected();
    void update_irq();
    void needs_reset(const std::string& why);

    // Context
    const Dma& dma() const override { return dma_; }
    Virtqueue& queue(unsigned i) override { return queues_.at(i); }
    uint64_t driver_features() const override { return driver_features_; }
    bool live() const override;
    void used(unsigned i) override;
    void fail(unsigned i, const kvm::Error& why) override;
    void config_changed() override;

    const Dma& dma_;
    std::unique_ptr<virtio::Device> dev_;
    uint64_t base_;
    IrqLine irq_;
    LogSink log_;
    std::string name_;
    std::array<Virtqueue, kMaxQueues> queues_{};
    uint32_t status_ = 0;
    uint32_t isr_ = 0;
    uint32_t config_generation_ = 0;
    uint32_t device_features_sel_ = 0;
    uint32_t driver_features_sel_ = 0;
    uint64_t driver_features_ = 0;
    uint32_t queue_sel_ = 0;
    bool irq_level_ = false;
    std::set<std::string> logged_;  // each distinct complaint once
};

}  // namespace vmm::virtio
