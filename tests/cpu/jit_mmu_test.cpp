// The translation tier with stage 1 on: a chained block's successor is
// fetched through the translation fetch_block would use, so a walk that
// replaced the page's TLB entry is seen at the next block, as under the
// interpreter (DDI 0487 K.a D8.16: a TLB may hold the old translation, or
// not; stepvisor's TLB model decides which, and the tier must agree).
#if defined(__x86_64__)
#include <gtest/gtest.h>

#include "tests/cpu/mmu_harness.h"

namespace cpu::test {
namespace {

using namespace desc;

constexpr uint64_t kLoop = 0x20000000;      // TLB slot 0
constexpr uint64_t kData = 0x20200000;      // TLB slot 0 too
constexpr uint64_t kTableVa = 0x30001000;   // the loop's last-level table
constexpr uint64_t kCodeX = kPageData, kCodeY = kPageData + 0x1000;

// ldr x5, [x2]; str x6, [x3]; add x0, x0, #imm; b .-12
void loop_at(MmuHarness& h, uint64_t ipa, uint32_t imm) {
    h.put32(ipa, 0xf9400045);
    h.put32(ipa + 4, 0xf9000066);
    h.put32(ipa + 8, 0x91000000 | imm << 10);
    h.put32(ipa + 12, 0x17fffffd);
}

uint64_t run_loop(bool jit) {
    MmuHarness h;
    h.cpu.set_jit(jit);
    h.cpu.set_jit_threshold(1);
    h.map(kLoop, kCodeX, kNormal);
    h.map(kData, kPageData + 0x2000, kNormal);
    const uint64_t desc = h.slot(kLoop, 3);
    h.map(kTableVa, desc & ~0xFFFull, kNormal);
    loop_at(h, kCodeX, 1);
    loop_at(h, kCodeY, 100);
    h.x(2) = kData;
    h.x(3) = kTableVa | (desc & 0xFFF);
    h.x(6) = h.read64(desc);  // the same descriptor
    h.enable();
    h.cpu.state().pc = kLoop;
    EXPECT_EQ(h.step(40), Stop::Irq);
    EXPECT_EQ(h.x(0), 10u);
    // The loop now points its own page at Y (no TLBI). Its load evicts the
    // page's entry every time round, so the next fetch walks and runs Y.
    h.x(6) = kCodeY | kNormal | kPage;
    EXPECT_EQ(h.step(40), Stop::Irq);
    return h.x(0);
}

TEST(JitMmu, ChainedFetchSeesAWalkThatReplacedItsEntry) {
    EXPECT_EQ(run_loop(false), 10u + 1 + 9 * 100);
    EXPECT_EQ(run_loop(true), 10u + 1 + 9 * 100);
}

}  // namespace
}  // namespace cpu::test
#endif
