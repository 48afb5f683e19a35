// The debug enables the stepping path asks about on every instruction, as
// one value: debug.h computes and reads it, Cpu keeps the current one.
#pragma once

#include <cstdint>

namespace cpu::debug {

// AArch64.GenerateDebugExceptionsFrom for each guest EL and mask, with
// DebugTarget() and MDSCR_EL1.SS. A function of MDSCR_EL1.{SS, KDE}, the
// OS Lock, HCR_EL2.TGE and MDCR_EL2.TDE only; PSTATE.{EL, D} select in it.
struct Enables {
    uint8_t from = 0;    // bit 2 * el + mask: enabled_from(el, mask) for el = 0, 1
    uint8_t target = 1;  // DebugTarget(): 1 or 2
    bool ss = false;     // MDSCR_EL1.SS
    bool operator==(const Enables&) const = default;
};

}  // namespace cpu::debug
