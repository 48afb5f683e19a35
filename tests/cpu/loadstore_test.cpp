// Single-register loads and stores: every addressing mode, writeback, sizes
// and sign extension, literal, prefetch, SP as base, XZR as Rt, and
// self-modifying code.
#include <gtest/gtest.h>

#include "tests/cpu/ls_harness.h"

namespace cpu::test {
namespace {

TEST(LoadStore, LdrUnsignedOffset) {
    Harness h;
    h.code({0xf9400420});  // ldr x0, [x1, #8]
    h.x(1) = kData;
    h.put64(kData + 8, 0x1122334455667788);
    EXPECT_EQ(h.step(1), Stop::Irq);
    EXPECT_EQ(h.x(0), 0x1122334455667788u);
    EXPECT_EQ(h.x(1), kData);
    EXPECT_EQ(h.pc(), kCodeBase + 4);
}

TEST(LoadStore, LdrWZeroExtendsIntoX) {
    Harness h;
    h.code({0xb9400420});  // ldr w0, [x1, #4]
    h.x(0) = ~0ull;
    h.x(1) = kData;
    h.put64(kData, 0x8765432112345678);
    h.step(1);
    EXPECT_EQ(h.x(0), 0x87654321u);
}

TEST(LoadStore, ByteAndHalfwordLoadsExtend) {
    Harness h;
    h.code({
        0x39400420,  // ldrb w0, [x1, #1]
        0x39c00022,  // ldrsb w2, [x1]
        0x39800023,  // ldrsb x3, [x1]
        0x79400424,  // ldrh w4, [x1, #2]
        0x79c00025,  // ldrsh w5, [x1]
        0x79800026,  // ldrsh x6, [x1]
        0xb9800427,  // ldrsw x7, [x1, #4]
    });
    for (unsigned r : {0, 2, 3, 4, 5, 6, 7}) h.x(r) = ~0ull;
    h.x(1) = kData;
    h.put64(kData, 0x80000000'7f80ff80);
    h.step(7);
    EXPECT_EQ(h.x(0), 0xffu);
    EXPECT_EQ(h.x(2), 0xffffff80u);
    EXPECT_EQ(h.x(3), 0xffffffffffffff80u);
    EXPECT_EQ(h.x(4), 0x7f80u);
    EXPECT_EQ(h.x(5), 0xffffff80u);
    EXPECT_EQ(h.x(6), 0xffffffffffffff80u);
    EXPECT_EQ(h.x(7), 0xffffffff80000000u);
}

TEST(LoadStore, StoresWriteOnlyTheirSize) {
    Harness h;
    h.code({
        0xf9000820,  // str x0, [x1, #16]
        0xb9000420,  // str w0, [x1, #4]
        0x39000c20,  // strb w0, [x1, #3]
        0x79000420,  // strh w0, [x1, #2]
    });
    h.x(0) = 0x0102030405060708;
    h.x(1) = kData;
    h.step(4);
    EXPECT_EQ(h.get64(kData + 16), 0x0102030405060708u);
    EXPECT_EQ(h.get64(kData), 0x0506070807080000u);
}

TEST(LoadStore, PreAndPostIndexWriteBack) {
    Harness h;
    h.code({
        0xf8410c20,  // ldr x0, [x1, #16]!
        0xf8410422,  // ldr x2, [x1], #16
        0xf81f0c23,  // str x3, [x1, #-16]!
        0xf81f8424,  // str x4, [x1], #-8
    });
    h.x(1) = kData;
    h.x(3) = 0x33;
    h.x(4) = 0x44;
    h.put64(kData + 16, 0xaa);
    h.step(2);
    EXPECT_EQ(h.x(0), 0xaau);
    EXPECT_EQ(h.x(2), 0xaau);  // post-index loads from the updated base
    EXPECT_EQ(h.x(1), kData + 32);
    h.step(1);
    EXPECT_EQ(h.get64(kData + 16), 0x33u);
    EXPECT_EQ(h.x(1), kData + 16);
    h.step(1);
    EXPECT_EQ(h.get64(kData + 16), 0x44u);  // post-index stores at the old base
    EXPECT_EQ(h.x(1), kData + 8);
}

TEST(LoadStore, UnscaledOffsets) {
    Harness h;
    h.code({
        0xf85f8020,  // ldur x0, [x1, #-8]
        0xb81fc022,  // stur w2, [x1, #-4]
        0x38cff023,  // ldursb w3, [x1, #255]
    });
    h.x(1) = kData + 16;
    h.x(2) = 0xdeadbeef;
    h.put64(kData + 8, 0x0123456789abcdef);
    h.ram[kData + 16 + 255 - kRamBase] = 0x90;
    h.step(3);
    EXPECT_EQ(h.x(0), 0x0123456789abcdefu);
    EXPECT_EQ(h.get64(kData + 8), 0xdeadbeef89abcdefu);
    EXPECT_EQ(h.x(3), 0xffffff90u);
}

TEST(LoadStore, LargestScaledOffsets) {
    Harness h;
    h.code({
        0x397ffc20,  // ldrb w0, [x1, #4095]
        0x797ffc22,  // ldrh w2, [x1, #8190]
        0xf97ffc23,  // ldr x3, [x1, #32760]
    });
    h.x(1) = kData;
    put<uint8_t>(h, kData + 4095, 0x5a);
    put<uint16_t>(h, kData + 8190, 0x1234);
    h.put64(kData + 32760, 0x77);
    h.step(3);
    EXPECT_EQ(h.x(0), 0x5au);
    EXPECT_EQ(h.x(2), 0x1234u);
    EXPECT_EQ(h.x(3), 0x77u);
}

TEST(LoadStore, UnprivilegedForms) {
    Harness h;
    h.code({
        0xf8408820,  // ldtr x0, [x1, #8]
        0xb8004822,  // sttr w2, [x1, #4]
        0x38800823,  // ldtrsb x3, [x1]
        0x78c00824,  // ldtrsh w4, [x1]
        0xb8800825,  // ldtrsw x5, [x1]
    });
    h.x(1) = kData;
    h.x(2) = 0xcafef00d;
    h.put64(kData, 0x00000000'0000fffe);
    h.put64(kData + 8, 0x42);
    h.step(5);
    EXPECT_EQ(h.x(0), 0x42u);
    EXPECT_EQ(get<uint32_t>(h, kData + 4), 0xcafef00du);
    EXPECT_EQ(h.x(3), 0xfffffffffffffffeu);
    EXPECT_EQ(h.x(4), 0xfffffffeu);
    EXPECT_EQ(h.x(5), 0xfffeu);
}

TEST(LoadStore, RegisterOffsetExtends) {
    Harness h;
    h.code({
        0xf8626820,  // ldr x0, [x1, x2]
        0xf8637823,  // ldr x3, [x1, x3, lsl #3]
        0xb8645824,  // ldr w4, [x1, w4, uxtw #2]
        0xf865c825,  // ldr x5, [x1, w5, sxtw]
        0x3866e826,  // ldrb w6, [x1, x6, sxtx]
        0x7827d827,  // strh w7, [x1, w7, sxtw #1]
    });
    const uint64_t b = kData + 0x100;
    h.x(1) = b;
    h.x(2) = 8;
    h.x(3) = 4;                      // lsl #3: +0x20
    h.x(4) = 0xffffffff'00000010;    // uxtw ignores the top half; #2: +0x40
    h.x(5) = 0x00000000'fffffff0;    // sxtw: -0x10
    h.x(6) = uint64_t(-1);           // sxtx: -1
    h.x(7) = 0xfffffffe;             // sxtw #1 of -2: -4
    h.put64(b + 0x8, 0x108);
    h.put64(b + 0x20, 0x120);
    put<uint32_t>(h, b + 0x40, 0x140);
    h.put64(b - 0x10, 0xf0);
    put<uint8_t>(h, b - 1, 0xff);
    h.step(6);
    EXPECT_EQ(h.x(0), 0x108u);
    EXPECT_EQ(h.x(3), 0x120u);
    EXPECT_EQ(h.x(4), 0x140u);
    EXPECT_EQ(h.x(5), 0xf0u);
    EXPECT_EQ(h.x(6), 0xffu);
    EXPECT_EQ(get<uint16_t>(h, b - 4), 0xfffeu);
}

TEST(LoadStore, RegisterOffsetWithSubwordOptionIsUndefined) {
    Harness h;
    stop_at_vectors(h);
    h.code({0xf8620820});  // ldr x0, [x1, w2, uxtb] (option 000: UNDEFINED)
    h.x(1) = kData;
    EXPECT_EQ(h.step(1), Stop::Trap);
    EXPECT_EQ(arch::esr_ec(h.cpu.state().el1.esr), arch::EC::Unknown);
    EXPECT_EQ(h.cpu.state().el1.elr, kCodeBase);
}

TEST(LoadStore, LiteralLoads) {
    Harness h;
    h.code({
        0x58000080,  // ldr x0, .+16
        0x18000062,  // ldr w2, .+12
        0x98000043,  // ldrsw x3, .+8
        0x00000000,  // (data)
        0x80000001,  // (data)
        0x7fffffff,  // (data)
    });
    h.step(3);
    EXPECT_EQ(h.x(0), 0x7fffffff'80000001u);
    EXPECT_EQ(h.x(2), 0x80000001u);
    EXPECT_EQ(h.x(3), 0xffffffff80000001u);
    EXPECT_EQ(h.pc(), kCodeBase + 12);
}

TEST(LoadStore, LiteralBackwardAndSignExtended) {
    Harness h;
    h.put32(kCodeBase - 4, 0x80000000);
    h.code({
        0x98ffffe0,  // ldrsw x0, .-4
    });
    h.step(1);
    EXPECT_EQ(h.x(0), 0xffffffff80000000u);
}

TEST(LoadStore, PrefetchesNeverFault) {
    Harness h;
    h.code({
        0xd8000040,  // prfm pldl1keep, .+8 (fine: in RAM)
        0xf9800020,  // prfm pldl1keep, [x1]
        0xf8a26820,  // prfm pldl1keep, [x1, x2]
        0xf89ff020,  // prfum pldl1keep, [x1, #-1]
        0xf98007e0,  // prfm pldl1keep, [sp, #8]
    });
    h.x(1) = kUnmapped + 3;  // unmapped and unaligned
    h.x(2) = 1;
    h.cpu.state().el1.sctlr |= 8;  // SCTLR_EL1.SA: prefetches still do not check SP
    h.cpu.state().sp_el[1] = kData + 4;
    EXPECT_EQ(h.step(5), Stop::Irq);
    EXPECT_EQ(h.pc(), kCodeBase + 20);
}

TEST(LoadStore, SpAsBase) {
    Harness h;
    h.code({
        0xf94007e0,  // ldr x0, [sp, #8]
        0xf81f0fe0,  // str x0, [sp, #-16]!
    });
    h.cpu.state().sp_el[1] = kData + 16;
    h.cpu.state().el1.sctlr |= 8;  // SA: SP is 16-byte aligned, no fault
    h.put64(kData + 24, 0x24);
    h.step(2);
    EXPECT_EQ(h.x(0), 0x24u);
    EXPECT_EQ(h.cpu.state().sp_el[1], kData);
    EXPECT_EQ(h.get64(kData), 0x24u);
}

TEST(LoadStore, SpAlignmentFaultWhenSctlrSaSet) {
    Harness h;
    stop_at_vectors(h);
    h.code({0xf94007e0});  // ldr x0, [sp, #8]
    h.cpu.state().sp_el[1] = kData + 8;  // 8-aligned access, SP not 16-aligned
    h.cpu.state().el1.sctlr |= 8;
    h.x(0) = 0x1234;
    h.step(1);
    const auto& s = h.cpu.state();
    EXPECT_EQ(arch::esr_ec(s.el1.esr), arch::EC::SPAlign);
    EXPECT_EQ(arch::esr_iss(s.el1.esr), 0u);
    EXPECT_EQ(s.el1.elr, kCodeBase);
    EXPECT_EQ(h.x(0), 0x1234u);
}

TEST(LoadStore, MisalignedSpWithoutSaIsFine) {
    Harness h;
    h.code({0xf94007e0});  // ldr x0, [sp, #8]
    h.cpu.state().sp_el[1] = kData + 8;
    h.put64(kData + 16, 0x99);
    EXPECT_EQ(h.step(1), Stop::Irq);
    EXPECT_EQ(h.x(0), 0x99u);
}

TEST(LoadStore, SpAlignmentAtEl0UsesSa0) {
    Harness h;
    stop_at_vectors(h);
    h.code({0xf94007e0, 0xf94007e0});  // ldr x0, [sp, #8]; ldr x0, [sp, #8]
    auto& s = h.cpu.state();
    s.pstate.el = 0;
    s.pstate.sp = false;
    s.sp_el[0] = kData + 8;
    s.el1.sctlr |= 8;  // SA alone does not check EL0
    h.put64(kData + 16, 0x5);
    EXPECT_EQ(h.step(1), Stop::Irq);
    EXPECT_EQ(h.x(0), 0x5u);
    s.el1.sctlr |= 16;  // SA0
    h.step(1);
    EXPECT_EQ(arch::esr_ec(s.el1.esr), arch::EC::SPAlign);
    EXPECT_EQ(s.el1.elr, kCodeBase + 4);
}

TEST(LoadStore, XzrAsTransferRegister) {
    Harness h;
    h.code({
        0xf940003f,  // ldr xzr, [x1]
        0xf900003f,  // str xzr, [x1]
    });
    h.x(1) = kData;
    h.put64(kData, 0xffff);
    h.step(2);
    EXPECT_EQ(h.cpu.state().x[31], 0u);
    EXPECT_EQ(h.get64(kData), 0u);
}

// Rn == Rt with writeback (CONSTRAINED UNPREDICTABLE): a load keeps the
// loaded value (writeback suppressed), a store stores the original Rt.
TEST(LoadStore, WritebackOverlapChoices) {
    Harness h;
    h.code({
        0xf8408421,  // ldr x1, [x1], #8
        0xf8008442,  // str x2, [x2], #8
    });
    h.x(1) = kData;
    h.x(2) = kData + 32;
    h.put64(kData, 0x1111);
    h.step(2);
    EXPECT_EQ(h.x(1), 0x1111u);
    EXPECT_EQ(h.get64(kData + 32), kData + 32);
    EXPECT_EQ(h.x(2), kData + 40);
}

TEST(LoadStore, SignedPostAndPreIndex) {
    Harness h;
    h.code({
        0xb8804420,  // ldrsw x0, [x1], #4
        0x389ffc22,  // ldrsb x2, [x1, #-1]!
    });
    h.x(1) = kData + 0x200;
    put<uint32_t>(h, kData + 0x200, 0xfffffff0);
    h.step(2);
    EXPECT_EQ(h.x(0), 0xfffffffffffffff0u);
    EXPECT_EQ(h.x(2), 0xffffffffffffffffu);  // byte at +0x203 is 0xff
    EXPECT_EQ(h.x(1), kData + 0x203);
}

TEST(LoadStore, MostNegativePreIndex) {
    Harness h;
    h.code({0xf8500c23});  // ldr x3, [x1, #-256]!
    h.x(1) = kData + 0x200;
    h.put64(kData + 0x100, 0x100);
    h.step(1);
    EXPECT_EQ(h.x(3), 0x100u);
    EXPECT_EQ(h.x(1), kData + 0x100);
}

// A store that overwrites a later instruction of the block being executed
// takes effect. The block is decoded and run once, then rerun with a store
// that patches its third instruction ("ldr x0, [x3]" becomes "ldr x0, [x4]")
// while the block is cached.
TEST(LoadStore, SelfModifyingStoreInSameBlock) {
    Harness h;
    h.code({
        0xb9000022,  // str w2, [x1]
        0xf9800020,  // prfm pldl1keep, [x1]
        0xf9400060,  // ldr x0, [x3]
    });
    h.x(1) = kCodeBase + 8;
    h.x(2) = 0xf9400060;  // ldr x0, [x3]: rewrites the same word
    h.x(3) = kData;
    h.x(4) = kData + 8;
    h.put64(kData, 0xaaaa);
    h.put64(kData + 8, 0xbbbb);
    h.step(3);
    EXPECT_EQ(h.x(0), 0xaaaau);
    h.cpu.state().pc = kCodeBase;
    h.x(2) = 0xf9400080;  // ldr x0, [x4]
    h.step(3);
    EXPECT_EQ(h.x(0), 0xbbbbu);
    EXPECT_EQ(h.pc(), kCodeBase + 12);
}

// A loop that patches its own body: each iteration stores "add x0, x0,
// #counter" over the add that follows the store in the same block, so x0
// sums 3 + 2 + 1. A stale decoded block would add 0, then older values.
TEST(LoadStore, SelfModifyingLoop) {
    Harness h;
    h.code({
        0xd376d465,  // lsl x5, x3, #10
        0x0b0200a5,  // add w5, w5, w2
        0xb9000025,  // str w5, [x1]
        0x91000000,  // add x0, x0, #0x0 (patched)
        0xf1000463,  // subs x3, x3, #0x1
        0x54ffff61,  // b.ne .-20
    });
    h.x(1) = kCodeBase + 12;
    h.x(2) = 0x91000000;  // add x0, x0, #0
    h.x(3) = 3;
    EXPECT_EQ(h.step(18), Stop::Irq);
    EXPECT_EQ(h.x(0), 6u);
    EXPECT_EQ(h.pc(), kCodeBase + 24);
    EXPECT_EQ(get<uint32_t>(h, kCodeBase + 12), 0x91000400u);  // add x0, x0, #1
}

TEST(LoadStore, UnimplementedFeaturesAreUndefined) {
    for (uint32_t w : {
             0xc8df7c20u,  // ldlar x0, [x1] (FEAT_LOR)
             0x889f7c20u,  // stllr w0, [x1] (FEAT_LOR)
             0xf8200420u,  // ldraa x0, [x1] (FEAT_PAuth)
             0xd9400020u,  // ldapur x0, [x1] (FEAT_LRCPC2)
             0x69000440u,  // stgp x0, x1, [x2] (FEAT_MTE)
             0xf83f9020u,  // st64b x0, [x1] (FEAT_LS64)
             0x48237c24u,  // casp x3, x4, x4, x5, [x1] (odd Rs)
             0x48227c25u,  // casp x2, x3, x5, x6, [x1] (odd Rt)
         }) {
        Harness h;
        stop_at_vectors(h);
        h.code({w});
        h.x(1) = kData;
        h.x(2) = kData;
        h.step(1);
        EXPECT_EQ(arch::esr_ec(h.cpu.state().el1.esr), arch::EC::Unknown) << std::hex << w;
        EXPECT_EQ(h.cpu.state().el1.elr, kCodeBase) << std::hex << w;
    }
}

}  // namespace
}  // namespace cpu::test
