// The floating-point lane operations of the Advanced SIMD two-register
// miscellaneous, across-lanes and scalar pairwise classes (ARM ARM DDI 0487
// K.a, C7.2, each instruction's Operation pseudocode), for the shapes of
// simd_misc_lanes.h. All arithmetic is cpu::fp's; the lane's esize E picks
// the format (FPT<E>).
#pragma once

#include <cstdint>

#include "cpu/fp/fp.h"
#include "cpu/isa/simd_misc_int.h"
#include "cpu/isa/simd_misc_lanes.h"

namespace cpu::simd::misc {

using fp::FPRounding;

// An instruction's rounding: a fixed mode, or FPCR.RMode (FRINTX, FRINTI).
enum class Rounding : uint8_t { TIEEVEN, POSINF, NEGINF, ZERO, TIEAWAY, FPCR };

constexpr FPRounding rounding(Rounding r, uint32_t fpcr) {
    return r == Rounding::FPCR ? fp::FPRoundingMode(fpcr) : FPRounding(r);
}

// ---- Elementwise: apply<E>(Vn lane, Vd lane, ctx) --------------------------

struct FABS {
    template <unsigned E> static uint64_t apply(uint64_t n, uint64_t, LaneCtx&) { return fp::FPAbs(FPT<E>(n)); }
};
struct FNEG {
    template <unsigned E> static uint64_t apply(uint64_t n, uint64_t, LaneCtx&) { return fp::FPNeg(FPT<E>(n)); }
};
struct FSQRT {
    template <unsigned E> static uint64_t apply(uint64_t n, uint64_t, LaneCtx& x) {
        return fp::FPSqrt(FPT<E>(n), x.fpcr, x.flags);
    }
};
struct FRECPE {
    template <unsigned E> static uint64_t apply(uint64_t n, uint64_t, LaneCtx& x) {
        return fp::FPRecipEstimate(FPT<E>(n), x.fpcr, x.flags);
    }
};
struct FRSQRTE {
    template <unsigned E> static uint64_t apply(uint64_t n, uint64_t, LaneCtx& x) {
        return fp::FPRSqrtEstimate(FPT<E>(n), x.fpcr, x.flags);
    }
};
struct FRECPX {
    template <unsigned E> static uint64_t apply(uint64_t n, uint64_t, LaneCtx& x) {
        return fp::FPRecpX(FPT<E>(n), x.fpcr, x.flags);
    }
};
// C7.2 URECPE, URSQRTE: 32-bit lanes only.
struct URECPE {
    template <unsigned E> static uint64_t apply(uint64_t n, uint64_t, LaneCtx&) {
        return fp::UnsignedRecipEstimate(uint32_t(n));
    }
};
struct URSQRTE {
    template <unsigned E> static uint64_t apply(uint64_t n, uint64_t, LaneCtx&) {
        return fp::UnsignedRSqrtEstimate(uint32_t(n));
    }
};

// C7.2 FRINTN/P/M/Z/A/X/I: FPRoundInt, exact (inexact raised) for FRINTX.
template <Rounding R, bool Exact>
struct FRINT {
    template <unsigned E> static uint64_t apply(uint64_t n, uint64_t, LaneCtx& x) {
        return fp::FPRoundInt(FPT<E>(n), x.fpcr, rounding(R, x.fpcr), Exact, x.flags);
    }
};

// C7.2 FCVTNS...FCVTZU (vector, integer): FPToFixed with no fraction bits
// to an integer of the lane's size.
template <Rounding R, bool Unsigned>
struct FCVT_int {
    template <unsigned E> static uint64_t apply(uint64_t n, uint64_t, LaneCtx& x) {
        return fp::FPToFixed(FPT<E>(n), 0, Unsigned, E == 64, x.fpcr, rounding(R, x.fpcr), x.flags);
    }
};
// C7.2 SCVTF, UCVTF (vector, integer): FixedToFP in FPCR's rounding.
template <bool Unsigned>
struct CVTF {
    template <unsigned E> static uint64_t apply(uint64_t n, uint64_t, LaneCtx& x) {
        return fp::FixedToFP<FPT<E>>(n, 0, Unsigned, E == 64, x.fpcr, fp::FPRoundingMode(x.fpcr), x.flags);
    }
};

// C7.2 FCMGT/FCMGE/FCMEQ/FCMLE/FCMLT (zero): LE and LT swap the operands
// of FPCompareGE/GT.
template <CompareOp Cmp>
struct FCM_zero {
    template <unsigned E> static uint64_t apply(uint64_t n, uint64_t, LaneCtx& x) {
        const FPT<E> a = FPT<E>(n), zero = 0;
        bool t = false;
        switch (Cmp) {
        case CompareOp::GT: t = fp::FPCompareGT(a, zero, x.fpcr, x.flags); break;
        case CompareOp::GE: t = fp::FPCompareGE(a, zero, x.fpcr, x.flags); break;
        case CompareOp::EQ: t = fp::FPCompareEQ(a, zero, x.fpcr, x.flags); break;
        case CompareOp::LE: t = fp::FPCompareGE(zero, a, x.fpcr, x.flags); break;
        case CompareOp::LT: t = fp::FPCompareGT(zero, a, x.fpcr, x.flags); break;
        }
        return t ? ~uint64_t(0) : 0;
    }
};

// ---- Narrow and widen: the FP format conversions ---------------------------

// C7.2 FCVTN: 2E-bit to E-bit lanes in FPCR's rounding (AHP for halves);
// FCVTXN: round to odd, so a second rounding to a narrower format is exact.
template <bool ToOdd>
struct FCVTN {
    template <unsigned E> static uint64_t apply(uint64_t n, LaneCtx& x) {
        const FPRounding r = ToOdd ? FPRounding::ODD : fp::FPRoundingMode(x.fpcr);
        return fp::FPConvert<FPT<E>>(FPT<2 * E>(n), x.fpcr, r, x.flags);
    }
};

// C7.2 FCVTL: E-bit to 2E-bit lanes.
struct FCVTL {
    template <unsigned E> static uint64_t apply(uint64_t n, LaneCtx& x) {
        return fp::FPConvert<FPT<2 * E>>(FPT<E>(n), x.fpcr, x.flags);
    }
};

// ---- Reduce: apply<E>(lo, hi, ctx) -----------------------------------------

enum class ReduceOp : uint8_t { FMINNUM, FMAXNUM, FMIN, FMAX, FADD };

template <ReduceOp Op>
struct FREDUCE {
    template <unsigned E> static uint64_t apply(uint64_t lo, uint64_t hi, LaneCtx& x) {
        const FPT<E> a = FPT<E>(lo), b = FPT<E>(hi);
        switch (Op) {
        case ReduceOp::FMINNUM: return fp::FPMinNum(a, b, x.fpcr, x.flags);
        case ReduceOp::FMAXNUM: return fp::FPMaxNum(a, b, x.fpcr, x.flags);
        case ReduceOp::FMIN: return fp::FPMin(a, b, x.fpcr, x.flags);
        case ReduceOp::FMAX: return fp::FPMax(a, b, x.fpcr, x.flags);
        case ReduceOp::FADD: return fp::FPAdd(a, b, x.fpcr, x.flags);
        }
        return 0;
    }
};

}  // namespace cpu::simd::misc
