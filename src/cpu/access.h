// Data access templates, included by the load/store handlers.
//
// The fast path serves the common case inline: an aligned access to a page
// the softmmu TLB (fast_tlb.h) holds for this privilege and direction.
// Everything else takes Cpu::translate_range, which applies every rule,
// raises the faults (returning false), may split an access that crosses a
// page, and fills the fast TLB from what it proved.
#pragma once

#include <cstring>

#include "cpu/cpu.h"

namespace cpu {

[[gnu::always_inline]] inline uint8_t* Cpu::fast_host(uint64_t va, unsigned size, bool write,
                                                       bool unpriv) {
    const unsigned mode = (s_.pstate.el == 0) | unpriv;
    return write ? tlb_.fast().write(mode, va, size) : tlb_.fast().read(mode, va, size);
}

template <typename T>
[[gnu::always_inline]] inline bool Cpu::read(uint64_t va, const AccessDesc& a, T& v) {
    const uint8_t* p = fast_host(va, sizeof(T), false, a.unpriv);
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
    uint8_t* p = fast_host(va, sizeof(T), true, a.unpriv);
    if (p) [[likely]] {
        std::memcpy(p, &value, sizeof(T));
        return true;
    }
    HostRange h;
    if (!translate_range(va, sizeof(T), a, h)) return false;
    h.store(&value);
    return true;
}

template <typename T>
[[gnu::always_inline]] inline bool Cpu::write_pair(uint64_t va, T v1, T v2, const AccessDesc& a) {
    uint8_t* p1 = fast_host(va, sizeof(T), true, a.unpriv);
    uint8_t* p2 = fast_host(va + sizeof(T), sizeof(T), true, a.unpriv);
    if (p1 && p2) [[likely]] {
        std::memcpy(p1, &v1, sizeof(T));
        std::memcpy(p2, &v2, sizeof(T));
        return true;
    }
    HostRange h1, h2;
    if (!translate_range(va, sizeof(T), a, h1) || !translate_range(va + sizeof(T), sizeof(T), a, h2))
        return false;
    h1.store(&v1);
    h2.store(&v2);
    return true;
}

}  // namespace cpu
