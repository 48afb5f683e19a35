// Every inline form of the translation tier against the interpreter: random
// instruction words, those the tier emits inline (cpu/jit/forms.h) run as a
// block of generated code on one Cpu and interpreted on another, from the
// same random registers, flags, SP selection and TBI bits; the whole state
// after must be the same.
#if defined(__x86_64__)
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "cpu/decode.h"
#include "cpu/jit/forms.h"
#include "tests/cpu/jit_pair.h"

namespace cpu::test {
namespace {

constexpr uint32_t kBNext = 0x14000001;  // B .+4: ends the block after the instruction

// Random state, the same on both: registers (some small, some at a
// division's or a count's edge, some near the top of the address space),
// NZCV, PSTATE.SP, both SPs, TCR_EL1.TBI0/1.
void randomize(JitPair& p, std::mt19937_64& rng) {
    State s = p.ref.cpu.state();
    for (unsigned r = 0; r < 31; ++r) {
        static constexpr uint64_t kEdges[] = {0, 1, ~0ull, 1ull << 63, 0xFFFFFFFF, 0x80000000,
                                              0xFFFFFFFF80000000};
        switch (rng() % 5) {
        case 0: s.x[r] = rng() % 64; break;
        case 1: s.x[r] = kCodeBase + (rng() % 0x1000) * 4; break;
        case 2: s.x[r] = kEdges[rng() % std::size(kEdges)]; break;
        default: s.x[r] = rng(); break;
        }
    }
    s.sp_el = {rng(), rng()};
    s.pstate.set_nzcv(uint32_t(rng()));
    s.pstate.sp = rng() & 1;
    s.el1.tcr = (rng() & 3) << 37;
    s.pc = kCodeBase;
    p.jit.cpu.state() = s;
    p.ref.cpu.state() = s;
}

void expect_same(const Harness& a, const Harness& b, uint32_t raw) {
    const State &s = a.cpu.state(), &t = b.cpu.state();
    SCOPED_TRACE(testing::Message() << "instruction " << std::hex << raw);
    for (unsigned r = 0; r < 32; ++r) EXPECT_EQ(s.x[r], t.x[r]) << "X" << std::dec << r;
    EXPECT_EQ(s.sp_el[0], t.sp_el[0]);
    EXPECT_EQ(s.sp_el[1], t.sp_el[1]);
    EXPECT_EQ(s.pc, t.pc);
    EXPECT_EQ(s.pstate.to_spsr(), t.pstate.to_spsr());
    EXPECT_EQ(s.el1.esr, t.el1.esr);
    EXPECT_EQ(s.el1.elr, t.el1.elr);
    EXPECT_EQ(a.cpu.retired(), b.cpu.retired());
}

// Half random words, half a form's sample with random register fields, or
// random low bits (forms with few encodings, as BR and RET, are reached).
uint32_t random_word(std::mt19937_64& rng) {
    static const std::vector<uint32_t> samples = [] {
        std::vector<uint32_t> v;
        for (const auto forms : {jit::dp_forms(), jit::dp_src_forms(), jit::branch_forms()})
            for (const jit::SampledForm& f : forms) v.insert(v.end(), f.samples.begin(), f.samples.end());
        return v;
    }();
    if (rng() & 1) return uint32_t(rng());
    constexpr uint32_t kFields[] = {0x1F, 0x3E0, 0x1F0000, 0x7C00, 0xFFFFFF};
    return samples[rng() % samples.size()] ^ (uint32_t(rng()) & kFields[rng() % 5]);
}

TEST(JitForms, EveryInlineFormMatchesTheInterpreter) {
    std::mt19937_64 rng(18);
    JitPair p;
    std::map<jit::EmitFn, unsigned> tested;
    uint64_t in_jit = 0;
    for (unsigned k = 0; k < 200000; ++k) {
        const uint32_t raw = random_word(rng);
        Insn in;
        decode(raw, Features{}, in);
        const jit::Form* f = jit::inline_form(in.exec);
        if (!f) continue;
        ++tested[f->emit];
        for (Harness* h : {&p.jit, &p.ref}) h->code({raw, kBNext});
        randomize(p, rng);
        const unsigned n = in.ends_block ? 1 : 2;
        const uint64_t before = p.jit.cpu.retired_jit();
        p.jit.step(n);
        p.ref.step(n);
        in_jit += p.jit.cpu.retired_jit() - before;
        expect_same(p.jit, p.ref, raw);
        if (HasFailure()) return;
    }
    // Each form was reached often, and ran as generated code.
    for (const auto forms : {jit::dp_forms(), jit::dp_src_forms(), jit::branch_forms()})
        for (const jit::SampledForm& f : forms) EXPECT_GE(tested[f.form.emit], 50u);
    EXPECT_GT(in_jit, 100000u);
}

// Each sample encoding decodes to a handler (none is UNDEFINED), and that
// handler has the sample's form: the table cannot silently miss a form.
TEST(JitForms, SamplesDecodeToTheirForms) {
    Insn undefined;
    decode(0, Features{}, undefined);
    for (const auto forms : {jit::dp_forms(), jit::dp_src_forms(), jit::branch_forms()})
        for (const jit::SampledForm& f : forms)
            for (const uint32_t raw : f.samples) {
                Insn in;
                decode(raw, Features{}, in);
                // ADD/SUB (shifted register) with shift = 11 is reserved.
                if (in.exec == undefined.exec) continue;
                const jit::Form* got = jit::inline_form(in.exec);
                ASSERT_NE(got, nullptr) << std::hex << raw;
                EXPECT_EQ(got->emit, f.form.emit) << std::hex << raw;
            }
}

}  // namespace
}  // namespace cpu::test
#endif
