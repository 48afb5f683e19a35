// The A64 floating-point arithmetic core: pure functions on raw bit patterns
// (uint16_t half, uint32_t single, uint64_t double), bit-exact to the shared
// pseudocode of the ARM ARM (DDI 0487 K.a, "Shared pseudocode functions" >
// "Floating-point"), for an Armv8.0-A PE without FEAT_FP16 arithmetic and
// without trapped FP exceptions (a Cortex-A57). docs/fp.md has the rules and
// the software/host split.
//
// Contract of every function: `fpcr` is the FPCR value (AHP, DN, FZ, RMode
// are read; FZ16, AH, FIZ, NEP do not exist here), and the cumulative flags
// the operation raises are OR-ed into `fpsr` (never cleared). The ASL name of
// each function is its name here.
#pragma once

#include <concepts>
#include <cstdint>

#include "arch/fpsimd.h"

namespace cpu::fp {

// FPCR and FPSR fields: the architecture's (arch/fpsimd.h).
namespace fpcr = arch::fpcr;
namespace fpsr = arch::fpsr;

// ASL FPRounding. ODD exists for FPRound's completeness (FCVTXN).
enum class FPRounding : uint8_t { TIEEVEN, POSINF, NEGINF, ZERO, TIEAWAY, ODD };

// ASL FPRoundingMode / FPDecodeRounding: FPCR.RMode.
constexpr FPRounding FPRoundingMode(uint32_t fpcr_value) {
    return FPRounding((fpcr_value >> fpcr::kRModeShift) & 3);
}

template <class T>
concept FPBits = std::same_as<T, uint16_t> || std::same_as<T, uint32_t> || std::same_as<T, uint64_t>;

// Samples the host's floating-point environment (MXCSR) for the fast path
// of the calling thread; the CPU calls it whenever it starts running. Until
// a thread has called it, its fast path keeps to the MXCSR way (fp_host.h).
// True when MXCSR is the default: the host's bare instruction rounds to
// nearest with every exception masked and no flush to zero.
bool sample_host_fp_environment();
// Forgets the calling thread's sample: its fast path keeps to the MXCSR way
// until the next sample. Spares the STMXCSR (about 10 ns) where a sample
// would hardly be used (Cpu::run, one instruction at a time).
void forget_host_fp_environment();

// ASL FPDefaultNaN: positive sign, quiet bit only (0x7E00, 0x7FC00000,
// 0x7FF8000000000000).
template <FPBits T> T FPDefaultNaN();

// Arithmetic (fp_arith.cpp). FPMulAdd computes addend + op1 * op2 with one
// rounding; FMSUB/FNMADD/FNMSUB negate operands with FPNeg before the call.
template <FPBits T> T FPAdd(T op1, T op2, uint32_t fpcr, uint32_t& fpsr);
template <FPBits T> T FPSub(T op1, T op2, uint32_t fpcr, uint32_t& fpsr);
template <FPBits T> T FPMul(T op1, T op2, uint32_t fpcr, uint32_t& fpsr);
template <FPBits T> T FPMulX(T op1, T op2, uint32_t fpcr, uint32_t& fpsr);
template <FPBits T> T FPDiv(T op1, T op2, uint32_t fpcr, uint32_t& fpsr);
template <FPBits T> T FPSqrt(T op, uint32_t fpcr, uint32_t& fpsr);
template <FPBits T> T FPMulAdd(T addend, T op1, T op2, uint32_t fpcr, uint32_t& fpsr);
template <FPBits T> T FPRecipStepFused(T op1, T op2, uint32_t fpcr, uint32_t& fpsr);
template <FPBits T> T FPRSqrtStepFused(T op1, T op2, uint32_t fpcr, uint32_t& fpsr);

// Comparison, minimum and maximum, sign (fp_compare.cpp). FPCompare returns
// NZCV in bits 3:0 (N = 8).
template <FPBits T> uint32_t FPCompare(T op1, T op2, bool signal_nans, uint32_t fpcr, uint32_t& fpsr);
template <FPBits T> bool FPCompareEQ(T op1, T op2, uint32_t fpcr, uint32_t& fpsr);
template <FPBits T> bool FPCompareGE(T op1, T op2, uint32_t fpcr, uint32_t& fpsr);
template <FPBits T> bool FPCompareGT(T op1, T op2, uint32_t fpcr, uint32_t& fpsr);
template <FPBits T> T FPMax(T op1, T op2, uint32_t fpcr, uint32_t& fpsr);
template <FPBits T> T FPMin(T op1, T op2, uint32_t fpcr, uint32_t& fpsr);
template <FPBits T> T FPMaxNum(T op1, T op2, uint32_t fpcr, uint32_t& fpsr);
template <FPBits T> T FPMinNum(T op1, T op2, uint32_t fpcr, uint32_t& fpsr);
template <FPBits T> constexpr T FPAbs(T op) { return T(op & ~(T(1) << (sizeof(T) * 8 - 1))); }
template <FPBits T> constexpr T FPNeg(T op) { return T(op ^ (T(1) << (sizeof(T) * 8 - 1))); }

// Conversions (fp_convert.cpp). FPToFixed returns the M-bit result (M = 32
// or 64, `is64`) zero-extended; FixedToFP reads the low 32 bits of `op`
// unless `is64`. FPConvert<To>(op) converts between any two formats.
template <FPBits T> T FPRoundInt(T op, uint32_t fpcr, FPRounding rounding, bool exact, uint32_t& fpsr);
template <FPBits T>
uint64_t FPToFixed(T op, int fbits, bool is_unsigned, bool is64, uint32_t fpcr, FPRounding rounding,
                   uint32_t& fpsr);
template <FPBits T>
T FixedToFP(uint64_t op, int fbits, bool is_unsigned, bool is64, uint32_t fpcr, FPRounding rounding,
            uint32_t& fpsr);
template <FPBits To, FPBits From> To FPConvert(From op, uint32_t fpcr, FPRounding rounding, uint32_t& fpsr);
template <FPBits To, FPBits From> To FPConvert(From op, uint32_t fpcr, uint32_t& fpsr) {
    return FPConvert<To, From>(op, fpcr, FPRoundingMode(fpcr), fpsr);
}

// Estimates (fp_estimate.cpp).
template <FPBits T> T FPRecipEstimate(T op, uint32_t fpcr, uint32_t& fpsr);
template <FPBits T> T FPRSqrtEstimate(T op, uint32_t fpcr, uint32_t& fpsr);
template <FPBits T> T FPRecpX(T op, uint32_t fpcr, uint32_t& fpsr);
uint32_t UnsignedRecipEstimate(uint32_t op);
uint32_t UnsignedRSqrtEstimate(uint32_t op);
// ASL RecipEstimate (256 <= a < 512) and RecipSqrtEstimate (128 <= a < 512).
int RecipEstimate(int a);
int RecipSqrtEstimate(int a);

}  // namespace cpu::fp
