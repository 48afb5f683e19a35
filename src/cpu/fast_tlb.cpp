// The softmmu TLB's fills and flushes (fast_tlb.h).
#include "cpu/fast_tlb.h"

namespace cpu {

void FastTlb::fill_data(unsigned mode, uint64_t va, uint8_t* host, bool write) {
    if (!enabled_) return;
    FastTlbEntry& e = data_[mode][slot(va)];
    const uint64_t page = va & kPageMask;
    const uint64_t addend = reinterpret_cast<uint64_t>(host) - va;
    // Another page (or the same page elsewhere, after a refill) replaces
    // both tags: one entry describes one translation.
    if ((e.read_tag != page && e.write_tag != page) || e.addend != addend) e = FastTlbEntry{};
    e.addend = addend;
    e.host_page = page + addend;
    (write ? e.write_tag : e.read_tag) = page;
}

void FastTlb::fill_fetch(unsigned mode, uint64_t pc, uint64_t ipa) {
    fetch_[mode][slot(pc)] = {pc & kPageMask, ipa - pc};
}

void FastTlb::clear() {
    for (auto& t : data_) t.fill(FastTlbEntry{});
    for (auto& t : fetch_) t.fill(FastFetchEntry{});
    fetch_dropped_ = 1;
}

void FastTlb::clear_slot(unsigned i) {
    for (auto& t : data_) t[i] = FastTlbEntry{};
    for (auto& t : fetch_) t[i] = FastFetchEntry{};
    fetch_dropped_ = 1;
}

void FastTlb::drop_writes_to(const uint8_t* host_page) {
    for (auto& t : data_)
        for (FastTlbEntry& e : t)
            if (e.write_tag != ~0ull && e.host_page == reinterpret_cast<uint64_t>(host_page))
                e.write_tag = ~0ull;
}

}  // namespace cpu
