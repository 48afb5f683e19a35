// The inline loads and stores of the translation tier (cpu/jit/forms_ls.cpp,
// forms_ls_vec.cpp) against the interpreter: random encodings of every
// form, from random state whose registers point into a data window
// (aligned, unaligned) or anywhere, at EL1 and EL0, with SP alignment
// checking on or off and SIMD&FP enabled or trapped; each runs
// twice, so the second run finds the fast TLB filled by the first and takes
// the inline access. Registers, the exception state and the data window
// must end the same.
#if defined(__x86_64__)
#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <random>

#include "cpu/decode.h"
#include "cpu/jit/forms.h"
#include "cpu/sysregs.h"
#include "tests/cpu/jit_pair.h"

namespace cpu::test {
namespace {

constexpr uint32_t kBNext = 0x14000001;  // B .+4: ends the block after the instruction
constexpr uint64_t kData = kRamBase + 0x10000;
constexpr uint64_t kWindow = 0x4000;

uint64_t random_value(std::mt19937_64& rng) {
    switch (rng() % 5) {
    case 0: return rng() % 64;                            // an index
    case 1: return kData + (rng() % kWindow & ~15ull);    // aligned for any access
    case 2: return kData + rng() % kWindow;               // often unaligned
    case 3: return kData + kWindow - 8 * (rng() % 4);     // at the window's end
    default: return rng();
    }
}

void randomize(JitPair& p, std::mt19937_64& rng) {
    State s = p.ref.cpu.state();
    for (unsigned r = 0; r < 31; ++r) s.x[r] = random_value(rng);
    s.sp_el = {random_value(rng), random_value(rng)};
    s.pstate.el = rng() % 2;
    s.pstate.sp = s.pstate.el == 1 && (rng() & 1);
    s.el1.sctlr = (rng() & 3) << 3;  // SA, SA0
    for (VReg& v : s.v) v = VReg::from_u64(rng(), rng());
    s.el1.cpacr = rng() % 8 ? cpacr::kFPEN : (rng() % 4) << cpacr::kFPENShift;
    s.el2.cptr = rng() % 8 ? 0 : cptr::kTFP;
    s.pc = kCodeBase;
    p.jit.cpu.state() = s;
    p.ref.cpu.state() = s;
}

const std::vector<jit::SampledForm>& all_forms() {
    static const std::vector<jit::SampledForm> v = [] {
        std::vector<jit::SampledForm> all;
        for (const auto forms : {jit::ls_forms(), jit::ls_vec_forms()})
            all.insert(all.end(), forms.begin(), forms.end());
        return all;
    }();
    return v;
}

// A form's sample with random Rt, Rn, Rt2/Rm and immediate bits.
uint32_t random_word(std::mt19937_64& rng) {
    const auto& forms = all_forms();
    const auto& f = forms[rng() % forms.size()];
    constexpr uint32_t kFields[] = {0x1F, 0x3E0, 0x7C00, 0x1F0000, 0x3FFC00, 0x1FF000, 0x3F8000};
    uint32_t raw = f.samples[0];
    for (unsigned k = rng() % 4; k > 0; --k) raw ^= uint32_t(rng()) & kFields[rng() % 7];
    return raw;
}

void expect_same(JitPair& p, uint32_t raw) {
    const State &s = p.jit.cpu.state(), &t = p.ref.cpu.state();
    SCOPED_TRACE(testing::Message() << "instruction " << std::hex << raw);
    for (unsigned r = 0; r < 32; ++r) EXPECT_EQ(s.x[r], t.x[r]) << "X" << std::dec << r;
    EXPECT_EQ(s.sp_el[0], t.sp_el[0]);
    EXPECT_EQ(s.sp_el[1], t.sp_el[1]);
    for (unsigned r = 0; r < 32; ++r) EXPECT_EQ(s.v[r], t.v[r]) << "V" << std::dec << r;
    EXPECT_EQ(s.pc, t.pc);
    EXPECT_EQ(s.pstate.to_spsr(), t.pstate.to_spsr());
    EXPECT_EQ(s.el1.esr, t.el1.esr);
    EXPECT_EQ(s.el1.far, t.el1.far);
    EXPECT_EQ(s.el1.elr, t.el1.elr);
    EXPECT_EQ(p.jit.cpu.retired(), p.ref.cpu.retired());
    const uint64_t at = kData - kRamBase;
    EXPECT_EQ(std::memcmp(&p.jit.ram[at], &p.ref.ram[at], kWindow + 16), 0) << "the data window";
}

TEST(JitLoadStore, EveryInlineFormMatchesTheInterpreter) {
    std::mt19937_64 rng(1818);
    JitPair p;
    for (uint64_t a = 0; a < kWindow + 16; a += 8) {
        const uint64_t v = rng();
        for (Harness* h : {&p.jit, &p.ref}) h->put64(kData + a, v);
    }
    std::map<jit::EmitFn, unsigned> tested;
    for (unsigned k = 0; k < 80000; ++k) {
        const uint32_t raw = random_word(rng);
        Insn in;
        decode(raw, Features{}, in);
        const jit::Form* f = jit::inline_form(in.exec);
        if (!f) continue;
        ++tested[f->emit];
        for (Harness* h : {&p.jit, &p.ref}) h->code({raw, kBNext});
        std::mt19937_64 again = rng;
        for (int run = 0; run < 2; ++run) {
            rng = again;
            randomize(p, rng);
            p.jit.step(2);
            p.ref.step(2);
            expect_same(p, raw);
            if (HasFailure()) return;
        }
    }
    for (const jit::SampledForm& f : all_forms()) EXPECT_GE(tested[f.form.emit], 30u);
}

// Each sample decodes to a handler whose form it is: the sample tables
// follow the handlers' tables.
TEST(JitLoadStore, SamplesDecodeToTheirForms) {
    for (const jit::SampledForm& f : all_forms()) {
        Insn in;
        decode(f.samples[0], Features{}, in);
        const jit::Form* got = jit::inline_form(in.exec);
        ASSERT_NE(got, nullptr) << std::hex << f.samples[0];
        EXPECT_EQ(got->emit, f.form.emit) << std::hex << f.samples[0];
    }
}

// A copying loop in generated code: its first load and store miss (the
// handlers fill the fast TLB), the rest hit; memory and registers end as
// the interpreter leaves them.
TEST(JitLoadStore, HitsRunInline) {
    JitPair p;
    p.code({
        0xF8408420,  // ldr x0, [x1], #8
        0xF81F8040,  // stur x0, [x2, #-8]
        0x91002042,  // add x2, x2, #8
        0xF1000463,  // subs x3, x3, #1
        0x54FFFF81,  // b.ne .-16
    });
    for (Harness* h : {&p.jit, &p.ref})
        for (uint64_t a = 0; a < 0x800; a += 8) h->put64(kData + a, a * 3 + 1);
    p.set_x(1, kData);
    p.set_x(2, kData + 0x808);
    p.set_x(3, 0x100);
    p.run(5 * 0x100);
    EXPECT_EQ(p.jit.get64(kData + 0x800 + 8 * 0x7F), 0x7Full * 8 * 3 + 1);
    EXPECT_EQ(p.jit.ram, p.ref.ram);
    EXPECT_EQ(p.jit.cpu.retired_jit(), 5u * 0x100);
}

}  // namespace
}  // namespace cpu::test
#endif
