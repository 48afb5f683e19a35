// Disk image locking as QEMU 7.2's file-posix driver does it, so that
// stepvisor and QEMU keep each other off an image being written.
//
// QEMU expresses each user of an image as permissions it takes and
// permissions it lets others take, and publishes both as open-file-
// description (OFD) read locks on single bytes of the image: byte 100 + i
// while it holds permission i, byte 200 + i while it refuses permission i to
// others (block/file-posix.c RAW_LOCK_PERM_BASE, RAW_LOCK_SHARED_BASE). A
// new user first takes its bytes, then asks whether anyone holds a byte that
// conflicts: byte 200 + i for each permission it wants, byte 100 + i for
// each it refuses (raw_apply_lock_bytes, then raw_check_lock_bytes). Read
// locks never conflict with each other; the test is an F_OFD_GETLK for a
// write lock, which the caller's own locks do not answer.
//
// A virtio-blk disk takes consistent-read and, unless read-only, write,
// and refuses write to others (QEMU virtio-blk holds bytes 100, 101 and 201;
// read-only 100 and 201): two readers coexist, a writer excludes everyone.
#pragma once

#include <cstdint>
#include <string>

#include "kvm/result.h"

namespace vmm::virtio {

// QEMU's BLK_PERM_* bits (include/block/block-common.h), bit i = lock byte i.
enum BlockPerm : uint64_t {
    kPermConsistentRead = 1 << 0,
    kPermWrite = 1 << 1,
    kPermWriteUnchanged = 1 << 2,
    kPermResize = 1 << 3,
    kPermAll = 0xF,
};

// Takes the lock bytes for perm (held) and ~shared (refused) on fd, then
// checks for a conflicting holder. The error is QEMU's: Failed to get
// "write" lock (we want write, another refuses it) or Failed to get shared
// "write" lock (we refuse write, another holds it). The locks last as long
// as fd's open file description.
kvm::Result<void> lock_image(int fd, uint64_t perm, uint64_t shared);

// The locks a virtio-blk disk takes, as QEMU's virtio-blk device.
inline uint64_t disk_perm(bool readonly) {
    return readonly ? kPermConsistentRead : kPermConsistentRead | kPermWrite;
}
inline constexpr uint64_t kDiskShared = kPermAll & ~uint64_t(kPermWrite);

}  // namespace vmm::virtio
