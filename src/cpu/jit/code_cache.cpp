#include "cpu/jit/code_cache.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace cpu::jit {

namespace {
constexpr size_t kHostPage = 4096;
constexpr size_t kAlign = 16;  // block entries start on a 16-byte fetch line

size_t page_down(size_t v) { return v & ~(kHostPage - 1); }
size_t page_up(size_t v) { return page_down(v + kHostPage - 1); }

void protect(uint8_t* p, size_t n, int prot) {
    if (mprotect(p, n, prot) != 0)
        throw std::system_error(errno, std::generic_category(), "code cache mprotect");
}
}  // namespace

// Address space only: pages are committed as code is written to them.
CodeCache::CodeCache() {
    void* p = mmap(nullptr, kCodeCacheBytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    if (p == MAP_FAILED) throw std::system_error(errno, std::generic_category(), "code cache mmap");
    base_ = static_cast<uint8_t*>(p);
}

CodeCache::~CodeCache() { munmap(base_, kCodeCacheBytes); }

// The pages the code lands on are read-write only while it is copied; a
// page shared with the previous block is then not executable either, and
// no code runs meanwhile (a cache belongs to one Cpu, which is compiling).
const uint8_t* CodeCache::add(std::span<const uint8_t> code) {
    const size_t at = (used_ + kAlign - 1) & ~(kAlign - 1);
    if (at + code.size() > kCodeCacheBytes) return nullptr;
    const size_t lo = page_down(at), hi = page_up(at + code.size());
    protect(base_ + lo, hi - lo, PROT_READ | PROT_WRITE);
    std::memcpy(base_ + at, code.data(), code.size());
    protect(base_ + lo, hi - lo, PROT_READ | PROT_EXEC);
    used_ = at + code.size();
    return base_ + at;
}

void CodeCache::reset() {
    const size_t n = page_up(used_);
    if (n) {
        protect(base_, n, PROT_NONE);
        madvise(base_, n, MADV_DONTNEED);
    }
    used_ = 0;
}

}  // namespace cpu::jit
