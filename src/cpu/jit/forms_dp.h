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

// ShiftReg(r, type, amount) in place, type as the encodings' shift field
// (LSL, LSR, ASR, ROR); amount an immediate or cl (x86 takes cl modulo
// the operand size, as the variable shifts take theirs).
template <class Amount>
void shift_by(Xbyak::CodeGenerator& e, const Xbyak::Reg& r, unsigned type, Amount amount) {
    switch (type) {
    case 0: e.shl(r, amount); break;
    case 1: e.shr(r, amount); break;
    case 2: e.sar(r, amount); break;
    default: e.ror(r, amount); break;
    }
}

}  // namespace cpu::jit

#endif
