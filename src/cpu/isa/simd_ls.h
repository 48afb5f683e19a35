// What the SIMD&FP load/store handlers share (DDI 0487 K.a C4.1.88 "Loads
// and Stores" with V = 1, and C7.2 "LDR (immediate, SIMD&FP)", "LDP
// (SIMD&FP)", "LD1 (multiple structures)"...): the access descriptor, the
// transfer unit of each size, and the class decoders simd_ls.cpp's rows call.
//
// The data abort of a SIMD&FP access has no instruction syndrome: ESR_ELx.ISV
// is 1 only for a load or store of a single general-purpose register without
// writeback (D24.2.40, ISV), so the hypervisor cannot emulate such an access
// to MMIO and reports it as KVM's ARM_NISV. SIMD&FP accesses are not
// exclusive, atomic or ordered, so alignment is checked only where every
// access is (SCTLR_EL1.A, Device memory), to the size of each access.
#pragma once

#include <cstdint>
#include <type_traits>

#include "cpu/isa/ls_common.h"
#include "cpu/isa/simd_common.h"

namespace cpu::simd {

// The descriptor of every SIMD&FP data access: only WnR reaches the syndrome.
constexpr AccessDesc vec_desc(bool write) {
    AccessDesc d;
    d.write = write;
    return d;
}

// The value one access of 1 << kLog2 bytes moves (kLog2 = 4: a Q register).
template <unsigned kLog2>
using Unit = std::conditional_t<
    kLog2 == 0, uint8_t,
    std::conditional_t<kLog2 == 1, uint16_t,
                       std::conditional_t<kLog2 == 2, uint32_t,
                                          std::conditional_t<kLog2 == 3, uint64_t, VReg>>>>;

// V[t] as a transfer unit: its low bits, or the whole register.
template <unsigned kLog2> Unit<kLog2> vget(const Cpu& c, unsigned t) {
    if constexpr (kLog2 == 4) return vreg(c, t);
    else return Unit<kLog2>(vread(c, t, 8u << kLog2));
}
// V[t] = data: a B, H, S or D write zeroes the bits above it.
template <unsigned kLog2> void vset(Cpu& c, unsigned t, const Unit<kLog2>& v) {
    if constexpr (kLog2 == 4) vreg(c, t) = v;
    else vwrite(c, t, 8u << kLog2, v);
}

// Fields of the Advanced SIMD load/store structure classes:
// 0 Q 0011 0 p=post 1=single L R Rm opcode S size Rn Rt.
struct LsStructFields {
    unsigned q = 0, l = 0, r = 0, rm = 0, opcode = 0, s = 0, size = 0, rn = 0, rt = 0;
};

// Class decoders (simd_ls_reg.cpp, simd_ls_pair.cpp, simd_ls_struct.cpp).
void decode_vec_unscaled(const ls::LsSingleFields& f, Insn& out);
void decode_vec_post(const ls::LsSingleFields& f, Insn& out);
void decode_vec_pre(const ls::LsSingleFields& f, Insn& out);
void decode_vec_reg(const ls::LsSingleFields& f, Insn& out);
void decode_vec_unsigned(const ls::LsSingleFields& f, Insn& out);
void decode_vec_literal(const ls::LsSingleFields& f, Insn& out);
void decode_vec_pair_nt(const ls::LsPairFields& f, Insn& out);
void decode_vec_pair_post(const ls::LsPairFields& f, Insn& out);
void decode_vec_pair_off(const ls::LsPairFields& f, Insn& out);
void decode_vec_pair_pre(const ls::LsPairFields& f, Insn& out);
void decode_vec_multiple(const LsStructFields& f, Insn& out);
void decode_vec_multiple_post(const LsStructFields& f, Insn& out);
void decode_vec_single(const LsStructFields& f, Insn& out);
void decode_vec_single_post(const LsStructFields& f, Insn& out);

}  // namespace cpu::simd
