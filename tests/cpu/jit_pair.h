// Two CPUs on the same code: one through the translation tier (every block
// compiled at its first run), one interpreted; run() compares them.
#pragma once

#include <gtest/gtest.h>

#include <utility>

#include "tests/cpu/harness.h"

namespace cpu::test {

struct JitPair {
    Harness jit, ref;
    JitPair() {
        jit.cpu.set_jit(true);
        jit.cpu.set_jit_threshold(1);
        ref.cpu.set_jit(false);
    }
    void code(std::initializer_list<uint32_t> words) {
        jit.code(words);
        ref.code(words);
    }
    void set_x(unsigned n, uint64_t v) { jit.x(n) = ref.x(n) = v; }
    // Runs both for n instructions; they must stop alike in the same state.
    Stop run(uint64_t n) {
        const Stop a = jit.step(n), b = ref.step(n);
        EXPECT_EQ(a, b);
        const State &s = jit.cpu.state(), &t = ref.cpu.state();
        for (unsigned r = 0; r < 31; ++r) EXPECT_EQ(s.x[r], t.x[r]) << "X" << r;
        EXPECT_EQ(s.pc, t.pc);
        EXPECT_EQ(s.pstate.to_spsr(), t.pstate.to_spsr());
        EXPECT_EQ(jit.cpu.retired(), ref.cpu.retired());
        for (const auto& [x, y] : {std::pair{s.el1.esr, t.el1.esr}, {s.el1.elr, t.el1.elr},
                                   {s.el1.far, t.el1.far}, {s.el2.esr, t.el2.esr},
                                   {s.el2.elr, t.el2.elr}, {s.el2.far, t.el2.far},
                                   {s.el2.hpfar, t.el2.hpfar}})
            EXPECT_EQ(x, y);
        return a;
    }
};

}  // namespace cpu::test
