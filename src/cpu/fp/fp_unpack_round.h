// Internals shared by the FP files: the formats, an unpacked value, and the
// ASL's FPUnpack, FPRound and NaN processing (fp_unpack_round.cpp).
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>

#include "cpu/fp/fp.h"

namespace cpu::fp {

using u128 = unsigned __int128;

// A format's parameters as FPRound names them: N bits, E exponent bits,
// F fraction bits.
template <FPBits T> struct Format {
    static constexpr int N = sizeof(T) * 8;
    static constexpr int E = N == 16 ? 5 : N == 32 ? 8 : 11;
    static constexpr int F = N - E - 1;
    static constexpr int kBias = (1 << (E - 1)) - 1;
    static constexpr int kMinExp = 1 - kBias;  // ASL minimum_exp = 2 - 2^(E-1)
    static constexpr T kSign = T(1) << (N - 1);
    static constexpr T kExpMask = T(((T(1) << E) - 1) << F);
    static constexpr T kFracMask = T((T(1) << F) - 1);
    static constexpr T kQuiet = T(1) << (F - 1);
    static constexpr unsigned exp_field(T op) { return unsigned((op >> F) & ((1u << E) - 1)); }
};

enum class FPType : uint8_t { Zero, Nonzero, Infinity, QNaN, SNaN };

// A value as FPUnpack returns it. For Nonzero, value = mant * 2^exp with
// bit 63 of mant set; the other types leave mant and exp zero.
struct Unpacked {
    FPType type;
    bool sign;
    int exp;
    uint64_t mant;
    bool is_nan() const { return type == FPType::QNaN || type == FPType::SNaN; }
    bool is_inf() const { return type == FPType::Infinity; }
    bool is_zero() const { return type == FPType::Zero; }
};

template <FPBits T> constexpr T FPZero(bool sign) { return sign ? Format<T>::kSign : T(0); }
template <FPBits T> constexpr T FPInfinity(bool sign) { return T(FPZero<T>(sign) | Format<T>::kExpMask); }
template <FPBits T> constexpr T FPMaxNormal(bool sign) {
    return T(FPZero<T>(sign) | (Format<T>::kExpMask - (T(1) << Format<T>::F)) | Format<T>::kFracMask);
}
// ASL FPTwo, FPOnePointFive, FPThree would be spelled by value; only these
// two are needed (FPMulX, the step functions).
template <FPBits T> constexpr T FPTwo(bool sign) { return T(FPZero<T>(sign) | (T(Format<T>::kBias + 1) << Format<T>::F)); }
template <FPBits T> constexpr T FPOnePointFive(bool sign) {
    return T(FPZero<T>(sign) | (T(Format<T>::kBias) << Format<T>::F) | Format<T>::kQuiet);
}

// ASL FPUnpack (FPUnpackBase): FZ flushes single and double denormals to a
// zero and sets IDC; half denormals are never flushed (no FZ16), and with
// FPCR.AHP a half with an all-ones exponent is a number.
template <FPBits T> inline Unpacked FPUnpack(T op, uint32_t fpcr, uint32_t& fpsr) {
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

// ASL FPProcessNaN: quiet an SNaN (IOC), or the default NaN under FPCR.DN.
template <FPBits T> T FPProcessNaN(FPType type, T op, uint32_t fpcr, uint32_t& fpsr);
// ASL FPProcessNaNs / FPProcessNaNs3: SNaNs first in operand order, then
// QNaNs. Returns false when no operand is a NaN.
template <FPBits T>
bool FPProcessNaNs(const Unpacked& a, const Unpacked& b, T op1, T op2, uint32_t fpcr, uint32_t& fpsr, T& result);
template <FPBits T>
bool FPProcessNaNs3(const Unpacked& a, const Unpacked& b, const Unpacked& c, T op1, T op2, T op3, uint32_t fpcr,
                    uint32_t& fpsr, T& result);

// Rounding an integer part: the error classes of FPRound's `error` and
// FPRoundInt's, and the round-up decision every rounding mode makes from
// them on a magnitude (the ASL's signed forms reduce to this).
enum class Error : uint8_t { Zero, Below, Half, Above };
struct Split {
    uint64_t int_part;
    Error error;
};
// floor(mant / 2^shift) and the class of the remainder; shift >= 0.
inline Split split(uint64_t mant, int shift) {
    if (shift == 0) return {mant, Error::Zero};
    if (shift > 64) return {0, mant ? Error::Below : Error::Zero};
    const uint64_t half = uint64_t(1) << (shift - 1);
    const uint64_t rem = shift == 64 ? mant : mant & ((half << 1) - 1);
    const uint64_t int_part = shift == 64 ? 0 : mant >> shift;
    const Error err = rem == 0 ? Error::Zero : rem < half ? Error::Below : rem == half ? Error::Half : Error::Above;
    return {int_part, err};
}

inline bool round_up(Error error, bool sign, bool lsb, FPRounding rounding) {
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

namespace detail {
inline bool overflow_to_inf(bool sign, FPRounding rounding) {
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
inline T pack_rounded(bool sign, int biased_exp, uint64_t int_mant, Error error, uint32_t fpcr,
                      FPRounding rounding, uint32_t& fpsr) {
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
}  // namespace detail

// ASL FPRound(value, fpcr, rounding) (FPRoundBase) for value = sign * mant *
// 2^exp, mant != 0. If mant carries a sticky bit (bit 0 standing for
// "something non-zero below"), its bit 63 must be set, so the sticky bit
// lies below every rounding position. FZ applies unless N = 16 (FPRoundCV
// for halves). Tininess is detected before rounding: Underflow when the
// unrounded exponent is below minimum_exp and the result is inexact; FZ
// flushes such a value to zero with UFC and without IXC.
template <FPBits T>
inline T FPRound(bool sign, int exp, uint64_t mant, uint32_t fpcr, FPRounding rounding, uint32_t& fpsr) {
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
    return detail::pack_rounded<T>(sign, biased_exp, int_mant, error, fpcr, rounding, fpsr);
}

// FPRound for a 128-bit significand, exact or with a sticky bit 0 and a
// top bit at 127 or at most one or two below.
template <FPBits T>
inline T FPRound128(bool sign, int exp, u128 mant, uint32_t fpcr, FPRounding rounding, uint32_t& fpsr) {
    const uint64_t hi = uint64_t(mant >> 64), lo = uint64_t(mant);
    if (hi == 0) return FPRound<T>(sign, exp, lo, fpcr, rounding, fpsr);
    const int lz = std::countl_zero(hi);
    const u128 m = mant << lz;
    const uint64_t jammed = uint64_t(m >> 64) | (uint64_t(m) != 0);
    return FPRound<T>(sign, exp - lz + 64, jammed, fpcr, rounding, fpsr);
}

}  // namespace cpu::fp
