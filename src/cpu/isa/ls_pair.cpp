// Register pairs: LDP/STP (32/64-bit), LDPSW, LDNP/STNP with signed offset,
// pre- and post-index (DDI 0487 K.a C6.2 "LDP", "STP", "LDPSW", "LDNP").
//
// A pair is two accesses of the element size, first element first. Loads
// read both before writing registers; stores translate both elements (which
// is where faults are raised, in element order) before writing either, so a
// fault on the second element leaves memory and registers untouched.
// The instruction syndrome is never valid for pairs (ISV = 0).
#include "arch/bits.h"
#include "cpu/isa/ls_common.h"

namespace cpu::ls {
namespace {

template <typename T> constexpr AccessDesc pair_desc(unsigned rt, bool write) {
    AccessDesc d;
    d.size_log2 = kLog2<T>;
    d.srt = uint8_t(rt);
    d.write = write;
    d.sf = sizeof(T) == 8;
    return d;
}

// Writeback precedes the register writes, so with Rn == Rt or Rn == Rt2 the
// loaded values win (Constraint_WBSUPPRESS); with Rt == Rt2 the second
// element wins (Constraint_UNKNOWN). See docs/architecture-choices.md.
template <typename T, Ext E, Mode M, bool kSp> Flow LDP(Cpu& cpu, const Insn& in) {
    if constexpr (kSp)
        if (sp_misaligned(cpu)) return sp_alignment_fault(cpu);
    const uint64_t b = base<kSp>(cpu, in.rn);
    const uint64_t a = M == Mode::Post ? b : b + in.imm;
    const AccessDesc d = pair_desc<T>(in.rd, false);
    T v1, v2;
    if (!cpu.read<T>(a, d, v1) || !cpu.read<T>(a + sizeof(T), d, v2)) return Flow::Exception;
    if constexpr (M != Mode::Offset) set_base<kSp>(cpu, in.rn, b + in.imm);
    cpu.set_x(in.rd, extend<T, E>(v1));
    cpu.set_x(in.ra, extend<T, E>(v2));
    return Flow::Next;
}

// Rt and Rt2 are read before writeback: with Rn == Rt or Rt2 the original
// register value is stored (Constraint_NONE).
template <typename T, Mode M, bool kSp> Flow STP(Cpu& cpu, const Insn& in) {
    if constexpr (kSp)
        if (sp_misaligned(cpu)) return sp_alignment_fault(cpu);
    const uint64_t b = base<kSp>(cpu, in.rn);
    const uint64_t a = M == Mode::Post ? b : b + in.imm;
    const T v1 = T(cpu.x(in.rd)), v2 = T(cpu.x(in.ra));
    if (!cpu.write_pair<T>(a, v1, v2, pair_desc<T>(in.rd, true))) return Flow::Exception;
    if constexpr (M != Mode::Offset) set_base<kSp>(cpu, in.rn, b + in.imm);
    return Flow::Next;
}

// Handlers by [opc][L]; nullptr is unallocated (opc 11) or belongs to
// another feature (opc 01, L 0 is STGP, FEAT_MTE; LDNP/STNP have no opc 01).
template <Mode M, bool kSp, bool kNonTemporal> constexpr ExecFn kPair[4][2] = {
    {STP<uint32_t, M, kSp>, LDP<uint32_t, Ext::Zero, M, kSp>},
    {nullptr, kNonTemporal ? nullptr : LDP<uint32_t, Ext::Sign64, M, kSp>},
    {STP<uint64_t, M, kSp>, LDP<uint64_t, Ext::Zero, M, kSp>},
    {nullptr, nullptr},
};

template <Mode M, bool kNonTemporal> void decode_pair(const LsPairFields& f, Insn& out) {
    const unsigned scale = 2 + (f.opc >> 1);
    out.rd = uint8_t(f.rt);
    out.rn = uint8_t(f.rn);
    out.ra = uint8_t(f.rt2);
    out.imm = uint64_t(arch::sign_extend(f.imm7, 7) * (int64_t(1) << scale));
    out.exec = out.rn == 31 ? kPair<M, true, kNonTemporal>[f.opc][f.l]
                            : kPair<M, false, kNonTemporal>[f.opc][f.l];
}

}  // namespace

// LDNP/STNP: the non-temporal hint has no effect in the model.
void decode_ls_pair_nt(const LsPairFields& f, Insn& out) {
    decode_pair<Mode::Offset, true>(f, out);
}
void decode_ls_pair_post(const LsPairFields& f, Insn& out) {
    decode_pair<Mode::Post, false>(f, out);
}
void decode_ls_pair_off(const LsPairFields& f, Insn& out) {
    decode_pair<Mode::Offset, false>(f, out);
}
void decode_ls_pair_pre(const LsPairFields& f, Insn& out) {
    decode_pair<Mode::Pre, false>(f, out);
}

}  // namespace cpu::ls
