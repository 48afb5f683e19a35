// Internals shared by the FP files: the formats, an unpacked value, and the
// ASL's FPUnpack, FPRound and NaN processing (fp_unpack_round.cpp).
#pragma once

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
template <FPBits T> Unpacked FPUnpack(T op, uint32_t fpcr, uint32_t& fpsr);

// ASL FPRound(value, fpcr, rounding) for value = sign * mant * 2^exp,
// mant != 0. If mant carries a sticky bit (bit 0 standing for "something
// non-zero below"), its bit 63 must be set, so the sticky bit lies below
// every rounding position. FZ applies unless N = 16 (FPRoundCV for halves).
template <FPBits T> T FPRound(bool sign, int exp, uint64_t mant, uint32_t fpcr, FPRounding rounding, uint32_t& fpsr);
// The same for a 128-bit significand, exact or with a sticky bit 0 and a
// top bit at 127 or at most one or two below.
template <FPBits T> T FPRound128(bool sign, int exp, u128 mant, uint32_t fpcr, FPRounding rounding, uint32_t& fpsr);

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
Split split(uint64_t mant, int shift);
bool round_up(Error error, bool sign, bool lsb, FPRounding rounding);

}  // namespace cpu::fp
