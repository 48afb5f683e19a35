// System register encodings (op0, op1, CRn, CRm, op2) and names: every
// system register and System instruction stepvisor knows, its ARM ARM name
// and encoding written once, here. The CPU's table (cpu/sysregs.cpp), the
// hypervisor's (hyp/sys_regs.cpp, hyp/vgic), gdb's system-register feature
// (vmm/gdb_target.cpp) and the traces take both from these constants.
// ARM ARM DDI 0487 K.a, C5.3 "A64 System instruction class encoding overview"
// and D24 (register descriptions). The packed id sorts the way the manual's
// encoding index does, and matches KVM's ARM64_SYS_REG() low 16 bits.
#pragma once

#include <compare>
#include <cstdint>
#include <string_view>

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

// A register (or System instruction) as the manual names it: "SCTLR_EL1",
// "TLBI VMALLE1IS". Converts to its encoding wherever one is expected.
struct SysReg {
    std::string_view name;
    SysRegId id;
    constexpr operator SysRegId() const { return id; }
};

// In encoding order, grouped as the CPU's table is.
namespace sysreg {
// SYS: cache and TLB maintenance (op0 = 1), C5.3
inline constexpr SysReg IC_IALLUIS{"IC IALLUIS", {1, 0, 7, 1, 0}};
inline constexpr SysReg IC_IALLU{"IC IALLU", {1, 0, 7, 5, 0}};
inline constexpr SysReg DC_IVAC{"DC IVAC", {1, 0, 7, 6, 1}};
inline constexpr SysReg DC_ISW{"DC ISW", {1, 0, 7, 6, 2}};
inline constexpr SysReg AT_S1E1R{"AT S1E1R", {1, 0, 7, 8, 0}};
inline constexpr SysReg AT_S1E1W{"AT S1E1W", {1, 0, 7, 8, 1}};
inline constexpr SysReg AT_S1E0R{"AT S1E0R", {1, 0, 7, 8, 2}};
inline constexpr SysReg AT_S1E0W{"AT S1E0W", {1, 0, 7, 8, 3}};
inline constexpr SysReg DC_CSW{"DC CSW", {1, 0, 7, 10, 2}};
inline constexpr SysReg DC_CISW{"DC CISW", {1, 0, 7, 14, 2}};
inline constexpr SysReg TLBI_VMALLE1IS{"TLBI VMALLE1IS", {1, 0, 8, 3, 0}};
inline constexpr SysReg TLBI_VAE1IS{"TLBI VAE1IS", {1, 0, 8, 3, 1}};
inline constexpr SysReg TLBI_ASIDE1IS{"TLBI ASIDE1IS", {1, 0, 8, 3, 2}};
inline constexpr SysReg TLBI_VAAE1IS{"TLBI VAAE1IS", {1, 0, 8, 3, 3}};
inline constexpr SysReg TLBI_VALE1IS{"TLBI VALE1IS", {1, 0, 8, 3, 5}};
inline constexpr SysReg TLBI_VAALE1IS{"TLBI VAALE1IS", {1, 0, 8, 3, 7}};
inline constexpr SysReg TLBI_VMALLE1{"TLBI VMALLE1", {1, 0, 8, 7, 0}};
inline constexpr SysReg TLBI_VAE1{"TLBI VAE1", {1, 0, 8, 7, 1}};
inline constexpr SysReg TLBI_ASIDE1{"TLBI ASIDE1", {1, 0, 8, 7, 2}};
inline constexpr SysReg TLBI_VAAE1{"TLBI VAAE1", {1, 0, 8, 7, 3}};
inline constexpr SysReg TLBI_VALE1{"TLBI VALE1", {1, 0, 8, 7, 5}};
inline constexpr SysReg TLBI_VAALE1{"TLBI VAALE1", {1, 0, 8, 7, 7}};
inline constexpr SysReg DC_ZVA{"DC ZVA", {1, 3, 7, 4, 1}};
inline constexpr SysReg IC_IVAU{"IC IVAU", {1, 3, 7, 5, 1}};
inline constexpr SysReg DC_CVAC{"DC CVAC", {1, 3, 7, 10, 1}};
inline constexpr SysReg DC_CVAU{"DC CVAU", {1, 3, 7, 11, 1}};
inline constexpr SysReg DC_CVAP{"DC CVAP", {1, 3, 7, 12, 1}};
inline constexpr SysReg DC_CIVAC{"DC CIVAC", {1, 3, 7, 14, 1}};
// Debug (op0 = 2), D24.3
inline constexpr SysReg DBGBVR0_EL1{"DBGBVR0_EL1", {2, 0, 0, 0, 4}};
inline constexpr SysReg DBGBCR0_EL1{"DBGBCR0_EL1", {2, 0, 0, 0, 5}};
inline constexpr SysReg DBGWVR0_EL1{"DBGWVR0_EL1", {2, 0, 0, 0, 6}};
inline constexpr SysReg DBGWCR0_EL1{"DBGWCR0_EL1", {2, 0, 0, 0, 7}};
inline constexpr SysReg DBGBVR1_EL1{"DBGBVR1_EL1", {2, 0, 0, 1, 4}};
inline constexpr SysReg DBGBCR1_EL1{"DBGBCR1_EL1", {2, 0, 0, 1, 5}};
inline constexpr SysReg DBGWVR1_EL1{"DBGWVR1_EL1", {2, 0, 0, 1, 6}};
inline constexpr SysReg DBGWCR1_EL1{"DBGWCR1_EL1", {2, 0, 0, 1, 7}};
inline constexpr SysReg MDCCINT_EL1{"MDCCINT_EL1", {2, 0, 0, 2, 0}};
inline constexpr SysReg MDSCR_EL1{"MDSCR_EL1", {2, 0, 0, 2, 2}};
inline constexpr SysReg DBGBVR2_EL1{"DBGBVR2_EL1", {2, 0, 0, 2, 4}};
inline constexpr SysReg DBGBCR2_EL1{"DBGBCR2_EL1", {2, 0, 0, 2, 5}};
inline constexpr SysReg DBGWVR2_EL1{"DBGWVR2_EL1", {2, 0, 0, 2, 6}};
inline constexpr SysReg DBGWCR2_EL1{"DBGWCR2_EL1", {2, 0, 0, 2, 7}};
inline constexpr SysReg DBGBVR3_EL1{"DBGBVR3_EL1", {2, 0, 0, 3, 4}};
inline constexpr SysReg DBGBCR3_EL1{"DBGBCR3_EL1", {2, 0, 0, 3, 5}};
inline constexpr SysReg DBGWVR3_EL1{"DBGWVR3_EL1", {2, 0, 0, 3, 6}};
inline constexpr SysReg DBGWCR3_EL1{"DBGWCR3_EL1", {2, 0, 0, 3, 7}};
inline constexpr SysReg DBGBVR4_EL1{"DBGBVR4_EL1", {2, 0, 0, 4, 4}};
inline constexpr SysReg DBGBCR4_EL1{"DBGBCR4_EL1", {2, 0, 0, 4, 5}};
inline constexpr SysReg DBGBVR5_EL1{"DBGBVR5_EL1", {2, 0, 0, 5, 4}};
inline constexpr SysReg DBGBCR5_EL1{"DBGBCR5_EL1", {2, 0, 0, 5, 5}};
inline constexpr SysReg MDRAR_EL1{"MDRAR_EL1", {2, 0, 1, 0, 0}};
inline constexpr SysReg OSLAR_EL1{"OSLAR_EL1", {2, 0, 1, 0, 4}};
inline constexpr SysReg OSLSR_EL1{"OSLSR_EL1", {2, 0, 1, 1, 4}};
inline constexpr SysReg OSDLR_EL1{"OSDLR_EL1", {2, 0, 1, 3, 4}};
// Identification (op0 = 3, op1 = 0, CRn = 0), D24.2
inline constexpr SysReg MIDR_EL1{"MIDR_EL1", {3, 0, 0, 0, 0}};
inline constexpr SysReg MPIDR_EL1{"MPIDR_EL1", {3, 0, 0, 0, 5}};
inline constexpr SysReg REVIDR_EL1{"REVIDR_EL1", {3, 0, 0, 0, 6}};
inline constexpr SysReg ID_PFR0_EL1{"ID_PFR0_EL1", {3, 0, 0, 1, 0}};
inline constexpr SysReg ID_PFR1_EL1{"ID_PFR1_EL1", {3, 0, 0, 1, 1}};
inline constexpr SysReg ID_DFR0_EL1{"ID_DFR0_EL1", {3, 0, 0, 1, 2}};
inline constexpr SysReg ID_AFR0_EL1{"ID_AFR0_EL1", {3, 0, 0, 1, 3}};
inline constexpr SysReg ID_MMFR0_EL1{"ID_MMFR0_EL1", {3, 0, 0, 1, 4}};
inline constexpr SysReg ID_MMFR1_EL1{"ID_MMFR1_EL1", {3, 0, 0, 1, 5}};
inline constexpr SysReg ID_MMFR2_EL1{"ID_MMFR2_EL1", {3, 0, 0, 1, 6}};
inline constexpr SysReg ID_MMFR3_EL1{"ID_MMFR3_EL1", {3, 0, 0, 1, 7}};
inline constexpr SysReg ID_ISAR0_EL1{"ID_ISAR0_EL1", {3, 0, 0, 2, 0}};
inline constexpr SysReg ID_ISAR1_EL1{"ID_ISAR1_EL1", {3, 0, 0, 2, 1}};
inline constexpr SysReg ID_ISAR2_EL1{"ID_ISAR2_EL1", {3, 0, 0, 2, 2}};
inline constexpr SysReg ID_ISAR3_EL1{"ID_ISAR3_EL1", {3, 0, 0, 2, 3}};
inline constexpr SysReg ID_ISAR4_EL1{"ID_ISAR4_EL1", {3, 0, 0, 2, 4}};
inline constexpr SysReg ID_ISAR5_EL1{"ID_ISAR5_EL1", {3, 0, 0, 2, 5}};
inline constexpr SysReg ID_MMFR4_EL1{"ID_MMFR4_EL1", {3, 0, 0, 2, 6}};
inline constexpr SysReg ID_ISAR6_EL1{"ID_ISAR6_EL1", {3, 0, 0, 2, 7}};
inline constexpr SysReg MVFR0_EL1{"MVFR0_EL1", {3, 0, 0, 3, 0}};
inline constexpr SysReg MVFR1_EL1{"MVFR1_EL1", {3, 0, 0, 3, 1}};
inline constexpr SysReg MVFR2_EL1{"MVFR2_EL1", {3, 0, 0, 3, 2}};
inline constexpr SysReg ID_PFR2_EL1{"ID_PFR2_EL1", {3, 0, 0, 3, 4}};
inline constexpr SysReg ID_DFR1_EL1{"ID_DFR1_EL1", {3, 0, 0, 3, 5}};
inline constexpr SysReg ID_MMFR5_EL1{"ID_MMFR5_EL1", {3, 0, 0, 3, 6}};
inline constexpr SysReg ID_AA64PFR0_EL1{"ID_AA64PFR0_EL1", {3, 0, 0, 4, 0}};
inline constexpr SysReg ID_AA64PFR1_EL1{"ID_AA64PFR1_EL1", {3, 0, 0, 4, 1}};
inline constexpr SysReg ID_AA64PFR2_EL1{"ID_AA64PFR2_EL1", {3, 0, 0, 4, 2}};
inline constexpr SysReg ID_AA64ZFR0_EL1{"ID_AA64ZFR0_EL1", {3, 0, 0, 4, 4}};
inline constexpr SysReg ID_AA64SMFR0_EL1{"ID_AA64SMFR0_EL1", {3, 0, 0, 4, 5}};
inline constexpr SysReg ID_AA64FPFR0_EL1{"ID_AA64FPFR0_EL1", {3, 0, 0, 4, 7}};
inline constexpr SysReg ID_AA64DFR0_EL1{"ID_AA64DFR0_EL1", {3, 0, 0, 5, 0}};
inline constexpr SysReg ID_AA64DFR1_EL1{"ID_AA64DFR1_EL1", {3, 0, 0, 5, 1}};
inline constexpr SysReg ID_AA64DFR2_EL1{"ID_AA64DFR2_EL1", {3, 0, 0, 5, 2}};
inline constexpr SysReg ID_AA64AFR0_EL1{"ID_AA64AFR0_EL1", {3, 0, 0, 5, 4}};
inline constexpr SysReg ID_AA64AFR1_EL1{"ID_AA64AFR1_EL1", {3, 0, 0, 5, 5}};
inline constexpr SysReg ID_AA64ISAR0_EL1{"ID_AA64ISAR0_EL1", {3, 0, 0, 6, 0}};
inline constexpr SysReg ID_AA64ISAR1_EL1{"ID_AA64ISAR1_EL1", {3, 0, 0, 6, 1}};
inline constexpr SysReg ID_AA64ISAR2_EL1{"ID_AA64ISAR2_EL1", {3, 0, 0, 6, 2}};
inline constexpr SysReg ID_AA64ISAR3_EL1{"ID_AA64ISAR3_EL1", {3, 0, 0, 6, 3}};
inline constexpr SysReg ID_AA64MMFR0_EL1{"ID_AA64MMFR0_EL1", {3, 0, 0, 7, 0}};
inline constexpr SysReg ID_AA64MMFR1_EL1{"ID_AA64MMFR1_EL1", {3, 0, 0, 7, 1}};
inline constexpr SysReg ID_AA64MMFR2_EL1{"ID_AA64MMFR2_EL1", {3, 0, 0, 7, 2}};
inline constexpr SysReg ID_AA64MMFR3_EL1{"ID_AA64MMFR3_EL1", {3, 0, 0, 7, 3}};
inline constexpr SysReg ID_AA64MMFR4_EL1{"ID_AA64MMFR4_EL1", {3, 0, 0, 7, 4}};
// EL1 system control and exception handling, D24.2
inline constexpr SysReg SCTLR_EL1{"SCTLR_EL1", {3, 0, 1, 0, 0}};
inline constexpr SysReg ACTLR_EL1{"ACTLR_EL1", {3, 0, 1, 0, 1}};
inline constexpr SysReg CPACR_EL1{"CPACR_EL1", {3, 0, 1, 0, 2}};
inline constexpr SysReg TTBR0_EL1{"TTBR0_EL1", {3, 0, 2, 0, 0}};
inline constexpr SysReg TTBR1_EL1{"TTBR1_EL1", {3, 0, 2, 0, 1}};
inline constexpr SysReg TCR_EL1{"TCR_EL1", {3, 0, 2, 0, 2}};
inline constexpr SysReg SPSR_EL1{"SPSR_EL1", {3, 0, 4, 0, 0}};
inline constexpr SysReg ELR_EL1{"ELR_EL1", {3, 0, 4, 0, 1}};
inline constexpr SysReg SP_EL0{"SP_EL0", {3, 0, 4, 1, 0}};
inline constexpr SysReg SPSel{"SPSel", {3, 0, 4, 2, 0}};
inline constexpr SysReg CurrentEL{"CurrentEL", {3, 0, 4, 2, 2}};
inline constexpr SysReg ICC_PMR_EL1{"ICC_PMR_EL1", {3, 0, 4, 6, 0}};
inline constexpr SysReg AFSR0_EL1{"AFSR0_EL1", {3, 0, 5, 1, 0}};
inline constexpr SysReg AFSR1_EL1{"AFSR1_EL1", {3, 0, 5, 1, 1}};
inline constexpr SysReg ESR_EL1{"ESR_EL1", {3, 0, 5, 2, 0}};
inline constexpr SysReg FAR_EL1{"FAR_EL1", {3, 0, 6, 0, 0}};
inline constexpr SysReg PAR_EL1{"PAR_EL1", {3, 0, 7, 4, 0}};
inline constexpr SysReg MAIR_EL1{"MAIR_EL1", {3, 0, 10, 2, 0}};
inline constexpr SysReg AMAIR_EL1{"AMAIR_EL1", {3, 0, 10, 3, 0}};
inline constexpr SysReg VBAR_EL1{"VBAR_EL1", {3, 0, 12, 0, 0}};
inline constexpr SysReg ICC_IAR0_EL1{"ICC_IAR0_EL1", {3, 0, 12, 8, 0}};
inline constexpr SysReg ICC_EOIR0_EL1{"ICC_EOIR0_EL1", {3, 0, 12, 8, 1}};
inline constexpr SysReg ICC_HPPIR0_EL1{"ICC_HPPIR0_EL1", {3, 0, 12, 8, 2}};
inline constexpr SysReg ICC_BPR0_EL1{"ICC_BPR0_EL1", {3, 0, 12, 8, 3}};
inline constexpr SysReg ICC_AP0R0_EL1{"ICC_AP0R0_EL1", {3, 0, 12, 8, 4}};
inline constexpr SysReg ICC_AP1R0_EL1{"ICC_AP1R0_EL1", {3, 0, 12, 9, 0}};
inline constexpr SysReg ICC_DIR_EL1{"ICC_DIR_EL1", {3, 0, 12, 11, 1}};
inline constexpr SysReg ICC_RPR_EL1{"ICC_RPR_EL1", {3, 0, 12, 11, 3}};
inline constexpr SysReg ICC_SGI1R_EL1{"ICC_SGI1R_EL1", {3, 0, 12, 11, 5}};
inline constexpr SysReg ICC_ASGI1R_EL1{"ICC_ASGI1R_EL1", {3, 0, 12, 11, 6}};
inline constexpr SysReg ICC_SGI0R_EL1{"ICC_SGI0R_EL1", {3, 0, 12, 11, 7}};
inline constexpr SysReg ICC_IAR1_EL1{"ICC_IAR1_EL1", {3, 0, 12, 12, 0}};
inline constexpr SysReg ICC_EOIR1_EL1{"ICC_EOIR1_EL1", {3, 0, 12, 12, 1}};
inline constexpr SysReg ICC_HPPIR1_EL1{"ICC_HPPIR1_EL1", {3, 0, 12, 12, 2}};
inline constexpr SysReg ICC_BPR1_EL1{"ICC_BPR1_EL1", {3, 0, 12, 12, 3}};
inline constexpr SysReg ICC_CTLR_EL1{"ICC_CTLR_EL1", {3, 0, 12, 12, 4}};
inline constexpr SysReg ICC_SRE_EL1{"ICC_SRE_EL1", {3, 0, 12, 12, 5}};
inline constexpr SysReg ICC_IGRPEN0_EL1{"ICC_IGRPEN0_EL1", {3, 0, 12, 12, 6}};
inline constexpr SysReg ICC_IGRPEN1_EL1{"ICC_IGRPEN1_EL1", {3, 0, 12, 12, 7}};
inline constexpr SysReg CONTEXTIDR_EL1{"CONTEXTIDR_EL1", {3, 0, 13, 0, 1}};
inline constexpr SysReg TPIDR_EL1{"TPIDR_EL1", {3, 0, 13, 0, 4}};
inline constexpr SysReg CNTKCTL_EL1{"CNTKCTL_EL1", {3, 0, 14, 1, 0}};
// Cache identification (op1 = 1, 2), D24.2
inline constexpr SysReg CCSIDR_EL1{"CCSIDR_EL1", {3, 1, 0, 0, 0}};
inline constexpr SysReg CLIDR_EL1{"CLIDR_EL1", {3, 1, 0, 0, 1}};
inline constexpr SysReg AIDR_EL1{"AIDR_EL1", {3, 1, 0, 0, 7}};
inline constexpr SysReg CSSELR_EL1{"CSSELR_EL1", {3, 2, 0, 0, 0}};
// EL0-visible registers (op1 = 3)
inline constexpr SysReg CTR_EL0{"CTR_EL0", {3, 3, 0, 0, 1}};
inline constexpr SysReg DCZID_EL0{"DCZID_EL0", {3, 3, 0, 0, 7}};
inline constexpr SysReg NZCV{"NZCV", {3, 3, 4, 2, 0}};
inline constexpr SysReg DAIF{"DAIF", {3, 3, 4, 2, 1}};
inline constexpr SysReg FPCR{"FPCR", {3, 3, 4, 4, 0}};
inline constexpr SysReg FPSR{"FPSR", {3, 3, 4, 4, 1}};
inline constexpr SysReg TPIDR_EL0{"TPIDR_EL0", {3, 3, 13, 0, 2}};
inline constexpr SysReg TPIDRRO_EL0{"TPIDRRO_EL0", {3, 3, 13, 0, 3}};
inline constexpr SysReg CNTFRQ_EL0{"CNTFRQ_EL0", {3, 3, 14, 0, 0}};
inline constexpr SysReg CNTPCT_EL0{"CNTPCT_EL0", {3, 3, 14, 0, 1}};
inline constexpr SysReg CNTVCT_EL0{"CNTVCT_EL0", {3, 3, 14, 0, 2}};
inline constexpr SysReg CNTP_TVAL_EL0{"CNTP_TVAL_EL0", {3, 3, 14, 2, 0}};
inline constexpr SysReg CNTP_CTL_EL0{"CNTP_CTL_EL0", {3, 3, 14, 2, 1}};
inline constexpr SysReg CNTP_CVAL_EL0{"CNTP_CVAL_EL0", {3, 3, 14, 2, 2}};
inline constexpr SysReg CNTV_TVAL_EL0{"CNTV_TVAL_EL0", {3, 3, 14, 3, 0}};
inline constexpr SysReg CNTV_CTL_EL0{"CNTV_CTL_EL0", {3, 3, 14, 3, 1}};
inline constexpr SysReg CNTV_CVAL_EL0{"CNTV_CVAL_EL0", {3, 3, 14, 3, 2}};
// EL2 encodings the guest may name
inline constexpr SysReg SP_EL1{"SP_EL1", {3, 4, 4, 1, 0}};
inline constexpr SysReg ICH_AP0R0_EL2{"ICH_AP0R0_EL2", {3, 4, 12, 8, 0}};
inline constexpr SysReg ICH_AP1R0_EL2{"ICH_AP1R0_EL2", {3, 4, 12, 9, 0}};
inline constexpr SysReg ICH_HCR_EL2{"ICH_HCR_EL2", {3, 4, 12, 11, 0}};
inline constexpr SysReg ICH_VTR_EL2{"ICH_VTR_EL2", {3, 4, 12, 11, 1}};
inline constexpr SysReg ICH_MISR_EL2{"ICH_MISR_EL2", {3, 4, 12, 11, 2}};
inline constexpr SysReg ICH_EISR_EL2{"ICH_EISR_EL2", {3, 4, 12, 11, 3}};
inline constexpr SysReg ICH_ELRSR_EL2{"ICH_ELRSR_EL2", {3, 4, 12, 11, 5}};
inline constexpr SysReg ICH_VMCR_EL2{"ICH_VMCR_EL2", {3, 4, 12, 11, 7}};
inline constexpr SysReg ICH_LR0_EL2{"ICH_LR0_EL2", {3, 4, 12, 12, 0}};
inline constexpr SysReg ICH_LR1_EL2{"ICH_LR1_EL2", {3, 4, 12, 12, 1}};
inline constexpr SysReg ICH_LR2_EL2{"ICH_LR2_EL2", {3, 4, 12, 12, 2}};
inline constexpr SysReg ICH_LR3_EL2{"ICH_LR3_EL2", {3, 4, 12, 12, 3}};
}  // namespace sysreg

}  // namespace arch
