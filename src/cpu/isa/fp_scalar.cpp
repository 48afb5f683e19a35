// A64 encoding index: the scalar floating-point classes of "Data Processing
// -- Scalar Floating-Point and Advanced SIMD" (DDI 0487 K.a, C4.1.96), in
// the manual's order, one row per instruction. The class decoders and
// handlers are in fp_dp.cpp, fp_compare_select.cpp and fp_convert.cpp
// (fp_scalar.h).
//
// Every row fixes bit 30 = 0 and bits 28:25 = 1111 (op0 = x0x1), so none
// overlaps the Advanced SIMD groups; M (bit 31 outside the conversions) and
// S (bit 29) are 0, their other values unallocated. Reserved ftype values
// (10; 11, FEAT_FP16, outside FCVT) are refused by the class decoders, so
// those words are UNDEFINED; encodings of features this PE lacks
// (FEAT_FRINTTS, FEAT_BF16, FEAT_JSCVT) have rows that raise UNDEFINED.
//
// Pattern letters (decode.h): t ftype, o the class's opcode (fixed by each
// row), f sf, r rmode, s scale, m Rm, a Ra, n Rn, d Rd, c cond, v nzcv,
// i imm8.
#include "cpu/isa/fp_scalar.h"

#include "cpu/decode.h"

