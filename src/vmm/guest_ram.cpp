#include "vmm/guest_ram.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstring>
#include <fmt/format.h>

namespace vmm {

kvm::Result<GuestRam> GuestRam::create(uint64_t base, uint64_t size) {
    void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return kvm::Error{fmt::format("cannot allocate {} MiB of guest RAM: {}", size >> 20,
                                      std::strerror(errno))};
    // Guest RAM in 2 MiB host pages where the host allows it (THP in
    // "madvise" mode, Debian's default): a boot touches hundreds of MiB,
    // and each 4 KiB first touch is a host page fault. Advice only; a
    // host without THP keeps small pages.
    madvise(p, size, MADV_HUGEPAGE);
    return GuestRam(base, size, static_cast<uint8_t*>(p));
}

GuestRam::GuestRam(GuestRam&& other) noexcept
    : base_(other.base_), size_(other.size_), host_(other.host_) {
    other.host_ = nullptr;
}

GuestRam::~GuestRam() {
    if (host_) munmap(host_, size_);
}

}  // namespace vmm
