// A64 encoding index: Loads and Stores (DDI 0487 K.a, C4.1 "A64
// instruction set encoding"), in the manual's order, general-purpose forms
// (the SIMD&FP ones, V = 1, are simd_ls.cpp's). Each class decodes to the
// handlers in ls_single.cpp, ls_pair.cpp, ls_exclusive.cpp and
// ls_atomic.cpp; encodings of features this model does not implement have
// entries that raise UNDEFINED: FEAT_MTE, FEAT_LS64, FEAT_LOR, FEAT_LRCPC2,
// FEAT_PAuth (LDRAA/LDRAB), FEAT_MOPS.
//
// Every pattern fixes bit 27 = 1 and bit 25 = 0 (op0 = x1x0), so none
// overlaps another group; within the group no two patterns overlap
// (tests/cpu/ls_table_test.cpp). Unallocated size/opc combinations have no
// entry. Pattern letters (decode.h): z size, o opc, L the load bit, p o3:opc
// of the atomics, s Rs, u Rt2, m Rm, x option, S the register-offset shift,
// a/r acquire/release (r = o0), i immediate, n Rn, t Rt, y other fields.
// "z=00" names fixed bits as a field's, so one class decoder reads size and
// opc in every row of its class.
#include "cpu/decode.h"
#include "cpu/isa/ls_common.h"

