// MRS/MSR (register) and SYS through the descriptor table (cpu/sysregs.h):
// table order, round trips, RES0/RES1 masking, identification values, EL0
// access rules and the EL2 trap controls (ARM ARM DDI 0487 K.a, D24 "Accessing
// <register>" pseudocode; ISS encoding for EC 0x18 in D24.2.40).
#include <gtest/gtest.h>

#include "arch/esr.h"
#include "arch/fpsimd.h"
#include "arch/sysreg.h"
#include "cpu/sysregs.h"
#include "cpu/timer.h"
#include "tests/cpu/harness.h"

namespace cpu::test {
namespace {

using arch::SysRegId;
namespace sr = arch::sysreg;

// MRS/MSR words for an encoding (C6.2.228 MRS, C6.2.231 MSR (register)); the
// first test checks them against the assembler.
constexpr uint32_t sysreg_word(bool read, SysRegId id, unsigned rt) {
    return 0xD5000000u | (read ? 1u << 21 : 0) | (id.op0() << 19) | (id.op1() << 16) |
           (id.crn() << 12) | (id.crm() << 8) | (id.op2() << 5) | rt;
}
constexpr uint32_t mrs(SysRegId id, unsigned rt) { return sysreg_word(true, id, rt); }
constexpr uint32_t msr(SysRegId id, unsigned rt) { return sysreg_word(false, id, rt); }

TEST(SysRegEncoding, HelperMatchesTheAssembler) {
    EXPECT_EQ(mrs(sr::SCTLR_EL1, 1), 0xd5381001u);   // mrs x1, sctlr_el1
    EXPECT_EQ(msr(sr::TTBR0_EL1, 3), 0xd5182003u);   // msr ttbr0_el1, x3
    EXPECT_EQ(mrs(sr::CTR_EL0, 5), 0xd53b0025u);     // mrs x5, ctr_el0
    EXPECT_EQ(msr(sr::OSLAR_EL1, 1), 0xd5101081u);   // msr oslar_el1, x1
}

// STYLE: the table is sorted by (op0, op1, CRn, CRm, op2) with no duplicates.
TEST(SysRegTable, StrictlyIncreasingByEncodingAndNamed) {
    const auto t = sysreg_table();
    ASSERT_FALSE(t.empty());
    for (size_t i = 0; i < t.size(); ++i) {
        EXPECT_FALSE(t[i].name.empty());
        EXPECT_TRUE(t[i].read || t[i].write) << t[i].name;
        if (i > 0) {
            EXPECT_LT(t[i - 1].id, t[i].id) << t[i - 1].name << " before " << t[i].name;
        }
    }
}

TEST(SysRegTable, FindsEntriesAndTheReservedIdSpace) {
    ASSERT_NE(find_sysreg(sr::SCTLR_EL1), nullptr);
    EXPECT_EQ(find_sysreg(sr::SCTLR_EL1)->name, "SCTLR_EL1");
    const SysRegDesc* raz = find_sysreg(SysRegId(3, 0, 0, 3, 3));  // reserved ID encoding
    ASSERT_NE(raz, nullptr);
    EXPECT_EQ(raz->trap, SysRegTrap::TID3);
    EXPECT_EQ(find_sysreg(SysRegId(3, 0, 15, 0, 0)), nullptr);  // IMPLEMENTATION DEFINED
}

TEST(SysRegTable, UnhandledEntryIsReadyToPaste) {
    EXPECT_EQ(unhandled_sysreg_entry(SysRegId(3, 0, 15, 2, 1), true),
              "reg(\"S3_0_C15_C2_1\", {3, 0, 15, 2, 1}, E0::Undefined, T::None, nullptr, "
              "nullptr),  // unhandled read");
}

// ---- Round trips and masking -------------------------------------------------

struct RoundTrip {
    SysRegId id;
    uint64_t written, read_back;
};

// MSR then MRS of the same register at EL1 (D24 register descriptions).
TEST(SysRegRoundTrip, El1RegistersReadBackWhatWasWrittenMasked) {
    const RoundTrip cases[] = {
        {sr::TTBR0_EL1, 0x0001000040001000, 0x0001000040001000},
        {sr::TTBR1_EL1, 0x0002000040002000, 0x0002000040002000},
        {sr::TCR_EL1, 0x00000032b5193519, 0x00000032b5193519},
        {sr::MAIR_EL1, 0x000000ff440c0400, 0x000000ff440c0400},
        {SysRegId(3, 0, 10, 3, 0) /* AMAIR_EL1 */, 0x55, 0x55},
        {sr::ESR_EL1, 0xFFFFFFFF96000045, 0x96000045},  // ISS2 [63:32] RES0
        {sr::FAR_EL1, 0xFFFF000012345678, 0xFFFF000012345678},
        {SysRegId(3, 0, 5, 1, 0) /* AFSR0_EL1 */, 7, 7},
        {SysRegId(3, 0, 5, 1, 1) /* AFSR1_EL1 */, 9, 9},
        {sr::PAR_EL1, 0x40001000, 0x40001000},
        {sr::TPIDR_EL1, 0x1111, 0x1111},
        {sr::TPIDR_EL0, 0x2222, 0x2222},
        {sr::TPIDRRO_EL0, 0x3333, 0x3333},
        {sr::ELR_EL1, 0xFFFF800000001234, 0xFFFF800000001234},
        {sr::SPSR_EL1, 0xFFFFFFFFFFFFFFFF, 0xF03003DF},  // NZCV SS IL DAIF M[4:0]
        {sr::CONTEXTIDR_EL1, 0xFFFFFFFF00001234, 0x1234},
        {SysRegId(3, 0, 1, 0, 1) /* ACTLR_EL1 */, 0x5, 0x5},
        {SysRegId(3, 2, 0, 0, 0) /* CSSELR_EL1 */, 0x13, 0x3},
        {sr::CNTKCTL_EL1, 0xFFFF, 0x3FF},
        {sr::VBAR_EL1, 0x400807FF, 0x40080000},  // bits [10:0] RES0
        {sr::CPACR_EL1, 0xFFFFFFFF, 0x10300000},  // FPEN, TTA
        {sr::MDSCR_EL1, 0x8001, 0x8001},           // MDE, SS
        {sr::SP_EL0, 0x40010000, 0x40010000},
        {sr::NZCV, 0xFFFFFFFF, 0xF0000000},
        {sr::DAIF, 0x140, 0x140},                  // A and F set
        // M stays 0 here: with it set, the MRS would be fetched through stage 1.
        {sr::SCTLR_EL1, ~1ull, 0x040DD21Eull | 0x30D00800},
        {sr::SCTLR_EL1, 0, 0x30D00800},           // RES1 bits stay set
    };
    for (const auto& c : cases) {
        Harness h;
        h.code({msr(c.id, 1), mrs(c.id, 2)});  // msr <reg>, x1; mrs x2, <reg>
        h.x(1) = c.written;
        EXPECT_EQ(h.step(2), Stop::Irq) << find_sysreg(c.id)->name;
        EXPECT_EQ(h.x(2), c.read_back) << find_sysreg(c.id)->name;
    }
}

TEST(SysRegRoundTrip, XzrReadsDiscardAndWritesZero) {  // Rt = 31 is XZR
    Harness h;
    h.code({0xd538101f, 0xd518c01f});  // mrs xzr, sctlr_el1; msr vbar_el1, xzr
    h.step(2);
    EXPECT_EQ(h.x(31), 0u);
    EXPECT_EQ(h.cpu.state().el1.vbar, 0u);
}

TEST(SysReg, CurrentElReadsElInBits3To2) {  // C5.2.1 CurrentEL
    Harness h;
    h.code({0xd5384240});  // mrs x0, currentel
    h.step(1);
    EXPECT_EQ(h.x(0), 4u);
}

TEST(SysReg, SpselReadsAndWritesPstateSp) {  // C5.2.16 SPSel
    Harness h;
    h.code({msr(sr::SPSel, 1), mrs(sr::SPSel, 2)});  // msr spsel, x1; mrs x2, spsel
    h.x(1) = 0;
    h.step(2);
    EXPECT_FALSE(h.cpu.state().pstate.sp);
    EXPECT_EQ(h.x(2), 0u);
}

TEST(SysReg, SpEl0IsUndefinedWhileSpselIsZero) {  // SP_EL0 accessor: PSTATE.SP == 0
    Harness h;
    h.code({0xd5384107});  // mrs x7, sp_el0
    h.cpu.state().pstate.sp = false;
    h.step(1);
    EXPECT_EQ(arch::esr_ec(h.cpu.state().el1.esr), arch::EC::Unknown);
    EXPECT_EQ(h.cpu.state().el1.elr, kCodeBase);
}

TEST(SysReg, SpEl1IsUndefinedAtEl1) {  // SP_EL1 is accessible from EL2 only
    Harness h;
    h.code({0xd53c4108});  // mrs x8, sp_el1
    h.step(1);
    EXPECT_EQ(arch::esr_ec(h.cpu.state().el1.esr), arch::EC::Unknown);
}

TEST(SysReg, OsLockThroughOslarAndOslsr) {  // D24.3 OSLAR_EL1, OSLSR_EL1
    Harness h;
    h.code({0xd5301181, 0xd5101081, 0xd5301182});
    // mrs x1, oslsr_el1; msr oslar_el1, x1; mrs x2, oslsr_el1
    h.step(1);
    EXPECT_EQ(h.x(1), 0xAu);  // OSLM = 0b10, OSLK = 1 (reset)
    h.x(1) = 0;
    h.step(2);
    EXPECT_FALSE(h.cpu.state().el1.oslk);
    EXPECT_EQ(h.x(2), 0x8u);
}

// D24.3 DBGBCR<n>_EL1/DBGWVR<n>_EL1: 6 breakpoints, 4 watchpoints
// (ID_AA64DFR0_EL1.BRPs = 5, WRPs = 3); v8.0 fields only.
TEST(SysRegDebug, BreakpointAndWatchpointRegistersExistAsAdvertised) {
    Harness h;
    h.code({0xd51000a1, 0xd53000a2, 0xd51003c1, 0xd53003c3});
    // msr dbgbcr0_el1, x1; mrs x2, dbgbcr0_el1; msr dbgwvr3_el1, x1; mrs x3, dbgwvr3_el1
    h.x(1) = ~0ull;
    EXPECT_EQ(h.step(4), Stop::Irq);
    EXPECT_EQ(h.x(2), 0x00FFE1E7u);
    EXPECT_EQ(h.x(3), ~3ull);
    EXPECT_EQ(h.cpu.state().el1.dbgbcr[0], 0x00FFE1E7u);
    for (uint32_t word : {0xd5300682u /* mrs x2, dbgbvr6_el1 */,
                          0xd53004e2u /* mrs x2, dbgwcr4_el1 */}) {
        Harness u;
        u.code({word});
        u.step(1);
        EXPECT_EQ(arch::esr_ec(u.cpu.state().el1.esr), arch::EC::Unknown) << std::hex << word;
    }
}

TEST(SysRegDebug, MdcrTdaTrapsBreakpointRegisters) {
    Harness h;
    h.code({0xd5100581});  // msr dbgbvr5_el1, x1
    h.cpu.state().el2.mdcr = mdcr::kTDA;
    EXPECT_EQ(h.step(1), Stop::Trap);
    const auto iss = arch::decode_sysreg_iss(arch::esr_iss(h.cpu.state().el2.esr));
    EXPECT_EQ(SysRegId(iss.op0, iss.op1, iss.crn, iss.crm, iss.op2), SysRegId(2, 0, 0, 5, 4));
    EXPECT_FALSE(iss.is_read);
}

TEST(SysReg, DirectionWithoutAnAccessorIsUndefined) {
    for (uint32_t word : {0xd5180001u /* msr midr_el1, x1 */, 0xd5301081u /* mrs x1, oslar_el1 */,
                          0xd5384261u /* mrs x1, pan (FEAT_PAN absent) */,
                          0xd538f003u /* mrs x3, s3_0_c15_c0_0 */,
                          0xd5287501u /* sysl x1, #0, c7, c5, #0 */}) {
        Harness h;
        h.code({word});
        h.step(1);
        EXPECT_EQ(arch::esr_ec(h.cpu.state().el1.esr), arch::EC::Unknown) << std::hex << word;
        EXPECT_EQ(h.cpu.state().el1.elr, kCodeBase) << std::hex << word;
    }
}

// ---- Identification ------------------------------------------------------------

TEST(SysRegId, MidrAndMpidrReadTheVirtualisationRegisters) {  // MIDR_EL1 at EL1
    Harness h;
    h.code({0xd5380001, 0xd53800a2});  // mrs x1, midr_el1; mrs x2, mpidr_el1
    h.step(2);
    EXPECT_EQ(h.x(1), id::kMidr);
    EXPECT_EQ(h.x(2), 0x80000000u);
    Harness v;
    v.code({0xd5380001, 0xd53800a2});
    v.cpu.state().el2.vpidr = 0x411FD070;
    v.cpu.state().el2.vmpidr = 0x3;
    v.step(2);
    EXPECT_EQ(v.x(1), 0x411FD070u);
    EXPECT_EQ(v.x(2), 0x80000003u);  // bit 31 RES1
}

TEST(SysRegId, AdvertisedFeatures) {
    Harness h;
    h.code({0xd5380402, 0xd5380601, 0xd5380623, 0xd5380704, 0xd5380505});
    // mrs x2, id_aa64pfr0_el1; mrs x1, id_aa64isar0_el1; mrs x3, id_aa64isar1_el1;
    // mrs x4, id_aa64mmfr0_el1; mrs x5, id_aa64dfr0_el1
    h.step(5);
    EXPECT_EQ(h.x(2), 0x01000111u);          // EL0-2 AArch64, FP and AdvSIMD, GIC = 1 (sysregs)
    EXPECT_EQ(h.x(1), 0x00211120u);          // Atomic = 2, CRC32 = 1, SHA2, SHA1, AES + PMULL
    EXPECT_EQ(h.x(3), 0x0000001000100001u);  // SB, LRCPC, DPB
    EXPECT_EQ(h.x(4), 0x00100025u);          // 48-bit PA, 16-bit ASID, 4K/16K/64K
    EXPECT_EQ(h.x(5), 0x000000F000305006u);  // v8.0 debug, 6 BRPs, 4 WRPs
}

TEST(SysRegId, ReservedAndAArch32IdSpaceReadsAsZero) {  // D23.3.1
    Harness h;
    h.code({0xd5380363, 0xd5380104});  // mrs x3, s3_0_c0_c3_3; mrs x4, id_pfr0_el1
    h.x(3) = h.x(4) = 1;
    EXPECT_EQ(h.step(2), Stop::Irq);
    EXPECT_EQ(h.x(3), 0u);
    EXPECT_EQ(h.x(4), 0u);
}

TEST(SysRegId, CacheGeometryFollowsCsselr) {  // CLIDR_EL1, CCSIDR_EL1, CSSELR_EL1
    Harness h;
    h.code({0xd5390021, 0xd51a0001, 0xd5390002});
    // mrs x1, clidr_el1; msr csselr_el1, x1 (x1 = 2: L2); mrs x2, ccsidr_el1
    h.step(1);
    EXPECT_EQ(h.x(1), 0x0A200023u);
    h.x(1) = 2;
    h.step(2);
    EXPECT_EQ(h.x(2), (1023u << 13) | (15u << 3) | 2u);  // 1024 sets, 16 ways, 64 B
}

TEST(SysRegId, CtrAndDczid) {
    Harness h;
    h.code({0xd53b0025, 0xd53b00e1});  // mrs x5, ctr_el0; mrs x1, dczid_el0
    h.step(2);
    EXPECT_EQ(h.x(5), 0x8444C004u);
    EXPECT_EQ(h.x(1), 4u);  // BS = 4 (64 bytes), DZP = 0 at EL1
}

// ---- Generic timer -------------------------------------------------------------

TEST(SysRegTimer, CntvctCountsRetiredInstructionsMinusCntvoff) {  // D12.1.2
    Harness h;
    h.code({0xd503201f, 0xd503201f, 0xd53be04a});  // nop; nop; mrs x10, cntvct_el0
    h.cpu.state().el2.cntvoff = 1;
    h.step(3);
    EXPECT_EQ(h.x(10), 2 * kCounterTicksPerInsn - 1);
}

TEST(SysRegTimer, CntfrqIs62500000AndReadOnly) {
    Harness h;
    h.code({0xd53be00c, msr(sr::CNTFRQ_EL0, 12)});  // mrs x12, cntfrq_el0; msr cntfrq_el0, x12
    h.step(2);
    EXPECT_EQ(h.x(12), 62500000u);
    EXPECT_EQ(arch::esr_ec(h.cpu.state().el1.esr), arch::EC::Unknown);
}

TEST(SysRegTimer, CntpctTrapsToEl2UnlessCnthctlEl1pcten) {  // CNTHCTL_EL2.EL1PCTEN
    Harness h;
    h.code({0xd53be02b});  // mrs x11, cntpct_el0
    EXPECT_EQ(h.step(1), Stop::Trap);
    EXPECT_EQ(arch::esr_ec(h.cpu.state().el2.esr), arch::EC::SysReg);
    Harness ok;
    ok.code({0xd503201f, 0xd53be02b});  // nop; mrs x11, cntpct_el0
    ok.cpu.state().el2.cnthctl = cnthctl::kEL1PCTEN;
    ok.step(2);
    EXPECT_EQ(ok.x(11), kCounterTicksPerInsn);
}

// ---- EL2 traps: ESR_EL2 decodes back to the access -------------------------------

struct TrapCase {
    const char* what;
    uint32_t word;
    uint64_t hcr, mdcr;
    SysRegId id;
    unsigned rt;
    bool is_read;
};

TEST(SysRegTrap, El2ControlsTrapWithTheAccessInTheSyndrome) {
    const TrapCase cases[] = {
        {"TVM write", 0xd5181001 /* msr sctlr_el1, x1 */, hcr::kTVM, 0, sr::SCTLR_EL1, 1, false},
        {"TRVM read", 0xd5382004 /* mrs x4, ttbr0_el1 */, hcr::kTRVM, 0, sr::TTBR0_EL1, 4, true},
        {"TID3", 0xd5380402 /* mrs x2, id_aa64pfr0_el1 */, hcr::kTID3, 0, sr::ID_AA64PFR0_EL1, 2,
         true},
        {"TID3 reserved", 0xd5380363 /* mrs x3, s3_0_c0_c3_3 */, hcr::kTID3, 0,
         SysRegId(3, 0, 0, 3, 3), 3, true},
        {"TID2", 0xd53b0025 /* mrs x5, ctr_el0 */, hcr::kTID2, 0, sr::CTR_EL0, 5, true},
        {"TID1", 0xd53800c1 /* mrs x1, revidr_el1 */, hcr::kTID1, 0, sr::REVIDR_EL1, 1, true},
        {"TDA", 0xd5300243 /* mrs x3, mdscr_el1 */, 0, mdcr::kTDA, sr::MDSCR_EL1, 3, true},
        {"TDE", 0xd5100243 /* msr mdscr_el1, x3 */, 0, mdcr::kTDE, sr::MDSCR_EL1, 3, false},
        {"TDOSA", 0xd5101081 /* msr oslar_el1, x1 */, 0, mdcr::kTDOSA, sr::OSLAR_EL1, 1, false},
        {"TTLB", 0xd5088321 /* tlbi vae1is, x1 */, hcr::kTTLB, 0, SysRegId(1, 0, 8, 3, 1), 1,
         false},
        {"TIDCP", 0xd538f003 /* mrs x3, s3_0_c15_c0_0 */, hcr::kTIDCP, 0,
         SysRegId(3, 0, 15, 0, 0), 3, true},
        {"TSW", 0xd5087e42 /* dc cisw, x2 */, hcr::kTSW, 0, SysRegId(1, 0, 7, 14, 2), 2, false},
    };
    for (const auto& c : cases) {
        Harness h;
        h.code({c.word});
        h.cpu.state().el2.hcr = c.hcr;
        h.cpu.state().el2.mdcr = c.mdcr;
        const uint64_t sctlr_before = h.cpu.state().el1.sctlr;
        EXPECT_EQ(h.step(1), Stop::Trap) << c.what;
        const auto& el2 = h.cpu.state().el2;
        EXPECT_EQ(arch::esr_ec(el2.esr), arch::EC::SysReg) << c.what;
        EXPECT_EQ(el2.elr, kCodeBase) << c.what;  // preferred return: the instruction
        const auto iss = arch::decode_sysreg_iss(arch::esr_iss(el2.esr));
        EXPECT_EQ(SysRegId(iss.op0, iss.op1, iss.crn, iss.crm, iss.op2), c.id) << c.what;
        EXPECT_EQ(iss.rt, c.rt) << c.what;
        EXPECT_EQ(iss.is_read, c.is_read) << c.what;
        EXPECT_EQ(h.cpu.retired(), 0u) << c.what;
        EXPECT_EQ(h.cpu.state().el1.sctlr, sctlr_before) << c.what;  // no effect
    }
}

TEST(SysRegTrap, TvmDoesNotTrapReadsNorTrvmWrites) {
    Harness h;
    h.code({0xd5381001, 0xd5182003});  // mrs x1, sctlr_el1; msr ttbr0_el1, x3
    h.cpu.state().el2.hcr = hcr::kTVM;  // traps writes only
    h.x(3) = 0x1000;
    EXPECT_EQ(h.step(1), Stop::Irq);
    h.cpu.state().el2.hcr = hcr::kTRVM;  // reads only
    EXPECT_EQ(h.step(1), Stop::Irq);
    EXPECT_EQ(h.cpu.state().el1.ttbr0, 0x1000u);
}

void to_el0(Harness& h) {
    h.cpu.state().pstate.el = 0;
    h.cpu.state().pstate.sp = false;
}

// ---- FPCR and FPSR (C5.2.8, C5.2.10) ---------------------------------------------

constexpr uint64_t kFpenAll = 3ull << cpacr::kFPENShift;   // no SIMD&FP trap
constexpr uint64_t kFpenEl1 = 1ull << cpacr::kFPENShift;   // EL0 trapped
constexpr uint32_t kFpAccessEsr = 0x1FE00000;  // EC 0x07, IL, CV = 1, COND = 0xE

// MSR then MRS: only AHP, DN, FZ, RMode stay in FPCR (the trap enables
// RAZ/WI, no FEAT_FP16), only the cumulative flags and QC in FPSR (no
// AArch32: NZCV RES0).
TEST(SysRegFp, FpcrAndFpsrKeepTheirImplementedBits) {
    Harness h;
    h.code({msr(sr::FPCR, 1), mrs(sr::FPCR, 2), msr(sr::FPSR, 1), mrs(sr::FPSR, 3)});
    h.cpu.state().el1.cpacr = kFpenAll;
    h.x(1) = ~0ull;
    EXPECT_EQ(h.step(4), Stop::Irq);
    EXPECT_EQ(h.x(2), 0x07C00000u);
    EXPECT_EQ(h.x(3), 0x0800009Fu);
    EXPECT_EQ(h.cpu.state().fpcr, 0x07C00000u);
    EXPECT_EQ(h.cpu.state().fpsr, 0x0800009Fu);
}

// AArch64.CheckFPEnabled before the register: CPACR_EL1.FPEN traps to EL1
// (EL0 and EL1 with 0b00, EL0 only with 0b01), with the SIMD&FP syndrome
// and the MSR/MRS as preferred return; nothing is read or written.
TEST(SysRegFp, CpacrFpenTrapsToEl1WithEc07) {
    struct Case { const char* what; uint64_t cpacr; unsigned el; uint32_t word; };
    const Case cases[] = {
        {"EL1, FPEN = 0b00, MRS FPCR", 0, 1, mrs(sr::FPCR, 2)},
        {"EL1, FPEN = 0b00, MSR FPSR", 0, 1, msr(sr::FPSR, 1)},
        {"EL0, FPEN = 0b01, MRS FPSR", kFpenEl1, 0, mrs(sr::FPSR, 2)},
        {"EL0, FPEN = 0b00, MSR FPCR", 0, 0, msr(sr::FPCR, 1)},
    };
    for (const auto& c : cases) {
        Harness h;
        h.code({c.word});
        h.cpu.state().el1.cpacr = c.cpacr;
        if (c.el == 0) to_el0(h);
        h.x(1) = ~0ull;
        h.x(2) = 0x55;
        h.step(1);
        EXPECT_EQ(h.cpu.state().el1.esr, kFpAccessEsr) << c.what;
        EXPECT_EQ(h.cpu.state().el1.elr, kCodeBase) << c.what;
        EXPECT_EQ(h.x(2), 0x55u) << c.what;
        EXPECT_EQ(h.cpu.state().fpcr | h.cpu.state().fpsr, 0u) << c.what;
    }
}

// CPTR_EL2.TFP traps to EL2, after the CPACR check: with both set the
// exception goes to EL1.
TEST(SysRegFp, CptrTfpTrapsToEl2AfterTheCpacrCheck) {
    Harness h;
    h.code({mrs(sr::FPSR, 2)});
    h.cpu.state().el1.cpacr = kFpenAll;
    h.cpu.state().el2.cptr = cptr::kTFP;
    EXPECT_EQ(h.step(1), Stop::Trap);
    EXPECT_EQ(h.cpu.state().el2.esr, kFpAccessEsr);
    EXPECT_EQ(h.cpu.state().el2.elr, kCodeBase);
    EXPECT_EQ(h.cpu.retired(), 0u);

    Harness both;
    both.code({mrs(sr::FPSR, 2)});
    both.cpu.state().el2.cptr = cptr::kTFP;
    EXPECT_EQ(both.step(1), Stop::Irq);
    EXPECT_EQ(both.cpu.state().el1.esr, kFpAccessEsr);
}

TEST(SysRegFp, El0ReachesFpcrWhenFpenAllows) {
    Harness h;
    h.code({msr(sr::FPCR, 1), mrs(sr::FPCR, 2)});
    h.cpu.state().el1.cpacr = kFpenAll;
    to_el0(h);
    h.x(1) = arch::fpcr::kDN;
    EXPECT_EQ(h.step(2), Stop::Irq);
    EXPECT_EQ(h.x(2), arch::fpcr::kDN);
}

// ---- EL0 -----------------------------------------------------------------------

arch::EC el1_ec(const Harness& h) { return arch::esr_ec(h.cpu.state().el1.esr); }

TEST(SysRegEl0, El1RegistersAreUndefinedAtEl0) {
    for (uint32_t word : {0xd5381001u /* mrs x1, sctlr_el1 */, 0xd5384240u /* mrs x0, currentel */,
                          0xd5380402u /* mrs x2, id_aa64pfr0_el1 (no FEAT_IDST) */,
                          0xd508871fu /* tlbi vmalle1 */, 0xd508751fu /* ic iallu */}) {
        Harness h;
        h.code({word});
        to_el0(h);
        h.step(1);
        EXPECT_EQ(el1_ec(h), arch::EC::Unknown) << std::hex << word;
        EXPECT_EQ(h.pc(), h.cpu.state().el1.vbar + 0x400);
    }
}

TEST(SysRegEl0, CtrTrapsToEl1UnlessSctlrUct) {
    Harness h;
    h.code({0xd53b0025});  // mrs x5, ctr_el0
    to_el0(h);
    h.step(1);
    EXPECT_EQ(el1_ec(h), arch::EC::SysReg);
    const auto iss = arch::decode_sysreg_iss(arch::esr_iss(h.cpu.state().el1.esr));
    EXPECT_EQ(SysRegId(iss.op0, iss.op1, iss.crn, iss.crm, iss.op2), sr::CTR_EL0);
    EXPECT_EQ(iss.rt, 5);
    EXPECT_TRUE(iss.is_read);

    Harness u;
    u.code({0xd53b0025});
    to_el0(u);
    u.cpu.state().el1.sctlr |= sctlr::kUCT;
    EXPECT_EQ(u.step(1), Stop::Irq);
    EXPECT_EQ(u.x(5), id::kCtr);
}

TEST(SysRegEl0, DaifFollowsSctlrUma) {
    Harness h;
    h.code({0xd53b4226});  // mrs x6, daif
    to_el0(h);
    h.step(1);
    EXPECT_EQ(el1_ec(h), arch::EC::SysReg);
    Harness u;
    u.code({0xd53b4226});
    to_el0(u);
    u.cpu.state().el1.sctlr |= sctlr::kUMA;
    EXPECT_EQ(u.step(1), Stop::Irq);
    EXPECT_EQ(u.x(6), 0x3C0u);
}

// SCTLR_EL1.DZE = 0 traps EL0's DC ZVA to EL1 (EC 0x18) and makes
// DCZID_EL0.DZP read 1; with DZE = 1 DC ZVA is permitted, and with the MMU
// off memory is Device, so it takes an Alignment fault instead
// (D24.2.158 SCTLR_EL1.DZE, D24.2.36 DCZID_EL0, C5.3 DC ZVA).
TEST(SysRegEl0, DcZvaFollowsSctlrDze) {
    constexpr uint64_t kBlock = kRamBase + 0x3000;
    Harness h;
    h.code({0xd53b00e2, 0xd50b7421});  // mrs x2, dczid_el0; dc zva, x1
    to_el0(h);
    h.x(1) = kBlock + 8;
    h.put64(kBlock, ~0ull);
    h.step(2);
    EXPECT_EQ(h.x(2) & 0x10, 0x10u) << "DZP: DC ZVA prohibited";
    EXPECT_EQ(el1_ec(h), arch::EC::SysReg);
    EXPECT_EQ(h.get64(kBlock), ~0ull);

    Harness u;
    u.code({0xd53b00e2, 0xd50b7421});
    to_el0(u);
    u.cpu.state().el1.sctlr |= sctlr::kDZE;
    u.x(1) = kBlock + 8;
    u.put64(kBlock, ~0ull);
    u.step(2);
    EXPECT_EQ(u.x(2), 0x4u) << "DZP clear, BS = 4 (64 bytes)";
    EXPECT_EQ(el1_ec(u), arch::EC::DataAbortLow);
    EXPECT_EQ(u.cpu.state().el1.esr & 0x3F, arch::fsc::kAlignment);
    EXPECT_EQ(u.get64(kBlock), ~0ull);
}

TEST(SysRegEl0, TpidrroIsReadOnlyAtEl0) {
    Harness h;
    h.code({0xd53bd069, 0xd51bd069});  // mrs x9, tpidrro_el0; msr tpidrro_el0, x9
    h.cpu.state().el1.tpidrro_el0 = 0x77;
    to_el0(h);
    h.step(1);
    EXPECT_EQ(h.x(9), 0x77u);
    h.step(1);
    EXPECT_EQ(el1_ec(h), arch::EC::Unknown);
    EXPECT_EQ(h.cpu.state().el1.elr, kCodeBase + 4);
}

TEST(SysRegEl0, NzcvAndTpidrEl0AreFreeAtEl0) {
    Harness h;
    h.code({0xd51b4201, 0xd51bd041});  // msr nzcv, x1; msr tpidr_el0, x1
    h.x(1) = 0x60000000;
    to_el0(h);
    EXPECT_EQ(h.step(2), Stop::Irq);
    EXPECT_TRUE(h.cpu.state().pstate.z() && h.cpu.state().pstate.c());
    EXPECT_EQ(h.cpu.state().el1.tpidr_el0, 0x60000000u);
}

TEST(SysRegEl0, CounterAccessFollowsCntkctl) {  // CNTKCTL_EL1.EL0VCTEN/EL0PCTEN
    Harness h;
    h.code({0xd53be04a});  // mrs x10, cntvct_el0
    to_el0(h);
    h.step(1);
    EXPECT_EQ(el1_ec(h), arch::EC::SysReg);
    Harness v;
    v.code({0xd53be04a, 0xd53be00c});  // mrs x10, cntvct_el0; mrs x12, cntfrq_el0
    to_el0(v);
    v.cpu.state().el1.cntkctl = cntkctl::kEL0VCTEN;
    EXPECT_EQ(v.step(2), Stop::Irq);
    EXPECT_EQ(v.x(12), kCounterFrequencyHz);
    Harness p;
    p.code({0xd53be02b});  // mrs x11, cntpct_el0
    to_el0(p);
    p.cpu.state().el1.cntkctl = cntkctl::kEL0VCTEN;  // not EL0PCTEN
    p.step(1);
    EXPECT_EQ(el1_ec(p), arch::EC::SysReg);
}

TEST(SysRegEl0, CacheMaintenanceFollowsSctlrUci) {
    Harness h;
    h.code({0xd50b7521});  // ic ivau, x1
    to_el0(h);
    h.step(1);
    EXPECT_EQ(el1_ec(h), arch::EC::SysReg);
    Harness u;
    u.code({0xd50b7521, 0xd50b7b21, 0xd50b7e21});  // ic ivau, x1; dc cvau, x1; dc civac, x1
    to_el0(u);
    u.cpu.state().el1.sctlr |= sctlr::kUCI;
    EXPECT_EQ(u.step(3), Stop::Irq);
}

// ---- SYS -----------------------------------------------------------------------

TEST(Sys, CacheAndTlbMaintenanceAreNoOpsAtEl1) {
    Harness h;
    h.code({0xd508871f, 0xd5088321, 0xd508751f, 0xd50b7e21, 0xd50b7c21});
    // tlbi vmalle1; tlbi vae1is, x1; ic iallu; dc civac, x1; dc cvap, x1
    EXPECT_EQ(h.step(5), Stop::Irq);
    EXPECT_EQ(h.pc(), kCodeBase + 20);
}

TEST(Sys, DcZvaWithStage1OffIsAnAlignmentFault) {  // Device memory, D8.2.11
    Harness h;
    h.code({0xd50b742d});  // dc zva, x13
    h.x(13) = kRamBase + 0x2000;
    h.step(1);
    EXPECT_EQ(el1_ec(h), arch::EC::DataAbortCur);
    EXPECT_EQ(arch::esr_iss(h.cpu.state().el1.esr) & 0x3F, arch::fsc::kAlignment);
    EXPECT_EQ(h.cpu.state().el1.far, kRamBase + 0x2000);
}

TEST(Sys, DcZvaAtEl0NeedsSctlrDze) {
    Harness h;
    h.code({0xd50b742d});  // dc zva, x13
    to_el0(h);
    h.step(1);
    EXPECT_EQ(el1_ec(h), arch::EC::SysReg);
}

}  // namespace
}  // namespace cpu::test
