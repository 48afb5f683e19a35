// The GICv3 virtual CPU interface (see gic_cpuif.h). Facts from IHI 0069
// (GICv3/v4 architecture specification): "Virtual CPU interface", the
// ICV_*_EL1 and ICH_*_EL2 register descriptions, and the priority-grouping
// and preemption rules of "Interrupt prioritization".
#include "cpu/gic_cpuif.h"

#include <algorithm>
#include <bit>

namespace cpu::gic {

namespace {

// 5 preemption bits: the group priority is at most [7:3], so BPR0 >= 2.
constexpr unsigned kMinBpr0 = 2;
constexpr unsigned kMinBpr1 = kMinBpr0 + 1;
constexpr uint32_t kIdlePriority = 0xFF;
constexpr uint32_t kFirstLpi = 8192;

LrState lr_state(uint64_t v) { return LrState(v >> lr::kStateShift); }
void set_lr_state(uint64_t& v, LrState st) {
    v = (v & ~(3ull << lr::kStateShift)) | uint64_t(st) << lr::kStateShift;
}
unsigned lr_group(uint64_t v) { return (v & lr::kGroup) ? 1 : 0; }
uint32_t lr_priority(uint64_t v) { return (v >> lr::kPriorityShift) & kPriorityMask; }
uint32_t lr_vintid(uint64_t v) { return uint32_t(v & lr::kVintid); }

bool group_enabled(const IchRegs& r, unsigned g) {
    return r.vmcr & (g ? vmcr::kVENG1 : vmcr::kVENG0);
}
uint32_t vpmr(const IchRegs& r) { return (r.vmcr >> vmcr::kVPMRShift) & kPriorityMask; }
unsigned vbpr0(const IchRegs& r) { return std::max<unsigned>((r.vmcr >> vmcr::kVBPR0Shift) & 7, kMinBpr0); }
// With VCBPR = 1, ICV_BPR1_EL1 reads BPR0 + 1 (saturated) and BPR0 governs both groups.
unsigned vbpr1(const IchRegs& r) {
    if (r.vmcr & vmcr::kVCBPR) return std::min(vbpr0(r) + 1, 7u);
    return std::max<unsigned>((r.vmcr >> vmcr::kVBPR1Shift) & 7, kMinBpr1);
}

// "Priority grouping": BPR0 = n splits [7:n+1] (group priority) from
// [n:0]; BPR1 = n splits [7:n] from [n-1:0].
uint32_t group_priority(const IchRegs& r, uint32_t prio, unsigned g) {
    const unsigned shift = (g == 0 || (r.vmcr & vmcr::kVCBPR)) ? vbpr0(r) + 1 : vbpr1(r);
    return prio & (0xFFu << shift) & 0xFF;
}

// The active priorities: one bit per group priority >> 3 (32 levels).
uint32_t active_bits(const IchRegs& r) { return uint32_t(r.ap0r0 | r.ap1r0); }
uint32_t running_priority(const IchRegs& r) {
    const uint32_t a = active_bits(r);
    return a ? uint32_t(std::countr_zero(a)) << 3 : kIdlePriority;
}

// The highest-priority pending LR whose group is enabled (ties: the lowest
// LR index), or -1.
int hppi(const IchRegs& r) {
    int best = -1;
    for (unsigned i = 0; i < kListRegs; ++i) {
        const uint64_t v = r.lr[i];
        if (lr_state(v) != LrState::Pending || !group_enabled(r, lr_group(v))) continue;
        if (best < 0 || lr_priority(v) < lr_priority(r.lr[best])) best = int(i);
    }
    return best;
}

// Signalled and acknowledgeable: priority above VPMR and its group priority
// above the running priority (it may preempt).
bool may_preempt(const IchRegs& r, uint64_t v) {
    const uint32_t p = lr_priority(v);
    return p < vpmr(r) && group_priority(r, p, lr_group(v)) < running_priority(r);
}

// The LR holding an active vINTID; deactivation clears its active state (the
// physical one too when HW = 1: the vGIC's job, not modelled here). With no
// such LR, EOIcount counts the deactivation (not for LPIs).
void deactivate(Cpu& c, uint32_t intid) {
    IchRegs& r = c.state().ich;
    for (uint64_t& v : r.lr) {
        const LrState st = lr_state(v);
        if (lr_vintid(v) != intid || (st != LrState::Active && st != LrState::PendingActive))
            continue;
        set_lr_state(v, st == LrState::Active ? LrState::Invalid : LrState::Pending);
        return;
    }
    if (intid >= kFirstLpi) return;
    const uint64_t count = ((r.hcr >> ich_hcr::kEOIcountShift) + 1) & 0x1F;
    r.hcr = (r.hcr & ~(0x1Full << ich_hcr::kEOIcountShift)) | count << ich_hcr::kEOIcountShift;
}

bool special(uint32_t intid) { return intid >= 1020 && intid <= 1023; }

}  // namespace

uint64_t eisr(const State& s) {
    uint64_t bits = 0;
    for (unsigned i = 0; i < kListRegs; ++i) {
        const uint64_t v = s.ich.lr[i];
        if (lr_state(v) == LrState::Invalid && !(v & lr::kHW) && (v & lr::kEoi)) bits |= 1ull << i;
    }
    return bits;
}

uint64_t elrsr(const State& s) {
    uint64_t bits = 0;
    for (unsigned i = 0; i < kListRegs; ++i)
        if (lr_state(s.ich.lr[i]) == LrState::Invalid) bits |= 1ull << i;
    return bits & ~eisr(s);
}

uint64_t misr(const State& s) {
    const IchRegs& r = s.ich;
    unsigned valid = 0, pending = 0;
    for (uint64_t v : r.lr) {
        valid += lr_state(v) != LrState::Invalid;
        pending += lr_state(v) == LrState::Pending;
    }
    const bool g0 = r.vmcr & vmcr::kVENG0, g1 = r.vmcr & vmcr::kVENG1;
    const struct { bool on; uint64_t bit; } rules[] = {
        {eisr(s) != 0, ich_misr::kEOI},
        {(r.hcr & ich_hcr::kUIE) && valid <= 1, ich_misr::kU},
        {(r.hcr & ich_hcr::kLRENPIE) && (r.hcr >> ich_hcr::kEOIcountShift) != 0, ich_misr::kLRENP},
        {(r.hcr & ich_hcr::kNPIE) && pending == 0, ich_misr::kNP},
        {(r.hcr & ich_hcr::kVGrp0EIE) && g0, ich_misr::kVGrp0E},
        {(r.hcr & ich_hcr::kVGrp0DIE) && !g0, ich_misr::kVGrp0D},
        {(r.hcr & ich_hcr::kVGrp1EIE) && g1, ich_misr::kVGrp1E},
        {(r.hcr & ich_hcr::kVGrp1DIE) && !g1, ich_misr::kVGrp1D},
    };
    uint64_t m = 0;
    for (const auto& rule : rules) m |= rule.on ? rule.bit : 0;
    return m;
}

uint64_t pending_lines(const State& s) {
    const IchRegs& r = s.ich;
    if (!(r.hcr & ich_hcr::kEn)) return 0;
    const int i = hppi(r);
    if (i < 0 || !may_preempt(r, r.lr[i])) return 0;
    return lr_group(r.lr[i]) ? hcr::kVI : hcr::kVF;
}

uint64_t iar_peek(const State& s, unsigned g) {
    const int i = hppi(s.ich);
    if (i < 0 || lr_group(s.ich.lr[i]) != g || !may_preempt(s.ich, s.ich.lr[i])) return kSpurious;
    return lr_vintid(s.ich.lr[i]);
}

// Acknowledge: pending -> active, and the group priority becomes active.
uint64_t acknowledge(Cpu& c, unsigned g) {
    const uint64_t intid = iar_peek(c.state(), g);
    if (intid == kSpurious) return intid;
    IchRegs& r = c.state().ich;
    uint64_t& v = r.lr[hppi(r)];
    set_lr_state(v, LrState::Active);
    apr(c.state(), g) |= 1ull << (group_priority(r, lr_priority(v), g) >> 3);
    c.update_ich_lines();
    return intid;
}

// Priority drop: the highest active priority, if it is this group's; then,
// with VEOIM = 0, deactivation. INTIDs 1020-1023 are ignored.
void eoi(Cpu& c, unsigned g, uint64_t v) {
    const uint32_t intid = uint32_t(v & 0xFFFFFF);
    if (special(intid)) return;
    IchRegs& r = c.state().ich;
    const uint32_t a = active_bits(r);
    if (a) {
        const uint64_t bit = 1ull << std::countr_zero(a);
        if (!(apr(c.state(), g) & bit)) return;  // another group's priority: ignored
        apr(c.state(), g) &= ~bit;
    }
    if (!(r.vmcr & vmcr::kVEOIM)) deactivate(c, intid);
    c.update_ich_lines();
}

// With VEOIM = 0 a DIR write is UNPREDICTABLE: ignored.
void dir(Cpu& c, uint64_t v) {
    const uint32_t intid = uint32_t(v & 0xFFFFFF);
    if (special(intid) || !(c.state().ich.vmcr & vmcr::kVEOIM)) return;
    deactivate(c, intid);
    c.update_ich_lines();
}

uint64_t hppir(const State& s, unsigned g) {
    const int i = hppi(s.ich);
    return i < 0 || lr_group(s.ich.lr[i]) != g ? kSpurious : lr_vintid(s.ich.lr[i]);
}

uint64_t rpr(const State& s) { return running_priority(s.ich); }

// ICV_CTLR_EL1: CBPR, EOImode; PRIbits = 4, IDbits = 0, SEIS = 0, A3V = 1.
uint64_t ctlr(const State& s) {
    const uint64_t m = s.ich.vmcr;
    return ((m & vmcr::kVCBPR) ? 1 : 0) | ((m & vmcr::kVEOIM) ? 2 : 0) | 4u << 8 | 1u << 15;
}
void set_ctlr(Cpu& c, uint64_t v) {
    uint64_t& m = c.state().ich.vmcr;
    m = (m & ~(vmcr::kVCBPR | vmcr::kVEOIM)) | ((v & 1) ? vmcr::kVCBPR : 0) |
        ((v & 2) ? vmcr::kVEOIM : 0);
    c.update_ich_lines();
}

uint64_t pmr(const State& s) { return vpmr(s.ich); }
void set_pmr(Cpu& c, uint64_t v) {
    uint64_t& m = c.state().ich.vmcr;
    m = (m & ~(0xFFull << vmcr::kVPMRShift)) | (v & kPriorityMask) << vmcr::kVPMRShift;
    c.update_ich_lines();
}

uint64_t bpr(const State& s, unsigned g) { return g ? vbpr1(s.ich) : vbpr0(s.ich); }
// Values below the minimum read back as the minimum; with VCBPR = 1 BPR1
// writes are ignored.
void set_bpr(Cpu& c, unsigned g, uint64_t v) {
    uint64_t& m = c.state().ich.vmcr;
    if (g == 1 && (m & vmcr::kVCBPR)) return;
    const unsigned shift = g ? vmcr::kVBPR1Shift : vmcr::kVBPR0Shift;
    const uint64_t b = std::max<uint64_t>(v & 7, g ? kMinBpr1 : kMinBpr0);
    m = (m & ~(7ull << shift)) | b << shift;
    c.update_ich_lines();
}

uint64_t igrpen(const State& s, unsigned g) { return group_enabled(s.ich, g) ? 1 : 0; }
void set_igrpen(Cpu& c, unsigned g, uint64_t v) {
    uint64_t& m = c.state().ich.vmcr;
    const uint64_t bit = g ? vmcr::kVENG1 : vmcr::kVENG0;
    m = (v & 1) ? m | bit : m & ~bit;
    c.update_ich_lines();
}

uint64_t& apr(State& s, unsigned g) { return g ? s.ich.ap1r0 : s.ich.ap0r0; }
void set_apr(Cpu& c, unsigned g, uint64_t v) {
    apr(c.state(), g) = v & 0xFFFFFFFF;
    c.update_ich_lines();
}

}  // namespace cpu::gic

namespace cpu {

void Cpu::update_ich_lines() {
    ich_lines_ = gic::pending_lines(s_);
    end_block_ = true;  // a newly signalled interrupt is taken before the next instruction
    const bool m = maintenance_line();
    if (m && !maintenance_level_) attention_ |= kMaintenance;
    maintenance_level_ = m;
}

bool Cpu::maintenance_line() const {
    return (s_.ich.hcr & gic::ich_hcr::kEn) && gic::misr(s_) != 0;
}

}  // namespace cpu
