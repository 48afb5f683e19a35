// Inline forms of the branches (src/cpu/isa/branch.cpp). A taken branch
// leaves the block through Emitter::taken, chained when its target is fixed
// and in the same page; a branch not taken falls through to the block's
// end (branches end blocks). A target that AArch64.BranchAddr might change
// (TBI: the top byte is not the sign extension of bit 55) goes to the
// handler, which applies TCR_EL1.TBIx.
#if defined(__x86_64__)
#include "arch/bits.h"
#include "cpu/jit/emitter.h"
#include "cpu/jit/forms.h"

namespace cpu::jit {

namespace {

using namespace Xbyak::util;

// To pc + imm, X30 = pc + 4 first when link. A target in the PC's own
// 4 KiB page has the PC's top byte, which BranchAddr left as it is (or the
// PC could not have been fetched): only a target elsewhere is checked.
void direct(Emitter& e, const Insn& in, bool link) {
    e.pc_plus(rax, int64_t(in.imm));
    if (!e.in_page(int64_t(in.imm))) e.handler_unless_canonical(rax);
    if (link) {
        e.pc_plus(rcx, 4);
        e.store(30, rcx, true);
        e.push_return();
    }
    e.taken(rax, int64_t(in.imm));
}

void b(Emitter& e, const Insn& in) { direct(e, in, false); }
void bl(Emitter& e, const Insn& in) { direct(e, in, true); }

// Not taken: on to the fall-through, which follows.
void b_cond(Emitter& e, const Insn& in) {
    Xbyak::Label not_taken;
    e.jump_unless(in.cond, not_taken);
    direct(e, in, false);
    e.L(not_taken);
}

// CBZ, CBNZ (negate).
void cbz(Emitter& e, const Insn& in) {
    Xbyak::Label not_taken;
    e.load(rax, in.rd, in.sf);
    e.test(rax, rax);
    if (in.negate)
        e.jz(not_taken, Emitter::T_NEAR);
    else
        e.jnz(not_taken, Emitter::T_NEAR);
    direct(e, in, false);
    e.L(not_taken);
}

// TBZ, TBNZ (negate): bit `shift` of Rt.
void tbz(Emitter& e, const Insn& in) {
    Xbyak::Label not_taken;
    e.load(rax, in.rd, true);
    e.bt(rax, in.shift);
    if (in.negate)
        e.jnc(not_taken, Emitter::T_NEAR);
    else
        e.jc(not_taken, Emitter::T_NEAR);
    direct(e, in, false);
    e.L(not_taken);
}

// RET is BR with the hint that it returns from a call (C6.2.283): both
// decode to one handler, and only the encoding tells them apart.
bool is_ret(const Insn& in) { return (in.raw & 0xFFFFFC1F) == 0xD65F0000; }

// BR, RET: to Rn. BLR: the target is read before X30 is written.
void indirect(Emitter& e, const Insn& in, bool link) {
    e.load(rax, in.rn, true);
    e.handler_unless_canonical(rax);
    if (link) {
        e.pc_plus(rcx, 4);
        e.store(30, rcx, true);
        e.push_return();
    }
    if (is_ret(in))
        e.returned(rax);
    else
        e.taken(rax, Emitter::kIndirect);
}

void br(Emitter& e, const Insn& in) { indirect(e, in, false); }
void blr(Emitter& e, const Insn& in) { indirect(e, in, true); }

const std::vector<SampledForm> kForms = {
    {{b, true}, {0x14000000}},
    {{bl, true}, {0x94000000}},
    {{b_cond, true}, {0x54000000}},
    {{cbz, true}, {0x34000001}},
    {{tbz, true}, {0x36000001}},
    {{br}, {0xD61F0020, 0xD65F03C0}},  // BR X1, RET
    {{blr}, {0xD63F0020}},
};

}  // namespace

std::span<const SampledForm> branch_forms() { return kForms; }

}  // namespace cpu::jit
#endif
