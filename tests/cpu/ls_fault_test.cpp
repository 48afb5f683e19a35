// Faulting loads and stores: the stage-2 data abort the hypervisor sees
// (ESR_EL2 ISS with or without a valid instruction syndrome, FAR_EL2,
// HPFAR_EL2, ELR_EL2) and the EL1 alignment fault, with no architectural
// effect of the faulting instruction.
#include <gtest/gtest.h>

#include "tests/cpu/ls_harness.h"

namespace cpu::test {
namespace {

struct Expected {
    unsigned sas;
    bool sse, sf, wnr, ar;
    unsigned srt;
};

// Runs one instruction whose access hits kUnmapped; checks the trap to EL2.
void expect_stage2_isv(uint32_t word, const char* text, const Expected& e) {
    Harness h;
    h.code({word});
    for (unsigned r = 0; r < 31; ++r) h.x(r) = 0x1000 + r;
    h.x(1) = kUnmapped;
    EXPECT_EQ(h.step(1), Stop::Trap) << text;
    const auto& el2 = h.cpu.state().el2;
    EXPECT_EQ(arch::esr_ec(el2.esr), arch::EC::DataAbortLow) << text;
    const DataAbortIss iss = dabt(el2.esr);
    EXPECT_TRUE(iss.isv()) << text;
    EXPECT_EQ(iss.sas(), e.sas) << text;
    EXPECT_EQ(iss.sse(), e.sse) << text;
    EXPECT_EQ(iss.srt(), e.srt) << text;
    EXPECT_EQ(iss.sf(), e.sf) << text;
    EXPECT_EQ(iss.wnr(), e.wnr) << text;
    EXPECT_EQ(iss.ar(), e.ar) << text;
    EXPECT_EQ(iss.dfsc(), arch::fsc::kTranslationL0 + 3) << text;
    EXPECT_EQ(el2.far, kUnmapped) << text;
    EXPECT_EQ(el2.hpfar, (kUnmapped >> 12) << 4) << text;
    EXPECT_EQ(el2.elr, kCodeBase) << text;
    EXPECT_EQ(h.pc(), kCodeBase) << text;
    for (unsigned r = 0; r < 31; ++r)
        if (r != 1) {
            EXPECT_EQ(h.x(r), 0x1000u + r) << text << " x" << r;
        }
    EXPECT_EQ(h.x(1), kUnmapped) << text;
}

TEST(LoadStoreFault, Stage2AbortOnSingleRegisterHasValidSyndrome) {
    expect_stage2_isv(0xf9400020, "ldr x0, [x1]", {3, false, true, false, false, 0});
    expect_stage2_isv(0x79c00025, "ldrsh w5, [x1]", {1, true, false, false, false, 5});
    expect_stage2_isv(0x39800029, "ldrsb x9, [x1]", {0, true, true, false, false, 9});
    expect_stage2_isv(0xb980003e, "ldrsw x30, [x1]", {2, true, true, false, false, 30});
    expect_stage2_isv(0x39400023, "ldrb w3, [x1]", {0, false, false, false, false, 3});
    expect_stage2_isv(0x39000027, "strb w7, [x1]", {0, false, false, true, false, 7});
    expect_stage2_isv(0xb9000024, "str w4, [x1]", {2, false, false, true, false, 4});
    expect_stage2_isv(0xf900002a, "str x10, [x1]", {3, false, true, true, false, 10});
    expect_stage2_isv(0xf900003f, "str xzr, [x1]", {3, false, true, true, false, 31});
    expect_stage2_isv(0xf8400020, "ldur x0, [x1]", {3, false, true, false, false, 0});
    expect_stage2_isv(0xf8400820, "ldtr x0, [x1]", {3, false, true, false, false, 0});
    expect_stage2_isv(0xf87f6822, "ldr x2, [x1, xzr]", {3, false, true, false, false, 2});
    expect_stage2_isv(0xc8dffc20, "ldar x0, [x1]", {3, false, true, false, true, 0});
    expect_stage2_isv(0x489ffc26, "stlrh w6, [x1]", {1, false, false, true, true, 6});
    expect_stage2_isv(0xb8bfc028, "ldapr w8, [x1]", {2, false, false, false, true, 8});
}

TEST(LoadStoreFault, Stage2AbortOnLiteralLoad) {
    Harness h;
    h.cpu.state().pc = kRamBase;  // literal target kRamBase - 4 is unmapped
    h.put32(kRamBase, 0x18ffffe3);  // ldr w3, .-4
    h.x(3) = 0x33;
    EXPECT_EQ(h.step(1), Stop::Trap);
    const auto& el2 = h.cpu.state().el2;
    const DataAbortIss iss = dabt(el2.esr);
    EXPECT_TRUE(iss.isv());
    EXPECT_EQ(iss.srt(), 3u);
    EXPECT_EQ(iss.sas(), 2u);
    EXPECT_EQ(el2.far, kRamBase - 4);
    EXPECT_EQ(h.x(3), 0x33u);
}

struct NoIsvCase {
    uint32_t word;
    const char* text;
    bool wnr;
};

// Writeback, pairs, exclusives and atomics: ISV = 0, nothing written.
TEST(LoadStoreFault, Stage2AbortWithoutInstructionSyndrome) {
    const NoIsvCase cases[] = {
        {0xf8410c20, "ldr x0, [x1, #16]!", false},
        {0xf81f8420, "str x0, [x1], #-8", true},
        {0xa9400c22, "ldp x2, x3, [x1]", false},
        {0xa9bf0c22, "stp x2, x3, [x1, #-16]!", true},
        {0x69400c22, "ldpsw x2, x3, [x1]", false},
        {0xc85f7c20, "ldxr x0, [x1]", false},
        {0xc87f1020, "ldxp x0, x4, [x1]", false},
        {0xf8220020, "ldadd x2, x0, [x1]", false},
        {0xf822003f, "stadd x2, [x1]", false},
        {0xc8a27c23, "cas x2, x3, [x1]", false},
        {0x48227c24, "casp x2, x3, x4, x5, [x1]", false},
        {0xf8228020, "swp x2, x0, [x1]", false},
    };
    for (const auto& c : cases) {
        Harness h;
        h.code({c.word});
        for (unsigned r = 0; r < 31; ++r) h.x(r) = 0x1000 + r;
        h.x(1) = kUnmapped;
        EXPECT_EQ(h.step(1), Stop::Trap) << c.text;
        const auto& el2 = h.cpu.state().el2;
        EXPECT_EQ(arch::esr_ec(el2.esr), arch::EC::DataAbortLow) << c.text;
        const DataAbortIss iss = dabt(el2.esr);
        EXPECT_FALSE(iss.isv()) << c.text;
        EXPECT_EQ(iss.wnr(), c.wnr) << c.text;
        EXPECT_EQ(iss.iss & 0x00ffc000u, 0u) << c.text;  // ISS[23:14] RES0 without ISV
        EXPECT_EQ(el2.elr, kCodeBase) << c.text;
        EXPECT_EQ(el2.hpfar, (el2.far >> 12) << 4) << c.text;
        for (unsigned r = 0; r < 31; ++r)
            if (r != 1) {
                EXPECT_EQ(h.x(r), 0x1000u + r) << c.text << " x" << r;
            }
        EXPECT_EQ(h.x(1), kUnmapped) << c.text;
        EXPECT_TRUE(h.cpu.monitor().open) << c.text;
    }
}

// The write of an atomic read-modify-write faults on a read-only region:
// WnR = 1, memory and registers unchanged.
TEST(LoadStoreFault, AtomicWriteFaultOnReadOnlyRegion) {
    Harness h;
    std::vector<uint8_t> rom(4096);
    const uint64_t rom_ipa = 0x80000000;
    rom[0] = 0x42;
    h.cpu.stage2().set_regions(
        {{kRamBase, kRamSize, h.ram.data(), true}, {rom_ipa, rom.size(), rom.data(), false}});
    h.code({0xf8220020});  // ldadd x2, x0, [x1]
    h.x(0) = 0x77;
    h.x(1) = rom_ipa;
    h.x(2) = 1;
    EXPECT_EQ(h.step(1), Stop::Trap);
    const DataAbortIss iss = dabt(h.cpu.state().el2.esr);
    EXPECT_FALSE(iss.isv());
    EXPECT_TRUE(iss.wnr());
    EXPECT_EQ(iss.dfsc(), arch::fsc::kPermissionL0 + 3);
    EXPECT_EQ(rom[0], 0x42);
    EXPECT_EQ(h.x(0), 0x77u);
}

// C3.2 "Compare and Swap": for permission checking a CAS is a load and a
// store, so a compare that fails still takes the write's Permission fault.
TEST(LoadStoreFault, FailingCasOnReadOnlyRegionTakesTheWriteFault) {
    Harness h;
    std::vector<uint8_t> rom(4096);
    const uint64_t rom_ipa = 0x80000000;
    rom[0] = 5;
    h.cpu.stage2().set_regions(
        {{kRamBase, kRamSize, h.ram.data(), true}, {rom_ipa, rom.size(), rom.data(), false}});
    h.code({0xc8a17c02, 0x48207c82});  // cas x1, x2, [x0]; casp x0, x1, x2, x3, [x4]
    h.x(0) = rom_ipa;
    h.x(1) = 7;  // not the 5 in memory: the compare fails
    h.x(2) = 9;
    EXPECT_EQ(h.step(1), Stop::Trap);
    DataAbortIss iss = dabt(h.cpu.state().el2.esr);
    EXPECT_TRUE(iss.wnr());
    EXPECT_EQ(iss.dfsc(), arch::fsc::kPermissionL0 + 3);
    EXPECT_EQ(h.x(1), 7u) << "the old value is not loaded when the instruction faults";
    EXPECT_EQ(rom[0], 5);

    h.cpu.state().pc = kCodeBase + 4;
    h.x(4) = rom_ipa;
    EXPECT_EQ(h.step(1), Stop::Trap) << "CASP likewise";
    iss = dabt(h.cpu.state().el2.esr);
    EXPECT_TRUE(iss.wnr());
    EXPECT_EQ(h.x(0), rom_ipa);
}

// A store pair whose second element is outside RAM writes neither element;
// the fault reports the second element's address.
TEST(LoadStoreFault, StorePairSecondElementFaultWritesNothing) {
    Harness h;
    h.code({0xa9000c22});  // stp x2, x3, [x1]
    h.x(1) = kRamEnd - 8;
    h.x(2) = 0x22;
    h.x(3) = 0x33;
    EXPECT_EQ(h.step(1), Stop::Trap);
    EXPECT_EQ(h.cpu.state().el2.far, kRamEnd);
    EXPECT_EQ(h.get64(kRamEnd - 8), 0u);
}

TEST(LoadStoreFault, LoadPairSecondElementFaultWritesNoRegister) {
    Harness h;
    h.code({0xa8c10c22});  // ldp x2, x3, [x1], #16
    h.x(1) = kRamEnd - 8;
    h.put64(kRamEnd - 8, 0x99);
    EXPECT_EQ(h.step(1), Stop::Trap);
    EXPECT_EQ(h.cpu.state().el2.far, kRamEnd);
    EXPECT_EQ(h.x(2), 0u);
    EXPECT_EQ(h.x(1), kRamEnd - 8);
}

// MMU off: data accesses are Device memory, an unaligned one takes an EL1
// Alignment fault (EC 0x25, DFSC 0x21) with FAR_EL1 = VA and no effect.
TEST(LoadStoreFault, UnalignedLoadIsAnEl1AlignmentFault) {
    Harness h;
    stop_at_vectors(h);
    h.code({0xf8410c20});  // ldr x0, [x1, #16]!
    h.x(0) = 0x1234;
    h.x(1) = kData + 1;
    h.step(1);
    const auto& s = h.cpu.state();
    EXPECT_EQ(arch::esr_ec(s.el1.esr), arch::EC::DataAbortCur);
    const DataAbortIss iss = dabt(s.el1.esr);
    EXPECT_EQ(iss.dfsc(), arch::fsc::kAlignment);
    EXPECT_FALSE(iss.isv());
    EXPECT_FALSE(iss.wnr());
    EXPECT_EQ(s.el1.far, kData + 17);
    EXPECT_EQ(s.el1.elr, kCodeBase);
    EXPECT_EQ(h.x(0), 0x1234u);
    EXPECT_EQ(h.x(1), kData + 1);
}

TEST(LoadStoreFault, UnalignedStoreIsAnEl1AlignmentFaultWithWnR) {
    Harness h;
    stop_at_vectors(h);
    h.code({0x79000020});  // strh w0, [x1]
    h.x(1) = kData + 3;
    h.x(0) = 0xffff;
    h.step(1);
    const auto& s = h.cpu.state();
    EXPECT_EQ(dabt(s.el1.esr).dfsc(), arch::fsc::kAlignment);
    EXPECT_TRUE(dabt(s.el1.esr).wnr());
    EXPECT_EQ(s.el1.far, kData + 3);
    EXPECT_EQ(h.get64(kData), 0u);
}

// An unaligned store-exclusive faults even when the monitor would fail it
// (AArch64.ExclusiveMonitorsPass checks alignment first).
TEST(LoadStoreFault, UnalignedStoreExclusiveFaultsBeforeTheMonitorCheck) {
    Harness h;
    stop_at_vectors(h);
    h.code({0xc8037c22});  // stxr w3, x2, [x1]
    h.x(1) = kData + 4;
    h.x(3) = 0x33;
    h.step(1);
    EXPECT_EQ(dabt(h.cpu.state().el1.esr).dfsc(), arch::fsc::kAlignment);
    EXPECT_EQ(h.x(3), 0x33u);
}

// A store-exclusive with the monitor open is not translated: no abort.
TEST(LoadStoreFault, FailingStoreExclusiveToUnmappedAddressDoesNotFault) {
    Harness h;
    h.code({0xc8037c22});  // stxr w3, x2, [x1]
    h.x(1) = kUnmapped;
    EXPECT_EQ(h.step(1), Stop::Irq);
    EXPECT_EQ(h.x(3), 1u);
}

}  // namespace
}  // namespace cpu::test
