// Architectural state of one PE as the CPU model holds it: what hardware holds.
#pragma once

#include <array>
#include <cstdint>

#include "arch/pstate.h"
#include "cpu/vreg.h"

namespace cpu {

// EL1 (and EL0-visible) system registers that have storage.
struct El1Regs {
    uint64_t sctlr = 0x30D00800;  // RES1 bits per D24.2.158 (SCTLR_EL1), MMU off
    uint64_t cpacr = 0, tcr = 0, ttbr0 = 0, ttbr1 = 0, mair = 0, amair = 0;
    uint64_t contextidr = 0, tpidr_el0 = 0, tpidrro_el0 = 0, tpidr_el1 = 0;
    uint64_t vbar = 0, esr = 0, far = 0, par = 0, afsr0 = 0, afsr1 = 0, actlr = 0;
    uint64_t cntkctl = 0, csselr = 0;
    uint64_t elr = 0, spsr = 0;
    uint64_t mdscr = 0;
    // DBGBVR<n>_EL1, DBGBCR<n>_EL1, DBGWVR<n>_EL1, DBGWCR<n>_EL1: sized for
    // the architectural maximum of 16; ID_AA64DFR0_EL1 says how many exist.
    std::array<uint64_t, 16> dbgbvr{}, dbgbcr{}, dbgwvr{}, dbgwcr{};
    bool oslk = true;  // OSLSR_EL1.OSLK resets to 1 (D24.3.x OSLSR_EL1)
};

// EL2 registers the hypervisor programs and the CPU honours or fills.
struct El2Regs {
    uint64_t hcr = 0, mdcr = 0, cptr = 0, cnthctl = 0, cntvoff = 0;
    // MIDR_EL1/MPIDR_EL1 as EL1 reads them: reset to this PE's identity
    // (cpu::id::kMidr in sysregs.h; MPIDR bit 31 is RES1, Aff = 0).
    uint64_t vpidr = 0x000F0010, vmpidr = 0x80000000;
    uint64_t elr = 0, spsr = 0, esr = 0, far = 0, hpfar = 0;
};

// The generic timer's EL1 physical and EL0 virtual timers (D12.8 "The
// AArch64 view of the Generic Timer"): CNTx_CTL_EL0.{ENABLE, IMASK} and
// CNTx_CVAL_EL0. ISTATUS and TVAL are derived from the count (cpu/timer.h).
enum class Timer : uint8_t { Physical = 0, Virtual = 1 };
struct TimerRegs {
    uint64_t ctl = 0, cval = 0;
};
inline constexpr uint64_t kNoTimerDeadline = ~0ull;  // Cpu::next_timer_deadline()

// The GICv3 virtual CPU interface's EL2 state (IHI 0069 "Virtual CPU
// interface", ARM ARM D24 ICH_*_EL2): what the hypervisor programs. The
// derived registers (ICH_MISR/EISR/ELRSR_EL2) are computed (cpu/gic_cpuif.h).
inline constexpr unsigned kListRegs = 4;
struct IchRegs {
    std::array<uint64_t, kListRegs> lr{};  // ICH_LR<n>_EL2
    uint64_t ap0r0 = 0, ap1r0 = 0;         // ICH_AP0R0_EL2, ICH_AP1R0_EL2
    uint64_t hcr = 0, vmcr = 0;            // ICH_HCR_EL2, ICH_VMCR_EL2
};

struct State {
    // X0..X30; index 31 is kept at zero so reads of XZR are a plain load.
    std::array<uint64_t, 32> x{};
    std::array<uint64_t, 2> sp_el{};  // SP_EL0, SP_EL1
    uint64_t pc = 0;
    arch::PState pstate;
    El1Regs el1;
    El2Regs el2;
    std::array<TimerRegs, 2> timer{};  // indexed by Timer
    IchRegs ich;
    // The SIMD&FP registers V0..V31 and FPCR/FPSR (C5.2.8, C5.2.10): zero at
    // reset. Writes to FPCR/FPSR go through arch::fpcr/fpsr_write_value.
    std::array<VReg, 32> v{};
    uint32_t fpcr = 0, fpsr = 0;
};

// HCR_EL2 bits the CPU acts on (D24.2.48).
namespace hcr {
inline constexpr uint64_t kVM = 1ull << 0;
inline constexpr uint64_t kFMO = 1ull << 3;
inline constexpr uint64_t kIMO = 1ull << 4;
inline constexpr uint64_t kAMO = 1ull << 5;
inline constexpr uint64_t kVF = 1ull << 6;
inline constexpr uint64_t kVI = 1ull << 7;
inline constexpr uint64_t kVSE = 1ull << 8;
inline constexpr uint64_t kFB = 1ull << 9;  // force broadcast of TLBI and IC from EL1
inline constexpr uint64_t kTWI = 1ull << 13;
inline constexpr uint64_t kTWE = 1ull << 14;
inline constexpr uint64_t kTID1 = 1ull << 16;
inline constexpr uint64_t kTID2 = 1ull << 17;
inline constexpr uint64_t kTID3 = 1ull << 18;
inline constexpr uint64_t kTSC = 1ull << 19;
inline constexpr uint64_t kTIDCP = 1ull << 20;
inline constexpr uint64_t kTACR = 1ull << 21;
inline constexpr uint64_t kTSW = 1ull << 22;
inline constexpr uint64_t kTPCP = 1ull << 23;
inline constexpr uint64_t kTPU = 1ull << 24;
inline constexpr uint64_t kTTLB = 1ull << 25;
inline constexpr uint64_t kTVM = 1ull << 26;
inline constexpr uint64_t kTGE = 1ull << 27;
inline constexpr uint64_t kTDZ = 1ull << 28;
inline constexpr uint64_t kHCD = 1ull << 29;
inline constexpr uint64_t kTRVM = 1ull << 30;
inline constexpr uint64_t kRW = 1ull << 31;
}  // namespace hcr

}  // namespace cpu
