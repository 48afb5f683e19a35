// The Advanced SIMD three same and three different classes (ARM ARM DDI
// 0487 K.a, C4.1.95 "Data Processing -- Scalar Floating-Point and Advanced
// SIMD"): the handler tables their decoders pick from, and the three parts
// of encodings_simd_three().
//
// A row names the element sizes it allows as a mask over the size field
// (the ASL decode's "if size == '11' then UNDEFINED" and the like); a
// vector arrangement with a single element (size 11 with Q = 0) is reserved
// in every one of these classes.
#pragma once

#include <span>

#include "cpu/decode.h"
#include "cpu/isa/simd_lanes.h"

namespace cpu {

std::span<const Encoding> encodings_simd_three_same();     // integer and logical
std::span<const Encoding> encodings_simd_three_same_fp();  // floating-point
std::span<const Encoding> encodings_simd_three_diff();

namespace simd {

// Element sizes, as size-field bits: bit 0 is size 00 (bytes).
inline constexpr unsigned kB = 1, kH = 2, kS = 4, kD = 8;
inline constexpr unsigned kHS = kH | kS, kSD = kS | kD, kBHS = kB | kH | kS, kBHSD = kBHS | kD;

template <template <class, class, unsigned> class Shape, class Op, unsigned Sizes, unsigned Size,
          unsigned Datasize>
constexpr ExecFn vector_handler() {
    if constexpr (((Sizes >> Size) & 1) && (8u << Size) < Datasize)
        return fp_guarded<Shape<Op, UInt<(8u << Size)>, Datasize>::exec>;
    else
        return nullptr;
}

// [size][Q]: a vector row's handlers; null where the arrangement is reserved.
template <template <class, class, unsigned> class Shape, class Op, unsigned Sizes>
constexpr ExecFn kVector[4][2] = {
    {vector_handler<Shape, Op, Sizes, 0, 64>(), vector_handler<Shape, Op, Sizes, 0, 128>()},
    {vector_handler<Shape, Op, Sizes, 1, 64>(), vector_handler<Shape, Op, Sizes, 1, 128>()},
    {vector_handler<Shape, Op, Sizes, 2, 64>(), vector_handler<Shape, Op, Sizes, 2, 128>()},
    {vector_handler<Shape, Op, Sizes, 3, 64>(), vector_handler<Shape, Op, Sizes, 3, 128>()},
};

template <class Op, unsigned Sizes, unsigned Size>
constexpr ExecFn scalar_handler() {
    if constexpr ((Sizes >> Size) & 1)
        return fp_guarded<Lanes<Op, UInt<(8u << Size)>, (8u << Size)>::exec>;
    else
        return nullptr;
}

// [size]: a scalar row's handlers (one element, datasize = esize).
template <class Op, unsigned Sizes>
constexpr ExecFn kScalar[4] = {scalar_handler<Op, Sizes, 0>(), scalar_handler<Op, Sizes, 1>(),
                               scalar_handler<Op, Sizes, 2>(), scalar_handler<Op, Sizes, 3>()};

template <Pattern P>
void set_registers(Word<P> w, Insn& o) {
    o.rd = uint8_t(field<'d'>(w));
    o.rn = uint8_t(field<'n'>(w));
    o.rm = uint8_t(field<'m'>(w));
}

// Three same, vector: size z, Q; Shape is Lanes or Pairs.
template <template <class, class, unsigned> class Shape, class Op, unsigned Sizes, Pattern P>
void decode_3same(Word<P> w, Insn& o) {
    set_registers(w, o);
    o.exec = kVector<Shape, Op, Sizes>[field<'z'>(w)][field<'Q'>(w)];
}

// Three same, scalar: size z.
template <class Op, unsigned Sizes, Pattern P>
void decode_scalar_3same(Word<P> w, Insn& o) {
    set_registers(w, o);
    o.exec = kScalar<Op, Sizes>[field<'z'>(w)];
}

}  // namespace simd
}  // namespace cpu
