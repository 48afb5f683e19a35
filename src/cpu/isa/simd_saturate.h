// Integer lanes as the shared pseudocode treats them: Int() of a lane as a
// mathematical integer (here a 128-bit one, wide enough for a 64-bit lane
// shifted, doubled or multiplied), and the saturating narrowing SatQ,
// SignedSatQ and UnsignedSatQ (DDI 0487 K.a, shared pseudocode
// "Integer saturation"). A saturated result sets FPSR.QC.
#pragma once

#include <cstdint>

#include "arch/bits.h"
#include "arch/fpsimd.h"

namespace cpu::simd {

using i128 = __int128;

// Int(x<E-1:0>, unsigned).
template <unsigned E>
constexpr i128 Int(uint64_t x, bool is_unsigned) {
    return is_unsigned ? i128(x & arch::ones(E)) : i128(arch::sign_extend(x, E));
}

// The low N bits of an integer, as a lane.
template <unsigned N>
constexpr uint64_t lane_bits(i128 v) {
    return uint64_t(v) & arch::ones(N);
}

// SatQ(i, N, unsigned): i clamped to the N-bit range; a clamp ORs FPSR.QC
// into `flags`.
template <unsigned N>
constexpr uint64_t SatQ(i128 i, bool is_unsigned, uint32_t& flags) {
    const i128 max = is_unsigned ? (i128(1) << N) - 1 : (i128(1) << (N - 1)) - 1;
    const i128 min = is_unsigned ? 0 : -(i128(1) << (N - 1));
    if (i > max || i < min) {
        flags |= arch::fpsr::kQC;
        return lane_bits<N>(i > max ? max : min);
    }
    return lane_bits<N>(i);
}
template <unsigned N>
constexpr uint64_t SignedSatQ(i128 i, uint32_t& flags) { return SatQ<N>(i, false, flags); }
template <unsigned N>
constexpr uint64_t UnsignedSatQ(i128 i, uint32_t& flags) { return SatQ<N>(i, true, flags); }

}  // namespace cpu::simd
