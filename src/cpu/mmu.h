// Stage-1 translation for the EL1&0 regime and its TLB (ARM ARM DDI 0487
// K.a, D8 "The AArch64 Virtual Memory System Architecture"; ASL
// AArch64.S1Translate, AArch64.S1Walk, AArch64.S1CheckPermissions).
//
// The TLB caches completed walks only (leaf entries with AF = 1), one entry
// per 4 KiB piece of a page or block, tagged with the ASID unless nG = 0.
// Only TLBI empties it: changing a descriptor, TTBR, TCR or MAIR without
// TLBI leaves stale entries, as hardware may. Permissions and attributes are
// evaluated at each use from the cached descriptor fields, so a cached entry
// still raises its Permission fault.
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <optional>

#include "cpu/fast_tlb.h"
#include "cpu/features.h"
#include "cpu/memory.h"
#include "cpu/state.h"

namespace cpu {

enum class S1Access : uint8_t { Read, Write, Fetch };

// One cached translation of a 4 KiB VA piece.
struct TlbEntry {
    uint64_t va = ~0ull;   // VA of the piece, bits [63:56] = bit 55; ~0 = empty
    uint64_t ipa = 0;      // output address of the piece
    uint64_t leaf_va = 0;  // VA of the whole page or block (TLBI by VA)
    uint16_t asid = 0;
    bool global = false;   // nG = 0
    uint8_t leaf_shift = 12;  // log2 of the page or block size
    uint8_t level = 3;        // lookup level of the leaf (Permission fault level)
    uint8_t ap = 0;           // AP[2:1] after APTable
    uint8_t attrindx = 0;
    uint8_t sh = 0;
    bool uxn = false, pxn = false;  // after UXNTable/PXNTable
};

// The architectural TLB, and the fast path's view of it (fast_tlb.h): a
// slot that changes here empties the same slot there.
class Tlb {
public:
    static constexpr unsigned kEntries = FastTlb::kEntries;
    const TlbEntry* lookup(uint64_t va, uint16_t asid) const {
        const TlbEntry& e = e_[FastTlb::slot(va)];
        return e.va == (va & ~0xFFFull) && (e.global || e.asid == asid) ? &e : nullptr;
    }
    const TlbEntry& insert(const TlbEntry& e) {
        const unsigned i = FastTlb::slot(e.va);
        fast_.clear_slot(i);
        if (e.leaf_shift > kRegionShift) huge_blocks_ = true;
        else if (e.leaf_shift > 12) block_regions_.set(region(e.leaf_va));
        return e_[i] = e;
    }
    // TLBI VMALLE1: every entry of the EL1&0 regime.
    void invalidate_all();
    // TLBI VAE1/VALE1 (all_asids = false) and VAAE1/VAALE1 (true): entries
    // whose page or block holds va (bits [63:56] as bit 55).
    void invalidate_va(uint64_t va, bool all_asids, uint16_t asid);
    // TLBI ASIDE1: non-global entries of the ASID.
    void invalidate_asid(uint16_t asid);

    FastTlb& fast() { return fast_; }
    const FastTlb& fast() const { return fast_; }

private:
    void clear(unsigned i);

    // A page's one piece is at its VA's slot, a block's pieces at any: TLBI
    // by VA looks at every slot only where a block may hold the VA. The 2
    // MiB regions (folded into 4096 bits) that blocks of up to 2 MiB were
    // cached in, and whether a bigger one was, kept until the whole TLB
    // is invalidated. A kernel's linear map is in blocks; the pages it
    // invalidates one by one (user space, vmalloc) are mostly elsewhere.
    static constexpr unsigned kRegionShift = 21;
    static size_t region(uint64_t va) { return (va >> kRegionShift) % 4096; }

    std::array<TlbEntry, kEntries> e_{};
    std::bitset<4096> block_regions_;
    bool huge_blocks_ = false;
    FastTlb fast_;
};

// The result of a stage-1 translation: ok, or a fault the translation
// recorded in the caller's Fault. 16 bytes, so it returns in registers (the
// MMU-on data path calls it for every access).
struct S1Result {
    uint64_t ipa = 0;
    uint8_t attr = 0;  // the MAIR_EL1 attribute byte
    uint8_t sh = 0;    // SH[1:0] of the descriptor
    bool ok = false;
    bool device() const { return (attr & 0xF0) == 0; }
};

// An access to translate: the VA, what it does, and with which privilege
// (el0 = EL0 permissions: an access from EL0, LDTR/STTR, AT S1E0*).
struct S1Request {
    uint64_t va = 0;
    S1Access acc = S1Access::Read;
    bool el0 = false;
    bool aligned = true;  // false: an unaligned data access (Device faults)
    AccessDesc desc;      // for the syndrome of a fault
};

// Whether stage 1 of the EL1&0 regime is on: SCTLR_EL1.M, which behaves as
// 0 while HCR_EL2.TGE = 1 (D24.2.175).
inline bool s1_enabled(const State& s) {
    constexpr uint64_t kM = 1;
    return (s.el1.sctlr & kM) && !(s.el2.hcr & hcr::kTGE);
}

// The ASID that tags lookups now: TTBR1_EL1 or TTBR0_EL1 by TCR_EL1.A1,
// 8 or 16 bits by TCR_EL1.AS. Inline: every run() compares it (Cpu::sync_fast_tlb).
inline uint16_t current_asid(const El1Regs& r) {
    const uint64_t asid = ((r.tcr >> 22) & 1 ? r.ttbr1 : r.ttbr0) >> 48;  // TCR_EL1.A1
    return uint16_t((r.tcr >> 36) & 1 ? asid : asid & 0xFF);            // TCR_EL1.AS
}

// AArch64.S1Translate for the EL1&0 regime: the TLB, or a walk whose result
// it caches, then the alignment and permission checks. A result that is
// not ok left its fault in f: a stage-1 fault, or a stage-2 fault on a
// descriptor read (s1ptw). Nothing is thrown: the caller raises or reports
// the fault.
[[nodiscard]] S1Result s1_translate(const State& s, const Features& pe, const Stage2& s2,
                                    Tlb& tlb, const S1Request& req, Fault& f);

// A debugger's look at the EL1&0 regime (what AT S1E1R computes, as
// AArch64.S1Translate with the TLB bypassed): the IPA of va, or nullopt for
// any fault. No side effect: no TLB fill, no PAR_EL1, no exception, no
// Access flag (HAFDBS = 0). Reads the tables as they are now, so it may
// disagree with a stale TLB entry the guest has not invalidated.
std::optional<uint64_t> s1_translate_debug(const State& s, const Features& pe, const Stage2& s2,
                                           uint64_t va);

}  // namespace cpu
