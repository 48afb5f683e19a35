// Stage-1 translation of the EL1&0 regime (see mmu.h). Facts: ARM ARM DDI
// 0487 K.a D8.1-D8.5 (translation process, descriptors, permissions, memory
// attributes), D8.16 (TLB maintenance), D24.2 TCR_EL1/TTBRn_EL1/MAIR_EL1.
// Choices the manual leaves open: docs/architecture-choices.md, "Stage 1
// translation".
#include "cpu/mmu.h"

#include <algorithm>
#include <cstring>

#include "arch/bits.h"

namespace cpu {

namespace {

using arch::bit;
using arch::bits;

// Without FEAT_LVA and FEAT_TTST, TnSZ spans 16..39 (48- to 25-bit VAs).
constexpr unsigned kMinTxSz = 16, kMaxTxSz = 39;

// log2 of the granule by TCR_EL1.TG0 and TG1, which encode it differently;
// the reserved encodings (TG1 = 0b00) act as 4 KiB.
constexpr uint8_t kTg0Shift[4] = {12, 16, 14, 12};
constexpr uint8_t kTg1Shift[4] = {12, 14, 12, 16};
constexpr unsigned k16KiB = 14;

// AArch64.S1DecodeTG0/TG1: a granule the PE does not implement (16 KiB
// without FEAT_TGran16K) acts as an IMPLEMENTATION DEFINED implemented one
// for every purpose but the value TCR_EL1 reads back: 4 KiB, as QEMU
// (sanitize_gran_size) chooses.
unsigned implemented_grain(unsigned grain, const Features& pe) {
    return grain == k16KiB && !pe.tgran16 ? 12 : grain;
}
// TCR_EL1.IPS in bits; values above PARange (and the reserved ones) act as
// PARange (AArch64.PhysicalAddressSize).
constexpr uint8_t kIpsBits[8] = {32, 36, 40, 42, 44, 48, kMaxPaBits, kMaxPaBits};

// TCR_EL1 fields for the half of the VA space holding the address
// (AArch64.GetS1TTWParams).
struct WalkParams {
    bool upper;      // TTBR1_EL1: VA bit 55 = 1 (AArch64.GetVARange)
    unsigned txsz;
    unsigned grain;  // log2 of the granule: 12, 14 or 16
    bool epd, tbi;
    unsigned ps;     // output address size
    uint64_t ttbr;
};

WalkParams walk_params(const El1Regs& r, const Features& pe, uint64_t va) {
    const uint64_t tcr = r.tcr;
    WalkParams p;
    p.upper = bit(va, 55);
    const unsigned txsz = unsigned(p.upper ? bits(tcr, 21, 16) : bits(tcr, 5, 0));
    p.txsz = std::clamp(txsz, kMinTxSz, kMaxTxSz);  // Constraint_FORCE (recorded)
    p.grain = implemented_grain(
        p.upper ? kTg1Shift[bits(tcr, 31, 30)] : kTg0Shift[bits(tcr, 15, 14)], pe);
    p.epd = bit(tcr, p.upper ? 23 : 7);
    p.tbi = bit(tcr, p.upper ? 38 : 37);
    p.ps = std::min<unsigned>(kIpsBits[bits(tcr, 34, 32)], pe.pa_bits);
    p.ttbr = p.upper ? r.ttbr1 : r.ttbr0;
    return p;
}

// Records a stage-1 fault of q in f; returns false for the caller to pass on.
[[gnu::cold]] bool s1_fault(Fault& f, const S1Request& q, FaultKind kind, unsigned level) {
    f = Fault{};
    f.kind = kind;
    f.stage = 1;
    f.level = uint8_t(level);
    f.fetch = q.acc == S1Access::Fetch;
    f.va = q.va;
    f.access = q.desc;
    return false;
}

// AArch64.VAIsOutOfRange: the bits between the top of the input range and
// the address top (55 with TBI, else 63) must all equal VA bit 55.
bool va_out_of_range(uint64_t va, const WalkParams& p) {
    const unsigned top = p.tbi ? 55 : 63, inputsize = 64 - p.txsz;
    const uint64_t field = bits(va, top, inputsize);
    return field != (p.upper ? arch::ones(top - inputsize + 1) : 0);
}

// Output address bits above the output size give an Address size fault.
bool oa_out_of_range(uint64_t oa, unsigned ps) { return ps < kMaxPaBits && bits(oa, 47, ps) != 0; }

// A descriptor read goes through stage 2; an IPA outside it is a stage 2
// fault on the stage 1 walk (S1PTW = 1), reported to EL2 with the
// descriptor's IPA. Translation tables are little-endian (SCTLR_EL1.EE = 0).
bool read_descriptor(const Stage2& s2, const S1Request& q, uint64_t ipa, uint64_t& d, Fault& f) {
    const Stage2Region* r = s2.lookup(ipa, 8);
    if (!r) [[unlikely]] {
        f = Fault{};
        f.stage = 2;
        f.level = 3;
        f.s1ptw = true;
        f.fetch = q.acc == S1Access::Fetch;
        f.va = q.va;
        f.ipa = ipa;
        f.access = q.desc;
        return false;
    }
    std::memcpy(&d, r->host + (ipa - r->ipa), 8);
    return true;
}

// Block descriptors exist at level 1 and 2 with 4 KiB, level 2 with 16 and
// 64 KiB (without FEAT_LPA/FEAT_LPA2); elsewhere 0b01 is reserved.
bool block_allowed(unsigned grain, unsigned level) {
    return level == 2 || (grain == 12 && level == 1);
}

// Hierarchical attributes gathered from table descriptors (APTable,
// UXNTable, PXNTable), always honoured: FEAT_HPDS is not advertised.
struct TableAttrs {
    bool no_el0 = false, read_only = false, uxn = false, pxn = false;
    void add(uint64_t d) {
        no_el0 |= bit(d, 61);
        read_only |= bit(d, 62);
        uxn |= bit(d, 60);
        pxn |= bit(d, 59);
    }
};

TlbEntry leaf_entry(uint64_t va, uint64_t d, uint64_t oa, unsigned shift, unsigned level,
                    const TableAttrs& t, uint16_t asid) {
    TlbEntry e;
    e.va = va & ~0xFFFull;
    e.leaf_va = va & ~arch::ones(shift);
    e.ipa = oa | (va & arch::ones(shift) & ~0xFFFull);
    e.leaf_shift = uint8_t(shift);
    e.level = uint8_t(level);
    e.ap = uint8_t(bits(d, 7, 6));  // AP[2:1]
    if (t.read_only) e.ap |= 2;
    if (t.no_el0) e.ap &= 2;
    e.uxn = bit(d, 54) || t.uxn;
    e.pxn = bit(d, 53) || t.pxn;
    e.attrindx = uint8_t(bits(d, 4, 2));
    e.sh = uint8_t(bits(d, 9, 8));
    e.global = !bit(d, 11);
    e.asid = asid;
    return e;
}

// AArch64.S1Walk from the start level, for va (top byte already
// normalised): true with the leaf in e, or false with the fault in f.
// Faults: level-0 Translation for EPD or an out-of-range VA, level-0
// Address size for a TTB beyond the output size, then per level.
bool walk(const State& s, const Features& pe, const Stage2& s2, const S1Request& q, uint64_t va,
          TlbEntry& e, Fault& f) {
    const WalkParams p = walk_params(s.el1, pe, va);
    if (p.epd || va_out_of_range(q.va, p)) return s1_fault(f, q, FaultKind::Translation, 0);
    const unsigned stride = p.grain - 3, inputsize = 64 - p.txsz;
    unsigned level = 4 - (inputsize - p.grain + stride - 1) / stride;
    if (oa_out_of_range(p.ttbr & arch::ones(48), p.ps))
        return s1_fault(f, q, FaultKind::AddressSize, 0);
    // BADDR bits below the start table's size are treated as zero.
    const unsigned low = 3 + inputsize - ((3 - level) * stride + p.grain);
    uint64_t table = bits(p.ttbr, 47, low) << low;
    TableAttrs attrs;
    for (;; ++level) {
        const unsigned shift = p.grain + stride * (3 - level);
        const unsigned n = std::min(stride, inputsize - shift);
        uint64_t d;
        const uint64_t at = table | bits(va, shift + n - 1, shift) << 3;
        if (!read_descriptor(s2, q, at, d, f)) return false;
        const bool type_bit = bit(d, 1);  // table (level < 3) or page (level 3)
        if (!bit(d, 0) || (level == 3 && !type_bit) ||
            (level < 3 && !type_bit && !block_allowed(p.grain, level)))
            return s1_fault(f, q, FaultKind::Translation, level);
        const bool is_table = level < 3 && type_bit;
        const uint64_t oa = bits(d, 47, is_table ? p.grain : shift) << (is_table ? p.grain : shift);
        if (oa_out_of_range(oa, p.ps)) return s1_fault(f, q, FaultKind::AddressSize, level);
        if (is_table) {
            attrs.add(d);
            table = oa;
            continue;
        }
        // Hardware Access flag update is not advertised (HAFDBS = 0).
        if (!bit(d, 10)) return s1_fault(f, q, FaultKind::AccessFlag, level);
        e = leaf_entry(va, d, oa, shift, level, attrs, current_asid(s.el1));
        return true;
    }
}

// AArch64.S1HasPermissionsFault without FEAT_PAN: AP[2:1] gives read and
// write per EL; memory writable at EL0 is never executable at EL1; WXN
// makes writable memory execute-never.
bool permitted(const TlbEntry& e, const S1Request& q, bool wxn) {
    const bool user_r = e.ap & 1, user_w = e.ap == 1, priv_w = !(e.ap & 2);
    switch (q.acc) {
    case S1Access::Read: return !q.el0 || user_r;
    case S1Access::Write: return q.el0 ? user_w : priv_w;
    case S1Access::Fetch:
        return q.el0 ? !(e.uxn || (user_w && wxn)) : !(e.pxn || (priv_w && wxn) || user_w);
    }
    return false;
}

// A TLB miss: walks and caches the leaf. Kept out of line so that
// s1_translate's TLB-hit path carries no walk state in its frame.
[[gnu::noinline]] const TlbEntry* walk_and_fill(const State& s, const Features& pe,
                                                const Stage2& s2, Tlb& tlb, const S1Request& q,
                                                uint64_t va, Fault& f) {
    TlbEntry e;
    if (!walk(s, pe, s2, q, va, e, f)) return nullptr;
    return &tlb.insert(e);
}

}  // namespace

void Tlb::invalidate_all() {
    e_.fill(TlbEntry{});
    block_regions_.reset();
    huge_blocks_ = false;
    fast_.clear();
}

void Tlb::clear(unsigned i) {
    e_[i] = TlbEntry{};
    fast_.clear_slot(i);
}

void Tlb::invalidate_va(uint64_t va, bool all_asids, uint16_t asid) {
    const auto held = [&](const TlbEntry& e) {
        return e.va != ~0ull && e.leaf_va == (va & ~arch::ones(e.leaf_shift)) &&
               (all_asids || e.global || e.asid == asid);
    };
    if (!huge_blocks_ && !block_regions_.test(region(va))) {
        if (const unsigned i = FastTlb::slot(va); held(e_[i])) clear(i);
        return;
    }
    for (unsigned i = 0; i < kEntries; ++i)
        if (held(e_[i])) clear(i);
}

void Tlb::invalidate_asid(uint16_t asid) {
    for (unsigned i = 0; i < kEntries; ++i)
        if (e_[i].va != ~0ull && !e_[i].global && e_[i].asid == asid) clear(i);
}

// AArch64.S1Translate. The alignment fault of Device memory precedes the
// Permission fault (AArch64.S1HasAlignmentFault is checked first).
S1Result s1_translate(const State& s, const Features& pe, const Stage2& s2, Tlb& tlb,
                      const S1Request& q, Fault& f) {
    constexpr uint64_t kWxn = 1ull << 19;  // SCTLR_EL1.WXN
    const El1Regs& r = s.el1;
    const bool tbi = bit(r.tcr, bit(q.va, 55) ? 38 : 37);
    const uint64_t va = tbi ? uint64_t(arch::sign_extend(q.va, 56)) : q.va;
    const TlbEntry* e = tlb.lookup(va, current_asid(r));
    if (!e) [[unlikely]] {
        e = walk_and_fill(s, pe, s2, tlb, q, va, f);
        if (!e) return {};
    }
    const S1Result res{e->ipa | (va & 0xFFF), uint8_t(r.mair >> (8 * e->attrindx)), e->sh, true};
    if (!q.aligned && res.device()) [[unlikely]] {
        s1_fault(f, q, FaultKind::Alignment, 0);
        return {};
    }
    if (!permitted(*e, q, r.sctlr & kWxn)) [[unlikely]] {
        s1_fault(f, q, FaultKind::Permission, e->level);
        return {};
    }
    return res;
}

std::optional<uint64_t> s1_translate_debug(const State& s, const Features& pe, const Stage2& s2,
                                           uint64_t va) {
    // AArch64.S1DisabledOutput: above the PA size is an Address size fault.
    if (!s1_enabled(s)) return va >> pe.pa_bits ? std::nullopt : std::optional(va);
    const El1Regs& r = s.el1;
    const bool tbi = bit(r.tcr, bit(va, 55) ? 38 : 37);
    const uint64_t v = tbi ? uint64_t(arch::sign_extend(va, 56)) : va;
    S1Request q;
    q.va = va;
    TlbEntry e;
    Fault ignored;
    if (!walk(s, pe, s2, q, v, e, ignored)) return std::nullopt;
    return e.ipa | (v & 0xFFF);
}

}  // namespace cpu
