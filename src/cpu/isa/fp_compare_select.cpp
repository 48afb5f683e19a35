// Scalar floating-point compare and select (DDI 0487 K.a, C4.1.96): the
// classes "Floating-point compare" (FCMP, FCMPE, with a register or #0.0),
// "Floating-point conditional compare" (FCCMP, FCCMPE) and "Floating-point
// conditional select" (FCSEL). Single and double precision; the flags go to
// PSTATE.NZCV as FPCompare returns them (unordered: 0011).
#include <array>
#include <cstdint>

#include "cpu/fp/fp_host.h"
#include "cpu/isa/dp_common.h"
#include "cpu/isa/fp_scalar.h"
#include "cpu/isa/simd_common.h"

namespace cpu::fpscalar {

namespace {

using fp::FPBits;
using simd::fp_guarded;

// C7.2 FCMP, FCMPE: Zero compares with +0.0 (Rm is ignored); Signal (FCMPE)
// makes a quiet NaN operand raise Invalid Operation too.
template <FPBits T, bool Zero, bool Signal>
Flow FCMP(Cpu& c, const Insn& i) {
    uint32_t flags = 0;
    const T op1 = T(simd::vread(c, i.rn, kN<T>));
    const T op2 = Zero ? T(0) : T(simd::vread(c, i.rm, kN<T>));
    if (uint32_t nzcv; fp::host::compare(op1, op2, nzcv)) {  // FPCompare's own first step, inline
        c.state().pstate.set_nzcv(nzcv);
        return Flow::Next;
    }
    c.state().pstate.set_nzcv(fp::FPCompare(op1, op2, Signal, simd::fpcr(c), flags));
    simd::fpsr_or(c, flags);
    return Flow::Next;
}
template <bool Zero, bool Signal>
constexpr ByType kCmp = {fp_guarded<FCMP<uint32_t, Zero, Signal>>,
                         fp_guarded<FCMP<uint64_t, Zero, Signal>>};

// By opc = opcode2<4:3>: E, then the compare with zero.
constexpr std::array<ByType, 4> kCmpByOpc = {kCmp<false, false>, kCmp<true, false>,
                                             kCmp<false, true>, kCmp<true, true>};

// C7.2 FCCMP, FCCMPE: the comparison when the condition holds (only then
// can it raise a flag), otherwise NZCV = #nzcv.
template <FPBits T, bool Signal>
Flow FCCMP(Cpu& c, const Insn& i) {
    if (!condition_holds(i.cond, c.state().pstate)) {
        c.state().pstate.set_nzcv(i.nzcv);
        return Flow::Next;
    }
    uint32_t flags = 0;
    const T op1 = T(simd::vread(c, i.rn, kN<T>));
    const T op2 = T(simd::vread(c, i.rm, kN<T>));
    c.state().pstate.set_nzcv(fp::FPCompare(op1, op2, Signal, simd::fpcr(c), flags));
    simd::fpsr_or(c, flags);
    return Flow::Next;
}
template <bool Signal>
constexpr ByType kCcmp = {fp_guarded<FCCMP<uint32_t, Signal>>, fp_guarded<FCCMP<uint64_t, Signal>>};

// C7.2 FCSEL: a bit copy of Vn or Vm; no FP exception, even for a NaN.
template <FPBits T>
Flow FCSEL(Cpu& c, const Insn& i) {
    const unsigned src = condition_holds(i.cond, c.state().pstate) ? i.rn : i.rm;
    simd::vwrite(c, i.rd, kN<T>, simd::vread(c, src, kN<T>));
    return Flow::Next;
}
constexpr ByType kCsel = {fp_guarded<FCSEL<uint32_t>>, fp_guarded<FCSEL<uint64_t>>};

}  // namespace

void decode_fp_cmp(const FpFields& f, Insn& o) {
    if (!single_or_double(f.ftype)) return;
    o.rn = uint8_t(f.rn);
    o.rm = uint8_t(f.rm);
    o.exec = kCmpByOpc[f.opcode][f.ftype];
}

void decode_fp_ccmp(const FpFields& f, Insn& o) {
    if (!single_or_double(f.ftype)) return;
    o.rn = uint8_t(f.rn);
    o.rm = uint8_t(f.rm);
    o.cond = uint8_t(f.cond);
    o.nzcv = uint8_t(f.nzcv);
    o.exec = f.opcode ? kCcmp<true>[f.ftype] : kCcmp<false>[f.ftype];
}

void decode_fp_csel(const FpFields& f, Insn& o) {
    if (!single_or_double(f.ftype)) return;
    o.rd = uint8_t(f.rd);
    o.rn = uint8_t(f.rn);
    o.rm = uint8_t(f.rm);
    o.cond = uint8_t(f.cond);
    o.exec = kCsel[f.ftype];
}

}  // namespace cpu::fpscalar
