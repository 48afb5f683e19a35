// Data and instruction address translation for the EL1&0 regime, stage 2.
#include <algorithm>

#include "arch/bits.h"
#include "cpu/cpu.h"

namespace cpu {

void Stage2::set_regions(std::vector<Stage2Region> regions) {
    std::sort(regions.begin(), regions.end(),
              [](const Stage2Region& a, const Stage2Region& b) { return a.ipa < b.ipa; });
    regions_ = std::move(regions);
    last_ = nullptr;
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

namespace {
constexpr uint64_t kSctlrM = 1;  // SCTLR_EL1.M, stage 1 enable
constexpr unsigned kPaBits = 48;  // ID_AA64MMFR0_EL1.PARange = 0b0101
}  // namespace

// With stage 1 off (SCTLR_EL1.M = 0), VA = IPA and data accesses are
// Device-nGnRnE, so any unaligned data access is an Alignment fault
// (D8.2.11 "The effects of disabling an address translation stage").
uint8_t* Cpu::translate(uint64_t va, unsigned size, const AccessDesc& a) {
    Fault f;
    f.va = va;
    f.access = a;
    if ((s_.el1.sctlr & kSctlrM) == 0) {
        if ((va & (size - 1)) != 0) {
            f.kind = FaultKind::Alignment;
            throw f;
        }
        if (va >> kPaBits) {
            f.kind = FaultKind::Translation;  // address size fault reported as level 0
            f.level = 0;
            throw f;
        }
    }
    const uint64_t ipa = va;
    const Stage2Region* r = stage2_.lookup(ipa, size);
    if (!r || (a.write && !r->writable)) {
        f.stage = 2;
        f.level = 3;
        f.ipa = ipa;
        f.kind = r ? FaultKind::Permission : FaultKind::Translation;
        throw f;
    }
    if (a.write) note_code_write(ipa, size);
    return r->host + (ipa - r->ipa);
}

}  // namespace cpu
