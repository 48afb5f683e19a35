// FEAT_LSE atomics: LDADD/LDCLR/LDEOR/LDSET/LDSMAX/LDSMIN/LDUMAX/LDUMIN and
// SWP (B/H/W/X, all A/L orderings; ST<op> are the aliases with Rt = XZR),
// CAS (B/H/W/X) and CASP (DDI 0487 K.a C6.2; MemAtomic()).
//
// The interpreter runs one PE at a time, so a read followed by a write
// through the memory API is single-copy atomic by construction. The read is
// made with WnR = 0 and the write with WnR = 1, which is the ISS.WnR rule
// for atomics (1 unless a read would have generated the fault). The
// instruction syndrome is never valid (ISV = 0). Atomics need natural
// alignment whatever the memory type (AArch64.CheckAlignment).
// Orderings (A/L) have no observable effect on one PE: the ordered and
// relaxed forms share handlers. Atomics leave the local exclusive monitor
// alone, as plain stores do (docs/architecture-choices.md).
#include <cstring>

#include "arch/bits.h"
#include "cpu/isa/ls_common.h"

namespace cpu::ls {
namespace {

enum class Op : uint8_t { ADD, CLR, EOR, SET, SMAX, SMIN, UMAX, UMIN, SWP };

template <typename T, Op O> constexpr T apply(T old, T s) {
    using S = std::make_signed_t<T>;
    if constexpr (O == Op::ADD) return T(old + s);
    else if constexpr (O == Op::CLR) return T(old & ~s);
    else if constexpr (O == Op::EOR) return T(old ^ s);
    else if constexpr (O == Op::SET) return T(old | s);
    else if constexpr (O == Op::SMAX) return S(old) > S(s) ? old : s;
    else if constexpr (O == Op::SMIN) return S(old) < S(s) ? old : s;
    else if constexpr (O == Op::UMAX) return old > s ? old : s;
    else if constexpr (O == Op::UMIN) return old < s ? old : s;
    else return s;  // SWP
}

template <typename T> constexpr AccessDesc atomic_desc(unsigned rt, bool write) {
    AccessDesc d;
    d.size_log2 = kLog2<T>;
    d.srt = uint8_t(rt);
    d.write = write;
    d.sf = sizeof(T) == 8;
    d.atomic = true;
    return d;
}

// Rs = in.rm is the operand, Rt = in.rd receives the old value (zero-extended).
template <typename T, Op O, bool kSp> Flow LD_op(Cpu& cpu, const Insn& in) {
    if constexpr (kSp)
        if (sp_misaligned(cpu)) return sp_alignment_fault(cpu);
    const uint64_t a = base<kSp>(cpu, in.rn);
    const T s = T(cpu.x(in.rm));
    T old;
    if (!check_aligned(cpu, a, sizeof(T), atomic_desc<T>(in.rd, false)) ||
        !cpu.read<T>(a, atomic_desc<T>(in.rd, false), old) ||
        !cpu.write<T>(a, apply<T, O>(old, s), atomic_desc<T>(in.rd, true)))
        return Flow::Exception;
    cpu.set_x(in.rd, old);
    return Flow::Next;
}

// CAS: Rs = in.rm holds the compare value and receives the old value, Rt =
// in.rd the new value. For permission checking every Compare and Swap is a
// load and a store (C3.2 "Compare and Swap"), so the location is translated
// for writing whether or not the compare succeeds; a failed compare then
// writes nothing.
template <typename T, bool kSp> Flow CAS(Cpu& cpu, const Insn& in) {
    if constexpr (kSp)
        if (sp_misaligned(cpu)) return sp_alignment_fault(cpu);
    const uint64_t a = base<kSp>(cpu, in.rn);
    const T expected = T(cpu.x(in.rm)), desired = T(cpu.x(in.rd));
    T old;
    uint8_t* p;
    if (!check_aligned(cpu, a, sizeof(T), atomic_desc<T>(in.rd, false)) ||
        !cpu.read<T>(a, atomic_desc<T>(in.rd, false), old) ||
        !(p = cpu.translate(a, sizeof(T), atomic_desc<T>(in.rd, true))))
        return Flow::Exception;
    if (old == expected) std::memcpy(p, &desired, sizeof(T));
    cpu.set_x(in.rm, old);
    return Flow::Next;
}

// CASP: <Rs, Rs+1> compared with the pair at [Xn] (little-endian: Rs is the
// lower address), <Rt, Rt+1> stored; aligned to the pair size. Rs = 30 or
// Rt = 30 makes the second register XZR. A 64-bit pair is two 64-bit
// accesses; both are translated for writing, as for CAS, before either is
// written and whatever the compare gives.
template <typename T, bool kSp> Flow CASP(Cpu& cpu, const Insn& in) {
    if constexpr (kSp)
        if (sp_misaligned(cpu)) return sp_alignment_fault(cpu);
    const uint64_t a = base<kSp>(cpu, in.rn);
    const T s1 = T(cpu.x(in.rm)), s2 = T(cpu.x(in.rm + 1u));
    const T t1 = T(cpu.x(in.rd)), t2 = T(cpu.x(in.rd + 1u));
    const AccessDesc rd = atomic_desc<uint64_t>(in.rd, false);
    const AccessDesc wr = atomic_desc<uint64_t>(in.rd, true);
    if (!check_aligned(cpu, a, 2 * sizeof(T), rd)) return Flow::Exception;
    T o1, o2;
    if constexpr (sizeof(T) == 4) {
        uint64_t v;
        uint8_t* p;
        if (!cpu.read<uint64_t>(a, rd, v) || !(p = cpu.translate(a, 8, wr))) return Flow::Exception;
        o1 = T(v);
        o2 = T(v >> 32);
        const uint64_t t = uint64_t(t1) | (uint64_t(t2) << 32);
        if (o1 == s1 && o2 == s2) std::memcpy(p, &t, 8);
    } else {
        uint8_t *p1, *p2;
        if (!cpu.read<uint64_t>(a, rd, o1) || !cpu.read<uint64_t>(a + 8, rd, o2) ||
            !(p1 = cpu.translate(a, 8, wr)) || !(p2 = cpu.translate(a + 8, 8, wr)))
            return Flow::Exception;
        if (o1 == s1 && o2 == s2) {
            std::memcpy(p1, &t1, 8);
            std::memcpy(p2, &t2, 8);
        }
    }
    cpu.set_x(in.rm, o1);
    cpu.set_x(in.rm + 1u, o2);
    return Flow::Next;
}

template <Op O, bool kSp> constexpr ExecFn kOpBySize[4] = {
    LD_op<uint8_t, O, kSp>, LD_op<uint16_t, O, kSp>, LD_op<uint32_t, O, kSp>,
    LD_op<uint64_t, O, kSp>};

// [o3:opc] -> handler row; o3 = 1 with opc != 000 is not an LD<op>/SWP.
template <bool kSp> constexpr const ExecFn* kAtomic[16] = {
    kOpBySize<Op::ADD, kSp>,  kOpBySize<Op::CLR, kSp>,  kOpBySize<Op::EOR, kSp>,
    kOpBySize<Op::SET, kSp>,  kOpBySize<Op::SMAX, kSp>, kOpBySize<Op::SMIN, kSp>,
    kOpBySize<Op::UMAX, kSp>, kOpBySize<Op::UMIN, kSp>, kOpBySize<Op::SWP, kSp>,
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};

template <bool kSp> constexpr ExecFn kCas[4] = {CAS<uint8_t, kSp>, CAS<uint16_t, kSp>,
                                                CAS<uint32_t, kSp>, CAS<uint64_t, kSp>};
template <bool kSp> constexpr ExecFn kCasp[2] = {CASP<uint32_t, kSp>, CASP<uint64_t, kSp>};

void atomic_fields(const LsAtomicFields& f, Insn& out) {
    out.rd = uint8_t(f.rt);
    out.rn = uint8_t(f.rn);
    out.rm = uint8_t(f.rs);
}

}  // namespace

// Atomic memory operations: size 111 0 00 A R 1 Rs o3 opc 00 Rn Rt.
void decode_ls_atomic(const LsAtomicFields& f, Insn& out) {
    atomic_fields(f, out);
    const ExecFn* row = out.rn == 31 ? kAtomic<true>[f.sel] : kAtomic<false>[f.sel];
    if (row) out.exec = row[f.size];
}

void decode_ls_cas(const LsAtomicFields& f, Insn& out) {
    atomic_fields(f, out);
    out.exec = out.rn == 31 ? kCas<true>[f.size] : kCas<false>[f.size];
}

// size is the pattern's sz, bit 30. Rs and Rt must be even (odd is
// UNDEFINED).
void decode_ls_casp(const LsAtomicFields& f, Insn& out) {
    atomic_fields(f, out);
    if ((out.rm & 1) || (out.rd & 1)) return;
    out.exec = out.rn == 31 ? kCasp<true>[f.size] : kCasp<false>[f.size];
}

}  // namespace cpu::ls
