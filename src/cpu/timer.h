// The generic timer as the CPU holds it (ARM ARM DDI 0487 K.a, D12 "The
// Generic Timer in AArch64 state"). Guest time is virtual (DESIGN.md,
// "Determinism and time"): the system counter advances by a fixed amount per
// retired instruction and not at all for exception entries; the hypervisor
// may jump it forward (Cpu::advance_count). The timers' outputs are lines the
// hypervisor polls and routes to the vGIC (Cpu::timer_line).
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

// CNTP_CTL_EL0 / CNTV_CTL_EL0 (D24.8.x): ENABLE and IMASK are stored,
// ISTATUS is the timer condition, read-only.
namespace cntctl {
inline constexpr uint64_t kENABLE = 1ull << 0;
inline constexpr uint64_t kIMASK = 1ull << 1;
inline constexpr uint64_t kISTATUS = 1ull << 2;
}  // namespace cntctl

// The physical count (CNTPCT_EL0) and the virtual count (CNTVCT_EL0 =
// physical count - CNTVOFF_EL2, D12.1.2).
inline uint64_t physical_count(const Cpu& cpu) {
    return cpu.retired() * kCounterTicksPerInsn + cpu.count_skew();
}
inline uint64_t virtual_count(const Cpu& cpu) {
    return physical_count(cpu) - cpu.state().el2.cntvoff;
}
// The count a timer compares against CVAL.
inline uint64_t timer_count(const Cpu& cpu, Timer t) {
    return t == Timer::Virtual ? virtual_count(cpu) : physical_count(cpu);
}

// CNTx_CTL_EL0 as read: ISTATUS set when enabled and count >= CVAL.
uint64_t timer_ctl(const Cpu& cpu, Timer t);
void set_timer_ctl(Cpu& cpu, Timer t, uint64_t v);
// CNTx_TVAL_EL0: reads (CVAL - count)[31:0]; a write sets
// CVAL = count + SignExtend(TVAL[31:0]) (D12.2.4 "Timers").
uint64_t timer_tval(const Cpu& cpu, Timer t);
void set_timer_tval(Cpu& cpu, Timer t, uint64_t v);

}  // namespace cpu
