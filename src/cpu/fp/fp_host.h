// The host fast path for add, sub, mul, div, sqrt and fused multiply-add in
// single and double (docs/fp.md, "Rules"). It answers only when every
// operand is a normal number and the host's result is a normal number far
// enough from the underflow threshold and from overflow: there the ASL's
// FPRound and IEEE 754 agree (no NaN, infinity, zero or denormal in or out,
// no value that was tiny before rounding, no overflow), so the host's value
// is the ASL's, and only Inexact remains to be found. Two ways to find it:
//  - round to nearest (FPCR.RMode = RN) for add, sub, mul, div, sqrt: an
//    error-free transformation gives the exact rounding error with host
//    arithmetic alone (TwoSum; the FMA remainder of a product, quotient or
//    square root), so MXCSR is only read (and only when the CPU starts
//    running); single-precision fused multiply-add likewise, exactly in
//    double (muladd_single_rn);
//  - other rounding modes, and double fused multiply-add: MXCSR.RC set from
//    FPCR.RMode, flags cleared, one host instruction, MXCSR.PE is IXC, and
//    the caller's MXCSR restored.
#pragma once

#include <bit>

#include "cpu/fp/fp_arith.h"

namespace cpu::fp::host {

namespace detail {
// MXCSR: all exceptions masked, RC from FPCR.RMode (RN, RP, RM, RZ to
// nearest, up, down, toward zero).
inline constexpr uint32_t kMasked = 0x1F80;
inline constexpr uint32_t kRoundingControl[4] = {0x0000, 0x4000, 0x2000, 0x6000};
inline constexpr uint32_t kPE = 0x20, kAnyButPE = 0x1F;

// Read during static initialisation, hence the explicit __builtin_cpu_init.
inline const bool kHostFma = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("fma") != 0;
}();

template <class T> inline bool normal(T bits) {
    constexpr int F = sizeof(T) == 4 ? 23 : 52;
    constexpr T emax = sizeof(T) == 4 ? 0xFF : 0x7FF;
    return T(((bits >> F) & emax) - 1) < emax - 1;
}
// A result exponent field in [2, emax - 1]: not tiny before rounding (a
// value that rounded up to the smallest normal has field 1), not overflowed.
template <class T> inline bool safe_result(T bits) {
    constexpr int F = sizeof(T) == 4 ? 23 : 52;
    constexpr T emax = sizeof(T) == 4 ? 0xFF : 0x7FF;
    return T(((bits >> F) & emax) - 2) < emax - 2;
}

// One host instruction under MXCSR `csr`; every step is a volatile asm so
// that nothing moves across the MXCSR writes. Returns MXCSR's flags.
#define STEPVISOR_HOST_OP(SUFFIX, TYPE)                                                                     \
    inline uint32_t run(Op op, TYPE& x, TYPE y, TYPE z, uint32_t csr) {                                     \
        uint32_t saved, after;                                                                              \
        asm volatile("stmxcsr %0\n\tldmxcsr %1" : "=m"(saved) : "m"(csr));                                  \
        switch (op) {                                                                                       \
        case Op::Add: asm volatile("adds" SUFFIX " %1, %0" : "+x"(x) : "x"(y)); break;                      \
        case Op::Sub: asm volatile("subs" SUFFIX " %1, %0" : "+x"(x) : "x"(y)); break;                      \
        case Op::Mul: asm volatile("muls" SUFFIX " %1, %0" : "+x"(x) : "x"(y)); break;                      \
        case Op::Div: asm volatile("divs" SUFFIX " %1, %0" : "+x"(x) : "x"(y)); break;                      \
        case Op::Sqrt: asm volatile("sqrts" SUFFIX " %0, %0" : "+x"(x)); break;                             \
        case Op::MulAdd: asm volatile("vfmadd231s" SUFFIX " %2, %1, %0" : "+x"(x) : "x"(y), "x"(z)); break; \
        }                                                                                                   \
        asm volatile("stmxcsr %0\n\tldmxcsr %1" : "=m"(after) : "m"(saved));                                \
        return after & 0x3F;                                                                                \
    }
STEPVISOR_HOST_OP("s", float)
STEPVISOR_HOST_OP("d", double)
#undef STEPVISOR_HOST_OP

// The error-free transformations, in round to nearest. Each returns the
// host result and sets `inexact`; valid for the operand and result ranges
// `eft_range` checks. Compiled with FMA so the remainders are one
// instruction; ISO C++ mode keeps the compiler from contracting the rest.
__attribute__((target("fma"))) inline float fma_h(float a, float b, float c) { return __builtin_fmaf(a, b, c); }
__attribute__((target("fma"))) inline double fma_h(double a, double b, double c) { return __builtin_fma(a, b, c); }
inline float sqrt_h(float a) { return __builtin_sqrtf(a); }
inline double sqrt_h(double a) { return __builtin_sqrt(a); }

template <class H> __attribute__((target("fma"))) inline H eft(Op op, H a, H b, bool& inexact) {
    switch (op) {
    case Op::Sub: b = -b; [[fallthrough]];
    case Op::Add: {
        const H s = a + b, z = s - a;
        inexact = (a - (s - z)) + (b - z) != 0;  // TwoSum's error term
        return s;
    }
    case Op::Mul: {
        const H p = a * b;
        inexact = fma_h(a, b, -p) != 0;
        return p;
    }
    case Op::Div: {
        const H q = a / b;
        inexact = fma_h(-q, b, a) != 0;
        return q;
    }
    case Op::Sqrt: {
        const H r = sqrt_h(a);
        inexact = fma_h(-r, r, a) != 0;
        return r;
    }
    case Op::MulAdd: break;
    }
    return 0;
}

// Where the remainders above are exact (representable, so the FMA computes
// them without rounding): every exponent field in [F + 3, emax - 2] keeps
// them clear of the denormal range (a product's error is a multiple of
// 2^(ea + eb - 2F)) and every intermediate clear of overflow.
template <class T> inline bool eft_range(T bits) {
    constexpr int F = sizeof(T) == 4 ? 23 : 52;
    constexpr T emax = sizeof(T) == 4 ? 0xFF : 0x7FF;
    return T(((bits >> F) & emax) - (F + 3)) <= emax - 2 - (F + 3);
}

// MXCSR as the process keeps it: round to nearest, all exceptions masked,
// no FTZ or DAZ (flag bits ignored).
inline bool host_default_mxcsr() {
    uint32_t csr;
    asm volatile("stmxcsr %0" : "=m"(csr));
    return (csr & ~0x3Fu) == kMasked;
}
// host_default_mxcsr() as last sampled on this thread: at its first FP
// operation and by sample_host_fp_environment() (Cpu::run, on every entry).
// Reading MXCSR for every operation cost more than the operation itself.
inline thread_local bool tls_default_mxcsr = host_default_mxcsr();

// Single-precision a + b * c in round to nearest, without touching MXCSR:
// the product of two singles is exact in double, one double addition
// rounds the exact sum once, and TwoSum recovers that rounding's error
// exactly. Rounding the double to single is then the single rounding of
// the exact sum, unless the double fell exactly on a midpoint between two
// singles that the exact sum was not on (the second rounding could go the
// wrong way): that case goes the slow way.
inline bool muladd_single_rn(uint32_t a, uint32_t b, uint32_t c, uint32_t& fpsr, uint32_t& result) {
    const double x = std::bit_cast<float>(a);
    const double p = double(std::bit_cast<float>(b)) * double(std::bit_cast<float>(c));
    const double d = x + p, v = d - x;
    const double err = (x - (d - v)) + (p - v);
    constexpr uint64_t kBelowSingle = (uint64_t(1) << 29) - 1;  // the 29 fraction bits a single lacks
    if ((std::bit_cast<uint64_t>(d) & kBelowSingle) == (kBelowSingle + 1) / 2 && err != 0) return false;
    const float f = float(d);
    const uint32_t r = std::bit_cast<uint32_t>(f);
    if (!safe_result(r)) return false;
    if (err != 0 || double(f) != d) fpsr |= fpsr::kIXC;
    result = r;
    return true;
}

template <class T, class H> inline bool fast_impl(Op op, T a, T b, T c, uint32_t fpcr, uint32_t& fpsr, T& result) {
    if (!normal(a)) return false;
    if (op != Op::Sqrt && !normal(b)) return false;
    if (op == Op::MulAdd && !normal(c)) return false;
    const bool nearest = ((fpcr >> fpcr::kRModeShift) & 3) == 0;
    if constexpr (sizeof(T) == 4)
        if (op == Op::MulAdd && nearest && tls_default_mxcsr) return muladd_single_rn(a, b, c, fpsr, result);
    if (op == Op::MulAdd && !kHostFma) return false;
    if (nearest && op != Op::MulAdd && kHostFma && eft_range(a) && (op == Op::Sqrt || eft_range(b)) &&
        tls_default_mxcsr) {
        bool inexact;
        const T r = std::bit_cast<T>(eft<H>(op, std::bit_cast<H>(a), std::bit_cast<H>(b), inexact));
        if (eft_range(r)) {
            if (inexact) fpsr |= fpsr::kIXC;
            result = r;
            return true;
        }
    }
    // FPMulAdd(addend, op1, op2): the accumulator is the addend.
    H x = std::bit_cast<H>(a), y = std::bit_cast<H>(b), z = std::bit_cast<H>(c);
    const uint32_t flags = run(op, x, y, z, kMasked | kRoundingControl[(fpcr >> fpcr::kRModeShift) & 3]);
    const T r = std::bit_cast<T>(x);
    if ((flags & kAnyButPE) || !safe_result(r)) return false;
    if (flags & kPE) fpsr |= fpsr::kIXC;
    result = r;
    return true;
}
}  // namespace detail

// The fast path for single and double. On true, `result` and the flags
// OR-ed into `fpsr` are exactly what soft:: would produce.
inline bool fast(Op op, uint32_t a, uint32_t b, uint32_t c, uint32_t fpcr, uint32_t& fpsr, uint32_t& result) {
    return detail::fast_impl<uint32_t, float>(op, a, b, c, fpcr, fpsr, result);
}
inline bool fast(Op op, uint64_t a, uint64_t b, uint64_t c, uint32_t fpcr, uint32_t& fpsr, uint64_t& result) {
    return detail::fast_impl<uint64_t, double>(op, a, b, c, fpcr, fpsr, result);
}
inline bool fast(Op, uint16_t, uint16_t, uint16_t, uint32_t, uint32_t&, uint16_t&) { return false; }

}  // namespace cpu::fp::host
