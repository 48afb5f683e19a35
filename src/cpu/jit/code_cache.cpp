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

size_t page_up(size_t v) { return (v + kHostPage - 1) & ~(kHostPage - 1); }

[[noreturn]] void fail(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}
}  // namespace

// Shared anonymous memory, mapped a second time by mremap (old size 0
// duplicates a shared mapping), then that view made read-execute: Linux
// names it "/dev/zero (deleted)", which perf counts as anonymous and so
// resolves through /tmp/perf-PID.map. Where that mremap is refused
// (valgrind, which HIPG=1 runs stepvisor under, does), a memfd mapped
// twice: the same W^X, but perf takes it for a file and leaves it
// unnamed. Pages are committed as code is written to them.
bool CodeCache::map_anonymous() {
    void* w = mmap(nullptr, kCodeCacheBytes, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (w == MAP_FAILED) fail("code cache mmap");
    void* x = mremap(w, 0, kCodeCacheBytes, MREMAP_MAYMOVE);
    if (x == MAP_FAILED) {
        munmap(w, kCodeCacheBytes);
        return false;
    }
    write_ = static_cast<uint8_t*>(w);
    exec_ = static_cast<uint8_t*>(x);
    if (mprotect(exec_, kCodeCacheBytes, PROT_READ | PROT_EXEC) != 0) fail("code cache mprotect");
    return true;
}

void CodeCache::map_memfd() {
    const int fd = memfd_create("stepvisor-jit", MFD_CLOEXEC);
    if (fd < 0) fail("code cache memfd_create");
    const auto view = [fd](int prot) {
        void* p = mmap(nullptr, kCodeCacheBytes, prot, MAP_SHARED | MAP_NORESERVE, fd, 0);
        if (p == MAP_FAILED) fail("code cache mmap");
        return static_cast<uint8_t*>(p);
    };
    if (ftruncate(fd, kCodeCacheBytes) != 0) fail("code cache ftruncate");
    write_ = view(PROT_READ | PROT_WRITE);
    exec_ = view(PROT_READ | PROT_EXEC);
    close(fd);  // the mappings keep the memory
}

namespace {
CodeCache::Mapping g_default_mapping = CodeCache::Mapping::Anonymous;
}  // namespace

CodeCache::Mapping CodeCache::default_mapping() { return g_default_mapping; }
void CodeCache::set_default_mapping(Mapping m) { g_default_mapping = m; }

CodeCache::CodeCache(Mapping m) : mapping_(m) {
    if (m == Mapping::Private) {
        void* p = mmap(nullptr, kCodeCacheBytes, PROT_READ | PROT_WRITE | PROT_EXEC,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED) fail("code cache mmap");
        write_ = exec_ = static_cast<uint8_t*>(p);
        return;
    }
    if (m == Mapping::Memfd || !map_anonymous()) {
        map_memfd();
        mapping_ = Mapping::Memfd;
    }
}

CodeCache::~CodeCache() {
    munmap(write_, kCodeCacheBytes);
    if (exec_ != write_) munmap(exec_, kCodeCacheBytes);
}

// x86-64 keeps instruction fetch coherent with stores by physical address
// (Intel SDM vol. 3, 11.6 "Self-modifying code"), so code written through
// one view runs correctly through the other, also where earlier code ran
// before a reset; no code runs meanwhile (a cache belongs to one Cpu,
// which is compiling).
size_t CodeCache::aligned(size_t n) { return (n + kAlign - 1) & ~(kAlign - 1); }

const uint8_t* CodeCache::add(std::span<const uint8_t> code) {
    const size_t at = aligned(used_);
    if (at + code.size() > kCodeCacheBytes) return nullptr;
    std::memcpy(write_ + at, code.data(), code.size());
    used_ = at + code.size();
    return exec_ + at;
}

void CodeCache::reset() {
    const size_t n = page_up(used_);
    const int advice = mapping_ == Mapping::Private ? MADV_DONTNEED : MADV_REMOVE;
    if (n && madvise(write_, n, advice) != 0) fail("code cache madvise");
    used_ = 0;
}

}  // namespace cpu::jit