namespace cpu {

namespace {
using namespace ls;

// Row decoders of the other classes (the single-register and pair ones are
// in ls_common.h, shared with the SIMD&FP rows).
template <void (*D)(const LsExclFields&, Insn&), Pattern P>
void excl(Word<P> w, Insn& o) {
    D({.size = field<'z'>(w), .l = field<'L'>(w), .rs = field<'s'>(w), .rt2 = field<'u'>(w),
       .rn = field<'n'>(w), .rt = field<'t'>(w), .o0 = bool(field<'r'>(w))},
      o);
}
template <void (*D)(const LsAtomicFields&, Insn&), Pattern P>
void cas(Word<P> w, Insn& o) {
    D({.size = field<'z'>(w), .rs = field<'s'>(w), .rn = field<'n'>(w), .rt = field<'t'>(w)}, o);
}
template <void (*D)(const LsAtomicFields&, Insn&), Pattern P>
void atomic(Word<P> w, Insn& o) {
    D({.size = field<'z'>(w), .rs = field<'s'>(w), .rn = field<'n'>(w), .rt = field<'t'>(w),
       .sel = field<'p'>(w)},
      o);
}

constexpr Encoding kLoadStore[] = {
    // Compare and swap pair
    encoding<"0z 001000 0a1 sssss r 11111 nnnnn ttttt", cas<decode_ls_casp>>
        ("CASP", "CASP, CASPA, CASPAL, CASPL").needs(Feature::LSE),

    // Load/store memory tags
    encoding<"11011001 yy1 yyyyyyyyy yy yyyyy yyyyy", decode_UNDEFINED>
        ("MTE_ldst_tags", "Load/store memory tags (FEAT_MTE not implemented)"),

    // Load/store exclusive pair
    encoding<"1z 001000 0 L=0 1 sssss r uuuuu nnnnn ttttt", excl<decode_ls_excl_pair>>
        ("STXP", "STXP, STLXP"),
    encoding<"1z 001000 0 L=1 1 sssss r uuuuu nnnnn ttttt", excl<decode_ls_excl_pair>>
        ("LDXP", "LDXP, LDAXP"),

    // Load/store exclusive register
    encoding<"z=00 001000 0 L=0 0 sssss r uuuuu nnnnn ttttt", excl<decode_ls_excl>>
        ("STXRB", "STXRB, STLXRB"),
    encoding<"z=00 001000 0 L=1 0 sssss r uuuuu nnnnn ttttt", excl<decode_ls_excl>>
        ("LDXRB", "LDXRB, LDAXRB"),
    encoding<"z=01 001000 0 L=0 0 sssss r uuuuu nnnnn ttttt", excl<decode_ls_excl>>
        ("STXRH", "STXRH, STLXRH"),
    encoding<"z=01 001000 0 L=1 0 sssss r uuuuu nnnnn ttttt", excl<decode_ls_excl>>
        ("LDXRH", "LDXRH, LDAXRH"),
    encoding<"z=1z 001000 0 L=0 0 sssss r uuuuu nnnnn ttttt", excl<decode_ls_excl>>
        ("STXR", "STXR, STLXR"),
    encoding<"z=1z 001000 0 L=1 0 sssss r uuuuu nnnnn ttttt", excl<decode_ls_excl>>
        ("LDXR", "LDXR, LDAXR"),

    // Load/store ordered
    encoding<"00 001000 100 sssss 0 uuuuu nnnnn ttttt", decode_UNDEFINED>
        ("STLLRB", "STLLRB (FEAT_LOR not implemented)"),
    encoding<"z=00 001000 1 L=0 0 sssss r=1 uuuuu nnnnn ttttt", excl<decode_ls_ordered>>
        ("STLRB", "STLRB"),
    encoding<"00 001000 110 sssss 0 uuuuu nnnnn ttttt", decode_UNDEFINED>
        ("LDLARB", "LDLARB (FEAT_LOR not implemented)"),
    encoding<"z=00 001000 1 L=1 0 sssss r=1 uuuuu nnnnn ttttt", excl<decode_ls_ordered>>
        ("LDARB", "LDARB"),
    encoding<"01 001000 100 sssss 0 uuuuu nnnnn ttttt", decode_UNDEFINED>
        ("STLLRH", "STLLRH (FEAT_LOR not implemented)"),
    encoding<"z=01 001000 1 L=0 0 sssss r=1 uuuuu nnnnn ttttt", excl<decode_ls_ordered>>
        ("STLRH", "STLRH"),
    encoding<"01 001000 110 sssss 0 uuuuu nnnnn ttttt", decode_UNDEFINED>
        ("LDLARH", "LDLARH (FEAT_LOR not implemented)"),
    encoding<"z=01 001000 1 L=1 0 sssss r=1 uuuuu nnnnn ttttt", excl<decode_ls_ordered>>
        ("LDARH", "LDARH"),
    encoding<"1z 001000 100 sssss 0 uuuuu nnnnn ttttt", decode_UNDEFINED>
        ("STLLR", "STLLR (FEAT_LOR not implemented)"),
    encoding<"z=1z 001000 1 L=0 0 sssss r=1 uuuuu nnnnn ttttt", excl<decode_ls_ordered>>
        ("STLR", "STLR"),
    encoding<"1z 001000 110 sssss 0 uuuuu nnnnn ttttt", decode_UNDEFINED>
        ("LDLAR", "LDLAR (FEAT_LOR not implemented)"),
    encoding<"z=1z 001000 1 L=1 0 sssss r=1 uuuuu nnnnn ttttt", excl<decode_ls_ordered>>
        ("LDAR", "LDAR"),

    // Compare and swap
    encoding<"z=00 001000 1a1 sssss r 11111 nnnnn ttttt", cas<decode_ls_cas>>
        ("CASB", "CASB, CASAB, CASALB, CASLB").needs(Feature::LSE),
    encoding<"z=01 001000 1a1 sssss r 11111 nnnnn ttttt", cas<decode_ls_cas>>
        ("CASH", "CASH, CASAH, CASALH, CASLH").needs(Feature::LSE),
    encoding<"z=1z 001000 1a1 sssss r 11111 nnnnn ttttt", cas<decode_ls_cas>>
        ("CAS", "CAS, CASA, CASAL, CASL").needs(Feature::LSE),

    // LDAPR/STLR (unscaled immediate)
    encoding<"zz 011001 oo 0 iiiiiiiii 00 nnnnn ttttt", decode_UNDEFINED>
        ("LDAPUR_STLUR", "LDAPR/STLR (unscaled immediate) (FEAT_LRCPC2 not implemented)"),

    // Load register (literal)
    encoding<"o=00 011000 iiiiiiiiiiiiiiiiiii ttttt", literal<decode_ls_literal>>
        ("LDR_lit_32", "LDR (literal), 32-bit"),
    encoding<"o=01 011000 iiiiiiiiiiiiiiiiiii ttttt", literal<decode_ls_literal>>
        ("LDR_lit_64", "LDR (literal), 64-bit"),
    encoding<"o=10 011000 iiiiiiiiiiiiiiiiiii ttttt", literal<decode_ls_literal>>
        ("LDRSW_lit", "LDRSW (literal)"),
    encoding<"o=11 011000 iiiiiiiiiiiiiiiiiii ttttt", literal<decode_ls_literal>>
        ("PRFM_lit", "PRFM (literal)"),

    // Memory Copy and Memory Set
    encoding<"zz 011 y 01 yy 0 sssss yyyy 01 nnnnn ddddd", decode_UNDEFINED>
        ("MOPS", "Memory Copy and Memory Set (FEAT_MOPS not implemented)"),

    // Load/store no-allocate pair (offset)
    encoding<"o o=0 101 0 000 L=0 iiiiiii uuuuu nnnnn ttttt", pair<decode_ls_pair_nt>>
        ("STNP", "STNP"),
    encoding<"o o=0 101 0 000 L=1 iiiiiii uuuuu nnnnn ttttt", pair<decode_ls_pair_nt>>
        ("LDNP", "LDNP"),

    // Load/store register pair (post-indexed)
    encoding<"o o=0 101 0 001 L=0 iiiiiii uuuuu nnnnn ttttt", pair<decode_ls_pair_post>>
        ("STP_post", "STP (post)"),
    encoding<"o o=0 101 0 001 L=1 iiiiiii uuuuu nnnnn ttttt", pair<decode_ls_pair_post>>
        ("LDP_post", "LDP (post)"),
    encoding<"01 101 0 001 0 iiiiiii uuuuu nnnnn ttttt", decode_UNDEFINED>
        ("STGP_post", "STGP (post) (FEAT_MTE not implemented)"),
    encoding<"o=01 101 0 001 L=1 iiiiiii uuuuu nnnnn ttttt", pair<decode_ls_pair_post>>
        ("LDPSW_post", "LDPSW (post)"),

    // Load/store register pair (offset)
    encoding<"o o=0 101 0 010 L=0 iiiiiii uuuuu nnnnn ttttt", pair<decode_ls_pair_off>>
        ("STP_off", "STP (off)"),
    encoding<"o o=0 101 0 010 L=1 iiiiiii uuuuu nnnnn ttttt", pair<decode_ls_pair_off>>
        ("LDP_off", "LDP (off)"),
    encoding<"01 101 0 010 0 iiiiiii uuuuu nnnnn ttttt", decode_UNDEFINED>
        ("STGP_off", "STGP (off) (FEAT_MTE not implemented)"),
    encoding<"o=01 101 0 010 L=1 iiiiiii uuuuu nnnnn ttttt", pair<decode_ls_pair_off>>
        ("LDPSW_off", "LDPSW (off)"),

    // Load/store register pair (pre-indexed)
    encoding<"o o=0 101 0 011 L=0 iiiiiii uuuuu nnnnn ttttt", pair<decode_ls_pair_pre>>
        ("STP_pre", "STP (pre)"),
    encoding<"o o=0 101 0 011 L=1 iiiiiii uuuuu nnnnn ttttt", pair<decode_ls_pair_pre>>
        ("LDP_pre", "LDP (pre)"),
    encoding<"01 101 0 011 0 iiiiiii uuuuu nnnnn ttttt", decode_UNDEFINED>
        ("STGP_pre", "STGP (pre) (FEAT_MTE not implemented)"),
    encoding<"o=01 101 0 011 L=1 iiiiiii uuuuu nnnnn ttttt", pair<decode_ls_pair_pre>>
        ("LDPSW_pre", "LDPSW (pre)"),

    // Load/store register (unscaled immediate)
    encoding<"z=00 111 0 00 o=00 0 iiiiiiiii 00 nnnnn ttttt", imm_form<decode_ls_unscaled>>
        ("STURB", "STURB"),
    encoding<"z=00 111 0 00 o=01 0 iiiiiiiii 00 nnnnn ttttt", imm_form<decode_ls_unscaled>>
        ("LDURB", "LDURB"),
    encoding<"z=00 111 0 00 o=1o 0 iiiiiiiii 00 nnnnn ttttt", imm_form<decode_ls_unscaled>>
        ("LDURSB", "LDURSB"),
    encoding<"z=01 111 0 00 o=00 0 iiiiiiiii 00 nnnnn ttttt", imm_form<decode_ls_unscaled>>
        ("STURH", "STURH"),
    encoding<"z=01 111 0 00 o=01 0 iiiiiiiii 00 nnnnn ttttt", imm_form<decode_ls_unscaled>>
        ("LDURH", "LDURH"),
    encoding<"z=01 111 0 00 o=1o 0 iiiiiiiii 00 nnnnn ttttt", imm_form<decode_ls_unscaled>>
        ("LDURSH", "LDURSH"),
    encoding<"z=1z 111 0 00 o=00 0 iiiiiiiii 00 nnnnn ttttt", imm_form<decode_ls_unscaled>>
        ("STUR", "STUR"),
    encoding<"z=1z 111 0 00 o=01 0 iiiiiiiii 00 nnnnn ttttt", imm_form<decode_ls_unscaled>>
        ("LDUR", "LDUR"),
    encoding<"z=10 111 0 00 o=10 0 iiiiiiiii 00 nnnnn ttttt", imm_form<decode_ls_unscaled>>
        ("LDURSW", "LDURSW"),
    encoding<"z=11 111 0 00 o=10 0 iiiiiiiii 00 nnnnn ttttt", imm_form<decode_ls_unscaled>>
        ("PRFUM", "PRFUM"),

    // Load/store register (immediate post-indexed)
    encoding<"z=00 111 0 00 o=00 0 iiiiiiiii 01 nnnnn ttttt", imm_form<decode_ls_post>>
        ("STRB_post", "STRB (immediate), post-index"),
    encoding<"z=00 111 0 00 o=01 0 iiiiiiiii 01 nnnnn ttttt", imm_form<decode_ls_post>>
        ("LDRB_post", "LDRB (immediate), post-index"),
    encoding<"z=00 111 0 00 o=1o 0 iiiiiiiii 01 nnnnn ttttt", imm_form<decode_ls_post>>
        ("LDRSB_post", "LDRSB (immediate), post-index"),
    encoding<"z=01 111 0 00 o=00 0 iiiiiiiii 01 nnnnn ttttt", imm_form<decode_ls_post>>
        ("STRH_post", "STRH (immediate), post-index"),
    encoding<"z=01 111 0 00 o=01 0 iiiiiiiii 01 nnnnn ttttt", imm_form<decode_ls_post>>
        ("LDRH_post", "LDRH (immediate), post-index"),
    encoding<"z=01 111 0 00 o=1o 0 iiiiiiiii 01 nnnnn ttttt", imm_form<decode_ls_post>>
        ("LDRSH_post", "LDRSH (immediate), post-index"),
    encoding<"z=1z 111 0 00 o=00 0 iiiiiiiii 01 nnnnn ttttt", imm_form<decode_ls_post>>
        ("STR_post", "STR (immediate), post-index"),
    encoding<"z=1z 111 0 00 o=01 0 iiiiiiiii 01 nnnnn ttttt", imm_form<decode_ls_post>>
        ("LDR_post", "LDR (immediate), post-index"),
    encoding<"z=10 111 0 00 o=10 0 iiiiiiiii 01 nnnnn ttttt", imm_form<decode_ls_post>>
        ("LDRSW_post", "LDRSW (immediate), post-index"),

    // Load/store register (unprivileged)
    encoding<"z=00 111 0 00 o=00 0 iiiiiiiii 10 nnnnn ttttt", imm_form<decode_ls_unpriv>>
        ("STTRB", "STTRB"),
    encoding<"z=00 111 0 00 o=01 0 iiiiiiiii 10 nnnnn ttttt", imm_form<decode_ls_unpriv>>
        ("LDTRB", "LDTRB"),
    encoding<"z=00 111 0 00 o=1o 0 iiiiiiiii 10 nnnnn ttttt", imm_form<decode_ls_unpriv>>
        ("LDTRSB", "LDTRSB"),
    encoding<"z=01 111 0 00 o=00 0 iiiiiiiii 10 nnnnn ttttt", imm_form<decode_ls_unpriv>>
        ("STTRH", "STTRH"),
    encoding<"z=01 111 0 00 o=01 0 iiiiiiiii 10 nnnnn ttttt", imm_form<decode_ls_unpriv>>
        ("LDTRH", "LDTRH"),
    encoding<"z=01 111 0 00 o=1o 0 iiiiiiiii 10 nnnnn ttttt", imm_form<decode_ls_unpriv>>
        ("LDTRSH", "LDTRSH"),
    encoding<"z=1z 111 0 00 o=00 0 iiiiiiiii 10 nnnnn ttttt", imm_form<decode_ls_unpriv>>
        ("STTR", "STTR"),
    encoding<"z=1z 111 0 00 o=01 0 iiiiiiiii 10 nnnnn ttttt", imm_form<decode_ls_unpriv>>
        ("LDTR", "LDTR"),
    encoding<"z=10 111 0 00 o=10 0 iiiiiiiii 10 nnnnn ttttt", imm_form<decode_ls_unpriv>>
        ("LDTRSW", "LDTRSW"),

    // Load/store register (immediate pre-indexed)
    encoding<"z=00 111 0 00 o=00 0 iiiiiiiii 11 nnnnn ttttt", imm_form<decode_ls_pre>>
        ("STRB_pre", "STRB (immediate), pre-index"),
    encoding<"z=00 111 0 00 o=01 0 iiiiiiiii 11 nnnnn ttttt", imm_form<decode_ls_pre>>
        ("LDRB_pre", "LDRB (immediate), pre-index"),
    encoding<"z=00 111 0 00 o=1o 0 iiiiiiiii 11 nnnnn ttttt", imm_form<decode_ls_pre>>
        ("LDRSB_pre", "LDRSB (immediate), pre-index"),
    encoding<"z=01 111 0 00 o=00 0 iiiiiiiii 11 nnnnn ttttt", imm_form<decode_ls_pre>>
        ("STRH_pre", "STRH (immediate), pre-index"),
    encoding<"z=01 111 0 00 o=01 0 iiiiiiiii 11 nnnnn ttttt", imm_form<decode_ls_pre>>
        ("LDRH_pre", "LDRH (immediate), pre-index"),
    encoding<"z=01 111 0 00 o=1o 0 iiiiiiiii 11 nnnnn ttttt", imm_form<decode_ls_pre>>
        ("LDRSH_pre", "LDRSH (immediate), pre-index"),
    encoding<"z=1z 111 0 00 o=00 0 iiiiiiiii 11 nnnnn ttttt", imm_form<decode_ls_pre>>
        ("STR_pre", "STR (immediate), pre-index"),
    encoding<"z=1z 111 0 00 o=01 0 iiiiiiiii 11 nnnnn ttttt", imm_form<decode_ls_pre>>
        ("LDR_pre", "LDR (immediate), pre-index"),
    encoding<"z=10 111 0 00 o=10 0 iiiiiiiii 11 nnnnn ttttt", imm_form<decode_ls_pre>>
        ("LDRSW_pre", "LDRSW (immediate), pre-index"),

    // Atomic memory operations
    encoding<"zz 111 0 00 ar1 sssss p=0000 00 nnnnn ttttt", atomic<decode_ls_atomic>>
        ("LDADD", "LDADD{A,AL,L}{B,H,} (STADD aliases with Rt = XZR)").needs(Feature::LSE),
    encoding<"zz 111 0 00 ar1 sssss p=0001 00 nnnnn ttttt", atomic<decode_ls_atomic>>
        ("LDCLR", "LDCLR{A,AL,L}{B,H,} (STCLR aliases with Rt = XZR)").needs(Feature::LSE),
    encoding<"zz 111 0 00 ar1 sssss p=0010 00 nnnnn ttttt", atomic<decode_ls_atomic>>
        ("LDEOR", "LDEOR{A,AL,L}{B,H,} (STEOR aliases with Rt = XZR)").needs(Feature::LSE),
    encoding<"zz 111 0 00 ar1 sssss p=0011 00 nnnnn ttttt", atomic<decode_ls_atomic>>
        ("LDSET", "LDSET{A,AL,L}{B,H,} (STSET aliases with Rt = XZR)").needs(Feature::LSE),
    encoding<"zz 111 0 00 ar1 sssss p=0100 00 nnnnn ttttt", atomic<decode_ls_atomic>>
        ("LDSMAX", "LDSMAX{A,AL,L}{B,H,} (STSMAX aliases with Rt = XZR)").needs(Feature::LSE),
    encoding<"zz 111 0 00 ar1 sssss p=0101 00 nnnnn ttttt", atomic<decode_ls_atomic>>
        ("LDSMIN", "LDSMIN{A,AL,L}{B,H,} (STSMIN aliases with Rt = XZR)").needs(Feature::LSE),
    encoding<"zz 111 0 00 ar1 sssss p=0110 00 nnnnn ttttt", atomic<decode_ls_atomic>>
        ("LDUMAX", "LDUMAX{A,AL,L}{B,H,} (STUMAX aliases with Rt = XZR)").needs(Feature::LSE),
    encoding<"zz 111 0 00 ar1 sssss p=0111 00 nnnnn ttttt", atomic<decode_ls_atomic>>
        ("LDUMIN", "LDUMIN{A,AL,L}{B,H,} (STUMIN aliases with Rt = XZR)").needs(Feature::LSE),
    encoding<"zz 111 0 00 ar1 sssss p=1000 00 nnnnn ttttt", atomic<decode_ls_atomic>>
        ("SWP", "SWP{A,AL,L}{B,H,}").needs(Feature::LSE),
    encoding<"z=00 111 0 00 101 sssss 1100 00 nnnnn ttttt", cas<decode_ls_ldapr>>
        ("LDAPRB", "LDAPRB (FEAT_LRCPC)").needs(Feature::LRCPC),
    encoding<"z=01 111 0 00 101 sssss 1100 00 nnnnn ttttt", cas<decode_ls_ldapr>>
        ("LDAPRH", "LDAPRH (FEAT_LRCPC)").needs(Feature::LRCPC),
    encoding<"z=1z 111 0 00 101 sssss 1100 00 nnnnn ttttt", cas<decode_ls_ldapr>>
        ("LDAPR", "LDAPR (FEAT_LRCPC)").needs(Feature::LRCPC),
    encoding<"11 111 0 00 001 sssss 1001 00 nnnnn ttttt", decode_UNDEFINED>
        ("ST64B", "ST64B (FEAT_LS64 not implemented)"),
    encoding<"11 111 0 00 001 sssss 1010 00 nnnnn ttttt", decode_UNDEFINED>
        ("ST64BV0", "ST64BV0 (FEAT_LS64 not implemented)"),
    encoding<"11 111 0 00 001 sssss 1011 00 nnnnn ttttt", decode_UNDEFINED>
        ("ST64BV", "ST64BV (FEAT_LS64 not implemented)"),
    encoding<"11 111 0 00 001 sssss 1101 00 nnnnn ttttt", decode_UNDEFINED>
        ("LD64B", "LD64B (FEAT_LS64 not implemented)"),

    // Load/store register (register offset)
    encoding<"z=00 111 0 00 o=00 1 mmmmm xxx S 10 nnnnn ttttt", reg_form<decode_ls_reg>>
        ("STRB_reg", "STRB (register)"),
    encoding<"z=00 111 0 00 o=01 1 mmmmm xxx S 10 nnnnn ttttt", reg_form<decode_ls_reg>>
        ("LDRB_reg", "LDRB (register)"),
    encoding<"z=00 111 0 00 o=1o 1 mmmmm xxx S 10 nnnnn ttttt", reg_form<decode_ls_reg>>
        ("LDRSB_reg", "LDRSB (register)"),
    encoding<"z=01 111 0 00 o=00 1 mmmmm xxx S 10 nnnnn ttttt", reg_form<decode_ls_reg>>
        ("STRH_reg", "STRH (register)"),
    encoding<"z=01 111 0 00 o=01 1 mmmmm xxx S 10 nnnnn ttttt", reg_form<decode_ls_reg>>
        ("LDRH_reg", "LDRH (register)"),
    encoding<"z=01 111 0 00 o=1o 1 mmmmm xxx S 10 nnnnn ttttt", reg_form<decode_ls_reg>>
        ("LDRSH_reg", "LDRSH (register)"),
    encoding<"z=1z 111 0 00 o=00 1 mmmmm xxx S 10 nnnnn ttttt", reg_form<decode_ls_reg>>
        ("STR_reg", "STR (register)"),
    encoding<"z=1z 111 0 00 o=01 1 mmmmm xxx S 10 nnnnn ttttt", reg_form<decode_ls_reg>>
        ("LDR_reg", "LDR (register)"),
    encoding<"z=10 111 0 00 o=10 1 mmmmm xxx S 10 nnnnn ttttt", reg_form<decode_ls_reg>>
        ("LDRSW_reg", "LDRSW (register)"),
    encoding<"z=11 111 0 00 o=10 1 mmmmm xxx S 10 nnnnn ttttt", reg_form<decode_ls_reg>>
        ("PRFM_reg", "PRFM (register)"),

    // Load/store register (pac)
    encoding<"11 111 0 00 M S 1 iiiiiiiii W 1 nnnnn ttttt", decode_UNDEFINED>
        ("LDRAA_LDRAB", "LDRAA, LDRAB (FEAT_PAuth not implemented)"),

    // Load/store register (unsigned immediate)
    encoding<"z=00 111 0 01 o=00 iiiiiiiiiiii nnnnn ttttt", imm_form<decode_ls_unsigned>>
        ("STRB_uimm", "STRB (immediate), unsigned offset"),
    encoding<"z=00 111 0 01 o=01 iiiiiiiiiiii nnnnn ttttt", imm_form<decode_ls_unsigned>>
        ("LDRB_uimm", "LDRB (immediate), unsigned offset"),
    encoding<"z=00 111 0 01 o=1o iiiiiiiiiiii nnnnn ttttt", imm_form<decode_ls_unsigned>>
        ("LDRSB_uimm", "LDRSB (immediate), unsigned offset"),
    encoding<"z=01 111 0 01 o=00 iiiiiiiiiiii nnnnn ttttt", imm_form<decode_ls_unsigned>>
        ("STRH_uimm", "STRH (immediate), unsigned offset"),
    encoding<"z=01 111 0 01 o=01 iiiiiiiiiiii nnnnn ttttt", imm_form<decode_ls_unsigned>>
        ("LDRH_uimm", "LDRH (immediate), unsigned offset"),
    encoding<"z=01 111 0 01 o=1o iiiiiiiiiiii nnnnn ttttt", imm_form<decode_ls_unsigned>>
        ("LDRSH_uimm", "LDRSH (immediate), unsigned offset"),
    encoding<"z=1z 111 0 01 o=00 iiiiiiiiiiii nnnnn ttttt", imm_form<decode_ls_unsigned>>
        ("STR_uimm", "STR (immediate), unsigned offset"),
    encoding<"z=1z 111 0 01 o=01 iiiiiiiiiiii nnnnn ttttt", imm_form<decode_ls_unsigned>>
        ("LDR_uimm", "LDR (immediate), unsigned offset"),
    encoding<"z=10 111 0 01 o=10 iiiiiiiiiiii nnnnn ttttt", imm_form<decode_ls_unsigned>>
        ("LDRSW_uimm", "LDRSW (immediate), unsigned offset"),
    encoding<"z=11 111 0 01 o=10 iiiiiiiiiiii nnnnn ttttt", imm_form<decode_ls_unsigned>>
        ("PRFM_uimm", "PRFM (immediate), unsigned offset"),
};

}  // namespace

std::span<const Encoding> encodings_loadstore() { return kLoadStore; }

}  // namespace cpu
