// Guest RAM: host memory that backs memory slot 0.
#pragma once

#include <cstdint>
#include <span>

#include "kvm/result.h"

namespace vmm {

// A guest-physical range [base, base + size).
struct GpaRange {
    uint64_t base = 0;
    uint64_t size = 0;
    uint64_t end() const { return base + size; }
    // Written so that an r that wraps past 2^64 is never contained.
    bool contains(const GpaRange& r) const {
        return r.base >= base && r.base - base <= size && r.size <= size - (r.base - base);
    }
    // Neither range may wrap (ELF segments are checked on parse).
    bool overlaps(const GpaRange& r) const { return r.base < end() && base < r.end(); }
};

class GuestRam {
public:
    // Anonymous, private, MAP_NORESERVE: untouched pages cost nothing, so a
    // large -m is cheap until the guest uses it.
    static kvm::Result<GuestRam> create(uint64_t base, uint64_t size);
    GuestRam(GuestRam&& other) noexcept;
    GuestRam& operator=(GuestRam&&) = delete;
    GuestRam(const GuestRam&) = delete;
    ~GuestRam();

    GpaRange range() const { return {base_, size_}; }
    uint8_t* host() const { return host_; }
    // The host bytes behind r; r must lie inside range().
    std::span<uint8_t> slice(const GpaRange& r) const {
        return {host_ + (r.base - base_), static_cast<size_t>(r.size)};
    }

private:
    GuestRam(uint64_t base, uint64_t size, uint8_t* host)
        : base_(base), size_(size), host_(host) {}
    uint64_t base_;
    uint64_t size_;
    uint8_t* host_;
};

}  // namespace vmm
