// The generic timer's count as the CPU sees it (ARM ARM DDI 0487 K.a, D12
// "The Generic Timer in AArch64 state"). Guest time is virtual (DESIGN.md,
// "Determinism and time"): the system counter advances by a fixed amount per
// retired instruction and not at all for exception entries.
#pragma once

#include <cstdint>

#include "cpu/cpu.h"

namespace cpu {

// Counter ticks per retired instruction: the fixed rate that makes a run
// reproducible from its inputs (like QEMU's icount).
inline constexpr uint64_t kCounterTicksPerInsn = 1;

// CNTFRQ_EL0 as firmware would program it: 62.5 MHz, QEMU virt's value, so
// guest images compute the same delays on both machines.
inline constexpr uint64_t kCounterFrequencyHz = 62'500'000;

// The physical count (CNTPCT_EL0) and the virtual count (CNTVCT_EL0 =
// physical count - CNTVOFF_EL2, D12.1.2).
inline uint64_t physical_count(const Cpu& cpu) { return cpu.retired() * kCounterTicksPerInsn; }
inline uint64_t virtual_count(const Cpu& cpu) {
    return physical_count(cpu) - cpu.state().el2.cntvoff;
}

}  // namespace cpu
