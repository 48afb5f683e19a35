// A64 encoding index: Advanced SIMD three different and scalar three
// different (ARM ARM DDI 0487 K.a, C4.1.95; the Operation pseudocode of
// each in C7.2). The long forms read Vpart[n, Q] and Vpart[m, Q] (the "2"
// forms the upper halves) and write 2 * esize elements; the wide forms take
// a 2 * esize first operand; the narrowing ones (ADDHN...) write Vpart[d, Q].
//
// Pattern letters: Q = Q, z = size, m = Rm, n = Rn, d = Rd.
//
// PMULL with size 11 (64 x 64 -> 128 bits) is FEAT_PMULL, part of the
// Crypto extension: its own row, so a PE without the feature decodes it as
// UNDEFINED (features.h).
#include "cpu/isa/simd_three.h"

namespace cpu {

namespace {

using namespace simd;

// ---- Lane operations (C7.2, under the signed form's name) ---------------------
// Long: op(Elem[d, e, 2 * esize], n, m). Wide: op(Elem[n, e, 2 * esize], m).
// Narrow: op(Elem[n, e, 2 * esize], Elem[m, e, 2 * esize]).

template <bool U>
struct ADDL {  // SADDL, UADDL
    template <class T>
    static Wide<T> op(Wide<T>, T n, T m, LaneEnv&) {
        return Wide<T>(int_of<U>(n) + int_of<U>(m));
    }
};
template <bool U>
struct SUBL {  // SSUBL, USUBL
    template <class T>
    static Wide<T> op(Wide<T>, T n, T m, LaneEnv&) {
        return Wide<T>(int_of<U>(n) - int_of<U>(m));
    }
};
template <bool U>
struct ADDW {  // SADDW, UADDW
    template <class T>
    static Wide<T> op(Wide<T> n, T m, LaneEnv&) {
        return Wide<T>(n + int_of<U>(m));
    }
};
template <bool U>
struct SUBW {  // SSUBW, USUBW
    template <class T>
    static Wide<T> op(Wide<T> n, T m, LaneEnv&) {
        return Wide<T>(n - int_of<U>(m));
    }
};

// The high half of the 2 * esize sum or difference, rounded by adding
// 1 << (esize - 1) first (RADDHN, RSUBHN).
template <bool Sub, bool Round>
struct HighNarrow {  // ADDHN, RADDHN, SUBHN, RSUBHN
    template <class T>
    static T op(Wide<T> n, Wide<T> m, LaneEnv&) {
        const Wide<T> round_const = Round ? Wide<T>(1) << (kEsize<T> - 1) : 0;
        return T(Wide<T>((Sub ? n - m : n + m) + round_const) >> kEsize<T>);
    }
};

template <bool U>
struct ABAL {  // SABAL, UABAL
    template <class T>
    static Wide<T> op(Wide<T> d, T n, T m, LaneEnv&) {
        return Wide<T>(d + abs_diff<U>(n, m));
    }
};
template <bool U>
struct ABDL {  // SABDL, UABDL
    template <class T>
    static Wide<T> op(Wide<T>, T n, T m, LaneEnv&) {
        return Wide<T>(abs_diff<U>(n, m));
    }
};
template <bool U>
struct MLAL {  // SMLAL, UMLAL
    template <class T>
    static Wide<T> op(Wide<T> d, T n, T m, LaneEnv&) {
        return Wide<T>(d + int_of<U>(n) * int_of<U>(m));
    }
};
template <bool U>
struct MLSL {  // SMLSL, UMLSL
    template <class T>
    static Wide<T> op(Wide<T> d, T n, T m, LaneEnv&) {
        return Wide<T>(d - int_of<U>(n) * int_of<U>(m));
    }
};
template <bool U>
struct MULL {  // SMULL, UMULL
    template <class T>
    static Wide<T> op(Wide<T>, T n, T m, LaneEnv&) {
        return Wide<T>(int_of<U>(n) * int_of<U>(m));
    }
};

// SignedSatQ(2 * n * m, 2 * esize), then (SQDMLAL, SQDMLSL) the
// accumulation, saturated again; either saturation sets QC.
template <class T>
Wide<T> doubling_product(T n, T m, LaneEnv& env) {
    return sat_q<Wide<T>, false>(2 * int_of<false>(n) * int_of<false>(m), env);
}
struct SQDMULL {
    template <class T>
    static Wide<T> op(Wide<T>, T n, T m, LaneEnv& env) {
        return doubling_product(n, m, env);
    }
};
template <bool Sub>
struct QDMLAL {  // SQDMLAL, SQDMLSL
    template <class T>
    static Wide<T> op(Wide<T> d, T n, T m, LaneEnv& env) {
        const __int128 product = int_of<false>(doubling_product(n, m, env));
        return sat_q<Wide<T>, false>(int_of<false>(d) + (Sub ? -product : product), env);
    }
};
struct PMULL {
    template <class T>
    static Wide<T> op(Wide<T>, T n, T m, LaneEnv&) {
        return polynomial_mult(n, m);
    }
};

using SADDL = ADDL<false>;
using UADDL = ADDL<true>;
using SSUBL = SUBL<false>;
using USUBL = SUBL<true>;
using SADDW = ADDW<false>;
using UADDW = ADDW<true>;
using SSUBW = SUBW<false>;
using USUBW = SUBW<true>;
using ADDHN = HighNarrow<false, false>;
using RADDHN = HighNarrow<false, true>;
using SUBHN = HighNarrow<true, false>;
using RSUBHN = HighNarrow<true, true>;
using SABAL = ABAL<false>;
using UABAL = ABAL<true>;
using SABDL = ABDL<false>;
using UABDL = ABDL<true>;
using SMLAL = MLAL<false>;
using UMLAL = MLAL<true>;
using SMLSL = MLSL<false>;
using UMLSL = MLSL<true>;
using SMULL = MULL<false>;
using UMULL = MULL<true>;
using SQDMLAL = QDMLAL<false>;
using SQDMLSL = QDMLAL<true>;

// ---- Decoders ------------------------------------------------------------------

// The vector forms' datasize is 64 (per part).
template <class Op, class T, unsigned Part>
using LongLanes = Long<Op, T, 64, Part>;

template <template <class, class, unsigned> class Shape, class Op, unsigned Sizes, unsigned Size,
          unsigned Part>
constexpr ExecFn diff_handler() {
    if constexpr ((Sizes >> Size) & 1)
        return fp_guarded<Shape<Op, UInt<(8u << Size)>, Part>::exec>;
    else
        return nullptr;
}

// [size][Q]; null where the size is reserved.
template <template <class, class, unsigned> class Shape, class Op, unsigned Sizes>
constexpr ExecFn kDiff[4][2] = {
    {diff_handler<Shape, Op, Sizes, 0, 0>(), diff_handler<Shape, Op, Sizes, 0, 1>()},
    {diff_handler<Shape, Op, Sizes, 1, 0>(), diff_handler<Shape, Op, Sizes, 1, 1>()},
    {diff_handler<Shape, Op, Sizes, 2, 0>(), diff_handler<Shape, Op, Sizes, 2, 1>()},
    {diff_handler<Shape, Op, Sizes, 3, 0>(), diff_handler<Shape, Op, Sizes, 3, 1>()},
};

// Shape: LongLanes, WideLanes or Narrow.
template <template <class, class, unsigned> class Shape, class Op, unsigned Sizes, Pattern P>
void decode_3diff(Word<P> w, Insn& o) {
    set_registers(w, o);
    o.exec = kDiff<Shape, Op, Sizes>[field<'z'>(w)][field<'Q'>(w)];
}

// Scalar: one element, datasize = esize; only halfwords and words exist.
template <class Op, Pattern P>
void decode_scalar_3diff(Word<P> w, Insn& o) {
    static constexpr ExecFn kFn[4] = {nullptr, fp_guarded<Long<Op, uint16_t, 16, 0>::exec>,
                                      fp_guarded<Long<Op, uint32_t, 32, 0>::exec>, nullptr};
    set_registers(w, o);
    o.exec = kFn[field<'z'>(w)];
}

// clang-format off
constexpr Encoding kTable[] = {
    // Advanced SIMD scalar three different
    encoding<"01 0 11110 zz 1 mmmmm 1001 00 nnnnn ddddd", decode_scalar_3diff<SQDMLAL>>
        ("SQDMLAL_asisddiff_only", "SQDMLAL, SQDMLAL2 (vector)"),
    encoding<"01 0 11110 zz 1 mmmmm 1011 00 nnnnn ddddd", decode_scalar_3diff<SQDMLSL>>
        ("SQDMLSL_asisddiff_only", "SQDMLSL, SQDMLSL2 (vector)"),
    encoding<"01 0 11110 zz 1 mmmmm 1101 00 nnnnn ddddd", decode_scalar_3diff<SQDMULL>>
        ("SQDMULL_asisddiff_only", "SQDMULL, SQDMULL2 (vector)"),
    // Advanced SIMD three different
    encoding<"0 Q 0 01110 zz 1 mmmmm 0000 00 nnnnn ddddd", decode_3diff<LongLanes, SADDL, kBHS>>
        ("SADDL_asimddiff_L", "SADDL, SADDL2"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 0001 00 nnnnn ddddd", decode_3diff<WideLanes, SADDW, kBHS>>
        ("SADDW_asimddiff_W", "SADDW, SADDW2"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 0010 00 nnnnn ddddd", decode_3diff<LongLanes, SSUBL, kBHS>>
        ("SSUBL_asimddiff_L", "SSUBL, SSUBL2"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 0011 00 nnnnn ddddd", decode_3diff<WideLanes, SSUBW, kBHS>>
        ("SSUBW_asimddiff_W", "SSUBW, SSUBW2"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 0100 00 nnnnn ddddd", decode_3diff<Narrow, ADDHN, kBHS>>
        ("ADDHN_asimddiff_N", "ADDHN, ADDHN2"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 0101 00 nnnnn ddddd", decode_3diff<LongLanes, SABAL, kBHS>>
        ("SABAL_asimddiff_L", "SABAL, SABAL2"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 0110 00 nnnnn ddddd", decode_3diff<Narrow, SUBHN, kBHS>>
        ("SUBHN_asimddiff_N", "SUBHN, SUBHN2"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 0111 00 nnnnn ddddd", decode_3diff<LongLanes, SABDL, kBHS>>
        ("SABDL_asimddiff_L", "SABDL, SABDL2"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 1000 00 nnnnn ddddd", decode_3diff<LongLanes, SMLAL, kBHS>>
        ("SMLAL_asimddiff_L", "SMLAL, SMLAL2 (vector)"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 1001 00 nnnnn ddddd", decode_3diff<LongLanes, SQDMLAL, kHS>>
        ("SQDMLAL_asimddiff_L", "SQDMLAL, SQDMLAL2 (vector)"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 1010 00 nnnnn ddddd", decode_3diff<LongLanes, SMLSL, kBHS>>
        ("SMLSL_asimddiff_L", "SMLSL, SMLSL2 (vector)"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 1011 00 nnnnn ddddd", decode_3diff<LongLanes, SQDMLSL, kHS>>
        ("SQDMLSL_asimddiff_L", "SQDMLSL, SQDMLSL2 (vector)"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 1100 00 nnnnn ddddd", decode_3diff<LongLanes, SMULL, kBHS>>
        ("SMULL_asimddiff_L", "SMULL, SMULL2 (vector)"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 1101 00 nnnnn ddddd", decode_3diff<LongLanes, SQDMULL, kHS>>
        ("SQDMULL_asimddiff_L", "SQDMULL, SQDMULL2 (vector)"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 1110 00 nnnnn ddddd", decode_3diff<LongLanes, PMULL, kB>>
        ("PMULL_asimddiff_L", "PMULL, PMULL2"),
    encoding<"0 Q 0 01110 z=11 1 mmmmm 1110 00 nnnnn ddddd", decode_3diff<LongLanes, PMULL, kD>>
        ("PMULL_asimddiff_L_64", "PMULL, PMULL2 (64-bit elements)").needs(Feature::PMULL),
    encoding<"0 Q 1 01110 zz 1 mmmmm 0000 00 nnnnn ddddd", decode_3diff<LongLanes, UADDL, kBHS>>
        ("UADDL_asimddiff_L", "UADDL, UADDL2"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 0001 00 nnnnn ddddd", decode_3diff<WideLanes, UADDW, kBHS>>
        ("UADDW_asimddiff_W", "UADDW, UADDW2"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 0010 00 nnnnn ddddd", decode_3diff<LongLanes, USUBL, kBHS>>
        ("USUBL_asimddiff_L", "USUBL, USUBL2"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 0011 00 nnnnn ddddd", decode_3diff<WideLanes, USUBW, kBHS>>
        ("USUBW_asimddiff_W", "USUBW, USUBW2"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 0100 00 nnnnn ddddd", decode_3diff<Narrow, RADDHN, kBHS>>
        ("RADDHN_asimddiff_N", "RADDHN, RADDHN2"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 0101 00 nnnnn ddddd", decode_3diff<LongLanes, UABAL, kBHS>>
        ("UABAL_asimddiff_L", "UABAL, UABAL2"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 0110 00 nnnnn ddddd", decode_3diff<Narrow, RSUBHN, kBHS>>
        ("RSUBHN_asimddiff_N", "RSUBHN, RSUBHN2"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 0111 00 nnnnn ddddd", decode_3diff<LongLanes, UABDL, kBHS>>
        ("UABDL_asimddiff_L", "UABDL, UABDL2"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 1000 00 nnnnn ddddd", decode_3diff<LongLanes, UMLAL, kBHS>>
        ("UMLAL_asimddiff_L", "UMLAL, UMLAL2 (vector)"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 1010 00 nnnnn ddddd", decode_3diff<LongLanes, UMLSL, kBHS>>
        ("UMLSL_asimddiff_L", "UMLSL, UMLSL2 (vector)"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 1100 00 nnnnn ddddd", decode_3diff<LongLanes, UMULL, kBHS>>
        ("UMULL_asimddiff_L", "UMULL, UMULL2 (vector)"),
};
// clang-format on

}  // namespace

std::span<const Encoding> encodings_simd_three_diff() { return kTable; }

}  // namespace cpu
