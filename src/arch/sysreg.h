// System register encodings (op0, op1, CRn, CRm, op2).
// ARM ARM DDI 0487 K.a, C5.3 "A64 System instruction class encoding overview"
// and D24 (register descriptions). The packed id sorts the way the manual's
// encoding index does, and matches KVM's ARM64_SYS_REG() low 16 bits.
#pragma once

#include <compare>
#include <cstdint>

namespace arch {

struct SysRegId {
    uint16_t packed;

    constexpr SysRegId(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2)
        : packed(uint16_t((op0 & 3) << 14 | (op1 & 7) << 11 | (crn & 15) << 7 | (crm & 15) << 3 |
                          (op2 & 7))) {}
    constexpr explicit SysRegId(uint16_t p) : packed(p) {}

    constexpr unsigned op0() const { return packed >> 14; }
    constexpr unsigned op1() const { return (packed >> 11) & 7; }
    constexpr unsigned crn() const { return (packed >> 7) & 15; }
    constexpr unsigned crm() const { return (packed >> 3) & 15; }
    constexpr unsigned op2() const { return packed & 7; }
    constexpr auto operator<=>(const SysRegId&) const = default;
};

namespace sysreg {
// Identification
inline constexpr SysRegId MIDR_EL1{3, 0, 0, 0, 0};
inline constexpr SysRegId MPIDR_EL1{3, 0, 0, 0, 5};
inline constexpr SysRegId REVIDR_EL1{3, 0, 0, 0, 6};
inline constexpr SysRegId ID_AA64PFR0_EL1{3, 0, 0, 4, 0};
inline constexpr SysRegId ID_AA64PFR1_EL1{3, 0, 0, 4, 1};
inline constexpr SysRegId ID_AA64DFR0_EL1{3, 0, 0, 5, 0};
inline constexpr SysRegId ID_AA64DFR1_EL1{3, 0, 0, 5, 1};
inline constexpr SysRegId ID_AA64AFR0_EL1{3, 0, 0, 5, 4};
inline constexpr SysRegId ID_AA64AFR1_EL1{3, 0, 0, 5, 5};
inline constexpr SysRegId ID_AA64ISAR0_EL1{3, 0, 0, 6, 0};
inline constexpr SysRegId ID_AA64ISAR1_EL1{3, 0, 0, 6, 1};
inline constexpr SysRegId ID_AA64ISAR2_EL1{3, 0, 0, 6, 2};
inline constexpr SysRegId ID_AA64MMFR0_EL1{3, 0, 0, 7, 0};
inline constexpr SysRegId ID_AA64MMFR1_EL1{3, 0, 0, 7, 1};
inline constexpr SysRegId ID_AA64MMFR2_EL1{3, 0, 0, 7, 2};
inline constexpr SysRegId CTR_EL0{3, 3, 0, 0, 1};
inline constexpr SysRegId DCZID_EL0{3, 3, 0, 0, 7};
// EL1 system control and exception handling
inline constexpr SysRegId SCTLR_EL1{3, 0, 1, 0, 0};
inline constexpr SysRegId CPACR_EL1{3, 0, 1, 0, 2};
inline constexpr SysRegId TTBR0_EL1{3, 0, 2, 0, 0};
inline constexpr SysRegId TTBR1_EL1{3, 0, 2, 0, 1};
inline constexpr SysRegId TCR_EL1{3, 0, 2, 0, 2};
inline constexpr SysRegId SPSR_EL1{3, 0, 4, 0, 0};
inline constexpr SysRegId ELR_EL1{3, 0, 4, 0, 1};
inline constexpr SysRegId SP_EL0{3, 0, 4, 1, 0};
inline constexpr SysRegId SPSel{3, 0, 4, 2, 0};
inline constexpr SysRegId CurrentEL{3, 0, 4, 2, 2};
inline constexpr SysRegId ESR_EL1{3, 0, 5, 2, 0};
inline constexpr SysRegId FAR_EL1{3, 0, 6, 0, 0};
inline constexpr SysRegId PAR_EL1{3, 0, 7, 4, 0};
inline constexpr SysRegId MAIR_EL1{3, 0, 10, 2, 0};
inline constexpr SysRegId VBAR_EL1{3, 0, 12, 0, 0};
inline constexpr SysRegId CONTEXTIDR_EL1{3, 0, 13, 0, 1};
inline constexpr SysRegId TPIDR_EL1{3, 0, 13, 0, 4};
inline constexpr SysRegId CNTKCTL_EL1{3, 0, 14, 1, 0};
inline constexpr SysRegId NZCV{3, 3, 4, 2, 0};
inline constexpr SysRegId DAIF{3, 3, 4, 2, 1};
inline constexpr SysRegId FPCR{3, 3, 4, 4, 0};
inline constexpr SysRegId FPSR{3, 3, 4, 4, 1};
inline constexpr SysRegId TPIDR_EL0{3, 3, 13, 0, 2};
inline constexpr SysRegId TPIDRRO_EL0{3, 3, 13, 0, 3};
inline constexpr SysRegId SP_EL1{3, 4, 4, 1, 0};
// Generic timer
inline constexpr SysRegId CNTFRQ_EL0{3, 3, 14, 0, 0};
inline constexpr SysRegId CNTPCT_EL0{3, 3, 14, 0, 1};
inline constexpr SysRegId CNTVCT_EL0{3, 3, 14, 0, 2};
// Debug
inline constexpr SysRegId MDSCR_EL1{2, 0, 0, 2, 2};
inline constexpr SysRegId OSLAR_EL1{2, 0, 1, 0, 4};
inline constexpr SysRegId OSLSR_EL1{2, 0, 1, 1, 4};
}  // namespace sysreg

}  // namespace arch
