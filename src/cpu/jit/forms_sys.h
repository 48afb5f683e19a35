// The system registers whose MRS the tier emits inline (forms_sys.cpp):
// tests check each against sysregs.cpp's descriptor.
#pragma once
#if defined(__x86_64__)

#include <span>

#include "arch/sysreg.h"
#include "cpu/state.h"

namespace cpu::jit {

// Read at EL1 from field, untrapped; needs_sp1: UNDEFINED at EL1 unless
// PSTATE.SP = 1.
struct InlineRead {
    arch::SysRegId id;
    const uint64_t& (*field)(const State&);
    bool needs_sp1;
};

std::span<const InlineRead> inline_reads();

}  // namespace cpu::jit

#endif
