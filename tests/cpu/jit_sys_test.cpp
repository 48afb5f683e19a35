// The tier's inline MRS (src/cpu/jit/forms_sys.cpp): each register it reads
// inline is one sysregs.cpp lets EL1 read untrapped, from the same field;
// and the reads run as the interpreter runs them at EL1, at EL0 and with
// PSTATE.SP = 0, where they are UNDEFINED.
#if defined(__x86_64__)
#include <gtest/gtest.h>

#include "cpu/jit/forms_sys.h"
#include "cpu/sysregs.h"
#include "tests/cpu/jit_pair.h"

namespace cpu::test {
namespace {

TEST(JitSys, InlineReadsAreWhatTheirDescriptorsAllowAtEl1) {
    Harness h;
    for (const jit::InlineRead& r : jit::inline_reads()) {
        const SysRegDesc* d = find_sysreg(r.id);
        ASSERT_NE(d, nullptr);
        SCOPED_TRACE(std::string(d->name));
        EXPECT_EQ(d->trap, SysRegTrap::None);
        EXPECT_EQ(d->el1, r.needs_sp1 ? SysRegEl1::SpSel1 : SysRegEl1::Allowed);
        EXPECT_FALSE(d->fp);
        EXPECT_EQ(d->read_acting, nullptr);
        ASSERT_NE(d->read, nullptr);
        const_cast<uint64_t&>(r.field(h.cpu.state())) = 0x1234'5678'9abc'def0;
        EXPECT_EQ(d->read(h.cpu), 0x1234'5678'9abc'def0u);
    }
}

// mrs x0, sp_el0; mrs x1, tpidr_el1; add x2, x2, #1; b loop.
void read_loop(JitPair& p) {
    p.code({0xd5384100, 0xd538d081, 0x91000442, 0x17fffffd});
    for (Harness* h : {&p.jit, &p.ref}) {
        h->cpu.state().sp_el[0] = 0xffff'0000'1111'2222;
        h->cpu.state().el1.tpidr_el1 = 0x3333'4444;
    }
}

TEST(JitSys, ReadsAtEl1) {
    JitPair p;
    read_loop(p);
    p.run(1000);
    EXPECT_EQ(p.jit.x(0), 0xffff'0000'1111'2222u);
    EXPECT_EQ(p.jit.x(1), 0x3333'4444u);
    EXPECT_GT(p.jit.cpu.retired_jit(), 900u);
}

// With PSTATE.SP = 0 the SP_EL0 read is UNDEFINED (once compiled too).
TEST(JitSys, SpEl0ReadWithSpSel0IsUndefined) {
    JitPair p;
    read_loop(p);
    p.run(100);
    for (Harness* h : {&p.jit, &p.ref}) h->cpu.state().pstate.sp = false;
    p.run(100);
    EXPECT_EQ(p.jit.cpu.state().el1.esr >> 26, 0u);  // Unknown reason
    EXPECT_EQ(p.jit.cpu.state().el1.elr, kCodeBase);
}

// At EL0 both reads are UNDEFINED: TPIDR_EL1's first (SP_EL0's would be
// with PSTATE.SP = 0 anyway), from the block at the loop's second word.
TEST(JitSys, ReadsAtEl0AreUndefined) {
    JitPair p;
    read_loop(p);
    for (Harness* h : {&p.jit, &p.ref}) h->cpu.state().pc = kCodeBase + 4;
    p.run(99);
    for (Harness* h : {&p.jit, &p.ref}) {
        h->cpu.state().pstate.el = 0;
        h->cpu.state().pstate.sp = false;
        h->cpu.state().pc = kCodeBase + 4;
    }
    p.run(100);
    EXPECT_EQ(p.jit.cpu.state().el1.esr >> 26, 0u);
    EXPECT_EQ(p.jit.cpu.state().el1.elr, kCodeBase + 4);
}

}  // namespace
}  // namespace cpu::test
#endif
