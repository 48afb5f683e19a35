#include "vmm/virtio/blk.h"

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "vmm/bus.h"

namespace vmm::virtio {

namespace {

// Request types (§5.2.6).
constexpr uint32_t kTypeIn = 0;
constexpr uint32_t kTypeOut = 1;
constexpr uint32_t kTypeFlush = 4;
constexpr uint32_t kTypeGetId = 8;
constexpr uint32_t kTypeDiscard = 11;

// Status byte values (§5.2.6).
constexpr uint8_t kStatusOk = 0;
constexpr uint8_t kStatusIoErr = 1;
constexpr uint8_t kStatusUnsupp = 2;

// struct virtio_blk_req's header: le32 type, le32 reserved, le64 sector.
constexpr size_t kHeaderSize = 16;
// struct virtio_blk_discard_write_zeroes: le64 sector, le32 num_sectors, le32 flags.
constexpr size_t kDiscardSegSize = 16;

// The configuration space (§5.2.4, struct virtio_blk_config): the offsets
// of the fields this device fills; the rest reads as 0.
constexpr size_t kConfigCapacity = 0;
constexpr size_t kConfigSegMax = 12;
constexpr size_t kConfigBlkSize = 20;
constexpr size_t kConfigMaxDiscardSectors = 36;
constexpr size_t kConfigMaxDiscardSeg = 40;
constexpr size_t kConfigDiscardSectorAlignment = 44;
constexpr size_t kConfigSize = 60;

// Discards of any whole sectors, as QEMU's (discard_granularity 512): the
// host zeroes what is less than one of its blocks.
constexpr uint32_t kDiscardAlignmentSectors = 1;

// Little-endian fields of the configuration space and of requests
// (bus.h's helpers, at a byte offset).
template <typename T> void store(std::vector<uint8_t>& v, size_t at, T value) {
    store_le(std::span(v).subspan(at, sizeof(T)), value);
}

template <typename T> T load(const uint8_t* p) { return T(load_le(std::span(p, sizeof(T)))); }

}  // namespace

// One request: the header, the readable data after it, the writable data
// before the status byte (the last writable byte, §5.2.6).
struct Blk::Request {
    uint32_t type = 0;
    uint64_t sector = 0;
    ChainReader& in;
    ChainWriter out;
};

const Blk::RequestType Blk::kRequestTypes[] = {
    {kTypeIn, &Blk::do_in},
    {kTypeOut, &Blk::do_out},
    {kTypeFlush, &Blk::do_flush},
    {kTypeGetId, &Blk::do_get_id},
    {kTypeDiscard, &Blk::do_discard},
};

Blk::Blk(std::shared_ptr<const DiskImage> image)
    : image_(std::move(image)),
      capacity_((image_->size() + kSectorSize - 1) / kSectorSize),
      bounce_(kBounceSize) {
    const std::string name = std::filesystem::path(image_->path()).filename().string();
    std::memcpy(serial_.data(), name.data(), std::min(name.size(), kIdBytes));
    build_config();
}

void Blk::build_config() {
    config_.assign(kConfigSize, 0);
    store<uint64_t>(config_, kConfigCapacity, capacity_);
    // Header and status take two descriptors of a chain (QEMU's seg-max-adjust).
    store<uint32_t>(config_, kConfigSegMax, queue_max_size() - 2);
    store<uint32_t>(config_, kConfigBlkSize, kSectorSize);
    if (image_->can_discard()) {
        store<uint32_t>(config_, kConfigMaxDiscardSectors, kMaxDiscardSectors);
        store<uint32_t>(config_, kConfigMaxDiscardSeg, kMaxDiscardSeg);
        store<uint32_t>(config_, kConfigDiscardSectorAlignment, kDiscardAlignmentSectors);
    }
}

uint64_t Blk::features() const {
    uint64_t f = bit(kFeatureSegMax) | bit(kFeatureBlkSize) | bit(kFeatureFlush);
    if (image_->readonly()) f |= bit(kFeatureRo);
    if (image_->can_discard()) f |= bit(kFeatureDiscard);
    return f;
}

void Blk::read_config(uint64_t offset, std::span<uint8_t> data) {
    if (offset >= config_.size()) return;
    const size_t n = std::min<size_t>(data.size(), config_.size() - offset);
    std::memcpy(data.data(), config_.data() + offset, n);
}

void Blk::notify(unsigned queue) {
    serve(queue, [this](const DescChain& chain) { return handle(chain); });
}

// A chain without a 16-byte header or without a status byte cannot be
// answered: the device fails (QEMU's virtio_error "missing headers").
// Everything else is answered with a status.
kvm::Result<uint32_t> Blk::handle(const DescChain& chain) {
    if (chain.writable.empty()) return kvm::Error{"virtio-blk request without a status byte"};
    ChainReader in(ctx().dma(), chain.readable);
    uint8_t header[kHeaderSize];
    if (!in.read(header)) return kvm::Error{"virtio-blk request header shorter than 16 bytes"};
    // The data the device may write: every writable byte but the last.
    std::vector<Segment> data = chain.writable;
    const Segment& last = data.back();
    const uint64_t status_gpa = last.gpa + last.len - 1;
    if (--data.back().len == 0) data.pop_back();
    Request req{load<uint32_t>(header), load<uint64_t>(header + 8), in,
                ChainWriter(ctx().dma(), data)};
    uint8_t status = kStatusUnsupp;
    for (const RequestType& t : kRequestTypes)
        if (t.type == req.type) status = (this->*t.handler)(req);
    // The chain was checked to lie in RAM: the write cannot fail.
    ctx().dma().write_le(status_gpa, status);
    return req.out.written() + 1;
}

std::span<uint8_t> Blk::bounce(uint64_t bytes) {
    return std::span(bounce_).first(size_t(std::min<uint64_t>(bytes, kBounceSize)));
}

bool Blk::range_ok(uint64_t sector, uint64_t bytes) const {
    return bytes % kSectorSize == 0 && sector <= capacity_ &&
           bytes / kSectorSize <= capacity_ - sector;
}

uint8_t Blk::do_in(Request& req) {
    if (!range_ok(req.sector, req.out.remaining())) return kStatusIoErr;
    uint64_t offset = req.sector * kSectorSize;
    while (req.out.remaining() != 0) {
        const std::span<uint8_t> chunk = bounce(req.out.remaining());
        if (!image_->read(offset, chunk)) return kStatusIoErr;
        req.out.write(chunk);
        offset += chunk.size();
    }
    return kStatusOk;
}

uint8_t Blk::do_out(Request& req) {
    if (image_->readonly() || !range_ok(req.sector, req.in.remaining())) return kStatusIoErr;
    uint64_t offset = req.sector * kSectorSize;
    while (req.in.remaining() != 0) {
        const std::span<uint8_t> chunk = bounce(req.in.remaining());
        req.in.read(chunk);
        if (!image_->write(offset, chunk)) return kStatusIoErr;
        offset += chunk.size();
    }
    // A driver without FLUSH counts on a write-through cache (Linux's
    // virtblk_get_cache_mode): the write is durable when it completes.
    if (!(ctx().driver_features() & bit(kFeatureFlush)) && !image_->flush()) return kStatusIoErr;
    return kStatusOk;
}

// Returns after fdatasync did: serve() puts the request on the used ring
// only then, so the driver never sees a flush the host has not done.
uint8_t Blk::do_flush(Request&) { return image_->flush() ? kStatusOk : kStatusIoErr; }

uint8_t Blk::do_get_id(Request& req) {
    const size_t n = std::min<uint64_t>(req.out.remaining(), kIdBytes);
    req.out.write(std::span(serial_).first(n));
    return kStatusOk;
}

// §5.2.6.2: unknown flags (and unmap, which is for write zeroes) and more
// segments than max_discard_seg are UNSUPP; a range past the capacity or
// longer than max_discard_sectors is IOERR, as QEMU answers.
uint8_t Blk::do_discard(Request& req) {
    if (!image_->can_discard()) return kStatusUnsupp;
    const uint64_t bytes = req.in.remaining();
    if (bytes == 0 || bytes % kDiscardSegSize != 0) return kStatusIoErr;
    if (bytes / kDiscardSegSize > kMaxDiscardSeg) return kStatusUnsupp;
    for (uint64_t i = 0; i < bytes / kDiscardSegSize; ++i) {
        uint8_t seg[kDiscardSegSize];
        req.in.read(seg);
        const uint64_t sector = load<uint64_t>(seg);
        const uint32_t count = load<uint32_t>(seg + 8);
        if (load<uint32_t>(seg + 12) != 0) return kStatusUnsupp;
        if (count > kMaxDiscardSectors || !range_ok(sector, uint64_t(count) * kSectorSize))
            return kStatusIoErr;
        if (!image_->discard(sector * kSectorSize, uint64_t(count) * kSectorSize))
            return kStatusIoErr;
    }
    return kStatusOk;
}

}  // namespace vmm::virtio
