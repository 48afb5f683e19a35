// The test plays the hypervisor around self-hosted debug (ARM ARM DDI 0487
// L.a, D2): it programs MDSCR_EL1, MDCR_EL2 and the DBG* registers directly,
// runs the CPU and reads the exception it took.
#pragma once

#include "arch/esr.h"
#include "cpu/debug.h"
#include "cpu/sysregs.h"
#include "tests/cpu/harness.h"

namespace cpu::test {

inline constexpr uint32_t kNop = 0xd503201f;       // nop
inline constexpr uint32_t kAddX0 = 0x91000400;     // add x0, x0, #1
inline constexpr uint64_t kData = kRamBase + 0x2000;
inline constexpr uint64_t kLowerA64 = 0x400, kCurrentSpx = 0x200;
inline constexpr uint64_t kRun = 100;  // a budget no test reaches

// DBGBCR/DBGWCR field builders (D24.3.x).
inline constexpr uint64_t kBcrE = 1, kPxcEl1 = 1 << 1, kPxcEl0 = 2 << 1, kPxcBoth = 3 << 1;
inline constexpr uint64_t kBcrBas = 0xF << 5;
constexpr uint64_t bcr_bt(unsigned bt) { return uint64_t(bt) << 20; }
constexpr uint64_t bcr_lbn(unsigned n) { return uint64_t(n) << 16; }
inline constexpr uint64_t kLscLoad = 1 << 3, kLscStore = 2 << 3;
constexpr uint64_t wcr_bas(unsigned bas) { return uint64_t(bas) << 5; }
constexpr uint64_t wcr_mask(unsigned m) { return uint64_t(m) << 24; }

struct DebugTest : ::testing::Test {
    Harness h;
    State& s() { return h.cpu.state(); }
    void SetUp() override { s().el1.oslk = false; }  // the OS Lock resets to 1
    // MDCR_EL2.TDE: debug exceptions from EL0/EL1 go to EL2.
    void route_to_el2() { s().el2.mdcr |= mdcr::kTDE; }
    void to_el0() {
        s().pstate.el = 0;
        s().pstate.sp = false;
    }
    uint32_t esr2() { return uint32_t(s().el2.esr); }
    uint32_t esr1() { return uint32_t(s().el1.esr); }
    arch::EC ec2() { return arch::esr_ec(s().el2.esr); }
    arch::EC ec1() { return arch::esr_ec(s().el1.esr); }
    bool spsr2_ss() { return s().el2.spsr & arch::spsr::kSS; }
};

}  // namespace cpu::test
