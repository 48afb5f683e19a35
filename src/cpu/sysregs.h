// The CPU's system registers and System instructions as a descriptor table
// sorted by (op0, op1, CRn, CRm, op2), the packed arch::SysRegId order
// (ARM ARM DDI 0487 K.a, C5.3 "A64 System instruction class encoding
// overview", D23 "System register encodings", D24 register descriptions).
//
// Each entry keeps apart (STYLE: "A register's trap check apart from its
// value"):
//   - who may access it: an EL0 rule and an EL2 trap class, evaluated by
//     check_sysreg_access() in the order of the register's ASL accessor;
//   - its value: a side-effect-free read and a write (null = the direction
//     is UNDEFINED). SYS instructions (op0 = 1) are write-only entries that
//     receive Xt.
// The hypervisor may use find_sysreg() and the accessors directly (one_reg,
// trap emulation); they do not check access.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "arch/sysreg.h"
#include "cpu/cpu.h"

namespace cpu {

// MDCR_EL2 (D24.3.x MDCR_EL2).
namespace mdcr {
inline constexpr uint64_t kTDE = 1ull << 8;
inline constexpr uint64_t kTDA = 1ull << 9;
inline constexpr uint64_t kTDOSA = 1ull << 10;
inline constexpr uint64_t kTDRA = 1ull << 11;
}  // namespace mdcr

// CPTR_EL2 with HCR_EL2.E2H = 0 (D24.2.x CPTR_EL2).
namespace cptr {
inline constexpr uint64_t kTFP = 1ull << 10;
inline constexpr uint64_t kTCPAC = 1ull << 31;
}  // namespace cptr

// CPACR_EL1.FPEN (D24.2.x CPACR_EL1): 0bx0 traps EL0 and EL1, 0b01 EL0 only.
namespace cpacr {
inline constexpr unsigned kFPENShift = 20;
inline constexpr uint64_t kFPEN = 3ull << kFPENShift;
}  // namespace cpacr

// CNTHCTL_EL2 with HCR_EL2.E2H = 0, and CNTKCTL_EL1 (D24.8).
namespace cnthctl {
inline constexpr uint64_t kEL1PCTEN = 1ull << 0;
inline constexpr uint64_t kEL1PCEN = 1ull << 1;
}  // namespace cnthctl
namespace cntkctl {
inline constexpr uint64_t kEL0PCTEN = 1ull << 0;
inline constexpr uint64_t kEL0VCTEN = 1ull << 1;
inline constexpr uint64_t kEL0VTEN = 1ull << 8;
inline constexpr uint64_t kEL0PTEN = 1ull << 9;
}  // namespace cntkctl

// SCTLR_EL1 bits the CPU acts on (D24.2.175).
namespace sctlr {
inline constexpr uint64_t kM = 1ull << 0;
inline constexpr uint64_t kUMA = 1ull << 9;
inline constexpr uint64_t kDZE = 1ull << 14;
inline constexpr uint64_t kUCT = 1ull << 15;
inline constexpr uint64_t knTWI = 1ull << 16;
inline constexpr uint64_t knTWE = 1ull << 18;
inline constexpr uint64_t kUCI = 1ull << 26;
}  // namespace sctlr

// What this PE advertises (D24.2 ID_AA64*_EL1, cache identification). Every
// field not named is 0: the feature is absent.
namespace id {
// ID_AA64PFR0_EL1: EL0, EL1, EL2 AArch64 only (1), EL3 absent (0), FP and
// AdvSIMD implemented without half-precision arithmetic (0), GIC = 1: the
// GICv3 system register interface (ICC_* reach the virtual CPU interface,
// cpu/gic_cpuif.h).
inline constexpr uint64_t kAa64Pfr0 = 0x1ull | 0x1ull << 4 | 0x1ull << 8 | 0x1ull << 24;
// ID_AA64DFR0_EL1: DebugVer = v8.0 (6), BRPs = 5 (6 breakpoints), WRPs = 3
// (4 watchpoints), CTX_CMPs = 0 (1 context-aware), PMUVer = 0,
// DoubleLock = 0xF (not implemented).
inline constexpr uint64_t kAa64Dfr0 = 0x6ull | 0x5ull << 12 | 0x3ull << 20 | 0xFull << 36;
// ID_AA64ISAR0_EL1: AES = 2 (AES and 64-bit PMULL), SHA1 = 1, SHA2 = 1
// (SHA-256 only), CRC32 = 1, Atomic = 2 (FEAT_LSE).
inline constexpr uint64_t kAa64Isar0 =
    0x2ull << 4 | 0x1ull << 8 | 0x1ull << 12 | 0x1ull << 16 | 0x2ull << 20;
// ID_AA64ISAR1_EL1: DPB = 1 (DC CVAP), LRCPC = 1 (LDAPR), SB = 1.
inline constexpr uint64_t kAa64Isar1 = 0x1ull | 0x1ull << 20 | 0x1ull << 36;
// ID_AA64MMFR0_EL1: PARange = 48 bits (5), ASIDBits = 16 (2), TGran16 = 1
// (supported), TGran64 = TGran4 = 0 (supported), no mixed endian.
inline constexpr uint64_t kAa64Mmfr0 = 0x5ull | 0x2ull << 4 | 0x1ull << 20;
// CTR_EL0: 64-byte lines (IminLine = DminLine = 4), PIPT instruction cache
// (L1Ip = 3), ERG = CWG = 4 (64 bytes), IDC = DIC = 0, bit 31 RES1.
inline constexpr uint64_t kCtr = 1ull << 31 | 4ull << 24 | 4ull << 20 | 4ull << 16 |
                                 3ull << 14 | 4ull;
// DCZID_EL0.BS: DC ZVA zeroes 4 << 4 = 64 bytes.
inline constexpr uint64_t kDczidBs = 4;
// CLIDR_EL1: L1 separate I and D (Ctype1 = 3), L2 unified (Ctype2 = 4),
// LoUIS = 1, LoC = 2, LoUU = 1.
inline constexpr uint64_t kClidr = 3ull | 4ull << 3 | 1ull << 21 | 2ull << 24 | 1ull << 27;
// CCSIDR_EL1 for CSSELR_EL1.{Level, InD} (without FEAT_CCIDX): L1D 32 KiB
// 4-way, L1I 32 KiB 2-way, L2 1 MiB 16-way, all 64-byte lines. A selection
// with no cache reads 0 (the manual says UNKNOWN).
constexpr uint64_t ccsidr_value(uint64_t sets, uint64_t ways) {
    return (sets - 1) << 13 | (ways - 1) << 3 | 2;  // LineSize 2 = 64 bytes
}
constexpr uint64_t ccsidr(uint64_t csselr) {
    switch (csselr & 0xF) {
    case 0: return ccsidr_value(128, 4);    // Level 1, data
    case 1: return ccsidr_value(256, 2);    // Level 1, instruction
    case 2: return ccsidr_value(1024, 16);  // Level 2, unified
    default: return 0;
    }
}
// MIDR_EL1 reset value of VPIDR_EL2: Implementer 0x00 ("reserved for
// software use": this PE is no Arm part), Architecture 0xF (see the ID
// registers), PartNum 0x001, Variant 0, Revision 0.
inline constexpr uint64_t kMidr = 0x000F0010;
}  // namespace id

// Who may access a register from EL0 (the EL0 branch of its accessor).
enum class SysRegEl0 : uint8_t {
    Undefined,  // EL1 register: UNDEFINED at EL0
    RW,
    RO,         // writes UNDEFINED (TPIDRRO_EL0)
    UMA,        // SCTLR_EL1.UMA = 0 traps to EL1 (DAIF)
    UCT,        // SCTLR_EL1.UCT = 0 traps to EL1 (CTR_EL0)
    UCI,        // SCTLR_EL1.UCI = 0 traps to EL1 (DC CVAU etc., IC IVAU)
    DZE,        // SCTLR_EL1.DZE = 0 traps to EL1 (DC ZVA)
    CntFrq,     // CNTKCTL_EL1.EL0PCTEN or EL0VCTEN, else trap to EL1
    CntPct,     // CNTKCTL_EL1.EL0PCTEN, else trap to EL1
    CntVct,     // CNTKCTL_EL1.EL0VCTEN, else trap to EL1
    CntVTimer,  // CNTKCTL_EL1.EL0VTEN, else trap to EL1 (CNTV_*)
    CntPTimer,  // CNTKCTL_EL1.EL0PTEN, else trap to EL1 (CNTP_*)
};

// Which EL2 control traps an access (EL0 and EL1).
enum class SysRegTrap : uint8_t {
    None,
    VM,      // HCR_EL2.TVM traps writes, HCR_EL2.TRVM reads
    TID1,    // HCR_EL2.TID1
    TID2,    // HCR_EL2.TID2
    TID3,    // HCR_EL2.TID3 (reads of ID group 3)
    TACR,    // HCR_EL2.TACR (ACTLR_EL1)
    TCPAC,   // CPTR_EL2.TCPAC (CPACR_EL1)
    TDA,     // MDCR_EL2.TDA or TDE (debug registers)
    TDOSA,   // MDCR_EL2.TDOSA or TDE (OS lock registers)
    TDRA,    // MDCR_EL2.TDRA or TDE (debug ROM address)
    TTLB,    // HCR_EL2.TTLB (TLB maintenance)
    TPU,     // HCR_EL2.TPU (cache maintenance to the PoU)
    TPCP,    // HCR_EL2.TPCP (cache maintenance to the PoC/PoP)
    TSW,     // HCR_EL2.TSW (data cache maintenance by set/way)
    TDZ,     // HCR_EL2.TDZ (DC ZVA)
    EL1PCTEN,  // CNTHCTL_EL2.EL1PCTEN = 0 traps (CNTPCT_EL0)
    EL1PCEN,   // CNTHCTL_EL2.EL1PCEN = 0 traps (CNTP_CTL/CVAL/TVAL_EL0)
    IchTALL0,  // ICH_HCR_EL2.TALL0 (ICV group 0 registers)
    IchTALL1,  // ICH_HCR_EL2.TALL1 (ICV group 1 registers)
    IchTC,     // ICH_HCR_EL2.TC (ICV_CTLR, ICV_PMR, ICV_RPR)
    IchTDIR,   // ICH_HCR_EL2.TC or TDIR (ICV_DIR)
    GicSgi,    // always (ICC_SGI0R/SGI1R/ASGI1R writes with IMO/FMO set)
};

// Conditions on EL1 access.
enum class SysRegEl1 : uint8_t {
    Allowed,
    SpSel1,   // UNDEFINED while PSTATE.SP = 0 (SP_EL0)
    El2Only,  // UNDEFINED at EL1 (SP_EL1, ICH_*_EL2)
    // GIC CPU interface registers: with the HCR_EL2 routing bit set they act
    // on the virtual interface; without it they would reach the physical
    // interface, which is not modelled: UNDEFINED.
    Imo,       // HCR_EL2.IMO (group 1 registers)
    Fmo,       // HCR_EL2.FMO (group 0 registers)
    ImoOrFmo,  // either (common registers)
};

struct SysRegDesc {
    std::string_view name;
    arch::SysRegId id;
    SysRegEl0 el0;
    SysRegTrap trap;
    uint64_t (*read)(const Cpu&);   // null: the read direction is UNDEFINED
    void (*write)(Cpu&, uint64_t);  // null: the write direction is UNDEFINED
    SysRegEl1 el1 = SysRegEl1::Allowed;
    // A read with side effects (ICC_IAR<n>_EL1 acknowledges): what an MRS
    // executes; `read` is then its side-effect-free view.
    uint64_t (*read_acting)(Cpu&) = nullptr;
    // FPCR and FPSR: the SIMD&FP access check (CPACR_EL1.FPEN, then
    // CPTR_EL2.TFP) comes before every other rule, EC 0x07 like a SIMD&FP
    // instruction (Cpu::fp_access_trap).
    bool fp = false;
};

// The table, strictly increasing by id.
std::span<const SysRegDesc> sysreg_table();

// The descriptor for an encoding: a table entry, or the read-as-zero
// descriptor of the unallocated ID space (op0 = 3, op1 = 0, CRn = 0,
// CRm = 1..7, D23.3.1), or null.
const SysRegDesc* find_sysreg(arch::SysRegId id);

// FpTrap: the SIMD&FP access trap, routed as Cpu::fp_access_trap routes it.
enum class SysRegAccess : uint8_t { Ok, Undefined, TrapToEl1, TrapToEl2, FpTrap };

// The access check, separate from the value: what an MRS (is_read) or
// MSR/SYS at the current EL does before it touches the register.
SysRegAccess check_sysreg_access(const Cpu& cpu, const SysRegDesc& d, bool is_read);

// Executes MRS/MSR (register)/SYS/SYSL for encoding id and register rt:
// checks, then reads into Xt or writes Xt, or takes the exception (EC 0x18
// to EL1 or EL2 with the instruction's syndrome, preferred return = the
// instruction; EC 0x00 for UNDEFINED).
Flow access_sysreg(Cpu& cpu, arch::SysRegId id, unsigned rt, bool is_read);

// An unhandled encoding as a table line, ready to paste:
//   {"S3_0_C15_C2_0", {3, 0, 15, 2, 0}, ...}  // MRS at EL1
std::string unhandled_sysreg_entry(arch::SysRegId id, bool is_read);

}  // namespace cpu
