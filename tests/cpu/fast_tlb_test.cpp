// The memory fast path (src/cpu/fast_tlb.h) is a view of the architectural
// TLB and of the checks the slow path makes: each test makes the fast path
// hold a page, then changes what the slow path would decide, and expects
// the slow path's answer (DDI 0487 K.a D8.16 "Translation Lookaside
// Buffers"; the interpreter's rules in mmu.h and memory.cpp).
#include <gtest/gtest.h>

#include "tests/cpu/mmu_harness.h"

namespace cpu::test {
namespace {

using namespace desc;

constexpr uint32_t kLdrX0 = 0xf9400020;   // ldr x0, [x1]
constexpr uint32_t kLdrX6 = 0xf9400026;   // ldr x6, [x1]
constexpr uint32_t kLdtrX5 = 0xf8400825;  // ldtr x5, [x1]
constexpr uint32_t kLdtrX5X2 = 0xf8400845;  // ldtr x5, [x2]
constexpr uint32_t kStrW2 = 0xb9000022;   // str w2, [x1]
constexpr uint32_t kStrW3 = 0xb9000023;   // str w3, [x1]
constexpr uint32_t kBlrX1 = 0xd63f0020;   // blr x1
constexpr uint32_t kRet = 0xd65f03c0;     // ret
constexpr uint32_t kMovX0_42 = 0xd2800540;  // mov x0, #42
constexpr uint32_t kMsrSctlrX4 = 0xd5181004;  // msr sctlr_el1, x4
constexpr uint32_t kIsb = 0xd5033fdf;
constexpr uint32_t kSelf = 0x14000000;    // b .
constexpr uint64_t kVa = 0x10000000;
// The architectural TLB is direct-mapped by VA bits [20:12]: kVa + 2 MiB
// takes kVa's slot.
constexpr uint64_t kVaSameSlot = kVa + 0x200000;

// A walk that replaces an entry (here an LDTR's, which fills the EL0
// table, not the EL1 one that holds kVa) removes kVa's translation from
// the fast path too: the next access to kVa walks and sees the new
// descriptor, as the interpreter's TLB alone would.
TEST(FastTlb, EvictedEntryLeavesTheFastPath) {
    MmuHarness h;
    h.map(kVa, kPageData, kNormal);
    h.map(kVaSameSlot, kPageData + 0x2000, kNormal | kApEl0);
    h.put64(kPageData, 1);
    h.put64(kPageData + 0x1000, 2);
    h.put64(kPageData + 0x2000, 7);
    h.x(1) = kVa;
    h.x(2) = kVaSameSlot;
    h.enable();
    h.code({kLdrX0, kLdtrX5X2, kLdrX6});
    ASSERT_EQ(h.step(1), Stop::Irq);
    ASSERT_EQ(h.x(0), 1u);
    h.map(kVa, kPageData + 0x1000, kNormal);  // no TLBI
    ASSERT_EQ(h.step(2), Stop::Irq);
    EXPECT_EQ(h.x(5), 7u);
    EXPECT_EQ(h.x(6), 2u) << "kVa's entry was evicted: its access walks again";
}

// LDTR at EL1 checks EL0 permissions even when the EL1 table holds the page.
TEST(FastTlb, LdtrAfterAPrivilegedAccessChecksEl0Permissions) {
    MmuHarness h;
    h.map(kVa, kPageData, kNormal);  // no EL0 access
    h.x(1) = kVa;
    h.enable();
    h.code({kLdrX0, kLdtrX5});
    ASSERT_EQ(h.step(2), Stop::Irq);
    EXPECT_EQ(h.ec(), arch::EC::DataAbortCur);
    EXPECT_EQ(h.fsc(), 0x0Fu) << "Permission fault, level 3";
    EXPECT_EQ(h.pc(), h.el1().vbar + 0x200);
}

// A store that filled the fast path for a page, then code decoded from that
// page: the next store to it must still drop the decoded code.
TEST(FastTlb, StoreToAPageThatBecameCodeIsSeen) {
    MmuHarness h;  // stage 1 off: the fast path serves VA = IPA
    h.put32(kPageData + 4, kRet);
    h.x(1) = kPageData;
    h.x(2) = kRet;
    h.x(3) = kMovX0_42;
    h.code({kStrW2, kBlrX1, kStrW3, kBlrX1, kSelf});
    ASSERT_EQ(h.step(7), Stop::Irq);  // str, blr, ret, str, blr, mov, ret
    EXPECT_EQ(h.x(0), 42u);
    EXPECT_EQ(h.pc(), kCodeBase + 16);
}

// What the hypervisor or a debugger writes between runs is seen: stage 1
// turned off, kVa is an unmapped IPA (a stage-2 fault to EL2).
TEST(FastTlb, StageOneOffBetweenRuns) {
    MmuHarness h;
    h.map(kVa, kPageData, kNormal);
    h.x(1) = kVa;
    h.enable();
    h.code({kLdrX0, kLdrX6});
    ASSERT_EQ(h.step(1), Stop::Irq);
    h.cpu.state().el1.sctlr &= ~kSctlrM;
    EXPECT_EQ(h.step(1), Stop::Trap);
    EXPECT_EQ(arch::esr_ec(h.cpu.state().el2.esr), arch::EC::DataAbortLow);
}

// The same by the guest's own MSR, inside one run.
TEST(FastTlb, StageOneOffByMsr) {
    MmuHarness h;
    h.map(kVa, kPageData, kNormal);
    h.x(1) = kVa;
    h.enable();
    h.x(4) = h.el1().sctlr & ~kSctlrM;
    h.code({kLdrX0, kMsrSctlrX4, kIsb, kLdrX6});
    EXPECT_EQ(h.step(4), Stop::Trap);
    EXPECT_EQ(h.cpu.state().el2.elr, kCodeBase + 12);
}

}  // namespace
}  // namespace cpu::test