namespace cpu {

namespace {
using namespace fpscalar;

// The row decoder: reads the letters the row's pattern has into the class
// view and hands it to the class decoder D.
template <void (*D)(const FpFields&, Insn&), Pattern P>
void fp_row(Word<P> w, Insn& o) {
    FpFields f;
    if constexpr (P.has('t')) f.ftype = field<'t'>(w);
    if constexpr (P.has('o')) f.opcode = field<'o'>(w);
    if constexpr (P.has('f')) f.sf = field<'f'>(w);
    if constexpr (P.has('r')) f.rmode = field<'r'>(w);
    if constexpr (P.has('s')) f.scale = field<'s'>(w);
    if constexpr (P.has('d')) f.rd = field<'d'>(w);
    if constexpr (P.has('n')) f.rn = field<'n'>(w);
    if constexpr (P.has('m')) f.rm = field<'m'>(w);
    if constexpr (P.has('a')) f.ra = field<'a'>(w);
    if constexpr (P.has('c')) f.cond = field<'c'>(w);
    if constexpr (P.has('v')) f.nzcv = field<'v'>(w);
    if constexpr (P.has('i')) f.imm8 = field<'i'>(w);
    D(f, o);
}

constexpr Encoding kTable[] = {
    // Conversion between floating-point and fixed-point
    encoding<"f 0 0 11110 tt 0 r=11 o=000 ssssss nnnnn ddddd", fp_row<decode_fp_fixed>>
        ("FCVTZS_float_fix", "FCVTZS (scalar, fixed-point)"),
    encoding<"f 0 0 11110 tt 0 r=11 o=001 ssssss nnnnn ddddd", fp_row<decode_fp_fixed>>
        ("FCVTZU_float_fix", "FCVTZU (scalar, fixed-point)"),
    encoding<"f 0 0 11110 tt 0 r=00 o=010 ssssss nnnnn ddddd", fp_row<decode_fp_fixed>>
        ("SCVTF_float_fix", "SCVTF (scalar, fixed-point)"),
    encoding<"f 0 0 11110 tt 0 r=00 o=011 ssssss nnnnn ddddd", fp_row<decode_fp_fixed>>
        ("UCVTF_float_fix", "UCVTF (scalar, fixed-point)"),

    // Conversion between floating-point and integer
    encoding<"f 0 0 11110 tt 1 r=00 o=000 000000 nnnnn ddddd", fp_row<decode_fp_int>>
        ("FCVTNS_float", "FCVTNS (scalar)"),
    encoding<"f 0 0 11110 tt 1 r=00 o=001 000000 nnnnn ddddd", fp_row<decode_fp_int>>
        ("FCVTNU_float", "FCVTNU (scalar)"),
    encoding<"f 0 0 11110 tt 1 r=00 o=010 000000 nnnnn ddddd", fp_row<decode_fp_int>>
        ("SCVTF_float_int", "SCVTF (scalar, integer)"),
    encoding<"f 0 0 11110 tt 1 r=00 o=011 000000 nnnnn ddddd", fp_row<decode_fp_int>>
        ("UCVTF_float_int", "UCVTF (scalar, integer)"),
    encoding<"f 0 0 11110 tt 1 r=00 o=100 000000 nnnnn ddddd", fp_row<decode_fp_int>>
        ("FCVTAS_float", "FCVTAS (scalar)"),
    encoding<"f 0 0 11110 tt 1 r=00 o=101 000000 nnnnn ddddd", fp_row<decode_fp_int>>
        ("FCVTAU_float", "FCVTAU (scalar)"),
    encoding<"f 0 0 11110 tt 1 r=00 o=110 000000 nnnnn ddddd", fp_row<decode_fp_fmov_general>>
        ("FMOV_float_gen_to", "FMOV (general), to a general register"),
    encoding<"f 0 0 11110 tt 1 r=00 o=111 000000 nnnnn ddddd", fp_row<decode_fp_fmov_general>>
        ("FMOV_float_gen_from", "FMOV (general), from a general register"),
    encoding<"f 0 0 11110 tt 1 r=01 o=000 000000 nnnnn ddddd", fp_row<decode_fp_int>>
        ("FCVTPS_float", "FCVTPS (scalar)"),
    encoding<"f 0 0 11110 tt 1 r=01 o=001 000000 nnnnn ddddd", fp_row<decode_fp_int>>
        ("FCVTPU_float", "FCVTPU (scalar)"),
    encoding<"f=1 0 0 11110 t=10 1 r=01 o=110 000000 nnnnn ddddd", fp_row<decode_fp_fmov_general>>
        ("FMOV_float_gen_to_top", "FMOV (general), Xd from Vn.D[1]"),
    encoding<"f=1 0 0 11110 t=10 1 r=01 o=111 000000 nnnnn ddddd", fp_row<decode_fp_fmov_general>>
        ("FMOV_float_gen_from_top", "FMOV (general), Vd.D[1] from Xn"),
    encoding<"f 0 0 11110 tt 1 r=10 o=000 000000 nnnnn ddddd", fp_row<decode_fp_int>>
        ("FCVTMS_float", "FCVTMS (scalar)"),
    encoding<"f 0 0 11110 tt 1 r=10 o=001 000000 nnnnn ddddd", fp_row<decode_fp_int>>
        ("FCVTMU_float", "FCVTMU (scalar)"),
    encoding<"f 0 0 11110 tt 1 r=11 o=000 000000 nnnnn ddddd", fp_row<decode_fp_int>>
        ("FCVTZS_float_int", "FCVTZS (scalar, integer)"),
    encoding<"f 0 0 11110 tt 1 r=11 o=001 000000 nnnnn ddddd", fp_row<decode_fp_int>>
        ("FCVTZU_float_int", "FCVTZU (scalar, integer)"),
    encoding<"0 0 0 11110 01 1 11 110 000000 nnnnn ddddd", decode_UNDEFINED>
        ("FJCVTZS", "FJCVTZS (FEAT_JSCVT: not implemented)"),

    // Floating-point data-processing (1 source)
    encoding<"0 0 0 11110 tt 1 o=000000 10000 nnnnn ddddd", fp_row<decode_fp_dp1>>
        ("FMOV_float_reg", "FMOV (register)"),
    encoding<"0 0 0 11110 tt 1 o=000001 10000 nnnnn ddddd", fp_row<decode_fp_dp1>>
        ("FABS_float", "FABS (scalar)"),
    encoding<"0 0 0 11110 tt 1 o=000010 10000 nnnnn ddddd", fp_row<decode_fp_dp1>>
        ("FNEG_float", "FNEG (scalar)"),
    encoding<"0 0 0 11110 tt 1 o=000011 10000 nnnnn ddddd", fp_row<decode_fp_dp1>>
        ("FSQRT_float", "FSQRT (scalar)"),
    encoding<"0 0 0 11110 tt 1 0001 oo 10000 nnnnn ddddd", fp_row<decode_fp_fcvt>>
        ("FCVT_float", "FCVT"),
    encoding<"0 0 0 11110 01 1 000110 10000 nnnnn ddddd", decode_UNDEFINED>
        ("BFCVT_float", "BFCVT (FEAT_BF16: not implemented)"),
    encoding<"0 0 0 11110 tt 1 o=001000 10000 nnnnn ddddd", fp_row<decode_fp_dp1>>
        ("FRINTN_float", "FRINTN (scalar)"),
    encoding<"0 0 0 11110 tt 1 o=001001 10000 nnnnn ddddd", fp_row<decode_fp_dp1>>
        ("FRINTP_float", "FRINTP (scalar)"),
    encoding<"0 0 0 11110 tt 1 o=001010 10000 nnnnn ddddd", fp_row<decode_fp_dp1>>
        ("FRINTM_float", "FRINTM (scalar)"),
    encoding<"0 0 0 11110 tt 1 o=001011 10000 nnnnn ddddd", fp_row<decode_fp_dp1>>
        ("FRINTZ_float", "FRINTZ (scalar)"),
    encoding<"0 0 0 11110 tt 1 o=001100 10000 nnnnn ddddd", fp_row<decode_fp_dp1>>
        ("FRINTA_float", "FRINTA (scalar)"),
    encoding<"0 0 0 11110 tt 1 o=001110 10000 nnnnn ddddd", fp_row<decode_fp_dp1>>
        ("FRINTX_float", "FRINTX (scalar)"),
    encoding<"0 0 0 11110 tt 1 o=001111 10000 nnnnn ddddd", fp_row<decode_fp_dp1>>
        ("FRINTI_float", "FRINTI (scalar)"),
    encoding<"0 0 0 11110 tt 1 010000 10000 nnnnn ddddd", decode_UNDEFINED>
        ("FRINT32Z_float", "FRINT32Z (scalar) (FEAT_FRINTTS: not implemented)"),
    encoding<"0 0 0 11110 tt 1 010001 10000 nnnnn ddddd", decode_UNDEFINED>
        ("FRINT32X_float", "FRINT32X (scalar) (FEAT_FRINTTS: not implemented)"),
    encoding<"0 0 0 11110 tt 1 010010 10000 nnnnn ddddd", decode_UNDEFINED>
        ("FRINT64Z_float", "FRINT64Z (scalar) (FEAT_FRINTTS: not implemented)"),
    encoding<"0 0 0 11110 tt 1 010011 10000 nnnnn ddddd", decode_UNDEFINED>
        ("FRINT64X_float", "FRINT64X (scalar) (FEAT_FRINTTS: not implemented)"),

    // Floating-point compare (opc: E, then the compare with #0.0)
    encoding<"0 0 0 11110 tt 1 mmmmm 00 1000 nnnnn o=00 000", fp_row<decode_fp_cmp>>
        ("FCMP_float", "FCMP"),
    encoding<"0 0 0 11110 tt 1 mmmmm 00 1000 nnnnn o=01 000", fp_row<decode_fp_cmp>>
        ("FCMP_float_zero", "FCMP, with #0.0"),
    encoding<"0 0 0 11110 tt 1 mmmmm 00 1000 nnnnn o=10 000", fp_row<decode_fp_cmp>>
        ("FCMPE_float", "FCMPE"),
    encoding<"0 0 0 11110 tt 1 mmmmm 00 1000 nnnnn o=11 000", fp_row<decode_fp_cmp>>
        ("FCMPE_float_zero", "FCMPE, with #0.0"),

    // Floating-point immediate
    encoding<"0 0 0 11110 tt 1 iiiiiiii 100 00000 ddddd", fp_row<decode_fp_imm>>
        ("FMOV_float_imm", "FMOV (scalar, immediate)"),

    // Floating-point conditional compare
    encoding<"0 0 0 11110 tt 1 mmmmm cccc 01 nnnnn o=0 vvvv", fp_row<decode_fp_ccmp>>
        ("FCCMP_float", "FCCMP"),
    encoding<"0 0 0 11110 tt 1 mmmmm cccc 01 nnnnn o=1 vvvv", fp_row<decode_fp_ccmp>>
        ("FCCMPE_float", "FCCMPE"),

    // Floating-point data-processing (2 source)
    encoding<"0 0 0 11110 tt 1 mmmmm o=0000 10 nnnnn ddddd", fp_row<decode_fp_dp2>>
        ("FMUL_float", "FMUL (scalar)"),
    encoding<"0 0 0 11110 tt 1 mmmmm o=0001 10 nnnnn ddddd", fp_row<decode_fp_dp2>>
        ("FDIV_float", "FDIV (scalar)"),
    encoding<"0 0 0 11110 tt 1 mmmmm o=0010 10 nnnnn ddddd", fp_row<decode_fp_dp2>>
        ("FADD_float", "FADD (scalar)"),
    encoding<"0 0 0 11110 tt 1 mmmmm o=0011 10 nnnnn ddddd", fp_row<decode_fp_dp2>>
        ("FSUB_float", "FSUB (scalar)"),
    encoding<"0 0 0 11110 tt 1 mmmmm o=0100 10 nnnnn ddddd", fp_row<decode_fp_dp2>>
        ("FMAX_float", "FMAX (scalar)"),
    encoding<"0 0 0 11110 tt 1 mmmmm o=0101 10 nnnnn ddddd", fp_row<decode_fp_dp2>>
        ("FMIN_float", "FMIN (scalar)"),
    encoding<"0 0 0 11110 tt 1 mmmmm o=0110 10 nnnnn ddddd", fp_row<decode_fp_dp2>>
        ("FMAXNM_float", "FMAXNM (scalar)"),
    encoding<"0 0 0 11110 tt 1 mmmmm o=0111 10 nnnnn ddddd", fp_row<decode_fp_dp2>>
        ("FMINNM_float", "FMINNM (scalar)"),
    encoding<"0 0 0 11110 tt 1 mmmmm o=1000 10 nnnnn ddddd", fp_row<decode_fp_dp2>>
        ("FNMUL_float", "FNMUL (scalar)"),

    // Floating-point conditional select
    encoding<"0 0 0 11110 tt 1 mmmmm cccc 11 nnnnn ddddd", fp_row<decode_fp_csel>>
        ("FCSEL_float", "FCSEL"),

    // Floating-point data-processing (3 source): opcode = o1:o0
    encoding<"0 0 0 11111 tt o=0 mmmmm o=0 aaaaa nnnnn ddddd", fp_row<decode_fp_dp3>>
        ("FMADD_float", "FMADD"),
    encoding<"0 0 0 11111 tt o=0 mmmmm o=1 aaaaa nnnnn ddddd", fp_row<decode_fp_dp3>>
        ("FMSUB_float", "FMSUB"),
    encoding<"0 0 0 11111 tt o=1 mmmmm o=0 aaaaa nnnnn ddddd", fp_row<decode_fp_dp3>>
        ("FNMADD_float", "FNMADD"),
    encoding<"0 0 0 11111 tt o=1 mmmmm o=1 aaaaa nnnnn ddddd", fp_row<decode_fp_dp3>>
        ("FNMSUB_float", "FNMSUB"),
};

}  // namespace

std::span<const Encoding> encodings_fp_scalar() { return kTable; }

}  // namespace cpu
