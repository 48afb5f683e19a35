#include "vmm/virtio/disk_image.h"

#include <cerrno>
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

DiskImage::DiskImage(DiskImage&& other) noexcept
    : path_(std::move(other.path_)), fd_(other.fd_), readonly_(other.readonly_),
      size_(other.size_), can_discard_(other.can_discard_) {
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

bool DiskImage::read(uint64_t offset, std::span<uint8_t> out) const {
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

bool DiskImage::write(uint64_t offset, std::span<const uint8_t> in) const {
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
