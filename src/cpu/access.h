// Data access templates, included by the load/store handlers.
#pragma once

#include <cstring>

#include "cpu/cpu.h"

namespace cpu {

template <typename T> T Cpu::read(uint64_t va, const AccessDesc& a) {
    const uint8_t* p = translate(va, sizeof(T), a);
    T v;
    std::memcpy(&v, p, sizeof(T));  // host and guest are both little-endian
    return v;
}

template <typename T> void Cpu::write(uint64_t va, T value, const AccessDesc& a) {
    uint8_t* p = translate(va, sizeof(T), a);
    std::memcpy(p, &value, sizeof(T));
}

}  // namespace cpu
