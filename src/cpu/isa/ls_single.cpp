// Single-register loads and stores: LDR/STR and their B/H/SB/SH/SW forms with
// unsigned, unscaled, pre-, post-indexed, unprivileged and register offsets,
// LDR (literal), PRFM/PRFUM (DDI 0487 K.a C6.2, "LDR (immediate)" etc.).
#include "arch/bits.h"
#include "cpu/isa/ls_common.h"

namespace cpu::ls {
namespace {

// Writeback happens before the destination is written: when Rn == Rt (not
// SP) the loaded value wins, i.e. Constraint_WBSUPPRESS for loads; a store
// reads Rt before writeback, i.e. Constraint_NONE (docs/architecture-choices.md).
template <typename T, Ext E, Mode M, bool kSp> Flow LDR(Cpu& cpu, const Insn& in) {
    if constexpr (kSp)
        if (sp_misaligned(cpu)) return sp_alignment_fault(cpu);
    const uint64_t b = base<kSp>(cpu, in.rn);
    const uint64_t a = address<M>(cpu, in, b);
    T v;
    if (!cpu.read<T>(a, load_desc<T, E>(in.rd, !has_wb(M), M == Mode::Unpriv), v))
        return Flow::Exception;
    if constexpr (M == Mode::Pre) set_base<kSp>(cpu, in.rn, a);
    if constexpr (M == Mode::Post) set_base<kSp>(cpu, in.rn, b + in.imm);
    cpu.set_x(in.rd, extend<T, E>(v));
    return Flow::Next;
}

template <typename T, Mode M, bool kSp> Flow STR(Cpu& cpu, const Insn& in) {
    if constexpr (kSp)
        if (sp_misaligned(cpu)) return sp_alignment_fault(cpu);
    const uint64_t b = base<kSp>(cpu, in.rn);
    const uint64_t a = address<M>(cpu, in, b);
    if (!cpu.write<T>(a, T(cpu.x(in.rd)), store_desc<T>(in.rd, !has_wb(M), M == Mode::Unpriv)))
        return Flow::Exception;
    if constexpr (M == Mode::Pre) set_base<kSp>(cpu, in.rn, a);
    if constexpr (M == Mode::Post) set_base<kSp>(cpu, in.rn, b + in.imm);
    return Flow::Next;
}

// PRFM/PRFUM: Prefetch() is a hint; the model has no caches. A prefetch
// never faults and does not check SP alignment (MemOp_PREFETCH).
Flow PRFM(Cpu&, const Insn&) { return Flow::Next; }

// LDR (literal), LDRSW (literal): PC-relative, no base register.
template <typename T, Ext E> Flow LDR_lit(Cpu& cpu, const Insn& in) {
    T v;
    if (!cpu.read<T>(cpu.state().pc + in.imm, load_desc<T, E>(in.rd, true), v))
        return Flow::Exception;
    cpu.set_x(in.rd, extend<T, E>(v));
    return Flow::Next;
}

// Handlers by [size][opc] (opc: 00 store, 01 load, 10 load signed to X /
// PRFM for size 11, 11 load signed to W). nullptr is unallocated.
template <Mode M, bool kSp> constexpr ExecFn kSingle[4][4] = {
    {STR<uint8_t, M, kSp>, LDR<uint8_t, Ext::Zero, M, kSp>, LDR<uint8_t, Ext::Sign64, M, kSp>,
     LDR<uint8_t, Ext::Sign32, M, kSp>},
    {STR<uint16_t, M, kSp>, LDR<uint16_t, Ext::Zero, M, kSp>, LDR<uint16_t, Ext::Sign64, M, kSp>,
     LDR<uint16_t, Ext::Sign32, M, kSp>},
    {STR<uint32_t, M, kSp>, LDR<uint32_t, Ext::Zero, M, kSp>, LDR<uint32_t, Ext::Sign64, M, kSp>,
     nullptr},
    {STR<uint64_t, M, kSp>, LDR<uint64_t, Ext::Zero, M, kSp>,
     (M == Mode::Offset || is_reg(M)) ? PRFM : nullptr, nullptr},
};

template <Mode M> void pick(const LsSingleFields& f, Insn& out) {
    out.rd = uint8_t(f.rt);
    out.rn = uint8_t(f.rn);
    out.exec = out.rn == 31 ? kSingle<M, true>[f.size][f.opc] : kSingle<M, false>[f.size][f.opc];
}

template <Mode M> void decode_imm9(const LsSingleFields& f, Insn& out) {
    out.imm = uint64_t(arch::sign_extend(f.imm, 9));
    pick<M>(f, out);
}

}  // namespace

void decode_ls_unscaled(const LsSingleFields& f, Insn& out) { decode_imm9<Mode::Offset>(f, out); }
void decode_ls_post(const LsSingleFields& f, Insn& out) { decode_imm9<Mode::Post>(f, out); }
void decode_ls_unpriv(const LsSingleFields& f, Insn& out) { decode_imm9<Mode::Unpriv>(f, out); }
void decode_ls_pre(const LsSingleFields& f, Insn& out) { decode_imm9<Mode::Pre>(f, out); }

void decode_ls_unsigned(const LsSingleFields& f, Insn& out) {
    out.imm = uint64_t(f.imm) << f.size;
    pick<Mode::Offset>(f, out);
}

// Register offset by option: option<1> == 0 (a sub-word index) is
// UNDEFINED; S selects a shift of log2(size) or none.
void decode_ls_reg(const LsSingleFields& f, Insn& out) {
    using Pick = void (*)(const LsSingleFields&, Insn&);
    static constexpr Pick kByOption[8] = {
        nullptr, nullptr, &pick<Mode::RegUXTW>, &pick<Mode::RegLSL>,
        nullptr, nullptr, &pick<Mode::RegSXTW>, &pick<Mode::RegSXTX>};
    out.rm = uint8_t(f.rm);
    out.shift = f.s ? uint8_t(f.size) : 0;
    if (const Pick p = kByOption[f.option]) p(f, out);
}

void decode_ls_literal(const LsSingleFields& f, Insn& out) {
    static constexpr ExecFn kLit[4] = {LDR_lit<uint32_t, Ext::Zero>, LDR_lit<uint64_t, Ext::Zero>,
                                       LDR_lit<uint32_t, Ext::Sign64>, PRFM};
    out.rd = uint8_t(f.rt);
    out.imm = uint64_t(arch::sign_extend(uint64_t(f.imm) << 2, 21));
    out.exec = kLit[f.opc];
}

}  // namespace cpu::ls
