// Branches (ARM ARM DDI 0487 K.a, C6.2: B, BL, B.cond, CBZ, CBNZ, TBZ, TBNZ,
// BR, BLR, RET) and the UNDEFINED pointer-authentication and FEAT_HBC forms.
#include <gtest/gtest.h>

#include "arch/esr.h"
#include "tests/cpu/harness.h"

namespace cpu::test {
namespace {

// Runs one instruction; every branch returns the budget stop at its target.
uint64_t run_one(Harness& h) {
    EXPECT_EQ(h.step(1), Stop::Irq);
    return h.pc();
}

TEST(Branch, BAddsTheOffsetToItsOwnAddress) {  // C6.2.26 B
    Harness h;
    h.code({0x14000002});  // b .+8
    EXPECT_EQ(run_one(h), kCodeBase + 8);
}

TEST(Branch, BBackwardsSignExtendsImm26) {  // C6.2.26: SignExtend(imm26:'00', 64)
    Harness h;
    h.cpu.state().pc = kCodeBase + 0x10;
    h.put32(kCodeBase + 0x10, 0x17fffffc);  // b .-16
    EXPECT_EQ(run_one(h), kCodeBase);
}

TEST(Branch, BLWritesReturnAddressToX30) {  // C6.2.35 BL: X[30] = PC + 4
    Harness h;
    h.code({0x94000004});  // bl .+16
    EXPECT_EQ(run_one(h), kCodeBase + 16);
    EXPECT_EQ(h.x(30), kCodeBase + 4);
}

// ConditionHolds (J1.3) against Table C1-1, written out per condition.
bool expected_holds(unsigned cond, unsigned nzcv) {
    const bool n = nzcv & 8, z = nzcv & 4, c = nzcv & 2, v = nzcv & 1;
    switch (cond) {
    case 0x0: return z;                   // EQ
    case 0x1: return !z;                  // NE
    case 0x2: return c;                   // CS/HS
    case 0x3: return !c;                  // CC/LO
    case 0x4: return n;                   // MI
    case 0x5: return !n;                  // PL
    case 0x6: return v;                   // VS
    case 0x7: return !v;                  // VC
    case 0x8: return c && !z;             // HI
    case 0x9: return !c || z;             // LS
    case 0xA: return n == v;              // GE
    case 0xB: return n != v;              // LT
    case 0xC: return !z && n == v;        // GT
    case 0xD: return z || n != v;         // LE
    default: return true;                 // AL, NV (NV behaves as AL)
    }
}

TEST(Branch, BCondAllSixteenConditionsForEveryNzcv) {  // C6.2.27 B.cond
    for (unsigned cond = 0; cond < 16; ++cond) {
        for (unsigned nzcv = 0; nzcv < 16; ++nzcv) {
            Harness h;
            h.code({0x54000040u | cond});  // b.<cond> .+8 (0x54000040 = b.eq .+8)
            h.cpu.state().pstate.set_nzcv(nzcv);
            const uint64_t want = expected_holds(cond, nzcv) ? kCodeBase + 8 : kCodeBase + 4;
            EXPECT_EQ(run_one(h), want) << "cond " << cond << " nzcv " << nzcv;
        }
    }
}

TEST(Branch, BCondAlAndNvAlwaysBranch) {  // C1.2.4: 0b1111 executes as "always"
    for (uint32_t word : {0x5400004eu /* b.al .+8 */, 0x5400004fu /* b.nv .+8 */}) {
        Harness h;
        h.code({word});
        EXPECT_EQ(run_one(h), kCodeBase + 8);
    }
}

TEST(Branch, BCConsistentIsUndefinedWithoutFeatHbc) {  // C6.2.29 BC.cond (FEAT_HBC)
    Harness h;
    h.code({0x54000050});  // bc.eq .+8 (hand-encoded: this binutils lacks FEAT_HBC)
    h.step(1);
    EXPECT_EQ(arch::esr_ec(h.cpu.state().el1.esr), arch::EC::Unknown);
    EXPECT_EQ(h.cpu.state().el1.elr, kCodeBase);
}

TEST(Branch, CbzTestsTheWholeXRegister) {  // C6.2.48 CBZ
    Harness h;
    h.code({0xb4000041});  // cbz x1, .+8
    h.x(1) = 1ull << 32;   // W1 = 0 but X1 != 0
    EXPECT_EQ(run_one(h), kCodeBase + 4);
    h.code({0xb4000041});
    h.x(1) = 0;
    EXPECT_EQ(run_one(h), kCodeBase + 8);
}

TEST(Branch, CbnzOnWTestsOnlyTheLow32Bits) {  // C6.2.47 CBNZ, sf = 0
    Harness h;
    h.code({0x35000041});  // cbnz w1, .+8
    h.x(1) = 1ull << 32;
    EXPECT_EQ(run_one(h), kCodeBase + 4);
    h.code({0x35000041});
    h.x(1) = 5;
    EXPECT_EQ(run_one(h), kCodeBase + 8);
}

TEST(Branch, TbzUsesB5B40AsTheBitNumber) {  // C6.2.370 TBZ: bit_pos = b5:b40
    Harness h;
    h.code({0xb6080041});  // tbz x1, #33, .+8
    h.x(1) = ~(1ull << 33);
    EXPECT_EQ(run_one(h), kCodeBase + 8);
    h.code({0xb6080041});
    h.x(1) = 1ull << 33;
    EXPECT_EQ(run_one(h), kCodeBase + 4);
}

TEST(Branch, TbnzBranchesOnASetBit) {  // C6.2.369 TBNZ
    Harness h;
    h.code({0x37180041});  // tbnz w1, #3, .+8
    h.x(1) = 8;
    EXPECT_EQ(run_one(h), kCodeBase + 8);
    h.code({0x37180041});
    h.x(1) = 0;
    EXPECT_EQ(run_one(h), kCodeBase + 4);
}

TEST(Branch, BrJumpsToTheRegister) {  // C6.2.37 BR
    Harness h;
    h.code({0xd61f0040});  // br x2
    h.x(2) = kCodeBase + 0x40;
    EXPECT_EQ(run_one(h), kCodeBase + 0x40);
}

TEST(Branch, BlrX30ReadsTheTargetBeforeWritingTheLink) {  // C6.2.36 BLR
    Harness h;
    h.code({0xd63f03c0});  // blr x30
    h.x(30) = kCodeBase + 0x80;
    EXPECT_EQ(run_one(h), kCodeBase + 0x80);
    EXPECT_EQ(h.x(30), kCodeBase + 4);
}

TEST(Branch, RetDefaultsToX30AndTakesAnyRegister) {  // C6.2.254 RET
    Harness h;
    h.code({0xd65f03c0});  // ret
    h.x(30) = kCodeBase + 0x20;
    EXPECT_EQ(run_one(h), kCodeBase + 0x20);
    h.code({0xd65f0060});  // ret x3
    h.x(3) = kCodeBase + 0x30;
    EXPECT_EQ(run_one(h), kCodeBase + 0x30);
}

TEST(Branch, TopByteIgnoredOnlyWhenTcrTbiSet) {  // AArch64.BranchAddr, TCR_EL1.TBI0
    Harness h;
    h.code({0xd61f0040});  // br x2
    h.x(2) = 0x5A00000000000000ull | (kCodeBase + 0x40);
    h.cpu.state().el1.tcr = 1ull << 37;  // TBI0
    EXPECT_EQ(run_one(h), kCodeBase + 0x40);
}

TEST(Branch, PointerAuthenticationFormsAreUndefined) {  // FEAT_PAuth not advertised
    for (uint32_t word : {0xd65f0bffu /* retaa */, 0xd71f0822u /* braa x1, x2 */}) {
        Harness h;
        h.code({word});
        h.step(1);
        EXPECT_EQ(arch::esr_ec(h.cpu.state().el1.esr), arch::EC::Unknown);
        EXPECT_EQ(h.cpu.state().el1.elr, kCodeBase);
    }
}

TEST(Branch, BranchEndsTheBlockSoTheTargetIsFetched) {  // taken branch then NOP
    Harness h;
    h.code({0x14000002, 0x00000000, 0xd503201f});  // b .+8; udf #0; nop
    EXPECT_EQ(h.step(2), Stop::Irq);
    EXPECT_EQ(h.pc(), kCodeBase + 12);
    EXPECT_EQ(h.cpu.retired(), 2u);
}

}  // namespace
}  // namespace cpu::test
