// A raw disk image: a regular file or a host block device, opened read-write
// (or read-only) and locked as QEMU locks it (image_lock.h), with the byte
// I/O virtio-blk needs. Its size is fixed at open: the guest's capacity.
#pragma once

#include <cstdint>
#include <span>
#include <memory>
#include <string>
#include <unordered_map>

#include "kvm/result.h"

namespace vmm::virtio {

class DiskImage {
public:
    // Errors name the path: no such file, not a file or block device, no
    // access, or QEMU's lock message when another process uses the image.
    static kvm::Result<DiskImage> open(const std::string& path, bool readonly);
    // snapshot=on, as QEMU's: the file is opened read-only and the guest's
    // writes stay in memory, in an overlay of 4 KiB blocks, until the image
    // is closed (record and replay keep the image as it was).
    static kvm::Result<DiskImage> open_snapshot(const std::string& path);
    DiskImage(DiskImage&& other) noexcept;
    DiskImage& operator=(DiskImage&&) = delete;
    DiskImage(const DiskImage&) = delete;
    ~DiskImage();

    const std::string& path() const { return path_; }
    bool readonly() const { return readonly_; }
    bool snapshot() const { return snapshot_; }
    uint64_t size() const { return size_; }
    // Whether discard() works here (probed at open: the file system punches
    // holes, or the block device discards). Never for a read-only image.
    bool can_discard() const { return can_discard_; }

    // False on a host I/O error (errno says which). read() gives zeros past
    // the end of the file; write() past it grows the file.
    bool read(uint64_t offset, std::span<uint8_t> out) const;
    bool write(uint64_t offset, std::span<const uint8_t> in) const;
    // fdatasync(2): what was written is on stable storage when it returns.
    bool flush() const;
    // Deallocates the range; it reads as zeros afterwards, the size stays.
    bool discard(uint64_t offset, uint64_t length) const;

private:
    static constexpr uint64_t kBlock = 4096;
    DiskImage(std::string path, int fd, bool readonly, uint64_t size)
        : path_(std::move(path)), fd_(fd), readonly_(readonly), size_(size) {}
    bool probe_discard() const;
    bool read_file(uint64_t offset, std::span<uint8_t> out) const;
    bool write_file(uint64_t offset, std::span<const uint8_t> in) const;
    // The overlay's copy of a block, made from the file on first use.
    uint8_t* overlay_block(uint64_t block) const;

    std::string path_;
    int fd_;
    bool readonly_;
    uint64_t size_;
    bool can_discard_ = false;
    bool snapshot_ = false;
    mutable std::unordered_map<uint64_t, std::unique_ptr<uint8_t[]>> overlay_;
};

}  // namespace vmm::virtio
