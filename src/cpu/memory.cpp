// Data address translation for the EL1&0 regime, stage 2, and the record of
// which guest memory holds decoded code.
#include <algorithm>
#include <cstdlib>

#include "arch/bits.h"
#include "cpu/cpu.h"

namespace cpu {

namespace {
constexpr uint64_t kPageShift = 12;
constexpr uint64_t kPageSize = 1ull << kPageShift;
constexpr unsigned kPaBits = 48;  // ID_AA64MMFR0_EL1.PARange = 0b0101

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
    regions_ = std::move(regions);
    code_.clear();
    code_.resize(regions_.size());
    last_ = nullptr;
    ++generation_;
}

const Stage2Region* Stage2::lookup_slow(uint64_t ipa, uint64_t size) const {
    for (const auto& r : regions_) {
        if (ipa - r.ipa < r.size && size <= r.size - (ipa - r.ipa)) {
            last_ = &r;
            return &r;
        }
    }
    return nullptr;
}

void Stage2::mark_code(const Stage2Region* r, uint64_t ipa, uint64_t size) {
    auto& lines = code_[size_t(r - regions_.data())];
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
    const uint64_t* lines = code_[size_t(r - regions_.data())].get();
    return lines && any_page(r, ipa, size,
                             [&](uint64_t page, uint64_t bits) { return (lines[page] & bits) != 0; });
}

void Stage2::clear_code() {
    for (auto& lines : code_) lines.reset();
}

// The general path, taken when the inline fast path in access.h declines:
// MMU on, unaligned, outside the last region, read-only, or a page with code.
// With stage 1 off (SCTLR_EL1.M = 0), VA = IPA and data accesses are
// Device-nGnRnE, so any unaligned data access is an Alignment fault
// (D8.2.11 "The effects of disabling an address translation stage").
[[gnu::noinline]] uint8_t* Cpu::translate(uint64_t va, unsigned size, const AccessDesc& a) {
    auto fault = [&](FaultKind kind, uint8_t stage, uint8_t level) {
        Fault f;
        f.kind = kind;
        f.stage = stage;
        f.level = level;
        f.va = va;
        f.ipa = va;
        f.access = a;
        return f;
    };
    if ((s_.el1.sctlr & kSctlrM) == 0) {
        if (va & (size - 1)) throw fault(FaultKind::Alignment, 1, 0);
        if (va >> kPaBits) throw fault(FaultKind::Translation, 1, 0);  // address size, level 0
    }
    const uint64_t ipa = va;
    const Stage2Region* r = stage2_.lookup(ipa, size);
    if (!r) throw fault(FaultKind::Translation, 2, 3);
    if (a.write) {
        if (!r->writable) throw fault(FaultKind::Permission, 2, 3);
        if (stage2_.holds_code(r, ipa, size)) code_written();
    }
    return r->host + (ipa - r->ipa);
}

}  // namespace cpu
