// Exclusives and ordered accesses: LDXR/LDAXR/STXR/STLXR (B/H/W/X),
// LDXP/LDAXP/STXP/STLXP, LDAR/STLR (B/H/W/X) and LDAPR (FEAT_LRCPC)
// (DDI 0487 K.a C6.2; B2.9 "Synchronization and semaphores").
//
// The local exclusive monitor (B2.9.3) is Cpu::monitor(): a Load-Exclusive
// marks [address, address+size) (AArch64.SetExclusiveMonitors), a
// Store-Exclusive passes only if the monitor is in Exclusive Access state and
// its access lies inside the marked range, and every Store-Exclusive returns
// the monitor to Open Access (AArch64.ExclusiveMonitorsPass,
// ClearExclusiveLocal). With one PE and no shareable-memory model the global
// monitor never fails on its own.
//
// Acquire/release ordering has no observable effect on a single interpreted
// PE, so LDAXR and LDXR (and so on) share handlers; the ordering is kept in
// AccessDesc.ar for syndromes.
#include <cstring>

#include "arch/bits.h"
#include "cpu/isa/ls_common.h"

namespace cpu::ls {
namespace {

// The monitor is tagged with the IPA the access translates to
// (AArch64.SetExclusiveMonitors marks the physical address). A
// Store-Exclusive with the monitor open fails without translating (the
// IMPLEMENTATION DEFINED AArch64.IsExclusiveVA check fails first), so it
// never faults beyond the alignment check; otherwise it translates (and may
// fault) before comparing (AArch64.ExclusiveMonitorsPass). Both return
// false with a fault raised.
[[nodiscard]] bool mark_exclusive(Cpu& cpu, uint64_t va, unsigned size, const AccessDesc& d) {
    uint64_t ipa;
    if (!cpu.ipa_of(va, d, ipa)) return false;
    auto& m = cpu.monitor();
    m.open = false;
    m.ipa = ipa;
    m.size = size;
    return true;
}
[[nodiscard]] bool exclusive_pass(Cpu& cpu, uint64_t va, unsigned size, const AccessDesc& d,
                                  bool& pass) {
    pass = false;
    if (cpu.monitor().open) return true;
    uint64_t ipa;
    if (!cpu.ipa_of(va, d, ipa)) return false;
    const auto& m = cpu.monitor();
    pass = ipa >= m.ipa && ipa - m.ipa + size <= m.size;
    return true;
}

template <typename T>
constexpr AccessDesc excl_desc(unsigned rt, bool write, bool ar) {
    AccessDesc d;
    d.size_log2 = kLog2<T>;
    d.srt = uint8_t(rt);
    d.write = write;
    d.sf = sizeof(T) == 8;
    d.ar = ar;
    d.exclusive = true;
    return d;
}

// in.ordered: the acquire (LDAXR) or release (STLXR) forms.
template <typename T, bool kSp> Flow LDXR(Cpu& cpu, const Insn& in) {
    if constexpr (kSp)
        if (sp_misaligned(cpu)) return sp_alignment_fault(cpu);
    const uint64_t a = base<kSp>(cpu, in.rn);
    const AccessDesc d = excl_desc<T>(in.rd, false, in.ordered);
    T v;
    if (!check_aligned(cpu, a, sizeof(T), d) || !cpu.read<T>(a, d, v) ||
        !mark_exclusive(cpu, a, sizeof(T), d))
        return Flow::Exception;
    cpu.set_x(in.rd, v);
    return Flow::Next;
}

// Rs is written last, after Rt and Rn were read: Rs == Rt stores the old Rt
// and Rs == Rn uses the old Rn as address (Constraint_UNKNOWN choices). A
// failing store-exclusive is not translated, so it never faults beyond
// the alignment check (IMPLEMENTATION DEFINED, see ExclusiveMonitorsPass).
template <typename T, bool kSp> Flow STXR(Cpu& cpu, const Insn& in) {
    if constexpr (kSp)
        if (sp_misaligned(cpu)) return sp_alignment_fault(cpu);
    const uint64_t a = base<kSp>(cpu, in.rn);
    const T v = T(cpu.x(in.rd));
    const AccessDesc d = excl_desc<T>(in.rd, true, in.ordered);
    bool pass;
    if (!check_aligned(cpu, a, sizeof(T), d) || !exclusive_pass(cpu, a, sizeof(T), d, pass) ||
        (pass && !cpu.write<T>(a, v, d)))
        return Flow::Exception;
    cpu.monitor().open = true;  // ClearExclusiveLocal
    cpu.set_w(in.rm, pass ? 0 : 1);
    return Flow::Next;
}

// LDXP/LDAXP: a 32-bit pair is one 64-bit access; a 64-bit pair is two
// 64-bit accesses, and the pair must be aligned to its total size.
// With Rt == Rt2 the second element wins (Constraint_UNKNOWN).
template <typename T, bool kSp> Flow LDXP(Cpu& cpu, const Insn& in) {
    if constexpr (kSp)
        if (sp_misaligned(cpu)) return sp_alignment_fault(cpu);
    const uint64_t a = base<kSp>(cpu, in.rn);
    const AccessDesc d = excl_desc<uint64_t>(in.rd, false, in.ordered);
    if (!check_aligned(cpu, a, 2 * sizeof(T), d)) return Flow::Exception;
    uint64_t v1, v2;
    if constexpr (sizeof(T) == 4) {
        uint64_t v;
        if (!cpu.read<uint64_t>(a, d, v)) return Flow::Exception;
        v1 = uint32_t(v);
        v2 = v >> 32;
    } else {
        if (!cpu.read<uint64_t>(a, d, v1) || !cpu.read<uint64_t>(a + 8, d, v2))
            return Flow::Exception;
    }
    if (!mark_exclusive(cpu, a, 2 * sizeof(T), d)) return Flow::Exception;
    cpu.set_x(in.rd, v1);
    cpu.set_x(in.ra, v2);
    return Flow::Next;
}

template <typename T, bool kSp> Flow STXP(Cpu& cpu, const Insn& in) {
    if constexpr (kSp)
        if (sp_misaligned(cpu)) return sp_alignment_fault(cpu);
    const uint64_t a = base<kSp>(cpu, in.rn);
    const uint64_t v1 = T(cpu.x(in.rd)), v2 = T(cpu.x(in.ra));
    const AccessDesc d = excl_desc<uint64_t>(in.rd, true, in.ordered);
    bool pass;
    if (!check_aligned(cpu, a, 2 * sizeof(T), d) ||
        !exclusive_pass(cpu, a, 2 * sizeof(T), d, pass))
        return Flow::Exception;
    if (pass) {
        if constexpr (sizeof(T) == 4) {
            if (!cpu.write<uint64_t>(a, v1 | (v2 << 32), d)) return Flow::Exception;
        } else {
            uint8_t *p1, *p2;
            if (!(p1 = cpu.translate(a, 8, d)) || !(p2 = cpu.translate(a + 8, 8, d)))
                return Flow::Exception;
            std::memcpy(p1, &v1, 8);
            std::memcpy(p2, &v2, 8);
        }
    }
    cpu.monitor().open = true;  // ClearExclusiveLocal
    cpu.set_w(in.rm, pass ? 0 : 1);
    return Flow::Next;
}

// LDAR/LDAPR and STLR: single-register accesses with a valid syndrome
// (ISS.AR = 1); ordered accesses must be aligned (AArch64.CheckAlignment).
template <typename T, bool kSp> Flow LDAR(Cpu& cpu, const Insn& in) {
    if constexpr (kSp)
        if (sp_misaligned(cpu)) return sp_alignment_fault(cpu);
    const uint64_t a = base<kSp>(cpu, in.rn);
    const AccessDesc d = load_desc<T, Ext::Zero>(in.rd, true, false, true);
    T v;
    if (!check_aligned(cpu, a, sizeof(T), d) || !cpu.read<T>(a, d, v)) return Flow::Exception;
    cpu.set_x(in.rd, v);
    return Flow::Next;
}

template <typename T, bool kSp> Flow STLR(Cpu& cpu, const Insn& in) {
    if constexpr (kSp)
        if (sp_misaligned(cpu)) return sp_alignment_fault(cpu);
    const uint64_t a = base<kSp>(cpu, in.rn);
    const AccessDesc d = store_desc<T>(in.rd, true, false, true);
    if (!check_aligned(cpu, a, sizeof(T), d) || !cpu.write<T>(a, T(cpu.x(in.rd)), d))
        return Flow::Exception;
    return Flow::Next;
}

// [size][L] tables for the register forms.
template <bool kSp> constexpr ExecFn kExcl[4][2] = {
    {STXR<uint8_t, kSp>, LDXR<uint8_t, kSp>},
    {STXR<uint16_t, kSp>, LDXR<uint16_t, kSp>},
    {STXR<uint32_t, kSp>, LDXR<uint32_t, kSp>},
    {STXR<uint64_t, kSp>, LDXR<uint64_t, kSp>},
};
template <bool kSp> constexpr ExecFn kExclPair[2][2] = {
    {STXP<uint32_t, kSp>, LDXP<uint32_t, kSp>},
    {STXP<uint64_t, kSp>, LDXP<uint64_t, kSp>},
};
template <bool kSp> constexpr ExecFn kOrdered[4][2] = {
    {STLR<uint8_t, kSp>, LDAR<uint8_t, kSp>},
    {STLR<uint16_t, kSp>, LDAR<uint16_t, kSp>},
    {STLR<uint32_t, kSp>, LDAR<uint32_t, kSp>},
    {STLR<uint64_t, kSp>, LDAR<uint64_t, kSp>},
};

// Rs and Rt2 of the forms that do not use them are should-be-one and are
// ignored (the "behave as if set" choice, docs/architecture-choices.md).
void excl_fields(const LsExclFields& f, Insn& out) {
    out.rd = uint8_t(f.rt);
    out.rn = uint8_t(f.rn);
    out.rm = uint8_t(f.rs);
    out.ra = uint8_t(f.rt2);
    out.ordered = f.o0;
}

}  // namespace

void decode_ls_excl(const LsExclFields& f, Insn& out) {
    excl_fields(f, out);
    out.exec = out.rn == 31 ? kExcl<true>[f.size][f.l] : kExcl<false>[f.size][f.l];
}

// size is the pattern's sz, bit 30: 32- or 64-bit elements.
void decode_ls_excl_pair(const LsExclFields& f, Insn& out) {
    excl_fields(f, out);
    out.exec = out.rn == 31 ? kExclPair<true>[f.size][f.l] : kExclPair<false>[f.size][f.l];
}

void decode_ls_ordered(const LsExclFields& f, Insn& out) {
    excl_fields(f, out);
    out.exec = out.rn == 31 ? kOrdered<true>[f.size][f.l] : kOrdered<false>[f.size][f.l];
}

// LDAPR: Load-AcquirePC is weaker than Load-Acquire; on one PE both are a
// plain aligned load.
void decode_ls_ldapr(const LsAtomicFields& f, Insn& out) {
    out.rd = uint8_t(f.rt);
    out.rn = uint8_t(f.rn);
    out.rm = uint8_t(f.rs);
    out.exec = out.rn == 31 ? kOrdered<true>[f.size][1] : kOrdered<false>[f.size][1];
}

}  // namespace cpu::ls
