// Helpers shared by the data-processing instruction tests.
#pragma once

#include <gtest/gtest.h>

#include "arch/esr.h"
#include "tests/cpu/harness.h"

namespace cpu::test {

constexpr uint32_t kVectorMarker = 0xd2824680; /* mov x0, #0x1234 */

inline uint32_t nzcv(Harness& h) { return h.cpu.state().pstate.nzcv(); }
inline void set_nzcv(Harness& h, uint32_t f) { h.cpu.state().pstate.set_nzcv(f); }
inline uint64_t& sp_el1(Harness& h) { return h.cpu.state().sp_el[1]; }

// The word is UNDEFINED: EC 0x00 to EL1 with ELR at the word, and the
// instruction changed nothing. The synchronous vector holds a MOV we can see
// run (the harness's `B .` needs the branch group), so one step ends after it.
inline void expect_undefined(uint32_t word) {
    SCOPED_TRACE(testing::Message() << "word 0x" << std::hex << word);
    Harness h;
    h.code({word});
    const uint64_t vector = h.cpu.state().el1.vbar + 0x200;
    h.put32(vector, kVectorMarker);
    for (unsigned r = 1; r < 31; ++r) h.x(r) = 0x1111111111111111ull * (r % 15 + 1);
    sp_el1(h) = 0x40080000;
    set_nzcv(h, 0b0101);
    h.step(1);
    const auto& s = h.cpu.state();
    EXPECT_EQ(arch::esr_ec(s.el1.esr), arch::EC::Unknown);
    EXPECT_EQ(s.el1.esr, arch::kEsrIL);  // ISS 0, 32-bit instruction
    EXPECT_EQ(s.el1.elr, kCodeBase);
    EXPECT_EQ(s.pc, vector + 4);
    EXPECT_EQ(h.x(0), 0x1234u);  // the vector ran
    for (unsigned r = 1; r < 31; ++r) EXPECT_EQ(h.x(r), 0x1111111111111111ull * (r % 15 + 1));
    EXPECT_EQ(sp_el1(h), 0x40080000u);
    EXPECT_EQ(s.el1.spsr >> 28, 0b0101u);  // flags untouched
}

}  // namespace cpu::test
