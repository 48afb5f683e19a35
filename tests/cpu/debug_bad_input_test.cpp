// Bad input: a guest may program any value into the debug registers
// (reserved BT, BAS, MASK, LSC, SSC/HMC/PxC, LBN naming a missing or
// non-context-aware breakpoint, masked DBGWVR bits). Each gets the
// CONSTRAINED UNPREDICTABLE choice in docs/architecture-choices.md ("CPU:
// debug"); none may crash or hang the host. Deterministic pseudo-random
// values drive the registers through the MSR path the guest uses.
#include <gtest/gtest.h>

#include <random>

#include "tests/cpu/debug_harness.h"

namespace cpu::test {
namespace {

// Writes v to the descriptor named `name` as an MSR at EL1 would.
void msr(Cpu& cpu, std::string_view name, uint64_t v) {
    for (const SysRegDesc& d : sysreg_table())
        if (d.name == name) return d.write(cpu, v);
    FAIL() << "no " << name;
}

TEST(DebugBadInput, ArbitraryDebugRegisterValuesNeverCrashOrHang) {
    std::mt19937_64 rng(5);
    for (unsigned round = 0; round < 500; ++round) {
        Harness h;
        // ldr x1, [x2]; str x1, [x2, #8]; ldp x3, x4, [x2]; add x0, x0, #1; b .-16
        h.code({0xf9400041, 0xf9000441, 0xa9401043, kAddX0, 0x17fffffc});
        h.x(2) = kData + (rng() & 0xFF8);
        State& s = h.cpu.state();
        s.el1.oslk = rng() & 1;
        s.el2.mdcr = (rng() & 1) ? mdcr::kTDE : 0;
        s.pstate.d = rng() & 1;
        s.pstate.ss = rng() & 1;
        if (rng() & 1) h.cpu.state().pstate.el = 0, h.cpu.state().pstate.sp = false;
        const uint64_t near = kCodeBase + (rng() & 0x1C);
        for (unsigned n = 0; n < debug::kBreakpoints; ++n) {
            const std::string i = std::to_string(n);
            msr(h.cpu, "DBGBVR" + i + "_EL1", (rng() & 1) ? near + (rng() & 3) : rng());
            msr(h.cpu, "DBGBCR" + i + "_EL1", rng());
        }
        for (unsigned n = 0; n < debug::kWatchpoints; ++n) {
            const std::string i = std::to_string(n);
            msr(h.cpu, "DBGWVR" + i + "_EL1", (rng() & 1) ? h.x(2) + (rng() & 15) : rng());
            msr(h.cpu, "DBGWCR" + i + "_EL1", rng());
        }
        msr(h.cpu, "MDSCR_EL1", rng());
        for (unsigned k = 0; k < 4; ++k) {
            const Stop st = h.step(200);
            ASSERT_NE(st, Stop::NoProgress) << "round " << round;
            if (st == Stop::Trap) s.pstate.ss = true;  // the hypervisor resumes
        }
    }
}

}  // namespace
}  // namespace cpu::test
