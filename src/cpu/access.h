// Data access templates, included by the load/store handlers.
//
// The fast path serves the common case inline: MMU off, an aligned access,
// inside the region the last access used, and (for a store) a writable page
// with no decoded code. Everything else takes Cpu::translate_range, which applies
// every rule, raises the faults (returning false) and may split an access
// that crosses a page.
#pragma once

#include <cstring>

#include "cpu/cpu.h"

namespace cpu {

[[gnu::always_inline]] inline uint8_t* Cpu::fast_host(uint64_t va, unsigned size, bool write) {
    const Stage2Region* r = stage2_.last();
    if ((s_.el1.sctlr & kSctlrM) | (va & (size - 1)) | !r) return nullptr;
    if (!r->contains(va, size)) return nullptr;
    if (write && (!r->writable || stage2_.page_has_code(r, va))) return nullptr;
    return r->host + (va - r->ipa);
}

template <typename T>
[[gnu::always_inline]] inline bool Cpu::read(uint64_t va, const AccessDesc& a, T& v) {
    const uint8_t* p = fast_host(va, sizeof(T), false);
    if (p) [[likely]] {
        std::memcpy(&v, p, sizeof(T));  // host and guest are both little-endian
        return true;
    }
    HostRange h;
    if (!translate_range(va, sizeof(T), a, h)) return false;
    h.load(&v);
    return true;
}

template <typename T>
[[gnu::always_inline]] inline bool Cpu::write(uint64_t va, T value, const AccessDesc& a) {
    uint8_t* p = fast_host(va, sizeof(T), true);
    if (p) [[likely]] {
        std::memcpy(p, &value, sizeof(T));
        return true;
    }
    HostRange h;
    if (!translate_range(va, sizeof(T), a, h)) return false;
    h.store(&value);
    return true;
}

}  // namespace cpu
