// One 128-bit SIMD&FP register V<n>, with the ASL's views of it: Elem[]
// lanes, little-endian (lane 0 is the least significant), D<n> the low 64
// bits, S<n> the low 32. ARM ARM DDI 0487 K.a, C2.2 "Registers in AArch64
// Execution state" (SIMD and floating-point registers) and the shared
// pseudocode V[], Vpart[] and Elem[].
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <span>

namespace cpu {

class VReg {
public:
    static constexpr size_t kBytes = 16;

    constexpr VReg() = default;
    static VReg from_u64(uint64_t lo, uint64_t hi = 0) {
        VReg r;
        r.set(64, 0, lo);
        r.set(64, 1, hi);
        return r;
    }
    // V[n, width] = value: a scalar or 64-bit vector write zero-extends to
    // the whole register (the ASL V[] setter).
    static VReg zero_extended(unsigned width, uint64_t value) {
        VReg r;
        r.set(width, 0, value);
        return r;
    }

    // Elem[vector, index, esize] for esize 8, 16, 32 or 64.
    uint64_t get(unsigned esize, unsigned index) const {
        uint64_t v = 0;
        std::memcpy(&v, &bytes_[index * (esize / 8)], esize / 8);  // little-endian host
        return v;
    }
    void set(unsigned esize, unsigned index, uint64_t value) {
        std::memcpy(&bytes_[index * (esize / 8)], &value, esize / 8);
    }

    uint64_t d() const { return get(64, 0); }
    uint32_t s() const { return uint32_t(get(32, 0)); }
    uint64_t hi() const { return get(64, 1); }

    std::span<const uint8_t, kBytes> bytes() const { return bytes_; }
    std::span<uint8_t, kBytes> bytes() { return bytes_; }

    friend bool operator==(const VReg&, const VReg&) = default;

private:
    std::array<uint8_t, kBytes> bytes_{};
};

}  // namespace cpu
