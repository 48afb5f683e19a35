#include "vmm/virtio/image_lock.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>

namespace vmm::virtio {

namespace {

// Lock byte bases (block/file-posix.c).
constexpr off_t kPermBase = 100;
constexpr off_t kSharedBase = 200;

// The names QEMU prints (bdrv_perm_names).
constexpr const char* kPermNames[] = {"consistent read", "write", "write unchanged", "resize"};

struct flock byte(short type, off_t offset) {
    struct flock fl {};
    fl.l_type = type;
    fl.l_whence = SEEK_SET;
    fl.l_start = offset;
    fl.l_len = 1;
    return fl;
}

kvm::Result<void> take(int fd, off_t offset) {
    struct flock fl = byte(F_RDLCK, offset);
    if (fcntl(fd, F_OFD_SETLK, &fl) == 0) return {};
    if (errno == EAGAIN || errno == EACCES)
        return kvm::Error{fmt::format("Failed to lock byte {}", offset)};
    return kvm::Error{fmt::format("Failed to lock byte {}: {}", offset, std::strerror(errno))};
}

// Whether another open file description holds a lock on the byte.
kvm::Result<bool> held_by_other(int fd, off_t offset) {
    struct flock fl = byte(F_WRLCK, offset);
    if (fcntl(fd, F_OFD_GETLK, &fl) != 0)
        return kvm::Error{
            fmt::format("Failed to test lock byte {}: {}", offset, std::strerror(errno))};
    return fl.l_type != F_UNLCK;
}

}  // namespace

kvm::Result<void> lock_image(int fd, uint64_t perm, uint64_t shared) {
    const uint64_t refused = kPermAll & ~shared;
    for (unsigned i = 0; i < std::size(kPermNames); ++i) {
        if (perm & (1u << i))
            if (auto r = take(fd, kPermBase + i); !r) return r;
        if (refused & (1u << i))
            if (auto r = take(fd, kSharedBase + i); !r) return r;
    }
    for (unsigned i = 0; i < std::size(kPermNames); ++i) {
        if (!(perm & (1u << i))) continue;
        auto other = held_by_other(fd, kSharedBase + i);
        if (!other) return other.error();
        if (other.value())
            return kvm::Error{fmt::format("Failed to get \"{}\" lock", kPermNames[i])};
    }
    for (unsigned i = 0; i < std::size(kPermNames); ++i) {
        if (!(refused & (1u << i))) continue;
        auto other = held_by_other(fd, kPermBase + i);
        if (!other) return other.error();
        if (other.value())
            return kvm::Error{fmt::format("Failed to get shared \"{}\" lock", kPermNames[i])};
    }
    return {};
}

}  // namespace vmm::virtio
