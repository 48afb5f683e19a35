// The host fast path for add, sub, mul, div, sqrt and fused multiply-add in
// single and double (docs/fp.md, "Rules"). It answers only when every
// operand is a normal number and the host's result is a normal number with
// a biased exponent of at least 2 and no Invalid, Divide-by-zero, Overflow,
// Underflow or Denormal flag: there the ASL's FPRound and IEEE 754 agree
// (no NaN, infinity, zero or denormal in or out, no value that was tiny
// before rounding, no overflow), so the result is the ASL's and MXCSR.PE is
// exactly FPSR.IXC. The host rounds per FPCR.RMode through MXCSR.RC; the
// caller's MXCSR is restored.
#include <bit>

#include "cpu/fp/fp_arith.h"

namespace cpu::fp::host {

namespace {
// MXCSR: all exceptions masked, RC from FPCR.RMode (RN, RP, RM, RZ to
// nearest, up, down, toward zero).
constexpr uint32_t kMasked = 0x1F80;
constexpr uint32_t kRoundingControl[4] = {0x0000, 0x4000, 0x2000, 0x6000};
constexpr uint32_t kPE = 0x20, kAnyButPE = 0x1F;

const bool kHostFma = __builtin_cpu_supports("fma");

template <class T> bool normal(T bits) {
    constexpr int F = sizeof(T) == 4 ? 23 : 52;
    constexpr T emax = sizeof(T) == 4 ? 0xFF : 0x7FF;
    return T(((bits >> F) & emax) - 1) < emax - 1;
}
template <class T> bool safe_result(T bits) {
    constexpr int F = sizeof(T) == 4 ? 23 : 52;
    constexpr T emax = sizeof(T) == 4 ? 0xFF : 0x7FF;
    return T(((bits >> F) & emax) - 2) < emax - 2;
}

// One host instruction under MXCSR `csr`; every step is a volatile asm so
// that nothing moves across the MXCSR writes. Returns MXCSR's flags.
#define STEPVISOR_HOST_OP(SUFFIX, TYPE)                                                                       \
    uint32_t run(Op op, TYPE& x, TYPE y, TYPE z, uint32_t csr) {                                             \
        uint32_t saved, after;                                                                               \
        asm volatile("stmxcsr %0\n\tldmxcsr %1" : "=m"(saved) : "m"(csr));                                   \
        switch (op) {                                                                                        \
        case Op::Add: asm volatile("adds" SUFFIX " %1, %0" : "+x"(x) : "x"(y)); break;                       \
        case Op::Sub: asm volatile("subs" SUFFIX " %1, %0" : "+x"(x) : "x"(y)); break;                       \
        case Op::Mul: asm volatile("muls" SUFFIX " %1, %0" : "+x"(x) : "x"(y)); break;                       \
        case Op::Div: asm volatile("divs" SUFFIX " %1, %0" : "+x"(x) : "x"(y)); break;                       \
        case Op::Sqrt: asm volatile("sqrts" SUFFIX " %0, %0" : "+x"(x)); break;                              \
        case Op::MulAdd: asm volatile("vfmadd231s" SUFFIX " %2, %1, %0" : "+x"(x) : "x"(y), "x"(z)); break;  \
        }                                                                                                    \
        asm volatile("stmxcsr %0\n\tldmxcsr %1" : "=m"(after) : "m"(saved));                                 \
        return after & 0x3F;                                                                                 \
    }
STEPVISOR_HOST_OP("s", float)
STEPVISOR_HOST_OP("d", double)
#undef STEPVISOR_HOST_OP

template <class T, class H> bool fast_impl(Op op, T a, T b, T c, uint32_t fpcr, uint32_t& fpsr, T& result) {
    if (!normal(a)) return false;
    if (op != Op::Sqrt && !normal(b)) return false;
    if (op == Op::MulAdd && (!kHostFma || !normal(c))) return false;
    // FPMulAdd(addend, op1, op2): the accumulator is the addend.
    H x = std::bit_cast<H>(a), y = std::bit_cast<H>(b), z = std::bit_cast<H>(c);
    const uint32_t flags = run(op, x, y, z, kMasked | kRoundingControl[(fpcr >> fpcr::kRModeShift) & 3]);
    const T r = std::bit_cast<T>(x);
    if ((flags & kAnyButPE) || !safe_result(r)) return false;
    if (flags & kPE) fpsr |= fpsr::kIXC;
    result = r;
    return true;
}
}  // namespace

bool fast(Op op, uint32_t a, uint32_t b, uint32_t c, uint32_t fpcr, uint32_t& fpsr, uint32_t& result) {
    return fast_impl<uint32_t, float>(op, a, b, c, fpcr, fpsr, result);
}
bool fast(Op op, uint64_t a, uint64_t b, uint64_t c, uint32_t fpcr, uint32_t& fpsr, uint64_t& result) {
    return fast_impl<uint64_t, double>(op, a, b, c, fpcr, fpsr, result);
}

}  // namespace cpu::fp::host
