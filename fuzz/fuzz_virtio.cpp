// The virtio-mmio transports, their virtqueues and their devices as a
// hostile guest reaches them: register accesses of every width and offset,
// bytes anywhere in a small guest RAM (rings, descriptors, indirect tables),
// notifies, resets. A host crash, a sanitizer report, a hang (-timeout), a
// device write outside guest RAM or an interrupt line that disagrees with
// InterruptStatus is a finding.
//
// Guest RAM is 64 KiB, so the fuzzer finds rings by chance, and an
// allocation of exactly that size, so ASan reports a host access just
// outside it. Every device write is also checked against RAM's range as it
// is reported (Dma's write hook), which catches writes far away.
//
// Input: operations of 12 bytes (opcode, selector, 16-bit argument, 64-bit
// value; Op below). The selector's low two bits pick the transport; each
// transport holds one device (Harness::make_device).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "vmm/virtio/blk.h"
#include "vmm/virtio/mmio.h"
#include "vmm/virtio/net.h"
#include "vmm/virtio/rng.h"

namespace {

using namespace vmm;
using namespace vmm::virtio;
using Reg = MmioTransport::Reg;

constexpr uint64_t kRamBase = 0x40000000, kRamSize = 64 << 10;
constexpr size_t kOpSize = 12;
constexpr size_t kMaxOps = 256;

// A disk image of kDiskSize bytes in a scratch file (on tmpfs where there
// is one: flushes cost nothing), named disk.img or disk-ro.img (GET_ID's
// serial). Its bytes are put back before every input, so a run is
// repeatable whatever the last one wrote or discarded.
class ScratchDisk {
public:
    static constexpr uint64_t kDiskSize = 64 << 10;

    explicit ScratchDisk(bool readonly) {
        std::string dir = (access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
        dir += "/fuzz_virtio-XXXXXX";
        if (!mkdtemp(dir.data())) __builtin_trap();
        const std::string path = dir + (readonly ? "/disk-ro.img" : "/disk.img");
        fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd_ < 0) __builtin_trap();
        restore();
        auto image = DiskImage::open(path, readonly);
        if (!image) __builtin_trap();
        image_ = std::make_shared<const DiskImage>(std::move(image.value()));
        unlink(path.c_str());
        rmdir(dir.c_str());
    }
    void restore() const {
        if (ftruncate(fd_, kDiskSize) != 0 ||
            pwrite(fd_, contents_.data(), kDiskSize, 0) != ssize_t(kDiskSize))
            __builtin_trap();
    }
    std::shared_ptr<const DiskImage> image() const { return image_; }

private:
    // Each sector's bytes count up from its number.
    static std::vector<uint8_t> pattern() {
        std::vector<uint8_t> bytes(kDiskSize);
        for (size_t i = 0; i < kDiskSize; ++i) bytes[i] = uint8_t(i / 512 + i);
        return bytes;
    }
    const std::vector<uint8_t> contents_ = pattern();
    int fd_ = -1;
    std::shared_ptr<const DiskImage> image_;
};

// The network behind virtio-net: every frame the guest sends comes back
// to it at once, so transmit and receive both see frames.
class EchoBackend : public NetBackend {
public:
    void connect(const Host&, Receiver receiver) override { receiver_ = std::move(receiver); }
    void send(std::span<const uint8_t> frame) override { receiver_(frame); }
    void poll() override {}

private:
    Receiver receiver_;
};

// One operation. sel: bits 0-1 the transport, bits 2-3 an access width
// (1, 2, 4, 8 bytes) or a flag, bits 4-6 a queue.
struct Op {
    uint8_t code, sel;
    uint16_t arg;
    uint64_t value;
    unsigned width() const { return 1u << ((sel >> 2) & 3); }
    unsigned queue() const { return (sel >> 4) & 7; }
};

// The driver's side: the transport and what the driver told it about each
// queue, so operations can name a descriptor or offer a chain.
struct Driver {
    struct Queue {
        uint32_t num = 0;
        uint64_t desc = 0, avail = 0;
    };
    std::unique_ptr<MmioTransport> t;
    bool irq = false;
    uint32_t queue_sel = 0;
    std::array<Queue, MmioTransport::kMaxQueues> queues{};

