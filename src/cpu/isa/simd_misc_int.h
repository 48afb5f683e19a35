// The integer lane operations of the Advanced SIMD two-register
// miscellaneous, across-lanes and scalar pairwise classes (ARM ARM DDI 0487
// K.a, C7.2, each instruction's Operation pseudocode), for the shapes of
// simd_misc_lanes.h. Lanes arrive zero-extended to 64 bits; a result may
// carry bits above its width (VReg::set keeps the low ones). Saturation
// sets FPSR.QC (ASL SignedSatQ, UnsignedSatQ).
#pragma once

#include <bit>
#include <cstdint>

#include "arch/bits.h"
#include "arch/fpsimd.h"
#include "cpu/isa/simd_misc_lanes.h"
#include "cpu/isa/simd_saturate.h"

namespace cpu::simd::misc {

using i128 = __int128;

template <unsigned E>
int64_t sint(uint64_t x) {
    return arch::sign_extend(x, E);
}

// ASL SignedSatQ(i, E) / UnsignedSatQ(i, E) (simd_saturate.h), with QC
// for the saturated flag.
template <unsigned E>
uint64_t signed_sat(i128 v, LaneCtx& x) {
    return SignedSatQ<E>(v, x.flags);
}
template <unsigned E>
uint64_t unsigned_sat(i128 v, LaneCtx& x) {
    return UnsignedSatQ<E>(v, x.flags);
}

// ---- Elementwise: apply<E>(Vn lane, Vd lane, ctx) --------------------------

// C7.2 SUQADD: V[d] signed plus V[n] unsigned, signed-saturated; USQADD the
// other way round.
struct SUQADD {
    template <unsigned E> static uint64_t apply(uint64_t n, uint64_t d, LaneCtx& x) {
        return signed_sat<E>(i128(n) + sint<E>(d), x);
    }
};
struct USQADD {
    template <unsigned E> static uint64_t apply(uint64_t n, uint64_t d, LaneCtx& x) {
        return unsigned_sat<E>(i128(sint<E>(n)) + i128(d), x);
    }
};

// C7.2 CLS: CountLeadingSignBits, the leading zeros of x<E-1:1> EOR x<E-2:0>.
struct CLS {
    template <unsigned E> static uint64_t apply(uint64_t n, uint64_t, LaneCtx&) {
        const int64_t s = sint<E>(n);
        return uint64_t(std::countl_zero(uint64_t(s ^ (s >> 1)))) - (65 - E);
    }
};
struct CLZ {
    template <unsigned E> static uint64_t apply(uint64_t n, uint64_t, LaneCtx&) {
        return uint64_t(std::countl_zero(n)) - (64 - E);
    }
};
struct CNT {
    template <unsigned E> static uint64_t apply(uint64_t n, uint64_t, LaneCtx&) {
        return uint64_t(std::popcount(n));
    }
};
struct NOT {
    template <unsigned E> static uint64_t apply(uint64_t n, uint64_t, LaneCtx&) { return ~n; }
};
struct RBIT {
    template <unsigned E> static uint64_t apply(uint64_t n, uint64_t, LaneCtx&) {
        uint64_t r = 0;
        for (unsigned b = 0; b < E; ++b) r |= ((n >> b) & 1) << (E - 1 - b);
        return r;
    }
};

struct ABS {
    template <unsigned E> static uint64_t apply(uint64_t n, uint64_t, LaneCtx&) {
        return sint<E>(n) < 0 ? -n : n;
    }
};
struct NEG {
    template <unsigned E> static uint64_t apply(uint64_t n, uint64_t, LaneCtx&) { return -n; }
};
struct SQABS {
    template <unsigned E> static uint64_t apply(uint64_t n, uint64_t, LaneCtx& x) {
        const i128 s = sint<E>(n);
        return signed_sat<E>(s < 0 ? -s : s, x);
    }
};
struct SQNEG {
    template <unsigned E> static uint64_t apply(uint64_t n, uint64_t, LaneCtx& x) {
        return signed_sat<E>(-i128(sint<E>(n)), x);
    }
};

// C7.2 CMGT/CMGE/CMEQ/CMLE/CMLT (zero): all ones when the signed lane
// compares true against zero (ASL CompareOp).
enum class CompareOp : uint8_t { GT, GE, EQ, LE, LT };

template <CompareOp Cmp>
struct CM_zero {
    template <unsigned E> static uint64_t apply(uint64_t n, uint64_t, LaneCtx&) {
        const int64_t s = sint<E>(n);
        bool t = false;
        switch (Cmp) {
        case CompareOp::GT: t = s > 0; break;
        case CompareOp::GE: t = s >= 0; break;
        case CompareOp::EQ: t = s == 0; break;
        case CompareOp::LE: t = s <= 0; break;
        case CompareOp::LT: t = s < 0; break;
        }
        return t ? ~uint64_t(0) : 0;
    }
};

// ---- Pairwise long: apply<E>(lane 2e, lane 2e+1, Vd lane of 2E bits) ------

// C7.2 SADDLP/UADDLP, and SADALP/UADALP, which add the sum into V[d].
template <bool Unsigned, bool Accumulate>
struct ADDLP {
    template <unsigned E> static uint64_t apply(uint64_t a, uint64_t b, uint64_t d) {
        const uint64_t sum = Unsigned ? a + b : uint64_t(sint<E>(a) + sint<E>(b));
        return Accumulate ? d + sum : sum;
    }
};

// ---- Narrow: apply<E>(lane of 2E bits, ctx) to E bits ----------------------

struct XTN {
    template <unsigned E> static uint64_t apply(uint64_t n, LaneCtx&) { return n; }
};
struct SQXTN {
    template <unsigned E> static uint64_t apply(uint64_t n, LaneCtx& x) { return signed_sat<E>(sint<2 * E>(n), x); }
};
struct UQXTN {
    template <unsigned E> static uint64_t apply(uint64_t n, LaneCtx& x) { return unsigned_sat<E>(n, x); }
};
struct SQXTUN {
    template <unsigned E> static uint64_t apply(uint64_t n, LaneCtx& x) {
        return unsigned_sat<E>(sint<2 * E>(n), x);
    }
};

// ---- Widen: apply<E>(lane of E bits, ctx) to 2E bits ----------------------

// C7.2 SHLL: the lane shifted left by its own width.
struct SHLL {
    template <unsigned E> static uint64_t apply(uint64_t n, LaneCtx&) { return n << E; }
};

// ---- Reduce: apply<E>(lo, hi, ctx) -----------------------------------------

struct ADD {
    template <unsigned E> static uint64_t apply(uint64_t lo, uint64_t hi, LaneCtx&) { return lo + hi; }
};
// C7.2 SMAXV/SMINV/UMAXV/UMINV.
template <bool Unsigned, bool Max>
struct MAXMIN {
    template <unsigned E> static uint64_t apply(uint64_t lo, uint64_t hi, LaneCtx&) {
        const bool lo_less = Unsigned ? lo < hi : sint<E>(lo) < sint<E>(hi);
        return lo_less == Max ? hi : lo;
    }
};

}  // namespace cpu::simd::misc
