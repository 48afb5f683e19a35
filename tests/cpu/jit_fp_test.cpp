// The inline FP forms of the translation tier (cpu/jit/forms_fp.cpp)
// against the interpreter: FMUL, FDIV, FADD, FSUB and the fused
// multiply-adds, single and double,
// on operands of every class (normal, zero, denormal, infinity, NaN, near
// the ends of the exponent range), every rounding mode, flush-to-zero and
// default NaN on or off, FPSR.IXC set or clear and SIMD&FP enabled or
// trapped. V registers, FPSR and the exception
// state must end the same.
#if defined(__x86_64__)
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "arch/fpsimd.h"
#include "cpu/decode.h"
#include "cpu/jit/forms.h"
#include "cpu/sysregs.h"
#include "tests/cpu/jit_pair.h"

namespace cpu::test {
namespace {

constexpr uint32_t kBNext = 0x14000001;  // B .+4: ends the block after the instruction

// An operand of a random class, in the low bits (the rest random: a scalar
// reads only its own width).
template <class T> T operand(std::mt19937_64& rng) {
    constexpr int kF = sizeof(T) == 4 ? 23 : 52;
    constexpr uint64_t kEmax = sizeof(T) == 4 ? 0xFF : 0x7FF;
    const T sign = T(rng() & 1) << (sizeof(T) * 8 - 1);
    // Fractions near both ends too: the smallest normal times 1 - 2^-(F+1)
    // (fraction all ones, the exponent one below the bias) is tiny before
    // rounding and the smallest normal after (ASL FPRound: FPSR.UFC).
    const T ones = (T(1) << kF) - 1;
    const T fracs[] = {T(rng()) & ones, T(rng() % 4), T(ones - rng() % 4)};
    const T frac = fracs[rng() % 3];
    const uint64_t exps[] = {0, 1, 2, 3, kEmax - 2, kEmax - 1, kEmax, kEmax / 2, kEmax / 2 + 1};
    const uint64_t exp = rng() % 3 ? exps[7] + rng() % 5 - 2 : exps[rng() % 9];
    T v = sign | T(exp) << kF | frac;
    if (rng() % 10 == 0) v = sign;  // a zero
    return v;
}

template <class T> VReg vreg_with(T low, std::mt19937_64& rng) {
    VReg r = VReg::from_u64(rng(), rng());
    r.set(sizeof(T) * 8, 0, low);
    return r;
}

template <class T> void randomize(JitPair& p, std::mt19937_64& rng) {
    State s = p.ref.cpu.state();
    for (VReg& v : s.v) v = vreg_with<T>(operand<T>(rng), rng);
    s.fpcr = rng() % 4 ? 0 : uint32_t(rng() % 4) << arch::fpcr::kRModeShift;
    if (rng() % 4 == 0) s.fpcr |= arch::fpcr::kFZ;
    if (rng() % 4 == 0) s.fpcr |= arch::fpcr::kDN;
    s.fpsr = rng() % 4 ? arch::fpsr::kIXC : 0;
    s.el1.cpacr = rng() % 16 ? cpacr::kFPEN : 0;
    s.pc = kCodeBase;
    p.jit.cpu.state() = s;
    p.ref.cpu.state() = s;
}

void expect_same(JitPair& p, uint32_t raw) {
    const State &s = p.jit.cpu.state(), &t = p.ref.cpu.state();
    SCOPED_TRACE(testing::Message() << "instruction " << std::hex << raw);
    for (unsigned r = 0; r < 32; ++r) EXPECT_EQ(s.v[r], t.v[r]) << "V" << std::dec << r;
    EXPECT_EQ(s.fpsr, t.fpsr);
    EXPECT_EQ(s.pc, t.pc);
    EXPECT_EQ(s.el1.esr, t.el1.esr);
    EXPECT_EQ(p.jit.cpu.retired(), p.ref.cpu.retired());
}

TEST(JitFp, EveryInlineFormMatchesTheInterpreter) {
    std::mt19937_64 rng(1807);
    JitPair p;
    std::map<jit::EmitFn, unsigned> tested;
    const auto forms = jit::fp_forms();
    for (unsigned k = 0; k < 120000; ++k) {
        const jit::SampledForm& f = forms[rng() % forms.size()];
        const bool three = (f.samples[0] >> 24) & 1;  // FMADD and co: Ra too
        const uint32_t raw = f.samples[0] ^ (uint32_t(rng()) & (three ? 0x1F7FFF : 0x1F03FF));
        Insn in;
        decode(raw, Features{}, in);
        ASSERT_EQ(jit::inline_form(in.exec)->emit, f.form.emit) << std::hex << raw;
        ++tested[f.form.emit];
        for (Harness* h : {&p.jit, &p.ref}) h->code({raw, kBNext});
        const bool single = ((raw >> 22) & 3) == 0;
        single ? randomize<uint32_t>(p, rng) : randomize<uint64_t>(p, rng);
        p.jit.step(2);
        p.ref.step(2);
        expect_same(p, raw);
        if (HasFailure()) return;
    }
    for (const jit::SampledForm& f : forms) EXPECT_GE(tested[f.form.emit], 1000u);
}

TEST(JitFp, SamplesDecodeToTheirForms) {
    for (const jit::SampledForm& f : jit::fp_forms()) {
        Insn in;
        decode(f.samples[0], Features{}, in);
        const jit::Form* got = jit::inline_form(in.exec);
        ASSERT_NE(got, nullptr) << std::hex << f.samples[0];
        EXPECT_EQ(got->emit, f.form.emit) << std::hex << f.samples[0];
    }
}

}  // namespace
}  // namespace cpu::test
#endif
