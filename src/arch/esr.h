// ESR_ELx layout: exception classes and ISS encodings.
// ARM ARM DDI 0487 K.a, D24.2.40 "ESR_EL1" / D24.2.41 "ESR_EL2".
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace arch {

// Exception class, ESR_ELx.EC (bits [31:26]).
enum class EC : uint8_t {
    Unknown = 0x00,
    WFx = 0x01,
    FpAccess = 0x07,  // SIMD&FP access trapped by CPACR_EL1.FPEN or CPTR_EL2.TFP
    IllegalState = 0x0E,
    SVC64 = 0x15,
    HVC64 = 0x16,
    SMC64 = 0x17,
    SysReg = 0x18,
    InstrAbortLow = 0x20,
    InstrAbortCur = 0x21,
    PCAlign = 0x22,
    DataAbortLow = 0x24,
    DataAbortCur = 0x25,
    SPAlign = 0x26,
    SError = 0x2F,
    BreakpointLow = 0x30,
    BreakpointCur = 0x31,
    SoftStepLow = 0x32,
    SoftStepCur = 0x33,
    WatchpointLow = 0x34,
    WatchpointCur = 0x35,
    BRK64 = 0x3C,
};

inline constexpr uint32_t kEsrIL = 1u << 25;  // 32-bit instruction trapped

constexpr uint32_t esr(EC ec, uint32_t iss, bool il = true) {
    return (uint32_t(ec) << 26) | (il ? kEsrIL : 0) | (iss & 0x1FFFFFF);
}
constexpr EC esr_ec(uint64_t esr) { return EC((esr >> 26) & 0x3F); }
constexpr uint32_t esr_iss(uint64_t esr) { return uint32_t(esr & 0x1FFFFFF); }

// Fault status codes (DFSC/IFSC), D24.2.40 ISS encoding for aborts.
namespace fsc {
inline constexpr uint32_t kAddressSizeL0 = 0x00;
inline constexpr uint32_t kTranslationL0 = 0x04;  // + level
inline constexpr uint32_t kAccessFlagL0 = 0x08;   // + level
inline constexpr uint32_t kPermissionL0 = 0x0C;   // + level
inline constexpr uint32_t kSyncExternal = 0x10;
inline constexpr uint32_t kAlignment = 0x21;
inline constexpr uint32_t kDebug = 0x22;
}  // namespace fsc

// ISS for data aborts (EC 0x24/0x25), D24.2.40.
namespace dabt {
inline constexpr uint32_t kISV = 1u << 24;
inline constexpr unsigned kSasShift = 22;  // access size: log2(bytes)
inline constexpr uint32_t kSSE = 1u << 21;  // sign-extend
inline constexpr unsigned kSrtShift = 16;   // register transfer
inline constexpr uint32_t kSF = 1u << 15;   // 64-bit register
inline constexpr uint32_t kAR = 1u << 14;   // acquire/release
inline constexpr uint32_t kFnV = 1u << 10;  // FAR not valid
inline constexpr uint32_t kS1PTW = 1u << 7;
inline constexpr uint32_t kWnR = 1u << 6;
}  // namespace dabt

// ISS for software step (EC 0x32/0x33), D24.2.40.
namespace sstep {
inline constexpr uint32_t kISV = 1u << 24;
inline constexpr uint32_t kEX = 1u << 6;
}  // namespace sstep

// ISS for watchpoints (EC 0x34/0x35), D24.2.40; DFSC = fsc::kDebug.
namespace watchpt {
inline constexpr uint32_t kCM = 1u << 8;   // a cache maintenance instruction
inline constexpr uint32_t kWnR = 1u << 6;  // write (an atomic RMW: 1)
}  // namespace watchpt

// ISS for breakpoints (EC 0x30/0x31) and BRK (EC 0x3C): IFSC = fsc::kDebug
// for the former, the comment (imm16) for the latter.

// ISS for trapped MSR/MRS/SYS (EC 0x18), D24.2.40.
struct SysRegIss {
    uint8_t op0, op1, crn, crm, op2, rt;
    bool is_read;  // Direction: 1 = MRS/SYSL
};
constexpr uint32_t encode_sysreg_iss(const SysRegIss& s) {
    return (uint32_t(s.op0) << 20) | (uint32_t(s.op2) << 17) | (uint32_t(s.op1) << 14) |
           (uint32_t(s.crn) << 10) | (uint32_t(s.rt) << 5) | (uint32_t(s.crm) << 1) |
           (s.is_read ? 1u : 0u);
}
constexpr SysRegIss decode_sysreg_iss(uint32_t iss) {
    return {uint8_t((iss >> 20) & 3), uint8_t((iss >> 14) & 7), uint8_t((iss >> 10) & 15),
            uint8_t((iss >> 1) & 15), uint8_t((iss >> 17) & 7), uint8_t((iss >> 5) & 31),
            (iss & 1) != 0};
}

// Human-readable exception class names for traces and errors.
std::string_view ec_name(EC ec);

}  // namespace arch
