#include "cpu/jit/code_cache.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace cpu::jit {

namespace {
constexpr size_t kHostPage = 4096;
constexpr size_t kAlign = 16;  // block entries start on a 16-byte fetch line

size_t page_up(size_t v) { return (v + kHostPage - 1) & ~(kHostPage - 1); }

[[noreturn]] void fail(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}

uint8_t* map_view(int fd, int prot) {
    void* p = mmap(nullptr, kCodeCacheBytes, prot, MAP_SHARED | MAP_NORESERVE, fd, 0);
    if (p == MAP_FAILED) fail("code cache mmap");
    return static_cast<uint8_t*>(p);
}
}  // namespace

// A sparse file: pages are committed as code is written to them.
CodeCache::CodeCache() {
    fd_ = memfd_create("stepvisor-jit", MFD_CLOEXEC);
    if (fd_ < 0) fail("code cache memfd_create");
    if (ftruncate(fd_, kCodeCacheBytes) != 0) fail("code cache ftruncate");
    write_ = map_view(fd_, PROT_READ | PROT_WRITE);
    exec_ = map_view(fd_, PROT_READ | PROT_EXEC);
}

CodeCache::~CodeCache() {
    munmap(write_, kCodeCacheBytes);
    munmap(exec_, kCodeCacheBytes);
    close(fd_);
}

// x86-64 keeps instruction fetch coherent with stores by physical address
// (Intel SDM vol. 3, 11.6 "Self-modifying code"), so code written through
// one view runs correctly through the other, also where earlier code ran
// before a reset; no code runs meanwhile (a cache belongs to one Cpu,
// which is compiling).
const uint8_t* CodeCache::add(std::span<const uint8_t> code) {
    const size_t at = (used_ + kAlign - 1) & ~(kAlign - 1);
    if (at + code.size() > kCodeCacheBytes) return nullptr;
    std::memcpy(write_ + at, code.data(), code.size());
    used_ = at + code.size();
    return exec_ + at;
}

void CodeCache::reset() {
    const size_t n = page_up(used_);
    if (n && fallocate(fd_, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, off_t(n)) != 0)
        fail("code cache fallocate");
    used_ = 0;
}

}  // namespace cpu::jit
