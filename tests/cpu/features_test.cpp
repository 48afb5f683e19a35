// The PE executes only the optional features it has (cpu/features.h): the
// ID register fields that advertise them, one instruction per feature that
// is UNDEFINED without it and executes with it, every tagged decode row,
// and the 16 KiB granule of a PE without FEAT_TGran16K.
#include <gtest/gtest.h>

#include "arch/esr.h"
#include "cpu/decode.h"
#include "cpu/features.h"
#include "cpu/sysregs.h"
#include "tests/cpu/mmu_harness.h"
#include "tests/cpu/simd_harness.h"

namespace cpu::test {
namespace {

constexpr uint64_t kCurrentSpx = 0x200;  // VBAR_EL1 offset: synchronous, current EL, SP_ELx
constexpr uint64_t kData = kRamBase + 0x2000;

Features all_but(Feature f) {
    Features pe;
    pe.set(f, false);
    return pe;
}

Features none() {
    Features pe;
    for (unsigned i = 1; i < kFeatureCount; ++i) pe.set(Feature(i), false);
    return pe;
}

// ---- features_from_id ---------------------------------------------------------

TEST(FeaturesFromId, MaxIdRegistersGiveEveryFeature) {
    EXPECT_EQ(features_from_id(id::kAa64Isar0, id::kAa64Isar1, id::kAa64Mmfr0), Features{});
}

TEST(FeaturesFromId, ZeroIdRegistersGiveNone) { EXPECT_EQ(features_from_id(0, 0, 0), none()); }

// QEMU 7.2's cortex-a53/a57/a72 (target/arm/cpu64.c): ISAR0 0x00011120 (AES
// with PMULL, SHA1, SHA256, CRC32), ISAR1 0, MMFR0 0x00001122 (a53) or
// 0x00001124 (a57, a72): the crypto features and nothing of Armv8.1+, no
// 16 KiB granule.
TEST(FeaturesFromId, CortexModelsHaveCryptoAndCrc32Only) {
    Features cortex = none();
    cortex.aes = cortex.pmull = cortex.sha1 = cortex.sha256 = cortex.crc32 = true;
    EXPECT_EQ(features_from_id(0x00011120, 0, 0x00001122), cortex);
    EXPECT_EQ(features_from_id(0x00011120, 0, 0x00001124), cortex);
}

// Each field alone, at the lowest value that has the feature, and one below.
TEST(FeaturesFromId, EachFieldAtItsThreshold) {
    struct Case {
        Feature f;
        uint64_t isar0, isar1, mmfr0;
    };
    const Case cases[] = {
        {Feature::AES, 1ull << 4, 0, 0},      {Feature::SHA1, 1ull << 8, 0, 0},
        {Feature::SHA256, 1ull << 12, 0, 0},  {Feature::CRC32, 1ull << 16, 0, 0},
        {Feature::LSE, 2ull << 20, 0, 0},     {Feature::DPB, 0, 1ull << 0, 0},
        {Feature::LRCPC, 0, 1ull << 20, 0},   {Feature::SB, 0, 1ull << 36, 0},
        {Feature::TGran16, 0, 0, 1ull << 20},
    };
    for (const Case& c : cases) {
        Features want = none();
        want.set(c.f, true);
        EXPECT_EQ(features_from_id(c.isar0, c.isar1, c.mmfr0), want) << feature_name(c.f);
        // One below the threshold (the field's value minus 1 at its lowest bit).
        const auto below = [](uint64_t v) { return v ? v - (v & -v) : 0; };
        EXPECT_EQ(features_from_id(below(c.isar0), below(c.isar1), below(c.mmfr0)), none())
            << feature_name(c.f);
    }
    // AES = 2 adds the 64-bit PMULL; SHA2 = 2 (SHA512, not implemented)
    // still has SHA256; TGran16 = 2 (with 52-bit addresses) has the granule.
    Features aes_pmull = none();
    aes_pmull.aes = aes_pmull.pmull = true;
    EXPECT_EQ(features_from_id(2ull << 4, 0, 0), aes_pmull);
    EXPECT_TRUE(features_from_id(2ull << 12, 0, 0).sha256);
    EXPECT_TRUE(features_from_id(0, 0, 2ull << 20).tgran16);
}

// ---- One instruction per feature ----------------------------------------------

struct FeatureInsn {
    Feature f;
    uint32_t word;
    const char* text;
};

// x1 = kData for the memory forms; SIMD&FP is enabled (CPACR_EL1.FPEN).
constexpr FeatureInsn kInsns[] = {
    {Feature::AES, 0x4e284820, "aese v0.16b, v1.16b"},
    {Feature::PMULL, 0x0ee2e020, "pmull v0.1q, v1.1d, v2.1d"},
    {Feature::SHA1, 0x5e280820, "sha1h s0, s1"},
    {Feature::SHA256, 0x5e282820, "sha256su0 v0.4s, v1.4s"},
    {Feature::CRC32, 0x1ac24020, "crc32b w0, w1, w2"},
    {Feature::LSE, 0xf8220020, "ldadd x2, x0, [x1]"},
    {Feature::LRCPC, 0xf8bfc020, "ldapr x0, [x1]"},
    {Feature::DPB, 0xd50b7c21, "dc cvap, x1"},
    {Feature::SB, 0xd50330ff, "sb"},
};

// Runs the word at kCodeBase (placed there once) on a PE with `pe`; true
// when it retired.
bool executes(SimdHarness& h, const Features& pe) {
    h.cpu.set_features(pe);
    h.cpu.state().pc = kCodeBase;
    h.x(1) = kData;
    h.step(1);
    return h.pc() == kCodeBase + 4;
}

TEST(FeatureGate, EachFeaturesInstructionIsUndefinedWithoutIt) {
    for (const FeatureInsn& c : kInsns) {
        SimdHarness h;
        h.code({c.word});
        EXPECT_FALSE(executes(h, all_but(c.f))) << c.text;
        const State& s = h.cpu.state();
        EXPECT_EQ(s.pc, s.el1.vbar + kCurrentSpx) << c.text;
        EXPECT_EQ(s.el1.esr, arch::esr(arch::EC::Unknown, 0)) << c.text;  // EC 0, IL = 1
        EXPECT_EQ(s.el1.elr, kCodeBase) << c.text;
    }
}

TEST(FeatureGate, EachFeaturesInstructionExecutesWithIt) {
    for (const FeatureInsn& c : kInsns) {
        SimdHarness h;
        h.code({c.word});
        Features only = none();
        only.set(c.f, true);
        EXPECT_TRUE(executes(h, only)) << c.text;
        EXPECT_EQ(h.cpu.state().el1.esr, 0u) << c.text;
    }
}

// Every feature an instruction can need has one above.
TEST(FeatureGate, EveryInstructionFeatureHasACase) {
    for (unsigned i = 1; i < kFeatureCount; ++i) {
        const Feature f = Feature(i);
        if (f == Feature::TGran16) continue;  // a translation feature (Granule16K below)
        bool found = false;
        for (const FeatureInsn& c : kInsns) found |= c.f == f;
        EXPECT_TRUE(found) << feature_name(f);
    }
}

// Features change after the code ran, the code does not: the decoded block
// is dropped, so the word is decoded again under the new features.
TEST(FeatureGate, ChangingFeaturesRedecodes) {
    SimdHarness h;
    h.code({0xf8220020});  // ldadd x2, x0, [x1]
    EXPECT_TRUE(executes(h, Features{}));
    EXPECT_FALSE(executes(h, all_but(Feature::LSE)));
    EXPECT_TRUE(executes(h, Features{}));
}

// Every word of every tagged row is UNDEFINED without its feature; untagged
// rows decode the same whatever the features.
TEST(FeatureGate, TaggedRowsDecodeUndefinedWithoutTheirFeature) {
    const Features off = none();
    unsigned tagged = 0;
    for (const Encoding* e : all_encodings()) {
        for (uint32_t fill : {0u, ~0u, 0x5A5A5A5Au, 0xA5A5A5A5u}) {
            const uint32_t word = e->match | (fill & ~e->mask);
            if (find_encoding(word) != e) continue;  // a refining row decodes it
            Insn with, without;
            decode(word, Features{}, with);
            decode(word, off, without);
            if (e->feature == Feature::None) {
                EXPECT_EQ(with.exec, without.exec) << e->name;
            } else {
                EXPECT_EQ(without.exec, &UNDEFINED) << e->name << " " << std::hex << word;
                EXPECT_TRUE(without.ends_block) << e->name;
                tagged += fill == 0;
            }
        }
    }
    EXPECT_GE(tagged, 30u);  // AES 4, SHA1 6, SHA256 4, CRC32 2, LSE 13, LRCPC 3, ...
}

// ---- The 16 KiB granule ---------------------------------------------------------

constexpr uint64_t kHighVa = 0xFFFF000000042000;  // TTBR1_EL1, 4 KiB tables
constexpr uint64_t kTg0Mask = 3ull << 14, kTg1Mask = 3ull << 30;

// 4 KiB tables for both halves, TCR_EL1.TG0/TG1 as the harness set them.
struct GranuleHarness : MmuHarness {
    GranuleHarness() : MmuHarness(12, 16, 16) {
        map(kHighVa, kPageData, desc::kNormal);
        put64(kPageData + 0x100, 0x1122334455667788);
        enable();
    }
};

// Without FEAT_TGran16K, TG0 = 0b10 and TG1 = 0b01 (16 KiB) act as 4 KiB
// (AArch64.S1DecodeTG0/TG1: an IMPLEMENTATION DEFINED implemented size;
// QEMU's choice, docs/architecture-choices.md), and TCR_EL1 reads back what
// was written.
TEST(Granule16K, WithoutFeatTGran16KActsAs4KAndReadsBackAsWritten) {
    GranuleHarness h;
    h.cpu.set_features(all_but(Feature::TGran16));
    const uint64_t tcr16 = (h.el1().tcr & ~(kTg0Mask | kTg1Mask)) | tcr::kTg0_16K | tcr::kTg1_16K;
    h.code({
        0xd5182043,  // msr tcr_el1, x3
        0xd5033fdf,  // isb
        0xd5382044,  // mrs x4, tcr_el1
        0xf9400020,  // ldr x0, [x1]
    });
    h.x(1) = kHighVa + 0x100;
    h.x(3) = tcr16;
    ASSERT_EQ(h.step(4), Stop::Irq);
    EXPECT_EQ(h.pc(), kCodeBase + 16);  // fetched through TTBR0 with TG0 = 16 KiB
    EXPECT_EQ(h.x(4), tcr16);
    EXPECT_EQ(h.x(0), 0x1122334455667788u);  // loaded through TTBR1 with TG1 = 16 KiB
}

// The control: with FEAT_TGran16K, TG1 = 0b01 walks the same 4 KiB tables as
// 16 KiB ones, which map nothing at the VA: a level-1 Translation fault.
TEST(Granule16K, WithFeatTGran16KTheSameTablesAreWalkedAs16K) {
    GranuleHarness h;
    h.cpu.state().el1.tcr = (h.el1().tcr & ~kTg1Mask) | tcr::kTg1_16K;
    h.code({0xf9400020});  // ldr x0, [x1]
    h.x(1) = kHighVa + 0x100;
    h.step(1);
    EXPECT_EQ(h.pc(), h.el1().vbar + kCurrentSpx);
    EXPECT_EQ(h.ec(), arch::EC::DataAbortCur);
    EXPECT_EQ(h.fsc(), 0x05u);  // Translation fault, level 1
}

}  // namespace
}  // namespace cpu::test
