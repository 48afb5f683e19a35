// FPAdd, FPSub, FPMul, FPMulX, FPDiv, FPSqrt, FPMulAdd, FPRecipStepFused,
// FPRSqrtStepFused (DDI 0487 K.a shared pseudocode of the same names), in
// integer arithmetic: each exact result is formed in 128 bits, with a sticky
// bit where the exact value does not fit, and rounded once by FPRound.
#include "cpu/fp/fp_arith.h"

#include <cmath>
#include <utility>

#include "cpu/fp/fp_host.h"
#include "cpu/fp/fp_unpack_round.h"

namespace cpu::fp {

namespace {
// An exact operand or intermediate: value = (sign ? -1 : 1) * mant * 2^exp,
// with mant's top bit at 125 (two bits of headroom for a carry), or mant = 0
// for an exact zero.
struct Wide {
    bool sign;
    int exp;
    u128 mant;
};

Wide wide(const Unpacked& u) { return {u.sign, u.exp - 62, u128(u.mant) << 62}; }

u128 shift_right_jam(u128 x, int n) {
    if (n == 0) return x;
    if (n >= 128) return x != 0;
    return (x >> n) | ((x << (128 - n)) != 0);
}

// a + b for non-zero a and b. The smaller operand is shifted with a sticky
// bit; that loses nothing a rounding to <= 53 bits could see, because a
// shift of more than one bit leaves the sum's top bit at 124 or above.
Wide add_wide(Wide a, Wide b) {
    if (a.exp < b.exp || (a.exp == b.exp && a.mant < b.mant)) std::swap(a, b);
    const u128 bm = shift_right_jam(b.mant, a.exp - b.exp);
    if (a.sign == b.sign) return {a.sign, a.exp, a.mant + bm};
    return {a.sign, a.exp, a.mant - bm};
}

// The exact product of two non-zero unpacked values as a Wide: the 106 (at
// most) significant bits of m1 * m2 sit at 127:22 or 126:21, so moving the
// top bit to 125 is exact.
Wide product(const Unpacked& a, const Unpacked& b) {
    u128 p = u128(a.mant) * b.mant;
    const int k = (p >> 127) ? 2 : 1;
    return {a.sign != b.sign, a.exp + b.exp + k, p >> k};
}

template <FPBits T> T round_sum(Wide r, uint32_t fpcr, FPRounding rounding, uint32_t& fpsr) {
    if (r.mant == 0) return FPZero<T>(rounding == FPRounding::NEGINF);  // exact zero: sign from the mode
    return FPRound128<T>(r.sign, r.exp, r.mant, fpcr, rounding, fpsr);
}

// The finite non-NaN tail of FPAdd/FPSub after the special cases.
template <FPBits T> T add_finite(const Unpacked& a, const Unpacked& b, uint32_t fpcr, uint32_t& fpsr) {
    const FPRounding rounding = FPRoundingMode(fpcr);
    if (a.is_zero() && b.is_zero()) return FPZero<T>(rounding == FPRounding::NEGINF);  // opposite signs
    if (a.is_zero()) return FPRound<T>(b.sign, b.exp, b.mant, fpcr, rounding, fpsr);
    if (b.is_zero()) return FPRound<T>(a.sign, a.exp, a.mant, fpcr, rounding, fpsr);
    return round_sum<T>(add_wide(wide(a), wide(b)), fpcr, rounding, fpsr);
}

// ASL FPAdd with op2's sign already flipped for FPSub (the NaN operand is
// passed through unflipped).
template <FPBits T> T add(T op1, T op2, bool negate2, uint32_t fpcr, uint32_t& fpsr) {
    const Unpacked a = FPUnpack(op1, fpcr, fpsr);
    Unpacked b = FPUnpack(op2, fpcr, fpsr);
    T result;
    if (FPProcessNaNs(a, b, op1, op2, fpcr, fpsr, result)) return result;
    b.sign ^= negate2;
    if (a.is_inf() && b.is_inf() && a.sign != b.sign) {
        fpsr |= fpsr::kIOC;
        return FPDefaultNaN<T>();
    }
    if (a.is_inf() || b.is_inf()) return FPInfinity<T>(a.is_inf() ? a.sign : b.sign);
    if (a.is_zero() && b.is_zero() && a.sign == b.sign) return FPZero<T>(a.sign);
    return add_finite<T>(a, b, fpcr, fpsr);
}

// ASL FPMul and FPMulX: they differ only in infinity * zero.
template <FPBits T> T mul(T op1, T op2, bool mulx, uint32_t fpcr, uint32_t& fpsr) {
    const Unpacked a = FPUnpack(op1, fpcr, fpsr), b = FPUnpack(op2, fpcr, fpsr);
    T result;
    if (FPProcessNaNs(a, b, op1, op2, fpcr, fpsr, result)) return result;
    const bool sign = a.sign != b.sign;
    if ((a.is_inf() && b.is_zero()) || (a.is_zero() && b.is_inf())) {
        if (mulx) return FPTwo<T>(sign);
        fpsr |= fpsr::kIOC;
        return FPDefaultNaN<T>();
    }
    if (a.is_inf() || b.is_inf()) return FPInfinity<T>(sign);
    if (a.is_zero() || b.is_zero()) return FPZero<T>(sign);
    return FPRound128<T>(sign, a.exp + b.exp, u128(a.mant) * b.mant, fpcr, FPRoundingMode(fpcr), fpsr);
}

// floor(sqrt(x)) for x < 2^112: the host's double square root is within a
// few units of it (x and its root are off by at most 2^-52 relative), and
// the integer loops make it exact.
uint64_t isqrt112(u128 x) {
    const double xd = double(uint64_t(x >> 64)) * 18446744073709551616.0 + double(uint64_t(x));
    u128 s = u128(std::sqrt(xd));
    while (s * s > x) --s;
    while ((s + 1) * (s + 1) <= x) ++s;
    return uint64_t(s);
}

// addend + op1 * op2 once rounded, for FPMulAdd and the step functions;
// `halve` divides the exact sum by two (FPRSqrtStepFused).
template <FPBits T>
T muladd_finite(const Unpacked& a, const Unpacked& b1, const Unpacked& b2, bool halve, uint32_t fpcr, uint32_t& fpsr) {
    const FPRounding rounding = FPRoundingMode(fpcr);
    const bool zero_p = b1.is_zero() || b2.is_zero();
    if (zero_p && a.is_zero()) return FPZero<T>(rounding == FPRounding::NEGINF);  // opposite signs
    Wide r = zero_p ? wide(a) : a.is_zero() ? product(b1, b2) : add_wide(wide(a), product(b1, b2));
    r.exp -= halve;
    return round_sum<T>(r, fpcr, rounding, fpsr);
}
}  // namespace

namespace soft {
template <FPBits T> T FPAdd(T op1, T op2, uint32_t fpcr, uint32_t& fpsr) { return add(op1, op2, false, fpcr, fpsr); }
template <FPBits T> T FPSub(T op1, T op2, uint32_t fpcr, uint32_t& fpsr) { return add(op1, op2, true, fpcr, fpsr); }
template <FPBits T> T FPMul(T op1, T op2, uint32_t fpcr, uint32_t& fpsr) { return mul(op1, op2, false, fpcr, fpsr); }

// ASL FPDiv.
template <FPBits T> T FPDiv(T op1, T op2, uint32_t fpcr, uint32_t& fpsr) {
    const Unpacked a = FPUnpack(op1, fpcr, fpsr), b = FPUnpack(op2, fpcr, fpsr);
    T result;
    if (FPProcessNaNs(a, b, op1, op2, fpcr, fpsr, result)) return result;
    const bool sign = a.sign != b.sign;
    if ((a.is_inf() && b.is_inf()) || (a.is_zero() && b.is_zero())) {
        fpsr |= fpsr::kIOC;
        return FPDefaultNaN<T>();
    }
    if (a.is_inf() || b.is_zero()) {
        if (!a.is_inf()) fpsr |= fpsr::kDZC;
        return FPInfinity<T>(sign);
    }
    if (a.is_zero() || b.is_inf()) return FPZero<T>(sign);
    const u128 num = u128(a.mant) << 64;  // quotient in (2^63, 2^65)
    const u128 q = num / b.mant;
    const bool sticky = num % b.mant != 0;
    return FPRound128<T>(sign, a.exp - b.exp - 65, (q << 1) | sticky, fpcr, FPRoundingMode(fpcr), fpsr);
}

// ASL FPSqrt.
template <FPBits T> T FPSqrt(T op, uint32_t fpcr, uint32_t& fpsr) {
    const Unpacked a = FPUnpack(op, fpcr, fpsr);
    if (a.is_nan()) return FPProcessNaN(a.type, op, fpcr, fpsr);
    if (a.is_zero()) return FPZero<T>(a.sign);
    if (a.is_inf() && !a.sign) return FPInfinity<T>(false);
    if (a.sign) {
        fpsr |= fpsr::kIOC;
        return FPDefaultNaN<T>();
    }
    // The radicand a.mant * 2^k (k = 46 or 47, so that a.exp - k is even)
    // has 110 or 111 bits; its root has 55, enough for F + 2 and a sticky bit.
    const int k = (a.exp & 1) ? 47 : 46;
    const u128 x = u128(a.mant) << k;
    const uint64_t s = isqrt112(x);
    const bool sticky = u128(s) * s != x;
    return FPRound128<T>(false, (a.exp - k) / 2 - 1, (u128(s) << 1) | sticky, fpcr, FPRoundingMode(fpcr), fpsr);
}

// ASL FPMulAdd: addend + op1 * op2, including the rule that infinity * zero
// with a quiet-NaN addend is the default NaN with Invalid Operation.
template <FPBits T> T FPMulAdd(T addend, T op1, T op2, uint32_t fpcr, uint32_t& fpsr) {
    const Unpacked a = FPUnpack(addend, fpcr, fpsr);
    const Unpacked b1 = FPUnpack(op1, fpcr, fpsr), b2 = FPUnpack(op2, fpcr, fpsr);
    const bool inf_zero = (b1.is_inf() && b2.is_zero()) || (b1.is_zero() && b2.is_inf());
    T result;
    const bool done = FPProcessNaNs3(a, b1, b2, addend, op1, op2, fpcr, fpsr, result);
    if (a.type == FPType::QNaN && inf_zero) {
        fpsr |= fpsr::kIOC;
        return FPDefaultNaN<T>();
    }
    if (done) return result;
    const bool sign_p = b1.sign != b2.sign, inf_p = b1.is_inf() || b2.is_inf();
    if (inf_zero || (a.is_inf() && inf_p && a.sign != sign_p)) {
        fpsr |= fpsr::kIOC;
        return FPDefaultNaN<T>();
    }
    if (a.is_inf() || inf_p) return FPInfinity<T>(a.is_inf() ? a.sign : sign_p);
    if (a.is_zero() && (b1.is_zero() || b2.is_zero()) && a.sign == sign_p) return FPZero<T>(a.sign);
    return muladd_finite<T>(a, b1, b2, false, fpcr, fpsr);
}
}  // namespace soft

namespace {
// ASL FPRecipStepFused (2 - op1 * op2) and FPRSqrtStepFused
// ((3 - op1 * op2) / 2): op1 is negated first, NaN or not.
template <FPBits T> T step_fused(T op1, T op2, bool rsqrt, uint32_t fpcr, uint32_t& fpsr) {
    op1 = FPNeg(op1);
    const Unpacked b1 = FPUnpack(op1, fpcr, fpsr), b2 = FPUnpack(op2, fpcr, fpsr);
    T result;
    if (FPProcessNaNs(b1, b2, op1, op2, fpcr, fpsr, result)) return result;
    if ((b1.is_inf() && b2.is_zero()) || (b1.is_zero() && b2.is_inf()))
        return rsqrt ? FPOnePointFive<T>(false) : FPTwo<T>(false);
    if (b1.is_inf() || b2.is_inf()) return FPInfinity<T>(b1.sign != b2.sign);
    const Unpacked addend = {FPType::Nonzero, false, -62, uint64_t(rsqrt ? 3 : 2) << 62};  // 3.0 or 2.0
    return muladd_finite<T>(addend, b1, b2, rsqrt, fpcr, fpsr);
}

template <host::Op op, FPBits T> bool host_first(T a, T b, T c, uint32_t fpcr, uint32_t& fpsr, T& result) {
    return host::fast<op>(a, b, c, fpcr, fpsr, result);
}
}  // namespace

template <FPBits T> T FPAdd(T op1, T op2, uint32_t fpcr, uint32_t& fpsr) {
    T r;
    return host_first<host::Op::Add>(op1, op2, T(0), fpcr, fpsr, r) ? r : soft::FPAdd(op1, op2, fpcr, fpsr);
}
template <FPBits T> T FPSub(T op1, T op2, uint32_t fpcr, uint32_t& fpsr) {
    T r;
    return host_first<host::Op::Sub>(op1, op2, T(0), fpcr, fpsr, r) ? r : soft::FPSub(op1, op2, fpcr, fpsr);
}
template <FPBits T> T FPMul(T op1, T op2, uint32_t fpcr, uint32_t& fpsr) {
    T r;
    return host_first<host::Op::Mul>(op1, op2, T(0), fpcr, fpsr, r) ? r : soft::FPMul(op1, op2, fpcr, fpsr);
}
template <FPBits T> T FPDiv(T op1, T op2, uint32_t fpcr, uint32_t& fpsr) {
    T r;
    return host_first<host::Op::Div>(op1, op2, T(0), fpcr, fpsr, r) ? r : soft::FPDiv(op1, op2, fpcr, fpsr);
}
template <FPBits T> T FPSqrt(T op, uint32_t fpcr, uint32_t& fpsr) {
    T r;
    return host_first<host::Op::Sqrt>(op, T(0), T(0), fpcr, fpsr, r) ? r : soft::FPSqrt(op, fpcr, fpsr);
}
template <FPBits T> T FPMulAdd(T addend, T op1, T op2, uint32_t fpcr, uint32_t& fpsr) {
    T r;
    return host_first<host::Op::MulAdd>(addend, op1, op2, fpcr, fpsr, r) ? r
                                                                          : soft::FPMulAdd(addend, op1, op2, fpcr, fpsr);
}
template <FPBits T> T FPMulX(T op1, T op2, uint32_t fpcr, uint32_t& fpsr) { return mul(op1, op2, true, fpcr, fpsr); }

bool sample_host_fp_environment() { return host::detail::tls_default_mxcsr = host::detail::host_default_mxcsr(); }
void forget_host_fp_environment() { host::detail::tls_default_mxcsr = false; }
template <FPBits T> T FPRecipStepFused(T op1, T op2, uint32_t fpcr, uint32_t& fpsr) {
    return step_fused(op1, op2, false, fpcr, fpsr);
}
template <FPBits T> T FPRSqrtStepFused(T op1, T op2, uint32_t fpcr, uint32_t& fpsr) {
    return step_fused(op1, op2, true, fpcr, fpsr);
}

#define STEPVISOR_FP_INSTANTIATE(T)                                                                              \
    template T soft::FPAdd<T>(T, T, uint32_t, uint32_t&);                                                        \
    template T soft::FPSub<T>(T, T, uint32_t, uint32_t&);                                                        \
    template T soft::FPMul<T>(T, T, uint32_t, uint32_t&);                                                        \
    template T soft::FPDiv<T>(T, T, uint32_t, uint32_t&);                                                        \
    template T soft::FPSqrt<T>(T, uint32_t, uint32_t&);                                                          \
    template T soft::FPMulAdd<T>(T, T, T, uint32_t, uint32_t&);                                                  \
    template T FPAdd<T>(T, T, uint32_t, uint32_t&);                                                              \
    template T FPSub<T>(T, T, uint32_t, uint32_t&);                                                              \
    template T FPMul<T>(T, T, uint32_t, uint32_t&);                                                              \
    template T FPMulX<T>(T, T, uint32_t, uint32_t&);                                                             \
    template T FPDiv<T>(T, T, uint32_t, uint32_t&);                                                              \
    template T FPSqrt<T>(T, uint32_t, uint32_t&);                                                                \
    template T FPMulAdd<T>(T, T, T, uint32_t, uint32_t&);                                                        \
    template T FPRecipStepFused<T>(T, T, uint32_t, uint32_t&);                                                   \
    template T FPRSqrtStepFused<T>(T, T, uint32_t, uint32_t&);
STEPVISOR_FP_INSTANTIATE(uint16_t)
STEPVISOR_FP_INSTANTIATE(uint32_t)
STEPVISOR_FP_INSTANTIATE(uint64_t)
#undef STEPVISOR_FP_INSTANTIATE

}  // namespace cpu::fp
