// How the two-register miscellaneous, across-lanes and scalar pairwise
// instructions walk their lanes (ARM ARM DDI 0487 K.a, the Operation
// pseudocode of each instruction in C7.2). A handler here is a shape: the
// per-lane operation is a template parameter, an `Op` from simd_misc_int.h
// or simd_misc_fp.h, so one loop serves every instruction of that shape.
//
// A scalar is a vector of one lane: its result, like a 64-bit vector's,
// is written to a fresh VReg, which zeroes the rest of V[d] (the ASL V[]
// setter). Flags (FP exceptions, QC) accumulate in a LaneCtx and reach FPSR
// once, after the last lane. Everything here is in simd::misc, so other
// SIMD groups' shapes of the same names cannot collide with these.
#pragma once

#include <cstdint>
#include <type_traits>

#include "arch/bits.h"
#include "cpu/isa/simd_common.h"

namespace cpu::simd::misc {

// The FP format of an esize-bit element.
template <unsigned E>
using FPT = std::conditional_t<E == 16, uint16_t, std::conditional_t<E == 32, uint32_t, uint64_t>>;

// What a lane operation reads besides its operands, and the flags it raises.
struct LaneCtx {
    uint32_t fpcr;
    uint32_t flags = 0;
};

// Elem[result, e, E] = Op(Elem[V[n], e, E], Elem[V[d], e, E]) for Elems lanes
// (the accumulating SUQADD/USQADD read V[d]; the others ignore it).
template <unsigned E, unsigned Elems, class Op>
Flow ELEMENTWISE(Cpu& c, const Insn& i) {
    const VReg n = vreg(c, i.rn), d = vreg(c, i.rd);
    LaneCtx x{fpcr(c)};
    VReg r;
    for (unsigned e = 0; e < Elems; ++e) r.set(E, e, Op::template apply<E>(n.get(E, e), d.get(E, e), x));
    vreg(c, i.rd) = r;
    fpsr_or(c, x.flags);
    return Flow::Next;
}

// REV16/REV32/REV64: the E-bit elements of each Container-bit container in
// reverse order; reversing an index within a power-of-two container flips
// its low bits.
template <unsigned E, unsigned Container, unsigned Elems>
Flow REV(Cpu& c, const Insn& i) {
    const VReg n = vreg(c, i.rn);
    VReg r;
    for (unsigned e = 0; e < Elems; ++e) r.set(E, e ^ (Container / E - 1), n.get(E, e));
    vreg(c, i.rd) = r;
    return Flow::Next;
}

// SADDLP/UADDLP/SADALP/UADALP: Elems results of 2E bits, each from two
// adjacent E-bit lanes of V[n] and the 2E-bit lane of V[d].
template <unsigned E, unsigned Elems, class Op>
Flow PAIRWISE_LONG(Cpu& c, const Insn& i) {
    const VReg n = vreg(c, i.rn), d = vreg(c, i.rd);
    VReg r;
    for (unsigned e = 0; e < Elems; ++e)
        r.set(2 * E, e, Op::template apply<E>(n.get(E, 2 * e), n.get(E, 2 * e + 1), d.get(2 * E, e)));
    vreg(c, i.rd) = r;
    return Flow::Next;
}

// Vpart[d, Part] = E-bit results of Op on the first Elems 2E-bit lanes of
// V[n] (XTN, SQXTN, FCVTN... and their scalar forms with Elems = 1). Part 1
// (the "2" forms) writes the upper 64 bits and keeps the lower; part 0
// zeroes the upper.
template <unsigned E, unsigned Elems, unsigned Part, class Op>
Flow NARROW(Cpu& c, const Insn& i) {
    const VReg n = vreg(c, i.rn);
    LaneCtx x{fpcr(c)};
    VReg r = Part ? vreg(c, i.rd) : VReg{};
    for (unsigned e = 0; e < Elems; ++e) r.set(E, Part * Elems + e, Op::template apply<E>(n.get(2 * E, e), x));
    vreg(c, i.rd) = r;
    fpsr_or(c, x.flags);
    return Flow::Next;
}

// V[d] = 2E-bit results of Op on the E-bit lanes of Vpart[n, Part]
// (SHLL, FCVTL and their "2" forms).
template <unsigned E, unsigned Part, class Op>
Flow WIDEN(Cpu& c, const Insn& i) {
    constexpr unsigned kElems = 64 / E;
    const VReg n = vreg(c, i.rn);
    LaneCtx x{fpcr(c)};
    VReg r;
    for (unsigned e = 0; e < kElems; ++e) r.set(2 * E, e, Op::template apply<E>(n.get(E, Part * kElems + e), x));
    vreg(c, i.rd) = r;
    fpsr_or(c, x.flags);
    return Flow::Next;
}

// ASL Reduce(): the halves reduce first, then Op(lo, hi) — a tree, not a
// left-to-right fold, which decides the FP results and NaN choices.
template <unsigned E, class Op>
uint64_t reduce(const VReg& v, unsigned first, unsigned count, LaneCtx& x) {
    if (count == 1) return v.get(E, first);
    const unsigned half = count / 2;
    const uint64_t hi = reduce<E, Op>(v, first + half, half, x);
    const uint64_t lo = reduce<E, Op>(v, first, half, x);
    return Op::template apply<E>(lo, hi, x);
}

// V[d, E] = Reduce(Op, the first Elems E-bit lanes of V[n]): the across-lanes
// reductions and the scalar pairwise ones (Elems = 2).
template <unsigned E, unsigned Elems, class Op>
Flow REDUCE(Cpu& c, const Insn& i) {
    LaneCtx x{fpcr(c)};
    const uint64_t r = reduce<E, Op>(vreg(c, i.rn), 0, Elems, x);
    vwrite(c, i.rd, E, r);
    fpsr_or(c, x.flags);
    return Flow::Next;
}

// C7.2 SADDLV, UADDLV: V[d, 2E] = the sum of Elems E-bit lanes, each
// sign- or zero-extended.
template <unsigned E, unsigned Elems, bool Unsigned>
Flow ADDLV(Cpu& c, const Insn& i) {
    const VReg& n = vreg(c, i.rn);
    uint64_t sum = 0;
    for (unsigned e = 0; e < Elems; ++e)
        sum += Unsigned ? n.get(E, e) : uint64_t(arch::sign_extend(n.get(E, e), E));
    vwrite(c, i.rd, 2 * E, sum & arch::ones(2 * E));
    return Flow::Next;
}

}  // namespace cpu::simd::misc
