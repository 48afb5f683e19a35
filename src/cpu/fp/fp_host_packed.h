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

#include <cstdint>
#include <cstring>

#include "cpu/fp/fp_host.h"

namespace cpu::fp::host {

// d is the accumulator: MulAdd is d + n * m, MulSub d + (-n) * m (FMLS
// negates n with FPNeg, as a NaN would show; none reaches here).
enum class PackedOp : uint8_t { Add, Sub, Mul, MulAdd, MulSub };

namespace packed_detail {

// One 128-bit register as lanes of bits (U) and of host values (H).
template <class T> struct Vec;
template <> struct Vec<uint32_t> {
    typedef uint32_t U __attribute__((vector_size(16)));
    typedef float H __attribute__((vector_size(16)));
    static constexpr int F = 23;
    static constexpr uint32_t kEmax = 0xFF;
};
template <> struct Vec<uint64_t> {
    typedef uint64_t U __attribute__((vector_size(16)));
    typedef double H __attribute__((vector_size(16)));
    static constexpr int F = 52;
    static constexpr uint64_t kEmax = 0x7FF;
};

// Lane masks (all ones where true) of fp_host.h's normal, zero and
// safe_result.
template <class T, class U = typename Vec<T>::U> inline U exponent(U x) { return (x >> Vec<T>::F) & Vec<T>::kEmax; }
template <class T, class U = typename Vec<T>::U> inline U normal(U x) {
    return U(exponent<T>(x) - 1 < Vec<T>::kEmax - 1);
}
template <class T, class U = typename Vec<T>::U> inline U zero(U x) { return U((x << 1) == 0); }
template <class T, class U = typename Vec<T>::U> inline U safe_result(U x) {
    return U(exponent<T>(x) - 2 < Vec<T>::kEmax - 2);
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
    if (!all((normal<T>(un) | zero<T>(un)) & (normal<T>(um) | zero<T>(um)) & (normal<T>(ud) | zero<T>(ud))))
        return false;
    const H hn = H(un), hm = H(um);
    H r{};
    U exact_zero = ~U{};  // where a zero result is exact: every sum
    switch (op) {
    case PackedOp::Add: r = hn + hm; break;
    case PackedOp::Sub: r = hn - hm; break;
    case PackedOp::Mul:
    case PackedOp::MulAdd:
    case PackedOp::MulSub:
        exact_zero = zero<T>(un) | zero<T>(um);
        if (op == PackedOp::Mul) {
            r = hn * hm;
        } else {
            constexpr T kSign = T(1) << (sizeof(T) * 8 - 1);
            r = fma_v(op == PackedOp::MulSub ? H(un ^ kSign) : hn, hm, H(ud));
        }
        break;
    }
    const U ur = U(r);
    if (!all(safe_result<T>(ur) | (zero<T>(ur) & exact_zero))) return false;
    std::memcpy(result, &ur, 16);
    return true;
}

}  // namespace cpu::fp::host
