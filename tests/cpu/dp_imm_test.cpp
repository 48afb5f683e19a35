// Data processing -- immediate: ADR/ADRP, add/subtract, logical, move wide,
// bitfield, extract (ARM ARM DDI 0487 K.a, C4.1 and C6.2).
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "arch/esr.h"
#include "cpu/isa/dp_common.h"
#include "tests/cpu/dp_test_util.h"
#include "tests/cpu/harness.h"

namespace cpu::test {
namespace {

// ---- PC-rel. addressing ----------------------------------------------------

TEST(DpImm, AdrAddsASignedByteOffsetToThePc) {
    Harness h;
    h.code({0x10000081 /* adr x1, .+16 */, 0x10ffffe2 /* adr x2, .-4 */,
            0x707fffe3 /* adr x3, .+0xfffff */, 0x10800004 /* adr x4, .-0x100000 */});
    h.step(4);
    EXPECT_EQ(h.x(1), kCodeBase + 16);
    EXPECT_EQ(h.x(2), kCodeBase + 4 - 4);
    EXPECT_EQ(h.x(3), kCodeBase + 8 + 0xfffff);
    EXPECT_EQ(h.x(4), kCodeBase + 12 - 0x100000);
    EXPECT_EQ(h.pc(), kCodeBase + 16);
}

TEST(DpImm, AdrpAddsPagesToThePcWithItsLow12BitsCleared) {
    Harness h;
    const uint64_t at = kCodeBase + 0x7f8;  // not page aligned
    h.put32(at, 0xf0000001 /* adrp x1, .+0x3000 */);
    h.put32(at + 4, 0xd0ffffe2 /* adrp x2, .-0x2000 */);
    h.cpu.state().pc = at;
    h.step(2);
    EXPECT_EQ(h.x(1), (at & ~0xfffull) + 0x3000);
    EXPECT_EQ(h.x(2), (at & ~0xfffull) - 0x2000);
}

TEST(DpImm, AdrToXzrIsDiscarded) {
    Harness h;
    h.code({0x1000001f /* adr xzr, . */});
    sp_el1(h) = 0x1230;
    h.step(1);
    EXPECT_EQ(h.cpu.x(31), 0u);
    EXPECT_EQ(sp_el1(h), 0x1230u);
}

// ---- Add/subtract (immediate) ------------------------------------------------

TEST(DpImm, AddImmediateAndShiftedImmediate) {
    Harness h;
    h.code({0x91000421 /* add x1, x1, #1 */, 0x917ffc62 /* add x2, x3, #0xfff, lsl #12 */,
            0xd10040a4 /* sub x4, x5, #0x10 */});
    h.x(1) = 5;
    h.x(3) = 0x100000000ull;
    h.x(5) = 8;
    set_nzcv(h, 0b1010);
    h.step(3);
    EXPECT_EQ(h.x(1), 6u);
    EXPECT_EQ(h.x(2), 0x100fff000ull);
    EXPECT_EQ(h.x(4), 0xfffffffffffffff8ull);
    EXPECT_EQ(nzcv(h), 0b1010u);  // ADD/SUB leave the flags alone
}

TEST(DpImm, AddImmediate32BitZeroExtends) {
    Harness h;
    h.code({0x113ffc41 /* add w1, w2, #0xfff */, 0x51000483 /* sub w3, w4, #1 */});
    h.x(2) = 0xffffffff00000001ull;
    h.x(4) = 0x1234567800000000ull;
    h.step(2);
    EXPECT_EQ(h.x(1), 0x1000u);
    EXPECT_EQ(h.x(3), 0xffffffffu);
}

TEST(DpImm, AddImmediateUsesSpForRdAndRn) {
    Harness h;
    h.code({0x910043ff /* add sp, sp, #16 */, 0x910003e1 /* mov x1, sp */,
            0x9100005f /* mov sp, x2 */, 0xd14007ff /* sub sp, sp, #0x1, lsl #12 */});
    sp_el1(h) = 0x40080000;
    h.x(2) = 0x40090000;
    h.step(2);
    EXPECT_EQ(sp_el1(h), 0x40080010u);
    EXPECT_EQ(h.x(1), 0x40080010u);
    h.step(2);
    EXPECT_EQ(sp_el1(h), 0x4008f000u);
}

TEST(DpImm, AddImmediateToWspZeroExtendsIntoSp) {
    Harness h;
    h.code({0x1100043f /* add wsp, w1, #1 */, 0x110003e2 /* add w2, wsp, #0 */});
    sp_el1(h) = 0xdead0000dead0000ull;
    h.x(1) = 0x17fffffffull;
    h.step(1);
    EXPECT_EQ(sp_el1(h), 0x80000000u);
    sp_el1(h) = 0xdead0000beef0000ull;
    h.step(1);
    EXPECT_EQ(h.x(2), 0xbeef0000u);
}

TEST(DpImm, SpIsSpEl0WhenSpSelIsClear) {
    Harness h;
    h.code({0x910043ff /* add sp, sp, #16 */});
    h.cpu.state().pstate.sp = false;  // EL1t
    h.cpu.state().sp_el[0] = 0x1000;
    sp_el1(h) = 0x2000;
    h.step(1);
    EXPECT_EQ(h.cpu.state().sp_el[0], 0x1010u);
    EXPECT_EQ(sp_el1(h), 0x2000u);
}

TEST(DpImm, CmpAndCmnWriteXzrButReadSp) {
    Harness h;
    h.code({0xf10043ff /* cmp sp, #16 */, 0xb100043f /* cmn x1, #1 */,
            0xb10007e2 /* adds x2, sp, #1 */});
    sp_el1(h) = 16;
    h.x(1) = ~0ull;
    h.step(1);
    EXPECT_EQ(nzcv(h), 0b0110u);  // equal: Z, no borrow: C
    EXPECT_EQ(sp_el1(h), 16u);
    h.step(1);
    EXPECT_EQ(nzcv(h), 0b0110u);  // -1 + 1 = 0 with carry out
    EXPECT_EQ(h.cpu.x(31), 0u);
    h.step(1);
    EXPECT_EQ(h.x(2), 17u);
    EXPECT_EQ(nzcv(h), 0b0000u);
}

struct FlagCase {
    uint32_t word;
    uint64_t in, out;
    uint32_t nzcv;
};

void run_flag_cases(std::initializer_list<FlagCase> cases) {
    for (const FlagCase& c : cases) {
        SCOPED_TRACE(testing::Message() << "word 0x" << std::hex << c.word << " in 0x" << c.in);
        Harness h;
        h.code({c.word});
        h.x(1) = c.in;
        set_nzcv(h, c.nzcv ^ 0xf);  // every flag must be written
        h.step(1);
        EXPECT_EQ(h.x(1), c.out);
        EXPECT_EQ(nzcv(h), c.nzcv);
    }
}

TEST(DpImm, AddsSubsImmediateFlags64) {
    run_flag_cases({
        {0xb1000421 /* adds x1, x1, #1 */, 0, 1, 0b0000},
        {0xb1000421 /* adds x1, x1, #1 */, ~0ull, 0, 0b0110},  // carry, zero
        {0xb1000421 /* adds x1, x1, #1 */, 0x7fffffffffffffffull, 0x8000000000000000ull,
         0b1001},  // overflow
        {0xb1000021 /* adds x1, x1, #0 */, 0x8000000000000000ull, 0x8000000000000000ull, 0b1000},
        {0xf1000421 /* subs x1, x1, #1 */, 0, ~0ull, 0b1000},  // borrow: C clear
        {0xf1000421 /* subs x1, x1, #1 */, 1, 0, 0b0110},      // no borrow: C set
        {0xf1000421 /* subs x1, x1, #1 */, 0x8000000000000000ull, 0x7fffffffffffffffull, 0b0011},
        {0xf1000021 /* subs x1, x1, #0 */, 0, 0, 0b0110},  // x - 0 always carries
        {0xf17ffc21 /* subs x1, x1, #0xfff, lsl #12 */, 0xfff000, 0, 0b0110},
    });
}

TEST(DpImm, AddsSubsImmediateFlags32) {
    run_flag_cases({
        {0x31000421 /* adds w1, w1, #1 */, 0x000000007fffffffull, 0x80000000u, 0b1001},
        {0x31000421 /* adds w1, w1, #1 */, 0xffffffffffffffffull, 0, 0b0110},  // upper half ignored
        {0x31000421 /* adds w1, w1, #1 */, 0x00000001ffffffffull, 0, 0b0110},
        {0x71000421 /* subs w1, w1, #1 */, 0x0000000100000000ull, 0xffffffffu, 0b1000},
        {0x71000421 /* subs w1, w1, #1 */, 0x0000000080000000ull, 0x7fffffffu, 0b0011},
        {0x71000821 /* subs w1, w1, #2 */, 0xffffffff00000002ull, 0, 0b0110},
    });
}

TEST(DpImm, TagAdditionIsUndefinedWithoutMte) {
    expect_undefined(0x91800000 /* addg x0, x0, #0, #0 */);
    expect_undefined(0xd1800000 /* subg x0, x0, #0, #0 */);
}

TEST(DpImm, MinMaxImmediateIsUndefinedWithoutCssc) {
    expect_undefined(0x91c3f420 /* smax x0, x1, #-3 */);
    expect_undefined(0x11cf2020 /* umin w0, w1, #200 */);
}

// ---- Logical (immediate) -----------------------------------------------------

TEST(DpImm, LogicalImmediate) {
    Harness h;
    h.code({0x92401c41 /* and x1, x2, #0xff */, 0xb200f3e3 /* orr x3, xzr, #0x5555555555555555 */,
            0x520104a4 /* eor w4, w5, #0x80000001 */,
            0x927cece6 /* and x6, x7, #0xfffffffffffffff0 */,
            0x321f7928 /* orr w8, w9, #0xfffffffe */});
    h.x(2) = 0x123456789abcdef0ull;
    h.x(5) = 0xffffffff00000003ull;
    h.x(7) = 0x1234567;
    h.x(9) = 0xffffffff00000001ull;
    set_nzcv(h, 0b1111);
    h.step(5);
    EXPECT_EQ(h.x(1), 0xf0u);
    EXPECT_EQ(h.x(3), 0x5555555555555555ull);
    EXPECT_EQ(h.x(4), 0x80000002u);  // zero-extended
    EXPECT_EQ(h.x(6), 0x1234560u);
    EXPECT_EQ(h.x(8), 0xffffffffu);
    EXPECT_EQ(nzcv(h), 0b1111u);
}

TEST(DpImm, LogicalImmediateBitmaskEdgeCases) {
    struct Case {
        uint32_t word;
        uint64_t mask;
    };
    // ORR from XZR shows the decoded bitmask itself.
    for (const Case& c : std::initializer_list<Case>{
             {0xb24003e1 /* orr x1, xzr, #0x1 */, 0x1},
             {0xb24103e1 /* orr x1, xzr, #0x8000000000000000 */, 0x8000000000000000ull},
             {0xb240fbe1 /* orr x1, xzr, #0x7fffffffffffffff */, 0x7fffffffffffffffull},
             {0xb27ffbe1 /* orr x1, xzr, #0xfffffffffffffffe */, 0xfffffffffffffffeull},
             {0xb201f3e1 /* orr x1, xzr, #0xaaaaaaaaaaaaaaaa */, 0xaaaaaaaaaaaaaaaaull},  // esize 2
             {0xb200e3e1 /* orr x1, xzr, #0x1111111111111111 */, 0x1111111111111111ull},  // esize 4
             {0xb201c7e1 /* orr x1, xzr, #0x8181818181818181 */,
              0x8181818181818181ull},  // esize 8, rotated
             {0xb2009fe1 /* orr x1, xzr, #0x00ff00ff00ff00ff */,
              0x00ff00ff00ff00ffull},  // esize 16
             {0xb2103fe1 /* orr x1, xzr, #0xffff0000ffff0000 */,
              0xffff0000ffff0000ull},                                       // esize 32
             {0xb2408fe1 /* orr x1, xzr, #0xfffffffff */, 0xfffffffffull},  // esize 64
             {0x3200f3e1 /* orr w1, wzr, #0x55555555 */, 0x55555555},
             {0x320103e1 /* orr w1, wzr, #0x80000000 */, 0x80000000},
             {0x321f7be1 /* orr w1, wzr, #0xfffffffe */, 0xfffffffe},
             {0x32020fe1 /* orr w1, wzr, #0xc0000003 */, 0xc0000003},
         }) {
        SCOPED_TRACE(testing::Message() << "word 0x" << std::hex << c.word);
        Harness h;
        h.code({c.word});
        h.x(1) = 0x5a5a;
        h.step(1);
        EXPECT_EQ(h.x(1), c.mask);
    }
}

// The number of distinct logical immediates is a known property of
// DecodeBitMasks: 5334 for 64 bits, 1302 for 32 bits, each a rotated run of
// ones replicated across the register.
TEST(DpImm, DecodeBitMasksAcceptsExactlyTheLogicalImmediates) {
    for (unsigned m : {32u, 64u}) {
        std::vector<uint64_t> seen;
        for (unsigned n = 0; n < (m == 64 ? 2u : 1u); ++n)
            for (unsigned immr = 0; immr < 64; ++immr)
                for (unsigned imms = 0; imms < 64; ++imms) {
                    const auto bm = dp::decode_bit_masks(n, imms, immr, true, m);
                    if (!bm) continue;
                    const uint64_t w = bm->wmask;
                    if (m == 32) {
                        EXPECT_EQ(w >> 32, 0u);
                    }
                    EXPECT_NE(w, 0u);
                    EXPECT_NE(w, arch::ones(m));
                    seen.push_back(w);
                }
        std::sort(seen.begin(), seen.end());
        seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
        EXPECT_EQ(seen.size(), m == 64 ? 5334u : 1302u);
    }
}

TEST(DpImm, AndsImmediateSetsNzAndClearsCv) {
    run_flag_cases({
        {0xf2410021 /* ands x1, x1, #0x8000000000000000 */, ~0ull, 0x8000000000000000ull, 0b1000},
        {0xf2401c21 /* ands x1, x1, #0xff */, 0xff00, 0, 0b0100},
        {0x72010021 /* ands w1, w1, #0x80000000 */, 0xffffffffffffffffull, 0x80000000u, 0b1000},
        {0x72000021 /* ands w1, w1, #0x1 */, 0xfffffffe, 0, 0b0100},
    });
}

TEST(DpImm, LogicalImmediateRdIsSpButAndsRdIsXzr) {
    Harness h;
    h.code({0x927cec3f /* and sp, x1, #0xfffffffffffffff0 */, 0x3200005f /* orr wsp, w2, #0x1 */,
            0xf240007f /* tst x3, #0x1 */});
    h.x(1) = 0x4008001f;
    h.x(2) = 0xffffffff00000010ull;
    h.x(3) = 1;
    set_nzcv(h, 0b1111);
    h.step(1);
    EXPECT_EQ(sp_el1(h), 0x40080010u);
    h.step(1);
    EXPECT_EQ(sp_el1(h), 0x11u);
    h.step(1);
    EXPECT_EQ(sp_el1(h), 0x11u);
    EXPECT_EQ(h.cpu.x(31), 0u);
    EXPECT_EQ(nzcv(h), 0b0000u);
}

TEST(DpImm, LogicalImmediateReservedEncodingsAreUndefined) {
    expect_undefined(0x12400041); /* and w1, w2 with N = 1 (sf = 0) */
    expect_undefined(0x9240fc00); /* and x0, x0 with N = 1, imms = 111111: all-ones element */
    expect_undefined(0x9200fc00); /* and x0, x0 with N = 0, imms = 111111: no element size */
    expect_undefined(0x9200f400); /* and x0, x0 with N = 0, imms = 111101: 2-bit all-ones */
    expect_undefined(0x3200fc00); /* orr w0, w0 with imms = 111111 */
    expect_undefined(0x7200f800); /* ands w0, w0 with imms = 111110 */
}

// ---- Move wide (immediate) ---------------------------------------------------

TEST(DpImm, MoveWide) {
    Harness h;
    h.code({0xd2e24681 /* movz x1, #0x1234, lsl #48 */, 0x52bfffe2 /* movz w2, #0xffff, lsl #16 */,
            0x92800003 /* movn x3, #0 */, 0x12800004 /* movn w4, #0 */,
            0x12a24685 /* movn w5, #0x1234, lsl #16 */, 0xf2d7dde6 /* movk x6, #0xbeef, lsl #32 */,
            0x7297dde7 /* movk w7, #0xbeef */, 0xf2f95fc8 /* movk x8, #0xcafe, lsl #48 */,
            0x92d00009 /* movn x9, #0x8000, lsl #32 */});
    for (unsigned r = 1; r <= 9; ++r) h.x(r) = ~0ull;
    h.x(6) = 0x1111111111111111ull;
    h.step(9);
    EXPECT_EQ(h.x(1), 0x1234000000000000ull);
    EXPECT_EQ(h.x(2), 0xffff0000u);
    EXPECT_EQ(h.x(3), ~0ull);
    EXPECT_EQ(h.x(4), 0xffffffffu);
    EXPECT_EQ(h.x(5), 0xedcbffffu);
    EXPECT_EQ(h.x(6), 0x1111beef11111111ull);
    EXPECT_EQ(h.x(7), 0xffffbeefu);  // MOVK on W zero-extends the result
    EXPECT_EQ(h.x(8), 0xcafeffffffffffffull);
    EXPECT_EQ(h.x(9), 0xffff7fffffffffffull);
}

TEST(DpImm, MoveWideToXzrIsDiscarded) {
    Harness h;
    h.code({0xd280003f /* movz xzr, #0x1 */, 0xf280003f /* movk xzr, #0x1 */});
    sp_el1(h) = 0x100;
    h.step(2);
    EXPECT_EQ(h.cpu.x(31), 0u);
    EXPECT_EQ(sp_el1(h), 0x100u);
}

TEST(DpImm, MoveWideReservedEncodingsAreUndefined) {
    expect_undefined(0x52c00001); /* movz w1, #0, lsl #32: hw<1> = 1 with sf = 0 */
    expect_undefined(0x12e00001); /* movn w1, #0, lsl #48 */
    expect_undefined(0x72c00001); /* movk w1, #0, lsl #32 */
    expect_undefined(0x32800000); /* opc = 01 */
    expect_undefined(0xb2800000); /* opc = 01, sf = 1 */
}

// ---- Bitfield ------------------------------------------------------------------

TEST(DpImm, BitfieldShiftAliases) {
    Harness h;
    h.code({0x9343fc41 /* asr x1, x2, #3 */, 0x531f7c43 /* lsr w3, w2, #31 */,
            0xd37cec44 /* lsl x4, x2, #4 */, 0x531f7845 /* lsl w5, w2, #1 */,
            0x13047ce6 /* asr w6, w7, #4 */, 0x937ffc48 /* asr x8, x2, #63 */,
            0xd340fc49 /* lsr x9, x2, #0 */});
    h.x(2) = 0x80000000000000f1ull;
    h.x(7) = 0x0000000080000000ull;
    h.step(7);
    EXPECT_EQ(h.x(1), 0xf00000000000001eull);
    EXPECT_EQ(h.x(3), 0u);
    EXPECT_EQ(h.x(4), 0x0000000000000f10ull);
    EXPECT_EQ(h.x(5), 0x1e2u);
    EXPECT_EQ(h.x(6), 0xf8000000u);  // 32-bit sign, zero-extended
    EXPECT_EQ(h.x(8), ~0ull);
    EXPECT_EQ(h.x(9), 0x80000000000000f1ull);
}

TEST(DpImm, BitfieldExtractAndInsertAliases) {
    Harness h;
    h.code({0xd3483c41 /* ubfx x1, x2, #8, #8 */, 0xd3440c43 /* ubfiz x3, x2, #60, #4 */,
            0x93442044 /* sbfx x4, x2, #4, #5 */, 0x93780c45 /* sbfiz x5, x2, #8, #4 */,
            0x13000046 /* sbfx w6, w2, #0, #1 */, 0xd340fc47 /* ubfx x7, x2, #0, #64 */,
            0x13010048 /* sbfiz w8, w2, #31, #1 */, 0x93431c49 /* sbfx x9, x2, #3, #5 */});
    h.x(2) = 0x00000000000012f9ull;
    h.step(8);
    EXPECT_EQ(h.x(1), 0x12u);
    EXPECT_EQ(h.x(3), 0x9000000000000000ull);
    EXPECT_EQ(h.x(4), 0xfu);  // bits 8:4 = 0b01111: positive
    EXPECT_EQ(h.x(5), 0xfffffffffffff900ull);
    EXPECT_EQ(h.x(6), 0xffffffffu);
    EXPECT_EQ(h.x(7), 0x12f9u);
    EXPECT_EQ(h.x(8), 0x80000000u);
    EXPECT_EQ(h.x(9), ~0ull);  // bits 7:3 = 0b11111: -1
}

TEST(DpImm, BitfieldExtendAliases) {
    Harness h;
    h.code({0x93401c41 /* sxtb x1, w2 */, 0x13003c43 /* sxth w3, w2 */,
            0x93407c44 /* sxtw x4, w2 */, 0x53001c45 /* uxtb w5, w2 */,
            0x53003c46 /* uxth w6, w2 */});
    h.x(2) = 0xffffffff8000ff80ull;
    h.step(5);
    EXPECT_EQ(h.x(1), 0xffffffffffffff80ull);
    EXPECT_EQ(h.x(3), 0xffffff80u);
    EXPECT_EQ(h.x(4), 0xffffffff8000ff80ull);
    EXPECT_EQ(h.x(5), 0x80u);
    EXPECT_EQ(h.x(6), 0xff80u);
}

TEST(DpImm, BitfieldMoveKeepsOtherDestinationBits) {
    Harness h;
    h.code({0xb3783c41 /* bfi x1, x2, #8, #16 */, 0x33042c43 /* bfxil w3, w2, #4, #8 */,
            0xb3780fe4 /* bfc x4, #8, #4 */, 0x33040c45 /* bfi w5, w2, #28, #4 */});
    h.x(1) = 0x1111111111111111ull;
    h.x(2) = 0xabcdef98765432a5ull;
    h.x(3) = 0x22222222ffffffffull;
    h.x(4) = ~0ull;
    h.x(5) = 0xffffffff00000000ull;
    h.step(4);
    EXPECT_EQ(h.x(1), 0x111111111132a511ull);
    EXPECT_EQ(h.x(3), 0xffffff2au);  // upper half cleared by the 32-bit write
    EXPECT_EQ(h.x(4), 0xfffffffffffff0ffull);
    EXPECT_EQ(h.x(5), 0x50000000u);
}

// The ASL of SBFM/BFM/UBFM (C6.2) written out
// literally, against which every immr/imms pair is checked.
uint64_t bitfield_asl(unsigned opc, unsigned datasize, unsigned immr, unsigned imms, uint64_t dst,
                      uint64_t src) {
    const auto m = dp::decode_bit_masks(datasize == 64, imms, immr, false, datasize);
    const uint64_t all = arch::ones(datasize);
    src &= all;
    dst &= all;
    const bool inzero = opc != 1, extend = opc == 0;
    const uint64_t ror = immr == 0 ? src : ((src >> immr) | (src << (datasize - immr))) & all;
    const uint64_t d = inzero ? 0 : dst;
    const uint64_t bot = (d & ~m->wmask) | (ror & m->wmask);
    const uint64_t top = extend ? (((src >> imms) & 1) ? all : 0) : d;
    return ((top & ~m->tmask) | (bot & m->tmask)) & all;
}

TEST(DpImm, BitfieldMatchesTheAslForEveryImmrImms) {
    Harness h;
    const uint64_t srcs[] = {0x8badf00ddeadbeefull, 0x7123456789abcdefull};
    for (unsigned sf = 0; sf < 2; ++sf)
        for (unsigned opc = 0; opc < 3; ++opc)
            for (unsigned immr = 0; immr < (sf ? 64u : 32u); ++immr)
                for (unsigned imms = 0; imms < (sf ? 64u : 32u); ++imms) {
                    const uint32_t word = (sf << 31) | (opc << 29) | (0x26u << 23) | (sf << 22) |
                                          (immr << 16) | (imms << 10) | (2 << 5) | 1;
                    for (uint64_t src : srcs) {
                        h.code({word});
                        h.x(1) = 0x5555aaaa5555aaaaull;
                        h.x(2) = src;
                        h.step(1);
                        const uint64_t want =
                            bitfield_asl(opc, sf ? 64 : 32, immr, imms, 0x5555aaaa5555aaaaull, src);
                        if (h.x(1) != want) {
                            ADD_FAILURE() << std::hex << "word 0x" << word << " src 0x" << src
                                          << " got 0x" << h.x(1) << " want 0x" << want;
                            return;
                        }
                    }
                }
}

TEST(DpImm, BitfieldReservedEncodingsAreUndefined) {
    expect_undefined(0x93000000); /* sbfm x0, x0, #0, #0 with N = 0 */
    expect_undefined(0x13400000); /* sbfm w0, w0, #0, #0 with N = 1 */
    expect_undefined(0x13200000); /* sbfm w0, w0, #32, #0: immr<5> = 1 */
    expect_undefined(0x13008000); /* sbfm w0, w0, #0, #32: imms<5> = 1 */
    expect_undefined(0x53208000); /* ubfm w0, w0, #32, #32 */
    expect_undefined(0xb3000000); /* bfm x0, x0, #0, #0 with N = 0 */
    expect_undefined(0x73000000); /* opc = 11 */
}

// ---- Extract -----------------------------------------------------------------

TEST(DpImm, Extract) {
    Harness h;
    h.code({0x93c32041 /* extr x1, x2, x3, #8 */, 0x93c2fc44 /* ror x4, x2, #63 */,
            0x13837c45 /* extr w5, w2, w3, #31 */, 0x93c30046 /* extr x6, x2, x3, #0 */,
            0x13831067 /* ror w7, w3, #4 */});
    h.x(2) = 0x0123456789abcdefull;
    h.x(3) = 0xfedcba9876543210ull;
    h.step(5);
    EXPECT_EQ(h.x(1), 0xeffedcba98765432ull);
    EXPECT_EQ(h.x(4), 0x02468acf13579bdeull);
    EXPECT_EQ(h.x(5), 0x13579bdeu);  // (w2:w3) >> 31, low word
    EXPECT_EQ(h.x(6), 0xfedcba9876543210ull);
    EXPECT_EQ(h.x(7), 0x07654321u);
}

TEST(DpImm, ExtractReservedEncodingsAreUndefined) {
    expect_undefined(0x13808000); /* extr w0, w0, w0 with imms = 32 */
    expect_undefined(0x93800000); /* extr x0, x0, x0, #0 with N = 0 */
    expect_undefined(0x13c00000); /* extr w0 with N = 1 */
    expect_undefined(0x93e00000); /* o0 = 1 */
    expect_undefined(0xb3c00000); /* op21 = 01 */
}

}  // namespace
}  // namespace cpu::test
