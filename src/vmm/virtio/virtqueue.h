// A split virtqueue (virtio §2.7) as the device sees it: descriptor chains
// taken from the available ring, direct or through an indirect table
// (§2.7.5.3), and completions put on the used ring, with notification
// suppression by flags or by event index (§2.7.7, §2.7.10).
//
// The guest owns the rings and may write anything into them. Every
// descriptor is checked before a device sees it: a chain longer than the
// ring (it loops), a buffer outside RAM, an indirect table inside an
// indirect table or with NEXT set, a readable buffer after a writable one,
// an index that runs ahead of the ring: each is an error, which the
// transport answers with DEVICE_NEEDS_RESET (§2.1.2).
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "kvm/result.h"
#include "vmm/virtio/dma.h"

namespace vmm::virtio {

struct Segment {
    uint64_t gpa = 0;
    uint32_t len = 0;
};

// One request: its device-readable buffers, then its device-writable ones.
struct DescChain {
    uint16_t head = 0;
    std::vector<Segment> readable;
    std::vector<Segment> writable;
    static uint64_t bytes(const std::vector<Segment>& s);
};

// A position in a chain's readable or writable buffers, taken front to back
// as one byte stream.
class ChainCursor {
public:
    ChainCursor(const Dma& dma, const std::vector<Segment>& segs) : dma_(dma), segs_(segs) {}
    uint64_t remaining() const;

protected:
    // Moves over the next `size` bytes a piece per buffer, calling
    // copy(gpa, done, n) for each; false (the position unspecified) when the
    // chain ends first or a copy fails.
    template <typename Copy> bool advance(size_t size, Copy&& copy);

    const Dma& dma_;

private:
    const std::vector<Segment>& segs_;
    size_t seg_ = 0;
    uint64_t off_ = 0;
};

template <typename Copy> bool ChainCursor::advance(size_t size, Copy&& copy) {
    for (size_t done = 0; done < size;) {
        if (seg_ == segs_.size()) return false;
        const Segment& s = segs_[seg_];
        const size_t n = size_t(std::min<uint64_t>(size - done, s.len - off_));
        if (!copy(s.gpa + off_, done, n)) return false;
        done += n;
        off_ += n;
        if (off_ == s.len) ++seg_, off_ = 0;
    }
    return true;
}

// Reads a chain's readable buffers.
class ChainReader : public ChainCursor {
public:
    using ChainCursor::ChainCursor;
    // False when fewer than out.size() bytes remain.
    bool read(std::span<uint8_t> out);
};

// Writes a chain's writable buffers; counts what it wrote, the used
// element's len.
class ChainWriter : public ChainCursor {
public:
    using ChainCursor::ChainCursor;
    bool write(std::span<const uint8_t> in);
    uint32_t written() const { return written_; }

private:
    uint32_t written_ = 0;
};

class Virtqueue {
public:
    // The registers the driver writes while the queue is not ready.
    uint32_t size = 0;  // QueueNum
    uint64_t desc = 0;  // QueueDesc: the descriptor table
    uint64_t avail = 0;  // QueueDriver: the available ring
    uint64_t used = 0;  // QueueDevice: the used ring
    bool ready = false;

    void reset() { *this = Virtqueue{}; }
    // Whether the layout the driver gave can be used: size a power of two
    // no larger than max, each ring aligned (§2.7: 16, 2, 4) and in RAM.
    kvm::Result<void> check_layout(const Dma& dma, uint32_t max) const;
    // VIRTIO_F_RING_EVENT_IDX negotiated (from DRIVER_OK on).
    void set_event_idx(bool on) { event_idx_ = on; }
    // VIRTIO_F_RING_INDIRECT_DESC negotiated.
    void set_indirect(bool on) { indirect_ = on; }

    // The next available chain, nullopt when the driver offered none.
    kvm::Result<std::optional<DescChain>> pop(const Dma& dma);
    // Hands a chain back: used element (head, len), then the used index.
    kvm::Result<void> push(const Dma& dma, uint16_t head, uint32_t len);
    // Whether the driver wants an interrupt for what was pushed since the
    // last call (§2.7.7.2), and, with event index, asks to be notified of
    // the next available buffer (avail_event = the next index we will read).
    kvm::Result<bool> notify_driver(const Dma& dma);

private:
    kvm::Result<void> walk(const Dma& dma, uint64_t table, uint32_t count, uint16_t first,
                           bool indirect, DescChain& chain) const;
    kvm::Result<uint16_t> avail_idx(const Dma& dma) const;

    bool event_idx_ = false;
    bool indirect_ = false;
    uint16_t last_avail_ = 0;
    uint16_t used_idx_ = 0;
    uint16_t signalled_used_ = 0;  // used_idx_ at the last notify_driver
};

}  // namespace vmm::virtio
