// A64 encoding index: Loads and Stores (DDI 0487 K.a, C4.1 "A64
// instruction set encoding"), in the manual's order. Each class's integer
// forms decode to the handlers in ls_single.cpp, ls_pair.cpp,
// ls_exclusive.cpp and ls_atomic.cpp; encodings of features this model does
// not implement have entries whose decoder installs nothing (UNDEFINED):
// FP/SIMD (V = 1), FEAT_MTE, FEAT_LS64, FEAT_LOR, FEAT_LRCPC2, FEAT_PAuth
// (LDRAA/LDRAB), FEAT_MOPS.
//
// Every pattern fixes bit 27 = 1 and bit 25 = 0 (op0 = x1x0), so none
// overlaps another group; within the group no two patterns overlap
// (tests/cpu/ls_table_test.cpp). Unallocated size/opc combinations have no
// entry. Pattern letters: z size, o opc bits, s Rs, u Rt2, m Rm, x option,
// a/r acquire/release, i immediate, n Rn, t Rt, y other fields.
#include "cpu/decode.h"
#include "cpu/isa/ls_common.h"

namespace cpu {

namespace {
using namespace ls;

constexpr Encoding kLoadStore[] = {
    // Compare and swap pair
    encoding("CASP", "CASP, CASPA, CASPAL, CASPL",
             "0z 001000 0a1 sssss r 11111 nnnnn ttttt", decode_ls_casp),

    // Advanced SIMD load/store multiple / single structures (all four classes)
    encoding("SIMD_ldst_struct", "Advanced SIMD load/store structures (FP/SIMD not implemented)",
             "0q 001 1 0 yyyyyyyyyyyyyyyyyyyyyyyyy", decode_unimplemented),

    // Load/store memory tags
    encoding("MTE_ldst_tags", "Load/store memory tags (FEAT_MTE not implemented)",
             "11011001 yy1 yyyyyyyyy yy yyyyy yyyyy", decode_unimplemented),

    // Load/store exclusive pair
    encoding("STXP", "STXP, STLXP",
             "1z 001000 001 sssss r uuuuu nnnnn ttttt", decode_ls_excl_pair),
    encoding("LDXP", "LDXP, LDAXP",
             "1z 001000 011 sssss r uuuuu nnnnn ttttt", decode_ls_excl_pair),

    // Load/store exclusive register
    encoding("STXRB", "STXRB, STLXRB",
             "00 001000 000 sssss r uuuuu nnnnn ttttt", decode_ls_excl),
    encoding("LDXRB", "LDXRB, LDAXRB",
             "00 001000 010 sssss r uuuuu nnnnn ttttt", decode_ls_excl),
    encoding("STXRH", "STXRH, STLXRH",
             "01 001000 000 sssss r uuuuu nnnnn ttttt", decode_ls_excl),
    encoding("LDXRH", "LDXRH, LDAXRH",
             "01 001000 010 sssss r uuuuu nnnnn ttttt", decode_ls_excl),
    encoding("STXR", "STXR, STLXR",
             "1z 001000 000 sssss r uuuuu nnnnn ttttt", decode_ls_excl),
    encoding("LDXR", "LDXR, LDAXR",
             "1z 001000 010 sssss r uuuuu nnnnn ttttt", decode_ls_excl),

    // Load/store ordered
    encoding("STLLRB", "STLLRB (FEAT_LOR not implemented)",
             "00 001000 100 sssss 0 uuuuu nnnnn ttttt", decode_unimplemented),
    encoding("STLRB", "STLRB",
             "00 001000 100 sssss 1 uuuuu nnnnn ttttt", decode_ls_ordered),
    encoding("LDLARB", "LDLARB (FEAT_LOR not implemented)",
             "00 001000 110 sssss 0 uuuuu nnnnn ttttt", decode_unimplemented),
    encoding("LDARB", "LDARB",
             "00 001000 110 sssss 1 uuuuu nnnnn ttttt", decode_ls_ordered),
    encoding("STLLRH", "STLLRH (FEAT_LOR not implemented)",
             "01 001000 100 sssss 0 uuuuu nnnnn ttttt", decode_unimplemented),
    encoding("STLRH", "STLRH",
             "01 001000 100 sssss 1 uuuuu nnnnn ttttt", decode_ls_ordered),
    encoding("LDLARH", "LDLARH (FEAT_LOR not implemented)",
             "01 001000 110 sssss 0 uuuuu nnnnn ttttt", decode_unimplemented),
    encoding("LDARH", "LDARH",
             "01 001000 110 sssss 1 uuuuu nnnnn ttttt", decode_ls_ordered),
    encoding("STLLR", "STLLR (FEAT_LOR not implemented)",
             "1z 001000 100 sssss 0 uuuuu nnnnn ttttt", decode_unimplemented),
    encoding("STLR", "STLR",
             "1z 001000 100 sssss 1 uuuuu nnnnn ttttt", decode_ls_ordered),
    encoding("LDLAR", "LDLAR (FEAT_LOR not implemented)",
             "1z 001000 110 sssss 0 uuuuu nnnnn ttttt", decode_unimplemented),
    encoding("LDAR", "LDAR",
             "1z 001000 110 sssss 1 uuuuu nnnnn ttttt", decode_ls_ordered),

    // Compare and swap
    encoding("CASB", "CASB, CASAB, CASALB, CASLB",
             "00 001000 1a1 sssss r 11111 nnnnn ttttt", decode_ls_cas),
    encoding("CASH", "CASH, CASAH, CASALH, CASLH",
             "01 001000 1a1 sssss r 11111 nnnnn ttttt", decode_ls_cas),
    encoding("CAS", "CAS, CASA, CASAL, CASL",
             "1z 001000 1a1 sssss r 11111 nnnnn ttttt", decode_ls_cas),

    // LDAPR/STLR (unscaled immediate)
    encoding("LDAPUR_STLUR", "LDAPR/STLR (unscaled immediate) (FEAT_LRCPC2 not implemented)",
             "zz 011001 oo 0 iiiiiiiii 00 nnnnn ttttt", decode_unimplemented),

    // Load register (literal)
    encoding("LDR_lit_32", "LDR (literal), 32-bit",
             "00 011000 iiiiiiiiiiiiiiiiiii ttttt", decode_ls_literal),
    encoding("LDR_lit_64", "LDR (literal), 64-bit",
             "01 011000 iiiiiiiiiiiiiiiiiii ttttt", decode_ls_literal),
    encoding("LDRSW_lit", "LDRSW (literal)",
             "10 011000 iiiiiiiiiiiiiiiiiii ttttt", decode_ls_literal),
    encoding("PRFM_lit", "PRFM (literal)",
             "11 011000 iiiiiiiiiiiiiiiiiii ttttt", decode_ls_literal),
    encoding("LDR_lit_fp", "LDR (literal, SIMD&FP) (FP/SIMD not implemented)",
             "oo 011100 iiiiiiiiiiiiiiiiiii ttttt", decode_unimplemented),

    // Memory Copy and Memory Set
    encoding("MOPS", "Memory Copy and Memory Set (FEAT_MOPS not implemented)",
             "zz 011 y 01 yy 0 sssss yyyy 01 nnnnn ddddd", decode_unimplemented),

    // Load/store no-allocate pair (offset)
    encoding("STNP", "STNP",
             "x0 101 0 000 0 iiiiiii uuuuu nnnnn ttttt", decode_ls_pair_nt),
    encoding("LDNP", "LDNP",
             "x0 101 0 000 1 iiiiiii uuuuu nnnnn ttttt", decode_ls_pair_nt),

    // Load/store register pair (post-indexed)
    encoding("STP_post", "STP (post)",
             "x0 101 0 001 0 iiiiiii uuuuu nnnnn ttttt", decode_ls_pair_post),
    encoding("LDP_post", "LDP (post)",
             "x0 101 0 001 1 iiiiiii uuuuu nnnnn ttttt", decode_ls_pair_post),
    encoding("STGP_post", "STGP (post) (FEAT_MTE not implemented)",
             "01 101 0 001 0 iiiiiii uuuuu nnnnn ttttt", decode_unimplemented),
    encoding("LDPSW_post", "LDPSW (post)",
             "01 101 0 001 1 iiiiiii uuuuu nnnnn ttttt", decode_ls_pair_post),

    // Load/store register pair (offset)
    encoding("STP_off", "STP (off)",
             "x0 101 0 010 0 iiiiiii uuuuu nnnnn ttttt", decode_ls_pair_off),
    encoding("LDP_off", "LDP (off)",
             "x0 101 0 010 1 iiiiiii uuuuu nnnnn ttttt", decode_ls_pair_off),
    encoding("STGP_off", "STGP (off) (FEAT_MTE not implemented)",
             "01 101 0 010 0 iiiiiii uuuuu nnnnn ttttt", decode_unimplemented),
    encoding("LDPSW_off", "LDPSW (off)",
             "01 101 0 010 1 iiiiiii uuuuu nnnnn ttttt", decode_ls_pair_off),

    // Load/store register pair (pre-indexed)
    encoding("STP_pre", "STP (pre)",
             "x0 101 0 011 0 iiiiiii uuuuu nnnnn ttttt", decode_ls_pair_pre),
    encoding("LDP_pre", "LDP (pre)",
             "x0 101 0 011 1 iiiiiii uuuuu nnnnn ttttt", decode_ls_pair_pre),
    encoding("STGP_pre", "STGP (pre) (FEAT_MTE not implemented)",
             "01 101 0 011 0 iiiiiii uuuuu nnnnn ttttt", decode_unimplemented),
    encoding("LDPSW_pre", "LDPSW (pre)",
             "01 101 0 011 1 iiiiiii uuuuu nnnnn ttttt", decode_ls_pair_pre),

    // Load/store register pair, SIMD&FP (all addressing modes)
    encoding("LDP_STP_fp", "Load/store pair (SIMD&FP) (FP/SIMD not implemented)",
             "oo 101 1 0yy l iiiiiii uuuuu nnnnn ttttt", decode_unimplemented),

    // Load/store register (unscaled immediate)
    encoding("STURB", "STURB",
             "00 111 0 00 00 0 iiiiiiiii 00 nnnnn ttttt", decode_ls_unscaled),
    encoding("LDURB", "LDURB",
             "00 111 0 00 01 0 iiiiiiiii 00 nnnnn ttttt", decode_ls_unscaled),
    encoding("LDURSB", "LDURSB",
             "00 111 0 00 1o 0 iiiiiiiii 00 nnnnn ttttt", decode_ls_unscaled),
    encoding("STURH", "STURH",
             "01 111 0 00 00 0 iiiiiiiii 00 nnnnn ttttt", decode_ls_unscaled),
    encoding("LDURH", "LDURH",
             "01 111 0 00 01 0 iiiiiiiii 00 nnnnn ttttt", decode_ls_unscaled),
    encoding("LDURSH", "LDURSH",
             "01 111 0 00 1o 0 iiiiiiiii 00 nnnnn ttttt", decode_ls_unscaled),
    encoding("STUR", "STUR",
             "1z 111 0 00 00 0 iiiiiiiii 00 nnnnn ttttt", decode_ls_unscaled),
    encoding("LDUR", "LDUR",
             "1z 111 0 00 01 0 iiiiiiiii 00 nnnnn ttttt", decode_ls_unscaled),
    encoding("LDURSW", "LDURSW",
             "10 111 0 00 10 0 iiiiiiiii 00 nnnnn ttttt", decode_ls_unscaled),
    encoding("PRFUM", "PRFUM",
             "11 111 0 00 10 0 iiiiiiiii 00 nnnnn ttttt", decode_ls_unscaled),

    // Load/store register (immediate post-indexed)
    encoding("STRB_post", "STRB (immediate), post-index",
             "00 111 0 00 00 0 iiiiiiiii 01 nnnnn ttttt", decode_ls_post),
    encoding("LDRB_post", "LDRB (immediate), post-index",
             "00 111 0 00 01 0 iiiiiiiii 01 nnnnn ttttt", decode_ls_post),
    encoding("LDRSB_post", "LDRSB (immediate), post-index",
             "00 111 0 00 1o 0 iiiiiiiii 01 nnnnn ttttt", decode_ls_post),
    encoding("STRH_post", "STRH (immediate), post-index",
             "01 111 0 00 00 0 iiiiiiiii 01 nnnnn ttttt", decode_ls_post),
    encoding("LDRH_post", "LDRH (immediate), post-index",
             "01 111 0 00 01 0 iiiiiiiii 01 nnnnn ttttt", decode_ls_post),
    encoding("LDRSH_post", "LDRSH (immediate), post-index",
             "01 111 0 00 1o 0 iiiiiiiii 01 nnnnn ttttt", decode_ls_post),
    encoding("STR_post", "STR (immediate), post-index",
             "1z 111 0 00 00 0 iiiiiiiii 01 nnnnn ttttt", decode_ls_post),
    encoding("LDR_post", "LDR (immediate), post-index",
             "1z 111 0 00 01 0 iiiiiiiii 01 nnnnn ttttt", decode_ls_post),
    encoding("LDRSW_post", "LDRSW (immediate), post-index",
             "10 111 0 00 10 0 iiiiiiiii 01 nnnnn ttttt", decode_ls_post),

    // Load/store register (unprivileged)
    encoding("STTRB", "STTRB",
             "00 111 0 00 00 0 iiiiiiiii 10 nnnnn ttttt", decode_ls_unpriv),
    encoding("LDTRB", "LDTRB",
             "00 111 0 00 01 0 iiiiiiiii 10 nnnnn ttttt", decode_ls_unpriv),
    encoding("LDTRSB", "LDTRSB",
             "00 111 0 00 1o 0 iiiiiiiii 10 nnnnn ttttt", decode_ls_unpriv),
    encoding("STTRH", "STTRH",
             "01 111 0 00 00 0 iiiiiiiii 10 nnnnn ttttt", decode_ls_unpriv),
    encoding("LDTRH", "LDTRH",
             "01 111 0 00 01 0 iiiiiiiii 10 nnnnn ttttt", decode_ls_unpriv),
    encoding("LDTRSH", "LDTRSH",
             "01 111 0 00 1o 0 iiiiiiiii 10 nnnnn ttttt", decode_ls_unpriv),
    encoding("STTR", "STTR",
             "1z 111 0 00 00 0 iiiiiiiii 10 nnnnn ttttt", decode_ls_unpriv),
    encoding("LDTR", "LDTR",
             "1z 111 0 00 01 0 iiiiiiiii 10 nnnnn ttttt", decode_ls_unpriv),
    encoding("LDTRSW", "LDTRSW",
             "10 111 0 00 10 0 iiiiiiiii 10 nnnnn ttttt", decode_ls_unpriv),

    // Load/store register (immediate pre-indexed)
    encoding("STRB_pre", "STRB (immediate), pre-index",
             "00 111 0 00 00 0 iiiiiiiii 11 nnnnn ttttt", decode_ls_pre),
    encoding("LDRB_pre", "LDRB (immediate), pre-index",
             "00 111 0 00 01 0 iiiiiiiii 11 nnnnn ttttt", decode_ls_pre),
    encoding("LDRSB_pre", "LDRSB (immediate), pre-index",
             "00 111 0 00 1o 0 iiiiiiiii 11 nnnnn ttttt", decode_ls_pre),
    encoding("STRH_pre", "STRH (immediate), pre-index",
             "01 111 0 00 00 0 iiiiiiiii 11 nnnnn ttttt", decode_ls_pre),
    encoding("LDRH_pre", "LDRH (immediate), pre-index",
             "01 111 0 00 01 0 iiiiiiiii 11 nnnnn ttttt", decode_ls_pre),
    encoding("LDRSH_pre", "LDRSH (immediate), pre-index",
             "01 111 0 00 1o 0 iiiiiiiii 11 nnnnn ttttt", decode_ls_pre),
    encoding("STR_pre", "STR (immediate), pre-index",
             "1z 111 0 00 00 0 iiiiiiiii 11 nnnnn ttttt", decode_ls_pre),
    encoding("LDR_pre", "LDR (immediate), pre-index",
             "1z 111 0 00 01 0 iiiiiiiii 11 nnnnn ttttt", decode_ls_pre),
    encoding("LDRSW_pre", "LDRSW (immediate), pre-index",
             "10 111 0 00 10 0 iiiiiiiii 11 nnnnn ttttt", decode_ls_pre),

    // Atomic memory operations
    encoding("LDADD", "LDADD{A,AL,L}{B,H,} (STADD aliases with Rt = XZR)",
             "zz 111 0 00 ar1 sssss 0000 00 nnnnn ttttt", decode_ls_atomic),
    encoding("LDCLR", "LDCLR{A,AL,L}{B,H,} (STCLR aliases with Rt = XZR)",
             "zz 111 0 00 ar1 sssss 0001 00 nnnnn ttttt", decode_ls_atomic),
    encoding("LDEOR", "LDEOR{A,AL,L}{B,H,} (STEOR aliases with Rt = XZR)",
             "zz 111 0 00 ar1 sssss 0010 00 nnnnn ttttt", decode_ls_atomic),
    encoding("LDSET", "LDSET{A,AL,L}{B,H,} (STSET aliases with Rt = XZR)",
             "zz 111 0 00 ar1 sssss 0011 00 nnnnn ttttt", decode_ls_atomic),
    encoding("LDSMAX", "LDSMAX{A,AL,L}{B,H,} (STSMAX aliases with Rt = XZR)",
             "zz 111 0 00 ar1 sssss 0100 00 nnnnn ttttt", decode_ls_atomic),
    encoding("LDSMIN", "LDSMIN{A,AL,L}{B,H,} (STSMIN aliases with Rt = XZR)",
             "zz 111 0 00 ar1 sssss 0101 00 nnnnn ttttt", decode_ls_atomic),
    encoding("LDUMAX", "LDUMAX{A,AL,L}{B,H,} (STUMAX aliases with Rt = XZR)",
             "zz 111 0 00 ar1 sssss 0110 00 nnnnn ttttt", decode_ls_atomic),
    encoding("LDUMIN", "LDUMIN{A,AL,L}{B,H,} (STUMIN aliases with Rt = XZR)",
             "zz 111 0 00 ar1 sssss 0111 00 nnnnn ttttt", decode_ls_atomic),
    encoding("SWP", "SWP{A,AL,L}{B,H,}",
             "zz 111 0 00 ar1 sssss 1000 00 nnnnn ttttt", decode_ls_atomic),
    encoding("LDAPRB", "LDAPRB (FEAT_LRCPC)",
             "00 111 0 00 101 sssss 1100 00 nnnnn ttttt", decode_ls_ldapr),
    encoding("LDAPRH", "LDAPRH (FEAT_LRCPC)",
             "01 111 0 00 101 sssss 1100 00 nnnnn ttttt", decode_ls_ldapr),
    encoding("LDAPR", "LDAPR (FEAT_LRCPC)",
             "1z 111 0 00 101 sssss 1100 00 nnnnn ttttt", decode_ls_ldapr),
    encoding("ST64B", "ST64B (FEAT_LS64 not implemented)",
             "11 111 0 00 001 sssss 1001 00 nnnnn ttttt", decode_unimplemented),
    encoding("ST64BV0", "ST64BV0 (FEAT_LS64 not implemented)",
             "11 111 0 00 001 sssss 1010 00 nnnnn ttttt", decode_unimplemented),
    encoding("ST64BV", "ST64BV (FEAT_LS64 not implemented)",
             "11 111 0 00 001 sssss 1011 00 nnnnn ttttt", decode_unimplemented),
    encoding("LD64B", "LD64B (FEAT_LS64 not implemented)",
             "11 111 0 00 001 sssss 1101 00 nnnnn ttttt", decode_unimplemented),

    // Load/store register (register offset)
    encoding("STRB_reg", "STRB (register)",
             "00 111 0 00 00 1 mmmmm xxx S 10 nnnnn ttttt", decode_ls_reg),
    encoding("LDRB_reg", "LDRB (register)",
             "00 111 0 00 01 1 mmmmm xxx S 10 nnnnn ttttt", decode_ls_reg),
    encoding("LDRSB_reg", "LDRSB (register)",
             "00 111 0 00 1o 1 mmmmm xxx S 10 nnnnn ttttt", decode_ls_reg),
    encoding("STRH_reg", "STRH (register)",
             "01 111 0 00 00 1 mmmmm xxx S 10 nnnnn ttttt", decode_ls_reg),
    encoding("LDRH_reg", "LDRH (register)",
             "01 111 0 00 01 1 mmmmm xxx S 10 nnnnn ttttt", decode_ls_reg),
    encoding("LDRSH_reg", "LDRSH (register)",
             "01 111 0 00 1o 1 mmmmm xxx S 10 nnnnn ttttt", decode_ls_reg),
    encoding("STR_reg", "STR (register)",
             "1z 111 0 00 00 1 mmmmm xxx S 10 nnnnn ttttt", decode_ls_reg),
    encoding("LDR_reg", "LDR (register)",
             "1z 111 0 00 01 1 mmmmm xxx S 10 nnnnn ttttt", decode_ls_reg),
    encoding("LDRSW_reg", "LDRSW (register)",
             "10 111 0 00 10 1 mmmmm xxx S 10 nnnnn ttttt", decode_ls_reg),
    encoding("PRFM_reg", "PRFM (register)",
             "11 111 0 00 10 1 mmmmm xxx S 10 nnnnn ttttt", decode_ls_reg),

    // Load/store register (pac)
    encoding("LDRAA_LDRAB", "LDRAA, LDRAB (FEAT_PAuth not implemented)",
             "11 111 0 00 M S 1 iiiiiiiii W 1 nnnnn ttttt", decode_unimplemented),

    // Load/store register (unsigned immediate)
    encoding("STRB_uimm", "STRB (immediate), unsigned offset",
             "00 111 0 01 00 iiiiiiiiiiii nnnnn ttttt", decode_ls_unsigned),
    encoding("LDRB_uimm", "LDRB (immediate), unsigned offset",
             "00 111 0 01 01 iiiiiiiiiiii nnnnn ttttt", decode_ls_unsigned),
    encoding("LDRSB_uimm", "LDRSB (immediate), unsigned offset",
             "00 111 0 01 1o iiiiiiiiiiii nnnnn ttttt", decode_ls_unsigned),
    encoding("STRH_uimm", "STRH (immediate), unsigned offset",
             "01 111 0 01 00 iiiiiiiiiiii nnnnn ttttt", decode_ls_unsigned),
    encoding("LDRH_uimm", "LDRH (immediate), unsigned offset",
             "01 111 0 01 01 iiiiiiiiiiii nnnnn ttttt", decode_ls_unsigned),
    encoding("LDRSH_uimm", "LDRSH (immediate), unsigned offset",
             "01 111 0 01 1o iiiiiiiiiiii nnnnn ttttt", decode_ls_unsigned),
    encoding("STR_uimm", "STR (immediate), unsigned offset",
             "1z 111 0 01 00 iiiiiiiiiiii nnnnn ttttt", decode_ls_unsigned),
    encoding("LDR_uimm", "LDR (immediate), unsigned offset",
             "1z 111 0 01 01 iiiiiiiiiiii nnnnn ttttt", decode_ls_unsigned),
    encoding("LDRSW_uimm", "LDRSW (immediate), unsigned offset",
             "10 111 0 01 10 iiiiiiiiiiii nnnnn ttttt", decode_ls_unsigned),
    encoding("PRFM_uimm", "PRFM (immediate), unsigned offset",
             "11 111 0 01 10 iiiiiiiiiiii nnnnn ttttt", decode_ls_unsigned),

    // Load/store register, SIMD&FP (all addressing modes)
    encoding("LDR_STR_fp", "Load/store register (SIMD&FP) (FP/SIMD not implemented)",
             "zz 111 1 0y yyyyyyyyyyyyyyyyyyyyyyyy", decode_unimplemented),
};

}  // namespace

std::span<const Encoding> encodings_loadstore() { return kLoadStore; }

}  // namespace cpu
