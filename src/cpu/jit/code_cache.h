// The code cache: one fixed reservation of host memory that generated code
// is appended to, W^X: each block is written while its pages are
// read-write and made read-execute before it can run, so no page is ever
// writable and executable at once. When it is full everything is dropped
// (Tier::flush) and filling starts again from the beginning.
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
    CodeCache();
    ~CodeCache();
    CodeCache(const CodeCache&) = delete;
    CodeCache& operator=(const CodeCache&) = delete;

    // Copies code (position-independent) in and returns its executable
    // address, or null when it does not fit.
    const uint8_t* add(std::span<const uint8_t> code);
    // Forgets everything added; the pages become inaccessible again.
    void reset();

    const uint8_t* begin() const { return base_; }
    size_t used() const { return used_; }

private:
    uint8_t* base_ = nullptr;
    size_t used_ = 0;
};

// Appends "START SIZE stepvisor:ipa=0x..." for a block to /tmp/perf-PID.map
// when cpu::jit_perf_map() is on (perf's map format for JIT code).
void perf_map_add(const void* start, size_t size, uint64_t ipa);

}  // namespace cpu::jit
