// The system register table and kvm_handle_sys_reg, driven with synthetic
// EC 0x18 exits: the test sets ESR_EL2 as the CPU would for a trapped MRS,
// MSR or SYS and checks what the hypervisor does (Linux: sys_regs.c).
#include <gtest/gtest.h>

#include <vector>

#include "arch/esr.h"
#include "cpu/sysregs.h"
#include "hyp/sys_regs.h"
#include "kvm/uapi.h"
#include "tests/hyp/vcpu_fixture.h"

namespace hyp {
namespace {

using arch::SysRegId;

using test::kPc;
using test::kVbar;

// Records SGIs as an in-kernel irqchip would receive them.
struct SgiRecorder : IrqChip {
    std::vector<std::pair<uint64_t, bool>> sgis;
    void flush_hwstate(KvmVcpu&) override {}
    void sync_hwstate(KvmVcpu&) override {}
    bool vcpu_pending_irq(KvmVcpu&) override { return false; }
    kvm::Result<void> irq_line(uint32_t, bool) override { return {}; }
    void dispatch_sgi(KvmVcpu&, uint64_t value, bool group1) override {
        sgis.emplace_back(value, group1);
    }
};

struct SysRegs : test::VcpuTest {
    ExitAction trap(SysRegId id, unsigned rt, bool is_read) {
        v->cpu().state().el2.esr = arch::esr(
            arch::EC::SysReg,
            arch::encode_sysreg_iss({uint8_t(id.op0()), uint8_t(id.op1()), uint8_t(id.crn()),
                                     uint8_t(id.crm()), uint8_t(id.op2()), uint8_t(rt), is_read}));
        return handle_exit(*v);
    }
    uint64_t mrs(SysRegId id) {
        v->pc() = kPc;
        EXPECT_EQ(trap(id, 5, true), ExitAction::Resume);
        EXPECT_EQ(v->pc(), kPc + 4) << "an emulated MRS completes";
        return v->get_reg(5);
    }
    void msr(SysRegId id, uint64_t value) {
        v->pc() = kPc;
        v->set_reg(7, value);
        EXPECT_EQ(trap(id, 7, false), ExitAction::Resume);
        EXPECT_EQ(v->pc(), kPc + 4) << "an emulated MSR completes";
    }
    // The access was UNDEFINED: the guest's EL1 took EC 0x00 at the instruction.
    bool undefined() {
        const auto& el1 = v->cpu().state().el1;
        return v->pc() == kVbar + 0x200 && arch::esr_ec(el1.esr) == arch::EC::Unknown &&
               el1.elr == kPc;
    }
    cpu::State& s() { return v->cpu().state(); }
};

TEST(SysRegTable, SortedUniqueAndEveryShadowRegisterResets) {
    EXPECT_EQ(check_sys_reg_table(), "");
}

// Whatever the CPU can trap to EL2 under the controls this hypervisor sets
// (TVM/TRVM, TID1, TID2, TID3, TACR, TDA, TDOSA, TDRA, SGI generation) has
// a handler.
TEST(SysRegTable, EveryRegisterTheHypervisorTrapsHasAHandler) {
    using T = cpu::SysRegTrap;
    for (const cpu::SysRegDesc& d : cpu::sysreg_table()) {
        const bool trapped = d.trap == T::VM || d.trap == T::TID1 || d.trap == T::TID2 ||
                             d.trap == T::TID3 || d.trap == T::TACR ||
                             d.trap == T::TDA || d.trap == T::TDOSA || d.trap == T::TDRA ||
                             d.trap == T::GicSgi;
        if (!trapped) continue;
        const SysRegDesc* r = find_sys_reg(d.id);
        EXPECT_TRUE(r && r->access) << "got no handler for " << d.name << " (expected one)";
    }
}

TEST_F(SysRegs, IdRegistersAreSanitised) {
    EXPECT_EQ(mrs(arch::sysreg::ID_AA64PFR0_EL1), cpu::id::kAa64Pfr0 & ~(0xFull << 24))
        << "no irqchip: the GICv3 system register interface is hidden";
    SgiRecorder* chip = new SgiRecorder;
    kvm.set_irqchip(std::unique_ptr<IrqChip>(chip));
    EXPECT_EQ(mrs(arch::sysreg::ID_AA64PFR0_EL1), cpu::id::kAa64Pfr0);
    EXPECT_EQ(mrs(SysRegId(3, 0, 0, 3, 3)), 0u) << "unallocated ID space reads as zero";
}

TEST_F(SysRegs, WriteToIdRegisterIsUndefined) {
    v->pc() = kPc;
    trap(arch::sysreg::ID_AA64PFR0_EL1, 1, false);
    EXPECT_TRUE(undefined());
}

// kvm_toggle_cache: TVM stays set until SCTLR_EL1.{M, C} are both 1.
TEST_F(SysRegs, TvmClearedOnceMmuAndCachesAreOn) {
    ASSERT_TRUE(s().el2.hcr & cpu::hcr::kTVM) << "reset traps the VM registers";
    msr(arch::sysreg::SCTLR_EL1, 0x1);
    EXPECT_TRUE(s().el2.hcr & cpu::hcr::kTVM) << "MMU on, caches off: still trapped";
    msr(arch::sysreg::SCTLR_EL1, 0x5);
    EXPECT_EQ(s().el1.sctlr & 0x5, 0x5u);
    EXPECT_FALSE(s().el2.hcr & cpu::hcr::kTVM);
}

// kvm_set_way_flush: a set/way operation traps the VM registers again.
TEST_F(SysRegs, SetWayOperationSetsTvm) {
    s().el2.hcr &= ~cpu::hcr::kTVM;
    msr(SysRegId(1, 0, 7, 14, 2), 0);  // DC CISW
    EXPECT_TRUE(s().el2.hcr & cpu::hcr::kTVM);
}

TEST_F(SysRegs, VmRegistersGoThroughTheCpuMasks) {
    msr(arch::sysreg::TTBR0_EL1, 0x40001001);
    EXPECT_EQ(s().el1.ttbr0, 0x40001000u) << "TTBR0_EL1.CnP is RES0 here";
    EXPECT_EQ(mrs(arch::sysreg::TTBR0_EL1), 0x40001000u);
    msr(arch::sysreg::FAR_EL1, 0x1234);
    EXPECT_EQ(mrs(arch::sysreg::FAR_EL1), 0x1234u);
}

// The OS Lock lives in the vcpu; the CPU's own OSLK stays 0 and, while the
// guest's is set, the guest's MDSCR_EL1.{MDE, KDE, SS} do not reach the CPU.
TEST_F(SysRegs, OsLockIsShadowedAndSilencesGuestDebug) {
    EXPECT_EQ(mrs(arch::sysreg::OSLSR_EL1), 0xAu) << "OSLK resets to 1";
    EXPECT_FALSE(s().el1.oslk);
    msr(arch::sysreg::MDSCR_EL1, 0xA001);
    EXPECT_EQ(mrs(arch::sysreg::MDSCR_EL1), 0xA001u) << "the guest reads what it wrote";
    EXPECT_EQ(s().el1.mdscr, 0u) << "locked: MDE, KDE and SS held back";
    msr(arch::sysreg::OSLAR_EL1, 0);
    EXPECT_EQ(mrs(arch::sysreg::OSLSR_EL1), 0x8u);
    EXPECT_EQ(s().el1.mdscr, 0xA001u);
}

TEST_F(SysRegs, DebugRegistersReachTheCpuUnlessTheDebuggerOwnsThem) {
    msr(SysRegId(2, 0, 0, 1, 4), 0x40200003);  // DBGBVR1_EL1
    EXPECT_EQ(s().el1.dbgbvr[1], 0x40200000u);
    EXPECT_EQ(mrs(SysRegId(2, 0, 0, 1, 4)), 0x40200000u);
    v->guest_debug.control = kvm::guestdbg::kEnable | kvm::guestdbg::kUseHw;
    msr(SysRegId(2, 0, 0, 1, 4), 0x40300000);
    EXPECT_EQ(s().el1.dbgbvr[1], 0x40200000u) << "the debugger's value stays";
    EXPECT_EQ(mrs(SysRegId(2, 0, 0, 1, 4)), 0x40300000u) << "the guest sees its own";
}

TEST_F(SysRegs, SgiGenerationNeedsAnIrqchip) {
    v->pc() = kPc;
    trap(SysRegId(3, 0, 12, 11, 5), 1, false);
    EXPECT_TRUE(undefined()) << "ICC_SGI1R_EL1 without an irqchip";
    SgiRecorder* chip = new SgiRecorder;
    kvm.set_irqchip(std::unique_ptr<IrqChip>(chip));
    msr(SysRegId(3, 0, 12, 11, 5), 0x10002);
    msr(SysRegId(3, 0, 12, 11, 6), 0x30004);
    msr(SysRegId(3, 0, 12, 11, 7), 0x50006);
    ASSERT_EQ(chip->sgis.size(), 3u);
    EXPECT_EQ(chip->sgis[0], std::make_pair(uint64_t(0x10002), true)) << "SGI1R: group 1";
    EXPECT_EQ(chip->sgis[1], std::make_pair(uint64_t(0x30004), false)) << "ASGI1R: group 0";
    EXPECT_EQ(chip->sgis[2], std::make_pair(uint64_t(0x50006), false)) << "SGI0R: group 0";
}

TEST_F(SysRegs, UnknownTrappedRegisterIsUndefined) {
    v->pc() = kPc;
    trap(SysRegId(3, 0, 15, 2, 0), 3, true);
    EXPECT_TRUE(undefined());
}

TEST_F(SysRegs, OneRegReachesTheSameTable) {
    const uint64_t mdscr = kvm::reg::sysreg(arch::sysreg::MDSCR_EL1.id.packed);
    ASSERT_TRUE(v->set_one_reg(mdscr, 0x8000));
    EXPECT_EQ(mrs(arch::sysreg::MDSCR_EL1), 0x8000u);
    const uint64_t oslsr = kvm::reg::sysreg(arch::sysreg::OSLSR_EL1.id.packed);
    EXPECT_FALSE(v->set_one_reg(oslsr, 0x1)) << "only OSLK may change";
    ASSERT_TRUE(v->set_one_reg(oslsr, 0x8));
    EXPECT_EQ(v->get_one_reg(oslsr).value(), 0x8u);
    EXPECT_EQ(v->get_one_reg(kvm::reg::sysreg(arch::sysreg::MPIDR_EL1.id.packed)).value(),
              0x80000000u);
}

// An Illegal Execution state exception at EL2 is a failed world switch.
TEST_F(SysRegs, IllegalStateAtEl2IsFailEntry) {
    s().el2.esr = arch::esr(arch::EC::IllegalState, 0);
    EXPECT_EQ(handle_exit(*v), ExitAction::ExitToUser);
    EXPECT_EQ(v->run_state().exit_reason, kvm::ExitReason::FailEntry);
}

}  // namespace
}  // namespace hyp
