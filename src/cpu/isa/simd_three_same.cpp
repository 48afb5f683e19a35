// A64 encoding index: Advanced SIMD three same and scalar three same, the
// integer and logical instructions (ARM ARM DDI 0487 K.a, C4.1.95; the
// Operation pseudocode of each in C7.2). The floating-point rows of these
// classes are in simd_three_same_fp.cpp.
//
// Pattern letters: Q = Q, z = size, m = Rm, n = Rn, d = Rd.
//
// The three same (extra) classes hold FEAT_RDM, FEAT_DotProd, FEAT_FCMA,
// FEAT_BF16 and FEAT_I8MM instructions, none of which this PE implements:
// their rows raise UNDEFINED.
#include <algorithm>

#include "cpu/isa/simd_three.h"

namespace cpu {

namespace {

using namespace simd;

// ---- Lane operations -----------------------------------------------------------
// Each is one instruction's per-element Operation (C7.2, under the name of
// the signed form; U selects the unsigned one).

template <bool U>
struct HADD {  // SHADD, UHADD
    template <class T>
    static T op(T, T n, T m, LaneEnv&) {
        return T((int_of<U>(n) + int_of<U>(m)) >> 1);
    }
};
template <bool U>
struct RHADD {  // SRHADD, URHADD
    template <class T>
    static T op(T, T n, T m, LaneEnv&) {
        return T((int_of<U>(n) + int_of<U>(m) + 1) >> 1);
    }
};
template <bool U>
struct HSUB {  // SHSUB, UHSUB
    template <class T>
    static T op(T, T n, T m, LaneEnv&) {
        return T((int_of<U>(n) - int_of<U>(m)) >> 1);
    }
};
template <bool U>
struct QADD {  // SQADD, UQADD
    template <class T>
    static T op(T, T n, T m, LaneEnv& env) {
        return sat_q<T, U>(int_of<U>(n) + int_of<U>(m), env);
    }
};
template <bool U>
struct QSUB {  // SQSUB, UQSUB
    template <class T>
    static T op(T, T n, T m, LaneEnv& env) {
        return sat_q<T, U>(int_of<U>(n) - int_of<U>(m), env);
    }
};
template <bool U>
struct CmpGT {  // CMGT, CMHI
    template <class T>
    static T op(T, T n, T m, LaneEnv&) {
        return mask_if<T>(int_of<U>(n) > int_of<U>(m));
    }
};
template <bool U>
struct CmpGE {  // CMGE, CMHS
    template <class T>
    static T op(T, T n, T m, LaneEnv&) {
        return mask_if<T>(int_of<U>(n) >= int_of<U>(m));
    }
};

// (Int(element, unsigned) + round_const) << shift, the shift being
// SInt(Elem[m, e]<7:0>) (negative: right, rounding adds 1 << (-shift - 1)).
// For |x| < 2^64, right shifts past 65 and left shifts past 63 change
// neither the result's low 64 bits nor whether it saturates, so they are
// clamped to what an __int128 holds: a left shift of 64 or more makes a
// nonzero x a multiple of 2^64 beyond every saturation limit.
constexpr __int128 shift_element(__int128 x, int shift, bool rounding) {
    if (shift >= 64) return x == 0 ? 0 : (x < 0 ? -1 : 1) * (__int128(1) << 100);
    if (shift >= 0) return x << shift;
    const int right = std::min(-shift, 65);
    const __int128 round_const = rounding ? __int128(1) << (right - 1) : 0;
    return (x + round_const) >> right;
}

template <bool U, bool Rounding, bool Saturating>
struct SHL {  // SSHL, SRSHL, SQSHL, SQRSHL and the U forms
    template <class T>
    static T op(T, T n, T m, LaneEnv& env) {
        const __int128 element = shift_element(int_of<U>(n), int8_t(m), Rounding);
        if constexpr (Saturating)
            return sat_q<T, U>(element, env);
        else
            return T(element);
    }
};

template <bool U>
struct MAX {  // SMAX, UMAX; SMAXP, UMAXP
    template <class T>
    static T op(T, T n, T m, LaneEnv&) {
        return int_of<U>(n) >= int_of<U>(m) ? n : m;
    }
};
template <bool U>
struct MIN {  // SMIN, UMIN; SMINP, UMINP
    template <class T>
    static T op(T, T n, T m, LaneEnv&) {
        return int_of<U>(n) >= int_of<U>(m) ? m : n;
    }
};

template <bool U>
struct ABD {  // SABD, UABD
    template <class T>
    static T op(T, T n, T m, LaneEnv&) {
        return T(abs_diff<U>(n, m));
    }
};
template <bool U>
struct ABA {  // SABA, UABA
    template <class T>
    static T op(T d, T n, T m, LaneEnv&) {
        return T(d + abs_diff<U>(n, m));
    }
};

struct ADD {  // ADD; ADDP
    template <class T>
    static T op(T, T n, T m, LaneEnv&) {
        return T(n + m);
    }
};
struct SUB {
    template <class T>
    static T op(T, T n, T m, LaneEnv&) {
        return T(n - m);
    }
};
struct CMTST {
    template <class T>
    static T op(T, T n, T m, LaneEnv&) {
        return mask_if<T>((n & m) != 0);
    }
};
struct CMEQ {
    template <class T>
    static T op(T, T n, T m, LaneEnv&) {
        return mask_if<T>(n == m);
    }
};
struct MLA {
    template <class T>
    static T op(T d, T n, T m, LaneEnv&) {
        return T(d + Wide<T>(n) * m);
    }
};
struct MLS {
    template <class T>
    static T op(T d, T n, T m, LaneEnv&) {
        return T(d - Wide<T>(n) * m);
    }
};
struct MUL {
    template <class T>
    static T op(T, T n, T m, LaneEnv&) {
        return T(Wide<T>(n) * m);
    }
};
struct PMUL {
    template <class T>
    static T op(T, T n, T m, LaneEnv&) {
        return T(polynomial_mult(n, m));
    }
};

template <bool Rounding>
struct QDMULH {  // SQDMULH, SQRDMULH: SignedSatQ((2 * n * m + round_const) >> esize)
    template <class T>
    static T op(T, T n, T m, LaneEnv& env) {
        const __int128 round_const = Rounding ? __int128(1) << (kEsize<T> - 1) : 0;
        return sat_q<T, false>((2 * int_of<false>(n) * int_of<false>(m) + round_const) >> kEsize<T>,
                               env);
    }
};

using SHADD = HADD<false>;
using UHADD = HADD<true>;
using SRHADD = RHADD<false>;
using URHADD = RHADD<true>;
using SHSUB = HSUB<false>;
using UHSUB = HSUB<true>;
using SQADD = QADD<false>;
using UQADD = QADD<true>;
using SQSUB = QSUB<false>;
using UQSUB = QSUB<true>;
using CMGT = CmpGT<false>;
using CMHI = CmpGT<true>;
using CMGE = CmpGE<false>;
using CMHS = CmpGE<true>;
using SSHL = SHL<false, false, false>;
using USHL = SHL<true, false, false>;
using SQSHL = SHL<false, false, true>;
using UQSHL = SHL<true, false, true>;
using SRSHL = SHL<false, true, false>;
using URSHL = SHL<true, true, false>;
using SQRSHL = SHL<false, true, true>;
using UQRSHL = SHL<true, true, true>;
using SMAX = MAX<false>;
using UMAX = MAX<true>;
using SMIN = MIN<false>;
using UMIN = MIN<true>;
using SABD = ABD<false>;
using UABD = ABD<true>;
using SABA = ABA<false>;
using UABA = ABA<true>;
using SQDMULH = QDMULH<false>;
using SQRDMULH = QDMULH<true>;

// Logical (C7.2 AND (vector) ... BIF), on 64-bit chunks. EOR, BSL, BIT and
// BIF are the ASL's operand1 EOR ((operand2 EOR V[n]) AND operand3).
struct AND {
    template <class T>
    static T op(T, T n, T m, LaneEnv&) {
        return n & m;
    }
};
struct BIC {
    template <class T>
    static T op(T, T n, T m, LaneEnv&) {
        return n & ~m;
    }
};
struct ORR {
    template <class T>
    static T op(T, T n, T m, LaneEnv&) {
        return n | m;
    }
};
struct ORN {
    template <class T>
    static T op(T, T n, T m, LaneEnv&) {
        return n | ~m;
    }
};
struct EOR {
    template <class T>
    static T op(T, T n, T m, LaneEnv&) {
        return n ^ m;
    }
};
struct BSL {
    template <class T>
    static T op(T d, T n, T m, LaneEnv&) {
        return m ^ ((m ^ n) & d);
    }
};
struct BIT {
    template <class T>
    static T op(T d, T n, T m, LaneEnv&) {
        return d ^ ((d ^ n) & m);
    }
};
struct BIF {
    template <class T>
    static T op(T d, T n, T m, LaneEnv&) {
        return d ^ ((d ^ n) & ~m);
    }
};

// The logical rows fix size (it selects the operation); Q alone picks.
template <class Op, Pattern P>
void decode_3same_logical(Word<P> w, Insn& o) {
    set_registers(w, o);
    o.exec = field<'Q'>(w) ? fp_guarded<Lanes<Op, uint64_t, 128>::exec>
                           : fp_guarded<Lanes<Op, uint64_t, 64>::exec>;
}

// clang-format off
constexpr Encoding kTable[] = {
    // Advanced SIMD scalar three same (extra): FEAT_RDM
    encoding<"01 u 11110 zz 0 mmmmm 1 oooo 1 nnnnn ddddd", decode_UNDEFINED>
        ("asisdsame2", "Advanced SIMD scalar three same extra (FEAT_RDM: not implemented)"),
    // Advanced SIMD scalar three same
    encoding<"01 0 11110 zz 1 mmmmm 00001 1 nnnnn ddddd", decode_scalar_3same<SQADD, kBHSD>>
        ("SQADD_asisdsame_only", "SQADD"),
    encoding<"01 0 11110 zz 1 mmmmm 00101 1 nnnnn ddddd", decode_scalar_3same<SQSUB, kBHSD>>
        ("SQSUB_asisdsame_only", "SQSUB"),
    encoding<"01 0 11110 zz 1 mmmmm 00110 1 nnnnn ddddd", decode_scalar_3same<CMGT, kD>>
        ("CMGT_asisdsame_only", "CMGT (register)"),
    encoding<"01 0 11110 zz 1 mmmmm 00111 1 nnnnn ddddd", decode_scalar_3same<CMGE, kD>>
        ("CMGE_asisdsame_only", "CMGE (register)"),
    encoding<"01 0 11110 zz 1 mmmmm 01000 1 nnnnn ddddd", decode_scalar_3same<SSHL, kD>>
        ("SSHL_asisdsame_only", "SSHL"),
    encoding<"01 0 11110 zz 1 mmmmm 01001 1 nnnnn ddddd", decode_scalar_3same<SQSHL, kBHSD>>
        ("SQSHL_asisdsame_only", "SQSHL (register)"),
    encoding<"01 0 11110 zz 1 mmmmm 01010 1 nnnnn ddddd", decode_scalar_3same<SRSHL, kD>>
        ("SRSHL_asisdsame_only", "SRSHL"),
    encoding<"01 0 11110 zz 1 mmmmm 01011 1 nnnnn ddddd", decode_scalar_3same<SQRSHL, kBHSD>>
        ("SQRSHL_asisdsame_only", "SQRSHL"),
    encoding<"01 0 11110 zz 1 mmmmm 10000 1 nnnnn ddddd", decode_scalar_3same<ADD, kD>>
        ("ADD_asisdsame_only", "ADD (vector)"),
    encoding<"01 0 11110 zz 1 mmmmm 10001 1 nnnnn ddddd", decode_scalar_3same<CMTST, kD>>
        ("CMTST_asisdsame_only", "CMTST"),
    encoding<"01 0 11110 zz 1 mmmmm 10110 1 nnnnn ddddd", decode_scalar_3same<SQDMULH, kHS>>
        ("SQDMULH_asisdsame_only", "SQDMULH (vector)"),
    encoding<"01 1 11110 zz 1 mmmmm 00001 1 nnnnn ddddd", decode_scalar_3same<UQADD, kBHSD>>
        ("UQADD_asisdsame_only", "UQADD"),
    encoding<"01 1 11110 zz 1 mmmmm 00101 1 nnnnn ddddd", decode_scalar_3same<UQSUB, kBHSD>>
        ("UQSUB_asisdsame_only", "UQSUB"),
    encoding<"01 1 11110 zz 1 mmmmm 00110 1 nnnnn ddddd", decode_scalar_3same<CMHI, kD>>
        ("CMHI_asisdsame_only", "CMHI (register)"),
    encoding<"01 1 11110 zz 1 mmmmm 00111 1 nnnnn ddddd", decode_scalar_3same<CMHS, kD>>
        ("CMHS_asisdsame_only", "CMHS (register)"),
    encoding<"01 1 11110 zz 1 mmmmm 01000 1 nnnnn ddddd", decode_scalar_3same<USHL, kD>>
        ("USHL_asisdsame_only", "USHL"),
    encoding<"01 1 11110 zz 1 mmmmm 01001 1 nnnnn ddddd", decode_scalar_3same<UQSHL, kBHSD>>
        ("UQSHL_asisdsame_only", "UQSHL (register)"),
    encoding<"01 1 11110 zz 1 mmmmm 01010 1 nnnnn ddddd", decode_scalar_3same<URSHL, kD>>
        ("URSHL_asisdsame_only", "URSHL"),
    encoding<"01 1 11110 zz 1 mmmmm 01011 1 nnnnn ddddd", decode_scalar_3same<UQRSHL, kBHSD>>
        ("UQRSHL_asisdsame_only", "UQRSHL"),
    encoding<"01 1 11110 zz 1 mmmmm 10000 1 nnnnn ddddd", decode_scalar_3same<SUB, kD>>
        ("SUB_asisdsame_only", "SUB (vector)"),
    encoding<"01 1 11110 zz 1 mmmmm 10001 1 nnnnn ddddd", decode_scalar_3same<CMEQ, kD>>
        ("CMEQ_asisdsame_only", "CMEQ (register)"),
    encoding<"01 1 11110 zz 1 mmmmm 10110 1 nnnnn ddddd", decode_scalar_3same<SQRDMULH, kHS>>
        ("SQRDMULH_asisdsame_only", "SQRDMULH (vector)"),
    // Advanced SIMD three same (extra): FEAT_RDM, FEAT_DotProd, FEAT_FCMA, FEAT_BF16, FEAT_I8MM
    encoding<"0 Q u 01110 zz 0 mmmmm 1 oooo 1 nnnnn ddddd", decode_UNDEFINED>
        ("asimdsame2", "Advanced SIMD three same extra (not implemented)"),
    // Advanced SIMD three same
    encoding<"0 Q 0 01110 zz 1 mmmmm 00000 1 nnnnn ddddd", decode_3same<Lanes, SHADD, kBHS>>
        ("SHADD_asimdsame_only", "SHADD"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 00001 1 nnnnn ddddd", decode_3same<Lanes, SQADD, kBHSD>>
        ("SQADD_asimdsame_only", "SQADD"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 00010 1 nnnnn ddddd", decode_3same<Lanes, SRHADD, kBHS>>
        ("SRHADD_asimdsame_only", "SRHADD"),
    encoding<"0 Q 0 01110 00 1 mmmmm 00011 1 nnnnn ddddd", decode_3same_logical<AND>>
        ("AND_asimdsame_only", "AND (vector)"),
    encoding<"0 Q 0 01110 01 1 mmmmm 00011 1 nnnnn ddddd", decode_3same_logical<BIC>>
        ("BIC_asimdsame_only", "BIC (vector, register)"),
    encoding<"0 Q 0 01110 10 1 mmmmm 00011 1 nnnnn ddddd", decode_3same_logical<ORR>>
        ("ORR_asimdsame_only", "ORR (vector, register)"),
    encoding<"0 Q 0 01110 11 1 mmmmm 00011 1 nnnnn ddddd", decode_3same_logical<ORN>>
        ("ORN_asimdsame_only", "ORN (vector)"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 00100 1 nnnnn ddddd", decode_3same<Lanes, SHSUB, kBHS>>
        ("SHSUB_asimdsame_only", "SHSUB"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 00101 1 nnnnn ddddd", decode_3same<Lanes, SQSUB, kBHSD>>
        ("SQSUB_asimdsame_only", "SQSUB"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 00110 1 nnnnn ddddd", decode_3same<Lanes, CMGT, kBHSD>>
        ("CMGT_asimdsame_only", "CMGT (register)"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 00111 1 nnnnn ddddd", decode_3same<Lanes, CMGE, kBHSD>>
        ("CMGE_asimdsame_only", "CMGE (register)"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 01000 1 nnnnn ddddd", decode_3same<Lanes, SSHL, kBHSD>>
        ("SSHL_asimdsame_only", "SSHL"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 01001 1 nnnnn ddddd", decode_3same<Lanes, SQSHL, kBHSD>>
        ("SQSHL_asimdsame_only", "SQSHL (register)"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 01010 1 nnnnn ddddd", decode_3same<Lanes, SRSHL, kBHSD>>
        ("SRSHL_asimdsame_only", "SRSHL"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 01011 1 nnnnn ddddd", decode_3same<Lanes, SQRSHL, kBHSD>>
        ("SQRSHL_asimdsame_only", "SQRSHL"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 01100 1 nnnnn ddddd", decode_3same<Lanes, SMAX, kBHS>>
        ("SMAX_asimdsame_only", "SMAX"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 01101 1 nnnnn ddddd", decode_3same<Lanes, SMIN, kBHS>>
        ("SMIN_asimdsame_only", "SMIN"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 01110 1 nnnnn ddddd", decode_3same<Lanes, SABD, kBHS>>
        ("SABD_asimdsame_only", "SABD"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 01111 1 nnnnn ddddd", decode_3same<Lanes, SABA, kBHS>>
        ("SABA_asimdsame_only", "SABA"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 10000 1 nnnnn ddddd", decode_3same<Lanes, ADD, kBHSD>>
        ("ADD_asimdsame_only", "ADD (vector)"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 10001 1 nnnnn ddddd", decode_3same<Lanes, CMTST, kBHSD>>
        ("CMTST_asimdsame_only", "CMTST"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 10010 1 nnnnn ddddd", decode_3same<Lanes, MLA, kBHS>>
        ("MLA_asimdsame_only", "MLA (vector)"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 10011 1 nnnnn ddddd", decode_3same<Lanes, MUL, kBHS>>
        ("MUL_asimdsame_only", "MUL (vector)"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 10100 1 nnnnn ddddd", decode_3same<Pairs, SMAX, kBHS>>
        ("SMAXP_asimdsame_only", "SMAXP"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 10101 1 nnnnn ddddd", decode_3same<Pairs, SMIN, kBHS>>
        ("SMINP_asimdsame_only", "SMINP"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 10110 1 nnnnn ddddd", decode_3same<Lanes, SQDMULH, kHS>>
        ("SQDMULH_asimdsame_only", "SQDMULH (vector)"),
    encoding<"0 Q 0 01110 zz 1 mmmmm 10111 1 nnnnn ddddd", decode_3same<Pairs, ADD, kBHSD>>
        ("ADDP_asimdsame_only", "ADDP (vector)"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 00000 1 nnnnn ddddd", decode_3same<Lanes, UHADD, kBHS>>
        ("UHADD_asimdsame_only", "UHADD"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 00001 1 nnnnn ddddd", decode_3same<Lanes, UQADD, kBHSD>>
        ("UQADD_asimdsame_only", "UQADD"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 00010 1 nnnnn ddddd", decode_3same<Lanes, URHADD, kBHS>>
        ("URHADD_asimdsame_only", "URHADD"),
    encoding<"0 Q 1 01110 00 1 mmmmm 00011 1 nnnnn ddddd", decode_3same_logical<EOR>>
        ("EOR_asimdsame_only", "EOR (vector)"),
    encoding<"0 Q 1 01110 01 1 mmmmm 00011 1 nnnnn ddddd", decode_3same_logical<BSL>>
        ("BSL_asimdsame_only", "BSL"),
    encoding<"0 Q 1 01110 10 1 mmmmm 00011 1 nnnnn ddddd", decode_3same_logical<BIT>>
        ("BIT_asimdsame_only", "BIT"),
    encoding<"0 Q 1 01110 11 1 mmmmm 00011 1 nnnnn ddddd", decode_3same_logical<BIF>>
        ("BIF_asimdsame_only", "BIF"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 00100 1 nnnnn ddddd", decode_3same<Lanes, UHSUB, kBHS>>
        ("UHSUB_asimdsame_only", "UHSUB"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 00101 1 nnnnn ddddd", decode_3same<Lanes, UQSUB, kBHSD>>
        ("UQSUB_asimdsame_only", "UQSUB"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 00110 1 nnnnn ddddd", decode_3same<Lanes, CMHI, kBHSD>>
        ("CMHI_asimdsame_only", "CMHI (register)"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 00111 1 nnnnn ddddd", decode_3same<Lanes, CMHS, kBHSD>>
        ("CMHS_asimdsame_only", "CMHS (register)"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 01000 1 nnnnn ddddd", decode_3same<Lanes, USHL, kBHSD>>
        ("USHL_asimdsame_only", "USHL"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 01001 1 nnnnn ddddd", decode_3same<Lanes, UQSHL, kBHSD>>
        ("UQSHL_asimdsame_only", "UQSHL (register)"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 01010 1 nnnnn ddddd", decode_3same<Lanes, URSHL, kBHSD>>
        ("URSHL_asimdsame_only", "URSHL"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 01011 1 nnnnn ddddd", decode_3same<Lanes, UQRSHL, kBHSD>>
        ("UQRSHL_asimdsame_only", "UQRSHL"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 01100 1 nnnnn ddddd", decode_3same<Lanes, UMAX, kBHS>>
        ("UMAX_asimdsame_only", "UMAX"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 01101 1 nnnnn ddddd", decode_3same<Lanes, UMIN, kBHS>>
        ("UMIN_asimdsame_only", "UMIN"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 01110 1 nnnnn ddddd", decode_3same<Lanes, UABD, kBHS>>
        ("UABD_asimdsame_only", "UABD"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 01111 1 nnnnn ddddd", decode_3same<Lanes, UABA, kBHS>>
        ("UABA_asimdsame_only", "UABA"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 10000 1 nnnnn ddddd", decode_3same<Lanes, SUB, kBHSD>>
        ("SUB_asimdsame_only", "SUB (vector)"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 10001 1 nnnnn ddddd", decode_3same<Lanes, CMEQ, kBHSD>>
        ("CMEQ_asimdsame_only", "CMEQ (register)"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 10010 1 nnnnn ddddd", decode_3same<Lanes, MLS, kBHS>>
        ("MLS_asimdsame_only", "MLS (vector)"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 10011 1 nnnnn ddddd", decode_3same<Lanes, PMUL, kB>>
        ("PMUL_asimdsame_only", "PMUL"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 10100 1 nnnnn ddddd", decode_3same<Pairs, UMAX, kBHS>>
        ("UMAXP_asimdsame_only", "UMAXP"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 10101 1 nnnnn ddddd", decode_3same<Pairs, UMIN, kBHS>>
        ("UMINP_asimdsame_only", "UMINP"),
    encoding<"0 Q 1 01110 zz 1 mmmmm 10110 1 nnnnn ddddd", decode_3same<Lanes, SQRDMULH, kHS>>
        ("SQRDMULH_asimdsame_only", "SQRDMULH (vector)"),
};
// clang-format on

}  // namespace

std::span<const Encoding> encodings_simd_three_same() { return kTable; }

}  // namespace cpu
