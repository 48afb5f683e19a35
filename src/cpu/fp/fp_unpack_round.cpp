// FPUnpack, FPRound and NaN processing (DDI 0487 K.a, shared pseudocode
// "FPUnpackBase", "FPRoundBase", "FPProcessNaN", "FPProcessNaNs",
// "FPProcessNaNs3", "FPDefaultNaN").
#include "cpu/fp/fp_unpack_round.h"

#include <algorithm>

namespace cpu::fp {

template <FPBits T> T FPDefaultNaN() { return T(Format<T>::kExpMask | Format<T>::kQuiet); }

// ASL FPUnpackBase.
template <FPBits T> Unpacked FPUnpack(T op, uint32_t fpcr, uint32_t& fpsr) {
    using Fm = Format<T>;
    const bool sign = (op & Fm::kSign) != 0;
    const unsigned e = Fm::exp_field(op);
    const uint64_t frac = op & Fm::kFracMask;
    const bool ahp = Fm::N == 16 && (fpcr & fpcr::kAHP);
    if (e == 0) {
        if (frac == 0) return {FPType::Zero, sign, 0, 0};
        if (Fm::N != 16 && (fpcr & fpcr::kFZ)) {  // FPProcessDenormal: input flushed, IDC
            fpsr |= fpsr::kIDC;
            return {FPType::Zero, sign, 0, 0};
        }
    } else if (e == (1u << Fm::E) - 1 && !ahp) {
        if (frac == 0) return {FPType::Infinity, sign, 0, 0};
        return {(frac & Fm::kQuiet) ? FPType::QNaN : FPType::SNaN, sign, 0, 0};
    }
    const uint64_t m = e == 0 ? frac : frac | (uint64_t(1) << Fm::F);
    const int lz = std::countl_zero(m);
    return {FPType::Nonzero, sign, int(e == 0 ? 1 : e) - Fm::kBias - Fm::F - lz, m << lz};
}

Split split(uint64_t mant, int shift) {
    if (shift == 0) return {mant, Error::Zero};
    if (shift > 64) return {0, mant ? Error::Below : Error::Zero};
    const uint64_t half = uint64_t(1) << (shift - 1);
    const uint64_t rem = shift == 64 ? mant : mant & ((half << 1) - 1);
    const uint64_t int_part = shift == 64 ? 0 : mant >> shift;
    const Error err = rem == 0 ? Error::Zero : rem < half ? Error::Below : rem == half ? Error::Half : Error::Above;
    return {int_part, err};
}

bool round_up(Error error, bool sign, bool lsb, FPRounding rounding) {
    switch (rounding) {
    case FPRounding::TIEEVEN: return error == Error::Above || (error == Error::Half && lsb);
    case FPRounding::POSINF: return error != Error::Zero && !sign;
    case FPRounding::NEGINF: return error != Error::Zero && sign;
    case FPRounding::TIEAWAY: return error >= Error::Half;
    case FPRounding::ZERO:
    case FPRounding::ODD: return false;
    }
    return false;
}

namespace {
bool overflow_to_inf(bool sign, FPRounding rounding) {
    switch (rounding) {
    case FPRounding::TIEEVEN:
    case FPRounding::TIEAWAY: return true;
    case FPRounding::POSINF: return !sign;
    case FPRounding::NEGINF: return sign;
    default: return false;
    }
}

// FPRoundBase's last step: overflow, the alternative half format, IXC.
template <FPBits T>
T pack_rounded(bool sign, int biased_exp, uint64_t int_mant, Error error, uint32_t fpcr, FPRounding rounding,
               uint32_t& fpsr) {
    using Fm = Format<T>;
    T result;
    if (Fm::N != 16 || !(fpcr & fpcr::kAHP)) {
        if (biased_exp >= (1 << Fm::E) - 1) {
            result = overflow_to_inf(sign, rounding) ? FPInfinity<T>(sign) : FPMaxNormal<T>(sign);
            fpsr |= fpsr::kOFC;
            error = Error::Above;  // so that Inexact is raised
        } else {
            result = T(FPZero<T>(sign) | (T(biased_exp) << Fm::F) | (int_mant & Fm::kFracMask));
        }
    } else if (biased_exp >= (1 << Fm::E)) {  // alternative half precision saturates
        result = T(FPZero<T>(sign) | (Fm::kExpMask | Fm::kFracMask));
        fpsr |= fpsr::kIOC;
        error = Error::Zero;  // no Inexact
    } else {
        result = T(FPZero<T>(sign) | (T(biased_exp) << Fm::F) | (int_mant & Fm::kFracMask));
    }
    if (error != Error::Zero) fpsr |= fpsr::kIXC;
    return result;
}
}  // namespace

// ASL FPRoundBase. Tininess is detected before rounding: Underflow when the
// unrounded exponent is below minimum_exp and the result is inexact; FZ
// flushes such a value to zero with UFC and without IXC.
template <FPBits T>
T FPRound(bool sign, int exp, uint64_t mant, uint32_t fpcr, FPRounding rounding, uint32_t& fpsr) {
    using Fm = Format<T>;
    const int lz = std::countl_zero(mant);
    mant <<= lz;
    const int exponent = exp - lz + 63;  // value = 1.f * 2^exponent
    if (Fm::N != 16 && (fpcr & fpcr::kFZ) && exponent < Fm::kMinExp) {
        fpsr |= fpsr::kUFC;
        return FPZero<T>(sign);
    }
    int biased_exp = std::max(exponent - Fm::kMinExp + 1, 0);
    const int shift = 63 - Fm::F + (biased_exp == 0 ? Fm::kMinExp - exponent : 0);
    auto [int_mant, error] = split(mant, shift);
    if (biased_exp == 0 && error != Error::Zero) fpsr |= fpsr::kUFC;
    if (round_up(error, sign, int_mant & 1, rounding)) {
        ++int_mant;
        if (int_mant == uint64_t(1) << Fm::F) biased_exp = 1;  // denormal rounded up to normal
        if (int_mant == uint64_t(1) << (Fm::F + 1)) {
            ++biased_exp;
            int_mant >>= 1;
        }
    }
    if (rounding == FPRounding::ODD && error != Error::Zero) int_mant |= 1;
    return pack_rounded<T>(sign, biased_exp, int_mant, error, fpcr, rounding, fpsr);
}

template <FPBits T>
T FPRound128(bool sign, int exp, u128 mant, uint32_t fpcr, FPRounding rounding, uint32_t& fpsr) {
    const uint64_t hi = uint64_t(mant >> 64), lo = uint64_t(mant);
    if (hi == 0) return FPRound<T>(sign, exp, lo, fpcr, rounding, fpsr);
    const int lz = std::countl_zero(hi);
    const u128 m = mant << lz;
    const uint64_t jammed = uint64_t(m >> 64) | (uint64_t(m) != 0);
    return FPRound<T>(sign, exp - lz + 64, jammed, fpcr, rounding, fpsr);
}

// ASL FPProcessNaN.
template <FPBits T> T FPProcessNaN(FPType type, T op, uint32_t fpcr, uint32_t& fpsr) {
    T result = op;
    if (type == FPType::SNaN) {
        result = T(result | Format<T>::kQuiet);
        fpsr |= fpsr::kIOC;
    }
    return (fpcr & fpcr::kDN) ? FPDefaultNaN<T>() : result;
}

// ASL FPProcessNaNs.
template <FPBits T>
bool FPProcessNaNs(const Unpacked& a, const Unpacked& b, T op1, T op2, uint32_t fpcr, uint32_t& fpsr, T& result) {
    if (a.type == FPType::SNaN) result = FPProcessNaN(a.type, op1, fpcr, fpsr);
    else if (b.type == FPType::SNaN) result = FPProcessNaN(b.type, op2, fpcr, fpsr);
    else if (a.type == FPType::QNaN) result = FPProcessNaN(a.type, op1, fpcr, fpsr);
    else if (b.type == FPType::QNaN) result = FPProcessNaN(b.type, op2, fpcr, fpsr);
    else return false;
    return true;
}

// ASL FPProcessNaNs3.
template <FPBits T>
bool FPProcessNaNs3(const Unpacked& a, const Unpacked& b, const Unpacked& c, T op1, T op2, T op3, uint32_t fpcr,
                    uint32_t& fpsr, T& result) {
    if (a.type == FPType::SNaN) result = FPProcessNaN(a.type, op1, fpcr, fpsr);
    else if (b.type == FPType::SNaN) result = FPProcessNaN(b.type, op2, fpcr, fpsr);
    else if (c.type == FPType::SNaN) result = FPProcessNaN(c.type, op3, fpcr, fpsr);
    else if (a.type == FPType::QNaN) result = FPProcessNaN(a.type, op1, fpcr, fpsr);
    else if (b.type == FPType::QNaN) result = FPProcessNaN(b.type, op2, fpcr, fpsr);
    else if (c.type == FPType::QNaN) result = FPProcessNaN(c.type, op3, fpcr, fpsr);
    else return false;
    return true;
}

#define STEPVISOR_FP_INSTANTIATE(T)                                                                              \
    template T FPDefaultNaN<T>();                                                                                \
    template Unpacked FPUnpack<T>(T, uint32_t, uint32_t&);                                                       \
    template T FPRound<T>(bool, int, uint64_t, uint32_t, FPRounding, uint32_t&);                                 \
    template T FPRound128<T>(bool, int, u128, uint32_t, FPRounding, uint32_t&);                                  \
    template T FPProcessNaN<T>(FPType, T, uint32_t, uint32_t&);                                                  \
    template bool FPProcessNaNs<T>(const Unpacked&, const Unpacked&, T, T, uint32_t, uint32_t&, T&);             \
    template bool FPProcessNaNs3<T>(const Unpacked&, const Unpacked&, const Unpacked&, T, T, T, uint32_t,         \
                                    uint32_t&, T&);
STEPVISOR_FP_INSTANTIATE(uint16_t)
STEPVISOR_FP_INSTANTIATE(uint32_t)
STEPVISOR_FP_INSTANTIATE(uint64_t)
#undef STEPVISOR_FP_INSTANTIATE

}  // namespace cpu::fp
