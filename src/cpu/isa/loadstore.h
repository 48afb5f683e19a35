// Facts about load/store encodings that code outside the handlers needs.
#pragma once

#include <cstdint>

namespace cpu {

// A Load-Exclusive: LDXR/LDAXR (B/H/W/X) or LDXP/LDAXP. The software-step
// syndrome reports it in ESR_ELx.ISS.EX (D24.2.40, "ISS encoding for an
// exception from a Software Step exception"). Encoding class "Load/store
// exclusive register/pair": size 001000 o2=0 L=1 o1 ...; with o1 = 1 and
// size<1> = 0 the word is CASP(A)(L), not an exclusive.
constexpr bool is_load_exclusive(uint32_t raw) {
    const bool excl_class_load = (raw & 0x3fc00000u) == 0x08400000u;  // bits 29:22 = 00100001
    const bool casp = (raw & 0x80200000u) == 0x00200000u;             // size<1> = 0, o1 = 1
    return excl_class_load && !casp;
}

}  // namespace cpu
