// The form table: one line per encoding, grouped like the ARM ARM's A64
// encoding index (DDI 0487 K.a, C4.1). Field letters are local to a line.
#include <array>
#include <iterator>
#include <span>
#include <utility>
#include <vector>

#include "tests/difftest/encoding.h"
#include "tests/difftest/gen.h"

namespace difftest {
namespace {

#include "tests/difftest/forms_dp.inc"
#include "tests/difftest/forms_ls.inc"
#include "tests/difftest/forms_undef.inc"
#include "tests/difftest/forms_fault.inc"
#include "tests/difftest/forms_fp_scalar.inc"
#include "tests/difftest/forms_simd_shift.inc"
#include "tests/difftest/forms_simd_misc.inc"
#include "tests/difftest/forms_simd_permute.inc"
#include "tests/difftest/forms_simd_ls.inc"
#include "tests/difftest/forms_simd_three.inc"

// clang-format off
constexpr Form kForms[] = {
    // Data processing -- immediate
    {"pcrel", "ADR",  "0 ll 10000 hhhhhhhhhhhhhhhhhhh ddddd", gen_adr},
    {"pcrel", "ADRP", "1 ll 10000 hhhhhhhhhhhhhhhhhhh ddddd", gen_adr},
    {"addsub", "ADD/ADDS/SUB/SUBS (immediate)", "f o S 100010 h iiiiiiiiiiii nnnnn ddddd", gen_addsub_imm},
    {"logical", "AND/ORR/EOR/ANDS (immediate)", "f oo 100100 N rrrrrr ssssss nnnnn ddddd", gen_logical_imm},
    {"movewide", "MOVN/MOVZ/MOVK", "f oo 100101 hh iiiiiiiiiiiiiiii ddddd", gen_movewide},
    {"bitfield", "SBFM/BFM/UBFM", "f oo 100110 N rrrrrr ssssss nnnnn ddddd", gen_bitfield},
    {"extr", "EXTR", "f 00 100111 N 0 mmmmm ssssss nnnnn ddddd", gen_extr},
    // Branches, exception generating and system instructions
    {"branch", "B",      "0 00101 iiiiiiiiiiiiiiiiiiiiiiiiii", gen_b},
    {"branch", "BL",     "1 00101 iiiiiiiiiiiiiiiiiiiiiiiiii", gen_bl},
    {"branch", "B.cond", "0101010 0 iiiiiiiiiiiiiiiiiii 0 cccc", gen_bcond},
    {"branch", "CBZ/CBNZ", "f 011010 o iiiiiiiiiiiiiiiiiii ddddd", gen_cbz},
    {"branch", "TBZ/TBNZ", "B 011011 o bbbbb iiiiiiiiiiiiii ddddd", gen_tbz},
    {"branch", "BR",  "1101011 0 0 00 11111 0000 0 0 nnnnn 00000", gen_br},
    {"branch", "BLR", "1101011 0 0 01 11111 0000 0 0 nnnnn 00000", gen_blr},
    {"branch", "RET", "1101011 0 0 10 11111 0000 0 0 nnnnn 00000", gen_ret},
    {"hint", "HINT (NOP, YIELD, SEV, SEVL, DGH, ESB, PSB, TSB, CSDB, BTI)",
              "1101010100 0 00 011 0010 kkkk ppp 11111", gen_hint},
    {"barrier", "CLREX/DSB/DMB/ISB/SB", "1101010100 0 00 011 0011 kkkk ppp 11111", gen_barrier},
    // Data processing -- register
    {"logical", "AND/BIC/ORR/ORN/EOR/EON/ANDS/BICS (shifted register)",
                "f oo 01010 tt I mmmmm iiiiii nnnnn ddddd", gen_logical_shift},
    {"addsub", "ADD/ADDS/SUB/SUBS (shifted register)", "f o S 01011 tt 0 mmmmm iiiiii nnnnn ddddd", gen_addsub_shift},
    {"addsub", "ADD/ADDS/SUB/SUBS (extended register)", "f o S 01011 00 1 mmmmm xxx iii nnnnn ddddd", gen_addsub_ext},
    {"addsub", "ADC/ADCS/SBC/SBCS", "f o S 11010000 mmmmm 000000 nnnnn ddddd", gen_adc},
    {"condcmp", "CCMN/CCMP (register)",  "f o 1 11010010 mmmmm cccc 0 0 nnnnn 0 vvvv", gen_condcmp},
    {"condcmp", "CCMN/CCMP (immediate)", "f o 1 11010010 mmmmm cccc 1 0 nnnnn 0 vvvv", gen_condcmp},
    {"condsel", "CSEL/CSINC/CSINV/CSNEG", "f o 0 11010100 mmmmm cccc 0 p nnnnn ddddd", gen_condsel},
    {"dp2", "UDIV/SDIV/LSLV/LSRV/ASRV/RORV/CRC32/CRC32C", "f 0 0 11010110 mmmmm oooooo nnnnn ddddd", gen_dp2},
    {"dp1", "RBIT/REV16/REV32/REV/CLZ/CLS", "f 1 0 11010110 00000 oooooo nnnnn ddddd", gen_dp1},
    {"dp3", "MADD/MSUB/SMADDL/SMSUBL/UMADDL/UMSUBL/SMULH/UMULH", "f 00 11011 ooo mmmmm p aaaaa nnnnn ddddd", gen_dp3},
    // Loads and stores
    {"ldst", "LDR/STR (immediate, unsigned offset)", "zz 111 0 01 oo iiiiiiiiiiii nnnnn ddddd", gen_ldst_uimm},
    {"ldst", "LDUR/STUR (unscaled immediate)",       "zz 111 0 00 oo 0 iiiiiiiii ww nnnnn ddddd", gen_ldst_unscaled},
    {"ldst", "LDR/STR (immediate, post-index)",      "zz 111 0 00 oo 0 iiiiiiiii ww nnnnn ddddd", gen_ldst_post},
    {"ldst", "LDTR/STTR (unprivileged)",             "zz 111 0 00 oo 0 iiiiiiiii ww nnnnn ddddd", gen_ldst_unpriv},
    {"ldst", "LDR/STR (immediate, pre-index)",       "zz 111 0 00 oo 0 iiiiiiiii ww nnnnn ddddd", gen_ldst_pre},
    {"ldst", "LDR/STR (register offset)",            "zz 111 0 00 oo 1 mmmmm xxx S 10 nnnnn ddddd", gen_ldst_reg},
    {"ldst", "LDR/LDRSW (literal)",                  "oo 011 0 00 iiiiiiiiiiiiiiiiiii ddddd", gen_ldr_literal},
    {"ldst_pair", "LDP/STP/LDNP/STNP/LDPSW",         "oo 101 0 ppp L iiiiiii aaaaa nnnnn ddddd", gen_ldst_pair},
    {"ldst_ar", "LDAR/STLR",                         "zz 001000 1 L 0 11111 1 11111 nnnnn ddddd", gen_ldar_stlr},
    {"ldst_ar", "LDAPR",                             "zz 111 0 00 1 0 1 11111 1 100 00 nnnnn ddddd", gen_ldapr},
    {"ldst_excl", "LDXR/STXR (exclusive register)",  "zz 001000 0 L 0 mmmmm R aaaaa nnnnn ddddd", gen_exclusive},
    {"ldst_excl", "LDXP/STXP (exclusive pair)",      "1 z 001000 0 L 1 mmmmm R aaaaa nnnnn ddddd", gen_exclusive_pair},
    {"ldst_excl", "CLREX then STXR",                 "1101010100 0 00 011 0011 kkkk 010 11111", gen_clrex_stxr},
    {"atomic", "LDADD/LDCLR/LDEOR/LDSET/LD{S,U}{MAX,MIN}/SWP",
               "zz 111 0 00 A R 1 mmmmm O ppp 00 nnnnn ddddd", gen_atomic},
    {"atomic", "CAS",  "zz 001000 1 A 1 mmmmm R 11111 nnnnn ddddd", gen_cas},
    {"atomic", "CASP", "0 z 001000 0 A 1 mmmmm R 11111 nnnnn ddddd", gen_casp},
    {"prfm", "PRFM (immediate)", "11 111 0 01 10 iiiiiiiiiiii nnnnn ddddd", gen_prfm_imm},
    {"prfm", "PRFUM",            "11 111 0 00 10 0 iiiiiiiii 00 nnnnn ddddd", gen_prfum},
    {"prfm", "PRFM (register)",  "11 111 0 00 10 1 mmmmm xxx S 10 nnnnn ddddd", gen_prfm_reg},
    {"prfm", "PRFM (literal)",   "11 011 0 00 iiiiiiiiiiiiiiiiiii ddddd", gen_prfm_literal},
    // Reserved and unallocated neighbours: UNDEFINED
    {"undef", "ADD/SUB (shifted register): shift 11, or sf 0 with imm6 >= 32",
              "f o S 01011 tt 0 mmmmm iiiiii nnnnn ddddd", undef_addsub_shift},
    {"undef", "logical (shifted register): sf 0 with imm6 >= 32",
              "0 oo 01010 tt I mmmmm iiiiii nnnnn ddddd", undef_logical_shift},
    {"undef", "ADD/SUB (extended register): imm3 > 4",
              "f o S 01011 00 1 mmmmm xxx iii nnnnn ddddd", undef_addsub_ext},
    {"undef", "logical (immediate): sf 0 with N 1, reserved bitmask",
              "f oo 100100 N rrrrrr ssssss nnnnn ddddd", undef_logical_imm},
    {"undef", "bitfield: N != sf, or sf 0 with immr/imms >= 32",
              "f oo 100110 N rrrrrr ssssss nnnnn ddddd", undef_bitfield},
    {"undef", "EXTR: N != sf, or sf 0 with imms >= 32",
              "f 00 100111 N 0 mmmmm ssssss nnnnn ddddd", undef_extr},
    {"undef", "move wide: opc 01, or sf 0 with hw >= 2",
              "f oo 100101 hh iiiiiiiiiiiiiiii ddddd", undef_movewide},
    {"undef", "load/store (register offset): option<1> 0",
              "zz 111 0 00 oo 1 mmmmm xxx S 10 nnnnn ddddd", undef_ldst_reg_option},
    {"undef", "load/store (imm9 forms): unallocated size:opc",
              "zz 111 0 00 oo 0 iiiiiiiii ww nnnnn ddddd", undef_ldst_size_opc},
    {"undef", "CRC32/CRC32C: sf does not match the size",
              "f 0 0 11010110 mmmmm oooooo nnnnn ddddd", undef_crc},
    {"undef", "REV (64-bit opcode) with sf 0", "f 1 0 11010110 00000 oooooo nnnnn ddddd", undef_dp1},
    {"undef", "SMADDL/SMSUBL/SMULH/UMADDL/UMSUBL/UMULH with sf 0",
              "f 00 11011 ooo mmmmm p aaaaa nnnnn ddddd", undef_dp3},
    {"undef", "CASP: odd Rs or Rt", "0 z 001000 0 A 1 mmmmm R 11111 nnnnn ddddd", undef_casp},
    // Loads, stores and atomics to an unmapped IPA: a Data Abort, nothing written
    {"fault", "LDR/STR (immediate, unsigned offset), unmapped", "zz 111 0 01 oo iiiiiiiiiiii nnnnn ddddd", faulting<gen_ldst_uimm>},
    {"fault", "LDUR/STUR (unscaled immediate), unmapped",       "zz 111 0 00 oo 0 iiiiiiiii ww nnnnn ddddd", faulting<gen_ldst_unscaled>},
    {"fault", "LDR/STR (immediate, post-index), unmapped",      "zz 111 0 00 oo 0 iiiiiiiii ww nnnnn ddddd", faulting<gen_ldst_post>},
    {"fault", "LDTR/STTR (unprivileged), unmapped",             "zz 111 0 00 oo 0 iiiiiiiii ww nnnnn ddddd", faulting<gen_ldst_unpriv>},
    {"fault", "LDR/STR (immediate, pre-index), unmapped",       "zz 111 0 00 oo 0 iiiiiiiii ww nnnnn ddddd", faulting<gen_ldst_pre>},
    {"fault", "LDR/STR (register offset), unmapped",            "zz 111 0 00 oo 1 mmmmm xxx S 10 nnnnn ddddd", faulting<gen_ldst_reg>},
    {"fault", "LDP/STP/LDNP/STNP/LDPSW, unmapped",              "oo 101 0 ppp L iiiiiii aaaaa nnnnn ddddd", faulting<gen_ldst_pair>},
    {"fault", "LDAR/STLR, unmapped",                            "zz 001000 1 L 0 11111 1 11111 nnnnn ddddd", faulting<gen_ldar_stlr>},
    {"fault", "LDAPR, unmapped",                                "zz 111 0 00 1 0 1 11111 1 100 00 nnnnn ddddd", faulting<gen_ldapr>},
    {"fault", "LDADD/.../SWP, unmapped",                        "zz 111 0 00 A R 1 mmmmm O ppp 00 nnnnn ddddd", faulting<gen_atomic>},
    {"fault", "CAS, unmapped",                                  "zz 001000 1 A 1 mmmmm R 11111 nnnnn ddddd", faulting<gen_cas>},
    {"fault", "CASP, unmapped",                                 "0 z 001000 0 A 1 mmmmm R 11111 nnnnn ddddd", faulting<gen_casp>},
};
// clang-format on

// The SIMD&FP groups keep their forms in files of their own
// (forms_<group>.inc, each defining one table); one line each here.
constexpr std::span<const Form> kFormTables[] = {
    kForms,
    kFpScalarForms,
    kSimdShiftForms,
    kSimdMiscForms,
    kSimdPermuteForms,
    kSimdLsForms,
    kSimdThreeForms,
};

}  // namespace

std::span<const Form> all_forms() {
    static const std::vector<Form> all = [] {
        std::vector<Form> v;
        for (auto t : kFormTables) v.insert(v.end(), t.begin(), t.end());
        return v;
    }();
    return all;
}

}  // namespace difftest
