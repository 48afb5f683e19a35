// The debugger's translation (s1_translate_debug, behind Vcpu::translate):
// the IPA AT S1E1R would compute for the EL1&0 regime (AArch64.S1Translate),
// with none of its side effects: no PAR_EL1, no TLB fill, no exception, and
// the Access flag left as it is (HAFDBS = 0).
#include <gtest/gtest.h>

#include "cpu/mmu.h"
#include "tests/cpu/mmu_harness.h"

namespace cpu::test {
namespace {

using namespace desc;

constexpr uint64_t kVa = 0x10000000;
constexpr uint64_t kLdrX0 = 0xf9400020;  // ldr x0, [x1]

std::optional<uint64_t> translate(MmuHarness& h, uint64_t va) {
    return s1_translate_debug(h.cpu.state(), h.cpu.features(), h.cpu.stage2(), va);
}

TEST(DebugTranslate, StageOneOffIsTheIdentityUpToThePaSize) {
    MmuHarness h;
    EXPECT_EQ(translate(h, kPageData + 0x123), kPageData + 0x123);
    // AArch64.S1DisabledOutput: above the PA size (48 bits) is a fault.
    EXPECT_EQ(translate(h, 1ull << 48), std::nullopt);
}

TEST(DebugTranslate, WalksTheTablesAndKeepsThePageOffset) {
    MmuHarness h;
    h.map(kVa, kPageData, kNormal);
    h.enable();
    EXPECT_EQ(translate(h, kVa + 0xABC), kPageData + 0xABC);
    EXPECT_EQ(translate(h, kVa + 0x1000), std::nullopt) << "unmapped: a translation fault";
}

TEST(DebugTranslate, HasNoSideEffects) {
    MmuHarness h;
    h.map(kVa, kPageData, kNormal);
    h.map(kVa + 0x1000, kPageData + 0x1000, kNormal & ~kAF);  // AF = 0: an Access flag fault
    h.enable();
    El1Regs& r = h.cpu.state().el1;
    r.par = 0x5A5A0000;
    const uint64_t esr = r.esr, elr = r.elr, pc = h.cpu.state().pc;
    const uint64_t desc_before = h.read64(h.slot(kVa + 0x1000, 3));
    EXPECT_EQ(translate(h, kVa + 0x1000), std::nullopt);
    EXPECT_EQ(translate(h, kVa), kPageData);
    EXPECT_EQ(r.par, 0x5A5A0000u) << "PAR_EL1 untouched";
    EXPECT_EQ(r.esr, esr);
    EXPECT_EQ(r.elr, elr);
    EXPECT_EQ(h.cpu.state().pc, pc) << "no exception taken";
    EXPECT_EQ(h.read64(h.slot(kVa + 0x1000, 3)), desc_before) << "AF not set";
    EXPECT_EQ(h.cpu.tlb().lookup(kVa, current_asid(r)), nullptr) << "no TLB fill";
}

// It reads the tables as they are now: a stale TLB entry the guest has not
// invalidated is not what the debugger sees.
TEST(DebugTranslate, SeesTheTablesNotAStaleTlbEntry) {
    MmuHarness h;
    h.map(kVa, kPageData, kNormal);
    h.put64(kPageData, 1);
    h.put64(kPageData + 0x1000, 2);
    h.x(1) = kVa;
    h.enable();
    h.code({uint32_t(kLdrX0)});
    h.step(1);
    ASSERT_EQ(h.x(0), 1u);
    h.map(kVa, kPageData + 0x1000, kNormal);
    EXPECT_EQ(translate(h, kVa), kPageData + 0x1000);
}

}  // namespace
}  // namespace cpu::test
