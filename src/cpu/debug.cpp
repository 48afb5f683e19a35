// Self-hosted debug matching (see debug.h). The CONSTRAINED UNPREDICTABLE
// choices made here are listed in docs/architecture-choices.md, "CPU: debug".
#include "cpu/debug.h"

#include "arch/bits.h"
#include "cpu/sysregs.h"

namespace cpu::debug {

namespace {

// DBGBCR<n>_EL1 / DBGWCR<n>_EL1 fields (D24.3.x).
struct Ctrl {
    uint64_t v;
    bool e() const { return v & 1; }
    unsigned pxc() const { return (v >> 1) & 3; }  // PMC / PAC
    bool hmc() const { return (v >> 13) & 1; }
    unsigned ssc() const { return (v >> 14) & 3; }
    unsigned lbn() const { return (v >> 16) & 0xF; }
    unsigned bt() const { return (v >> 20) & 0xF; }         // DBGBCR only
    unsigned lsc() const { return (v >> 3) & 3; }           // DBGWCR only
    unsigned wbas() const { return (v >> 5) & 0xFF; }       // DBGWCR only
    bool wt() const { return (v >> 20) & 1; }               // DBGWCR only
    unsigned mask() const { return (v >> 24) & 0x1F; }      // DBGWCR only
};

// DebugAddrTop without FEAT_LVA: address bits [48:2] take part in a match
// (DBGBVR/DBGWVR bits [63:49] are RESS and not compared).
constexpr unsigned kAddrTop = 48;
bool addr_eq(uint64_t a, uint64_t b, unsigned lsb) {
    return ((a ^ b) & arch::ones(kAddrTop + 1) & ~arch::ones(lsb)) == 0;
}

// The VMID the PE compares in VMID-matching breakpoints: stage 2 is the
// hypervisor's region map, which carries no VMID, so VTTBR_EL2.VMID is 0.
constexpr uint64_t kVmid = 0;

bool context_aware(unsigned n) { return n >= kFirstContextAware && n < kBreakpoints; }

// AArch64.ReservedBreakpointType for a PE with EL2, without FEAT_ABLE,
// FEAT_BWE, FEAT_VHE, FEAT_Debugv8p2 and AArch32: valid types are address
// match (0b000x) on every breakpoint and context ID / VMID matches
// (0b001x, 0b10xx) on context-aware ones. A reserved type behaves as
// disabled (one of the two permitted behaviours).
bool reserved_type(unsigned n, unsigned bt) {
    if (bt <= 1) return false;
    const bool ctx = bt == 2 || bt == 3 || (bt >= 8 && bt <= 11);
    return !(ctx && context_aware(n));
}

// AArch64.BreakpointValueMatch(n, pc, linked_to): a reserved n or type
// gives no match.
bool breakpoint_value_match(const State& s, unsigned n, uint64_t pc, bool linked_to) {
    if (n >= kBreakpoints) return false;
    const Ctrl c{s.el1.dbgbcr[n]};
    const uint64_t bvr = s.el1.dbgbvr[n];
    if (!c.e() || reserved_type(n, c.bt())) return false;
    const unsigned bt = c.bt();
    const bool linking_enabled = bt == 3 || bt == 9 || bt == 11;
    if (linked_to != linking_enabled) return false;
    const bool match_addr = bt <= 1;
    const bool match_cid = bt == 2 || bt == 3 || bt == 10 || bt == 11;
    const bool match_vmid = bt >= 8;
    // BAS is RES1 for A64-only PEs (no T32 halfword matching).
    bool bvr_match = true;
    if (match_addr) bvr_match = addr_eq(pc, bvr, 2);
    else if (match_cid)
        bvr_match = s.pstate.el <= 1 && uint32_t(s.el1.contextidr) == uint32_t(bvr);
    const bool bxvr_match = !match_vmid || ((bvr >> 32) & 0xFF) == kVmid;
    return bvr_match && bxvr_match;
}

// AArch64.StateMatch for a Non-secure PE without EL3 and accesses from EL0
// or EL1 (el = the access's EL: PSTATE.EL, or EL0 for LDTR/STTR).
// Reserved SSC/HMC/PxC combinations match nothing at EL0/EL1, which is
// the "disabled" choice of CheckValidStateMatch.
bool state_match(const State& s, Ctrl c, bool linked, unsigned el) {
    const bool priv = el == 0 ? (c.pxc() & 2) : (c.pxc() & 1);
    bool ss;
    switch (c.ssc()) {
    case 0: case 1: ss = true; break;  // any / Non-secure
    case 2: ss = false; break;         // Secure only
    default: ss = c.hmc(); break;
    }
    if (!linked) return priv && ss;
    // Linking to a breakpoint that is not context-aware: treated as disabled.
    if (!context_aware(c.lbn())) return false;
    return priv && ss && breakpoint_value_match(s, c.lbn(), s.pc, true);
}

// AArch64.BreakpointMatch(n, pc).
bool breakpoint_match(const State& s, unsigned n, uint64_t pc) {
    const Ctrl c{s.el1.dbgbcr[n]};
    if (!c.e()) return false;
    const unsigned bt = c.bt();
    if (bt == 3 || bt == 7 || (bt & 9) == 9) return false;  // linking enabled: never alone
    const bool linked = bt == 1 || bt == 5;
    return state_match(s, c, linked, s.pstate.el) && breakpoint_value_match(s, n, pc, false);
}

// BAS is contiguous when adding its lowest set bit carries out of the top
// of the run (the ASL's LSB/MSB test, in 8-bit arithmetic).
bool bas_contiguous(unsigned bas) {
    const uint8_t lsb = uint8_t(bas & (0u - bas));
    const uint8_t msb = uint8_t(bas + lsb);
    return (msb & uint8_t(msb - 1)) == 0;
}

// AArch64.WatchpointByteMatch(n, va).
bool watchpoint_byte_match(const State& s, unsigned n, uint64_t va) {
    const Ctrl c{s.el1.dbgwcr[n]};
    const uint64_t wvr = s.el1.dbgwvr[n];
    unsigned bottom = (wvr & 4) ? 2 : 3;  // word- or doubleword-aligned DBGWVR
    const unsigned bas = c.wbas();
    const unsigned mask = c.mask();
    bool byte_select = (bas >> (va & arch::ones(bottom))) & 1;
    if (mask > 0 && bas != 0xFF) {
        byte_select = true;  // Unpredictable_WPMASKANDBAS: BAS is ignored
    } else if (!bas_contiguous(bas)) {
        byte_select = true;  // Unpredictable_WPBASCONTIGUOUS: the whole doubleword
        bottom = 3;
    }
    if (mask == 1 || mask == 2) return false;  // Unpredictable_RESWPMASK: disabled
    // Unpredictable_WPMASKEDBITS: non-zero masked DBGWVR bits are ignored.
    const unsigned lsb = mask > bottom ? mask : bottom;
    return byte_select && addr_eq(va, wvr, lsb);
}

// AArch64.WatchpointMatch(n, va, size, access) without the byte loop: the
// controls that do not depend on the address. An atomic read-modify-write
// is both a load and a store.
bool watchpoint_armed_for(const State& s, unsigned n, const AccessDesc& a) {
    const Ctrl c{s.el1.dbgwcr[n]};
    if (!c.e()) return false;
    const bool load = !a.write || a.atomic;
    const bool store = a.write || a.atomic;
    if (!((load && (c.lsc() & 1)) || (store && (c.lsc() & 2)))) return false;
    const unsigned el = a.unpriv ? 0 : s.pstate.el;
    return state_match(s, c, c.wt(), el);
}

}  // namespace

bool breakpoint_hit(const State& s, uint64_t pc) {
    if (!(s.el1.mdscr & mdscr::kMDE) || !enabled(s)) return false;
    for (unsigned n = 0; n < kBreakpoints; ++n)
        if (breakpoint_match(s, n, pc)) return true;
    return false;
}

std::optional<uint64_t> watchpoint_hit(const State& s, uint64_t va, unsigned size,
                                       const AccessDesc& a) {
    if (!(s.el1.mdscr & mdscr::kMDE) || !enabled(s)) return std::nullopt;
    bool armed[kWatchpoints];
    for (unsigned n = 0; n < kWatchpoints; ++n) armed[n] = watchpoint_armed_for(s, n, a);
    for (unsigned b = 0; b < size; ++b)
        for (unsigned n = 0; n < kWatchpoints; ++n)
            if (armed[n] && watchpoint_byte_match(s, n, va + b)) return va + b;
    return std::nullopt;
}

bool insn_checks_armed(const State& s) {
    if (s.el1.oslk) return false;
    if (s.el1.mdscr & mdscr::kSS) return true;
    if (!(s.el1.mdscr & mdscr::kMDE)) return false;
    for (unsigned n = 0; n < kBreakpoints; ++n)
        if (s.el1.dbgbcr[n] & 1) return true;
    return false;
}

bool data_checks_armed(const State& s) {
    if (s.el1.oslk || !(s.el1.mdscr & mdscr::kMDE)) return false;
    for (unsigned n = 0; n < kWatchpoints; ++n)
        if (s.el1.dbgwcr[n] & 1) return true;
    return false;
}

}  // namespace cpu::debug
