// The host fast path for add, sub, mul, div, sqrt and fused multiply-add in
// single and double (docs/fp.md, "Rules"). It answers only when every
// operand is a normal number or a zero and the result is a normal number
// far enough from the underflow threshold and from overflow, or a zero it
// can prove exact: there the ASL's FPRound and IEEE 754 agree (no NaN,
// infinity or denormal in or out, no value that was tiny before rounding,
// no overflow), so the host's value is the ASL's, and only Inexact remains
// to be found. A zero operand makes the result exact: the first way below
// takes the host's value, the others need no host arithmetic at all
// (zero_operand). Inexact is found in one of three ways:
//  - FPSR.IXC already set (the steady state of a program that never clears
//    FPSR): OR-ing IXC again changes nothing, so in round to nearest the
//    bare host instruction is the whole operation;
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
#include <type_traits>

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
template <class T> inline bool zero(T bits) { return T(bits << 1) == 0; }
// What the fast path takes as an operand: a normal number or a zero.
template <class T> inline bool ordinary(T bits) { return normal(bits) || zero(bits); }
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

// a * b + c rounded once (only where kHostFma): VFMADD231 as asm, not a
// target("fma") function, so that it inlines into code compiled for the
// baseline x86-64.
inline float fma_h(float a, float b, float c) {
    asm("vfmadd231ss %2, %1, %0" : "+x"(c) : "x"(a), "x"(b));
    return c;
}
inline double fma_h(double a, double b, double c) {
    asm("vfmadd231sd %2, %1, %0" : "+x"(c) : "x"(a), "x"(b));
    return c;
}
inline float sqrt_h(float a) { return __builtin_sqrtf(a); }
inline double sqrt_h(double a) { return __builtin_sqrt(a); }

