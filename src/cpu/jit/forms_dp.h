// What the integer data-processing forms (forms_dp.cpp, forms_dp_src.cpp)
// share: the operand size from the encoding, and a register's view at it.
#pragma once
#if defined(__x86_64__)

#include <xbyak/xbyak.h>

#include "arch/bits.h"
#include "cpu/insn.h"

namespace cpu::jit {

inline bool sf_of(const Insn& in) { return arch::bit(in.raw, 31); }
// The width the operation runs at: the 64- or 32-bit view of a register.
inline Xbyak::Reg sized(const Xbyak::Reg64& r, bool sf) {
    return sf ? Xbyak::Reg(r) : Xbyak::Reg(r.cvt32());
}

}  // namespace cpu::jit

#endif
