// FPCR and FPSR fields under their ARM ARM names, and the write masks of
// this PE. ARM ARM DDI 0487 K.a, C5.2.8 "FPCR, Floating-point Control
// Register" and C5.2.10 "FPSR, Floating-point Status Register".
#pragma once

#include <cstdint>

namespace arch {

namespace fpcr {
// The trap enables. Without trapped FP exceptions (a Cortex-A57) they are
// RAZ/WI: C5.2.8, "IDE, bit [15]" ... "IOE, bit [8]".
inline constexpr uint32_t kIOE = 1u << 8;
inline constexpr uint32_t kDZE = 1u << 9;
inline constexpr uint32_t kOFE = 1u << 10;
inline constexpr uint32_t kUFE = 1u << 11;
inline constexpr uint32_t kIXE = 1u << 12;
inline constexpr uint32_t kIDE = 1u << 15;
inline constexpr unsigned kRModeShift = 22;
inline constexpr uint32_t kRMode = 3u << kRModeShift;  // 23:22
inline constexpr uint32_t kFZ = 1u << 24;
inline constexpr uint32_t kDN = 1u << 25;
inline constexpr uint32_t kAHP = 1u << 26;
// Without FEAT_FP16 (FZ16, bit 19), FEAT_AFP (AH, FIZ, NEP) or AArch32
// (Len, Stride) every other bit is RES0.
inline constexpr uint32_t kWritable = kAHP | kDN | kFZ | kRMode;
}  // namespace fpcr

namespace fpsr {
inline constexpr uint32_t kIOC = 1u << 0;
inline constexpr uint32_t kDZC = 1u << 1;
inline constexpr uint32_t kOFC = 1u << 2;
inline constexpr uint32_t kUFC = 1u << 3;
inline constexpr uint32_t kIXC = 1u << 4;
inline constexpr uint32_t kIDC = 1u << 7;
inline constexpr uint32_t kQC = 1u << 27;
// N, Z, C, V (31:28) exist only when AArch32 is supported; stepvisor runs
// AArch64 only, so they are RES0 with the rest.
inline constexpr uint32_t kWritable = kQC | kIDC | kIXC | kUFC | kOFC | kDZC | kIOC;
}  // namespace fpsr

// What a write of `value` leaves in the register (one_reg, gdb, MSR).
constexpr uint32_t fpcr_write_value(uint64_t value) { return uint32_t(value) & fpcr::kWritable; }
constexpr uint32_t fpsr_write_value(uint64_t value) { return uint32_t(value) & fpsr::kWritable; }

}  // namespace arch
