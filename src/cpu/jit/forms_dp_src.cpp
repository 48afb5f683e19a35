// Inline forms of the integer data-processing (1 source) and (2 source)
// instructions a Linux boot calls most (src/cpu/isa/dp_reg.cpp): the
// variable shifts, the divisions, REV and CLZ. Each had been a handler call
// (3.9 M of the boot's 14 M calls were LSLV and LSRV).
#if defined(__x86_64__)
#include "arch/bits.h"
#include "cpu/jit/emitter.h"
#include "cpu/jit/forms_dp.h"
#include "cpu/jit/forms.h"

namespace cpu::jit {

namespace {

using namespace Xbyak::util;
using Xbyak::Reg;

// LSLV, LSRV, ASRV, RORV: ShiftReg(Rn, type, UInt(Rm) MOD datasize). An
// x86 shift by cl takes the count modulo 64 (32 for a 32-bit operand):
// the same MOD.
void shiftv(Emitter& e, const Insn& in) {
    const bool sf = sf_of(in);
    const Reg a = sized(rax, sf);
    e.load(rcx, in.rm, true);
    e.load(rax, in.rn, sf);
    shift_by(e, a, arch::bits(in.raw, 11, 10), cl);
    e.store(in.rd, rax, sf);
}

// UDIV, SDIV: rounding towards zero; a zero divisor gives 0, and SDIV's
// INT_MIN / -1 gives INT_MIN, which x86's idiv would trap on: a divisor
// of -1 negates instead.
void div(Emitter& e, const Insn& in) {
    const bool sf = sf_of(in), is_signed = arch::bit(in.raw, 10);
    const Reg a = sized(rax, sf), c = sized(rcx, sf);
    Xbyak::Label zero, negate, done;
    e.load(rcx, in.rm, sf);
    e.load(rax, in.rn, sf);
    e.test(c, c);
    e.jz(zero);
    if (is_signed) {
        e.cmp(c, -1);
        e.je(negate);
        sf ? e.cqo() : e.cdq();
        e.idiv(c);
    } else {
        e.xor_(edx, edx);
        e.div(c);
    }
    e.jmp(done);
    if (is_signed) {
        e.L(negate);
        e.neg(a);
        e.jmp(done);
    }
    e.L(zero);
    e.xor_(eax, eax);
    e.L(done);
    e.store(in.rd, rax, sf);
}

// REV: the datasize's bytes reversed.
void rev(Emitter& e, const Insn& in) {
    const bool sf = sf_of(in);
    e.load(rax, in.rn, sf);
    if (sf)
        e.bswap(rax);
    else
        e.bswap(eax);
    e.store(in.rd, rax, sf);
}

// CLZ: bsr gives the highest set bit's index i, and N-1-i is i XOR (N-1);
// for zero (bsr sets ZF) 2N-1 XOR (N-1) is N.
void clz(Emitter& e, const Insn& in) {
    const bool sf = sf_of(in);
    const unsigned n = sf ? 64 : 32;
    const Reg a = sized(rax, sf);
    e.load(rax, in.rn, sf);
    e.mov(ecx, 2 * n - 1);
    e.bsr(a, a);
    e.cmovz(a, sized(rcx, sf));
    e.xor_(a, n - 1);
    e.store(in.rd, rax, sf);
}

// Rd = 1, Rn = 1, Rm = 2; 32- and 64-bit.
std::vector<uint32_t> both_sizes(std::initializer_list<uint32_t> words) {
    std::vector<uint32_t> out;
    for (const uint32_t w : words) {
        out.push_back(w);
        out.push_back(w | 1u << 31);
    }
    return out;
}

const std::vector<SampledForm> kForms = {
    {{shiftv}, both_sizes({0x1AC22021, 0x1AC22421, 0x1AC22821, 0x1AC22C21})},
    {{div}, both_sizes({0x1AC20821, 0x1AC20C21})},
    {{rev}, {0x5AC00821, 0xDAC00C21}},
    {{clz}, both_sizes({0x5AC01021})},
};

}  // namespace

std::span<const SampledForm> dp_src_forms() { return kForms; }

}  // namespace cpu::jit
#endif
