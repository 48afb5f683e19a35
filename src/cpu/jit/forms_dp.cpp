// Inline forms of the integer data-processing instructions a Linux boot
// runs most (docs/jit.md has the counts), each the x86-64 for its
// handler's "Operation" (src/cpu/isa/dp_imm.cpp, dp_reg.cpp): same Insn
// fields, the operand size, opcode and shift type from the encoding bits
// the handler was chosen by.
#if defined(__x86_64__)
#include "arch/bits.h"
#include "cpu/jit/emitter.h"
#include "cpu/jit/forms_dp.h"
#include "cpu/jit/forms.h"

namespace cpu::jit {

namespace {

using namespace Xbyak::util;
using Xbyak::Reg;

// ShiftReg(r, type, amount) in place (amount < datasize, 0 leaves it).
void shift_reg(Emitter& e, const Reg& r, unsigned type, unsigned amount) {
    if (amount) shift_by(e, r, type, uint8_t(amount));
}

// The ADD/SUB forms whose Rn is SP (immediate, extended register).
void load_rn_or_sp(Emitter& e, const Insn& in, bool sf) {
    if (in.rn == 31)
        e.load_sp(rax, sf);
    else
        e.load(rax, in.rn, sf);
}

// rax = rax + or - rcx at the operation's width.
void add_or_sub_rcx(Emitter& e, bool sub, bool sf) {
    if (sub)
        e.sub(sized(rax, sf), sized(rcx, sf));
    else
        e.add(sized(rax, sf), sized(rcx, sf));
}

// The flags of ADDS/SUBS, then the result to Rd, which is SP unless the
// flags are set (then XZR): the immediate and extended-register forms.
void store_flags_and_rd_or_sp(Emitter& e, const Insn& in, bool sf, bool sub, bool s) {
    if (s) e.store_nzcv_arith(sub);
    if (in.rd == 31 && !s)
        e.store_sp(rax, sf);
    else
        e.store(in.rd, rax, sf);
    if (s) e.nzcv_in_host(sub);
}

// ADD/ADDS/SUB/SUBS (immediate).
void addsub_imm(Emitter& e, const Insn& in) {
    const bool sf = sf_of(in), sub = arch::bit(in.raw, 30), s = arch::bit(in.raw, 29);
    load_rn_or_sp(e, in, sf);
    const Reg a = sized(rax, sf);
    if (sub)
        e.sub(a, uint32_t(in.imm));
    else
        e.add(a, uint32_t(in.imm));
    store_flags_and_rd_or_sp(e, in, sf, sub, s);
}

// ADD/ADDS/SUB/SUBS (shifted register), CMP and CMN among them.
void addsub_shifted(Emitter& e, const Insn& in) {
    const bool sf = sf_of(in), sub = arch::bit(in.raw, 30), s = arch::bit(in.raw, 29);
    e.load(rcx, in.rm, sf);
    shift_reg(e, sized(rcx, sf), arch::bits(in.raw, 23, 22), in.shift);
    e.load(rax, in.rn, sf);
    add_or_sub_rcx(e, sub, sf);
    if (s) e.store_nzcv_arith(sub);
    e.store(in.rd, rax, sf);
    if (s) e.nzcv_in_host(sub);
}

// ADD/ADDS/SUB/SUBS (extended register): Rm's low byte, halfword, word or
// doubleword (option<1:0>), zero- or sign-extended (option<2>), shifted
// left by 0-4.
void addsub_ext(Emitter& e, const Insn& in) {
    const bool sf = sf_of(in), sub = arch::bit(in.raw, 30), s = arch::bit(in.raw, 29);
    const unsigned option = arch::bits(in.raw, 15, 13);
    load_rn_or_sp(e, in, sf);
    e.load(rcx, in.rm, true);
    switch (option) {
    case 0: e.movzx(ecx, cl); break;
    case 1: e.movzx(ecx, cx); break;
    case 2: e.mov(ecx, ecx); break;
    case 4: e.movsx(rcx, cl); break;
    case 5: e.movsx(rcx, cx); break;
    case 6: e.movsxd(rcx, ecx); break;
    default: break;  // UXTX, SXTX: all 64 bits
    }
    if (in.shift) e.shl(rcx, in.shift);
    add_or_sub_rcx(e, sub, sf);
    store_flags_and_rd_or_sp(e, in, sf, sub, s);
}

// ADC/ADCS/SBC/SBCS: the host's carry is C for an add and NOT C for a
// subtract with borrow (x - y - NOT C = x + NOT y + C).
void adc_sbc(Emitter& e, const Insn& in) {
    const bool sf = sf_of(in), sub = arch::bit(in.raw, 30), s = arch::bit(in.raw, 29);
    e.load(rax, in.rn, sf);
    e.load(rcx, in.rm, sf);
    e.movzx(edx, e.flags());
    e.bt(edx, 1);  // PState::flags bit 1 is C
    if (sub) {
        e.cmc();
        e.sbb(sized(rax, sf), sized(rcx, sf));
    } else {
        e.adc(sized(rax, sf), sized(rcx, sf));
    }
    if (s) e.store_nzcv_arith(sub);
    e.store(in.rd, rax, sf);
    if (s) e.nzcv_in_host(sub);
}

// CCMP/CCMN (register, immediate): the comparison's flags when cond
// holds, else the instruction's nzcv.
void ccmp(Emitter& e, const Insn& in) {
    const bool sf = sf_of(in), sub = arch::bit(in.raw, 30), imm = arch::bit(in.raw, 11);
    Xbyak::Label fails, done;
    e.jump_unless(in.cond, fails);
    e.load(rax, in.rn, sf);
    if (imm)
        e.mov(ecx, uint32_t(in.imm));
    else
        e.load(rcx, in.rm, sf);
    if (sub)
        e.sub(sized(rax, sf), sized(rcx, sf));
    else
        e.add(sized(rax, sf), sized(rcx, sf));
    e.store_nzcv_arith(sub);
    e.jmp(done, Emitter::T_NEAR);
    e.L(fails);
    e.mov(e.flags(), in.nzcv);
    e.L(done);
}

// EXTR (ROR when Rn = Rm): the low half of (Rn:Rm) >> lsb.
void extr(Emitter& e, const Insn& in) {
    const bool sf = sf_of(in);
    e.load(rax, in.rm, sf);
    e.load(rcx, in.rn, sf);
    if (in.shift) e.shrd(sized(rax, sf), sized(rcx, sf), in.shift);
    e.store(in.rd, rax, sf);
}

// AND/ORR/EOR/ANDS of rax with rcx by opc; flags for ANDS.
void logic(Emitter& e, unsigned opc, bool sf) {
    const Reg a = sized(rax, sf), c = sized(rcx, sf);
    switch (opc) {
    case 1: e.or_(a, c); break;
    case 2: e.xor_(a, c); break;
    default: e.and_(a, c); break;
    }
    if (opc == 3) e.store_nzcv_logical();
}

// AND/BIC/ORR/ORN/EOR/EON/ANDS/BICS (shifted register), MOV (register).
void logical_shifted(Emitter& e, const Insn& in) {
    const bool sf = sf_of(in), invert = arch::bit(in.raw, 21);
    const unsigned opc = arch::bits(in.raw, 30, 29);
    e.load(rcx, in.rm, sf);
    shift_reg(e, sized(rcx, sf), arch::bits(in.raw, 23, 22), in.shift);
    if (invert) e.not_(sized(rcx, sf));
    e.load(rax, in.rn, sf);
    logic(e, opc, sf);
    e.store(in.rd, rax, sf);
    if (opc == 3) e.nzcv_in_host(false);
}

// AND/ORR/EOR/ANDS (immediate): Rd is SP except for ANDS. An immediate
// that sign-extends from 32 bits is the instruction's own operand; AND
// with 0xFFFFFFFF (not ANDS: no flags) is a 32-bit move.
void logical_imm(Emitter& e, const Insn& in) {
    const bool sf = sf_of(in);
    const unsigned opc = arch::bits(in.raw, 30, 29);
    const uint64_t imm = in.imm;
    e.load(rax, in.rn, sf);
    if (opc == 0 && sf && imm == 0xFFFFFFFF) {
        e.mov(eax, eax);
    } else if (!sf || int64_t(imm) == int64_t(int32_t(imm))) {
        const Reg a = sized(rax, sf);
        const uint32_t i32 = uint32_t(imm);
        switch (opc) {
        case 1: e.or_(a, i32); break;
        case 2: e.xor_(a, i32); break;
        default: e.and_(a, i32); break;
        }
        if (opc == 3) e.store_nzcv_logical();
    } else {
        e.mov(rcx, imm);
        logic(e, opc, sf);
    }
    if (in.rd == 31 && opc != 3)
        e.store_sp(rax, sf);
    else
        e.store(in.rd, rax, sf);
    if (opc == 3) e.nzcv_in_host(false);
}

// MOVZ, MOVN: the value was computed at decode.
void movz_movn(Emitter& e, const Insn& in) {
    e.mov(rax, in.imm);
    e.store(in.rd, rax, true);
}

// MOVK: 16 bits replaced in place (a 32-bit form clears the upper half).
void movk(Emitter& e, const Insn& in) {
    if (in.rd == 31) return;
    const Xbyak::Address hw = e.word[e.x(in.rd).getRegExp() + in.shift / 8];
    e.mov(hw, uint16_t(in.imm >> in.shift));
    if (!sf_of(in)) e.mov(e.dword[e.x(in.rd).getRegExp() + 4], 0);
    e.forget(in.rd);
}

// ADR, ADRP: from this instruction's PC.
void adr(Emitter& e, const Insn& in) {
    if (in.rd == 31) return;
    const bool page = arch::bit(in.raw, 31);
    e.pc_plus(rax, 0);
    if (page) e.and_(rax, ~uint32_t(0xFFF));  // sign-extended: clears bits 11:0 only
    e.mov(rcx, in.imm);
    e.add(rax, rcx);
    e.store(in.rd, rax, true);
}

// UBFM (LSR, LSL, UXTB, UBFX...): ROR(src, immr) AND the folded masks;
// LSR and LSL, where the mask keeps exactly what the rotation did not
// wrap, are a shift.
void ubfm(Emitter& e, const Insn& in) {
    const bool sf = sf_of(in);
    const unsigned width = sf ? 64 : 32, r = in.shift;
    const uint64_t ones = sf ? ~uint64_t(0) : 0xFFFFFFFF;
    const Reg a = sized(rax, sf);
    e.load(rax, in.rn, sf);
    if (r && in.imm == ones >> r) {
        e.shr(a, r);
    } else if (r && in.imm == ((ones << (width - r)) & ones)) {
        e.shl(a, width - r);
    } else {
        if (r) e.ror(a, r);
        if (in.imm <= 0x7FFFFFFF) {
            e.and_(eax, uint32_t(in.imm));
        } else {
            e.mov(rcx, in.imm);
            e.and_(rax, rcx);
        }
    }
    e.store(in.rd, rax, sf);
}

// SBFM with imms >= immr (ASR, SXTB, SBFX...): shift left, then arithmetic
// right; SXTB, SXTH and SXTW (both shifts leave the low 8, 16 or 32 bits)
// are a sign-extending move.
void sbfm_extract(Emitter& e, const Insn& in) {
    const bool sf = sf_of(in);
    const Reg a = sized(rax, sf);
    const unsigned kept = (sf ? 64 : 32) - in.shift;
    e.load(rax, in.rn, sf);
    if (in.shift && in.shift == in.shift2 && kept == 8) {
        e.movsx(a, al);
    } else if (in.shift && in.shift == in.shift2 && kept == 16) {
        e.movsx(a, ax);
    } else if (sf && in.shift == 32 && in.shift2 == 32) {
        e.movsxd(rax, eax);
    } else {
        if (in.shift) e.shl(a, in.shift);
        if (in.shift2) e.sar(a, in.shift2);
    }
    e.store(in.rd, rax, sf);
}

// SBFM with imms < immr (SBFIZ): the field sign-extended by a left and an
// arithmetic right shift, then moved up (both shifts are 1 to N-1).
void sbfm_insert(Emitter& e, const Insn& in) {
    const bool sf = sf_of(in);
    const Reg a = sized(rax, sf);
    e.load(rax, in.rn, sf);
    e.shl(a, in.shift);
    e.sar(a, in.shift);
    e.shl(a, in.shift2);
    e.store(in.rd, rax, sf);
}

// BFM (BFI, BFXIL): Rd's bits outside the folded mask kept, the rotated
// source inside it.
void bfm(Emitter& e, const Insn& in) {
    const bool sf = sf_of(in);
    const Reg a = sized(rax, sf), c = sized(rcx, sf), m = sized(rdx, sf);
    e.load(rax, in.rn, sf);
    if (in.shift) e.ror(a, in.shift);
    e.load(rcx, in.rd, sf);
    e.mov(rdx, in.imm);
    e.and_(a, m);
    e.not_(m);
    e.and_(c, m);
    e.or_(a, c);
    e.store(in.rd, rax, sf);
}

// CSEL/CSINC/CSINV/CSNEG: the alternative computed (by lea and not, which
// leave the host's flags: they may hold NZCV), then a conditional move.
void csel(Emitter& e, const Insn& in) {
    const bool sf = sf_of(in), op = arch::bit(in.raw, 30), o2 = arch::bit(in.raw, 10);
    const Reg c = sized(rcx, sf);
    e.load(rcx, in.rm, sf);
    if (op) e.not_(c);
    if (o2) e.lea(c, e.ptr[rcx + 1]);  // CSINC: + 1; CSNEG: NOT + 1
    e.load(rax, in.rn, sf);
    e.move_unless(in.cond, sized(rax, sf), c);
    e.store(in.rd, rax, sf);
}

// MADD, MSUB: Ra +/- Rn * Rm modulo 2^N (the low half of the product is
// the same signed or not).
void madd_msub(Emitter& e, const Insn& in) {
    const bool sf = sf_of(in), sub = arch::bit(in.raw, 15);
    e.load(rax, in.rn, sf);
    e.load(rcx, in.rm, sf);
    e.imul(sized(rax, sf), sized(rcx, sf));
    if (in.ra == 31 && !sub) {  // MUL
        e.store(in.rd, rax, sf);
        return;
    }
    e.load(rdx, in.ra, sf);
    if (sub)
        e.sub(sized(rdx, sf), sized(rax, sf));
    else
        e.add(sized(rdx, sf), sized(rax, sf));
    e.store(in.rd, rdx, sf);
}

void nop(Emitter&, const Insn&) {}

// Encodings decoding to every handler of a class: sf, op and S (or opc)
// in all combinations, shift types, register 31 where it selects the SP
// handler. Rd = 1, Rn = 1 (or 31), Rm = 2.
std::vector<uint32_t> each(uint32_t base, std::initializer_list<uint32_t> bits) {
    std::vector<uint32_t> out{base};
    for (const uint32_t b : bits) {
        const size_t n = out.size();
        for (size_t k = 0; k < n; ++k) out.push_back(out[k] | b);
    }
    return out;
}
constexpr uint32_t kSf = 1u << 31, kOp = 1u << 30, kS = 1u << 29, kRn31 = 31u << 5;

const std::vector<SampledForm> kForms = {
    {{addsub_imm}, each(0x11000021, {kSf, kOp, kS, kRn31})},
    {{addsub_shifted}, each(0x0B020021, {kSf, kOp, kS, 1u << 22, 2u << 22})},
    {{addsub_ext}, each(0x0B220021, {kSf, kOp, kS, 1u << 13, 2u << 13, 4u << 13})},
    {{logical_shifted}, each(0x0A020021, {kSf, 1u << 29, 2u << 29, 1u << 21, 1u << 22, 2u << 22})},
    // MOV (register): ORR with Rn = XZR and no shift has its own handler.
    {{logical_shifted}, {0x2A0203E1, 0xAA0203E1}},
    {{logical_imm}, each(0x12000021, {1u << 29, 2u << 29})},
    {{logical_imm}, each(0x92400021, {1u << 29, 2u << 29})},
    {{movz_movn}, {0x52800001}},
    {{movk}, {0x72800001, 0xF2800001}},
    {{adr}, {0x10000001, 0x90000001}},
    {{ubfm}, {0x53001C21, 0xD3401C21}},
    {{sbfm_extract}, {0x13001C21, 0x93401C21}},
    {{sbfm_insert}, {0x13080C21, 0x93480C21}},
    {{bfm}, {0x33001C21, 0xB3401C21, 0x33080C21, 0xB3480C21}},
    {{csel}, each(0x1A820021, {kSf, kOp, 1u << 10})},
    {{madd_msub}, each(0x1B020421, {kSf, 1u << 15})},
    {{adc_sbc}, each(0x1A020021, {kSf, kOp, kS})},
    {{ccmp}, each(0x3A420020, {kSf, kOp, 1u << 11})},
    {{extr}, {0x13820421, 0x93C20421}},
    // The hints; DMB and DSB (no other observer here: loads and stores
    // are in order); PRFM (immediate, register, literal): the model has no
    // caches. Their handlers do nothing.
    {{nop}, {0xD503201F, 0xD5033BBF, 0xD5033B9F, 0xF9800020, 0xF8A26820, 0xD8000040}},
};

}  // namespace

std::span<const SampledForm> dp_forms() { return kForms; }

}  // namespace cpu::jit
#endif
