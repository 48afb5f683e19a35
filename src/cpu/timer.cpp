// The generic timer's EL1 physical and virtual timers (ARM ARM DDI 0487 K.a,
// D12.2.4 "Timers", D24.8 CNTP_*/CNTV_* register descriptions). Nothing here
// runs per instruction: ISTATUS, TVAL and the output lines are computed from
// the count when read.
#include "cpu/timer.h"

#include <algorithm>

namespace cpu {

namespace {

const TimerRegs& regs(const Cpu& cpu, Timer t) { return cpu.state().timer[size_t(t)]; }
TimerRegs& regs(Cpu& cpu, Timer t) { return cpu.state().timer[size_t(t)]; }

// The timer condition (D12.2.4): met when count - CVAL >= 0, an unsigned
// 64-bit comparison. While the timer is disabled ISTATUS is UNKNOWN; it reads
// 0 (docs/architecture-choices.md, "Generic timer").
bool condition_met(const Cpu& cpu, Timer t) {
    const TimerRegs& r = regs(cpu, t);
    return (r.ctl & cntctl::kENABLE) && timer_count(cpu, t) >= r.cval;
}

}  // namespace

uint64_t timer_ctl(const Cpu& cpu, Timer t) {
    return regs(cpu, t).ctl | (condition_met(cpu, t) ? cntctl::kISTATUS : 0);
}

void set_timer_ctl(Cpu& cpu, Timer t, uint64_t v) {
    regs(cpu, t).ctl = v & (cntctl::kENABLE | cntctl::kIMASK);
    cpu.timer_written();
}

uint64_t timer_tval(const Cpu& cpu, Timer t) {
    return uint32_t(regs(cpu, t).cval - timer_count(cpu, t));
}

void set_timer_tval(Cpu& cpu, Timer t, uint64_t v) {
    regs(cpu, t).cval = timer_count(cpu, t) + uint64_t(int64_t(int32_t(uint32_t(v))));
    cpu.timer_written();
}

bool Cpu::timer_line(Timer t) const {
    return !(regs(*this, t).ctl & cntctl::kIMASK) && condition_met(*this, t);
}

// A timer's condition becomes met when its count reaches CVAL: the virtual
// count runs CNTVOFF_EL2 behind the physical one, so the distance in ticks is
// the same for both. A deadline past 2^64 - 1 is none.
uint64_t Cpu::next_timer_deadline() const {
    const uint64_t now = physical_count(*this);
    uint64_t best = kNoTimerDeadline;
    for (Timer t : {Timer::Physical, Timer::Virtual}) {
        const TimerRegs& r = regs(*this, t);
        if (!(r.ctl & cntctl::kENABLE) || (r.ctl & cntctl::kIMASK)) continue;
        const uint64_t count = timer_count(*this, t);
        const uint64_t wait = r.cval > count ? r.cval - count : 0;
        if (wait <= kNoTimerDeadline - 1 - now) best = std::min(best, now + wait);
    }
    return best;
}

}  // namespace cpu
