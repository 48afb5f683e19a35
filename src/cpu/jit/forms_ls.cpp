// Inline forms of the general-purpose loads and stores (src/cpu/isa/
// ls_single.cpp, ls_pair.cpp): LDR/STR and their byte, halfword and signed
// forms with immediate, pre-, post-index, unprivileged and register
// offsets, and LDP/STP/LDPSW. The access is the interpreter's fast path
// (access.h) inline: an aligned access the fast TLB holds is a host load or
// store; anything else (a miss, a misaligned SP base) runs the handler,
// which applies every rule. As the handlers, the access comes before any
// register write, writeback before the loaded register (so Rt = Rn gets the
// loaded value), and a store reads Rt before writeback.
#if defined(__x86_64__)
#include "cpu/isa/ls_common.h"
#include "cpu/jit/emitter.h"
#include "cpu/jit/forms.h"

namespace cpu::jit {

namespace {

using namespace Xbyak::util;
using ls::Ext;
using ls::Mode;

// rsi = the base (Xn or SP; a misaligned SP goes to the handler, which
// checks SCTLR_EL1.SA), rdi = the address of the access.
template <Mode M, bool kSp>
void address(Emitter& e, const Insn& in, const Xbyak::Label& handler) {
    if constexpr (kSp) {
        e.load_sp(rsi, true);
        e.test(sil, 15);
        e.jnz(handler, Emitter::T_NEAR);
    } else {
        e.load(rsi, in.rn, true);
    }
    e.mov(rdi, rsi);
    if constexpr (M == Mode::Post) return;
    if constexpr (ls::is_reg(M)) {
        e.load(rdx, in.rm, true);
        if constexpr (M == Mode::RegUXTW) e.mov(edx, edx);
        if constexpr (M == Mode::RegSXTW) e.movsxd(rdx, edx);
        if (in.shift) e.shl(rdx, in.shift);
        e.add(rdi, rdx);
    } else {
        e.add(rdi, int32_t(in.imm));  // imm9, imm12 << size or imm7 << size
    }
}

// Pre-index writes back the address, post-index base + imm.
template <Mode M, bool kSp> void writeback(Emitter& e, const Insn& in) {
    if constexpr (!ls::has_wb(M)) return;
    const Xbyak::Reg64& v = M == Mode::Pre ? rdi : rsi;
    if constexpr (M == Mode::Post) e.add(rsi, int32_t(in.imm));
    if constexpr (kSp)
        e.store_sp(v, true);
    else
        e.store(in.rn, v, true);
}

// r = the T at [p] (disp bytes on), extended as E.
template <typename T, Ext E> void load_value(Emitter& e, const Xbyak::Reg64& r, const Xbyak::Reg64& p, int disp) {
    if constexpr (sizeof(T) == 8) {
        e.mov(r, e.qword[p + disp]);
    } else if constexpr (E == Ext::Zero) {
        if constexpr (sizeof(T) == 4) e.mov(r.cvt32(), e.dword[p + disp]);
        if constexpr (sizeof(T) == 2) e.movzx(r.cvt32(), e.word[p + disp]);
        if constexpr (sizeof(T) == 1) e.movzx(r.cvt32(), e.byte[p + disp]);
    } else {
        if constexpr (sizeof(T) == 4) e.movsxd(r, e.dword[p + disp]);
        if constexpr (sizeof(T) == 2) e.movsx(r, e.word[p + disp]);
        if constexpr (sizeof(T) == 1) e.movsx(r, e.byte[p + disp]);
        if constexpr (E == Ext::Sign32) e.mov(r.cvt32(), r.cvt32());
    }
}

// [p + disp] = the low sizeof(T) bytes of r.
template <typename T> void store_value(Emitter& e, const Xbyak::Reg64& p, int disp, const Xbyak::Reg64& r) {
    if constexpr (sizeof(T) == 8) e.mov(e.qword[p + disp], r);
    if constexpr (sizeof(T) == 4) e.mov(e.dword[p + disp], r.cvt32());
    if constexpr (sizeof(T) == 2) e.mov(e.word[p + disp], r.cvt16());
    if constexpr (sizeof(T) == 1) e.mov(e.byte[p + disp], r.cvt8());
}

template <typename T, Ext E, Mode M, bool kSp> void ldr(Emitter& e, const Insn& in) {
    const Xbyak::Label& miss = e.detour();
    address<M, kSp>(e, in, miss);
    e.fast_host(rdx, rdi, sizeof(T), false, M == Mode::Unpriv, false, miss);
    load_value<T, E>(e, r8, rdx, 0);
    writeback<M, kSp>(e, in);
    e.store(in.rd, r8, true);
    e.rejoin();
}

template <typename T, Mode M, bool kSp> void str(Emitter& e, const Insn& in) {
    const Xbyak::Label& miss = e.detour();
    address<M, kSp>(e, in, miss);
    e.fast_host(rdx, rdi, sizeof(T), true, M == Mode::Unpriv, false, miss);
    e.load(r8, in.rd, true);
    store_value<T>(e, rdx, 0, r8);
    writeback<M, kSp>(e, in);
    e.rejoin();
}

// Both elements are read (written) before any register (the second
// element's register, Rt2, is in ra; it wins over Rt when they are equal).
template <typename T, Ext E, Mode M, bool kSp> void ldp(Emitter& e, const Insn& in) {
    const Xbyak::Label& miss = e.detour();
    address<M, kSp>(e, in, miss);
    e.fast_host(rdx, rdi, sizeof(T), false, false, true, miss);
    load_value<T, E>(e, r8, rdx, 0);
    load_value<T, E>(e, r9, rdx, sizeof(T));
    writeback<M, kSp>(e, in);
    e.store(in.rd, r8, true);
    e.store(in.ra, r9, true);
    e.rejoin();
}

template <typename T, Mode M, bool kSp> void stp(Emitter& e, const Insn& in) {
    const Xbyak::Label& miss = e.detour();
    address<M, kSp>(e, in, miss);
    e.fast_host(rdx, rdi, sizeof(T), true, false, true, miss);
    e.load(r8, in.rd, true);
    e.load(r9, in.ra, true);
    store_value<T>(e, rdx, 0, r8);
    store_value<T>(e, rdx, sizeof(T), r9);
    writeback<M, kSp>(e, in);
    e.rejoin();
}

// ---- The forms and their sample encodings (C4.1.94 "Loads and Stores") ----

// Single register, by [size][opc] as the handlers' table (ls_single.cpp);
// PRFM (size 3, opc 2) has no form: its handler does nothing anyway.
template <Mode M, bool kSp> constexpr EmitFn kSingle[4][4] = {
    {str<uint8_t, M, kSp>, ldr<uint8_t, Ext::Zero, M, kSp>, ldr<uint8_t, Ext::Sign64, M, kSp>,
     ldr<uint8_t, Ext::Sign32, M, kSp>},
    {str<uint16_t, M, kSp>, ldr<uint16_t, Ext::Zero, M, kSp>, ldr<uint16_t, Ext::Sign64, M, kSp>,
     ldr<uint16_t, Ext::Sign32, M, kSp>},
    {str<uint32_t, M, kSp>, ldr<uint32_t, Ext::Zero, M, kSp>, ldr<uint32_t, Ext::Sign64, M, kSp>,
     nullptr},
    {str<uint64_t, M, kSp>, ldr<uint64_t, Ext::Zero, M, kSp>, nullptr, nullptr},
};

// Pairs by [opc][L] (ls_pair.cpp): STP/LDP 32, LDPSW, STP/LDP 64.
template <Mode M, bool kSp> constexpr EmitFn kPair[3][2] = {
    {stp<uint32_t, M, kSp>, ldp<uint32_t, Ext::Zero, M, kSp>},
    {nullptr, ldp<uint32_t, Ext::Sign64, M, kSp>},
    {stp<uint64_t, M, kSp>, ldp<uint64_t, Ext::Zero, M, kSp>},
};

// The class bits of an encoding with its size/opc (or opc/L) and Rn left
// out: LDR/STR (immediate, unsigned offset), the imm9 classes by bits
// 11:10, the register offset by option (LSL is 011); pairs by bits 24:23.
constexpr uint32_t kUnsigned = 0x39000000, kImm9 = 0x38000000, kRegister = 0x38200800;
constexpr uint32_t kPairBase = 0x28000000;
constexpr uint32_t single_class(Mode m) {
    switch (m) {
    case Mode::Offset: return kUnsigned;
    case Mode::Post: return kImm9 | 1u << 10;
    case Mode::Unpriv: return kImm9 | 2u << 10;
    case Mode::Pre: return kImm9 | 3u << 10;
    case Mode::RegUXTW: return kRegister | 2u << 13;
    case Mode::RegLSL: return kRegister | 3u << 13;
    case Mode::RegSXTW: return kRegister | 6u << 13;
    case Mode::RegSXTX: return kRegister | 7u << 13;
    }
    return 0;
}
constexpr uint32_t pair_class(Mode m) {
    return kPairBase | (m == Mode::Post ? 1u : m == Mode::Offset ? 2u : 3u) << 23;
}

template <Mode M, bool kSp> void add_mode(std::vector<SampledForm>& v) {
    const uint32_t rn = (kSp ? 31u : 1u) << 5, rt = 2, rt2 = 3u << 10;
    for (uint32_t size = 0; size < 4; ++size)
        for (uint32_t opc = 0; opc < 4; ++opc)
            if (const EmitFn f = kSingle<M, kSp>[size][opc])
                v.push_back({{f}, {single_class(M) | size << 30 | opc << 22 | rn | rt}});
    if constexpr (M == Mode::Offset || M == Mode::Pre || M == Mode::Post)
        for (uint32_t opc = 0; opc < 3; ++opc)
            for (uint32_t l = 0; l < 2; ++l)
                if (const EmitFn f = kPair<M, kSp>[opc][l])
                    v.push_back({{f}, {pair_class(M) | opc << 30 | l << 22 | rt2 | rn | rt}});
}

template <Mode... Ms> std::vector<SampledForm> all_modes() {
    std::vector<SampledForm> v;
    (add_mode<Ms, false>(v), ...);
    (add_mode<Ms, true>(v), ...);
    return v;
}

const std::vector<SampledForm> kForms =
    all_modes<Mode::Offset, Mode::Pre, Mode::Post, Mode::Unpriv, Mode::RegUXTW, Mode::RegLSL,
              Mode::RegSXTW, Mode::RegSXTX>();

}  // namespace

std::span<const SampledForm> ls_forms() { return kForms; }

}  // namespace cpu::jit
#endif
