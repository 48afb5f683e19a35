// The scalar floating-point classes of "Data Processing -- Scalar
// Floating-Point and Advanced SIMD" (DDI 0487 K.a, C4.1.96). Their rows are
// in fp_scalar.cpp; each class decoder sits beside its handlers and reads a
// typed view of the row's fields:
//   fp_dp.cpp              data-processing (1, 2, 3 source) and immediate
//   fp_compare_select.cpp  compare, conditional compare, conditional select
//   fp_convert.cpp         FCVT, conversions to and from integer and
//                          fixed-point, FMOV (general)
//
// ftype is the precision: 00 single, 01 double, 10 reserved, 11 half.
// Half exists on this PE (Armv8.0-A, no FEAT_FP16) only in FCVT.
#pragma once

#include <array>

#include "cpu/fp/fp.h"
#include "cpu/insn.h"

namespace cpu::fpscalar {

// The width of a precision's bit pattern (16, 32, 64).
template <fp::FPBits T>
inline constexpr unsigned kN = sizeof(T) * 8;

// A class's handlers by precision, [ftype]: single, double. A nullptr
// entry leaves the word UNDEFINED.
using ByType = std::array<ExecFn, 2>;

// The precisions of every class but FCVT: ftype 10 is reserved and 11
// (half) is FEAT_FP16, both UNDEFINED.
constexpr bool single_or_double(unsigned ftype) { return ftype < 2; }

// The fields of the FP classes; a class reads the ones its encoding has.
// opcode is the class's opcode field (opcode, opc, o1:o0 or op), which
// every row fixes (one row per instruction) except FCVT's, where it is opc,
// the destination's precision.
struct FpFields {
    unsigned ftype = 0, opcode = 0;
    unsigned sf = 0, rmode = 0, scale = 0;  // conversions
    unsigned rd = 0, rn = 0, rm = 0, ra = 0;
    unsigned cond = 0, nzcv = 0;  // conditional compare and select
    unsigned imm8 = 0;            // FMOV (scalar, immediate)
};

// fp_dp.cpp
void decode_fp_dp1(const FpFields& f, Insn& out);  // all but FCVT
void decode_fp_dp2(const FpFields& f, Insn& out);
void decode_fp_dp3(const FpFields& f, Insn& out);
void decode_fp_imm(const FpFields& f, Insn& out);
// fp_compare_select.cpp
void decode_fp_cmp(const FpFields& f, Insn& out);
void decode_fp_ccmp(const FpFields& f, Insn& out);
void decode_fp_csel(const FpFields& f, Insn& out);
// fp_convert.cpp
void decode_fp_fcvt(const FpFields& f, Insn& out);
void decode_fp_int(const FpFields& f, Insn& out);  // FCVT<r>S/U, FCVTA*, SCVTF, UCVTF
void decode_fp_fmov_general(const FpFields& f, Insn& out);
void decode_fp_fixed(const FpFields& f, Insn& out);

}  // namespace cpu::fpscalar