    uint32_t read(uint32_t offset, unsigned width = 4) {
        uint8_t d[8] = {};
        t->access(Direction::Read, offset, std::span<uint8_t>(d, width));
        return uint32_t(load_le(std::span<const uint8_t>(d, width)));
    }
    void write(uint32_t offset, uint64_t value, unsigned width = 4) {
        uint8_t d[8];
        store_le(std::span<uint8_t>(d, width), value);
        t->access(Direction::Write, offset, std::span<uint8_t>(d, width));
        if (width == 4) shadow(offset, uint32_t(value));
    }
    void forget() {
        queue_sel = 0;
        queues = {};
    }
    void shadow(uint32_t offset, uint32_t value) {
        Queue* q = queue_sel < queues.size() ? &queues[queue_sel] : nullptr;
        switch (offset) {
        case Reg::QueueSel: queue_sel = value; break;
        case Reg::QueueNum: if (q) q->num = value; break;
        case Reg::QueueDescLow: if (q) q->desc = value; break;
        case Reg::QueueDriverLow: if (q) q->avail = value; break;
        case Reg::Status: if (value == 0) forget(); break;
        default: break;
        }
    }
};

class Harness {
public:
    Harness() : dma_(kRamBase, ram_, [this](uint64_t gpa, uint64_t size) { written(gpa, size); }) {}

    // What each transport holds. Devices reach the host (entropy, a disk
    // file, a network) only through what is given here, so a run is
    // repeatable.
    std::unique_ptr<virtio::Device> make_device(size_t i) {
        switch (i) {
        case 0:
            return std::make_unique<Rng>([](std::span<uint8_t> out) {
                for (size_t k = 0; k < out.size(); ++k) out[k] = uint8_t(k * 151 + 7);
            });
        case 1: return std::make_unique<Blk>(disk_.image());
        case 2: return std::make_unique<Blk>(readonly_disk_.image());
        default: {
            auto net = std::make_unique<Net>(std::make_unique<EchoBackend>());
            net->connect(host_);
            return net;
        }
        }
    }
    static constexpr size_t kDevices = 4;

    void run(std::span<const uint8_t> data) {
        std::fill(ram_.begin(), ram_.end(), 0);
        disk_.restore();
        readonly_disk_.restore();
        drivers_.clear();
        drivers_.resize(kDevices);
        for (size_t i = 0; i < kDevices; ++i) {
            Driver& d = drivers_[i];
            d.t = std::make_unique<MmioTransport>(
                dma_, make_device(i), 0x0a000000 + 0x200 * i, [&d](bool level) { d.irq = level; },
                [](std::string_view) {});
        }
        for (size_t i = 0; i < kMaxOps && (i + 1) * kOpSize <= data.size(); ++i) {
            const uint8_t* b = data.data() + i * kOpSize;
            Op op{b[0], b[1], uint16_t(b[2] | b[3] << 8), 0};
            std::memcpy(&op.value, b + 4, 8);
            Driver& d = drivers_[(op.sel & 3) % drivers_.size()];
            (this->*kOps[op.code % kOps.size()])(d, op);
            // The line follows InterruptStatus (mmio.h).
            if (d.irq != (d.read(Reg::InterruptStatus) != 0)) __builtin_trap();
        }
    }

private:
    static bool in_ram(uint64_t gpa, uint64_t size) {
        return GpaRange{kRamBase, kRamSize}.contains({gpa, size});
    }
    void written(uint64_t gpa, uint64_t size) {
        if (!in_ram(gpa, size)) __builtin_trap();
    }
    uint8_t* host(uint64_t gpa, uint64_t size) {
        return in_ram(gpa, size) ? ram_.data() + (gpa - kRamBase) : nullptr;
    }
    void put(uint64_t gpa, uint64_t value, unsigned width) {
        if (uint8_t* p = host(gpa, width)) store_le(std::span<uint8_t>(p, width), value);
    }
    uint64_t get(uint64_t gpa, unsigned width) {
        const uint8_t* p = host(gpa, width);
        return p ? load_le(std::span<const uint8_t>(p, width)) : 0;
    }

