#include "cpu/jit/code_cache.h"

#include <sys/mman.h>

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
}  // namespace

// Shared anonymous memory, mapped a second time by mremap (old size 0
// duplicates a shared mapping), then that view made read-execute. Not a
// memfd: Linux names shared anonymous memory "/dev/zero (deleted)", which
// perf counts as anonymous and so resolves through /tmp/perf-PID.map; a
// memfd's mapping it takes for a file and leaves unnamed. Pages are
// committed as code is written to them.
CodeCache::CodeCache() {
    void* w = mmap(nullptr, kCodeCacheBytes, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (w == MAP_FAILED) fail("code cache mmap");
    write_ = static_cast<uint8_t*>(w);
    void* x = mremap(write_, 0, kCodeCacheBytes, MREMAP_MAYMOVE);
    if (x == MAP_FAILED) fail("code cache mremap");
    exec_ = static_cast<uint8_t*>(x);
    if (mprotect(exec_, kCodeCacheBytes, PROT_READ | PROT_EXEC) != 0) fail("code cache mprotect");
}

CodeCache::~CodeCache() {
    munmap(write_, kCodeCacheBytes);
    munmap(exec_, kCodeCacheBytes);
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
    if (n && madvise(write_, n, MADV_REMOVE) != 0) fail("code cache madvise");
    used_ = 0;
}

}  // namespace cpu::jit
