// virtio-blk, the block device (virtio §5.2), on a raw disk image: one
// request queue; read, write, flush, get-id, and discard where the host can
// punch holes. Requests are done synchronously in the notify (mmio.h), so a
// completion the driver sees is done on the host: data read is in guest
// RAM, data written is in the host's page cache, and a FLUSH completes only
// after fdatasync(2) returned. A driver that did not negotiate FLUSH gets a
// write-through disk: each write completes after its fdatasync.
//
// Capacity is the image's size in 512-byte sectors, rounded up as QEMU's
// block layer does: the tail of a size that is not a multiple of 512 reads
// as zeros, and a write there grows the file to the sector's end.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "vmm/virtio/device.h"
#include "vmm/virtio/disk_image.h"

namespace vmm::virtio {

class Blk : public Device {
public:
    // Feature bits (§5.2.3).
    static constexpr unsigned kFeatureSegMax = 2;
    static constexpr unsigned kFeatureRo = 5;
    static constexpr unsigned kFeatureBlkSize = 6;
    static constexpr unsigned kFeatureFlush = 9;
    static constexpr unsigned kFeatureDiscard = 13;

    static constexpr uint32_t kSectorSize = 512;
    // The most data one host read or write moves: the bounce buffer.
    static constexpr uint32_t kBounceSize = 128 * 1024;
    // The serial number GET_ID returns (VIRTIO_BLK_ID_BYTES).
    static constexpr size_t kIdBytes = 20;
    // Discard limits in the configuration space, QEMU's.
    static constexpr uint32_t kMaxDiscardSectors = 0x3FFFFF;  // QEMU's BDRV_REQUEST_MAX_SECTORS
    static constexpr uint32_t kMaxDiscardSeg = 1;

    explicit Blk(std::shared_ptr<const DiskImage> image);

    std::string_view name() const override { return "virtio-blk"; }
    DeviceId id() const override { return kDeviceBlock; }
    uint64_t features() const override;
    unsigned num_queues() const override { return 1; }
    void read_config(uint64_t offset, std::span<uint8_t> data) override;
    void notify(unsigned queue) override;

    uint64_t capacity() const { return capacity_; }  // in sectors
    // The serial: the image's file name (without directories), cut to
    // kIdBytes, zero-padded.
    const std::array<uint8_t, kIdBytes>& serial() const { return serial_; }

private:
    struct Request;
    using Handler = uint8_t (Blk::*)(Request&);
    struct RequestType {
        uint32_t type;
        Handler handler;
    };
    static const RequestType kRequestTypes[];

    kvm::Result<uint32_t> handle(const DescChain& chain);
    uint8_t do_in(Request& req);
    uint8_t do_out(Request& req);
    uint8_t do_flush(Request& req);
    uint8_t do_get_id(Request& req);
    uint8_t do_discard(Request& req);
    bool range_ok(uint64_t sector, uint64_t bytes) const;
    // The bounce buffer's first min(bytes, kBounceSize) bytes.
    std::span<uint8_t> bounce(uint64_t bytes);
    void build_config();

    std::shared_ptr<const DiskImage> image_;
    uint64_t capacity_;
    std::array<uint8_t, kIdBytes> serial_{};
    std::vector<uint8_t> config_;
    std::vector<uint8_t> bounce_;
};

}  // namespace vmm::virtio
