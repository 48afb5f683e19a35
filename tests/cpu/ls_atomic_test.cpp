// FEAT_LSE: LD<op>, ST<op> aliases, SWP, CAS, CASP.
#include <gtest/gtest.h>

#include "tests/cpu/ls_harness.h"

namespace cpu::test {
namespace {

struct AtomicCase {
    uint32_t word;
    const char* text;
    uint64_t mem, operand, expect_mem;
    unsigned bytes;
};

// Each case: x1 = kData, x2 = operand, old value lands in x0 (zero-extended).
TEST(Atomic, LdOpReturnsOldAndStoresNew) {
    const AtomicCase cases[] = {
        {0xf8220020, "ldadd x2, x0, [x1]", 5, 7, 12, 8},
        {0xb8e20020, "ldaddal w2, w0, [x1]", 0xffffffff, 2, 1, 4},
        {0x78220020, "ldaddh w2, w0, [x1]", 0xffff, 1, 0, 2},
        {0xf8221020, "ldclr x2, x0, [x1]", 0xff, 0x0f, 0xf0, 8},
        {0xb8621020, "ldclrl w2, w0, [x1]", 0xff, 0xf0, 0x0f, 4},
        {0xf8222020, "ldeor x2, x0, [x1]", 0xff, 0x0f, 0xf0, 8},
        {0xf8223020, "ldset x2, x0, [x1]", 0xf0, 0x0f, 0xff, 8},
        {0xb8224020, "ldsmax w2, w0, [x1]", 0xffffffff, 1, 1, 4},
        {0xb8225020, "ldsmin w2, w0, [x1]", 0xffffffff, 1, 0xffffffff, 4},
        {0xb8226020, "ldumax w2, w0, [x1]", 0xffffffff, 1, 0xffffffff, 4},
        {0xb8227020, "ldumin w2, w0, [x1]", 0xffffffff, 1, 1, 4},
        {0x38224020, "ldsmaxb w2, w0, [x1]", 0x80, 0x7f, 0x7f, 1},
        {0x38225020, "ldsminb w2, w0, [x1]", 0x80, 0x7f, 0x80, 1},
        {0x78226020, "ldumaxh w2, w0, [x1]", 0x8000, 0x7fff, 0x8000, 2},
        {0xf8228020, "swp x2, x0, [x1]", 0x1234, 0x5678, 0x5678, 8},
        {0xf8e28020, "swpal x2, x0, [x1]", 0x1, 0x2, 0x2, 8},
        {0x38228020, "swpb w2, w0, [x1]", 0xaa, 0x1bb, 0xbb, 1},
    };
    for (const auto& c : cases) {
        Harness h;
        h.code({c.word});
        h.x(0) = ~0ull;
        h.x(1) = kData;
        h.x(2) = c.operand;
        h.put64(kData, 0xcccccccc'cccccccc);
        std::memcpy(&h.ram[kData - kRamBase], &c.mem, c.bytes);
        EXPECT_EQ(h.step(1), Stop::Irq) << c.text;
        EXPECT_EQ(h.x(0), c.mem) << c.text;
        uint64_t got = 0xcccccccc'cccccccc;
        std::memcpy(&got, &c.expect_mem, c.bytes);
        EXPECT_EQ(h.get64(kData), got) << c.text;  // bytes beyond the size untouched
    }
}

TEST(Atomic, StAliasDiscardsOldValue) {
    Harness h;
    h.code({
        0xf822003f,  // stadd x2, [x1]
        0xf82203ff,  // stadd x2, [sp]
    });
    h.x(1) = kData;
    h.x(2) = 3;
    h.cpu.state().sp_el[1] = kData;
    h.put64(kData, 10);
    h.step(2);
    EXPECT_EQ(h.get64(kData), 16u);
    EXPECT_EQ(h.cpu.state().x[31], 0u);
}

TEST(Atomic, CasSucceedsAndFails) {
    Harness h;
    h.code({
        0xc8a27c23,  // cas x2, x3, [x1]
        0xc8a27c23,  // cas x2, x3, [x1]
    });
    h.x(1) = kData;
    h.x(2) = 0x10;
    h.x(3) = 0x20;
    h.put64(kData, 0x10);
    h.step(1);
    EXPECT_EQ(h.x(2), 0x10u);  // old value
    EXPECT_EQ(h.get64(kData), 0x20u);
    h.x(2) = 0x10;
    h.x(3) = 0x30;
    h.step(1);  // compare fails: memory unchanged, Xs = value read
    EXPECT_EQ(h.x(2), 0x20u);
    EXPECT_EQ(h.get64(kData), 0x20u);
}

TEST(Atomic, CasWordAndByteCompareOnlyTheirSize) {
    Harness h;
    h.code({
        0x88e2fc23,  // casal w2, w3, [x1]
        0x08a47c25,  // casb w4, w5, [x1]
    });
    h.x(1) = kData;
    h.x(2) = 0xffffffff'00000010;  // upper half ignored
    h.x(3) = 0x00000020;
    h.x(4) = 0x120;  // byte compare: 0x20
    h.x(5) = 0x7f;
    h.put64(kData, 0x99999999'00000010);
    h.step(2);
    EXPECT_EQ(h.x(2), 0x10u);
    EXPECT_EQ(h.x(4), 0x20u);
    EXPECT_EQ(h.get64(kData), 0x99999999'0000007fu);
}

TEST(Atomic, CaspPairs) {
    Harness h;
    h.code({
        0x48227c24,  // casp x2, x3, x4, x5, [x1]
        0x08267c28,  // casp w6, w7, w8, w9, [x1]
    });
    h.x(1) = kData;
    h.x(2) = 0xa;
    h.x(3) = 0xb;
    h.x(4) = 0x1111;
    h.x(5) = 0x2222;
    h.put64(kData, 0xa);
    h.put64(kData + 8, 0xb);
    h.step(1);
    EXPECT_EQ(h.x(2), 0xau);
    EXPECT_EQ(h.x(3), 0xbu);
    EXPECT_EQ(h.get64(kData), 0x1111u);
    EXPECT_EQ(h.get64(kData + 8), 0x2222u);
    h.x(6) = 0x1111;
    h.x(7) = 0x1;  // mismatch in the second word
    h.x(8) = 0x5;
    h.x(9) = 0x6;
    h.step(1);
    EXPECT_EQ(h.x(6), 0x1111u);
    EXPECT_EQ(h.x(7), 0u);
    EXPECT_EQ(h.get64(kData), 0x1111u);
    h.x(7) = 0;
    h.cpu.state().pc = kCodeBase + 4;
    h.step(1);
    EXPECT_EQ(h.get64(kData), 0x00000006'00000005u);
}

TEST(Atomic, CaspWithXzrAsSecondRegister) {
    Harness h;
    h.code({0x483e7c3e});  // casp x30, xzr, x30, xzr, [x1]
    h.x(1) = kData;
    h.x(30) = 0x30;
    h.put64(kData, 0x30);
    h.put64(kData + 8, 0);
    h.step(1);
    EXPECT_EQ(h.x(30), 0x30u);
    EXPECT_EQ(h.cpu.state().x[31], 0u);
}

TEST(Atomic, SpBaseAndAlignment) {
    Harness h;
    stop_at_vectors(h);
    h.code({0xc8e27fe3});  // casa x2, x3, [sp]
    h.cpu.state().sp_el[1] = kData + 8;
    h.cpu.state().el1.sctlr |= 8;
    h.step(1);
    EXPECT_EQ(arch::esr_ec(h.cpu.state().el1.esr), arch::EC::SPAlign);
}

TEST(Atomic, UnalignedAtomicFaults) {
    Harness h;
    stop_at_vectors(h);
    h.code({0xb8220020});  // ldadd w2, w0, [x1]
    h.x(1) = kData + 2;
    h.x(0) = 0x55;
    h.step(1);
    const auto& s = h.cpu.state();
    EXPECT_EQ(arch::esr_ec(s.el1.esr), arch::EC::DataAbortCur);
    EXPECT_EQ(dabt(s.el1.esr).dfsc(), arch::fsc::kAlignment);
    EXPECT_FALSE(dabt(s.el1.esr).wnr());
    EXPECT_EQ(h.x(0), 0x55u);
}

TEST(Atomic, AtomicsLeaveTheMonitorAlone) {
    Harness h;
    h.code({
        0xc85f7c20,  // ldxr x0, [x1]
        0xf8228024,  // swp x2, x4, [x1]
        0xc8037c25,  // stxr w3, x5, [x1]
    });
    h.x(1) = kData;
    h.x(2) = 2;
    h.x(5) = 5;
    h.step(3);
    EXPECT_EQ(h.x(3), 0u);
    EXPECT_EQ(h.get64(kData), 5u);
}

}  // namespace
}  // namespace cpu::test
