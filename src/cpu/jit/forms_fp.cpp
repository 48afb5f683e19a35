// Inline forms of FMUL, FDIV, FADD, FSUB, FMADD, FMSUB, FNMADD and FNMSUB
// (scalar, single and double precision; src/cpu/isa/fp_dp.cpp): the
// handlers' first way
// (fp::host::first, fp_host.h) inline: with FPCR rounding to nearest,
// FPSR.IXC already set and the host's MXCSR the default, normal or zero
// operands, the host's instruction gives the ASL's result, and a result
// whose exponent field is in [2, emax - 1] (not tiny before rounding, not
// overflowed) raises no flag FPSR lacks. Anything else is the handler's:
// the unit disabled, another rounding mode, NaN, infinity or denormal
// operands, and every other result (zeros included).
#if defined(__x86_64__)
#include "cpu/jit/emitter.h"
#include "cpu/fp/fp_host.h"
#include "cpu/jit/forms.h"

namespace cpu::jit {

namespace {

using namespace Xbyak::util;

enum class Op { Mul, Div, Add, Sub };

template <class T> struct Format {
    static constexpr int kFraction = sizeof(T) == 4 ? 23 : 52;
    static constexpr uint32_t kEmax = sizeof(T) == 4 ? 0xFF : 0x7FF;
};

// r = V[n]'s low sizeof(T) bytes.
template <class T> void read(Emitter& e, const Xbyak::Reg64& r, unsigned n) {
    if constexpr (sizeof(T) == 4) e.mov(r.cvt32(), e.v(n));
    else e.mov(r, e.v(n));
}

// To miss unless exponent field - lo < kEmax - lo - 1 (unsigned), i.e. in
// [lo, kEmax - 1]: lo = 1 a normal number (fp_host.h normal()), lo = 2 a
// safe result (safe_result()). zero_ok: a zero passes too. Uses rdx.
template <class T>
void exponent_in_range(Emitter& e, const Xbyak::Reg64& bits, uint32_t lo, bool zero_ok,
                       const Xbyak::Label& miss) {
    Xbyak::Label ok;
    e.mov(rdx, bits);
    e.shr(rdx, Format<T>::kFraction);
    e.and_(edx, Format<T>::kEmax);
    e.sub(edx, lo);
    e.cmp(edx, Format<T>::kEmax - lo);
    e.jb(ok, Emitter::T_NEAR);
    if (!zero_ok) {
        e.jmp(miss, Emitter::T_NEAR);
    } else {
        e.mov(rdx, bits);
        e.shl(rdx, sizeof(T) == 4 ? 33 : 1);  // the sign bit out: +-0 leaves 0
        e.jnz(miss, Emitter::T_NEAR);
    }
    e.L(ok);
}

template <class T, Op O> void arith(Emitter& e, const Xbyak::Xmm& a, const Xbyak::Xmm& b) {
    constexpr bool s = sizeof(T) == 4;
    if constexpr (O == Op::Mul) s ? e.mulss(a, b) : e.mulsd(a, b);
    if constexpr (O == Op::Div) s ? e.divss(a, b) : e.divsd(a, b);
    if constexpr (O == Op::Add) s ? e.addss(a, b) : e.addsd(a, b);
    if constexpr (O == Op::Sub) s ? e.subss(a, b) : e.subsd(a, b);
}

template <class T, Op O> void fp_2src(Emitter& e, const Insn& in) {
    const Xbyak::Label& miss = e.detour();
    e.fp_enabled_or(miss);
    e.fp_first_or(miss);
    read<T>(e, rax, in.rn);
    read<T>(e, rcx, in.rm);
    exponent_in_range<T>(e, rax, 1, true, miss);
    exponent_in_range<T>(e, rcx, 1, true, miss);
    e.movq(xmm0, rax);  // the upper bits zero: V[d] is written zero-extended
    e.movq(xmm1, rcx);
    arith<T, O>(e, xmm0, xmm1);
    e.movq(rax, xmm0);
    exponent_in_range<T>(e, rax, 2, false, miss);
    e.movdqu(e.v(in.rd), xmm0);
    e.rejoin();
}

// FMADD (Va + Vn * Vm), FMSUB (Vn negated), FNMADD (Va and Vn), FNMSUB
// (Va), with one rounding: the host's fused multiply-add; its handler where
// the host has none.
template <class T, bool NegA, bool NegN> void fp_3src(Emitter& e, const Insn& in) {
    if (!fp::host::detail::kHostFma) {
        e.call_handler();
        return;
    }
    constexpr uint64_t kSign = uint64_t(1) << (sizeof(T) * 8 - 1);
    const Xbyak::Label& miss = e.detour();
    e.fp_enabled_or(miss);
    e.fp_first_or(miss);
    read<T>(e, rax, in.ra);
    read<T>(e, rcx, in.rn);
    read<T>(e, r8, in.rm);
    exponent_in_range<T>(e, rax, 1, true, miss);
    exponent_in_range<T>(e, rcx, 1, true, miss);
    exponent_in_range<T>(e, r8, 1, true, miss);
    e.mov(rdx, kSign);  // FPNeg: the sign bit
    if constexpr (NegA) e.xor_(rax, rdx);
    if constexpr (NegN) e.xor_(rcx, rdx);
    e.movq(xmm0, rax);
    e.movq(xmm1, rcx);
    e.movq(xmm2, r8);
    if constexpr (sizeof(T) == 4)
        e.vfmadd231ss(xmm0, xmm1, xmm2);
    else
        e.vfmadd231sd(xmm0, xmm1, xmm2);
    e.movq(rax, xmm0);
    exponent_in_range<T>(e, rax, 2, false, miss);
    e.movdqu(e.v(in.rd), xmm0);
    e.rejoin();
}

// FP data-processing (2 source): ftype (22) 00 single, 01 double; opcode
// (15:12) 0000 FMUL, 0001 FDIV, 0010 FADD, 0011 FSUB.
constexpr uint32_t kDp2 = 0x1E200800;
template <class T, Op O> SampledForm form() {
    const uint32_t ftype = sizeof(T) == 4 ? 0 : 1;
    return {{fp_2src<T, O>}, {kDp2 | ftype << 22 | 3u << 16 | uint32_t(O) << 12 | 2u << 5 | 1}};
}

// FP data-processing (3 source): o1 (21) and o0 (15) choose FMADD, FMSUB,
// FNMADD, FNMSUB.
constexpr uint32_t kDp3 = 0x1F000000;
template <class T, bool NegA, bool NegN> SampledForm form3() {
    const uint32_t ftype = sizeof(T) == 4 ? 0 : 1, o1 = NegA, o0 = NegA != NegN;
    return {{fp_3src<T, NegA, NegN>},
            {kDp3 | ftype << 22 | o1 << 21 | 3u << 16 | o0 << 15 | 4u << 10 | 2u << 5 | 1}};
}

const std::vector<SampledForm> kForms = {
    form<uint32_t, Op::Mul>(), form<uint32_t, Op::Div>(), form<uint32_t, Op::Add>(),
    form<uint32_t, Op::Sub>(), form<uint64_t, Op::Mul>(), form<uint64_t, Op::Div>(),
    form<uint64_t, Op::Add>(), form<uint64_t, Op::Sub>(),
    form3<uint32_t, false, false>(), form3<uint32_t, false, true>(),
    form3<uint32_t, true, true>(), form3<uint32_t, true, false>(),
    form3<uint64_t, false, false>(), form3<uint64_t, false, true>(),
    form3<uint64_t, true, true>(), form3<uint64_t, true, false>(),
};

}  // namespace

std::span<const SampledForm> fp_forms() { return kForms; }

}  // namespace cpu::jit
#endif
