// The addressing of the inline load and store forms (forms_ls.cpp,
// forms_ls_vec.cpp), as ls_common.h's base(), address() and set_base() do
// it for the handlers, and the encodings of their classes.
#pragma once
#if defined(__x86_64__)

#include "cpu/isa/ls_common.h"
#include "cpu/jit/emitter.h"
#include "cpu/jit/forms.h"

namespace cpu::jit::ls_address {

using namespace Xbyak::util;

// rdi = the address of the access from the base (Xn or SP; a misaligned
// SP goes to the handler, which checks SCTLR_EL1.SA); post-index keeps
// the base in rsi too, for its writeback.
template <ls::Mode M, bool kSp>
void address(Emitter& e, const Insn& in, const Xbyak::Label& handler) {
    if constexpr (kSp) {
        e.load_sp(rdi, true);
        e.test(dil, 15);
        e.jnz(handler, Emitter::T_NEAR);
    } else {
        e.load(rdi, in.rn, true);
    }
    if constexpr (M == ls::Mode::Post) {
        e.mov(rsi, rdi);
    } else if constexpr (ls::is_reg(M)) {
        e.load(rdx, in.rm, true);
        if constexpr (M == ls::Mode::RegUXTW) e.mov(edx, edx);
        if constexpr (M == ls::Mode::RegSXTW) e.movsxd(rdx, edx);
        if (in.shift <= 3) {
            e.lea(rdi, e.ptr[rdi + rdx * (1 << in.shift)]);
        } else {
            e.shl(rdx, in.shift);
            e.add(rdi, rdx);
        }
    } else if (in.imm) {
        e.add(rdi, int32_t(in.imm));  // imm9, imm12 << size or imm7 << size
    }
}

// Pre-index writes back the address, post-index base + imm.
template <ls::Mode M, bool kSp> void writeback(Emitter& e, const Insn& in) {
    if constexpr (!ls::has_wb(M)) return;
    const Xbyak::Reg64& v = M == ls::Mode::Pre ? rdi : rsi;
    if constexpr (M == ls::Mode::Post) e.add(rsi, int32_t(in.imm));
    if constexpr (kSp)
        e.store_sp(v, true);
    else
        e.store(in.rn, v, true);
}

// ---- The classes' encodings, for the forms' samples (C4.1.94) ----

// The class bits of an encoding with its size/opc (or opc/L) and Rn left
// out: LDR/STR (immediate, unsigned offset), the imm9 classes by bits
// 11:10, the register offset by option (LSL is 011); pairs by bits 24:23.
// The SIMD&FP forms add V (bit 26).
inline constexpr uint32_t kUnsigned = 0x39000000, kImm9 = 0x38000000, kRegister = 0x38200800;
inline constexpr uint32_t kPairBase = 0x28000000;
constexpr uint32_t single_class(ls::Mode m) {
    switch (m) {
    case ls::Mode::Offset: return kUnsigned;
    case ls::Mode::Post: return kImm9 | 1u << 10;
    case ls::Mode::Unpriv: return kImm9 | 2u << 10;
    case ls::Mode::Pre: return kImm9 | 3u << 10;
    case ls::Mode::RegUXTW: return kRegister | 2u << 13;
    case ls::Mode::RegLSL: return kRegister | 3u << 13;
    case ls::Mode::RegSXTW: return kRegister | 6u << 13;
    case ls::Mode::RegSXTX: return kRegister | 7u << 13;
    }
    return 0;
}
constexpr uint32_t pair_class(ls::Mode m) {
    return kPairBase | (m == ls::Mode::Post ? 1u : m == ls::Mode::Offset ? 2u : 3u) << 23;
}

inline constexpr uint32_t kVector = 1u << 26;

// The forms of every addressing mode Ms, with an Xn base and with SP (each
// a handler of its own): Forms::add<M, kSp>(v) appends one mode's.
template <class Forms, ls::Mode... Ms> std::vector<SampledForm> all_modes() {
    std::vector<SampledForm> v;
    (Forms::template add<Ms, false>(v), ...);
    (Forms::template add<Ms, true>(v), ...);
    return v;
}

}  // namespace cpu::jit::ls_address

#endif
