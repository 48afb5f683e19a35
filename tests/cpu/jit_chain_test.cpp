// Chaining through Cpu::jit_lookup (docs/jit.md): at an indirect branch,
// a branch or fall-through to another page, an exception and an exception
// return, generated code goes on into the next block when execute() would
// do nothing else than run it, and returns to execute() otherwise. Every
// test runs the interpreter alongside and checks both agree; jit_entries()
// shows the chains stayed in generated code.
#if defined(__x86_64__)
#include <gtest/gtest.h>

#include "arch/esr.h"
#include "tests/cpu/jit_pair.h"
#include "tests/cpu/mmu_harness.h"

namespace cpu::test {
namespace {

// B from `from` to `to`.
uint32_t b_to(uint64_t from, uint64_t to) {
    return 0x14000000 | uint32_t(((to - from) >> 2) & 0x3FFFFFF);
}

// A call and its return in a counted loop: the RET continues through the
// lookup, the rest through chain slots. When the count runs out, IRQs are
// unmasked and the loop goes on through f, compiled by then.
void call_loop(JitPair& p) {
    for (Harness* h : {&p.jit, &p.ref}) {
        h->code({
            0x91000400,  // loop: add x0, x0, #1
            0x9400000f,  // bl f
            0xf1000421,  // subs x1, x1, #1
            0x54ffffa1,  // b.ne loop
            b_to(kCodeBase + 16, kCodeBase + 0x3c),
        });
        h->put32(kCodeBase + 0x3c, 0xd50342ff);  // msr daifclr, #2
        h->put32(kCodeBase + 0x40, 0x91000442);  // f: add x2, x2, #1
        h->put32(kCodeBase + 0x44, 0xd65f03c0);  // ret
    }
}

// Once every block is compiled, a run is one entry into generated code:
// the RETs do not go back to execute(), and the return stack takes each
// straight back into the caller's block.
TEST(JitChain, CallAndReturnStayInGeneratedCode) {
    JitPair p;
    call_loop(p);
    p.set_x(1, 1u << 30);
    p.run(100);
    const uint64_t entries = p.jit.cpu.jit_entries(), calls = p.jit.x(2);
    const uint64_t predicted = p.jit.cpu.jit_returns_predicted();
    for (int i = 0; i < 10; ++i) p.run(10000);
    EXPECT_EQ(p.jit.cpu.jit_entries(), entries + 10);
    EXPECT_EQ(p.jit.x(2), (100100u + 3) / 6);
    EXPECT_NEAR(double(p.jit.cpu.jit_returns_predicted() - predicted), double(p.jit.x(2) - calls),
                1);
}

// Armed software breakpoints on other pages leave the loop chained (one
// entry per run, as without them); one on f's first instruction, reached
// only by the BL's chain, stops there before it, as the interpreter does.
TEST(JitChain, BreakpointsOnOtherPagesKeepChainsOneOnTheTargetStops) {
    JitPair p;
    call_loop(p);
    p.set_x(1, 1u << 30);
    for (Harness* h : {&p.jit, &p.ref}) {
        h->cpu.set_sw_breakpoints({kCodeBase + 0x10000, kCodeBase + 0x20040});
        h->cpu.set_sw_breakpoints_armed(true);
    }
    p.run(100);
    const uint64_t entries = p.jit.cpu.jit_entries();
    for (int i = 0; i < 10; ++i) p.run(10000);
    EXPECT_EQ(p.jit.cpu.jit_entries(), entries + 10);
    for (Harness* h : {&p.jit, &p.ref}) h->cpu.set_sw_breakpoints({kCodeBase + 0x40});
    EXPECT_EQ(p.run(10000), Stop::Trap);
    EXPECT_EQ(p.jit.pc(), kCodeBase + 0x40);
    EXPECT_EQ(arch::esr_ec(p.jit.cpu.state().el2.esr), arch::EC::BRK64);
}

// A loop calling f, whose first instruction is `first`, then RET: six
// instructions a round, X1 counting the rounds f returns to its call.
void call_f(JitPair& p, uint32_t first) {
    p.code({
        0x9400000f,  // loop: bl f
        0x91000421,  // add x1, x1, #1
        0x91000842,  // add x2, x2, #2
        0x17fffffd,  // b loop
    });
    for (Harness* h : {&p.jit, &p.ref}) {
        h->put32(kCodeBase + 0x3c, first);       // f
        h->put32(kCodeBase + 0x40, 0xd65f03c0);  // ret
    }
}

// f's RET follows a handler call (CRC32X is not inline) in its block:
// the chain checks pass, and the return is still predicted.
TEST(JitChain, ReturnAfterAHandlerCallIsPredicted) {
    JitPair p;
    call_f(p, 0x9ac44c63);  // crc32x w3, w3, x4
    p.set_x(4, 0x0123456789abcdef);
    p.run(120);
    const uint64_t predicted = p.jit.cpu.jit_returns_predicted();
    p.run(6000);
    EXPECT_EQ(p.jit.cpu.jit_returns_predicted() - predicted, 1000u);
}

// f returns past the instruction after its call (X30 + 4): the popped
// return address is not the target, which is looked up.
TEST(JitChain, ReturnElsewhereThanTheCallIsLookedUp) {
    JitPair p;
    call_f(p, 0x910013de);  // add x30, x30, #4
    p.run(5000);
    EXPECT_EQ(p.jit.x(1), 0u);
    EXPECT_EQ(p.jit.x(2), 2u * 1000);
    EXPECT_EQ(p.jit.cpu.jit_returns_predicted(), 0u);
}

// g writes the instruction f returns to (once the loop is compiled and
// its returns predicted): the loop's page loses its blocks, and the
// return stack the entry naming one, pushed before the write and popped
// after by f's RET, which f's page (compiled, linked) reaches by a chain.
TEST(JitChain, CodeWrittenAtAReturnAddressRunsOnReturn) {
    JitPair p;
    p.code({
        0x94000400,  // loop: bl f (the next page)
        0x91000421,  // add x1, x1, #1 (add x1, x1, #100 once written)
        0x17fffffe,  // b loop
    });
    for (Harness* h : {&p.jit, &p.ref}) {
        h->put32(kCodeBase + 0x1000, 0xaa1e03e7);  // f: mov x7, x30
        h->put32(kCodeBase + 0x1004, 0x94000004);  // bl g
        h->put32(kCodeBase + 0x1008, 0xaa0703fe);  // mov x30, x7
        h->put32(kCodeBase + 0x100c, 0x14000001);  // b .+4
        h->put32(kCodeBase + 0x1010, 0xd65f03c0);  // ret
        h->put32(kCodeBase + 0x1014, 0xb90000c5);  // g: str w5, [x6]
        h->put32(kCodeBase + 0x1018, 0xd65f03c0);  // ret
    }
    p.set_x(5, 0x91019021);          // add x1, x1, #100
    p.set_x(6, kRamBase + 0x20000);  // a data word first
    p.run(1000);
    EXPECT_EQ(p.jit.x(1), 100u);
    EXPECT_GT(p.jit.cpu.jit_returns_predicted(), 100u);
    p.set_x(6, kCodeBase + 4);
    p.run(1000);
    EXPECT_EQ(p.jit.x(1), 100u + 100 * 100);
}

// Every budget stops the chain at the same instruction as the interpreter,
// wherever in the call, the return or the loop it falls.
TEST(JitChain, BudgetIsExactAcrossIndirectChains) {
    JitPair p;
    call_loop(p);
    p.set_x(1, 1u << 30);
    for (uint64_t n : {1, 2, 3, 4, 5, 6, 7, 8, 9, 63, 64, 65, 1001, 9999, 2, 3, 1}) {
        p.run(n);
        if (testing::Test::HasFailure()) return;
    }
    EXPECT_GT(p.jit.cpu.retired_jit(), 10000u);
}

// A virtual IRQ pending and masked while the loop chains: the MSR that
// unmasks it ends its block, and the interrupt is taken before the next
// instruction, as the interpreter takes it.
TEST(JitChain, VirtualIrqTakenAtTheInterpretersInstruction) {
    JitPair p;
    call_loop(p);
    p.set_x(1, 300);
    for (Harness* h : {&p.jit, &p.ref}) h->cpu.state().el2.hcr = hcr::kIMO | hcr::kVI;
    for (uint64_t n : {5, 17, 100, 1000, 1000}) p.run(n);
    EXPECT_EQ(p.jit.cpu.state().el1.elr, kCodeBase + 0x40) << "after the MSR";
    EXPECT_EQ(p.jit.pc(), p.jit.cpu.state().el1.vbar + 0x280);
    EXPECT_EQ(p.jit.x(2), 300u);
}

// B to the next page and back, and a block cut by the page's end that
// falls through into the next page: both continue through the lookup,
// which the lookup stub makes inline (no handler ran since the last).
TEST(JitChain, CrossPageBranchAndFallThroughChain) {
    JitPair p;
    const uint64_t next = kCodeBase + 0x1000;
    for (Harness* h : {&p.jit, &p.ref}) {
        h->put32(next - 8, 0x91000400);                  // add x0, x0, #1
        h->put32(next - 4, 0x91000400);                  // add x0, x0, #1 (page end)
        h->put32(next, 0x91000421);                      // add x1, x1, #1
        h->put32(next + 4, b_to(next + 4, next + 0x1000));
        h->put32(next + 0x1000, 0x91000842);             // add x2, x2, #2
        h->put32(next + 0x1004, b_to(next + 0x1004, next - 8));
        h->cpu.state().pc = next - 8;
    }
    for (uint64_t n : {100, 1, 2, 3, 4, 5, 6, 7, 1000, 9999}) {
        p.run(n);
        if (testing::Test::HasFailure()) return;
    }
    const uint64_t entries = p.jit.cpu.jit_entries();
    const uint64_t inline_lookups = p.jit.cpu.jit_lookups_inline();
    for (int i = 0; i < 5; ++i) p.run(10000);
    EXPECT_EQ(p.jit.cpu.jit_entries(), entries + 5);
    // Three lookups every six instructions, bar each run's first and last.
    EXPECT_NEAR(double(p.jit.cpu.jit_lookups_inline() - inline_lookups), 25000.0, 10.0);
}

// A store rewrites the first instruction of a compiled block in the next
// page, and the branch after it goes there: the jump cache still holds
// the old code, which neither the lookup stub nor jit_lookup() may run
// (the store ends its block: execute() drops the page's blocks first).
TEST(JitChain, CodeWrittenInTheNextPageRunsAtTheBranchThere) {
    JitPair p;
    const uint64_t next = kCodeBase + 0x1000;
    for (Harness* h : {&p.jit, &p.ref}) {
        h->code({
            b_to(kCodeBase, next),
            0xb9000125,  // str w5, [x9]
            b_to(kCodeBase + 8, next),
        });
        h->put32(next, 0x91000400);  // add x0, x0, #1
        h->put32(next + 4, b_to(next + 4, kCodeBase + 4));
    }
    p.set_x(9, next);
    p.set_x(5, 0x91019000);  // add x0, x0, #100
    p.run(50);
    EXPECT_EQ(p.jit.x(0), 1u + 100u * 12);
}

// At EL0, a loop of add x0, x0, #1 and SVC; the EL1 vector for a
// synchronous exception from a lower EL is `handler`.
void system_call_loop(JitPair& p, std::initializer_list<uint32_t> handler) {
    for (Harness* h : {&p.jit, &p.ref}) {
        h->code({
            0x91000400,  // add x0, x0, #1
            0xd4000001,  // svc #0
            0x17fffffe,  // b .-8
        });
        uint64_t at = h->cpu.state().el1.vbar + 0x400;
        for (const uint32_t w : handler) h->put32(at, w), at += 4;
        h->cpu.state().pstate.el = 0;
        h->cpu.state().pstate.sp = false;
    }
}

// EL0 calls the kernel with SVC; the kernel's vector returns with ERET:
// the exception and the return chain too, through a change of EL.
TEST(JitChain, SystemCallAndExceptionReturnChain) {
    JitPair p;
    system_call_loop(p, {0x91000463, 0xd69f03e0});  // add x3, x3, #1; eret
    for (uint64_t n : {100, 1, 2, 3, 4, 5, 6, 1000, 9999}) {
        p.run(n);
        if (testing::Test::HasFailure()) return;
    }
    const uint64_t entries = p.jit.cpu.jit_entries();
    for (int i = 0; i < 5; ++i) p.run(10000);
    EXPECT_EQ(p.jit.cpu.jit_entries(), entries + 5);
    EXPECT_EQ(p.jit.cpu.state().pstate.el, 0u);
}

// An ERET to EL2 is illegal: PSTATE.IL is set and the target, compiled,
// must not run: its first instruction takes the Illegal Execution state
// exception (D1.4.4), which the lookup leaves to execute().
TEST(JitChain, IllegalReturnIsNotChained) {
    JitPair p;
    for (Harness* h : {&p.jit, &p.ref}) {
        h->code({
            0x9400000f,  // bl t
            0xd5184005,  // msr spsr_el1, x5
            0xd5184026,  // msr elr_el1, x6
            0xd69f03e0,  // eret
        });
        h->put32(kCodeBase + 0x3c, 0x91000400);  // t: add x0, x0, #1
        h->put32(kCodeBase + 0x40, 0xd65f03c0);  // ret
    }
    p.set_x(5, 0b01001);  // EL2h
    p.set_x(6, kCodeBase + 0x3c);
    p.run(3);  // bl, add, ret: every block compiled
    p.run(5);  // msr, msr, eret, then the exception and B . twice
    EXPECT_EQ(p.jit.x(0), 1u);
    EXPECT_EQ(arch::esr_ec(p.jit.cpu.state().el1.esr), arch::EC::IllegalState);
    EXPECT_EQ(p.jit.pc(), p.jit.cpu.state().el1.vbar + 0x200);
}

// A debugger's software breakpoint after the call, armed once the loop is
// compiled, the run starting in f: the RET's lookup leaves to execute(),
// which stops before the SUBS as the interpreter does (EC 0x3C to EL2,
// ELR_EL2 = its address).
TEST(JitChain, SoftwareBreakpointStopsTheChain) {
    JitPair p;
    call_loop(p);
    p.set_x(1, 1u << 30);
    p.run(998);
    ASSERT_EQ(p.jit.pc(), kCodeBase + 0x40);
    for (Harness* h : {&p.jit, &p.ref}) {
        h->cpu.set_sw_breakpoints({kCodeBase + 8});
        h->cpu.set_sw_breakpoints_armed(true);
    }
    EXPECT_EQ(p.run(1000), Stop::Trap);
    EXPECT_EQ(p.jit.cpu.state().el2.elr, kCodeBase + 8);
    EXPECT_EQ(arch::esr_ec(p.jit.cpu.state().el2.esr), arch::EC::BRK64);
}

// The same breakpoint at f, armed while the run stops before the loop's
// BL: the run enters generated code there, and the BL's chained exit
// checks again (the checks passed in the run before say nothing now).
TEST(JitChain, SoftwareBreakpointBeforeAChainedExitStopsIt) {
    JitPair p;
    call_loop(p);
    p.set_x(1, 1u << 30);
    p.run(600);
    ASSERT_EQ(p.jit.pc(), kCodeBase);
    for (Harness* h : {&p.jit, &p.ref}) {
        h->cpu.set_sw_breakpoints({kCodeBase + 0x40});
        h->cpu.set_sw_breakpoints_armed(true);
    }
    EXPECT_EQ(p.run(1000), Stop::Trap);
    EXPECT_EQ(p.jit.cpu.state().el2.elr, kCodeBase + 0x40);
}

// gdb's `catch exception` (set_catch_el1_entries): run() stops right
// after the SVC's entry to EL1, though the vector's block is compiled and
// the exit would otherwise chain into it.
TEST(JitChain, CaughtExceptionEntryStopsTheChain) {
    JitPair p;
    system_call_loop(p, {0xd69f03e0});  // eret
    p.run(100);
    for (Harness* h : {&p.jit, &p.ref}) h->cpu.set_catch_el1_entries(true);
    EXPECT_EQ(p.run(100), Stop::Irq);
    EXPECT_EQ(p.jit.pc(), p.jit.cpu.state().el1.vbar + 0x400);
    const auto caught = p.jit.cpu.caught_el1_entry();
    ASSERT_TRUE(caught.has_value());
    EXPECT_EQ(caught->vector, p.jit.pc());
    EXPECT_TRUE(p.ref.cpu.caught_el1_entry().has_value());
}

// ---- Stage 1 on -----------------------------------------------------------------

constexpr uint64_t kV = 0x20000000;         // a VA whose page the tests remap (TLB slot 0)
constexpr uint64_t kTableVa = 0x30005000;   // kV's last-level table (TLB slot 5)
constexpr uint64_t kCodeX = kPageData, kCodeY = kPageData + 0x1000;

// At kCodeX: add x0, x0, #1; ret. At kCodeY: add x0, x0, #100; ret.
// kV maps X; X9 = kV, X3 = the VA of kV's descriptor, X6 = the descriptor.
void callee_pages(MmuHarness& h, uint64_t attrs) {
    h.map(kV, kCodeX, attrs);
    const uint64_t d = h.slot(kV, 3);
    h.map(kTableVa, d & ~0xFFFull, desc::kNormal);
    h.put32(kCodeX, 0x91000400);
    h.put32(kCodeX + 4, 0xd65f03c0);
    h.put32(kCodeY, 0x91019000);
    h.put32(kCodeY + 4, 0xd65f03c0);
    h.x(3) = kTableVa | (d & 0xFFF);
    h.x(6) = kCodeX | attrs | desc::kPage;
    h.x(9) = kV;
    h.cpu.set_jit_threshold(1);
}

// Calls kV in a loop (BLR, RET: both through the lookup, which translates
// through the fast TLB); then the loop rewrites kV's descriptor and
// invalidates the TLB each time: the fetch after the TLBI walks
// (fetch_block) and runs the new page.
struct TlbiRun {
    uint64_t chained_x0, entries, x0;
};
TlbiRun tlbi_loop(bool jit) {
    MmuHarness h;
    h.cpu.set_jit(jit);
    callee_pages(h, desc::kNormal);
    h.code({
        0xd63f0120,  // blr x9
        0x17ffffff,  // b .-4
        0xd63f0120,  // blr x9
        0xf9000066,  // str x6, [x3]
        0xd508871f,  // tlbi vmalle1
        0x17fffffd,  // b .-12
    });
    h.enable();
    EXPECT_EQ(h.step(30), Stop::Irq);
    const uint64_t entries = h.cpu.jit_entries();
    EXPECT_EQ(h.step(3000), Stop::Irq);
    TlbiRun r{h.x(0), h.cpu.jit_entries() - entries, 0};
    h.cpu.state().pc = kCodeBase + 8;
    EXPECT_EQ(h.step(40), Stop::Irq);
    h.x(6) = kCodeY | desc::kNormal | desc::kPage;
    EXPECT_EQ(h.step(40), Stop::Irq);
    r.x0 = h.x(0);
    return r;
}

TEST(JitChain, TlbiBetweenBlocksLeavesTheFetchToFetchBlock) {
    const TlbiRun ref = tlbi_loop(false), jit = tlbi_loop(true);
    EXPECT_EQ(ref.chained_x0, (3030u + 2) / 4);
    EXPECT_EQ(jit.chained_x0, ref.chained_x0);
    EXPECT_EQ(jit.entries, 1u) << "BLR and RET chained under stage 1";
    // 7 calls of X; then X once more (the last store wrote X) and 6 of Y.
    EXPECT_EQ(ref.x0, ref.chained_x0 + 7 + 1 + 6 * 100);
    EXPECT_EQ(jit.x0, ref.x0);
}

// kV is executable at EL1 only (UXN). EL1 calls it, then ERETs to it at
// EL0: the fetch there is EL0's, which faults (a Permission fault,
// Instruction Abort from a lower EL), however the EL1 fetch before hit.
// The vector goes back to the start.
struct EretRun {
    uint64_t x0, esr, elr, pc, retired;
};
EretRun eret_loop(bool jit) {
    MmuHarness h;
    h.cpu.set_jit(jit);
    callee_pages(h, desc::kNormal | desc::kUXN);
    h.code({
        0xd63f0120,  // blr x9
        0xd5184029,  // msr elr_el1, x9
        0xd518401f,  // msr spsr_el1, xzr (EL0t)
        0xd69f03e0,  // eret
    });
    const uint64_t lower_sync = h.el1().vbar + 0x400;
    h.put32(lower_sync, b_to(lower_sync, kCodeBase));
    h.enable();
    for (uint64_t n : {3, 5, 100, 7}) h.step(n);
    return {h.x(0), h.el1().esr, h.el1().elr, h.pc(), h.cpu.retired()};
}

TEST(JitChain, EretToEl0FetchesWithEl0sTranslation) {
    const EretRun ref = eret_loop(false), jit = eret_loop(true);
    EXPECT_EQ(ref.x0, 17u);  // 115 instructions: 16 rounds of 7, then the call
    EXPECT_EQ(arch::esr_ec(ref.esr), arch::EC::InstrAbortLow);
    EXPECT_EQ(ref.elr, kV);
    EXPECT_EQ(jit.x0, ref.x0);
    EXPECT_EQ(jit.esr, ref.esr);
    EXPECT_EQ(jit.elr, ref.elr);
    EXPECT_EQ(jit.pc, ref.pc);
    EXPECT_EQ(jit.retired, ref.retired);
}

// A loop in kV's page, `ldr x7, [x8]; add x0, x0, #k; b .-8` (k = 1 at
// X, 100 at Y), chained to itself. First X8 is in another TLB slot; then
// the test points X8 into kV's slot and maps kV to Y, with no TLBI. The
// next load walks and replaces kV's architectural entry, which empties
// the fetch entry too: the interpreter's next fetch walks and runs Y's
// loop, and the chain, though in one page, must see that the fetch entry
// went and leave the fetch to fetch_block.
struct EvictRun {
    uint64_t x0, pc, retired;
};
constexpr uint64_t kOther = kV + 0x1000, kEvict = kV + (uint64_t(FastTlb::kEntries) << 12);

// kV mapped to X, kOther and kEvict to a data page; at X and at Y
// `ldr x7, [x8]; add x0, x0, #k` (k = 1 at X, 100 at Y), then `rest`; a
// BR X9 to kV; X8 = kOther.
void evict_setup(MmuHarness& h, bool jit, std::initializer_list<uint32_t> rest) {
    h.cpu.set_jit(jit);
    h.cpu.set_jit_threshold(1);
    h.map(kV, kCodeX, desc::kNormal);
    h.map(kOther, kPageData + 0x2000, desc::kNormal);
    h.map(kEvict, kPageData + 0x2000, desc::kNormal);
    for (const auto& [page, k] : {std::pair{kCodeX, 1u}, std::pair{kCodeY, 100u}}) {
        h.put32(page, 0xf9400107);                // ldr x7, [x8]
        h.put32(page + 4, 0x91000000 | k << 10);  // add x0, x0, #k
        uint64_t at = page + 8;
        for (const uint32_t w : rest) h.put32(at, w), at += 4;
    }
    h.code({0xd61f0120});  // br x9
    h.x(8) = kOther;
    h.x(9) = kV;
}

EvictRun evict_loop(bool jit) {
    MmuHarness h;
    evict_setup(h, jit, {0x17fffffe});  // b .-8
    h.enable();
    EXPECT_EQ(h.step(301), Stop::Irq);
    h.x(8) = kEvict;
    h.map(kV, kCodeY, desc::kNormal);
    EXPECT_EQ(h.step(300), Stop::Irq);
    return {h.x(0), h.pc(), h.cpu.retired()};
}

TEST(JitChain, WalkThatEvictsTheCodePageEndsTheChain) {
    const EvictRun ref = evict_loop(false), jit = evict_loop(true);
    // X's 100 rounds; X once more (its translation still cached), then Y.
    EXPECT_EQ(ref.x0, 100u + 1 + 99 * 100);
    EXPECT_EQ(jit.x0, ref.x0);
    EXPECT_EQ(jit.pc, ref.pc);
    EXPECT_EQ(jit.retired, ref.retired);
}

// As above, but the eviction comes in the middle of one run, after 50
// rounds of the chain (a handler that changes what the chain checks test
// makes the next chained exit test them again): the loop counts X13 down,
// and X8 moves into kV's slot when it reaches 0.
EvictRun evict_mid_chain(bool jit) {
    MmuHarness h;
    evict_setup(h, jit,
                {
                    0xf10005ad,  // subs x13, x13, #1
                    0x9a8801c8,  // csel x8, x14, x8, eq
                    0x17fffffc,  // b .-16
                });
    h.x(13) = 1000;
    h.x(14) = kEvict;
    h.enable();
    EXPECT_EQ(h.step(101), Stop::Irq);
    h.map(kV, kCodeY, desc::kNormal);
    h.x(13) = 50;
    EXPECT_EQ(h.step(500), Stop::Irq);
    return {h.x(0), h.pc(), h.cpu.retired()};
}

TEST(JitChain, WalkThatEvictsTheCodePageMidChainEndsIt) {
    const EvictRun ref = evict_mid_chain(false), jit = evict_mid_chain(true);
    EXPECT_GT(ref.x0, 20u + 50 + 1 + 100) << "Y's loop ran";
    EXPECT_EQ(jit.x0, ref.x0);
    EXPECT_EQ(jit.pc, ref.pc);
    EXPECT_EQ(jit.retired, ref.retired);
}

// The lookup after a BLR translates through the fetch entry of the
// target's own page, found emptied by a TLBI: VA X maps to Y's code, while
// X's own IPA holds a compiled block (X's code, called through kV). An
// entry taken as it stands (an empty one adds 0) would run X's.
uint64_t lookup_after_tlbi(bool jit) {
    MmuHarness h;
    callee_pages(h, desc::kNormal);
    h.cpu.set_jit(jit);
    h.map(kCodeX, kCodeY, desc::kNormal);
    h.code({
        0xd63f0120,  // blr x9: X's code, +1
        0xd63f0140,  // blr x10: Y's code, +100
        0xd508871f,  // tlbi vmalle1
        0xd63f0140,  // blr x10: Y's code again
        0x14000000,  // b .
    });
    h.x(10) = kCodeX;
    h.enable();
    EXPECT_EQ(h.step(20), Stop::Irq);
    return h.x(0);
}

TEST(JitChain, LookupTranslatesThroughTheTargetsFetchEntry) {
    EXPECT_EQ(lookup_after_tlbi(false), 201u);
    EXPECT_EQ(lookup_after_tlbi(true), 201u);
}

}  // namespace
}  // namespace cpu::test
#endif
