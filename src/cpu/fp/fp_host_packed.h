// The host fast path for a whole Advanced SIMD vector (FADD, FSUB, FMUL,
// FMLA, FMLS on .2S, .4S, .2D): every lane at once with one packed host
// instruction, under fp_host.h's rules in their first way only: FPCR.RMode
// round to nearest, MXCSR at its default, FPSR.IXC already set (so no lane
// needs its Inexact found and no flag can change). Every operand lane must
// be a normal number or a zero, and every result lane a normal number clear
// of the underflow threshold and of overflow, or a zero that is exact: any
// zero sum (an underflowing sum is exact), a product with a zero factor.
// Otherwise it answers false and the caller goes lane by lane through
// cpu::fp, which finds every flag.
#pragma once

#include <immintrin.h>

#include <bit>
#include <cstdint>
#include <cstring>

#include "cpu/fp/fp_host.h"

namespace cpu::fp::host {

// d is the accumulator: MulAdd is d + n * m, MulSub d + (-n) * m (FMLS
// negates n with FPNeg, as a NaN would show; none reaches here).
enum class PackedOp : uint8_t { Add, Sub, Mul, MulAdd, MulSub };

namespace packed_detail {

// One 128-bit register as lanes of bits (U) and of host values (H), and
// the magnitudes the checks compare with: the smallest normal number, the
// smallest whose exponent field is 2 (fp_host.h's safe_result) and
// infinity.
template <class T> struct Vec;
template <> struct Vec<uint32_t> {
    typedef uint32_t U __attribute__((vector_size(16)));
    typedef float H __attribute__((vector_size(16)));
    static constexpr float kMinNormal = std::bit_cast<float>(0x00800000u);
    static constexpr float kMinSafe = std::bit_cast<float>(0x01000000u);
    static constexpr float kInf = std::bit_cast<float>(0x7F800000u);
};
template <> struct Vec<uint64_t> {
    typedef uint64_t U __attribute__((vector_size(16)));
    typedef double H __attribute__((vector_size(16)));
    static constexpr double kMinNormal = std::bit_cast<double>(uint64_t(0x0010000000000000));
    static constexpr double kMinSafe = std::bit_cast<double>(uint64_t(0x0020000000000000));
    static constexpr double kInf = std::bit_cast<double>(uint64_t(0x7FF0000000000000));
};

// Lane masks (all ones where true) on magnitudes, compared as host values
// (MXCSR at its default: no DAZ, so a denormal compares as itself; a NaN
// compares false): fp_host.h's normal-or-zero, zero and safe_result.
template <class T, class H = typename Vec<T>::H, class U = typename Vec<T>::U> inline H magnitude(U x) {
    return H(x & ~(U{} + (T(1) << (sizeof(T) * 8 - 1))));
}
template <class T, class H = typename Vec<T>::H, class U = typename Vec<T>::U> inline U ordinary(H a) {
    return U((a < Vec<T>::kInf) & ((a >= Vec<T>::kMinNormal) | (a == 0)));
}
template <class T, class H = typename Vec<T>::H, class U = typename Vec<T>::U> inline U zero(H a) {
    return U(a == 0);
}
template <class T, class H = typename Vec<T>::H, class U = typename Vec<T>::U> inline U safe_result(H a) {
    return U((a < Vec<T>::kInf) & (a >= Vec<T>::kMinSafe));
}
template <class U> inline bool all(U mask) { return _mm_movemask_epi8(__m128i(mask)) == 0xFFFF; }

// n * m + d rounded once: VFMADD231 as asm (only where kHostFma), so that
// it inlines into code compiled for the baseline x86-64.
inline Vec<uint32_t>::H fma_v(Vec<uint32_t>::H n, Vec<uint32_t>::H m, Vec<uint32_t>::H d) {
    asm("vfmadd231ps %2, %1, %0" : "+x"(d) : "x"(n), "x"(m));
    return d;
}
inline Vec<uint64_t>::H fma_v(Vec<uint64_t>::H n, Vec<uint64_t>::H m, Vec<uint64_t>::H d) {
    asm("vfmadd231pd %2, %1, %0" : "+x"(d) : "x"(n), "x"(m));
    return d;
}

// The low Datasize bits of a register; the rest zero, whose lanes pass
// every check and give zero (sums and products of +0).
template <class U, unsigned Datasize> inline U load(const uint8_t* bytes) {
    U v{};
    std::memcpy(&v, bytes, Datasize / 8);
    return v;
}

}  // namespace packed_detail

// The operation on the low Datasize (64 or 128) bits of d, n and m into
// `result` (16 bytes, zero above Datasize), or false.
template <FPBits T, unsigned Datasize>
inline bool packed(PackedOp op, const uint8_t* d, const uint8_t* n, const uint8_t* m, uint32_t fpcr, uint32_t fpsr,
                   uint8_t* result) {
    using namespace packed_detail;
    using U = typename Vec<T>::U;
    using H = typename Vec<T>::H;
    const bool fused = op == PackedOp::MulAdd || op == PackedOp::MulSub;
    if (((fpcr >> fpcr::kRModeShift) & 3) != 0 || !(fpsr & fpsr::kIXC) || !detail::tls_default_mxcsr ||
        (fused && !detail::kHostFma))
        return false;
    const U un = load<U, Datasize>(n), um = load<U, Datasize>(m), ud = fused ? load<U, Datasize>(d) : U{};
    const H an = magnitude<T>(un), am = magnitude<T>(um);
    if (!all(ordinary<T>(an) & ordinary<T>(am) & ordinary<T>(magnitude<T>(ud)))) return false;
    const H hn = H(un), hm = H(um);
    H r{};
    U exact_zero = ~U{};  // where a zero result is exact: every sum
    switch (op) {
    case PackedOp::Add: r = hn + hm; break;
    case PackedOp::Sub: r = hn - hm; break;
    case PackedOp::Mul:
    case PackedOp::MulAdd:
    case PackedOp::MulSub:
        exact_zero = zero<T>(an) | zero<T>(am);
        if (op == PackedOp::Mul) {
            r = hn * hm;
        } else {
            constexpr T kSign = T(1) << (sizeof(T) * 8 - 1);
            r = fma_v(op == PackedOp::MulSub ? H(un ^ kSign) : hn, hm, H(ud));
        }
        break;
    }
    const H ar = magnitude<T>(U(r));
    if (!all(safe_result<T>(ar) | (zero<T>(ar) & exact_zero))) return false;
    const U ur = U(r);
    std::memcpy(result, &ur, 16);
    return true;
}

}  // namespace cpu::fp::host
