// A64 encoding index: Loads and Stores with V = 1, the SIMD&FP forms (DDI
// 0487 K.a, C4.1 "A64 instruction set encoding"), in the manual's order.
// Handlers: simd_ls_struct.cpp (Advanced SIMD structures), simd_ls_reg.cpp
// (one register, literal), simd_ls_pair.cpp (pairs).
//
// Every pattern fixes bit 27 = 1, bit 26 (V) = 1 and bit 25 = 0, so none
// overlaps the general-purpose rows (loadstore.cpp, V = 0) or another
// group. Words of the space no row matches are UNDEFINED: the unprivileged,
// atomic and pac classes have no SIMD&FP forms, nor does bit 31 = 1 in the
// structure classes; reserved field values (size:opc, opcode, size with Q)
// are rejected by the class decoders, as the ASL's decode does.
//
// Pattern letters (decode.h): q Q, L the load bit, o opcode (structures)
// or opc, R and S the structure classes' R and S bits (S is the shift
// amount's bit in the register-offset row), z size, m Rm, x option, u Rt2,
// i immediate, n Rn, t Rt.
#include "cpu/decode.h"
#include "cpu/isa/simd_ls.h"

namespace cpu {

namespace {
using namespace simd;
using ls::imm_form;
using ls::literal;
using ls::pair;
using ls::reg_form;

// A field the row may lack: the multiple-structure rows have no R or S, the
// rows without offset no Rm.
template <char C, Pattern P> constexpr unsigned opt_field(Word<P> w) {
    if constexpr (P.has(C)) return field<C>(w);
    else return 0;
}

template <void (*D)(const LsStructFields&, Insn&), Pattern P>
void structure(Word<P> w, Insn& o) {
    D({.q = field<'q'>(w), .l = field<'L'>(w), .r = opt_field<'R'>(w), .rm = opt_field<'m'>(w),
       .opcode = field<'o'>(w), .s = opt_field<'S'>(w), .size = field<'z'>(w),
       .rn = field<'n'>(w), .rt = field<'t'>(w)},
      o);
}

constexpr Encoding kSimdLoadStore[] = {
    // Advanced SIMD load/store multiple structures
    encoding<"0q 0011000 L 000000 o=0000 zz nnnnn ttttt", structure<decode_vec_multiple>>
        ("LDST4_mult", "LD4/ST4 (multiple structures)"),
    encoding<"0q 0011000 L 000000 o=0010 zz nnnnn ttttt", structure<decode_vec_multiple>>
        ("LDST1_mult4", "LD1/ST1 (multiple structures, 4 registers)"),
    encoding<"0q 0011000 L 000000 o=0100 zz nnnnn ttttt", structure<decode_vec_multiple>>
        ("LDST3_mult", "LD3/ST3 (multiple structures)"),
    encoding<"0q 0011000 L 000000 o=0110 zz nnnnn ttttt", structure<decode_vec_multiple>>
        ("LDST1_mult3", "LD1/ST1 (multiple structures, 3 registers)"),
    encoding<"0q 0011000 L 000000 o=0111 zz nnnnn ttttt", structure<decode_vec_multiple>>
        ("LDST1_mult1", "LD1/ST1 (multiple structures, 1 register)"),
    encoding<"0q 0011000 L 000000 o=1000 zz nnnnn ttttt", structure<decode_vec_multiple>>
        ("LDST2_mult", "LD2/ST2 (multiple structures)"),
    encoding<"0q 0011000 L 000000 o=1010 zz nnnnn ttttt", structure<decode_vec_multiple>>
        ("LDST1_mult2", "LD1/ST1 (multiple structures, 2 registers)"),

    // Advanced SIMD load/store multiple structures (post-indexed)
    encoding<"0q 0011001 L 0 mmmmm o=0000 zz nnnnn ttttt", structure<decode_vec_multiple_post>>
        ("LDST4_mult_post", "LD4/ST4 (multiple structures), post-index"),
    encoding<"0q 0011001 L 0 mmmmm o=0010 zz nnnnn ttttt", structure<decode_vec_multiple_post>>
        ("LDST1_mult4_post", "LD1/ST1 (multiple structures, 4 registers), post-index"),
    encoding<"0q 0011001 L 0 mmmmm o=0100 zz nnnnn ttttt", structure<decode_vec_multiple_post>>
        ("LDST3_mult_post", "LD3/ST3 (multiple structures), post-index"),
    encoding<"0q 0011001 L 0 mmmmm o=0110 zz nnnnn ttttt", structure<decode_vec_multiple_post>>
        ("LDST1_mult3_post", "LD1/ST1 (multiple structures, 3 registers), post-index"),
    encoding<"0q 0011001 L 0 mmmmm o=0111 zz nnnnn ttttt", structure<decode_vec_multiple_post>>
        ("LDST1_mult1_post", "LD1/ST1 (multiple structures, 1 register), post-index"),
    encoding<"0q 0011001 L 0 mmmmm o=1000 zz nnnnn ttttt", structure<decode_vec_multiple_post>>
        ("LDST2_mult_post", "LD2/ST2 (multiple structures), post-index"),
    encoding<"0q 0011001 L 0 mmmmm o=1010 zz nnnnn ttttt", structure<decode_vec_multiple_post>>
        ("LDST1_mult2_post", "LD1/ST1 (multiple structures, 2 registers), post-index"),

    // Advanced SIMD load/store single structure: opcode<2:1> is the element
    // size (B, H, S or D), opcode<0>:R + 1 the number of registers.
    encoding<"0q 0011010 L R=0 00000 o=000 S zz nnnnn ttttt", structure<decode_vec_single>>
        ("LDST1_single_b", "LD1/ST1 (single structure), 8-bit"),
    encoding<"0q 0011010 L R=0 00000 o=001 S zz nnnnn ttttt", structure<decode_vec_single>>
        ("LDST3_single_b", "LD3/ST3 (single structure), 8-bit"),
    encoding<"0q 0011010 L R=0 00000 o=010 S zz nnnnn ttttt", structure<decode_vec_single>>
        ("LDST1_single_h", "LD1/ST1 (single structure), 16-bit"),
    encoding<"0q 0011010 L R=0 00000 o=011 S zz nnnnn ttttt", structure<decode_vec_single>>
        ("LDST3_single_h", "LD3/ST3 (single structure), 16-bit"),
    encoding<"0q 0011010 L R=0 00000 o=100 S zz nnnnn ttttt", structure<decode_vec_single>>
        ("LDST1_single_sd", "LD1/ST1 (single structure), 32-bit and 64-bit"),
    encoding<"0q 0011010 L R=0 00000 o=101 S zz nnnnn ttttt", structure<decode_vec_single>>
        ("LDST3_single_sd", "LD3/ST3 (single structure), 32-bit and 64-bit"),
    encoding<"0q 0011010 L=1 R=0 00000 o=110 S=0 zz nnnnn ttttt", structure<decode_vec_single>>
        ("LD1R", "LD1R"),
    encoding<"0q 0011010 L=1 R=0 00000 o=111 S=0 zz nnnnn ttttt", structure<decode_vec_single>>
        ("LD3R", "LD3R"),
    encoding<"0q 0011010 L R=1 00000 o=000 S zz nnnnn ttttt", structure<decode_vec_single>>
        ("LDST2_single_b", "LD2/ST2 (single structure), 8-bit"),
    encoding<"0q 0011010 L R=1 00000 o=001 S zz nnnnn ttttt", structure<decode_vec_single>>
        ("LDST4_single_b", "LD4/ST4 (single structure), 8-bit"),
    encoding<"0q 0011010 L R=1 00000 o=010 S zz nnnnn ttttt", structure<decode_vec_single>>
        ("LDST2_single_h", "LD2/ST2 (single structure), 16-bit"),
    encoding<"0q 0011010 L R=1 00000 o=011 S zz nnnnn ttttt", structure<decode_vec_single>>
        ("LDST4_single_h", "LD4/ST4 (single structure), 16-bit"),
    encoding<"0q 0011010 L R=1 00000 o=100 S zz nnnnn ttttt", structure<decode_vec_single>>
        ("LDST2_single_sd", "LD2/ST2 (single structure), 32-bit and 64-bit"),
    encoding<"0q 0011010 L R=1 00000 o=101 S zz nnnnn ttttt", structure<decode_vec_single>>
        ("LDST4_single_sd", "LD4/ST4 (single structure), 32-bit and 64-bit"),
    encoding<"0q 0011010 L=1 R=1 00000 o=110 S=0 zz nnnnn ttttt", structure<decode_vec_single>>
        ("LD2R", "LD2R"),
    encoding<"0q 0011010 L=1 R=1 00000 o=111 S=0 zz nnnnn ttttt", structure<decode_vec_single>>
        ("LD4R", "LD4R"),

    // Advanced SIMD load/store single structure (post-indexed)
    encoding<"0q 0011011 L R=0 mmmmm o=000 S zz nnnnn ttttt", structure<decode_vec_single_post>>
        ("LDST1_single_b_post", "LD1/ST1 (single structure), 8-bit, post-index"),
    encoding<"0q 0011011 L R=0 mmmmm o=001 S zz nnnnn ttttt", structure<decode_vec_single_post>>
        ("LDST3_single_b_post", "LD3/ST3 (single structure), 8-bit, post-index"),
    encoding<"0q 0011011 L R=0 mmmmm o=010 S zz nnnnn ttttt", structure<decode_vec_single_post>>
        ("LDST1_single_h_post", "LD1/ST1 (single structure), 16-bit, post-index"),
    encoding<"0q 0011011 L R=0 mmmmm o=011 S zz nnnnn ttttt", structure<decode_vec_single_post>>
        ("LDST3_single_h_post", "LD3/ST3 (single structure), 16-bit, post-index"),
    encoding<"0q 0011011 L R=0 mmmmm o=100 S zz nnnnn ttttt", structure<decode_vec_single_post>>
        ("LDST1_single_sd_post", "LD1/ST1 (single structure), 32-bit and 64-bit, post-index"),
    encoding<"0q 0011011 L R=0 mmmmm o=101 S zz nnnnn ttttt", structure<decode_vec_single_post>>
        ("LDST3_single_sd_post", "LD3/ST3 (single structure), 32-bit and 64-bit, post-index"),
    encoding<"0q 0011011 L=1 R=0 mmmmm o=110 S=0 zz nnnnn ttttt", structure<decode_vec_single_post>>
        ("LD1R_post", "LD1R, post-index"),
    encoding<"0q 0011011 L=1 R=0 mmmmm o=111 S=0 zz nnnnn ttttt", structure<decode_vec_single_post>>
        ("LD3R_post", "LD3R, post-index"),
    encoding<"0q 0011011 L R=1 mmmmm o=000 S zz nnnnn ttttt", structure<decode_vec_single_post>>
        ("LDST2_single_b_post", "LD2/ST2 (single structure), 8-bit, post-index"),
    encoding<"0q 0011011 L R=1 mmmmm o=001 S zz nnnnn ttttt", structure<decode_vec_single_post>>
        ("LDST4_single_b_post", "LD4/ST4 (single structure), 8-bit, post-index"),
    encoding<"0q 0011011 L R=1 mmmmm o=010 S zz nnnnn ttttt", structure<decode_vec_single_post>>
        ("LDST2_single_h_post", "LD2/ST2 (single structure), 16-bit, post-index"),
    encoding<"0q 0011011 L R=1 mmmmm o=011 S zz nnnnn ttttt", structure<decode_vec_single_post>>
        ("LDST4_single_h_post", "LD4/ST4 (single structure), 16-bit, post-index"),
    encoding<"0q 0011011 L R=1 mmmmm o=100 S zz nnnnn ttttt", structure<decode_vec_single_post>>
        ("LDST2_single_sd_post", "LD2/ST2 (single structure), 32-bit and 64-bit, post-index"),
    encoding<"0q 0011011 L R=1 mmmmm o=101 S zz nnnnn ttttt", structure<decode_vec_single_post>>
        ("LDST4_single_sd_post", "LD4/ST4 (single structure), 32-bit and 64-bit, post-index"),
    encoding<"0q 0011011 L=1 R=1 mmmmm o=110 S=0 zz nnnnn ttttt", structure<decode_vec_single_post>>
        ("LD2R_post", "LD2R, post-index"),
    encoding<"0q 0011011 L=1 R=1 mmmmm o=111 S=0 zz nnnnn ttttt", structure<decode_vec_single_post>>
        ("LD4R_post", "LD4R, post-index"),

    // Load register (literal), SIMD&FP: opc 00 S, 01 D, 10 Q
    encoding<"oo 011 1 00 iiiiiiiiiiiiiiiiiii ttttt", literal<decode_vec_literal>>
        ("LDR_lit_fp", "LDR (literal, SIMD&FP)"),

    // Load/store pair, SIMD&FP: opc 00 S, 01 D, 10 Q
    encoding<"oo 101 1 000 L iiiiiii uuuuu nnnnn ttttt", pair<decode_vec_pair_nt>>
        ("LDNP_STNP_fp", "LDNP/STNP (SIMD&FP)"),
    encoding<"oo 101 1 001 L iiiiiii uuuuu nnnnn ttttt", pair<decode_vec_pair_post>>
        ("LDP_STP_fp_post", "LDP/STP (SIMD&FP), post-index"),
    encoding<"oo 101 1 010 L iiiiiii uuuuu nnnnn ttttt", pair<decode_vec_pair_off>>
        ("LDP_STP_fp_off", "LDP/STP (SIMD&FP), signed offset"),
    encoding<"oo 101 1 011 L iiiiiii uuuuu nnnnn ttttt", pair<decode_vec_pair_pre>>
        ("LDP_STP_fp_pre", "LDP/STP (SIMD&FP), pre-index"),

    // Load/store register, SIMD&FP: size:opc gives B, H, S, D (opc<0> = L)
    // and Q (size 00, opc 1L)
    encoding<"zz 111 1 00 oo 0 iiiiiiiii 00 nnnnn ttttt", imm_form<decode_vec_unscaled>>
        ("LDUR_STUR_fp", "LDUR/STUR (SIMD&FP)"),
    encoding<"zz 111 1 00 oo 0 iiiiiiiii 01 nnnnn ttttt", imm_form<decode_vec_post>>
        ("LDR_STR_fp_post", "LDR/STR (immediate, SIMD&FP), post-index"),
    encoding<"zz 111 1 00 oo 0 iiiiiiiii 11 nnnnn ttttt", imm_form<decode_vec_pre>>
        ("LDR_STR_fp_pre", "LDR/STR (immediate, SIMD&FP), pre-index"),
    encoding<"zz 111 1 00 oo 1 mmmmm xxx S 10 nnnnn ttttt", reg_form<decode_vec_reg>>
        ("LDR_STR_fp_reg", "LDR/STR (register, SIMD&FP)"),
    encoding<"zz 111 1 01 oo iiiiiiiiiiii nnnnn ttttt", imm_form<decode_vec_unsigned>>
        ("LDR_STR_fp_uimm", "LDR/STR (immediate, SIMD&FP), unsigned offset"),
};

}  // namespace

std::span<const Encoding> encodings_simd_ls() { return kSimdLoadStore; }

}  // namespace cpu
