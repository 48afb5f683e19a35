// Advanced SIMD structures: LD1-LD4/ST1-ST4 (multiple structures),
// LD1-LD4/ST1-ST4 (single structure) and LD1R-LD4R, without offset or
// post-indexed by an immediate or Xm (DDI 0487 K.a C7.2 "LD1 (multiple
// structures)"... and their shared decode and Operation pseudocode).
//
// Each instruction is a run of element accesses at consecutive addresses in
// the ASL's loop order, each of the element size (so alignment is checked
// per element). Loads read every element before writing a register, stores
// translate every element before writing a byte: an access that faults
// part-way leaves registers and memory unchanged, one of the outcomes the
// architecture permits (docs/architecture-choices.md).
#include <array>
#include <optional>

#include "cpu/isa/simd_ls.h"

namespace cpu::simd {
namespace {

// Post-index: Rm = 31 adds the bytes transferred, another Rm adds Xm.
inline void writeback(Cpu& c, const Insn& i, uint64_t address, uint64_t transferred) {
    c.set_x_or_sp(i.rn, address + (i.rm == 31 ? transferred : c.x(i.rm)));
}

// Reads n elements of 1 << kLog2 bytes from address into e[0..n).
template <unsigned kLog2>
bool read_elements(Cpu& c, uint64_t address, unsigned n, Unit<kLog2>* e) {
    for (unsigned j = 0; j < n; ++j)
        if (!c.read(address + (uint64_t(j) << kLog2), vec_desc(false), e[j])) return false;
    return true;
}

// Translates n element stores at address into h[0..n), first element first.
template <unsigned kLog2>
bool translate_elements(Cpu& c, uint64_t address, unsigned n, HostRange* h) {
    for (unsigned j = 0; j < n; ++j) {
        const uint64_t a = address + (uint64_t(j) << kLog2);
        if (!c.translate_range(a, 1u << kLog2, vec_desc(true), h[j])) return false;
    }
    return true;
}

// ---- Multiple structures ----------------------------------------------------

// kRegs registers of kQ ? 128 : 64 bits, structures of kSelem elements.
// Access j (the ASL's loops over r, e, s) moves lane e of V[t + r + s].
template <unsigned kSelem, unsigned kRegs, unsigned kLog2, bool kQ> struct Multiple {
    static constexpr unsigned kElements = (kQ ? 16 : 8) >> kLog2;
    static constexpr unsigned kCount = kRegs * kElements;
    static constexpr unsigned reg(unsigned j) { return j / (kElements * kSelem) + j % kSelem; }
    static constexpr unsigned lane(unsigned j) { return j / kSelem % kElements; }
};

// A 64-bit load writes V[tt] with datasize 64, zeroing the upper half.
template <bool kLoad, unsigned kSelem, unsigned kRegs, unsigned kLog2, bool kQ, bool kWb>
Flow LDST_multiple(Cpu& c, const Insn& i) {
    using M = Multiple<kSelem, kRegs, kLog2, kQ>;
    using E = Unit<kLog2>;
    if (i.rn == 31 && ls::sp_misaligned(c)) return ls::sp_alignment_fault(c);
    const uint64_t address = c.x_or_sp(i.rn);
    if constexpr (kLoad) {
        std::array<E, M::kCount> e;
        if (!read_elements<kLog2>(c, address, M::kCount, e.data())) return Flow::Exception;
        if constexpr (kWb) writeback(c, i, address, M::kCount << kLog2);
        std::array<VReg, kRegs> v{};
        for (unsigned j = 0; j < M::kCount; ++j) v[M::reg(j)].set(8u << kLog2, M::lane(j), e[j]);
        for (unsigned r = 0; r < kRegs; ++r) vreg(c, (i.rd + r) % 32) = v[r];
    } else {
        std::array<HostRange, M::kCount> h;
        if (!translate_elements<kLog2>(c, address, M::kCount, h.data())) return Flow::Exception;
        for (unsigned j = 0; j < M::kCount; ++j) {
            const E e = E(vreg(c, (i.rd + M::reg(j)) % 32).get(8u << kLog2, M::lane(j)));
            h[j].store(&e);
        }
        if constexpr (kWb) writeback(c, i, address, M::kCount << kLog2);
    }
    return Flow::Next;
}

// Handlers by [size][Q] for one opcode.
template <bool kLoad, bool kWb, unsigned kSelem, unsigned kRegs, unsigned kLog2>
constexpr ExecFn kMultQ[2] = {fp_guarded<LDST_multiple<kLoad, kSelem, kRegs, kLog2, false, kWb>>,
                              fp_guarded<LDST_multiple<kLoad, kSelem, kRegs, kLog2, true, kWb>>};
template <bool kLoad, bool kWb, unsigned kSelem, unsigned kRegs>
constexpr const ExecFn* kMultSize[4] = {
    kMultQ<kLoad, kWb, kSelem, kRegs, 0>, kMultQ<kLoad, kWb, kSelem, kRegs, 1>,
    kMultQ<kLoad, kWb, kSelem, kRegs, 2>, kMultQ<kLoad, kWb, kSelem, kRegs, 3>};

// By opcode: LD/ST4, LD/ST1 (4 registers), LD/ST3, LD/ST1 (3), LD/ST1 (1),
// LD/ST2, LD/ST1 (2); the other opcodes are unallocated.
template <bool kLoad, bool kWb>
constexpr const ExecFn* const* kMultOpcode[16] = {
    kMultSize<kLoad, kWb, 4, 4>, nullptr, kMultSize<kLoad, kWb, 1, 4>, nullptr,
    kMultSize<kLoad, kWb, 3, 3>, nullptr, kMultSize<kLoad, kWb, 1, 3>, kMultSize<kLoad, kWb, 1, 1>,
    kMultSize<kLoad, kWb, 2, 2>, nullptr, kMultSize<kLoad, kWb, 1, 2>, nullptr,
    nullptr, nullptr, nullptr, nullptr};

template <bool kWb> void decode_multiple(const LsStructFields& f, Insn& out) {
    const ExecFn* const* by_size =
        f.l ? kMultOpcode<true, kWb>[f.opcode] : kMultOpcode<false, kWb>[f.opcode];
    if (!by_size) return;
    // The .1D arrangement exists only for LD1/ST1: among the allocated
    // opcodes, those with opcode<1> = 1.
    if (f.size == 3 && !f.q && !(f.opcode & 2)) return;
    out.rd = uint8_t(f.rt);
    out.rn = uint8_t(f.rn);
    out.rm = uint8_t(f.rm);
    out.exec = by_size[f.size][f.q];
}

// ---- Single structure -------------------------------------------------------

// Lane i.imm of V[t + s] for s < kSelem; the rest of each register is kept.
template <bool kLoad, unsigned kSelem, unsigned kLog2, bool kWb>
Flow LDST_single(Cpu& c, const Insn& i) {
    using E = Unit<kLog2>;
    if (i.rn == 31 && ls::sp_misaligned(c)) return ls::sp_alignment_fault(c);
    const uint64_t address = c.x_or_sp(i.rn);
    const unsigned index = unsigned(i.imm);
    if constexpr (kLoad) {
        std::array<E, kSelem> e;
        if (!read_elements<kLog2>(c, address, kSelem, e.data())) return Flow::Exception;
        if constexpr (kWb) writeback(c, i, address, kSelem << kLog2);
        for (unsigned s = 0; s < kSelem; ++s)
            vreg(c, (i.rd + s) % 32).set(8u << kLog2, index, e[s]);
    } else {
        std::array<HostRange, kSelem> h;
        if (!translate_elements<kLog2>(c, address, kSelem, h.data())) return Flow::Exception;
        for (unsigned s = 0; s < kSelem; ++s) {
            const E e = E(vreg(c, (i.rd + s) % 32).get(8u << kLog2, index));
            h[s].store(&e);
        }
        if constexpr (kWb) writeback(c, i, address, kSelem << kLog2);
    }
    return Flow::Next;
}

// LD1R-LD4R: element s replicated to every lane of V[t + s] (datasize bits;
// a 64-bit write zeroes the upper half).
template <unsigned kSelem, unsigned kLog2, bool kQ, bool kWb> Flow LDnR(Cpu& c, const Insn& i) {
    using E = Unit<kLog2>;
    if (i.rn == 31 && ls::sp_misaligned(c)) return ls::sp_alignment_fault(c);
    const uint64_t address = c.x_or_sp(i.rn);
    std::array<E, kSelem> e;
    if (!read_elements<kLog2>(c, address, kSelem, e.data())) return Flow::Exception;
    if constexpr (kWb) writeback(c, i, address, kSelem << kLog2);
    constexpr unsigned kElements = (kQ ? 16 : 8) >> kLog2;
    for (unsigned s = 0; s < kSelem; ++s) {
        VReg v;
        for (unsigned lane = 0; lane < kElements; ++lane) v.set(8u << kLog2, lane, e[s]);
        vreg(c, (i.rd + s) % 32) = v;
    }
    return Flow::Next;
}

template <bool kLoad, bool kWb, unsigned kSelem>
constexpr ExecFn kSingle[4] = {
    fp_guarded<LDST_single<kLoad, kSelem, 0, kWb>>, fp_guarded<LDST_single<kLoad, kSelem, 1, kWb>>,
    fp_guarded<LDST_single<kLoad, kSelem, 2, kWb>>, fp_guarded<LDST_single<kLoad, kSelem, 3, kWb>>};
template <bool kLoad, bool kWb>
constexpr const ExecFn* kSingleSelem[4] = {kSingle<kLoad, kWb, 1>, kSingle<kLoad, kWb, 2>,
                                           kSingle<kLoad, kWb, 3>, kSingle<kLoad, kWb, 4>};

template <bool kWb, unsigned kSelem, unsigned kLog2>
constexpr ExecFn kReplQ[2] = {fp_guarded<LDnR<kSelem, kLog2, false, kWb>>,
                              fp_guarded<LDnR<kSelem, kLog2, true, kWb>>};
template <bool kWb, unsigned kSelem>
constexpr const ExecFn* kReplSize[4] = {kReplQ<kWb, kSelem, 0>, kReplQ<kWb, kSelem, 1>,
                                        kReplQ<kWb, kSelem, 2>, kReplQ<kWb, kSelem, 3>};
template <bool kWb>
constexpr const ExecFn* const* kRepl[4] = {kReplSize<kWb, 1>, kReplSize<kWb, 2>, kReplSize<kWb, 3>,
                                           kReplSize<kWb, 4>};

// The element (log2 of its bytes) and lane of a single-structure access.
struct Lane {
    unsigned log2, index;
};

// From opcode<2:1> (0 B, 1 H, 2 S or D), Q, S and size, as the shared decode
// of LD1 (single structure)... does; nullopt for a reserved combination.
std::optional<Lane> single_lane(const LsStructFields& f) {
    switch (f.opcode >> 1) {
    case 0: return Lane{0, f.q << 3 | f.s << 2 | f.size};
    case 1:
        if (f.size & 1) return std::nullopt;
        return Lane{1, f.q << 2 | f.s << 1 | f.size >> 1};
    default:
        if (f.size & 2) return std::nullopt;
        if (!(f.size & 1)) return Lane{2, f.q << 1 | f.s};
        if (f.s) return std::nullopt;
        return Lane{3, f.q};
    }
}

template <bool kWb> void decode_single(const LsStructFields& f, Insn& out) {
    const unsigned selem_index = (f.opcode & 1) << 1 | f.r;  // selem - 1
    out.rd = uint8_t(f.rt);
    out.rn = uint8_t(f.rn);
    out.rm = uint8_t(f.rm);
    if (f.opcode >> 1 == 3) {  // load and replicate: scale = size
        if (f.l && !f.s) out.exec = kRepl<kWb>[selem_index][f.size][f.q];
        return;
    }
    const std::optional<Lane> lane = single_lane(f);
    if (!lane) return;
    out.imm = lane->index;
    out.exec = f.l ? kSingleSelem<true, kWb>[selem_index][lane->log2]
                   : kSingleSelem<false, kWb>[selem_index][lane->log2];
}

}  // namespace

void decode_vec_multiple(const LsStructFields& f, Insn& out) { decode_multiple<false>(f, out); }
void decode_vec_multiple_post(const LsStructFields& f, Insn& out) { decode_multiple<true>(f, out); }
void decode_vec_single(const LsStructFields& f, Insn& out) { decode_single<false>(f, out); }
void decode_vec_single_post(const LsStructFields& f, Insn& out) { decode_single<true>(f, out); }

}  // namespace cpu::simd
