// The GICv3 virtual CPU interface (IHI 0069 "Virtual CPU interface", the
// ICV_*_EL1 and ICH_*_EL2 register descriptions). The test plays the
// hypervisor: it programs HCR_EL2.IMO/FMO, ICH_HCR_EL2, ICH_VMCR_EL2 and the
// list registers, then runs the guest at EL1.
#include <gtest/gtest.h>

#include "arch/esr.h"
#include "cpu/gic_cpuif.h"
#include "cpu/sysregs.h"
#include "tests/cpu/harness.h"

namespace cpu::test {
namespace {

using gic::LrState;

constexpr uint32_t kNop = 0xd503201f;           // nop
constexpr uint32_t kIar1X0 = 0xd538cc00;        // mrs x0, icc_iar1_el1
constexpr uint32_t kEoir1X0 = 0xd518cc20;       // msr icc_eoir1_el1, x0
constexpr uint32_t kRprX1 = 0xd538cb61;         // mrs x1, icc_rpr_el1
constexpr uint32_t kPmrX2 = 0xd5184602;         // msr icc_pmr_el1, x2
constexpr uint32_t kHppir1X3 = 0xd538cc43;      // mrs x3, icc_hppir1_el1
constexpr uint32_t kDirX0 = 0xd518cb20;         // msr icc_dir_el1, x0
constexpr uint32_t kIgrpen1X4 = 0xd518cce4;     // msr icc_igrpen1_el1, x4
constexpr uint32_t kCtlrX5 = 0xd518cc85;        // msr icc_ctlr_el1, x5
constexpr uint32_t kSgi1rX7 = 0xd518cba7;       // msr icc_sgi1r_el1, x7
constexpr uint32_t kIar0X0 = 0xd538c800;        // mrs x0, icc_iar0_el1
constexpr uint32_t kIchHcrX1 = 0xd53ccb01;      // mrs x1, ich_hcr_el2

uint64_t make_lr(LrState st, unsigned group, uint64_t prio, uint64_t vintid) {
    return uint64_t(st) << gic::lr::kStateShift | (group ? gic::lr::kGroup : 0) |
           prio << gic::lr::kPriorityShift | vintid;
}
LrState state_of(uint64_t lr) { return LrState(lr >> gic::lr::kStateShift); }

struct Gic : ::testing::Test {
    Harness h;
    State& s = h.cpu.state();
    void SetUp() override {
        s.el2.hcr = hcr::kIMO | hcr::kFMO;
        s.ich.hcr = gic::ich_hcr::kEn;
        s.ich.vmcr = gic::vmcr::kVENG1 | 0xF0ull << gic::vmcr::kVPMRShift;
        s.ich.lr[0] = make_lr(LrState::Pending, 1, 0x80, 27);
    }
    uint64_t vector(uint64_t off) const { return s.el1.vbar + off; }
    arch::SysRegIss el2_iss() const {
        return arch::decode_sysreg_iss(uint32_t(s.el2.esr) & 0x1FFFFFF);
    }
};

// IHI 0069 "Virtual CPU interface": a pending Group 1 LR that beats VPMR and
// the running priority signals a virtual IRQ, taken at VBAR_EL1 + 0x280.
TEST_F(Gic, PendingGroup1LrRaisesVirtualIrq) {
    h.code({kNop, kNop});
    s.pstate.i = false;
    h.step(1);
    EXPECT_EQ(h.pc(), vector(0x280)) << "current EL with SP_ELx, IRQ";
    EXPECT_EQ(s.el1.elr, kCodeBase) << "taken before the first instruction";
}

TEST_F(Gic, NothingSignalledWhileIchHcrEnIsClear) {
    h.code({kNop, kNop});
    s.pstate.i = false;
    s.ich.hcr = 0;
    h.step(2);
    EXPECT_EQ(h.pc(), kCodeBase + 8);
}

// ICV_IAR1_EL1: the LR goes pending -> active, the group priority's
// ICH_AP1R0_EL2 bit is set, and ICV_RPR_EL1 reports it.
TEST_F(Gic, IarAcknowledgesAndRprShowsThePriority) {
    h.code({kIar1X0, kRprX1});
    h.step(2);
    EXPECT_EQ(h.x(0), 27u);
    EXPECT_EQ(state_of(s.ich.lr[0]), LrState::Active);
    EXPECT_EQ(s.ich.ap1r0, 1u << (0x80 >> 3));
    EXPECT_EQ(h.x(1), 0x80u);
    EXPECT_EQ(gic::pending_lines(s), 0u) << "an active interrupt is no longer signalled";
}

// ICV_EOIR1_EL1 with EOImode = 0: priority drop and deactivation; the LR is
// free again (ICH_ELRSR_EL2).
TEST_F(Gic, EoirDropsPriorityAndDeactivates) {
    h.code({kIar1X0, kEoir1X0, kRprX1});
    h.step(3);
    EXPECT_EQ(state_of(s.ich.lr[0]), LrState::Invalid);
    EXPECT_EQ(s.ich.ap1r0, 0u);
    EXPECT_EQ(h.x(1), 0xFFu) << "idle priority";
    EXPECT_EQ(gic::elrsr(s) & 1, 1u);
}

// ICV_PMR_EL1: an interrupt is signalled only with priority < VPMR; raising
// PMR makes it takeable at once.
TEST_F(Gic, PmrMasksUntilRaised) {
    h.code({kIar1X0, kPmrX2, kNop, kNop});
    s.ich.vmcr = gic::vmcr::kVENG1 | 0x80ull << gic::vmcr::kVPMRShift;
    s.pstate.i = false;
    h.x(2) = 0x90;
    h.step(3);  // the IRQ is taken before a third instruction retires
    EXPECT_EQ(h.x(0), gic::kSpurious) << "priority 0x80 is not below PMR 0x80";
    EXPECT_EQ(h.pc(), vector(0x280)) << "taken right after the MSR";
    EXPECT_EQ(s.el1.elr, kCodeBase + 8);
}

// ICV_IGRPEN1_EL1 (ICH_VMCR_EL2.VENG1): a disabled group is not signalled.
TEST_F(Gic, GroupEnableGatesTheSignal) {
    h.code({kNop, kIgrpen1X4, kNop});
    s.ich.vmcr &= ~gic::vmcr::kVENG1;
    s.pstate.i = false;
    h.x(4) = 1;
    h.step(3);
    EXPECT_EQ(h.pc(), vector(0x280));
    EXPECT_EQ(s.el1.elr, kCodeBase + 8);
}

// ICV_CTLR_EL1.EOImode = 1: EOIR only drops the priority; ICV_DIR_EL1
// deactivates.
TEST_F(Gic, EoiMode1SplitsPriorityDropAndDeactivation) {
    h.code({kCtlrX5, kIar1X0, kEoir1X0, kRprX1, kDirX0});
    h.x(5) = 2;  // EOImode
    h.step(4);
    EXPECT_EQ(state_of(s.ich.lr[0]), LrState::Active);
    EXPECT_EQ(h.x(1), 0xFFu) << "priority dropped";
    h.step(1);
    EXPECT_EQ(state_of(s.ich.lr[0]), LrState::Invalid);
}

// ICV_IAR1_EL1 and ICV_HPPIR1_EL1 return the spurious INTID 1023 when no
// LR qualifies.
TEST_F(Gic, SpuriousWhenNothingQualifies) {
    h.code({kIar1X0, kHppir1X3});
    s.ich.lr[0] = 0;
    h.step(2);
    EXPECT_EQ(h.x(0), 1023u);
    EXPECT_EQ(h.x(3), 1023u);
}

// Preemption: while priority 0x80 is active, only a higher group priority is
// signalled; acknowledging it raises the running priority.
TEST_F(Gic, HigherPriorityPreemptsWhileActive) {
    h.code({kNop, kIar1X0, kRprX1});
    s.ich.lr[0] = make_lr(LrState::Active, 1, 0x80, 27);
    s.ich.ap1r0 = 1u << (0x80 >> 3);
    s.ich.lr[1] = make_lr(LrState::Pending, 1, 0xA0, 31);
    s.pstate.i = false;
    h.step(1);
    EXPECT_EQ(h.pc(), kCodeBase + 4) << "0xA0 does not preempt 0x80";
    s.ich.lr[1] = make_lr(LrState::Pending, 1, 0x40, 30);
    s.pstate.i = true;  // the test reads IAR itself
    h.step(2);
    EXPECT_EQ(h.x(0), 30u);
    EXPECT_EQ(h.x(1), 0x40u);
    EXPECT_EQ(s.ich.ap1r0, (1u << 16) | (1u << 8));
}

// A pending Group 0 LR signals a virtual FIQ (VBAR_EL1 + 0x300); ICV_IAR0_EL1
// acknowledges it.
TEST_F(Gic, Group0RaisesVirtualFiq) {
    h.code({kNop});
    s.ich.vmcr |= gic::vmcr::kVENG0;
    s.ich.lr[0] = make_lr(LrState::Pending, 0, 0x20, 5);
    s.pstate.f = false;
    h.step(1);
    EXPECT_EQ(h.pc(), vector(0x300));
    Harness g;
    g.cpu.state() = s;
    g.code({kIar0X0});
    g.step(1);
    EXPECT_EQ(g.x(0), 5u);
    EXPECT_EQ(g.cpu.state().ich.ap0r0, 1u << (0x20 >> 3));
}

struct TrapCase {
    const char* what;
    uint64_t ich_hcr;
    uint32_t word;
    arch::SysRegId id;
    bool is_read;
};

// ICH_HCR_EL2.TC / TALL1 / TDIR trap the guest's accesses to EL2 with EC
// 0x18 and the MSR/MRS syndrome; ICC_SGI1R_EL1 writes always trap.
TEST_F(Gic, IchHcrTrapsReachEl2WithTheSysregSyndrome) {
    const TrapCase cases[] = {
        {"TC: PMR", gic::ich_hcr::kTC, kPmrX2, {3, 0, 4, 6, 0}, false},
        {"TC: RPR", gic::ich_hcr::kTC, kRprX1, {3, 0, 12, 11, 3}, true},
        {"TALL1: IAR1", gic::ich_hcr::kTALL1, kIar1X0, {3, 0, 12, 12, 0}, true},
        {"TALL1: IGRPEN1", gic::ich_hcr::kTALL1, kIgrpen1X4, {3, 0, 12, 12, 7}, false},
        {"TDIR: DIR", gic::ich_hcr::kTDIR, kDirX0, {3, 0, 12, 11, 1}, false},
        {"SGI1R", 0, kSgi1rX7, {3, 0, 12, 11, 5}, false},
    };
    for (const TrapCase& c : cases) {
        Harness t;
        t.cpu.state() = s;
        t.cpu.state().ich.hcr |= c.ich_hcr;
        t.code({c.word});
        ASSERT_EQ(t.step(1), Stop::Trap) << c.what;
        const State& ts = t.cpu.state();
        EXPECT_EQ(arch::esr_ec(ts.el2.esr), arch::EC::SysReg) << c.what;
        const arch::SysRegIss iss = arch::decode_sysreg_iss(uint32_t(ts.el2.esr) & 0x1FFFFFF);
        EXPECT_EQ(arch::SysRegId(iss.op0, iss.op1, iss.crn, iss.crm, iss.op2), c.id) << c.what;
        EXPECT_EQ(iss.is_read, c.is_read) << c.what;
        EXPECT_EQ(ts.el2.elr, kCodeBase) << c.what;
        EXPECT_EQ(state_of(ts.ich.lr[0]), LrState::Pending) << c.what << ": no side effect";
    }
}

TEST_F(Gic, Tall1LeavesCommonRegistersAlone) {
    h.code({kPmrX2});
    s.ich.hcr |= gic::ich_hcr::kTALL1;
    h.x(2) = 0x60;
    EXPECT_EQ(h.step(1), Stop::Irq);
    EXPECT_EQ(gic::pmr(s), 0x60u);
}

// With IMO/FMO clear the access would reach the physical CPU interface,
// which is not modelled: UNDEFINED (docs/architecture-choices.md).
TEST_F(Gic, WithoutImoIccAccessIsUndefined) {
    h.code({kIar1X0});
    s.el2.hcr = hcr::kFMO;
    h.step(1);
    EXPECT_EQ(arch::esr_ec(s.el1.esr), arch::EC::Unknown);
    EXPECT_EQ(h.pc(), vector(0x200));
}

// ICH_*_EL2 are EL2 registers: UNDEFINED from EL1.
TEST_F(Gic, IchRegistersAreUndefinedAtEl1) {
    h.code({kIchHcrX1});
    h.step(1);
    EXPECT_EQ(arch::esr_ec(s.el1.esr), arch::EC::Unknown);
}

// ICH_MISR_EL2 and the maintenance interrupt (ICH_HCR_EL2.UIE, NPIE,
// LRENPIE, VGrp1EIE/DIE; EOI from ICH_EISR_EL2).
TEST_F(Gic, MisrFollowsTheEnables) {
    s.ich.hcr = gic::ich_hcr::kEn | gic::ich_hcr::kUIE | gic::ich_hcr::kNPIE |
                gic::ich_hcr::kVGrp1EIE | gic::ich_hcr::kVGrp0DIE;
    EXPECT_EQ(gic::misr(s), gic::ich_misr::kU | gic::ich_misr::kVGrp1E | gic::ich_misr::kVGrp0D)
        << "one valid LR (underflow), one pending (not NP)";
    EXPECT_TRUE(h.cpu.maintenance_line());
    s.ich.lr[0] = make_lr(LrState::Active, 1, 0x80, 27);
    EXPECT_NE(gic::misr(s) & gic::ich_misr::kNP, 0u) << "no pending LR";
    s.ich.hcr &= ~gic::ich_hcr::kEn;
    EXPECT_FALSE(h.cpu.maintenance_line()) << "ICH_HCR_EL2.En = 0";
}

// EOI of a vINTID held by no LR increments ICH_HCR_EL2.EOIcount (LRENP);
// deactivating an LR with EOI = 1 and HW = 0 sets its ICH_EISR_EL2 bit (EOI).
TEST_F(Gic, EoiMaintenanceAndEoiCount) {
    h.code({kIar1X0, kEoir1X0, 0xd2800520 /* mov x0, #41 */, kEoir1X0});
    s.ich.lr[0] |= gic::lr::kEoi;
    s.ich.hcr |= gic::ich_hcr::kLRENPIE;
    h.step(2);
    EXPECT_EQ(gic::eisr(s), 1u);
    EXPECT_EQ(gic::elrsr(s) & 1, 0u) << "an LR awaiting maintenance is not free";
    EXPECT_EQ(gic::misr(s), gic::ich_misr::kEOI);
    h.step(2);
    EXPECT_EQ(s.ich.hcr >> gic::ich_hcr::kEOIcountShift, 1u);
    EXPECT_NE(gic::misr(s) & gic::ich_misr::kLRENP, 0u);
}

// The maintenance interrupt is a PPI routed to EL2 (IMO): when it rises
// while the guest runs (here underflow, ICH_HCR_EL2.UIE, as the EOI leaves
// no valid LR), the guest is interrupted after that instruction, with
// ELR_EL2 at the next one; the instructions after it have not run.
TEST_F(Gic, RisingMaintenanceInterruptStopsTheGuest) {
    h.code({kIar1X0, kEoir1X0, kNop, kNop});
    s.ich.hcr |= gic::ich_hcr::kUIE;
    s.ich.lr[1] = make_lr(LrState::Pending, 1, 0x90, 28);  // two valid LRs: no underflow yet
    EXPECT_EQ(h.step(4), Stop::Irq);
    EXPECT_TRUE(h.cpu.maintenance_line());
    EXPECT_EQ(h.pc(), kCodeBase + 8) << "stopped right after the EOI that underflowed";
    EXPECT_EQ(s.el2.elr, kCodeBase + 8);
}

// A maintenance condition the hypervisor leaves asserted at entry does not
// interrupt the guest again (it would never progress).
TEST_F(Gic, MaintenanceAssertedAtEntryDoesNotStopTheGuest) {
    h.code({kNop, kNop, kNop});
    s.ich.lr[0] = 0;
    s.ich.hcr |= gic::ich_hcr::kUIE;  // no valid LR: underflow from the start
    ASSERT_TRUE(h.cpu.maintenance_line());
    h.step(3);
    EXPECT_EQ(h.pc(), kCodeBase + 12);
}

// ICH_VTR_EL2: 4 LRs, 5 priority and preemption bits, 16-bit vINTIDs, TDS,
// A3V.
TEST(GicVtr, AdvertisesTheImplementation) {
    const SysRegDesc* d = find_sysreg(arch::SysRegId(3, 4, 12, 11, 1));
    ASSERT_NE(d, nullptr);
    Harness h;
    const uint64_t v = d->read(h.cpu);
    EXPECT_EQ(v & 0x1F, 3u);
    EXPECT_EQ((v >> 26) & 7, 4u);
    EXPECT_EQ((v >> 29) & 7, 4u);
    EXPECT_EQ((v >> 23) & 7, 0u);
    EXPECT_NE(v & (1u << 19), 0u);
}

}  // namespace
}  // namespace cpu::test