    // Any register or configuration byte, any width.
    void mmio_read(Driver& d, const Op& op) { d.read(op.arg & 0x1FF, op.width()); }
    void mmio_write(Driver& d, const Op& op) { d.write(op.arg & 0x1FF, op.value, op.width()); }
    // Bytes anywhere in RAM, as the guest's CPU writes them.
    void ram_write(Driver&, const Op& op) {
        put(kRamBase + op.arg % kRamSize, op.value, op.width());
    }
    void notify(Driver& d, const Op& op) { d.write(Reg::QueueNotify, op.arg); }
    // The driver's initialisation (§3.1.1) up to FEATURES_OK, accepting the
    // offered features that value's bits keep.
    void init(Driver& d, const Op& op) {
        d.write(Reg::Status, kAcknowledge | kDriver);
        for (uint32_t sel = 0; sel < 2; ++sel) {
            d.write(Reg::DeviceFeaturesSel, sel);
            const uint32_t offered = d.read(Reg::DeviceFeatures);
            d.write(Reg::DriverFeaturesSel, sel);
            d.write(Reg::DriverFeatures, offered & uint32_t(op.value >> (32 * sel)));
        }
        d.write(Reg::Status, kAcknowledge | kDriver | kFeaturesOk);
    }
    // One queue's size (arg) and rings (16-bit RAM offsets in value), then
    // QueueReady.
    void queue(Driver& d, const Op& op) {
        d.write(Reg::QueueSel, op.queue());
        d.write(Reg::QueueNum, op.arg);
        d.write(Reg::QueueDescLow, uint32_t(kRamBase + (op.value & 0xFFFF)));
        d.write(Reg::QueueDriverLow, uint32_t(kRamBase + ((op.value >> 16) & 0xFFFF)));
        d.write(Reg::QueueDeviceLow, uint32_t(kRamBase + ((op.value >> 32) & 0xFFFF)));
        d.write(Reg::QueueDescHigh, 0);
        d.write(Reg::QueueDriverHigh, 0);
        d.write(Reg::QueueDeviceHigh, 0);
        d.write(Reg::QueueReady, 1);
    }
    void driver_ok(Driver& d, const Op&) {
        d.write(Reg::Status, d.read(Reg::Status) | kDriverOk);
    }
    // Descriptor arg of a queue's table: a buffer at a RAM offset, a 16-bit
    // length, flags and next.
    void desc(Driver& d, const Op& op) {
        const uint64_t at = d.queues[op.queue()].desc + uint64_t(kDescSize) * op.arg;
        put(at, kRamBase + (op.value & 0xFFFF), 8);
        put(at + 8, (op.value >> 16) & 0xFFFF, 4);
        put(at + 12, op.value >> 32, 4);
    }
    // Head arg on a queue's available ring, and a notify if sel's bit 2 says.
    void offer(Driver& d, const Op& op) {
        const Driver::Queue& q = d.queues[op.queue()];
        const uint16_t idx = uint16_t(get(q.avail + 2, 2));
        if (q.num != 0) put(q.avail + 4 + 2 * (idx % q.num), op.arg, 2);
        put(q.avail + 2, uint16_t(idx + 1), 2);
        if (op.sel & 4) d.write(Reg::QueueNotify, op.queue());
    }
    // The machine's reset, and the VMM's poll for outside input.
    void machine_reset(Driver& d, const Op&) {
        d.t->reset();
        d.forget();
    }
    void poll(Driver& d, const Op&) { d.t->poll(); }

    using Handler = void (Harness::*)(Driver&, const Op&);
    static constexpr std::array<Handler, 11> kOps = {
        &Harness::mmio_read, &Harness::mmio_write, &Harness::ram_write, &Harness::notify,
        &Harness::init,      &Harness::queue,      &Harness::driver_ok, &Harness::desc,
        &Harness::offer,     &Harness::machine_reset, &Harness::poll,
    };

    ScratchDisk disk_{false}, readonly_disk_{true};
    const Host host_{[] { return uint64_t(0); }, [] {}};
    std::vector<uint8_t> ram_ = std::vector<uint8_t>(kRamSize);
    Dma dma_;
    std::vector<Driver> drivers_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static Harness harness;
    harness.run({data, size});
    return 0;
}
