// FPCompare, FPCompareEQ/GE/GT, FPMax, FPMin, FPMaxNum, FPMinNum (DDI 0487
// K.a shared pseudocode of the same names).
#include "cpu/fp/fp_host.h"
#include "cpu/fp/fp_unpack_round.h"

namespace cpu::fp {

namespace {
// Ordering of two non-NaN unpacked values: -1, 0 or 1. Zeros of either
// sign (flushed denormals included) are equal; magnitudes order as their
// (exponent, significand) pairs, infinities above all.
int compare_values(const Unpacked& a, const Unpacked& b) {
    auto key = [](const Unpacked& u) -> int {  // -1 for negative, 0 zero, 1 positive
        return u.is_zero() ? 0 : u.sign ? -1 : 1;
    };
    const int ka = key(a), kb = key(b);
    if (ka != kb) return ka < kb ? -1 : 1;
    if (ka == 0) return 0;
    int mag;  // |a| vs |b|
    if (a.is_inf() || b.is_inf()) mag = a.is_inf() == b.is_inf() ? 0 : a.is_inf() ? 1 : -1;
    else if (a.exp != b.exp) mag = a.exp < b.exp ? -1 : 1;  // mant is normalized: the exponent decides
    else mag = a.mant == b.mant ? 0 : a.mant < b.mant ? -1 : 1;
    return ka > 0 ? mag : -mag;
}

// The common head of the Boolean comparisons: true when a NaN decided the
// result (false), with IOC for an SNaN or when `signal_nans`.
bool nan_operand(const Unpacked& a, const Unpacked& b, bool signal_nans, uint32_t& fpsr) {
    if (!a.is_nan() && !b.is_nan()) return false;
    if (a.type == FPType::SNaN || b.type == FPType::SNaN || signal_nans) fpsr |= fpsr::kIOC;
    return true;
}
}  // namespace

// ASL FPCompare: NZCV = 0011 unordered, 0110 equal, 1000 less, 0010 greater.
template <FPBits T> uint32_t FPCompare(T op1, T op2, bool signal_nans, uint32_t fpcr, uint32_t& fpsr) {
    if (uint32_t nzcv; host::compare(op1, op2, nzcv)) return nzcv;
    const Unpacked a = FPUnpack(op1, fpcr, fpsr), b = FPUnpack(op2, fpcr, fpsr);
    if (nan_operand(a, b, signal_nans, fpsr)) return 0b0011;
    const int c = compare_values(a, b);
    return c == 0 ? 0b0110 : c < 0 ? 0b1000 : 0b0010;
}

// ASL FPCompareEQ (quiet), FPCompareGE and FPCompareGT (signalling).
template <FPBits T> bool FPCompareEQ(T op1, T op2, uint32_t fpcr, uint32_t& fpsr) {
    const Unpacked a = FPUnpack(op1, fpcr, fpsr), b = FPUnpack(op2, fpcr, fpsr);
    return !nan_operand(a, b, false, fpsr) && compare_values(a, b) == 0;
}
template <FPBits T> bool FPCompareGE(T op1, T op2, uint32_t fpcr, uint32_t& fpsr) {
    const Unpacked a = FPUnpack(op1, fpcr, fpsr), b = FPUnpack(op2, fpcr, fpsr);
    return !nan_operand(a, b, true, fpsr) && compare_values(a, b) >= 0;
}
template <FPBits T> bool FPCompareGT(T op1, T op2, uint32_t fpcr, uint32_t& fpsr) {
    const Unpacked a = FPUnpack(op1, fpcr, fpsr), b = FPUnpack(op2, fpcr, fpsr);
    return !nan_operand(a, b, true, fpsr) && compare_values(a, b) > 0;
}

namespace {
// ASL FPMax and FPMin: the larger (smaller) value; two zeros give the most
// positive (negative) sign; a number goes through FPRound, which returns its
// own bits (exact) unless FZ flushed it to a zero above.
template <FPBits T> T min_max(T op1, T op2, bool max, uint32_t fpcr, uint32_t& fpsr) {
    const Unpacked a = FPUnpack(op1, fpcr, fpsr), b = FPUnpack(op2, fpcr, fpsr);
    T result;
    if (FPProcessNaNs(a, b, op1, op2, fpcr, fpsr, result)) return result;
    const int c = compare_values(a, b);
    const bool first = max ? c > 0 : c < 0;
    const Unpacked& v = first ? a : b;
    if (v.is_inf()) return FPInfinity<T>(v.sign);
    if (v.is_zero()) return FPZero<T>(max ? (a.sign && b.sign) : (a.sign || b.sign));
    return FPRound<T>(v.sign, v.exp, v.mant, fpcr, FPRoundingMode(fpcr), fpsr);
}

// ASL FPMaxNum and FPMinNum: a single quiet NaN loses to any number (it is
// replaced by -infinity for FPMaxNum, +infinity for FPMinNum).
template <FPBits T> T min_max_num(T op1, T op2, bool max, uint32_t fpcr, uint32_t& fpsr) {
    const Unpacked a = FPUnpack(op1, fpcr, fpsr), b = FPUnpack(op2, fpcr, fpsr);
    if (a.type == FPType::QNaN && b.type != FPType::QNaN) op1 = FPInfinity<T>(max);
    else if (a.type != FPType::QNaN && b.type == FPType::QNaN) op2 = FPInfinity<T>(max);
    return min_max(op1, op2, max, fpcr, fpsr);
}
}  // namespace

template <FPBits T> T FPMax(T op1, T op2, uint32_t fpcr, uint32_t& fpsr) { return min_max(op1, op2, true, fpcr, fpsr); }
template <FPBits T> T FPMin(T op1, T op2, uint32_t fpcr, uint32_t& fpsr) { return min_max(op1, op2, false, fpcr, fpsr); }
template <FPBits T> T FPMaxNum(T op1, T op2, uint32_t fpcr, uint32_t& fpsr) {
    return min_max_num(op1, op2, true, fpcr, fpsr);
}
template <FPBits T> T FPMinNum(T op1, T op2, uint32_t fpcr, uint32_t& fpsr) {
    return min_max_num(op1, op2, false, fpcr, fpsr);
}

#define STEPVISOR_FP_INSTANTIATE(T)                                                                              \
    template uint32_t FPCompare<T>(T, T, bool, uint32_t, uint32_t&);                                             \
    template bool FPCompareEQ<T>(T, T, uint32_t, uint32_t&);                                                     \
    template bool FPCompareGE<T>(T, T, uint32_t, uint32_t&);                                                     \
    template bool FPCompareGT<T>(T, T, uint32_t, uint32_t&);                                                     \
    template T FPMax<T>(T, T, uint32_t, uint32_t&);                                                              \
    template T FPMin<T>(T, T, uint32_t, uint32_t&);                                                              \
    template T FPMaxNum<T>(T, T, uint32_t, uint32_t&);                                                           \
    template T FPMinNum<T>(T, T, uint32_t, uint32_t&);
STEPVISOR_FP_INSTANTIATE(uint16_t)
STEPVISOR_FP_INSTANTIATE(uint32_t)
STEPVISOR_FP_INSTANTIATE(uint64_t)
#undef STEPVISOR_FP_INSTANTIATE

}  // namespace cpu::fp
