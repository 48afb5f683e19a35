// FPRecipEstimate, FPRSqrtEstimate, FPRecpX, UnsignedRecipEstimate,
// UnsignedRSqrtEstimate and the integer RecipEstimate / RecipSqrtEstimate
// they use (DDI 0487 K.a shared pseudocode of the same names, without
// FEAT_RPRES's increased precision).
#include "cpu/fp/fp_unpack_round.h"

namespace cpu::fp {

// ASL RecipEstimate: a in [256, 512) is a fixed-point [0.5, 1.0); the result
// in [256, 512) is [1.0, 2.0), rounded to nearest.
int RecipEstimate(int a) {
    a = a * 2 + 1;
    const int b = (1 << 19) / a;
    return (b + 1) / 2;
}

// ASL RecipSqrtEstimate: a in [128, 512) is [0.25, 1.0).
int RecipSqrtEstimate(int a) {
    if (a < 256) a = a * 2 + 1;
    else a = ((a >> 1) << 1), a = (a + 1) * 2;
    int b = 512;
    while (int64_t(a) * (b + 1) * (b + 1) < (int64_t(1) << 28)) ++b;
    return (b + 1) / 2;
}

namespace {
constexpr uint64_t kFrac52 = (uint64_t(1) << 52) - 1;

template <FPBits T> uint64_t fraction52(T op) { return uint64_t(op & Format<T>::kFracMask) << (52 - Format<T>::F); }

bool overflow_to_inf(bool sign, FPRounding rounding) {
    return rounding == FPRounding::TIEEVEN || (rounding == FPRounding::POSINF && !sign) ||
           (rounding == FPRounding::NEGINF && sign);
}

// FPRecipEstimate's finite, in-range case: 1/x from the top eight fraction
// bits, the exponent mirrored, a denormal result formed by shifting.
template <FPBits T> T recip_estimate_bits(T op) {
    using Fm = Format<T>;
    uint64_t fraction = fraction52(op);
    int exp = int(Fm::exp_field(op));
    if (exp == 0) {
        if (!(fraction >> 51)) exp = -1, fraction = (fraction << 2) & kFrac52;
        else fraction = (fraction << 1) & kFrac52;
    }
    const int scaled = int(256 | (fraction >> 44));
    int result_exp = 2 * Fm::kBias - 1 - exp;
    fraction = uint64_t(RecipEstimate(scaled) & 0xFF) << 44;
    if (result_exp == 0) fraction = (uint64_t(1) << 51) | (fraction >> 1);
    else if (result_exp == -1) fraction = (uint64_t(1) << 50) | (fraction >> 2), result_exp = 0;
    return T(FPZero<T>((op & Fm::kSign) != 0) | (T(result_exp) << Fm::F) | T(fraction >> (52 - Fm::F)));
}
}  // namespace

// ASL FPRecipEstimate. Operands below 2^-(2^(E-1)) overflow (to infinity or
// the largest normal per the rounding mode, OFC and IXC); under FZ,
// operands at or above 2^(2^(E-1)-2) give a zero with UFC.
template <FPBits T> T FPRecipEstimate(T op, uint32_t fpcr, uint32_t& fpsr) {
    using Fm = Format<T>;
    const Unpacked a = FPUnpack(op, fpcr, fpsr);
    if (a.is_nan()) return FPProcessNaN(a.type, op, fpcr, fpsr);
    if (a.is_inf()) return FPZero<T>(a.sign);
    if (a.is_zero()) {
        fpsr |= fpsr::kDZC;
        return FPInfinity<T>(a.sign);
    }
    const int exponent = a.exp + 63;  // |value| in [2^exponent, 2^(exponent+1))
    if (exponent < -(1 << (Fm::E - 1))) {
        fpsr |= fpsr::kOFC | fpsr::kIXC;
        return overflow_to_inf(a.sign, FPRoundingMode(fpcr)) ? FPInfinity<T>(a.sign) : FPMaxNormal<T>(a.sign);
    }
    if (Fm::N != 16 && (fpcr & fpcr::kFZ) && exponent >= (1 << (Fm::E - 1)) - 2) {
        fpsr |= fpsr::kUFC;
        return FPZero<T>(a.sign);
    }
    return recip_estimate_bits(op);
}

// ASL FPRSqrtEstimate.
template <FPBits T> T FPRSqrtEstimate(T op, uint32_t fpcr, uint32_t& fpsr) {
    using Fm = Format<T>;
    const Unpacked a = FPUnpack(op, fpcr, fpsr);
    if (a.is_nan()) return FPProcessNaN(a.type, op, fpcr, fpsr);
    if (a.is_zero()) {
        fpsr |= fpsr::kDZC;
        return FPInfinity<T>(a.sign);
    }
    if (a.sign) {
        fpsr |= fpsr::kIOC;
        return FPDefaultNaN<T>();
    }
    if (a.is_inf()) return FPZero<T>(false);
    uint64_t fraction = fraction52(op);
    int exp = int(Fm::exp_field(op));
    if (exp == 0) {
        while (!(fraction >> 51)) fraction <<= 1, --exp;
        fraction = (fraction << 1) & kFrac52;
    }
    const int scaled = (exp & 1) == 0 ? int(256 | (fraction >> 44)) : int(128 | (fraction >> 45));
    const int result_exp = (3 * Fm::kBias - 1 - exp) / 2;  // the dividend is positive: DIV is '/'
    const int estimate = RecipSqrtEstimate(scaled);
    return T((T(result_exp) << Fm::F) | (T(estimate & 0xFF) << (Fm::F - 8)));
}

// ASL FPRecpX: the exponent inverted, the fraction cleared; zeros and
// denormals give the largest finite exponent.
template <FPBits T> T FPRecpX(T op, uint32_t fpcr, uint32_t& fpsr) {
    using Fm = Format<T>;
    const Unpacked a = FPUnpack(op, fpcr, fpsr);
    if (a.is_nan()) return FPProcessNaN(a.type, op, fpcr, fpsr);
    const T exp = T(op & Fm::kExpMask);
    const T max_exp = T(Fm::kExpMask - (T(1) << Fm::F));
    return T((op & Fm::kSign) | (exp == 0 ? max_exp : T(~exp & Fm::kExpMask)));
}

// ASL UnsignedRecipEstimate (URECPE).
uint32_t UnsignedRecipEstimate(uint32_t op) {
    if (!(op >> 31)) return 0xFFFFFFFFu;
    return uint32_t(RecipEstimate(int(op >> 23)) & 0x1FF) << 23;
}

// ASL UnsignedRSqrtEstimate (URSQRTE).
uint32_t UnsignedRSqrtEstimate(uint32_t op) {
    if (!(op >> 30)) return 0xFFFFFFFFu;
    return uint32_t(RecipSqrtEstimate(int(op >> 23)) & 0x1FF) << 23;
}

#define STEPVISOR_FP_INSTANTIATE(T)                                                                              \
    template T FPRecipEstimate<T>(T, uint32_t, uint32_t&);                                                       \
    template T FPRSqrtEstimate<T>(T, uint32_t, uint32_t&);                                                       \
    template T FPRecpX<T>(T, uint32_t, uint32_t&);
STEPVISOR_FP_INSTANTIATE(uint16_t)
STEPVISOR_FP_INSTANTIATE(uint32_t)
STEPVISOR_FP_INSTANTIATE(uint64_t)
#undef STEPVISOR_FP_INSTANTIATE

}  // namespace cpu::fp
