// FPRoundInt, FPToFixed, FixedToFP, FPConvert and FPConvertNaN (DDI 0487
// K.a shared pseudocode of the same names).
#include "cpu/fp/fp_host.h"
#include "cpu/fp/fp_unpack_round.h"

namespace cpu::fp {

// ASL FPRoundInt. The ASL rounds the signed value down and decides an
// increment from the error; on the magnitude that is FPRound's round-up
// rule (TIEAWAY away from zero, ZERO truncating). `exact` (FRINTX) raises
// Inexact when the result differs from the operand.
template <FPBits T> T FPRoundInt(T op, uint32_t fpcr, FPRounding rounding, bool exact, uint32_t& fpsr) {
    const Unpacked a = FPUnpack(op, fpcr, fpsr);
    if (a.is_nan()) return FPProcessNaN(a.type, op, fpcr, fpsr);
    if (a.is_inf()) return FPInfinity<T>(a.sign);
    if (a.is_zero()) return FPZero<T>(a.sign);
    if (a.exp >= 0) return op;  // already an integer
    auto [int_part, error] = split(a.mant, -a.exp);
    if (round_up(error, a.sign, int_part & 1, rounding)) ++int_part;
    if (error != Error::Zero && exact) fpsr |= fpsr::kIXC;
    if (int_part == 0) return FPZero<T>(a.sign);
    return FPRound<T>(a.sign, 0, int_part, fpcr, FPRounding::ZERO, fpsr);  // exact
}

namespace {
// ASL SatQ on a magnitude with a sign: the M-bit result and whether it
// saturated.
uint64_t saturate(bool sign, u128 mag, bool is_unsigned, int m, bool& overflow) {
    const u128 top = u128(1) << (m - 1);
    if (is_unsigned) {
        const u128 max = (top << 1) - 1;
        overflow = sign ? mag != 0 : mag > max;
        return sign ? 0 : overflow ? uint64_t(max) : uint64_t(mag);
    }
    const u128 limit = sign ? top : top - 1;
    overflow = mag > limit;
    const u128 v = overflow ? limit : mag;
    const uint64_t bits = sign ? uint64_t(0) - uint64_t(v) : uint64_t(v);
    return m == 64 ? bits : bits & 0xFFFFFFFFu;
}
}  // namespace

// ASL FPToFixed: a NaN converts to 0 with Invalid Operation; an infinity or
// an out-of-range value saturates with Invalid Operation (no Inexact).
template <FPBits T>
uint64_t FPToFixed(T op, int fbits, bool is_unsigned, bool is64, uint32_t fpcr, FPRounding rounding,
                   uint32_t& fpsr) {
    const int m = is64 ? 64 : 32;
    const Unpacked a = FPUnpack(op, fpcr, fpsr);
    if (a.is_nan()) {
        fpsr |= fpsr::kIOC;
        return 0;
    }
    if (a.is_zero()) return 0;
    u128 mag;
    Error error = Error::Zero;
    const int e = a.exp + fbits;  // value * 2^fbits = mant * 2^e
    if (a.is_inf() || e >= 64) {
        mag = ~u128(0);
    } else if (e >= 0) {
        mag = u128(a.mant) << e;
    } else {
        const Split s = split(a.mant, -e);
        mag = s.int_part, error = s.error;
        if (round_up(error, a.sign, mag & 1, rounding)) ++mag;
    }
    bool overflow;
    const uint64_t result = saturate(a.sign, mag, is_unsigned, m, overflow);
    if (overflow) fpsr |= fpsr::kIOC;
    else if (error != Error::Zero) fpsr |= fpsr::kIXC;
    return result;
}

// ASL FixedToFP: an exact zero is +0; otherwise one rounding.
template <FPBits T>
T FixedToFP(uint64_t op, int fbits, bool is_unsigned, bool is64, uint32_t fpcr, FPRounding rounding,
            uint32_t& fpsr) {
    if (T r; host::fixed_to_fp(op, fbits, is_unsigned, is64, r)) return r;
    const uint64_t v = is64 ? op : op & 0xFFFFFFFFu;
    bool sign = false;
    uint64_t mag = v;
    if (!is_unsigned) {
        const int64_t s = is64 ? int64_t(v) : int64_t(int32_t(uint32_t(v)));
        sign = s < 0;
        mag = sign ? uint64_t(0) - uint64_t(s) : uint64_t(s);
    }
    if (mag == 0) return FPZero<T>(false);
    return FPRound<T>(sign, -fbits, mag, fpcr, rounding, fpsr);
}

namespace {
// ASL FPConvertNaN: keep the sign and the top of the payload, set the quiet
// bit.
template <FPBits To, FPBits From> To FPConvertNaN(From op) {
    using Fi = Format<From>;
    using Fo = Format<To>;
    const uint64_t frac51 = uint64_t(op & (Fi::kQuiet - 1)) << (52 - Fi::F);
    const To payload = To(frac51 >> (52 - Fo::F));
    return To(FPZero<To>((op & Fi::kSign) != 0) | Fo::kExpMask | Fo::kQuiet | payload);
}
}  // namespace

// ASL FPConvert. A half result under FPCR.AHP has no NaN or infinity: a NaN
// becomes a zero and an infinity the largest value, both with Invalid
// Operation. Half operands are never flushed (FPUnpackCV).
template <FPBits To, FPBits From> To FPConvert(From op, uint32_t fpcr, FPRounding rounding, uint32_t& fpsr) {
    const Unpacked a = FPUnpack(op, fpcr, fpsr);
    const bool alt_hp = Format<To>::N == 16 && (fpcr & fpcr::kAHP);
    if (a.is_nan()) {
        if (a.type == FPType::SNaN || alt_hp) fpsr |= fpsr::kIOC;
        if (alt_hp) return FPZero<To>(a.sign);
        return (fpcr & fpcr::kDN) ? FPDefaultNaN<To>() : FPConvertNaN<To>(op);
    }
    if (a.is_inf()) {
        if (!alt_hp) return FPInfinity<To>(a.sign);
        fpsr |= fpsr::kIOC;
        return To(FPZero<To>(a.sign) | Format<To>::kExpMask | Format<To>::kFracMask);
    }
    if (a.is_zero()) return FPZero<To>(a.sign);
    return FPRound<To>(a.sign, a.exp, a.mant, fpcr, rounding, fpsr);
}

#define STEPVISOR_FP_INSTANTIATE(T)                                                                              \
    template T FPRoundInt<T>(T, uint32_t, FPRounding, bool, uint32_t&);                                          \
    template uint64_t FPToFixed<T>(T, int, bool, bool, uint32_t, FPRounding, uint32_t&);                         \
    template T FixedToFP<T>(uint64_t, int, bool, bool, uint32_t, FPRounding, uint32_t&);                         \
    template T FPConvert<T, uint16_t>(uint16_t, uint32_t, FPRounding, uint32_t&);                                \
    template T FPConvert<T, uint32_t>(uint32_t, uint32_t, FPRounding, uint32_t&);                                \
    template T FPConvert<T, uint64_t>(uint64_t, uint32_t, FPRounding, uint32_t&);
STEPVISOR_FP_INSTANTIATE(uint16_t)
STEPVISOR_FP_INSTANTIATE(uint32_t)
STEPVISOR_FP_INSTANTIATE(uint64_t)
#undef STEPVISOR_FP_INSTANTIATE

}  // namespace cpu::fp
