// What every SIMD&FP handler shares (ARM ARM DDI 0487 K.a, C7 "A64 Advanced
// SIMD and Floating-point Instruction Descriptions", and the shared
// pseudocode V[], Vpart[], Elem[], CheckFPAdvSIMDEnabled64, FPSR/FPCR).
//
// A SIMD&FP handler is installed wrapped: `o.exec = fp_guarded<HANDLER>;`.
// The wrapper makes the CheckFPAdvSIMDEnabled64() call the Operation
// pseudocode of every such instruction starts with: when CPACR_EL1.FPEN or
// CPTR_EL2.TFP disables the unit, the instruction traps (EC 0x07) before it
// reads or writes anything. Handlers themselves never check.
//
// FP arithmetic is cpu::fp (src/cpu/fp/fp.h): pass fpcr(c) and accumulate
// into a local flags word, then fpsr_or(c, flags) once the instruction can
// no longer fault, so a faulting load/store leaves FPSR untouched.
#pragma once

#include <cstdint>

#include "cpu/cpu.h"
#include "cpu/fp/fp.h"
#include "cpu/sysregs.h"
#include "cpu/vreg.h"

namespace cpu::simd {

// The usual configuration, CPACR_EL1.FPEN = 11 and CPTR_EL2.TFP = 0, enables
// the unit at every EL: it answers inline; any other asks fp_enabled().
template <ExecFn F>
Flow fp_guarded(Cpu& c, const Insn& i) {
    const State& s = c.state();
    const bool usual = (s.el1.cpacr & cpacr::kFPEN) == cpacr::kFPEN && !(s.el2.cptr & cptr::kTFP);
    if (!usual && !c.fp_enabled()) [[unlikely]] return c.fp_access_trap();
    return F(c, i);
}

// V[n] as a whole 128-bit register; writes of a scalar or a 64-bit vector
// zero the rest (the ASL V[] setter), which VReg::zero_extended builds.
inline VReg& vreg(Cpu& c, unsigned n) { return c.state().v[n]; }
inline const VReg& vreg(const Cpu& c, unsigned n) { return c.state().v[n]; }

// V[n, width] read: the low `width` bits (8..64); 128 is vreg() itself.
inline uint64_t vread(const Cpu& c, unsigned n, unsigned width) {
    const uint64_t lo = c.state().v[n].d();
    return width == 64 ? lo : lo & ((uint64_t(1) << width) - 1);
}
// V[n, width] = value for width <= 64: the upper bits become zero.
inline void vwrite(Cpu& c, unsigned n, unsigned width, uint64_t value) {
    c.state().v[n] = VReg::zero_extended(width, value);
}

inline uint32_t fpcr(const Cpu& c) { return c.state().fpcr; }
// The flags word an arithmetic handler accumulates into: it starts as FPSR,
// so that cpu::fp sees a cumulative flag already set (an Inexact already
// recorded need not be found again, fp_host.h). Handlers that can fault
// after the arithmetic start from 0 instead.
inline uint32_t fpsr_flags(const Cpu& c) { return c.state().fpsr; }
// Cumulative FPSR flags (IOC..IDC, QC) the instruction raised.
inline void fpsr_or(Cpu& c, uint32_t flags) { c.state().fpsr |= flags; }

}  // namespace cpu::simd
