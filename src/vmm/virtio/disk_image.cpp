#include "vmm/virtio/disk_image.h"

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmm/virtio/image_lock.h"

namespace vmm::virtio {

namespace {

kvm::Error error(const std::string& path, const std::string& why) {
    return kvm::Error{fmt::format("{}: {}", path, why)};
}

// The image's size: the file's length, or the block device's.
kvm::Result<uint64_t> image_size(const std::string& path, int fd) {
    struct stat st {};
    if (fstat(fd, &st) != 0) return error(path, std::strerror(errno));
    if (S_ISREG(st.st_mode)) return uint64_t(st.st_size);
    if (!S_ISBLK(st.st_mode)) return error(path, "not a regular file or a block device");
    uint64_t size = 0;
    if (ioctl(fd, BLKGETSIZE64, &size) != 0) return error(path, std::strerror(errno));
    return size;
}

}  // namespace

kvm::Result<DiskImage> DiskImage::open(const std::string& path, bool readonly) {
    // O_NONBLOCK: a FIFO named by mistake must not hang the open; no effect
    // on regular files and block devices, the only kinds kept.
    const int fd = ::open(path.c_str(), (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return error(path, std::strerror(errno));
    auto size = image_size(path, fd);
    if (!size) {
        ::close(fd);
        return size.error();
    }
    DiskImage image(path, fd, readonly, size.value());
    if (auto r = lock_image(fd, disk_perm(readonly), kDiskShared); !r)
        return error(path, r.error().message + " (is another process using the image?)");
    image.can_discard_ = !readonly && image.probe_discard();
    return image;
}

kvm::Result<DiskImage> DiskImage::open_snapshot(const std::string& path) {
    auto image = open(path, true);
    if (!image) return image;
    image.value().readonly_ = false;
    image.value().snapshot_ = true;
    return image;
}

DiskImage::DiskImage(DiskImage&& other) noexcept
    : path_(std::move(other.path_)), fd_(other.fd_), readonly_(other.readonly_),
      size_(other.size_), can_discard_(other.can_discard_), snapshot_(other.snapshot_),
      overlay_(std::move(other.overlay_)) {
    other.fd_ = -1;
}

DiskImage::~DiskImage() {
    if (fd_ >= 0) ::close(fd_);
}

// A hole punched past the end of the data changes nothing, and fails with
// EOPNOTSUPP where the file system (or device) cannot punch at all.
bool DiskImage::probe_discard() const {
    const uint64_t end = (size_ + 4095) / 4096 * 4096;
    return fallocate(fd_, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off_t(end), 4096) == 0;
}

uint8_t* DiskImage::overlay_block(uint64_t block) const {
    auto& b = overlay_[block];
    if (!b) {
        b = std::make_unique<uint8_t[]>(kBlock);
        if (!read_file(block * kBlock, {b.get(), kBlock})) {
            overlay_.erase(block);
            return nullptr;
        }
    }
    return b.get();
}

bool DiskImage::read(uint64_t offset, std::span<uint8_t> out) const {
    if (!snapshot_) return read_file(offset, out);
    while (!out.empty()) {
        const uint64_t block = offset / kBlock, in = offset % kBlock;
        const size_t n = size_t(std::min<uint64_t>(kBlock - in, out.size()));
        auto it = overlay_.find(block);
        if (it != overlay_.end()) std::memcpy(out.data(), it->second.get() + in, n);
        else if (!read_file(offset, out.first(n))) return false;
        out = out.subspan(n);
        offset += n;
    }
    return true;
}

bool DiskImage::write(uint64_t offset, std::span<const uint8_t> in) const {
    if (!snapshot_) return write_file(offset, in);
    while (!in.empty()) {
        const uint64_t block = offset / kBlock, at = offset % kBlock;
        const size_t n = size_t(std::min<uint64_t>(kBlock - at, in.size()));
        uint8_t* b = overlay_block(block);
        if (!b) return false;
        std::memcpy(b + at, in.data(), n);
        in = in.subspan(n);
        offset += n;
    }
    return true;
}

bool DiskImage::read_file(uint64_t offset, std::span<uint8_t> out) const {
    while (!out.empty()) {
        const ssize_t n = pread(fd_, out.data(), out.size(), off_t(offset));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        if (n == 0) {  // end of file: a size not a multiple of the sector
            std::memset(out.data(), 0, out.size());
            return true;
        }
        out = out.subspan(size_t(n));
        offset += uint64_t(n);
    }
    return true;
}

bool DiskImage::write_file(uint64_t offset, std::span<const uint8_t> in) const {
    while (!in.empty()) {
        const ssize_t n = pwrite(fd_, in.data(), in.size(), off_t(offset));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        in = in.subspan(size_t(n));
        offset += uint64_t(n);
    }
    return true;
}

bool DiskImage::flush() const {
    if (snapshot_) return true;  // the overlay is gone at exit anyway
    int r;
    do r = fdatasync(fd_);
    while (r != 0 && errno == EINTR);
    return r == 0;
}

bool DiskImage::discard(uint64_t offset, uint64_t length) const {
    return fallocate(fd_, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off_t(offset),
                     off_t(length)) == 0;
}

}  // namespace vmm::virtio
