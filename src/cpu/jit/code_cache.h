// The code cache: one fixed reservation of host memory that generated code
// is appended to, W^X by double mapping: the same memory (shared anonymous,
// or a memfd) is
// mapped twice, read-write where code is copied in and read-execute where
// it runs, so no mapping is ever writable and executable, and adding a
// block costs no system call (an mprotect per block was 13% of a Linux
// boot's host time). When it is full everything is dropped (Tier::flush)
// and filling starts again from the beginning.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace cpu::jit {

// 64 MiB: a Linux boot compiles a few MiB; the bound only stops a guest
// that keeps generating fresh code from growing the host process.
inline constexpr size_t kCodeCacheBytes = 64u << 20;

class CodeCache {
public:
    // Anonymous: shared anonymous memory mapped twice (perf names the code),
    // else a memfd; Memfd: a memfd (tests the fallback). Private: one
    // private read-write-execute mapping, which fork() copies on write like
    // the rest of the process (reverse execution's checkpoints), at the
    // price of W^X.
    enum class Mapping { Anonymous, Memfd, Private };
    explicit CodeCache(Mapping m = default_mapping());
    // What caches made without a Mapping use (Anonymous unless set).
    static Mapping default_mapping();
    static void set_default_mapping(Mapping m);
    ~CodeCache();
    CodeCache(const CodeCache&) = delete;
    CodeCache& operator=(const CodeCache&) = delete;

    // Copies code (position-independent) in and returns its executable
    // address, or null when it does not fit.
    const uint8_t* add(std::span<const uint8_t> code);
    // Forgets everything added; its memory is given back to the host (and
    // reads as zero).
    void reset();

    const uint8_t* begin() const { return exec_; }
    // The writable view of p, an address in the executable one (for a
    // jump that is linked after its block was added).
    uint8_t* writable(const uint8_t* p) { return write_ + (p - exec_); }
    // Where the next add() puts its code (if it fits).
    const uint8_t* next() const { return exec_ + aligned(used_); }
    size_t used() const { return used_; }

private:
    static size_t aligned(size_t n);
    bool map_anonymous();
    void map_memfd();

    uint8_t* write_ = nullptr;  // PROT_READ | PROT_WRITE
    uint8_t* exec_ = nullptr;   // PROT_READ | PROT_EXEC, the same memory
    size_t used_ = 0;
    Mapping mapping_ = Mapping::Anonymous;
};

// Appends "START SIZE stepvisor:ipa=0x..." for a block (or "START SIZE
// name") to /tmp/perf-PID.map when cpu::jit_perf_map() is on (perf's map
// format for JIT code).
void perf_map_add(const void* start, size_t size, uint64_t ipa);
void perf_map_add(const void* start, size_t size, const char* name);

}  // namespace cpu::jit
