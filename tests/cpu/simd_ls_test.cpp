// SIMD&FP loads and stores: LDR/STR (B/H/S/D/Q, every addressing mode),
// LDR (literal), LDP/STP/LDNP/STNP, LD1-LD4/ST1-ST4 (multiple and single
// structure), LD1R-LD4R; the UNDEFINED neighbours; faults (no instruction
// syndrome, nothing written) and the order of the FP, SP-alignment and
// alignment checks.
#include <gtest/gtest.h>

#include "tests/cpu/ls_harness.h"
#include "tests/cpu/simd_harness.h"

namespace cpu::test {
namespace {

// kData[k] = k & 0xff, and every V register all ones.
struct VHarness : SimdHarness {
    VHarness() {
        for (unsigned k = 0; k < 512; ++k) ram[kData - kRamBase + k] = uint8_t(k);
        for (unsigned n = 0; n < 32; ++n) v(n) = VReg::from_u64(~0ull, ~0ull);
    }
};

// The little-endian value of the n <= 8 pattern bytes at kData + off.
uint64_t pat(unsigned off, unsigned n) {
    uint64_t r = 0;
    for (unsigned k = n; k-- > 0;) r = r << 8 | ((off + k) & 0xff);
    return r;
}
VReg pat128(unsigned off) { return VReg::from_u64(pat(off, 8), pat(off + 8, 8)); }
VReg pat64(unsigned off) { return VReg::from_u64(pat(off, 8)); }

TEST(SimdLoadStore, LdrEverySizeZeroesTheRestOfTheRegister) {
    VHarness h;
    h.code({
        0x3d400020,  // ldr b0, [x1]
        0x7d400421,  // ldr h1, [x1, #2]
        0xbd400422,  // ldr s2, [x1, #4]
        0xfd400423,  // ldr d3, [x1, #8]
        0x3dc00424,  // ldr q4, [x1, #16]
    });
    h.x(1) = kData;
    h.step(5);
    EXPECT_EQ(h.v(0), VReg::from_u64(pat(0, 1)));
    EXPECT_EQ(h.v(1), VReg::from_u64(pat(2, 2)));
    EXPECT_EQ(h.v(2), VReg::from_u64(pat(4, 4)));
    EXPECT_EQ(h.v(3), pat64(8));
    EXPECT_EQ(h.v(4), pat128(16));
    EXPECT_EQ(h.pc(), kCodeBase + 20);
}

TEST(SimdLoadStore, StrStoresTheLowBits) {
    VHarness h;
    h.code({
        0x3d800844,  // str q4, [x2, #32]
        0x3d000040,  // str b0, [x2]
    });
    h.x(2) = kData + 0x100;
    h.v(4) = VReg::from_u64(0x0123456789abcdef, 0xfedcba9876543210);
    h.v(0) = VReg::from_u64(0x5a);
    h.step(2);
    EXPECT_EQ(h.get64(kData + 0x120), 0x0123456789abcdefu);
    EXPECT_EQ(h.get64(kData + 0x128), 0xfedcba9876543210u);
    EXPECT_EQ(h.get64(kData + 0x100), (pat(0x100, 8) & ~0xffull) | 0x5a);
}

TEST(SimdLoadStore, UnscaledPreAndPostIndex) {
    VHarness h;
    h.code({
        0x3cdf0025,  // ldur q5, [x1, #-16]
        0x3cc10c26,  // ldr q6, [x1, #16]!
        0xfc5f8427,  // ldr d7, [x1], #-8
        0xbc004c42,  // str s2, [x2, #4]!
        0x7c002441,  // str h1, [x2], #2
    });
    h.x(1) = kData + 32;
    h.x(2) = kData + 0x100;
    h.v(2) = VReg::from_u64(0x11223344);
    h.v(1) = VReg::from_u64(0x5566);
    h.step(3);
    EXPECT_EQ(h.v(5), pat128(16));
    EXPECT_EQ(h.v(6), pat128(48));
    EXPECT_EQ(h.v(7), pat64(48));
    EXPECT_EQ(h.x(1), kData + 40);
    h.step(2);
    EXPECT_EQ(get<uint32_t>(h, kData + 0x104), 0x11225566u);  // the post-index uses the base
    EXPECT_EQ(h.x(2), kData + 0x106);
}

TEST(SimdLoadStore, RegisterOffsetScalesByTheAccessSize) {
    VHarness h;
    h.code({
        0x3ce37828,  // ldr q8, [x1, x3, lsl #4]
        0xfc63d829,  // ldr d9, [x1, w3, sxtw #3]
        0x7c634821,  // ldr h1, [x1, w3, uxtw]
    });
    h.x(1) = kData + 64;
    h.x(3) = 2;
    h.step(1);
    EXPECT_EQ(h.v(8), pat128(96));
    h.x(3) = 0xffff'ffff'ffff'ffff;  // w3 = -1: -8
    h.step(1);
    EXPECT_EQ(h.v(9), pat64(56));
    h.x(3) = 0xabcd'0000'0000'0004;  // uxtw ignores the upper half
    h.step(1);
    EXPECT_EQ(h.v(1), VReg::from_u64(pat(68, 2)));
}

TEST(SimdLoadStore, LiteralLoadsSDQ) {
    VHarness h;
    h.code({
        0x1c00004a,  // ldr s10, .+8
        0x5cffffeb,  // ldr d11, .-4
        0x9c0000cc,  // ldr q12, .+24
    });
    h.put64(kCodeBase + 32, 0x1111222233334444);
    h.put64(kCodeBase + 40, 0x5555666677778888);
    h.step(3);
    EXPECT_EQ(h.v(10), VReg::from_u64(0x9c0000cc));
    EXPECT_EQ(h.v(11), VReg::from_u64(0x5cffffeb'1c00004a));
    EXPECT_EQ(h.v(12), VReg::from_u64(0x1111222233334444, 0x5555666677778888));
}

TEST(SimdLoadStore, PairsInEveryMode) {
    VHarness h;
    h.code({
        0xad400420,  // ldp q0, q1, [x1]
        0x6dc10c22,  // ldp d2, d3, [x1, #16]!
        0x2cff1424,  // ldp s4, s5, [x1], #-8
        0xadbf0440,  // stp q0, q1, [x2, #-32]!
        0x6c000c42,  // stnp d2, d3, [x2]
        0x6c421c26,  // ldnp d6, d7, [x1, #32]
    });
    h.x(1) = kData;
    h.x(2) = kData + 0x120;
    h.step(3);
    EXPECT_EQ(h.v(0), pat128(0));
    EXPECT_EQ(h.v(1), pat128(16));
    EXPECT_EQ(h.v(2), pat64(16));
    EXPECT_EQ(h.v(3), pat64(24));
    EXPECT_EQ(h.v(4), VReg::from_u64(pat(16, 4)));
    EXPECT_EQ(h.v(5), VReg::from_u64(pat(20, 4)));
    EXPECT_EQ(h.x(1), kData + 8);
    h.step(3);
    EXPECT_EQ(h.x(2), kData + 0x100);
    EXPECT_EQ(h.get64(kData + 0x100), pat(16, 8));  // stnp overwrote q0's low half
    EXPECT_EQ(h.get64(kData + 0x108), pat(24, 8));
    EXPECT_EQ(h.get64(kData + 0x110), pat(16, 8));  // q1
    EXPECT_EQ(h.get64(kData + 0x118), pat(24, 8));
    EXPECT_EQ(h.v(6), pat64(40));
    EXPECT_EQ(h.v(7), pat64(48));
}

// Unpredictable_LDPOVERLAP: Constraint_UNKNOWN, the second element wins.
TEST(SimdLoadStore, LdpSameRegisterHoldsTheSecondElement) {
    VHarness h;
    h.code({0xad400020});  // ldp q0, q0, [x1]
    h.x(1) = kData;
    h.step(1);
    EXPECT_EQ(h.v(0), pat128(16));
}

TEST(SimdLoadStore, Ld1MultipleFillsConsecutiveRegisters) {
    VHarness h;
    h.code({
        0x4c407020,  // ld1 {v0.16b}, [x1]
        0x0c40a022,  // ld1 {v2.8b, v3.8b}, [x1]
        0x4c40683e,  // ld1 {v30.4s, v31.4s, v0.4s}, [x1]
        0x4cdf2c24,  // ld1 {v4.2d-v7.2d}, [x1], #64
    });
    h.x(1) = kData;
    h.step(2);
    EXPECT_EQ(h.v(0), pat128(0));
    EXPECT_EQ(h.v(2), pat64(0));
    EXPECT_EQ(h.v(3), pat64(8));
    h.step(1);
    EXPECT_EQ(h.v(30), pat128(0));
    EXPECT_EQ(h.v(31), pat128(16));
    EXPECT_EQ(h.v(0), pat128(32));
    h.step(1);
    for (unsigned r = 0; r < 4; ++r) EXPECT_EQ(h.v(4 + r), pat128(16 * r)) << r;
    EXPECT_EQ(h.x(1), kData + 64);
}

TEST(SimdLoadStore, Ld2Ld3Ld4Deinterleave) {
    VHarness h;
    h.code({
        0x4c408420,  // ld2 {v0.8h, v1.8h}, [x1]
        0x4cc44824,  // ld3 {v4.4s-v6.4s}, [x1], x4
        0x0c400028,  // ld4 {v8.8b-v11.8b}, [x1]
    });
    h.x(1) = kData;
    h.x(4) = 100;
    h.step(1);
    for (unsigned e = 0; e < 8; ++e)
        for (unsigned s = 0; s < 2; ++s) EXPECT_EQ(h.v(s).get(16, e), pat(2 * (2 * e + s), 2));
    h.step(1);
    for (unsigned e = 0; e < 4; ++e)
        for (unsigned s = 0; s < 3; ++s) EXPECT_EQ(h.v(4 + s).get(32, e), pat(4 * (3 * e + s), 4));
    EXPECT_EQ(h.x(1), kData + 100);
    h.step(1);
    for (unsigned s = 0; s < 4; ++s) {
        EXPECT_EQ(h.v(8 + s).hi(), 0u);
        for (unsigned e = 0; e < 8; ++e) EXPECT_EQ(h.v(8 + s).get(8, e), pat(100 + 4 * e + s, 1));
    }
}

TEST(SimdLoadStore, StoresInterleave) {
    VHarness h;
    h.code({
        0x0c007c40,  // st1 {v0.1d}, [x2]
        0x4c9f8840,  // st2 {v0.4s, v1.4s}, [x2], #32
        0x4c000040,  // st4 {v0.16b-v3.16b}, [x2]
        0x0c004444,  // st3 {v4.4h-v6.4h}, [x2]
    });
    for (unsigned r = 0; r < 7; ++r)
        h.v(r) = VReg::from_u64(0x0706050403020100 + r * 0x1010101010101010,
                                0x0f0e0d0c0b0a0908 + r * 0x1010101010101010);
    h.x(2) = kData + 0x100;
    h.step(1);
    EXPECT_EQ(h.get64(kData + 0x100), h.v(0).d());
    EXPECT_EQ(h.get64(kData + 0x108), pat(0x108, 8));
    h.step(1);
    for (unsigned e = 0; e < 4; ++e)
        for (unsigned s = 0; s < 2; ++s)
            EXPECT_EQ(get<uint32_t>(h, kData + 0x100 + 4 * (2 * e + s)), h.v(s).get(32, e));
    EXPECT_EQ(h.x(2), kData + 0x120);
    h.step(1);
    for (unsigned e = 0; e < 16; ++e)
        for (unsigned s = 0; s < 4; ++s)
            EXPECT_EQ(h.ram[kData + 0x120 + 4 * e + s - kRamBase], h.v(s).get(8, e));
    h.step(1);
    for (unsigned e = 0; e < 4; ++e)
        for (unsigned s = 0; s < 3; ++s)
            EXPECT_EQ(get<uint16_t>(h, kData + 0x120 + 2 * (3 * e + s)), h.v(4 + s).get(16, e));
}

TEST(SimdLoadStore, SingleLaneKeepsTheOtherLanes) {
    VHarness h;
    h.code({
        0x4d401c20,  // ld1 {v0.b}[15], [x1]
        0x0d405821,  // ld1 {v1.h}[3], [x1]
        0x4ddf8022,  // ld1 {v2.s}[2], [x1], #4
        0x4dc48423,  // ld1 {v3.d}[1], [x1], x4
        0x0d60b024,  // ld4 {v4.s-v7.s}[1], [x1]
    });
    h.x(1) = kData;
    h.x(4) = 0x10;
    h.step(1);
    EXPECT_EQ(h.v(0), VReg::from_u64(~0ull, 0x00ff'ffff'ffff'ffff));
    h.step(1);
    EXPECT_EQ(h.v(1), VReg::from_u64(0x0100'ffff'ffff'ffff, ~0ull));
    h.step(1);
    EXPECT_EQ(h.v(2), VReg::from_u64(~0ull, 0xffff'ffff'0302'0100));
    EXPECT_EQ(h.x(1), kData + 4);
    h.x(1) = kData + 8;
    h.step(1);
    EXPECT_EQ(h.v(3), VReg::from_u64(~0ull, pat(8, 8)));
    EXPECT_EQ(h.x(1), kData + 0x18);
    h.step(1);
    for (unsigned s = 0; s < 4; ++s)
        EXPECT_EQ(h.v(4 + s), VReg::from_u64(pat(0x18 + 4 * s, 4) << 32 | 0xffff'ffff, ~0ull)) << s;
}

TEST(SimdLoadStore, SingleLaneStores) {
    VHarness h;
    h.code({
        0x4d008440,  // st1 {v0.d}[1], [x2]
        0x4dbf0441,  // st2 {v1.b, v2.b}[9], [x2], #2
    });
    h.v(0) = VReg::from_u64(1, 0x8877665544332211);
    h.v(1) = VReg::from_u64(0, 0xa900);
    h.v(2) = VReg::from_u64(0, 0xb900);
    h.x(2) = kData + 0x100;
    h.step(2);
    EXPECT_EQ(h.get64(kData + 0x100), 0x887766554433b9a9u);
    EXPECT_EQ(h.x(2), kData + 0x102);
}

TEST(SimdLoadStore, LoadAndReplicate) {
    VHarness h;
    h.code({
        0x4d40c820,  // ld1r {v0.4s}, [x1]
        0x0ddfc021,  // ld1r {v1.8b}, [x1], #1
        0x4d60ec24,  // ld4r {v4.2d-v7.2d}, [x1]
        0x0de4c428,  // ld2r {v8.4h, v9.4h}, [x1], x4
        0x0d40ec2a,  // ld3r {v10.1d-v12.1d}, [x1]
    });
    h.x(1) = kData;
    h.step(1);
    EXPECT_EQ(h.v(0), VReg::from_u64(0x03020100'03020100, 0x03020100'03020100));
    h.x(1) = kData + 5;
    h.step(1);
    EXPECT_EQ(h.v(1), VReg::from_u64(0x0505050505050505));
    EXPECT_EQ(h.x(1), kData + 6);
    h.x(1) = kData + 8;
    h.step(1);
    for (unsigned s = 0; s < 4; ++s)
        EXPECT_EQ(h.v(4 + s), VReg::from_u64(pat(8 + 8 * s, 8), pat(8 + 8 * s, 8))) << s;
    h.x(4) = 8;
    h.step(1);
    EXPECT_EQ(h.v(8), VReg::from_u64(pat(8, 2) * 0x0001'0001'0001'0001));
    EXPECT_EQ(h.v(9), VReg::from_u64(pat(10, 2) * 0x0001'0001'0001'0001));
    EXPECT_EQ(h.x(1), kData + 16);
    h.step(1);
    for (unsigned s = 0; s < 3; ++s) EXPECT_EQ(h.v(10 + s), pat64(16 + 8 * s)) << s;
}

// Reserved and unallocated encodings of the SIMD&FP load/store space.
TEST(SimdLoadStore, ReservedEncodingsAreUndefined) {
    const struct {
        uint32_t word;
        const char* what;
    } cases[] = {
        {0x7dc00020, "LDR (SIMD&FP) size 01, opc 11"},
        {0xbd800020, "STR (SIMD&FP) size 10, opc 10"},
        {0x3c400820, "LDTR with V = 1"},
        {0x3c220020, "atomic class with V = 1"},
        {0x3c600c20, "pac class with V = 1"},
        {0xdc000000, "LDR (literal, SIMD&FP) opc 11"},
        {0xed400420, "LDP (SIMD&FP) opc 11"},
        {0x3c630820, "LDR (register, SIMD&FP) option 000"},
        {0x0c408c20, "LD2 {.1D}"},
        {0x0c400c20, "LD4 {.1D}"},
        {0x4c401020, "multiple structures opcode 0001"},
        {0x4c607020, "multiple structures, bit 21 set"},
        {0x4c417020, "multiple structures, Rm != 0 without post-index"},
        {0xcc407020, "structures with bit 31 set"},
        {0x0d404420, "LD1 (single, 16-bit) size<0> = 1"},
        {0x0d408820, "LD1 (single, 32-bit) size 10"},
        {0x0d409420, "LD1 (single, 64-bit) S = 1"},
        {0x4d00c020, "ST1R (L = 0)"},
        {0x4d40d020, "LD1R S = 1"},
    };
    for (const auto& c : cases) {
        VHarness h;
        stop_at_vectors(h);
        h.code({c.word});
        h.step(1);
        const auto& el1 = h.cpu.state().el1;
        EXPECT_EQ(arch::esr_ec(el1.esr), arch::EC::Unknown) << c.what;
        EXPECT_EQ(el1.elr, kCodeBase) << c.what;
    }
}

// A data abort on a SIMD&FP access has no instruction syndrome (ISV = 0):
// the hypervisor sees WnR and the address only.
TEST(SimdLoadStore, Stage2AbortHasNoInstructionSyndrome) {
    const struct {
        uint32_t word;
        const char* text;
        bool wnr;
    } cases[] = {
        {0x3dc00020, "ldr q0, [x1]", false},
        {0xfd000022, "str d2, [x1]", true},
        {0x3d400020, "ldr b0, [x1]", false},
        {0xad400420, "ldp q0, q1, [x1]", false},
        {0x4c407020, "ld1 {v0.16b}, [x1]", false},
        {0x4c000020, "st4 {v0.16b-v3.16b}, [x1]", true},
        {0x4d40c820, "ld1r {v0.4s}, [x1]", false},
        {0x4d008420, "st1 {v0.d}[1], [x1]", true},
    };
    for (const auto& c : cases) {
        VHarness h;
        h.code({c.word});
        h.x(1) = kUnmapped;
        EXPECT_EQ(h.step(1), Stop::Trap) << c.text;
        const auto& el2 = h.cpu.state().el2;
        EXPECT_EQ(arch::esr_ec(el2.esr), arch::EC::DataAbortLow) << c.text;
        const DataAbortIss iss = dabt(el2.esr);
        EXPECT_FALSE(iss.isv()) << c.text;
        EXPECT_EQ(iss.wnr(), c.wnr) << c.text;
        EXPECT_EQ(iss.iss & 0x00ffc000u, 0u) << c.text;
        EXPECT_EQ(el2.far, kUnmapped) << c.text;
        EXPECT_EQ(el2.elr, kCodeBase) << c.text;
        for (unsigned n = 0; n < 4; ++n)
            EXPECT_EQ(h.v(n), VReg::from_u64(~0ull, ~0ull)) << c.text << " v" << n;
    }
}

// A structure access that faults part-way writes nothing: no register, no
// byte, no writeback; FAR is the first element that faulted.
TEST(SimdLoadStore, PartWayFaultWritesNothing) {
    VHarness h;
    h.code({0x4cdf0020});  // ld4 {v0.16b-v3.16b}, [x1], #64
    h.x(1) = kRamEnd - 32;
    EXPECT_EQ(h.step(1), Stop::Trap);
    EXPECT_EQ(h.cpu.state().el2.far, kRamEnd);
    EXPECT_EQ(h.x(1), kRamEnd - 32);
    for (unsigned n = 0; n < 4; ++n) EXPECT_EQ(h.v(n), VReg::from_u64(~0ull, ~0ull)) << n;

    VHarness s;
    s.code({0x4c002020});  // st1 {v0.16b-v3.16b}, [x1]
    s.x(1) = kRamEnd - 16;
    EXPECT_EQ(s.step(1), Stop::Trap);
    EXPECT_EQ(s.cpu.state().el2.far, kRamEnd);
    EXPECT_TRUE(dabt(s.cpu.state().el2.esr).wnr());
    EXPECT_EQ(s.get64(kRamEnd - 16), 0u);
    EXPECT_EQ(s.get64(kRamEnd - 8), 0u);

    VHarness p;
    p.code({0xad000420});  // stp q0, q1, [x1]
    p.x(1) = kRamEnd - 16;
    EXPECT_EQ(p.step(1), Stop::Trap);
    EXPECT_EQ(p.cpu.state().el2.far, kRamEnd);
    EXPECT_EQ(p.get64(kRamEnd - 16), 0u);
}

// MMU off: data accesses are Device memory. A Q access must be 16-byte
// aligned; a structure access only to its element size.
TEST(SimdLoadStore, AlignmentIsCheckedPerAccess) {
    {
        VHarness h;
        stop_at_vectors(h);
        h.code({0x3dc00020});  // ldr q0, [x1]
        h.x(1) = kData + 8;
        h.step(1);
        const auto& el1 = h.cpu.state().el1;
        EXPECT_EQ(arch::esr_ec(el1.esr), arch::EC::DataAbortCur);
        EXPECT_EQ(dabt(el1.esr).dfsc(), arch::fsc::kAlignment);
        EXPECT_FALSE(dabt(el1.esr).isv());
        EXPECT_EQ(el1.far, kData + 8);
        EXPECT_EQ(h.v(0), VReg::from_u64(~0ull, ~0ull));
    }
    {
        VHarness h;
        stop_at_vectors(h);
        h.code({0x4c407820});  // ld1 {v0.4s}, [x1]
        h.x(1) = kData + 2;
        h.step(1);
        EXPECT_EQ(dabt(h.cpu.state().el1.esr).dfsc(), arch::fsc::kAlignment);
        EXPECT_EQ(h.cpu.state().el1.far, kData + 2);
    }
    {
        VHarness h;
        h.code({0x4c407020});  // ld1 {v0.16b}, [x1]
        h.x(1) = kData + 1;
        h.step(1);
        EXPECT_EQ(h.v(0), pat128(1));
    }
}

// CheckFPAdvSIMDEnabled64 comes first: before the SP alignment check and
// the access.
TEST(SimdLoadStore, FpAccessTrapPrecedesSpAlignmentAndMemory) {
    VHarness h;
    stop_at_vectors(h);
    h.cpu.state().el1.cpacr = 0;
    h.cpu.state().el1.sctlr |= 1u << 3;  // SCTLR_EL1.SA
    h.cpu.sp() = kUnmapped + 8;
    h.code({0x4cdf73e0});  // ld1 {v0.16b}, [sp], #16
    h.step(1);
    EXPECT_EQ(arch::esr_ec(h.cpu.state().el1.esr), arch::EC::FpAccess);
    EXPECT_EQ(h.cpu.sp(), kUnmapped + 8);

    h.cpu.state().el1.cpacr = cpacr::kFPEN;
    h.cpu.state().pc = kCodeBase;
    h.step(1);
    EXPECT_EQ(arch::esr_ec(h.cpu.state().el1.esr), arch::EC::SPAlign);
}

}  // namespace
}  // namespace cpu::test
