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
#include "cpu/jit/ls_address.h"

namespace cpu::jit {

namespace {

using namespace Xbyak::util;
using ls::Ext;
using ls::Mode;
using ls_address::address;
using ls_address::writeback;
using ls_address::pair_class;
using ls_address::single_class;

// r = the T at [p] (disp bytes on), extended as E.
template <typename T, Ext E>
void load_value(Emitter& e, const Xbyak::Reg64& r, const Xbyak::Reg64& p, int disp) {
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
template <typename T>
void store_value(Emitter& e, const Xbyak::Reg64& p, int disp, const Xbyak::Reg64& r) {
    if constexpr (sizeof(T) == 8) e.mov(e.qword[p + disp], r);
    if constexpr (sizeof(T) == 4) e.mov(e.dword[p + disp], r.cvt32());
    if constexpr (sizeof(T) == 2) e.mov(e.word[p + disp], r.cvt16());
    if constexpr (sizeof(T) == 1) e.mov(e.byte[p + disp], r.cvt8());
}

// Without writeback the value goes straight into Rt's slot.
template <typename T, Ext E, Mode M, bool kSp> void ldr(Emitter& e, const Insn& in) {
    const Xbyak::Label& miss = e.detour();
    address<M, kSp>(e, in, miss);
    e.fast_host(rdx, rdi, sizeof(T), false, M == Mode::Unpriv, false, miss);
    if (!ls::has_wb(M) && in.rd != 31) {
        const Xbyak::Reg64& rt = e.claim(in.rd);
        load_value<T, E>(e, rt, rdx, 0);
        e.store_claimed(in.rd, rt);
    } else {
        load_value<T, E>(e, r8, rdx, 0);
        writeback<M, kSp>(e, in);
        e.store(in.rd, r8, true);
    }
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

struct Gp {
    template <Mode M, bool kSp> static void add(std::vector<SampledForm>& v) {
        add_mode<M, kSp>(v);
    }
};

const std::vector<SampledForm> kForms =
    ls_address::all_modes<Gp, Mode::Offset, Mode::Pre, Mode::Post, Mode::Unpriv, Mode::RegUXTW,
                          Mode::RegLSL, Mode::RegSXTW, Mode::RegSXTX>();

}  // namespace

std::span<const SampledForm> ls_forms() { return kForms; }

}  // namespace cpu::jit
#endif
