#include "vmm/virtio/mmio.h"

#include <fmt/format.h>

#include <utility>

namespace vmm::virtio {

namespace {

// What the rings support for every device (§6).
constexpr uint64_t kTransportFeatures =
    bit(kFeatureVersion1) | bit(kFeatureRingIndirectDesc) | bit(kFeatureRingEventIdx);

}  // namespace

MmioTransport::MmioTransport(const Dma& dma, std::unique_ptr<virtio::Device> dev, uint64_t base,
                             IrqLine irq, LogSink log)
    : dma_(dma), dev_(std::move(dev)), base_(base), irq_(std::move(irq)), log_(std::move(log)) {
    name_ = fmt::format("{}@{:#x}", dev_ ? dev_->name() : "virtio-mmio", base_);
    if (dev_) dev_->attach(*this);
}

std::string_view MmioTransport::name() const { return name_; }

uint64_t MmioTransport::offered_features() const {
    return dev_ ? dev_->features() | kTransportFeatures : 0;
}

const Virtqueue* MmioTransport::selected() const {
    if (!dev_ || queue_sel_ >= dev_->num_queues() || queue_sel_ >= kMaxQueues) return nullptr;
    return &queues_[queue_sel_];
}

Virtqueue* MmioTransport::selected() {
    return const_cast<Virtqueue*>(std::as_const(*this).selected());
}

bool MmioTransport::live() const { return (status_ & (kDriverOk | kNeedsReset)) == kDriverOk; }

void MmioTransport::access(Direction dir, uint64_t offset, std::span<uint8_t> data) {
    if (offset >= Config) {
        // Configuration space: any width the device's fields have (§4.2.2).
        if (!dev_) return;
        if (dir == Direction::Read)
            dev_->read_config(offset - Config, data);
        else
            dev_->write_config(offset - Config, data);
        return;
    }
    // The registers are 32 bits wide and aligned (§4.2.2.2); anything else
    // reads 0 and is ignored, as the bus promises.
    if (data.size() != 4 || offset % 4 != 0) return;
    if (dir == Direction::Read)
        store_le(data, read_reg(uint32_t(offset)));
    else
        write_reg(uint32_t(offset), uint32_t(load_le(data)));
}

uint32_t MmioTransport::read_reg(uint32_t offset) const {
    switch (offset) {
    case MagicValue: return kMagic;
    case Version: return 2;
    case DeviceID: return dev_ ? dev_->id() : kDeviceNone;
    case VendorID: return kVendorQemu;
    default: break;
    }
    if (!dev_) return 0;
    const Virtqueue* q = selected();
    switch (offset) {
    case DeviceFeatures:
        return device_features_sel_ < 2 ? uint32_t(offered_features() >> (32 * device_features_sel_))
                                        : 0;
    case QueueNumMax: return q ? dev_->queue_max_size() : 0;
    case QueueReady: return q && q->ready;
    case InterruptStatus: return isr_;
    case Status: return status_;
    case ConfigGeneration: return config_generation_;
    case QueueDescLow: return q ? uint32_t(q->desc) : 0;
    case QueueDescHigh: return q ? uint32_t(q->desc >> 32) : 0;
    case QueueDriverLow: return q ? uint32_t(q->avail) : 0;
    case QueueDriverHigh: return q ? uint32_t(q->avail >> 32) : 0;
    case QueueDeviceLow: return q ? uint32_t(q->used) : 0;
    case QueueDeviceHigh: return q ? uint32_t(q->used >> 32) : 0;
    default: return 0;  // write-only and reserved registers
    }
}

void MmioTransport::write_reg(uint32_t offset, uint32_t value) {
    if (!dev_) return;
    switch (offset) {
    case DeviceFeaturesSel: device_features_sel_ = value; break;
    case DriverFeaturesSel: driver_features_sel_ = value; break;
    case DriverFeatures:
        // Only while negotiating (§3.1.1): FEATURES_OK freezes them.
        if (driver_features_sel_ < 2 && !(status_ & kFeaturesOk)) {
            const unsigned shift = 32 * driver_features_sel_;
            driver_features_ = (driver_features_ & ~(uint64_t(UINT32_MAX) << shift)) |
                               uint64_t(value) << shift;
        }
        break;
    case QueueSel: queue_sel_ = value; break;
    case QueueNum:
        if (Virtqueue* q = selected(); q && !q->ready) q->size = value;
        break;
    case QueueReady: set_queue_ready(value & 1); break;
    case QueueNotify: notify_queue(value & 0xFFFF); break;
    case InterruptACK:
        isr_ &= ~value;
        update_irq();
        break;
    case Status: write_status(value); break;
    case QueueDescLow:
    case QueueDescHigh:
    case QueueDriverLow:
    case QueueDriverHigh:
    case QueueDeviceLow:
    case QueueDeviceHigh: write_queue_addr(offset, value); break;
    default: break;  // read-only and reserved registers
    }
}

void MmioTransport::write_queue_addr(uint32_t offset, uint32_t value) {
    Virtqueue* q = selected();
    if (!q || q->ready) return;  // §4.2.2.1: not while the queue is in use
    uint64_t* field = offset < QueueDriverLow ? &q->desc : offset < QueueDeviceLow ? &q->avail
                                                                                   : &q->used;
    const unsigned shift = (offset & 4) ? 32 : 0;
    *field = (*field & ~(uint64_t(UINT32_MAX) << shift)) | uint64_t(value) << shift;
}

void MmioTransport::set_queue_ready(bool ready) {
    Virtqueue* q = selected();
    if (!q) return;
    if (!ready) {
        q->ready = false;
        return;
    }
    if (auto r = q->check_layout(dma_, dev_->queue_max_size()); !r)
        return needs_reset(fmt::format("queue {}: {}", queue_sel_, r.error().message));
    q->set_indirect(driver_features_ & bit(kFeatureRingIndirectDesc));
    q->set_event_idx(driver_features_ & bit(kFeatureRingEventIdx));
    q->ready = true;
}

void MmioTransport::notify_queue(uint32_t index) {
    if (index >= dev_->num_queues() || index >= kMaxQueues || !queues_[index].ready) return;
    if (status_ & kNeedsReset) return;  // stopped until the driver resets it
    if (!(status_ & kDriverOk))
        return needs_reset(fmt::format("queue {} notified before DRIVER_OK", index));
    dev_->notify(index);
}

void MmioTransport::write_status(uint32_t value) {
    if (value == 0) return reset();
    const uint32_t added = value & ~status_;
    // FEATURES_OK sticks only for a subset of what we offered that
    // includes VERSION_1 (§3.1.1, §6.1: a version 2 transport has no legacy
    // interface); the driver reads Status back to see it refused.
    if ((added & kFeaturesOk) && ((driver_features_ & ~offered_features()) ||
                                  !(driver_features_ & bit(kFeatureVersion1))))
        value &= ~kFeaturesOk;
    status_ = value | (status_ & kNeedsReset);
    if ((added & kDriverOk) && !(status_ & kNeedsReset)) dev_->activate();
}

void MmioTransport::reset() {
    if (dev_) dev_->reset();
    for (Virtqueue& q : queues_) q.reset();
    status_ = 0;
    isr_ = 0;
    driver_features_ = 0;
    device_features_sel_ = driver_features_sel_ = queue_sel_ = 0;
    update_irq();
}

void MmioTransport::poll() {
    if (live()) dev_->poll();
}

void MmioTransport::used(unsigned i) {
    auto want = queues_.at(i).notify_driver(dma_);
    if (!want) return fail(i, want.error());
    if (!want.value()) return;
    isr_ |= kInterruptUsedBuffer;
    update_irq();
}

void MmioTransport::fail(unsigned i, const kvm::Error& why) {
    needs_reset(fmt::format("queue {}: {}", i, why.message));
}

void MmioTransport::config_changed() {
    ++config_generation_;
    isr_ |= kInterruptConfigChange;
    update_irq();
}

// §2.1.2: DEVICE_NEEDS_RESET, and a configuration change notification if
// the driver is already running the device.
void MmioTransport::needs_reset(const std::string& why) {
    if (logged_.size() < 16 && logged_.insert(why).second)
        log_(fmt::format("{}: {}; the device needs a reset", name_, why));
    const bool was_ok = status_ & kDriverOk;
    status_ |= kNeedsReset;
    if (was_ok) {
        isr_ |= kInterruptConfigChange;
        update_irq();
    }
}

void MmioTransport::update_irq() {
    const bool level = isr_ != 0;
    if (level == irq_level_) return;
    irq_level_ = level;
    if (irq_) irq_(level);
}

}  // namespace vmm::virtio
