// Hand-picked vectors, one or a few per rule of the ASL (DDI 0487 K.a
// shared pseudocode); each test names the function and rule it checks. The
// arithmetic runs both through the public entry points (host fast path
// first) and through soft:: directly.
#include <gtest/gtest.h>

#include "cpu/fp/fp.h"
#include "cpu/fp/fp_arith.h"

namespace cpu::fp {
namespace {

// A double's bits as uint64_t (ull would be unsigned long long).
constexpr uint64_t operator""_d(unsigned long long v) { return v; }

constexpr uint32_t kRN = 0, kRP = 1u << 22, kRM = 2u << 22, kRZ = 3u << 22;
constexpr uint32_t kFZ = fpcr::kFZ, kDN = fpcr::kDN, kAHP = fpcr::kAHP;
constexpr uint32_t IOC = fpsr::kIOC, DZC = fpsr::kDZC, OFC = fpsr::kOFC, UFC = fpsr::kUFC, IXC = fpsr::kIXC,
                   IDC = fpsr::kIDC;

constexpr uint32_t kOne = 0x3F800000, kTwo = 0x40000000, kMinNormal = 0x00800000, kMaxNormal = 0x7F7FFFFF;
constexpr uint32_t kInf = 0x7F800000, kNegInf = 0xFF800000, kDefaultNaN = 0x7FC00000;

// A result and the flags it raised, from FPSR = 0.
template <class T> struct Out {
    T value;
    uint32_t flags;
    bool operator==(const Out&) const = default;
};
template <class T> std::ostream& operator<<(std::ostream& os, const Out<T>& o) {
    return os << std::hex << "{0x" << uint64_t(o.value) << ", flags 0x" << o.flags << "}";
}
template <class F> auto run(F f) {
    uint32_t flags = 0;
    auto v = f(flags);
    return Out<decltype(v)>{v, flags};
}
#define FP(expr) run([&](uint32_t& fpsr) { return (expr); })

TEST(FPRound, TininessIsDetectedBeforeRounding) {
    // (1 - 2^-24) * 2^-126 is a tie between the largest denormal and the
    // smallest normal: it rounds to 2^-126, but was tiny before rounding, so
    // Underflow is raised (x86 detects tininess after rounding and does not).
    const uint32_t a = 0x3F7FFFFF, b = kMinNormal;
    EXPECT_EQ(FP(FPMul(a, b, kRN, fpsr)), (Out<uint32_t>{kMinNormal, UFC | IXC}));
    EXPECT_EQ(FP(soft::FPMul(a, b, kRN, fpsr)), (Out<uint32_t>{kMinNormal, UFC | IXC}));
    // An exact denormal result is not an underflow.
    EXPECT_EQ(FP(FPMul(0x3F000000u, kMinNormal, kRN, fpsr)), (Out<uint32_t>{0x00400000, 0}));
}

TEST(FPRound, FlushToZeroOutputSetsUnderflowNotInexact) {
    // FZ: the same tiny value becomes +0 with UFC alone, even though it would
    // have rounded up to a normal number.
    EXPECT_EQ(FP(FPMul(0x3F7FFFFFu, kMinNormal, kFZ, fpsr)), (Out<uint32_t>{0, UFC}));
    EXPECT_EQ(FP(FPMul(0xBF000000u, kMinNormal, kFZ, fpsr)), (Out<uint32_t>{0x80000000, UFC}));
    // FPRoundCV: a half result is never flushed (no FZ16).
    EXPECT_EQ(FP((FPConvert<uint16_t>(0x33800000u, kFZ, fpsr))), (Out<uint16_t>{0x0001, 0}));
}

TEST(FPRound, OverflowPerRoundingMode) {
    EXPECT_EQ(FP(FPMul(kMaxNormal, kTwo, kRN, fpsr)), (Out<uint32_t>{kInf, OFC | IXC}));
    EXPECT_EQ(FP(FPMul(kMaxNormal, kTwo, kRZ, fpsr)), (Out<uint32_t>{kMaxNormal, OFC | IXC}));
    EXPECT_EQ(FP(FPMul(kMaxNormal | 0x80000000u, kTwo, kRP, fpsr)), (Out<uint32_t>{0xFF7FFFFF, OFC | IXC}));
    EXPECT_EQ(FP(FPMul(kMaxNormal | 0x80000000u, kTwo, kRM, fpsr)), (Out<uint32_t>{kNegInf, OFC | IXC}));
}

TEST(FPUnpack, FlushToZeroInputSetsIDC) {
    EXPECT_EQ(FP(FPAdd(0x00000001u, kOne, kFZ, fpsr)), (Out<uint32_t>{kOne, IDC}));
    EXPECT_EQ(FP(FPAdd(0x00000001u, kOne, kRN, fpsr)), (Out<uint32_t>{kOne, IXC}));
    // Half operands are never flushed (FPUnpackCV, no FZ16).
    EXPECT_EQ(FP((FPConvert<uint32_t>(uint16_t(0x0001), kFZ, fpsr))), (Out<uint32_t>{0x33800000, 0}));
}

TEST(FPProcessNaN, DefaultNaNIsPositive) {
    EXPECT_EQ(FPDefaultNaN<uint16_t>(), 0x7E00);
    EXPECT_EQ(FPDefaultNaN<uint32_t>(), 0x7FC00000u);
    EXPECT_EQ(FPDefaultNaN<uint64_t>(), 0x7FF8000000000000_d);
    EXPECT_EQ(FP(FPAdd(kInf, kNegInf, kRN, fpsr)), (Out<uint32_t>{kDefaultNaN, IOC}));
    EXPECT_EQ(FP(FPSqrt(0xBF800000u, kRN, fpsr)), (Out<uint32_t>{kDefaultNaN, IOC}));
}

TEST(FPProcessNaN, SignallingNaNIsQuietedOrDefaultUnderDN) {
    EXPECT_EQ(FP(FPAdd(0xFF800001u, kOne, kRN, fpsr)), (Out<uint32_t>{0xFFC00001, IOC}));
    EXPECT_EQ(FP(FPAdd(0xFF800001u, kOne, kDN, fpsr)), (Out<uint32_t>{kDefaultNaN, IOC}));
    EXPECT_EQ(FP(FPAdd(kOne, 0xFFC00005u, kDN, fpsr)), (Out<uint32_t>{kDefaultNaN, 0}));
}

TEST(FPProcessNaNs, SignallingBeforeQuietThenOperandOrder) {
    EXPECT_EQ(FP(FPAdd(0x7FC00001u, 0x7F800002u, kRN, fpsr)), (Out<uint32_t>{0x7FC00002, IOC}));
    EXPECT_EQ(FP(FPAdd(0x7FC00001u, 0x7FC00002u, kRN, fpsr)), (Out<uint32_t>{0x7FC00001, 0}));
}

TEST(FPProcessNaNs3, SignallingNaNPriority) {
    // FPMulAdd(addend, op1, op2): SNaNs in the order addend, op1, op2 first.
    EXPECT_EQ(FP(FPMulAdd(0x7FC00001u, 0x7F800002u, kOne, kRN, fpsr)), (Out<uint32_t>{0x7FC00002, IOC}));
    EXPECT_EQ(FP(FPMulAdd(0x7FC00001u, 0x7FC00002u, 0x7F800003u, kRN, fpsr)), (Out<uint32_t>{0x7FC00003, IOC}));
    EXPECT_EQ(FP(FPMulAdd(0x7F800001u, 0x7F800002u, 0x7F800003u, kRN, fpsr)), (Out<uint32_t>{0x7FC00001, IOC}));
    EXPECT_EQ(FP(FPMulAdd(0x7FC00001u, 0x7FC00002u, 0x7FC00003u, kRN, fpsr)), (Out<uint32_t>{0x7FC00001, 0}));
}

TEST(FPMulAdd, InfinityTimesZeroWithQuietNaNAddendIsDefaultNaN) {
    EXPECT_EQ(FP(FPMulAdd(0x7FC00005u, kInf, 0u, kRN, fpsr)), (Out<uint32_t>{kDefaultNaN, IOC}));
    EXPECT_EQ(FP(FPMulAdd(0x7FC00005u, 0x80000000u, kNegInf, kRN, fpsr)), (Out<uint32_t>{kDefaultNaN, IOC}));
    // With a signalling addend the NaN rule wins: the addend quieted.
    EXPECT_EQ(FP(FPMulAdd(0x7F800005u, kInf, 0u, kRN, fpsr)), (Out<uint32_t>{0x7FC00005, IOC}));
}

TEST(FPMulAdd, OneRounding) {
    // (1 + 2^-52)(1 - 2^-52) - 1 = -2^-104 exactly; a separate rounding of
    // the product would give 1 - 1 = 0.
    EXPECT_EQ(FP(FPMulAdd(0xBFF0000000000000_d, 0x3FF0000000000001_d, 0x3FEFFFFFFFFFFFFE_d, kRN, fpsr)),
              (Out<uint64_t>{0xB970000000000000_d, 0}));
    EXPECT_EQ(FP(soft::FPMulAdd(0xBFF0000000000000_d, 0x3FF0000000000001_d, 0x3FEFFFFFFFFFFFFE_d, kRN, fpsr)),
              (Out<uint64_t>{0xB970000000000000_d, 0}));
}

TEST(FPMulAdd, SingleIsRoundedOnceNotThroughDouble) {
    // (1 + 2^-23) + 2^-12(1 + 2^-18) * 2^-12(1 - 2^-18) = 1 + 2^-23 + 2^-24 - 2^-60:
    // just below the midpoint between 1 + 2^-23 and 1 + 2^-22, so it rounds
    // down. Rounded to double first it would be the midpoint itself, and a
    // tie to even would then give 1 + 2^-22.
    EXPECT_EQ(FP(FPMulAdd(0x3F800001u, 0x39800020u, 0x397FFFC0u, kRN, fpsr)), (Out<uint32_t>{0x3F800001, IXC}));
    EXPECT_EQ(FP(soft::FPMulAdd(0x3F800001u, 0x39800020u, 0x397FFFC0u, kRN, fpsr)), (Out<uint32_t>{0x3F800001, IXC}));
}

TEST(FPAdd, ExactZeroSignFromRoundingMode) {
    EXPECT_EQ(FP(FPAdd(kOne, 0xBF800000u, kRN, fpsr)), (Out<uint32_t>{0, 0}));
    EXPECT_EQ(FP(FPAdd(kOne, 0xBF800000u, kRM, fpsr)), (Out<uint32_t>{0x80000000, 0}));
    EXPECT_EQ(FP(FPSub(kOne, kOne, kRM, fpsr)), (Out<uint32_t>{0x80000000, 0}));
    EXPECT_EQ(FP(FPAdd(0x80000000u, 0x80000000u, kRN, fpsr)), (Out<uint32_t>{0x80000000, 0}));
}

TEST(FPDiv, DivideByZeroAndInvalid) {
    EXPECT_EQ(FP(FPDiv(kOne, 0u, kRN, fpsr)), (Out<uint32_t>{kInf, DZC}));
    EXPECT_EQ(FP(FPDiv(kInf, 0u, kRN, fpsr)), (Out<uint32_t>{kInf, 0}));
    EXPECT_EQ(FP(FPDiv(0u, 0u, kRN, fpsr)), (Out<uint32_t>{kDefaultNaN, IOC}));
    EXPECT_EQ(FP(FPDiv(kOne, 0x40400000u, kRN, fpsr)), (Out<uint32_t>{0x3EAAAAAB, IXC}));
    EXPECT_EQ(FP(soft::FPDiv(kOne, 0x40400000u, kRZ, fpsr)), (Out<uint32_t>{0x3EAAAAAA, IXC}));
}

TEST(FPSqrt, Rules) {
    EXPECT_EQ(FP(FPSqrt(0x80000000u, kRN, fpsr)), (Out<uint32_t>{0x80000000, 0}));
    EXPECT_EQ(FP(FPSqrt(0x40800000u, kRN, fpsr)), (Out<uint32_t>{kTwo, 0}));
    EXPECT_EQ(FP(soft::FPSqrt(kTwo, kRN, fpsr)), (Out<uint32_t>{0x3FB504F3, IXC}));
    EXPECT_EQ(FP(soft::FPSqrt(0x4000000000000000_d, kRN, fpsr)), (Out<uint64_t>{0x3FF6A09E667F3BCD_d, IXC}));
}

TEST(FPMulX, InfinityTimesZeroIsTwo) {
    EXPECT_EQ(FP(FPMulX(kInf, 0u, kRN, fpsr)), (Out<uint32_t>{kTwo, 0}));
    EXPECT_EQ(FP(FPMulX(kNegInf, 0u, kRN, fpsr)), (Out<uint32_t>{0xC0000000, 0}));
}

TEST(FPStepFused, InfinityTimesZero) {
    EXPECT_EQ(FP(FPRecipStepFused(kInf, 0u, kRN, fpsr)), (Out<uint32_t>{kTwo, 0}));
    EXPECT_EQ(FP(FPRSqrtStepFused(0u, kNegInf, kRN, fpsr)), (Out<uint32_t>{0x3FC00000, 0}));
    EXPECT_EQ(FP(FPRecipStepFused(kTwo, 0x3F000000u, kRN, fpsr)), (Out<uint32_t>{kOne, 0}));      // 2 - 1
    EXPECT_EQ(FP(FPRSqrtStepFused(kOne, kOne, kRN, fpsr)), (Out<uint32_t>{kOne, 0}));             // (3 - 1) / 2
    EXPECT_EQ(FP(FPRecipStepFused(0x7F800001u, kOne, kRN, fpsr)), (Out<uint32_t>{0xFFC00001, IOC}));  // negated
}

TEST(FPCompare, QuietAndSignalling) {
    EXPECT_EQ(FP(FPCompare(0x7FC00000u, kOne, false, kRN, fpsr)), (Out<uint32_t>{0b0011, 0}));
    EXPECT_EQ(FP(FPCompare(0x7FC00000u, kOne, true, kRN, fpsr)), (Out<uint32_t>{0b0011, IOC}));
    EXPECT_EQ(FP(FPCompare(0x7F800001u, kOne, false, kRN, fpsr)), (Out<uint32_t>{0b0011, IOC}));
    EXPECT_EQ(FP(FPCompare(0x80000000u, 0u, false, kRN, fpsr)), (Out<uint32_t>{0b0110, 0}));
    EXPECT_EQ(FP(FPCompare(kNegInf, kOne, false, kRN, fpsr)), (Out<uint32_t>{0b1000, 0}));
    EXPECT_EQ(FP(FPCompare(kOne, 0x00000001u, false, kRN, fpsr)), (Out<uint32_t>{0b0010, 0}));
    EXPECT_EQ(FP(FPCompare(0x00000001u, 0u, false, kFZ, fpsr)), (Out<uint32_t>{0b0110, IDC}));
    EXPECT_EQ(FP(FPCompareEQ(0x7FC00000u, kOne, kRN, fpsr)), (Out<bool>{false, 0}));
    EXPECT_EQ(FP(FPCompareGE(0x7FC00000u, kOne, kRN, fpsr)), (Out<bool>{false, IOC}));
    EXPECT_EQ(FP(FPCompareGT(kTwo, kOne, kRN, fpsr)), (Out<bool>{true, 0}));
}

TEST(FPMaxMin, ZerosAndNaNs) {
    EXPECT_EQ(FP(FPMax(0u, 0x80000000u, kRN, fpsr)), (Out<uint32_t>{0, 0}));
    EXPECT_EQ(FP(FPMin(0u, 0x80000000u, kRN, fpsr)), (Out<uint32_t>{0x80000000, 0}));
    EXPECT_EQ(FP(FPMax(0x7FC00001u, kOne, kRN, fpsr)), (Out<uint32_t>{0x7FC00001, 0}));
    EXPECT_EQ(FP(FPMaxNum(0x7FC00001u, kOne, kRN, fpsr)), (Out<uint32_t>{kOne, 0}));
    EXPECT_EQ(FP(FPMinNum(kOne, 0xFFC00001u, kRN, fpsr)), (Out<uint32_t>{kOne, 0}));
    EXPECT_EQ(FP(FPMaxNum(0x7F800001u, kOne, kRN, fpsr)), (Out<uint32_t>{0x7FC00001, IOC}));
    // FZ: a flushed denormal operand that wins is returned as a zero.
    EXPECT_EQ(FP(FPMax(0x00000001u, 0x80000000u, kFZ, fpsr)), (Out<uint32_t>{0, IDC}));
}

TEST(FPRoundInt, EachRoundingModeAndExact) {
    const uint32_t p25 = 0x40200000, m25 = 0xC0200000;  // +-2.5
    EXPECT_EQ(FP(FPRoundInt(p25, 0u, FPRounding::TIEAWAY, false, fpsr)), (Out<uint32_t>{0x40400000, 0}));
    EXPECT_EQ(FP(FPRoundInt(m25, 0u, FPRounding::TIEAWAY, false, fpsr)), (Out<uint32_t>{0xC0400000, 0}));
    EXPECT_EQ(FP(FPRoundInt(p25, 0u, FPRounding::TIEEVEN, false, fpsr)), (Out<uint32_t>{kTwo, 0}));
    EXPECT_EQ(FP(FPRoundInt(m25, 0u, FPRounding::POSINF, false, fpsr)), (Out<uint32_t>{0xC0000000, 0}));
    EXPECT_EQ(FP(FPRoundInt(m25, 0u, FPRounding::NEGINF, false, fpsr)), (Out<uint32_t>{0xC0400000, 0}));
    EXPECT_EQ(FP(FPRoundInt(m25, 0u, FPRounding::ZERO, true, fpsr)), (Out<uint32_t>{0xC0000000, IXC}));
    EXPECT_EQ(FP(FPRoundInt(0xBE99999Au, 0u, FPRounding::ZERO, true, fpsr)), (Out<uint32_t>{0x80000000, IXC}));
    EXPECT_EQ(FP(FPRoundInt(0x4B000001u, 0u, FPRounding::TIEEVEN, true, fpsr)), (Out<uint32_t>{0x4B000001, 0}));
}

TEST(FPToFixed, SaturationSetsInvalidNotInexact) {
    const auto z = FPRounding::ZERO;
    EXPECT_EQ(FP(FPToFixed(0x4F32D05Eu, 0, false, false, 0u, z, fpsr)), (Out<uint64_t>{0x7FFFFFFF, IOC}));
    EXPECT_EQ(FP(FPToFixed(0xCF32D05Eu, 0, false, false, 0u, z, fpsr)), (Out<uint64_t>{0x80000000, IOC}));
    EXPECT_EQ(FP(FPToFixed(0xBF800000u, 0, true, true, 0u, z, fpsr)), (Out<uint64_t>{0, IOC}));
    EXPECT_EQ(FP(FPToFixed(0xBF000000u, 0, true, true, 0u, z, fpsr)), (Out<uint64_t>{0, IXC}));
    EXPECT_EQ(FP(FPToFixed(0x7FC00000u, 0, false, true, 0u, z, fpsr)), (Out<uint64_t>{0, IOC}));
    EXPECT_EQ(FP(FPToFixed(kNegInf, 0, false, true, 0u, z, fpsr)), (Out<uint64_t>{0x8000000000000000_d, IOC}));
    EXPECT_EQ(FP(FPToFixed(0x40200000u, 1, false, false, 0u, z, fpsr)), (Out<uint64_t>{5, 0}));  // 2.5 * 2^1
    EXPECT_EQ(FP(FPToFixed(0xC0200000u, 0, false, false, 0u, FPRounding::TIEAWAY, fpsr)),
              (Out<uint64_t>{0xFFFFFFFD, IXC}));
    EXPECT_EQ(FP(FPToFixed(0x40200000u, 0, false, false, 0u, FPRounding::TIEEVEN, fpsr)), (Out<uint64_t>{2, IXC}));
    // -2^31 fits a signed word exactly; 2^31 does not.
    EXPECT_EQ(FP(FPToFixed(0xCF000000u, 0, false, false, 0u, z, fpsr)), (Out<uint64_t>{0x80000000, 0}));
    EXPECT_EQ(FP(FPToFixed(0x4F000000u, 0, false, false, 0u, z, fpsr)), (Out<uint64_t>{0x7FFFFFFF, IOC}));
}

TEST(FixedToFP, Rounding) {
    EXPECT_EQ(FP(FixedToFP<uint32_t>(0xFFFFFFFFu, 0, false, false, 0u, FPRounding::TIEEVEN, fpsr)),
              (Out<uint32_t>{0xBF800000, 0}));
    EXPECT_EQ(FP(FixedToFP<uint32_t>(0xFFFFFFFFu, 0, true, false, 0u, FPRounding::TIEEVEN, fpsr)),
              (Out<uint32_t>{0x4F800000, IXC}));
    EXPECT_EQ(FP(FixedToFP<uint32_t>(0xFFFFFFFFu, 0, true, false, 0u, FPRounding::ZERO, fpsr)),
              (Out<uint32_t>{0x4F7FFFFF, IXC}));
    EXPECT_EQ(FP(FixedToFP<uint32_t>(0x10000u, 16, false, false, 0u, FPRounding::TIEEVEN, fpsr)),
              (Out<uint32_t>{kOne, 0}));
    EXPECT_EQ(FP(FixedToFP<uint64_t>(0x8000000000000000_d, 64, false, true, 0u, FPRounding::TIEEVEN, fpsr)),
              (Out<uint64_t>{0xBFE0000000000000_d, 0}));  // -2^63 / 2^64
}

TEST(FPConvert, AlternativeHalfPrecision) {
    // AHP: exponent 31 is a number (65536 = 0x7C00), overflow saturates to
    // 0x7FFF with Invalid, NaN becomes zero and infinity the maximum, both
    // with Invalid.
    EXPECT_EQ(FP((FPConvert<uint16_t>(0x47800000u, kAHP, fpsr))), (Out<uint16_t>{0x7C00, 0}));
    EXPECT_EQ(FP((FPConvert<uint16_t>(0x47800000u, 0u, fpsr))), (Out<uint16_t>{0x7C00, OFC | IXC}));
    EXPECT_EQ(FP((FPConvert<uint16_t>(0x49742400u, kAHP, fpsr))), (Out<uint16_t>{0x7FFF, IOC}));  // 1e6
    EXPECT_EQ(FP((FPConvert<uint16_t>(0xFFC00001u, kAHP, fpsr))), (Out<uint16_t>{0x8000, IOC}));
    EXPECT_EQ(FP((FPConvert<uint16_t>(kNegInf, kAHP, fpsr))), (Out<uint16_t>{0xFFFF, IOC}));
    EXPECT_EQ(FP((FPConvert<uint32_t>(uint16_t(0x7C00), kAHP, fpsr))), (Out<uint32_t>{0x47800000, 0}));
    EXPECT_EQ(FP((FPConvert<uint32_t>(uint16_t(0x7C00), 0u, fpsr))), (Out<uint32_t>{kInf, 0}));
}

TEST(FPConvert, NaNPayloadAndFlushing) {
    EXPECT_EQ(FP((FPConvert<uint64_t>(0x7F800001u, 0u, fpsr))), (Out<uint64_t>{0x7FF8000020000000_d, IOC}));
    EXPECT_EQ(FP((FPConvert<uint32_t>(0xFFF0000020000001_d, 0u, fpsr))), (Out<uint32_t>{0xFFC00001, IOC}));
    EXPECT_EQ(FP((FPConvert<uint16_t>(0x7FC02000u, 0u, fpsr))), (Out<uint16_t>{0x7E01, 0}));
    EXPECT_EQ(FP((FPConvert<uint32_t>(0x7FF4000000000000_d, kDN, fpsr))), (Out<uint32_t>{kDefaultNaN, IOC}));
    // Double 2^-127 is tiny for single: FZ flushes it with UFC; without FZ it
    // is an exact denormal (no flag).
    EXPECT_EQ(FP((FPConvert<uint32_t>(0x3800000000000000_d, kFZ, fpsr))), (Out<uint32_t>{0, UFC}));
    EXPECT_EQ(FP((FPConvert<uint32_t>(0x3800000000000000_d, 0u, fpsr))), (Out<uint32_t>{0x00400000, 0}));
}

TEST(FPRecipEstimate, SpecialCases) {
    EXPECT_EQ(FP(FPRecipEstimate(kOne, 0u, fpsr)), (Out<uint32_t>{0x3F7F8000, 0}));
    EXPECT_EQ(FP(FPRecipEstimate(0x80000000u, 0u, fpsr)), (Out<uint32_t>{kNegInf, DZC}));
    EXPECT_EQ(FP(FPRecipEstimate(kInf, 0u, fpsr)), (Out<uint32_t>{0, 0}));
    // |x| < 2^-128 overflows: infinity or the largest normal per RMode.
    EXPECT_EQ(FP(FPRecipEstimate(0x00100000u, kRN, fpsr)), (Out<uint32_t>{kInf, OFC | IXC}));
    EXPECT_EQ(FP(FPRecipEstimate(0x00100000u, kRZ, fpsr)), (Out<uint32_t>{kMaxNormal, OFC | IXC}));
    EXPECT_EQ(FP(FPRecipEstimate(0x80100000u, kRP, fpsr)), (Out<uint32_t>{0xFF7FFFFF, OFC | IXC}));
    // FZ: |x| >= 2^126 gives a zero with UFC.
    EXPECT_EQ(FP(FPRecipEstimate(0x7E800000u, kFZ, fpsr)), (Out<uint32_t>{0, UFC}));
    EXPECT_EQ(FP(FPRecipEstimate(0x7E800000u, 0u, fpsr)), (Out<uint32_t>{0x007FC000, 0}));
    EXPECT_EQ(FP(FPRecipEstimate(0x00000001u, kFZ, fpsr)), (Out<uint32_t>{kInf, DZC | IDC}));
}

TEST(FPRSqrtEstimate, SpecialCases) {
    EXPECT_EQ(FP(FPRSqrtEstimate(kOne, 0u, fpsr)), (Out<uint32_t>{0x3F7F8000, 0}));
    EXPECT_EQ(FP(FPRSqrtEstimate(0x80000000u, 0u, fpsr)), (Out<uint32_t>{kNegInf, DZC}));
    EXPECT_EQ(FP(FPRSqrtEstimate(0xBF800000u, 0u, fpsr)), (Out<uint32_t>{kDefaultNaN, IOC}));
    EXPECT_EQ(FP(FPRSqrtEstimate(kInf, 0u, fpsr)), (Out<uint32_t>{0, 0}));
}

TEST(FPRecpX, ExponentInverted) {
    EXPECT_EQ(FP(FPRecpX(kOne, 0u, fpsr)), (Out<uint32_t>{0x40000000, 0}));
    EXPECT_EQ(FP(FPRecpX(0x80000001u, 0u, fpsr)), (Out<uint32_t>{0xFF000000, 0}));
    EXPECT_EQ(FP(FPRecpX(0x7F800001u, 0u, fpsr)), (Out<uint32_t>{0x7FC00001, IOC}));
}

TEST(UnsignedEstimates, RangeAndAlgorithm) {
    EXPECT_EQ(UnsignedRecipEstimate(0x80000000u), 0xFF800000u);
    EXPECT_EQ(UnsignedRecipEstimate(0x7FFFFFFFu), 0xFFFFFFFFu);
    EXPECT_EQ(UnsignedRSqrtEstimate(0x40000000u), 0xFF800000u);
    EXPECT_EQ(UnsignedRSqrtEstimate(0x3FFFFFFFu), 0xFFFFFFFFu);
    EXPECT_EQ(RecipEstimate(511), 256);
    EXPECT_EQ(RecipSqrtEstimate(511), 256);
}

}  // namespace
}  // namespace cpu::fp
