// Shared pieces of the load/store handlers (A64 encoding index "Loads and
// Stores", DDI 0487 K.a C4.1 and C6.2): base-register access with the SP
// alignment check, access descriptors, alignment checks, extension.
//
// Every handler performs all of its memory accesses before it writes any
// register, so an access that faults leaves no trace of the instruction:
// Cpu::read / write / translate_range raise the fault and return false, and
// the handler returns Flow::Exception at once (the interpreter takes it).
#pragma once

#include <bit>
#include <cstdint>
#include <type_traits>

#include "arch/esr.h"
#include "cpu/access.h"
#include "cpu/cpu.h"
#include "cpu/decode.h"

namespace cpu::ls {

// SCTLR_EL1.SA and SA0: SP alignment checking at EL1 / EL0 (D24.2.158).
inline constexpr uint64_t kSctlrSA = 1ull << 3;
inline constexpr uint64_t kSctlrSA0 = 1ull << 4;

// CheckSPAlignment(): a load/store whose base register is SP faults when SP
// is not 16-byte aligned and the check is enabled for the current EL.
inline bool sp_misaligned(Cpu& cpu) {
    const State& s = cpu.state();
    const uint64_t enable = s.pstate.el == 0 ? kSctlrSA0 : kSctlrSA;
    return (s.el1.sctlr & enable) && (cpu.sp() & 15) != 0;
}

// AArch64.SPAlignmentFault(): EC 0x26, ISS 0, preferred return = this insn.
inline Flow sp_alignment_fault(Cpu& cpu) {
    return cpu.take_sync(arch::esr(arch::EC::SPAlign, 0), cpu.state().pc);
}

// The base register Xn, or SP when Rn = 31 (kSp is fixed at decode time so
// the hot path does not test Rn).
template <bool kSp> inline uint64_t base(Cpu& cpu, unsigned n) {
    if constexpr (kSp) return cpu.sp();
    else return cpu.x(n);
}
template <bool kSp> inline void set_base(Cpu& cpu, unsigned n, uint64_t v) {
    if constexpr (kSp) cpu.sp() = v;
    else cpu.set_x(n, v);
}

// Addressing modes of the single-register and pair classes, general-purpose
// and SIMD&FP. Reg* are the register-offset forms, named by the extend
// applied to Rm (option field: UXTW, LSL/UXTX, SXTW, SXTX).
enum class Mode : uint8_t { Offset, Pre, Post, Unpriv, RegUXTW, RegLSL, RegSXTW, RegSXTX };

constexpr bool is_reg(Mode m) { return m >= Mode::RegUXTW; }
constexpr bool has_wb(Mode m) { return m == Mode::Pre || m == Mode::Post; }

// The byte offset added to the base: imm (already scaled and sign-extended
// by the decoder) or ExtendReg(m, extend_type, shift) with in.shift.
template <Mode M> inline uint64_t offset(Cpu& cpu, const Insn& in) {
    if constexpr (!is_reg(M)) {
        return in.imm;
    } else {
        const uint64_t m = cpu.x(in.rm);
        if constexpr (M == Mode::RegUXTW) return uint64_t(uint32_t(m)) << in.shift;
        else if constexpr (M == Mode::RegSXTW) return uint64_t(int64_t(int32_t(m))) << in.shift;
        else return m << in.shift;  // RegLSL, RegSXTX (a 64-bit Rm: no extension)
    }
}

// Post-indexed accesses use the base as is; writeback stores base + imm.
template <Mode M> inline uint64_t address(Cpu& cpu, const Insn& in, uint64_t b) {
    if constexpr (M == Mode::Post) return b;
    else return b + offset<M>(cpu, in);
}

// An Alignment fault raised by the instruction itself: exclusive, atomic and
// ordered (acquire/release) accesses must be aligned to their size whatever
// the memory type (AArch64.CheckAlignment without FEAT_LSE2; exclusive pairs
// to the pair size, AArch64.SetExclusiveMonitors / ExclusiveMonitorsPass).
// Returns false with the fault raised.
[[nodiscard]] inline bool check_aligned(Cpu& cpu, uint64_t va, unsigned bytes,
                                        const AccessDesc& d) {
    if (!(va & (bytes - 1))) [[likely]] return true;
    Fault f;
    f.kind = FaultKind::Alignment;
    f.stage = 1;
    f.va = va;
    f.access = d;
    return cpu.raise_fault(f);
}

template <typename T> inline constexpr uint8_t kLog2 = uint8_t(std::countr_zero(sizeof(T)));

// How a loaded value reaches the destination register.
enum class Ext : uint8_t {
    Zero,    // LDR, LDRB, LDRH (W results are zero-extended into X anyway)
    Sign32,  // LDRSB/LDRSH Wt: sign-extend to 32 bits, upper half zero
    Sign64,  // LDRSB/LDRSH/LDRSW Xt
};

template <typename T, Ext E> constexpr uint64_t extend(T v) {
    using S = std::make_signed_t<T>;
    if constexpr (E == Ext::Zero) return v;
    else if constexpr (E == Ext::Sign32) return uint32_t(int32_t(S(v)));
    else return uint64_t(int64_t(S(v)));
}

// ISS.SF: the width of the register transferred (D24.2.40) -- for loads the
// destination, for stores Wt (STRB/STRH/STR Wt) or Xt.
template <typename T, Ext E> inline constexpr bool kLoadSF =
    E == Ext::Sign64 || (E == Ext::Zero && sizeof(T) == 8);
template <typename T> inline constexpr bool kStoreSF = sizeof(T) == 8;

// Access descriptor of a single general-purpose register load/store. The
// instruction syndrome is valid (ISV) only without writeback.
template <typename T, Ext E>
constexpr AccessDesc load_desc(unsigned rt, bool isv, bool unpriv = false, bool ar = false) {
    AccessDesc d;
    d.size_log2 = kLog2<T>;
    d.srt = uint8_t(rt);
    d.isv = isv;
    d.sse = E != Ext::Zero;
    d.sf = kLoadSF<T, E>;
    d.unpriv = unpriv;
    d.ar = ar;
    return d;
}
template <typename T>
constexpr AccessDesc store_desc(unsigned rt, bool isv, bool unpriv = false, bool ar = false) {
    AccessDesc d;
    d.size_log2 = kLog2<T>;
    d.srt = uint8_t(rt);
    d.write = true;
    d.isv = isv;
    d.sf = kStoreSF<T>;
    d.unpriv = unpriv;
    d.ar = ar;
    return d;
}

// Typed views of a load/store class's fields. A row's decoder in
// loadstore.cpp reads them from the row's pattern by letter (decode.h) and
// hands them to the class's decoder below, which lives beside its handlers.
// Immediates are as encoded; the class decoder scales and extends them.
struct LsSingleFields {  // single register: immediate, register and literal forms
    unsigned size = 0, opc = 0, rn = 0, rt = 0;
    uint32_t imm = 0;  // imm9, imm12 or imm19
    unsigned rm = 0, option = 0;  // register offset
    bool s = false;               // register offset: shift by log2(size)
};
struct LsPairFields {
    unsigned opc = 0, l = 0, rt = 0, rt2 = 0, rn = 0;
    uint32_t imm7 = 0;
};
struct LsExclFields {  // exclusive and ordered: size 001000 o2 L o1 Rs o0 Rt2 Rn Rt
    unsigned size = 0, l = 0, rs = 0, rt2 = 0, rn = 0, rt = 0;
    bool o0 = false;  // acquire (loads) / release (stores)
};
struct LsAtomicFields {  // atomics, CAS, CASP, LDAPR
    unsigned size = 0, rs = 0, rn = 0, rt = 0;
    unsigned sel = 0;  // o3:opc of the atomic memory operations
};

// Row decoders of the single-register and pair classes, general-purpose
// (loadstore.cpp) and SIMD&FP (simd_ls.cpp): read a class's fields from the
// row's pattern by letter (a letter the pattern lacks does not compile) and
// hand the typed view to the class decoder D, which installs the handler.
template <void (*D)(const LsSingleFields&, Insn&), Pattern P>
void imm_form(Word<P> w, Insn& o) {
    D({.size = field<'z'>(w), .opc = field<'o'>(w), .rn = field<'n'>(w), .rt = field<'t'>(w),
       .imm = field<'i'>(w)},
      o);
}
template <void (*D)(const LsSingleFields&, Insn&), Pattern P>
void reg_form(Word<P> w, Insn& o) {
    D({.size = field<'z'>(w), .opc = field<'o'>(w), .rn = field<'n'>(w), .rt = field<'t'>(w),
       .rm = field<'m'>(w), .option = field<'x'>(w), .s = bool(field<'S'>(w))},
      o);
}
template <void (*D)(const LsSingleFields&, Insn&), Pattern P>
void literal(Word<P> w, Insn& o) {
    D({.opc = field<'o'>(w), .rt = field<'t'>(w), .imm = field<'i'>(w)}, o);
}
template <void (*D)(const LsPairFields&, Insn&), Pattern P>
void pair(Word<P> w, Insn& o) {
    D({.opc = field<'o'>(w), .l = field<'L'>(w), .rt = field<'t'>(w), .rt2 = field<'u'>(w),
       .rn = field<'n'>(w), .imm7 = field<'i'>(w)},
      o);
}

// The class decoders, one per encoding class.
void decode_ls_unscaled(const LsSingleFields& f, Insn& out);
void decode_ls_post(const LsSingleFields& f, Insn& out);
void decode_ls_unpriv(const LsSingleFields& f, Insn& out);
void decode_ls_pre(const LsSingleFields& f, Insn& out);
void decode_ls_reg(const LsSingleFields& f, Insn& out);
void decode_ls_unsigned(const LsSingleFields& f, Insn& out);
void decode_ls_literal(const LsSingleFields& f, Insn& out);
void decode_ls_pair_nt(const LsPairFields& f, Insn& out);
void decode_ls_pair_post(const LsPairFields& f, Insn& out);
void decode_ls_pair_off(const LsPairFields& f, Insn& out);
void decode_ls_pair_pre(const LsPairFields& f, Insn& out);
void decode_ls_excl(const LsExclFields& f, Insn& out);
void decode_ls_excl_pair(const LsExclFields& f, Insn& out);
void decode_ls_ordered(const LsExclFields& f, Insn& out);
void decode_ls_ldapr(const LsAtomicFields& f, Insn& out);
void decode_ls_cas(const LsAtomicFields& f, Insn& out);
void decode_ls_casp(const LsAtomicFields& f, Insn& out);
void decode_ls_atomic(const LsAtomicFields& f, Insn& out);

}  // namespace cpu::ls
