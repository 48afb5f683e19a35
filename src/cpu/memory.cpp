// Data address translation for the EL1&0 regime, stage 2, and the record of
// which guest memory holds decoded code.
#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "arch/bits.h"
#include "cpu/cpu.h"

namespace cpu {

namespace {
constexpr uint64_t kPageShift = 12;
constexpr uint64_t kPageSize = 1ull << kPageShift;

// The 64-byte lines of [ipa, ipa+size) within the page holding ipa.
uint64_t line_bits(uint64_t ipa, uint64_t size) {
    const unsigned first = (ipa & (kPageSize - 1)) >> 6;
    const unsigned last = std::min<uint64_t>((ipa & (kPageSize - 1)) + size - 1, kPageSize - 1) >> 6;
    const unsigned n = last - first + 1;
    return (n >= 64 ? ~0ull : ((1ull << n) - 1)) << first;
}

// Visits each page-sized piece of [ipa, ipa+size) inside r.
template <typename F> bool any_page(const Stage2Region* r, uint64_t ipa, uint64_t size, F f) {
    const uint64_t end = std::min(ipa + size, r->ipa + r->size);
    for (uint64_t a = std::max(ipa, r->ipa); a < end; a = (a & ~(kPageSize - 1)) + kPageSize) {
        const uint64_t piece = std::min(end, (a & ~(kPageSize - 1)) + kPageSize) - a;
        if (f((a - r->ipa) >> kPageShift, line_bits(a, piece))) return true;
    }
    return false;
}
}  // namespace

void Stage2::Free::operator()(uint64_t* p) const { std::free(p); }

void Stage2::set_regions(std::vector<Stage2Region> regions) {
    std::sort(regions.begin(), regions.end(),
              [](const Stage2Region& a, const Stage2Region& b) { return a.ipa < b.ipa; });
    if (regions == regions_) return;
    regions_ = std::move(regions);
    code_->by_region.clear();
    code_->by_region.resize(regions_.size());
    last_ = nullptr;
    ++generation_;
}

const Stage2Region* Stage2::lookup_slow(uint64_t ipa, uint64_t size) const {
    for (const auto& r : regions_) {
        if (r.contains(ipa, size)) {
            last_ = &r;
            return &r;
        }
    }
    return nullptr;
}

void Stage2::mark_code(const Stage2Region* r, uint64_t ipa, uint64_t size) {
    auto& lines = code_->by_region[size_t(r - regions_.data())];
    if (!lines) {
        // calloc of a large array maps zero pages lazily: RAM that never
        // holds code costs nothing.
        lines.reset(static_cast<uint64_t*>(std::calloc((r->size + kPageSize - 1) >> kPageShift, 8)));
        if (!lines) throw std::bad_alloc();
    }
    any_page(r, ipa, size, [&](uint64_t page, uint64_t bits) {
        lines[page] |= bits;
        return false;
    });
}

bool Stage2::holds_code(const Stage2Region* r, uint64_t ipa, uint64_t size) const {
    const uint64_t* lines = code_->by_region[size_t(r - regions_.data())].get();
    return lines && any_page(r, ipa, size,
                             [&](uint64_t page, uint64_t bits) { return (lines[page] & bits) != 0; });
}

void Stage2::clear_written_code(const Stage2Region* r, uint64_t ipa, uint64_t size,
                                const std::function<void(uint64_t)>& f) {
    uint64_t* lines = code_->by_region[size_t(r - regions_.data())].get();
    if (!lines) return;
    any_page(r, ipa, size, [&](uint64_t page, uint64_t bits) {
        if (lines[page] & bits) {
            lines[page] = 0;
            f(r->ipa + (page << kPageShift));
        }
        return false;
    });
}

void Stage2::clear_code() {
    for (auto& lines : code_->by_region) lines.reset();
}


namespace {
constexpr uint64_t kSctlrA = 1ull << 1;  // SCTLR_EL1.A: alignment check enable

Fault data_fault(FaultKind kind, uint8_t stage, uint8_t level, uint64_t va, uint64_t ipa,
                 const AccessDesc& a) {
    Fault f;
    f.kind = kind;
    f.stage = stage;
    f.level = level;
    f.va = va;
    f.ipa = ipa;
    f.access = a;
    return f;
}
}  // namespace

// The general path, taken when the inline fast path in access.h declines:
// MMU on, unaligned, outside the last region, read-only, or a page with code.
// With stage 1 off (SCTLR_EL1.M = 0), VA = IPA and data accesses are
// Device-nGnRnE, so any unaligned data access is an Alignment fault
// (D8.2.11 "The effects of disabling an address translation stage").
// With stage 1 on, SCTLR_EL1.A = 1 faults every unaligned access before
// translation (AArch64.CheckAlignment); otherwise only Device memory does,
// after the walk. An unaligned access crossing a page translates both pages,
// first page first, and a fault reports the first byte of the faulting page.
[[gnu::always_inline]] inline bool Cpu::translate_pieces(uint64_t va, unsigned size,
                                                         const AccessDesc& a, HostRange& h) {
    const bool aligned = (va & (size - 1)) == 0;
    if (!s1_enabled(s_)) {
        if (!aligned) return raise_fault(data_fault(FaultKind::Alignment, 1, 0, va, va, a));
        // AArch64.S1DisabledOutput: an address above the PA size is an
        // Address size fault at level 0.
        if (va >> features_.pa_bits)
            return raise_fault(data_fault(FaultKind::AddressSize, 1, 0, va, va, a));
        h = {host_piece(va, va, size, a), nullptr, size, size};
        return h.p0 != nullptr;
    }
    if (!aligned && (s_.el1.sctlr & kSctlrA))
        return raise_fault(data_fault(FaultKind::Alignment, 1, 0, va, 0, a));
    const unsigned room = unsigned(kPageSize - (va & (kPageSize - 1)));
    if (size <= room) {
        h = {data_piece(va, size, a, aligned), nullptr, size, size};
        return h.p0 != nullptr;
    }
    uint8_t* p0 = data_piece(va, room, a, false);
    if (!p0) return false;
    uint8_t* p1 = data_piece(va + room, size - room, a, false);
    if (!p1) return false;
    h = {p0, p1, room, size};
    return true;
}

// A watchpoint is checked once the whole access has translated
// (AArch64.TranslateAddress: AArch64.CheckDebug runs only without a fault).
[[gnu::noinline]] bool Cpu::translate_range(uint64_t va, unsigned size, const AccessDesc& a,
                                            HostRange& h) {
    return translate_pieces(va, size, a, h) && check_watchpoint(va, size, a);
}

S1Request Cpu::s1_request(uint64_t va, const AccessDesc& a, bool aligned) const {
    S1Request q;
    q.va = va;
    q.acc = a.write ? S1Access::Write : S1Access::Read;
    q.el0 = s_.pstate.el == 0 || a.unpriv;  // LDTR/STTR check EL0 permissions
    q.aligned = aligned;
    q.desc = a;
    return q;
}

// Stage 1 writes its fault straight into fault_ (no copy on the way out).
uint8_t* Cpu::data_piece(uint64_t va, unsigned n, const AccessDesc& a, bool aligned) {
    const S1Result r =
        s1_translate(s_, features_, stage2_, tlb_, s1_request(va, a, aligned), fault_);
    if (!r.ok) [[unlikely]] {
        fault_pending_ = true;
        return nullptr;
    }
    return host_piece(va, r.ipa, n, a);
}

// Stage 2 of a data access: an IPA outside the map is a stage-2 fault,
// raised, and the piece is null. A piece that passed every check proves the
// same checks for any aligned access of its kind and privilege to its page:
// the fast TLB keeps that, except a store to a page holding code (which must
// take this path and drop the code).
uint8_t* Cpu::host_piece(uint64_t va, uint64_t ipa, unsigned n, const AccessDesc& a) {
    const Stage2Region* r = stage2_.lookup(ipa, n);
    if (!r) [[unlikely]] {
        raise_fault(data_fault(FaultKind::Translation, 2, 3, va, ipa, a));
        return nullptr;
    }
    uint8_t* host = r->host + (ipa - r->ipa);
    const unsigned mode = (s_.pstate.el == 0) | a.unpriv;
    if (a.write) {
        if (!r->writable) [[unlikely]] {
            raise_fault(data_fault(FaultKind::Permission, 2, 3, va, ipa, a));
            return nullptr;
        }
        if (stage2_.page_has_code(r, ipa)) {
            code_written(r, ipa, n);
            return host;
        }
    }
    tlb_.fast().fill_data(mode, va, host, a.write);
    return host;
}

void Cpu::zero_block(uint64_t va, uint64_t ipa, unsigned n, const AccessDesc& a) {
    if (uint8_t* p = host_piece(va, ipa, n, a)) std::memset(p, 0, n);
}

// What a stage-1 result depends on beyond its TLB entry: SCTLR_EL1 (M, A,
// WXN), HCR_EL2.TGE (stage 1 off), TCR_EL1 (TBI, the ASID's size and
// TTBR), the current ASID, MAIR_EL1 (Device or Normal), and stage 2.
void Cpu::sync_fast_tlb() {
    const FastTlbContext now{s_.el1.sctlr, s_.el1.tcr,  s_.el1.mair, s_.el2.hcr & hcr::kTGE,
                             stage2_.generation(), current_asid(s_.el1)};
    if (now == fast_ctx_) return;
    fast_ctx_ = now;
    tlb_.fast().clear();
}

bool Cpu::ipa_of(uint64_t va, const AccessDesc& a, uint64_t& ipa) {
    if (!s1_enabled(s_)) {
        ipa = va;
        return true;
    }
    const S1Result r = s1_translate(s_, features_, stage2_, tlb_, s1_request(va, a, true), fault_);
    if (!r.ok) {
        fault_pending_ = true;
        return false;
    }
    ipa = r.ipa;
    return true;
}

}  // namespace cpu
