// Inline forms of the SIMD&FP loads and stores of S, D and Q registers
// (src/cpu/isa/simd_ls_reg.cpp, simd_ls_pair.cpp): LDR/STR with immediate,
// pre-, post-index and register offsets, LDP/STP/LDNP/STNP. As the general-
// purpose forms (forms_ls.cpp): the handler's fast path inline, the handler
// for anything else, here also when the unit is not enabled the usual way
// (simd::fp_guarded). A load writes the whole V register (a narrower value
// zero-extended, the ASL V[] setter); the base and data registers are in
// different files, so writeback has no overlap rules.
#if defined(__x86_64__)
#include "cpu/jit/forms.h"
#include "cpu/jit/ls_address.h"

namespace cpu::jit {

namespace {

using namespace Xbyak::util;
using ls::Mode;
using ls_address::address;
using ls_address::kVector;
using ls_address::pair_class;
using ls_address::single_class;
using ls_address::writeback;

// x = the 2^kLog2 bytes at [p + disp], zero-extended to 128 bits.
template <unsigned kLog2>
void load_v(Emitter& e, const Xbyak::Xmm& x, const Xbyak::Reg64& p, int disp) {
    if constexpr (kLog2 == 4) e.movdqu(x, e.xword[p + disp]);
    if constexpr (kLog2 == 3) e.movq(x, e.qword[p + disp]);
    if constexpr (kLog2 == 2) e.movd(x, e.dword[p + disp]);
}

// [p + disp] = the low 2^kLog2 bytes of V[n].
template <unsigned kLog2> void store_v(Emitter& e, const Xbyak::Reg64& p, int disp, unsigned n) {
    if constexpr (kLog2 == 4) {
        e.movdqu(xmm0, e.v(n));
        e.movdqu(e.xword[p + disp], xmm0);
    } else {
        const Xbyak::Reg r = kLog2 == 3 ? Xbyak::Reg(r8) : Xbyak::Reg(r8d);
        e.mov(r, e.v(n));
        e.mov(e.ptr[p + disp], r);
    }
}

template <unsigned kLog2, Mode M, bool kSp> void vldr(Emitter& e, const Insn& in) {
    const Xbyak::Label& miss = e.detour();
    e.fp_enabled_or(miss);
    address<M, kSp>(e, in, miss);
    e.fast_host(rdx, rdi, 1u << kLog2, false, false, false, miss);
    load_v<kLog2>(e, xmm0, rdx, 0);
    writeback<M, kSp>(e, in);
    e.movdqu(e.v(in.rd), xmm0);
    e.rejoin();
}

template <unsigned kLog2, Mode M, bool kSp> void vstr(Emitter& e, const Insn& in) {
    const Xbyak::Label& miss = e.detour();
    e.fp_enabled_or(miss);
    address<M, kSp>(e, in, miss);
    e.fast_host(rdx, rdi, 1u << kLog2, true, false, false, miss);
    store_v<kLog2>(e, rdx, 0, in.rd);
    writeback<M, kSp>(e, in);
    e.rejoin();
}

// The second register (Rt2) is in ra; with Rt = Rt2 a load's second
// element wins, as in the handler.
template <unsigned kLog2, Mode M, bool kSp> void vldp(Emitter& e, const Insn& in) {
    const Xbyak::Label& miss = e.detour();
    e.fp_enabled_or(miss);
    address<M, kSp>(e, in, miss);
    e.fast_host(rdx, rdi, 1u << kLog2, false, false, true, miss);
    load_v<kLog2>(e, xmm0, rdx, 0);
    load_v<kLog2>(e, xmm1, rdx, 1 << kLog2);
    writeback<M, kSp>(e, in);
    e.movdqu(e.v(in.rd), xmm0);
    e.movdqu(e.v(in.ra), xmm1);
    e.rejoin();
}

template <unsigned kLog2, Mode M, bool kSp> void vstp(Emitter& e, const Insn& in) {
    const Xbyak::Label& miss = e.detour();
    e.fp_enabled_or(miss);
    address<M, kSp>(e, in, miss);
    e.fast_host(rdx, rdi, 1u << kLog2, true, false, true, miss);
    store_v<kLog2>(e, rdx, 0, in.rd);
    store_v<kLog2>(e, rdx, 1 << kLog2, in.ra);
    writeback<M, kSp>(e, in);
    e.rejoin();
}

// ---- The forms and their sample encodings ----

// S, D and Q by the handlers' scale (log2 of the size): the single-register
// class encodes it as opc<1>:size (Q is 1:00), the pairs as opc (00 S, 01
// D, 10 Q).
template <unsigned kLog2, Mode M, bool kSp> void add_scale(std::vector<SampledForm>& v) {
    const uint32_t rn = (kSp ? 31u : 1u) << 5, rt = 2, rt2 = 3u << 10;
    const uint32_t size = kLog2 == 4 ? 0 : kLog2, opc1 = kLog2 == 4;
    const uint32_t single = kVector | single_class(M) | size << 30 | opc1 << 23 | rn | rt;
    v.push_back({{vstr<kLog2, M, kSp>}, {single}});
    v.push_back({{vldr<kLog2, M, kSp>}, {single | 1u << 22}});
    if constexpr (M == Mode::Offset || M == Mode::Pre || M == Mode::Post) {
        const uint32_t pair = kVector | pair_class(M) | (kLog2 - 2) << 30 | rt2 | rn | rt;
        v.push_back({{vstp<kLog2, M, kSp>}, {pair}});
        v.push_back({{vldp<kLog2, M, kSp>}, {pair | 1u << 22}});
    }
}

template <Mode M, bool kSp> void add_mode(std::vector<SampledForm>& v) {
    add_scale<2, M, kSp>(v);
    add_scale<3, M, kSp>(v);
    add_scale<4, M, kSp>(v);
}

struct Vec {
    template <Mode M, bool kSp> static void add(std::vector<SampledForm>& v) {
        add_mode<M, kSp>(v);
    }
};

const std::vector<SampledForm> kForms =
    ls_address::all_modes<Vec, Mode::Offset, Mode::Pre, Mode::Post, Mode::RegUXTW, Mode::RegLSL,
                          Mode::RegSXTW, Mode::RegSXTX>();

}  // namespace

std::span<const SampledForm> ls_vec_forms() { return kForms; }

}  // namespace cpu::jit
#endif
