// A64 encoding index, "Data Processing -- Scalar Floating-Point and
// Advanced SIMD" (ARM ARM DDI 0487 K.a, C4.1): the Advanced SIMD two-register
// miscellaneous class (vector and scalar), across lanes, and scalar
// pairwise. Handlers are the lane shapes of simd_misc_lanes.h over the
// operations of simd_misc_int.h and simd_misc_fp.h.
//
// Pattern letters (decode.h): Q = Q, z = size, s = sz (size<0> where
// size<1> is an opcode bit), n = Rn, d = Rd; the UNDEFINED class rows
// name U, a and o (opcode) too.
//
// A decoder picks the handler from a table indexed by the row's size/sz
// and Q; a null entry is a reserved combination, which leaves the word
// UNDEFINED (size = 11, or 64-bit lanes with Q = 0...). The FEAT_FP16
// classes, the half-precision across-lanes and pairwise forms, FEAT_FRINTTS
// and FEAT_BF16's BFCVTN are rows that raise UNDEFINED: this PE is
// Armv8.0-A.
#include "cpu/decode.h"
#include "cpu/isa/simd_misc_fp.h"
#include "cpu/isa/simd_misc_int.h"
#include "cpu/isa/simd_misc_lanes.h"

namespace cpu {

namespace {

using namespace simd;
using namespace simd::misc;

// Every handler runs behind the SIMD&FP access check (simd_common.h).
template <ExecFn F>
constexpr ExecFn G = fp_guarded<F>;

// ---- Tables: the handler for each size (or sz) and Q -----------------------

// Which sizes an integer elementwise instruction allows: BHSD reserves only
// size:Q = 110 (a 64-bit lane in a 64-bit vector), BHS reserves size = 11.
enum class Sizes : uint8_t { BHSD, BHS };

template <bool Ok, unsigned E, unsigned Elems, class Op>
consteval ExecFn elementwise() {
    if constexpr (Ok) return G<ELEMENTWISE<E, Elems, Op>>;
    return nullptr;
}

template <class Op, Sizes S>
constexpr ExecFn kVec[4][2] = {
    {G<ELEMENTWISE<8, 8, Op>>, G<ELEMENTWISE<8, 16, Op>>},
    {G<ELEMENTWISE<16, 4, Op>>, G<ELEMENTWISE<16, 8, Op>>},
    {G<ELEMENTWISE<32, 2, Op>>, G<ELEMENTWISE<32, 4, Op>>},
    {nullptr, elementwise<S == Sizes::BHSD, 64, 2, Op>()}};

// CNT, NOT, RBIT: bytes only, by Q.
template <class Op>
constexpr ExecFn kBytes[2] = {G<ELEMENTWISE<8, 8, Op>>, G<ELEMENTWISE<8, 16, Op>>};

// URECPE, URSQRTE: 32-bit lanes only, by Q.
template <class Op>
constexpr ExecFn kWords[2] = {G<ELEMENTWISE<32, 2, Op>>, G<ELEMENTWISE<32, 4, Op>>};

// FP vectors, [sz][Q]: sz:Q = 10 is reserved.
template <class Op>
constexpr ExecFn kFpVec[2][2] = {{G<ELEMENTWISE<32, 2, Op>>, G<ELEMENTWISE<32, 4, Op>>},
                                 {nullptr, G<ELEMENTWISE<64, 2, Op>>}};

// REV16/REV32/REV64: lanes narrower than the container.
template <unsigned E, unsigned C, unsigned Elems>
consteval ExecFn rev() {
    if constexpr (E < C) return G<REV<E, C, Elems>>;
    return nullptr;
}
template <unsigned C>
constexpr ExecFn kRev[4][2] = {{rev<8, C, 8>(), rev<8, C, 16>()},
                               {rev<16, C, 4>(), rev<16, C, 8>()},
                               {rev<32, C, 2>(), rev<32, C, 4>()},
                               {nullptr, nullptr}};

template <class Op>
constexpr ExecFn kAddlp[4][2] = {{G<PAIRWISE_LONG<8, 4, Op>>, G<PAIRWISE_LONG<8, 8, Op>>},
                                 {G<PAIRWISE_LONG<16, 2, Op>>, G<PAIRWISE_LONG<16, 4, Op>>},
                                 {G<PAIRWISE_LONG<32, 1, Op>>, G<PAIRWISE_LONG<32, 2, Op>>},
                                 {nullptr, nullptr}};

// XTN, SQXTN, UQXTN, SQXTUN: [size of the result lane][Q = part].
template <class Op>
constexpr ExecFn kNarrow[4][2] = {{G<NARROW<8, 8, 0, Op>>, G<NARROW<8, 8, 1, Op>>},
                                  {G<NARROW<16, 4, 0, Op>>, G<NARROW<16, 4, 1, Op>>},
                                  {G<NARROW<32, 2, 0, Op>>, G<NARROW<32, 2, 1, Op>>},
                                  {nullptr, nullptr}};

constexpr ExecFn kShll[4][2] = {{G<WIDEN<8, 0, SHLL>>, G<WIDEN<8, 1, SHLL>>},
                                {G<WIDEN<16, 0, SHLL>>, G<WIDEN<16, 1, SHLL>>},
                                {G<WIDEN<32, 0, SHLL>>, G<WIDEN<32, 1, SHLL>>},
                                {nullptr, nullptr}};

// FCVTN, FCVTL: sz = 0 converts between half and single, 1 between single
// and double.
constexpr ExecFn kFcvtn[2][2] = {{G<NARROW<16, 4, 0, FCVTN<false>>>, G<NARROW<16, 4, 1, FCVTN<false>>>},
                                 {G<NARROW<32, 2, 0, FCVTN<false>>>, G<NARROW<32, 2, 1, FCVTN<false>>>}};
constexpr ExecFn kFcvtxn[2] = {G<NARROW<32, 2, 0, FCVTN<true>>>, G<NARROW<32, 2, 1, FCVTN<true>>>};
constexpr ExecFn kFcvtl[2][2] = {{G<WIDEN<16, 0, FCVTL>>, G<WIDEN<16, 1, FCVTL>>},
                                 {G<WIDEN<32, 0, FCVTL>>, G<WIDEN<32, 1, FCVTL>>}};

// Scalars: one lane of the size's width.
template <class Op>
constexpr ExecFn kScalar[4] = {G<ELEMENTWISE<8, 1, Op>>, G<ELEMENTWISE<16, 1, Op>>, G<ELEMENTWISE<32, 1, Op>>,
                               G<ELEMENTWISE<64, 1, Op>>};
template <class Op>
constexpr ExecFn kFpScalar[2] = {G<ELEMENTWISE<32, 1, Op>>, G<ELEMENTWISE<64, 1, Op>>};
template <class Op>
constexpr ExecFn kNarrowScalar[4] = {G<NARROW<8, 1, 0, Op>>, G<NARROW<16, 1, 0, Op>>, G<NARROW<32, 1, 0, Op>>,
                                     nullptr};

// Across lanes: size:Q = 100 and size = 11 are reserved.
template <class Op>
constexpr ExecFn kAcross[4][2] = {{G<REDUCE<8, 8, Op>>, G<REDUCE<8, 16, Op>>},
                                  {G<REDUCE<16, 4, Op>>, G<REDUCE<16, 8, Op>>},
                                  {nullptr, G<REDUCE<32, 4, Op>>},
                                  {nullptr, nullptr}};
template <bool Unsigned>
constexpr ExecFn kAddlv[4][2] = {{G<ADDLV<8, 8, Unsigned>>, G<ADDLV<8, 16, Unsigned>>},
                                 {G<ADDLV<16, 4, Unsigned>>, G<ADDLV<16, 8, Unsigned>>},
                                 {nullptr, G<ADDLV<32, 4, Unsigned>>},
                                 {nullptr, nullptr}};
// Scalar pairwise FP: the two lanes of the low 2 * esize bits.
template <ReduceOp Op>
constexpr ExecFn kPair[2] = {G<REDUCE<32, 2, FREDUCE<Op>>>, G<REDUCE<64, 2, FREDUCE<Op>>>};

// ---- Decoders: one per table shape -----------------------------------------

template <Pattern P>
void install(Word<P> w, Insn& o, ExecFn f) {
    if (!f) return;  // reserved: UNDEFINED
    o.rd = uint8_t(field<'d'>(w));
    o.rn = uint8_t(field<'n'>(w));
    o.exec = f;
}

template <auto& Table, Pattern P>
void decode_size_q(Word<P> w, Insn& o) {
    install(w, o, Table[field<'z'>(w)][field<'Q'>(w)]);
}
template <auto& Table, Pattern P>
void decode_sz_q(Word<P> w, Insn& o) {
    install(w, o, Table[field<'s'>(w)][field<'Q'>(w)]);
}
template <auto& Table, Pattern P>
void decode_q(Word<P> w, Insn& o) {
    install(w, o, Table[field<'Q'>(w)]);
}
template <auto& Table, Pattern P>
void decode_size(Word<P> w, Insn& o) {
    install(w, o, Table[field<'z'>(w)]);
}
template <auto& Table, Pattern P>
void decode_sz(Word<P> w, Insn& o) {
    install(w, o, Table[field<'s'>(w)]);
}
template <ExecFn F, Pattern P>
void decode_fixed(Word<P> w, Insn& o) {
    install(w, o, F);
}

using R = Rounding;
using C = CompareOp;

// Within this group no two patterns overlap.
constexpr Encoding kTable[] = {
    // Advanced SIMD two-register miscellaneous, U = 0
    encoding<"0 Q 0 01110 zz 10000 00000 10 nnnnn ddddd", decode_size_q<kRev<64>>>("REV64_asimdmisc", "REV64"),
    encoding<"0 Q 0 01110 zz 10000 00001 10 nnnnn ddddd", decode_size_q<kRev<16>>>("REV16_asimdmisc", "REV16 (vector)"),
    encoding<"0 Q 0 01110 zz 10000 00010 10 nnnnn ddddd", decode_size_q<kAddlp<ADDLP<false, false>>>>
        ("SADDLP_asimdmisc", "SADDLP"),
    encoding<"0 Q 0 01110 zz 10000 00011 10 nnnnn ddddd", decode_size_q<kVec<SUQADD, Sizes::BHSD>>>
        ("SUQADD_asimdmisc", "SUQADD"),
    encoding<"0 Q 0 01110 zz 10000 00100 10 nnnnn ddddd", decode_size_q<kVec<CLS, Sizes::BHS>>>
        ("CLS_asimdmisc", "CLS (vector)"),
    encoding<"0 Q 0 01110 00 10000 00101 10 nnnnn ddddd", decode_q<kBytes<CNT>>>("CNT_asimdmisc", "CNT"),
    encoding<"0 Q 0 01110 zz 10000 00110 10 nnnnn ddddd", decode_size_q<kAddlp<ADDLP<false, true>>>>
        ("SADALP_asimdmisc", "SADALP"),
    encoding<"0 Q 0 01110 zz 10000 00111 10 nnnnn ddddd", decode_size_q<kVec<SQABS, Sizes::BHSD>>>
        ("SQABS_asimdmisc", "SQABS"),
    encoding<"0 Q 0 01110 zz 10000 01000 10 nnnnn ddddd", decode_size_q<kVec<CM_zero<C::GT>, Sizes::BHSD>>>
        ("CMGT_asimdmisc_Z", "CMGT (zero)"),
    encoding<"0 Q 0 01110 zz 10000 01001 10 nnnnn ddddd", decode_size_q<kVec<CM_zero<C::EQ>, Sizes::BHSD>>>
        ("CMEQ_asimdmisc_Z", "CMEQ (zero)"),
    encoding<"0 Q 0 01110 zz 10000 01010 10 nnnnn ddddd", decode_size_q<kVec<CM_zero<C::LT>, Sizes::BHSD>>>
        ("CMLT_asimdmisc_Z", "CMLT (zero)"),
    encoding<"0 Q 0 01110 zz 10000 01011 10 nnnnn ddddd", decode_size_q<kVec<ABS, Sizes::BHSD>>>
        ("ABS_asimdmisc", "ABS"),
    encoding<"0 Q 0 01110 zz 10000 10010 10 nnnnn ddddd", decode_size_q<kNarrow<XTN>>>("XTN_asimdmisc", "XTN, XTN2"),
    encoding<"0 Q 0 01110 zz 10000 10100 10 nnnnn ddddd", decode_size_q<kNarrow<SQXTN>>>
        ("SQXTN_asimdmisc", "SQXTN, SQXTN2"),
    encoding<"0 Q 0 01110 0 s 10000 10110 10 nnnnn ddddd", decode_sz_q<kFcvtn>>("FCVTN_asimdmisc", "FCVTN, FCVTN2"),
    encoding<"0 Q 0 01110 0 s 10000 10111 10 nnnnn ddddd", decode_sz_q<kFcvtl>>("FCVTL_asimdmisc", "FCVTL, FCVTL2"),
    encoding<"0 Q 0 01110 0 s 10000 11000 10 nnnnn ddddd", decode_sz_q<kFpVec<FRINT<R::TIEEVEN, false>>>>
        ("FRINTN_asimdmisc", "FRINTN (vector)"),
    encoding<"0 Q 0 01110 0 s 10000 11001 10 nnnnn ddddd", decode_sz_q<kFpVec<FRINT<R::NEGINF, false>>>>
        ("FRINTM_asimdmisc", "FRINTM (vector)"),
    encoding<"0 Q 0 01110 0 s 10000 11010 10 nnnnn ddddd", decode_sz_q<kFpVec<FCVT_int<R::TIEEVEN, false>>>>
        ("FCVTNS_asimdmisc", "FCVTNS (vector)"),
    encoding<"0 Q 0 01110 0 s 10000 11011 10 nnnnn ddddd", decode_sz_q<kFpVec<FCVT_int<R::NEGINF, false>>>>
        ("FCVTMS_asimdmisc", "FCVTMS (vector)"),
    encoding<"0 Q 0 01110 0 s 10000 11100 10 nnnnn ddddd", decode_sz_q<kFpVec<FCVT_int<R::TIEAWAY, false>>>>
        ("FCVTAS_asimdmisc", "FCVTAS (vector)"),
    encoding<"0 Q 0 01110 0 s 10000 11101 10 nnnnn ddddd", decode_sz_q<kFpVec<CVTF<false>>>>
        ("SCVTF_asimdmisc", "SCVTF (vector, integer)"),
    encoding<"0 Q 0 01110 0 s 10000 11110 10 nnnnn ddddd", decode_UNDEFINED>
        ("FRINT32Z_asimdmisc", "FRINT32Z (vector) (FEAT_FRINTTS: not implemented)"),
    encoding<"0 Q 0 01110 0 s 10000 11111 10 nnnnn ddddd", decode_UNDEFINED>
        ("FRINT64Z_asimdmisc", "FRINT64Z (vector) (FEAT_FRINTTS: not implemented)"),
    encoding<"0 Q 0 01110 1 s 10000 01100 10 nnnnn ddddd", decode_sz_q<kFpVec<FCM_zero<C::GT>>>>
        ("FCMGT_asimdmisc_FZ", "FCMGT (zero)"),
    encoding<"0 Q 0 01110 1 s 10000 01101 10 nnnnn ddddd", decode_sz_q<kFpVec<FCM_zero<C::EQ>>>>
        ("FCMEQ_asimdmisc_FZ", "FCMEQ (zero)"),
    encoding<"0 Q 0 01110 1 s 10000 01110 10 nnnnn ddddd", decode_sz_q<kFpVec<FCM_zero<C::LT>>>>
        ("FCMLT_asimdmisc_FZ", "FCMLT (zero)"),
    encoding<"0 Q 0 01110 1 s 10000 01111 10 nnnnn ddddd", decode_sz_q<kFpVec<FABS>>>("FABS_asimdmisc", "FABS (vector)"),
    encoding<"0 Q 0 01110 1 s 10000 11000 10 nnnnn ddddd", decode_sz_q<kFpVec<FRINT<R::POSINF, false>>>>
        ("FRINTP_asimdmisc", "FRINTP (vector)"),
    encoding<"0 Q 0 01110 1 s 10000 11001 10 nnnnn ddddd", decode_sz_q<kFpVec<FRINT<R::ZERO, false>>>>
        ("FRINTZ_asimdmisc", "FRINTZ (vector)"),
    encoding<"0 Q 0 01110 1 s 10000 11010 10 nnnnn ddddd", decode_sz_q<kFpVec<FCVT_int<R::POSINF, false>>>>
        ("FCVTPS_asimdmisc", "FCVTPS (vector)"),
    encoding<"0 Q 0 01110 1 s 10000 11011 10 nnnnn ddddd", decode_sz_q<kFpVec<FCVT_int<R::ZERO, false>>>>
        ("FCVTZS_asimdmisc_int", "FCVTZS (vector, integer)"),
    encoding<"0 Q 0 01110 1 0 10000 11100 10 nnnnn ddddd", decode_q<kWords<URECPE>>>("URECPE_asimdmisc", "URECPE"),
    encoding<"0 Q 0 01110 1 s 10000 11101 10 nnnnn ddddd", decode_sz_q<kFpVec<FRECPE>>>("FRECPE_asimdmisc", "FRECPE"),
    encoding<"0 Q 0 01110 10 10000 10110 10 nnnnn ddddd", decode_UNDEFINED>
        ("BFCVTN_asimdmisc", "BFCVTN, BFCVTN2 (FEAT_BF16: not implemented)"),
    // Advanced SIMD two-register miscellaneous, U = 1
    encoding<"0 Q 1 01110 zz 10000 00000 10 nnnnn ddddd", decode_size_q<kRev<32>>>("REV32_asimdmisc", "REV32 (vector)"),
    encoding<"0 Q 1 01110 zz 10000 00010 10 nnnnn ddddd", decode_size_q<kAddlp<ADDLP<true, false>>>>
        ("UADDLP_asimdmisc", "UADDLP"),
    encoding<"0 Q 1 01110 zz 10000 00011 10 nnnnn ddddd", decode_size_q<kVec<USQADD, Sizes::BHSD>>>
        ("USQADD_asimdmisc", "USQADD"),
    encoding<"0 Q 1 01110 zz 10000 00100 10 nnnnn ddddd", decode_size_q<kVec<CLZ, Sizes::BHS>>>
        ("CLZ_asimdmisc", "CLZ (vector)"),
    encoding<"0 Q 1 01110 00 10000 00101 10 nnnnn ddddd", decode_q<kBytes<NOT>>>("NOT_asimdmisc", "NOT"),
    encoding<"0 Q 1 01110 01 10000 00101 10 nnnnn ddddd", decode_q<kBytes<RBIT>>>("RBIT_asimdmisc", "RBIT (vector)"),
    encoding<"0 Q 1 01110 zz 10000 00110 10 nnnnn ddddd", decode_size_q<kAddlp<ADDLP<true, true>>>>
        ("UADALP_asimdmisc", "UADALP"),
    encoding<"0 Q 1 01110 zz 10000 00111 10 nnnnn ddddd", decode_size_q<kVec<SQNEG, Sizes::BHSD>>>
        ("SQNEG_asimdmisc", "SQNEG"),
    encoding<"0 Q 1 01110 zz 10000 01000 10 nnnnn ddddd", decode_size_q<kVec<CM_zero<C::GE>, Sizes::BHSD>>>
        ("CMGE_asimdmisc_Z", "CMGE (zero)"),
    encoding<"0 Q 1 01110 zz 10000 01001 10 nnnnn ddddd", decode_size_q<kVec<CM_zero<C::LE>, Sizes::BHSD>>>
        ("CMLE_asimdmisc_Z", "CMLE (zero)"),
    encoding<"0 Q 1 01110 zz 10000 01011 10 nnnnn ddddd", decode_size_q<kVec<NEG, Sizes::BHSD>>>
        ("NEG_asimdmisc", "NEG (vector)"),
    encoding<"0 Q 1 01110 zz 10000 10010 10 nnnnn ddddd", decode_size_q<kNarrow<SQXTUN>>>
        ("SQXTUN_asimdmisc", "SQXTUN, SQXTUN2"),
    encoding<"0 Q 1 01110 zz 10000 10011 10 nnnnn ddddd", decode_size_q<kShll>>("SHLL_asimdmisc", "SHLL, SHLL2"),
    encoding<"0 Q 1 01110 zz 10000 10100 10 nnnnn ddddd", decode_size_q<kNarrow<UQXTN>>>
        ("UQXTN_asimdmisc", "UQXTN, UQXTN2"),
    encoding<"0 Q 1 01110 0 1 10000 10110 10 nnnnn ddddd", decode_q<kFcvtxn>>("FCVTXN_asimdmisc", "FCVTXN, FCVTXN2"),
    encoding<"0 Q 1 01110 0 s 10000 11000 10 nnnnn ddddd", decode_sz_q<kFpVec<FRINT<R::TIEAWAY, false>>>>
        ("FRINTA_asimdmisc", "FRINTA (vector)"),
    encoding<"0 Q 1 01110 0 s 10000 11001 10 nnnnn ddddd", decode_sz_q<kFpVec<FRINT<R::FPCR, true>>>>
        ("FRINTX_asimdmisc", "FRINTX (vector)"),
    encoding<"0 Q 1 01110 0 s 10000 11010 10 nnnnn ddddd", decode_sz_q<kFpVec<FCVT_int<R::TIEEVEN, true>>>>
        ("FCVTNU_asimdmisc", "FCVTNU (vector)"),
    encoding<"0 Q 1 01110 0 s 10000 11011 10 nnnnn ddddd", decode_sz_q<kFpVec<FCVT_int<R::NEGINF, true>>>>
        ("FCVTMU_asimdmisc", "FCVTMU (vector)"),
    encoding<"0 Q 1 01110 0 s 10000 11100 10 nnnnn ddddd", decode_sz_q<kFpVec<FCVT_int<R::TIEAWAY, true>>>>
        ("FCVTAU_asimdmisc", "FCVTAU (vector)"),
    encoding<"0 Q 1 01110 0 s 10000 11101 10 nnnnn ddddd", decode_sz_q<kFpVec<CVTF<true>>>>
        ("UCVTF_asimdmisc", "UCVTF (vector, integer)"),
    encoding<"0 Q 1 01110 0 s 10000 11110 10 nnnnn ddddd", decode_UNDEFINED>
        ("FRINT32X_asimdmisc", "FRINT32X (vector) (FEAT_FRINTTS: not implemented)"),
    encoding<"0 Q 1 01110 0 s 10000 11111 10 nnnnn ddddd", decode_UNDEFINED>
        ("FRINT64X_asimdmisc", "FRINT64X (vector) (FEAT_FRINTTS: not implemented)"),
    encoding<"0 Q 1 01110 1 s 10000 01100 10 nnnnn ddddd", decode_sz_q<kFpVec<FCM_zero<C::GE>>>>
        ("FCMGE_asimdmisc_FZ", "FCMGE (zero)"),
    encoding<"0 Q 1 01110 1 s 10000 01101 10 nnnnn ddddd", decode_sz_q<kFpVec<FCM_zero<C::LE>>>>
        ("FCMLE_asimdmisc_FZ", "FCMLE (zero)"),
    encoding<"0 Q 1 01110 1 s 10000 01111 10 nnnnn ddddd", decode_sz_q<kFpVec<FNEG>>>("FNEG_asimdmisc", "FNEG (vector)"),
    encoding<"0 Q 1 01110 1 s 10000 11001 10 nnnnn ddddd", decode_sz_q<kFpVec<FRINT<R::FPCR, false>>>>
        ("FRINTI_asimdmisc", "FRINTI (vector)"),
    encoding<"0 Q 1 01110 1 s 10000 11010 10 nnnnn ddddd", decode_sz_q<kFpVec<FCVT_int<R::POSINF, true>>>>
        ("FCVTPU_asimdmisc", "FCVTPU (vector)"),
    encoding<"0 Q 1 01110 1 s 10000 11011 10 nnnnn ddddd", decode_sz_q<kFpVec<FCVT_int<R::ZERO, true>>>>
        ("FCVTZU_asimdmisc_int", "FCVTZU (vector, integer)"),
    encoding<"0 Q 1 01110 1 0 10000 11100 10 nnnnn ddddd", decode_q<kWords<URSQRTE>>>("URSQRTE_asimdmisc", "URSQRTE"),
    encoding<"0 Q 1 01110 1 s 10000 11101 10 nnnnn ddddd", decode_sz_q<kFpVec<FRSQRTE>>>
        ("FRSQRTE_asimdmisc", "FRSQRTE"),
    encoding<"0 Q 1 01110 1 s 10000 11111 10 nnnnn ddddd", decode_sz_q<kFpVec<FSQRT>>>
        ("FSQRT_asimdmisc", "FSQRT (vector)"),
    // Advanced SIMD two-register miscellaneous (FP16)
    encoding<"0 Q U 01110 a 1111 00 ooooo 10 nnnnn ddddd", decode_UNDEFINED>
        ("asimdmiscfp16", "Advanced SIMD two-register miscellaneous (FP16) (FEAT_FP16: not implemented)"),

    // Advanced SIMD scalar two-register miscellaneous, U = 0
    encoding<"01 0 11110 zz 10000 00011 10 nnnnn ddddd", decode_size<kScalar<SUQADD>>>("SUQADD_asisdmisc", "SUQADD"),
    encoding<"01 0 11110 zz 10000 00111 10 nnnnn ddddd", decode_size<kScalar<SQABS>>>("SQABS_asisdmisc", "SQABS"),
    encoding<"01 0 11110 11 10000 01000 10 nnnnn ddddd", decode_fixed<G<ELEMENTWISE<64, 1, CM_zero<C::GT>>>>>
        ("CMGT_asisdmisc_Z", "CMGT (zero)"),
    encoding<"01 0 11110 11 10000 01001 10 nnnnn ddddd", decode_fixed<G<ELEMENTWISE<64, 1, CM_zero<C::EQ>>>>>
        ("CMEQ_asisdmisc_Z", "CMEQ (zero)"),
    encoding<"01 0 11110 11 10000 01010 10 nnnnn ddddd", decode_fixed<G<ELEMENTWISE<64, 1, CM_zero<C::LT>>>>>
        ("CMLT_asisdmisc_Z", "CMLT (zero)"),
    encoding<"01 0 11110 11 10000 01011 10 nnnnn ddddd", decode_fixed<G<ELEMENTWISE<64, 1, ABS>>>>
        ("ABS_asisdmisc", "ABS"),
    encoding<"01 0 11110 zz 10000 10100 10 nnnnn ddddd", decode_size<kNarrowScalar<SQXTN>>>
        ("SQXTN_asisdmisc", "SQXTN"),
    encoding<"01 0 11110 0 s 10000 11010 10 nnnnn ddddd", decode_sz<kFpScalar<FCVT_int<R::TIEEVEN, false>>>>
        ("FCVTNS_asisdmisc", "FCVTNS (vector)"),
    encoding<"01 0 11110 0 s 10000 11011 10 nnnnn ddddd", decode_sz<kFpScalar<FCVT_int<R::NEGINF, false>>>>
        ("FCVTMS_asisdmisc", "FCVTMS (vector)"),
    encoding<"01 0 11110 0 s 10000 11100 10 nnnnn ddddd", decode_sz<kFpScalar<FCVT_int<R::TIEAWAY, false>>>>
        ("FCVTAS_asisdmisc", "FCVTAS (vector)"),
    encoding<"01 0 11110 0 s 10000 11101 10 nnnnn ddddd", decode_sz<kFpScalar<CVTF<false>>>>
        ("SCVTF_asisdmisc", "SCVTF (vector, integer)"),
    encoding<"01 0 11110 1 s 10000 01100 10 nnnnn ddddd", decode_sz<kFpScalar<FCM_zero<C::GT>>>>
        ("FCMGT_asisdmisc_FZ", "FCMGT (zero)"),
    encoding<"01 0 11110 1 s 10000 01101 10 nnnnn ddddd", decode_sz<kFpScalar<FCM_zero<C::EQ>>>>
        ("FCMEQ_asisdmisc_FZ", "FCMEQ (zero)"),
    encoding<"01 0 11110 1 s 10000 01110 10 nnnnn ddddd", decode_sz<kFpScalar<FCM_zero<C::LT>>>>
        ("FCMLT_asisdmisc_FZ", "FCMLT (zero)"),
    encoding<"01 0 11110 1 s 10000 11010 10 nnnnn ddddd", decode_sz<kFpScalar<FCVT_int<R::POSINF, false>>>>
        ("FCVTPS_asisdmisc", "FCVTPS (vector)"),
    encoding<"01 0 11110 1 s 10000 11011 10 nnnnn ddddd", decode_sz<kFpScalar<FCVT_int<R::ZERO, false>>>>
        ("FCVTZS_asisdmisc_int", "FCVTZS (vector, integer)"),
    encoding<"01 0 11110 1 s 10000 11101 10 nnnnn ddddd", decode_sz<kFpScalar<FRECPE>>>("FRECPE_asisdmisc", "FRECPE"),
    encoding<"01 0 11110 1 s 10000 11111 10 nnnnn ddddd", decode_sz<kFpScalar<FRECPX>>>("FRECPX_asisdmisc", "FRECPX"),
    // Advanced SIMD scalar two-register miscellaneous, U = 1
    encoding<"01 1 11110 zz 10000 00011 10 nnnnn ddddd", decode_size<kScalar<USQADD>>>("USQADD_asisdmisc", "USQADD"),
    encoding<"01 1 11110 zz 10000 00111 10 nnnnn ddddd", decode_size<kScalar<SQNEG>>>("SQNEG_asisdmisc", "SQNEG"),
    encoding<"01 1 11110 11 10000 01000 10 nnnnn ddddd", decode_fixed<G<ELEMENTWISE<64, 1, CM_zero<C::GE>>>>>
        ("CMGE_asisdmisc_Z", "CMGE (zero)"),
    encoding<"01 1 11110 11 10000 01001 10 nnnnn ddddd", decode_fixed<G<ELEMENTWISE<64, 1, CM_zero<C::LE>>>>>
        ("CMLE_asisdmisc_Z", "CMLE (zero)"),
    encoding<"01 1 11110 11 10000 01011 10 nnnnn ddddd", decode_fixed<G<ELEMENTWISE<64, 1, NEG>>>>
        ("NEG_asisdmisc", "NEG (vector)"),
    encoding<"01 1 11110 zz 10000 10010 10 nnnnn ddddd", decode_size<kNarrowScalar<SQXTUN>>>
        ("SQXTUN_asisdmisc", "SQXTUN"),
    encoding<"01 1 11110 zz 10000 10100 10 nnnnn ddddd", decode_size<kNarrowScalar<UQXTN>>>
        ("UQXTN_asisdmisc", "UQXTN"),
    encoding<"01 1 11110 0 1 10000 10110 10 nnnnn ddddd", decode_fixed<G<NARROW<32, 1, 0, FCVTN<true>>>>>
        ("FCVTXN_asisdmisc", "FCVTXN"),
    encoding<"01 1 11110 0 s 10000 11010 10 nnnnn ddddd", decode_sz<kFpScalar<FCVT_int<R::TIEEVEN, true>>>>
        ("FCVTNU_asisdmisc", "FCVTNU (vector)"),
    encoding<"01 1 11110 0 s 10000 11011 10 nnnnn ddddd", decode_sz<kFpScalar<FCVT_int<R::NEGINF, true>>>>
        ("FCVTMU_asisdmisc", "FCVTMU (vector)"),
    encoding<"01 1 11110 0 s 10000 11100 10 nnnnn ddddd", decode_sz<kFpScalar<FCVT_int<R::TIEAWAY, true>>>>
        ("FCVTAU_asisdmisc", "FCVTAU (vector)"),
    encoding<"01 1 11110 0 s 10000 11101 10 nnnnn ddddd", decode_sz<kFpScalar<CVTF<true>>>>
        ("UCVTF_asisdmisc", "UCVTF (vector, integer)"),
    encoding<"01 1 11110 1 s 10000 01100 10 nnnnn ddddd", decode_sz<kFpScalar<FCM_zero<C::GE>>>>
        ("FCMGE_asisdmisc_FZ", "FCMGE (zero)"),
    encoding<"01 1 11110 1 s 10000 01101 10 nnnnn ddddd", decode_sz<kFpScalar<FCM_zero<C::LE>>>>
        ("FCMLE_asisdmisc_FZ", "FCMLE (zero)"),
    encoding<"01 1 11110 1 s 10000 11010 10 nnnnn ddddd", decode_sz<kFpScalar<FCVT_int<R::POSINF, true>>>>
        ("FCVTPU_asisdmisc", "FCVTPU (vector)"),
    encoding<"01 1 11110 1 s 10000 11011 10 nnnnn ddddd", decode_sz<kFpScalar<FCVT_int<R::ZERO, true>>>>
        ("FCVTZU_asisdmisc_int", "FCVTZU (vector, integer)"),
    encoding<"01 1 11110 1 s 10000 11101 10 nnnnn ddddd", decode_sz<kFpScalar<FRSQRTE>>>
        ("FRSQRTE_asisdmisc", "FRSQRTE"),
    // Advanced SIMD scalar two-register miscellaneous (FP16)
    encoding<"01 U 11110 a 1111 00 ooooo 10 nnnnn ddddd", decode_UNDEFINED>
        ("asisdmiscfp16", "Advanced SIMD scalar two-register miscellaneous (FP16) (FEAT_FP16: not implemented)"),

    // Advanced SIMD across lanes
    encoding<"0 Q 0 01110 zz 11000 00011 10 nnnnn ddddd", decode_size_q<kAddlv<false>>>("SADDLV_asimdall", "SADDLV"),
    encoding<"0 Q 0 01110 zz 11000 01010 10 nnnnn ddddd", decode_size_q<kAcross<MAXMIN<false, true>>>>
        ("SMAXV_asimdall", "SMAXV"),
    encoding<"0 Q 0 01110 zz 11000 11010 10 nnnnn ddddd", decode_size_q<kAcross<MAXMIN<false, false>>>>
        ("SMINV_asimdall", "SMINV"),
    encoding<"0 Q 0 01110 zz 11000 11011 10 nnnnn ddddd", decode_size_q<kAcross<ADD>>>("ADDV_asimdall", "ADDV"),
    encoding<"0 Q 0 01110 0 0 11000 01100 10 nnnnn ddddd", decode_UNDEFINED>
        ("FMAXNMV_asimdall_H", "FMAXNMV (half-precision) (FEAT_FP16: not implemented)"),
    encoding<"0 Q 0 01110 0 0 11000 01111 10 nnnnn ddddd", decode_UNDEFINED>
        ("FMAXV_asimdall_H", "FMAXV (half-precision) (FEAT_FP16: not implemented)"),
    encoding<"0 Q 0 01110 1 0 11000 01100 10 nnnnn ddddd", decode_UNDEFINED>
        ("FMINNMV_asimdall_H", "FMINNMV (half-precision) (FEAT_FP16: not implemented)"),
    encoding<"0 Q 0 01110 1 0 11000 01111 10 nnnnn ddddd", decode_UNDEFINED>
        ("FMINV_asimdall_H", "FMINV (half-precision) (FEAT_FP16: not implemented)"),
    encoding<"0 Q 1 01110 zz 11000 00011 10 nnnnn ddddd", decode_size_q<kAddlv<true>>>("UADDLV_asimdall", "UADDLV"),
    encoding<"0 Q 1 01110 zz 11000 01010 10 nnnnn ddddd", decode_size_q<kAcross<MAXMIN<true, true>>>>
        ("UMAXV_asimdall", "UMAXV"),
    encoding<"0 Q 1 01110 zz 11000 11010 10 nnnnn ddddd", decode_size_q<kAcross<MAXMIN<true, false>>>>
        ("UMINV_asimdall", "UMINV"),
    // FP across lanes: only sz:Q = 01 (four singles) is allocated.
    encoding<"0 1 1 01110 0 0 11000 01100 10 nnnnn ddddd", decode_fixed<G<REDUCE<32, 4, FREDUCE<ReduceOp::FMAXNUM>>>>>
        ("FMAXNMV_asimdall", "FMAXNMV"),
    encoding<"0 1 1 01110 0 0 11000 01111 10 nnnnn ddddd", decode_fixed<G<REDUCE<32, 4, FREDUCE<ReduceOp::FMAX>>>>>
        ("FMAXV_asimdall", "FMAXV"),
    encoding<"0 1 1 01110 1 0 11000 01100 10 nnnnn ddddd", decode_fixed<G<REDUCE<32, 4, FREDUCE<ReduceOp::FMINNUM>>>>>
        ("FMINNMV_asimdall", "FMINNMV"),
    encoding<"0 1 1 01110 1 0 11000 01111 10 nnnnn ddddd", decode_fixed<G<REDUCE<32, 4, FREDUCE<ReduceOp::FMIN>>>>>
        ("FMINV_asimdall", "FMINV"),

    // Advanced SIMD scalar pairwise
    encoding<"01 0 11110 11 11000 11011 10 nnnnn ddddd", decode_fixed<G<REDUCE<64, 2, ADD>>>>
        ("ADDP_asisdpair", "ADDP (scalar)"),
    encoding<"01 0 11110 0 0 11000 01100 10 nnnnn ddddd", decode_UNDEFINED>
        ("FMAXNMP_asisdpair_H", "FMAXNMP (scalar, half-precision) (FEAT_FP16: not implemented)"),
    encoding<"01 0 11110 0 0 11000 01101 10 nnnnn ddddd", decode_UNDEFINED>
        ("FADDP_asisdpair_H", "FADDP (scalar, half-precision) (FEAT_FP16: not implemented)"),
    encoding<"01 0 11110 0 0 11000 01111 10 nnnnn ddddd", decode_UNDEFINED>
        ("FMAXP_asisdpair_H", "FMAXP (scalar, half-precision) (FEAT_FP16: not implemented)"),
    encoding<"01 0 11110 1 0 11000 01100 10 nnnnn ddddd", decode_UNDEFINED>
        ("FMINNMP_asisdpair_H", "FMINNMP (scalar, half-precision) (FEAT_FP16: not implemented)"),
    encoding<"01 0 11110 1 0 11000 01111 10 nnnnn ddddd", decode_UNDEFINED>
        ("FMINP_asisdpair_H", "FMINP (scalar, half-precision) (FEAT_FP16: not implemented)"),
    encoding<"01 1 11110 0 s 11000 01100 10 nnnnn ddddd", decode_sz<kPair<ReduceOp::FMAXNUM>>>
        ("FMAXNMP_asisdpair", "FMAXNMP (scalar)"),
    encoding<"01 1 11110 0 s 11000 01101 10 nnnnn ddddd", decode_sz<kPair<ReduceOp::FADD>>>
        ("FADDP_asisdpair", "FADDP (scalar)"),
    encoding<"01 1 11110 0 s 11000 01111 10 nnnnn ddddd", decode_sz<kPair<ReduceOp::FMAX>>>
        ("FMAXP_asisdpair", "FMAXP (scalar)"),
    encoding<"01 1 11110 1 s 11000 01100 10 nnnnn ddddd", decode_sz<kPair<ReduceOp::FMINNUM>>>
        ("FMINNMP_asisdpair", "FMINNMP (scalar)"),
    encoding<"01 1 11110 1 s 11000 01111 10 nnnnn ddddd", decode_sz<kPair<ReduceOp::FMIN>>>
        ("FMINP_asisdpair", "FMINP (scalar)"),
};

}  // namespace

std::span<const Encoding> encodings_simd_misc() { return kTable; }

}  // namespace cpu
