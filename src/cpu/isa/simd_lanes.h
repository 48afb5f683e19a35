// Per-element iteration for the Advanced SIMD three-register classes, and
// the integer helpers their lane operations share: the shared pseudocode
// Elem[], Vpart[], Int() and SatQ() (ARM ARM DDI 0487 K.a, J1 "Armv8
// pseudocode", shared/functions/vector and shared/functions/integer).
//
// A lane operation is a struct with a static op() template over the element
// type T (uint8_t..uint64_t, the bits of one element; FP operations take
// uint32_t or uint64_t). The shapes below read the operands' elements, call
// Op::op for each and write the result the way the instruction's Operation
// pseudocode does; each shape's exec is the handler a decoder installs.
#pragma once

#include <cstdint>
#include <type_traits>

#include "cpu/isa/simd_common.h"
#include "cpu/isa/simd_saturate.h"

namespace cpu::simd {

// bits(esize) of one element, and bits(2 * esize) of a long element.
template <unsigned E>
using UInt = std::conditional_t<
    E == 8, uint8_t,
    std::conditional_t<E == 16, uint16_t, std::conditional_t<E == 32, uint32_t, uint64_t>>>;
template <class T>
using Wide = std::conditional_t<sizeof(T) == 8, unsigned __int128, UInt<sizeof(T) * 16>>;

template <class T>
constexpr unsigned kEsize = sizeof(T) * 8;

// Elem[vector, e, esize] for T's esize; a 128-bit element (PMULL2's) is
// the whole register.
template <class T>
T elem(const VReg& v, unsigned e) {
    if constexpr (sizeof(T) == 16)
        return T(v.get(64, 0)) | T(v.get(64, 1)) << 64;
    else
        return T(v.get(kEsize<T>, e));
}
template <class T>
void set_elem(VReg& v, unsigned e, T value) {
    if constexpr (sizeof(T) == 16) {
        v.set(64, 0, uint64_t(value));
        v.set(64, 1, uint64_t(value >> 64));
    } else {
        v.set(kEsize<T>, e, value);
    }
}

// What a lane operation reads and raises: FPCR, and the cumulative FPSR
// flags (QC included), which the shape ORs into FPSR after the last lane.
struct LaneEnv {
    uint32_t fpcr;
    uint32_t fpsr = 0;
};

// ASL Int(x, unsigned): the element as an __int128, which holds every sum,
// difference and product the lane operations form before they saturate or
// truncate (operands of at most 64 bits, products of at most 32 x 32).
template <bool U, class T>
constexpr __int128 int_of(T x) {
    if constexpr (U)
        return __int128(x);
    else
        return __int128(std::make_signed_t<T>(x));
}

// ASL SatQ(i, esize, unsigned) for a lane of type T (simd_saturate.h).
template <class T, bool U>
T sat_q(__int128 i, LaneEnv& env) {
    return T(SatQ<kEsize<T>>(i, U, env.fpsr));
}

// Abs(Int(n, unsigned) - Int(m, unsigned)): SABD, SABAL...
template <bool U, class T>
constexpr __int128 abs_diff(T n, T m) {
    const __int128 diff = int_of<U>(n) - int_of<U>(m);
    return diff < 0 ? -diff : diff;
}

// ASL PolynomialMult: the carry-less product, 2 * esize bits (PMUL keeps
// the low half).
template <class T>
constexpr Wide<T> polynomial_mult(T op1, T op2) {
    Wide<T> result = 0;
    for (unsigned i = 0; i < kEsize<T>; ++i)
        if ((op1 >> i) & 1) result ^= Wide<T>(op2) << i;
    return result;
}

// All ones when a lane comparison holds (CMGT, FCMEQ... write a mask).
template <class T>
constexpr T mask_if(bool b) {
    return b ? T(~T(0)) : T(0);
}

// ---- Shapes ------------------------------------------------------------------

// Elementwise (three same): Elem[result, e] = op(Elem[d, e], Elem[n, e],
// Elem[m, e]) over Datasize bits; Datasize = esize is the scalar form. The
// result replaces V[d], zero-extended when Datasize < 128.
template <class Op, class T, unsigned Datasize>
struct Lanes {
    static Flow exec(Cpu& c, const Insn& i) {
        LaneEnv env{fpcr(c), fpsr_flags(c)};
        const VReg &d = vreg(c, i.rd), &n = vreg(c, i.rn), &m = vreg(c, i.rm);
        VReg r;
        for (unsigned e = 0; e < Datasize / kEsize<T>; ++e)
            set_elem(r, e, Op::template op<T>(elem<T>(d, e), elem<T>(n, e), elem<T>(m, e), env));
        vreg(c, i.rd) = r;
        fpsr_or(c, env.fpsr);
        return Flow::Next;
    }
};

// Pairwise (ADDP, SMAXP, FADDP...): concat = V[m]:V[n] and Elem[result, e]
// = op(Elem[concat, 2e], Elem[concat, 2e + 1]); the low half of the result
// comes from n's pairs, the high half from m's.
template <class Op, class T, unsigned Datasize>
struct Pairs {
    static Flow exec(Cpu& c, const Insn& i) {
        constexpr unsigned elements = Datasize / kEsize<T>, half = elements / 2;
        LaneEnv env{fpcr(c)};
        const VReg &n = vreg(c, i.rn), &m = vreg(c, i.rm);
        VReg r;
        for (unsigned e = 0; e < elements; ++e) {
            const VReg& src = e < half ? n : m;
            const unsigned p = 2 * (e % half);
            set_elem(r, e, Op::template op<T>(T(0), elem<T>(src, p), elem<T>(src, p + 1), env));
        }
        vreg(c, i.rd) = r;
        fpsr_or(c, env.fpsr);
        return Flow::Next;
    }
};

// Long (SADDL, SMULL, SMLAL...): the esize elements of Vpart[n, Part] and
// Vpart[m, Part] (Datasize bits each) make 2 * esize elements; op also sees
// the accumulator Elem[d, e, 2 * esize]. Datasize = esize is the scalar
// form (SQDMULL Sd...), zero-extended.
template <class Op, class T, unsigned Datasize, unsigned Part>
struct Long {
    static Flow exec(Cpu& c, const Insn& i) {
        constexpr unsigned elements = Datasize / kEsize<T>, base = Part * elements;
        LaneEnv env{fpcr(c)};
        const VReg &d = vreg(c, i.rd), &n = vreg(c, i.rn), &m = vreg(c, i.rm);
        VReg r;
        for (unsigned e = 0; e < elements; ++e)
            set_elem(r, e,
                     Op::template op<T>(elem<Wide<T>>(d, e), elem<T>(n, base + e),
                                        elem<T>(m, base + e), env));
        vreg(c, i.rd) = r;
        fpsr_or(c, env.fpsr);
        return Flow::Next;
    }
};

// Wide (SADDW, SSUBW...): Elem[result, e, 2 * esize] = op(Elem[n, e,
// 2 * esize], Elem[Vpart[m, Part], e, esize]).
template <class Op, class T, unsigned Part>
struct WideLanes {
    static Flow exec(Cpu& c, const Insn& i) {
        constexpr unsigned elements = 64 / kEsize<T>, base = Part * elements;
        LaneEnv env{fpcr(c)};
        const VReg &n = vreg(c, i.rn), &m = vreg(c, i.rm);
        VReg r;
        for (unsigned e = 0; e < elements; ++e)
            set_elem(r, e, Op::template op<T>(elem<Wide<T>>(n, e), elem<T>(m, base + e), env));
        vreg(c, i.rd) = r;
        fpsr_or(c, env.fpsr);
        return Flow::Next;
    }
};

// Narrow (ADDHN, RSUBHN...): esize results from the 2 * esize elements of
// V[n] and V[m] go to Vpart[d, Part]: Part 0 zeroes the upper half, Part 1
// (the "2" forms) keeps the lower half.
template <class Op, class T, unsigned Part>
struct Narrow {
    static Flow exec(Cpu& c, const Insn& i) {
        constexpr unsigned elements = 64 / kEsize<T>, base = Part * elements;
        LaneEnv env{fpcr(c)};
        const VReg &n = vreg(c, i.rn), &m = vreg(c, i.rm);
        VReg r = Part ? vreg(c, i.rd) : VReg{};
        for (unsigned e = 0; e < elements; ++e)
            set_elem(r, base + e,
                     Op::template op<T>(elem<Wide<T>>(n, e), elem<Wide<T>>(m, e), env));
        vreg(c, i.rd) = r;
        fpsr_or(c, env.fpsr);
        return Flow::Next;
    }
};

}  // namespace cpu::simd
