// A Harness with the SIMD&FP unit enabled (CPACR_EL1.FPEN = 0b11) and
// V registers to set and read, for tests that run one SIMD&FP word at a time.
#pragma once

#include <cstdint>

#include "cpu/sysregs.h"
#include "cpu/vreg.h"
#include "tests/cpu/harness.h"

namespace cpu::test {

struct SimdHarness : Harness {
    SimdHarness() { cpu.state().el1.cpacr = cpacr::kFPEN; }
    VReg& v(unsigned n) { return cpu.state().v[n]; }
    // Runs `word` alone at kCodeBase.
    void run(uint32_t word) {
        code({word});
        step();
    }
};

}  // namespace cpu::test
