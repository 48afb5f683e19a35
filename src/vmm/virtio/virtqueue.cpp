#include "vmm/virtio/virtqueue.h"

#include <algorithm>
#include <bit>
#include <fmt/format.h>

#include "vmm/virtio/virtio.h"

namespace vmm::virtio {

namespace {

kvm::Error error(std::string message) { return kvm::Error{std::move(message)}; }

// Where each ring's fields are (§2.7.6, §2.7.8).
constexpr uint64_t kRingIdx = 2;
constexpr uint64_t kRingEntries = 4;

// A chain's buffers may add up to at most what a used element's len can say.
constexpr uint64_t kMaxChainBytes = UINT32_MAX;

}  // namespace

uint64_t DescChain::bytes(const std::vector<Segment>& s) {
    uint64_t n = 0;
    for (const Segment& seg : s) n += seg.len;
    return n;
}

uint64_t ChainCursor::remaining() const {
    uint64_t n = 0;
    for (size_t i = seg_; i < segs_.size(); ++i) n += segs_[i].len;
    return n - off_;
}

bool ChainReader::read(std::span<uint8_t> out) {
    return advance(out.size(), [&](uint64_t gpa, size_t done, size_t n) {
        return dma_.read(gpa, out.subspan(done, n));
    });
}

bool ChainWriter::write(std::span<const uint8_t> in) {
    return advance(in.size(), [&](uint64_t gpa, size_t done, size_t n) {
        if (!dma_.write(gpa, in.subspan(done, n))) return false;
        written_ += uint32_t(n);
        return true;
    });
}

kvm::Result<void> Virtqueue::check_layout(const Dma& dma, uint32_t max) const {
    if (size == 0 || size > max || !std::has_single_bit(size))
        return error(fmt::format("queue size {} is not a power of two up to {}", size, max));
    struct Ring {
        const char* name;
        uint64_t addr, bytes, align;
    };
    const Ring rings[] = {
        {"descriptor table", desc, uint64_t(kDescSize) * size, 16},
        {"available ring", avail, kRingEntries + 2ull * size + 2, 2},
        {"used ring", used, kRingEntries + uint64_t(kUsedElemSize) * size + 2, 4},
    };
    for (const Ring& r : rings) {
        if (r.addr % r.align != 0 || !dma.in_ram(r.addr, r.bytes))
            return error(fmt::format("{} at {:#x} ({} bytes) is not aligned RAM", r.name, r.addr,
                                     r.bytes));
    }
    return {};
}

kvm::Result<uint16_t> Virtqueue::avail_idx(const Dma& dma) const {
    uint16_t idx = 0;
    if (!dma.read_le(avail + kRingIdx, idx)) return error("available ring left RAM");
    return idx;
}

// Follows one chain through a table of count descriptors. Inside an
// indirect table the chain may not leave it, nor name another table
// (§2.7.5.3.1); anywhere, more descriptors than the table holds means a loop.
kvm::Result<void> Virtqueue::walk(const Dma& dma, uint64_t table, uint32_t count, uint16_t first,
                                  bool in_indirect, DescChain& chain) const {
    // The chain's bytes so far (those before an indirect table), then one
    // addition per descriptor: summing the whole chain at each one made a
    // long chain cost its length squared.
    uint64_t total = DescChain::bytes(chain.readable) + DescChain::bytes(chain.writable);
    uint16_t i = first;
    for (uint32_t seen = 0;; ++seen) {
        if (i >= count) return error(fmt::format("descriptor {} outside a table of {}", i, count));
        if (seen == count) return error("descriptor chain loops");
        const uint64_t at = table + uint64_t(kDescSize) * i;
        uint64_t addr = 0;
        uint32_t len = 0;
        uint16_t flags = 0, next = 0;
        if (!dma.read_le(at, addr) || !dma.read_le(at + 8, len) || !dma.read_le(at + 12, flags) ||
            !dma.read_le(at + 14, next))
            return error(fmt::format("descriptor table at {:#x} left RAM", table));
        if (flags & kDescFlagIndirect) {
            if (in_indirect || !indirect_ || (flags & kDescFlagNext))
                return error(fmt::format("indirect descriptor {} not allowed here", i));
            if (len == 0 || len % kDescSize != 0 || len / kDescSize > kMaxQueueSize ||
                addr % 16 != 0 || !dma.in_ram(addr, len))
                return error(fmt::format("indirect table at {:#x} ({} bytes) is not aligned RAM",
                                         addr, len));
            return walk(dma, addr, len / kDescSize, 0, true, chain);
        }
        if (!dma.in_ram(addr, len))
            return error(fmt::format("buffer at {:#x} ({} bytes) is outside RAM", addr, len));
        const bool writable = flags & kDescFlagWrite;
        if (!writable && !chain.writable.empty())
            return error("device-readable buffer after a device-writable one");
        if (len != 0) (writable ? chain.writable : chain.readable).push_back({addr, len});
        total += len;
        if (total > kMaxChainBytes)
            return error("descriptor chain longer than 4 GiB");
        if (!(flags & kDescFlagNext)) return {};
        i = next;
    }
}

kvm::Result<std::optional<DescChain>> Virtqueue::pop(const Dma& dma) {
    auto idx = avail_idx(dma);
    if (!idx) return idx.error();
    const uint16_t pending = uint16_t(idx.value() - last_avail_);
    if (pending > size)
        return error(fmt::format("available index {} is {} ahead of {} in a ring of {}",
                                 idx.value(), pending, last_avail_, size));
    uint16_t head = 0;
    if (pending != 0) {
        if (!dma.read_le(avail + kRingEntries + 2ull * (last_avail_ % size), head))
            return error("available ring left RAM");
        ++last_avail_;
    }
    // avail_event (§2.7.10): notify us when the entry we read next is added.
    if (event_idx_ &&
        !dma.write_le(used + kRingEntries + uint64_t(kUsedElemSize) * size, last_avail_))
        return error("used ring left RAM");
    if (pending == 0) return std::optional<DescChain>{};
    DescChain chain;
    chain.head = head;
    if (auto r = walk(dma, desc, size, head, false, chain); !r) return r.error();
    return std::optional<DescChain>{std::move(chain)};
}

kvm::Result<void> Virtqueue::push(const Dma& dma, uint16_t head, uint32_t len) {
    const uint64_t elem = used + kRingEntries + uint64_t(kUsedElemSize) * (used_idx_ % size);
    ++used_idx_;
    if (!dma.write_le(elem, uint32_t(head)) || !dma.write_le(elem + 4, len) ||
        !dma.write_le(used + kRingIdx, used_idx_))
        return error("used ring left RAM");
    return {};
}

kvm::Result<bool> Virtqueue::notify_driver(const Dma& dma) {
    const uint16_t old = signalled_used_;
    signalled_used_ = used_idx_;
    if (event_idx_) {
        // vring_need_event: the driver asked for an interrupt once used_event
        // is passed; interrupt if it was passed by what we added since old.
        uint16_t used_event = 0;
        if (!dma.read_le(avail + kRingEntries + 2ull * size, used_event))
            return error("available ring left RAM");
        return uint16_t(used_idx_ - used_event - 1) < uint16_t(used_idx_ - old);
    }
    uint16_t flags = 0;
    if (!dma.read_le(avail, flags)) return error("available ring left RAM");
    return used_idx_ != old && !(flags & kAvailFlagNoInterrupt);
}

}  // namespace vmm::virtio