// The error-free transformations, in round to nearest. Each returns the
// host result and sets `inexact`; valid for the operand and result ranges
// `eft_range` checks. ISO C++ mode keeps the compiler from contracting.
template <class H> inline H eft(Op op, H a, H b, bool& inexact) {
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
// host_default_mxcsr() as last sampled on this thread by
// sample_host_fp_environment() (Cpu::run, on every entry); false until
// then, which only keeps the fast path to its MXCSR way. Reading MXCSR for
// every operation cost more than the operation itself, and a dynamic
// initialiser would cost a TLS wrapper call on every access.
inline constinit thread_local bool tls_default_mxcsr = false;

// The operations with a zero operand (the others normal or zero) that the
// ASL computes exactly: FPAdd's and FPMulAdd's exact sums (a zero of the
// operands' sign if they agree, else +0, or -0 rounding toward minus
// infinity), FPMul's and FPDiv's zero of the sign product, FPSqrt(+-0).
// No flag; false for a zero divisor (DZC or IOC) and for FPMulAdd with a
// zero addend and a non-zero product (that is a rounded product: the
// caller's Mul).
template <class T> inline bool zero_operand(Op op, T a, T b, T c, uint32_t fpcr, T& result) {
    constexpr T kSign = T(1) << (sizeof(T) * 8 - 1);
    const bool down = ((fpcr >> fpcr::kRModeShift) & 3) == 2;
    auto exact_sum = [&](T x, T y) -> T {
        if (!zero(x)) return x;
        if (!zero(y)) return y;
        return x == y ? x : down ? kSign : T(0);
    };
    switch (op) {
    case Op::Add: result = exact_sum(a, b); return true;
    case Op::Sub: result = exact_sum(a, T(b ^ kSign)); return true;
    case Op::Mul: result = T((a ^ b) & kSign); return true;
    case Op::Div:
        if (zero(b)) return false;
        result = T((a ^ b) & kSign);
        return true;
    case Op::Sqrt: result = a; return true;
    case Op::MulAdd:
        if (!zero(b) && !zero(c)) return false;
        result = exact_sum(a, T((b ^ c) & kSign));
        return true;
    }
    return false;
}

// The operation rounded to nearest by the host, MXCSR at its default.
template <class H> inline H host_rn(Op op, H a, H b, H c) {
    switch (op) {
    case Op::Add: return a + b;
    case Op::Sub: return a - b;
    case Op::Mul: return a * b;
    case Op::Div: return a / b;
    case Op::Sqrt: return sqrt_h(a);
    case Op::MulAdd: return fma_h(b, c, a);
    }
    return 0;
}

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

// Everything but the first way: zero operands, and Inexact found by an
// error-free transformation or through MXCSR.
template <class T, class H> bool fast_rest(Op op, T a, T b, T c, uint32_t fpcr, uint32_t& fpsr, T& result) {
    if (!normal(a) || (op != Op::Sqrt && !normal(b)) || (op == Op::MulAdd && !normal(c))) {
        if (!ordinary(a) || (op != Op::Sqrt && !ordinary(b)) || (op == Op::MulAdd && !ordinary(c))) return false;
        if (op == Op::MulAdd && zero(a) && !zero(b) && !zero(c))  // a zero addend: the rounded product
            return fast_rest<T, H>(Op::Mul, b, c, T(0), fpcr, fpsr, result);
        return zero_operand(op, a, b, c, fpcr, result);
    }
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

// A zero result of the operation on normal numbers and zeros that is
// exact: any sum (an underflowing sum is exact), a product or quotient with
// a zero operand (the product b * c for FPMulAdd), the root of a zero.
template <Op op, class T> inline bool exact_zero(T a, T b, T c) {
    switch (op) {
    case Op::Add:
    case Op::Sub:
    case Op::Sqrt: return true;
    case Op::Mul: return zero(a) || zero(b);
    case Op::Div: return zero(a);
    case Op::MulAdd: return zero(b) || zero(c);
    }
    return false;
}

// The first way: normal or zero operands, round to nearest, Inexact
// already recorded: the host's value is the whole answer (a zero operand
// follows IEEE 754's rules, which are FPAdd's, FPMul's ... in round to
// nearest), if it is a safe result or an exact zero.
template <Op op, class T, class H> inline bool first_impl(T a, T b, T c, uint32_t fpcr, uint32_t fpsr, T& result) {
    if (!(ordinary(a) && (op == Op::Sqrt || ordinary(b)) && (op != Op::MulAdd || ordinary(c)) &&
          ((fpcr >> fpcr::kRModeShift) & 3) == 0 && (fpsr & fpsr::kIXC) && tls_default_mxcsr &&
          (op != Op::MulAdd || kHostFma)))
        return false;
    const T r = std::bit_cast<T>(host_rn<H>(op, std::bit_cast<H>(a), std::bit_cast<H>(b), std::bit_cast<H>(c)));
    if (!safe_result(r) && !(zero(r) && exact_zero<op>(a, b, c))) return false;
    result = r;
    return true;
}

// The first way inline, the others behind a call.
template <Op op, class T, class H> inline bool fast_impl(T a, T b, T c, uint32_t fpcr, uint32_t& fpsr, T& result) {
    return first_impl<op, T, H>(a, b, c, fpcr, fpsr, result) || fast_rest<T, H>(op, a, b, c, fpcr, fpsr, result);
}
}  // namespace detail

// The first way alone, for the handlers of the commonest instructions to
// inline before they call FPAdd and friends (which try it again, then the
// rest). On true, `result` is exactly soft::'s and no flag changes.
template <Op op> inline bool first(uint32_t a, uint32_t b, uint32_t c, uint32_t fpcr, uint32_t fpsr, uint32_t& result) {
    return detail::first_impl<op, uint32_t, float>(a, b, c, fpcr, fpsr, result);
}
template <Op op> inline bool first(uint64_t a, uint64_t b, uint64_t c, uint32_t fpcr, uint32_t fpsr, uint64_t& result) {
    return detail::first_impl<op, uint64_t, double>(a, b, c, fpcr, fpsr, result);
}

// The fast path for single and double. On true, `result` and the flags
// OR-ed into `fpsr` are exactly what soft:: would produce.
template <Op op> inline bool fast(uint32_t a, uint32_t b, uint32_t c, uint32_t fpcr, uint32_t& fpsr, uint32_t& result) {
    return detail::fast_impl<op, uint32_t, float>(a, b, c, fpcr, fpsr, result);
}
template <Op op> inline bool fast(uint64_t a, uint64_t b, uint64_t c, uint32_t fpcr, uint32_t& fpsr, uint64_t& result) {
    return detail::fast_impl<op, uint64_t, double>(a, b, c, fpcr, fpsr, result);
}
template <Op> inline bool fast(uint16_t, uint16_t, uint16_t, uint32_t, uint32_t&, uint16_t&) { return false; }

// FixedToFP of a non-zero magnitude that fits the significand (below
// 2^(F + 1); fbits <= 64), in any FPCR: the value is exact and normal, so
// FPRound would change nothing and raise nothing; the host converts it and
// scales it by 2^-fbits. Or false.
template <FPBits T> inline bool fixed_to_fp(uint64_t op, int fbits, bool is_unsigned, bool is64, T& result) {
    if constexpr (sizeof(T) == 2) {
        return false;
    } else {
        using H = std::conditional_t<sizeof(T) == 4, float, double>;
        constexpr int F = sizeof(T) == 4 ? 23 : 52, kBias = sizeof(T) == 4 ? 127 : 1023;
        const int64_t s = is64 ? int64_t(op) : is_unsigned ? int64_t(uint32_t(op)) : int64_t(int32_t(uint32_t(op)));
        const bool sign = !is_unsigned && s < 0;
        const uint64_t mag = is64 && is_unsigned ? op : sign ? uint64_t(0) - uint64_t(s) : uint64_t(s);
        if (mag == 0 || mag >> (F + 1) != 0) return false;
        const H v = H(mag) * std::bit_cast<H>(T(T(kBias - fbits) << F));
        result = std::bit_cast<T>(sign ? -v : v);
        return true;
    }
}

// FPCompare of two normal numbers or zeros, in any FPCR: no flag can arise
// (no NaN, no flushed denormal) and the host orders them as the ASL does
// (+0 = -0). NZCV as FPCompare returns it, or false.
template <FPBits T> inline bool compare(T a, T b, uint32_t& nzcv) {
    if constexpr (sizeof(T) == 2) {
        return false;
    } else {
        using H = std::conditional_t<sizeof(T) == 4, float, double>;
        if (!detail::ordinary(a) || !detail::ordinary(b)) return false;
        const H x = std::bit_cast<H>(a), y = std::bit_cast<H>(b);
        nzcv = x == y ? 0b0110 : x < y ? 0b1000 : 0b0010;
        return true;
    }
}

}  // namespace cpu::fp::host
