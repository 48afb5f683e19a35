// Helpers shared by the load/store tests: a data area, sized memory access
// and a stop sentinel in the EL1 vectors.
#pragma once

#include <gtest/gtest.h>

#include <cstring>

#include "arch/esr.h"
#include "tests/cpu/harness.h"

namespace cpu::test {

inline constexpr uint64_t kData = kRamBase + 0x2000;       // 16-byte aligned scratch data
inline constexpr uint64_t kUnmapped = 0x10000000;          // no stage-2 region here
inline constexpr uint64_t kRamEnd = kRamBase + kRamSize;

// ldr xzr, .-0x100000: from any EL1 vector that address is below RAM, so the
// load takes a stage-2 abort and run() returns Stop::Trap. An exception test
// thus stops at the first vector instruction, whatever its step budget, with
// the EL1 syndrome registers as the exception left them.
inline constexpr uint32_t kVectorSentinel = 0x5880001f;

inline void stop_at_vectors(Harness& h) {
    const uint64_t vbar = h.cpu.state().el1.vbar;
    for (uint64_t off = 0; off < 0x800; off += 0x80) h.put32(vbar + off, kVectorSentinel);
}

template <typename T> void put(Harness& h, uint64_t ipa, T v) {
    std::memcpy(&h.ram[ipa - kRamBase], &v, sizeof(T));
    h.cpu.invalidate_code(ipa, sizeof(T));
}
template <typename T> T get(const Harness& h, uint64_t ipa) {
    T v;
    std::memcpy(&v, &h.ram[ipa - kRamBase], sizeof(T));
    return v;
}

// Data-abort ISS fields (D24.2.40).
struct DataAbortIss {
    uint32_t iss;
    bool isv() const { return iss & arch::dabt::kISV; }
    unsigned sas() const { return (iss >> arch::dabt::kSasShift) & 3; }
    bool sse() const { return iss & arch::dabt::kSSE; }
    unsigned srt() const { return (iss >> arch::dabt::kSrtShift) & 31; }
    bool sf() const { return iss & arch::dabt::kSF; }
    bool ar() const { return iss & arch::dabt::kAR; }
    bool wnr() const { return iss & arch::dabt::kWnR; }
    unsigned dfsc() const { return iss & 0x3F; }
};
inline DataAbortIss dabt(uint64_t esr) { return {arch::esr_iss(esr)}; }

}  // namespace cpu::test
