// Branches: B, BL, B.cond, CBZ/CBNZ, TBZ/TBNZ, BR, BLR, RET
// (ARM ARM DDI 0487 K.a, C6.2 "Alphabetical list of A64 base instructions").
// A taken branch sets the PC and returns Flow::Branch; a branch not taken
// returns Flow::Next (the decoder ended the block at it either way).
#include "arch/bits.h"
#include "cpu/isa/branch_sys.h"
#include "cpu/isa/dp_common.h"

namespace cpu::sys {

namespace {

constexpr unsigned kTcrTbi0 = 37, kTcrTbi1 = 38;

Flow branch_to(Cpu& cpu, uint64_t target) {
    cpu.state().pc = branch_addr(cpu, target);
    return Flow::Branch;
}

}  // namespace

// AArch64.BranchAddr with AddrTop for the EL1&0 regime: bit 55 selects the
// half (TTBR0/TTBR1), and when its TBI bit is set the top byte is replaced by
// copies of bit 55. PAC is not implemented, so TBID does not apply.
uint64_t branch_addr(const Cpu& cpu, uint64_t target) {
    const uint64_t tcr = cpu.state().el1.tcr;
    const bool tbi = arch::bit(target, 55) ? arch::bit(tcr, kTcrTbi1) : arch::bit(tcr, kTcrTbi0);
    return tbi ? uint64_t(arch::sign_extend(target, 56)) : target;
}

Flow B(Cpu& cpu, const Insn& i) { return branch_to(cpu, cpu.state().pc + i.imm); }

Flow BL(Cpu& cpu, const Insn& i) {
    const uint64_t pc = cpu.state().pc;
    cpu.set_x(30, pc + 4);
    return branch_to(cpu, pc + i.imm);
}

Flow B_cond(Cpu& cpu, const Insn& i) {
    if (!condition_holds(i.cond, cpu.state().pstate)) return Flow::Next;
    return branch_to(cpu, cpu.state().pc + i.imm);
}

Flow CBZ(Cpu& cpu, const Insn& i) {
    const uint64_t v = i.sf ? cpu.x(i.rd) : cpu.w(i.rd);
    if ((v == 0) == i.negate) return Flow::Next;  // CBNZ wants non-zero
    return branch_to(cpu, cpu.state().pc + i.imm);
}

Flow TBZ(Cpu& cpu, const Insn& i) {
    const bool set = arch::bit(cpu.x(i.rd), i.shift);
    if (set != i.negate) return Flow::Next;  // TBZ wants 0, TBNZ wants 1
    return branch_to(cpu, cpu.state().pc + i.imm);
}

Flow BR(Cpu& cpu, const Insn& i) { return branch_to(cpu, cpu.x(i.rn)); }

// The target is read before X30 is written: BLR X30 branches to the old X30.
Flow BLR(Cpu& cpu, const Insn& i) {
    const uint64_t target = cpu.x(i.rn);
    cpu.set_x(30, cpu.state().pc + 4);
    return branch_to(cpu, target);
}

Flow RET(Cpu& cpu, const Insn& i) { return branch_to(cpu, cpu.x(i.rn)); }

}  // namespace cpu::sys
