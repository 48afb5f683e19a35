// Writable ID registers through KVM_SET_ONE_REG (Linux >= 6.7 set_id_reg,
// 6.15 MIDR/REVIDR/AIDR, 6.3 CTR/CLIDR/CCSIDR): a field may be lowered to a
// value this PE supports, never raised; nothing changes once the VM has run;
// the guest's trapped reads return what userspace wrote.
#include <gtest/gtest.h>

#include "arch/esr.h"
#include "cpu/sysregs.h"
#include "hyp/emulate.h"
#include "kvm/uapi.h"
#include "tests/hyp/vcpu_fixture.h"

namespace hyp {
namespace {

namespace sr = arch::sysreg;
using arch::SysRegId;

struct IdRegsTest : test::VcpuTest {
    static uint64_t id(SysRegId r) { return kvm::reg::sysreg(r.packed); }
    kvm::Result<void> set(SysRegId r, uint64_t value) { return v->set_one_reg(id(r), value); }
    uint64_t get(SysRegId r) { return v->get_one_reg(id(r)).value(); }
    // The guest's MRS of r, trapped and emulated.
    uint64_t mrs(SysRegId r) {
        v->pc() = test::kPc;
        v->cpu().state().el2.esr = arch::esr(
            arch::EC::SysReg, arch::encode_sysreg_iss({uint8_t(r.op0()), uint8_t(r.op1()),
                                                       uint8_t(r.crn()), uint8_t(r.crm()),
                                                       uint8_t(r.op2()), 5, true}));
        EXPECT_EQ(handle_exit(*v), ExitAction::Resume);
        EXPECT_EQ(v->pc(), test::kPc + 4) << "the read was emulated";
        return v->get_reg(5);
    }
};

constexpr uint64_t kAtomic = 0xFull << 20;  // ID_AA64ISAR0_EL1.Atomic

TEST_F(IdRegsTest, LoweringAFeatureIsAllowedAndTheGuestReadsIt) {
    const uint64_t without_lse = cpu::id::kAa64Isar0 & ~kAtomic;
    ASSERT_TRUE(set(sr::ID_AA64ISAR0_EL1, without_lse));
    EXPECT_EQ(get(sr::ID_AA64ISAR0_EL1), without_lse);
    EXPECT_EQ(mrs(sr::ID_AA64ISAR0_EL1), without_lse);
    ASSERT_TRUE(set(sr::ID_AA64ISAR1_EL1, 0)) << "no DPB, LRCPC, SB";
    EXPECT_EQ(mrs(sr::ID_AA64ISAR1_EL1), 0u);
}

TEST_F(IdRegsTest, RaisingAFeatureIsRefusedAndChangesNothing) {
    auto r = set(sr::ID_AA64ISAR0_EL1, (cpu::id::kAa64Isar0 & ~kAtomic) | 3ull << 20);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("ID_AA64ISAR0_EL1"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("[23:20]"), std::string::npos) << r.error().message;
    EXPECT_EQ(get(sr::ID_AA64ISAR0_EL1), cpu::id::kAa64Isar0);
    EXPECT_FALSE(set(SysRegId(3, 0, 0, 3, 3), 1)) << "the unallocated ID space stays zero";
    EXPECT_FALSE(set(sr::ID_AA64DFR0_EL1, cpu::id::kAa64Dfr0 | 0x1ull << 8))
        << "PMUVer 1: this PE has no PMU";
}

// Signed fields (FTR_SIGNED): 0xF is "not implemented", below 0.
TEST_F(IdRegsTest, SignedFieldsLowerTowardNotImplemented) {
    constexpr uint64_t kTGran4 = 0xFull << 28, kDoubleLock = 0xFull << 36;
    EXPECT_TRUE(set(sr::ID_AA64MMFR0_EL1, cpu::id::kAa64Mmfr0 | kTGran4)) << "no 4K granule";
    EXPECT_FALSE(set(sr::ID_AA64DFR0_EL1, cpu::id::kAa64Dfr0 & ~kDoubleLock))
        << "DoubleLock 0 (implemented) is more than this PE's 0xF";
}

TEST_F(IdRegsTest, GicFieldFollowsTheIrqchipAndIsNotWritable) {
    EXPECT_FALSE(set(sr::ID_AA64PFR0_EL1, cpu::id::kAa64Pfr0))
        << "GIC = 1 without an in-kernel irqchip";
    EXPECT_TRUE(set(sr::ID_AA64PFR0_EL1, cpu::id::kAa64Pfr0 & ~(0xFull << 24 | 0xFull << 8)))
        << "EL2 lowered to 0";
}

TEST_F(IdRegsTest, AfterTheVmRanOnlyTheCurrentValueIsAccepted) {
    const uint64_t isar0 = get(sr::ID_AA64ISAR0_EL1);
    kvm.mark_ran();
    auto r = set(sr::ID_AA64ISAR0_EL1, isar0 & ~kAtomic);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("busy"), std::string::npos) << r.error().message;
    EXPECT_TRUE(set(sr::ID_AA64ISAR0_EL1, isar0)) << "writing back what was read";
    EXPECT_FALSE(set(sr::MIDR_EL1, 0x411FD070));
    EXPECT_FALSE(v->set_one_reg(kvm::reg::ccsidr(0), 0x701FE00A));
}

// MIDR_EL1 is VPIDR_EL2 for every vcpu, and survives their resets.
TEST_F(IdRegsTest, MidrReachesEveryVcpuThroughVpidr) {
    KvmVcpu* second = kvm.create_vcpu(1).value();
    ASSERT_TRUE(second->init(test::psci_init(true)));
    ASSERT_TRUE(set(sr::MIDR_EL1, 0x411FD070));
    EXPECT_EQ(v->cpu().state().el2.vpidr, 0x411FD070u);
    EXPECT_EQ(second->cpu().state().el2.vpidr, 0x411FD070u);
    ASSERT_TRUE(second->init(test::psci_init()));
    EXPECT_EQ(second->cpu().state().el2.vpidr, 0x411FD070u) << "KVM_ARM_VCPU_INIT resets to the VM's";
    ASSERT_TRUE(set(sr::REVIDR_EL1, 0x5));
    EXPECT_EQ(mrs(sr::REVIDR_EL1), 0x5u) << "trapped by TID1";
}

// CTR_EL0 (ftr_ctr): line sizes lower-safe, granules higher-safe, L1Ip
// EXACT with VIPT as its safe value.
TEST_F(IdRegsTest, CtrFieldsFollowTheirSafeDirections) {
    const uint64_t ctr = cpu::id::kCtr;
    EXPECT_TRUE(set(sr::CTR_EL0, (ctr & ~(3ull << 14)) | 2ull << 14)) << "VIPT instruction cache";
    EXPECT_EQ(mrs(sr::CTR_EL0), (ctr & ~(3ull << 14)) | 2ull << 14) << "trapped by TID2";
    EXPECT_TRUE(set(sr::CTR_EL0, (ctr & ~(0xFull << 24)) | 9ull << 24)) << "a larger CWG";
    EXPECT_FALSE(set(sr::CTR_EL0, (ctr & ~0xFull) | 5)) << "IminLine above this PE's";
    EXPECT_FALSE(set(sr::CTR_EL0, ctr & ~(1ull << 31))) << "bit 31 is RES1";
}

TEST_F(IdRegsTest, CcsidrThroughTheDemuxIdForTheCachesClidrDescribes) {
    ASSERT_TRUE(v->set_one_reg(kvm::reg::ccsidr(0), 0x701FE00A));
    EXPECT_EQ(v->get_one_reg(kvm::reg::ccsidr(0)).value(), 0x701FE00Au);
    v->cpu().state().el1.csselr = 0;
    EXPECT_EQ(mrs(sr::CCSIDR_EL1), 0x701FE00Au) << "trapped by TID2";
    EXPECT_FALSE(v->set_one_reg(kvm::reg::ccsidr(4), 0x701FE00A)) << "CLIDR has no level 3";
    EXPECT_FALSE(v->set_one_reg(kvm::reg::ccsidr(2), 0x70FFE078))
        << "16-byte lines, shorter than CTR_EL0.DminLine's 64";
    ASSERT_TRUE(set(sr::CLIDR_EL1, 0x3)) << "L1 only";
    EXPECT_FALSE(v->set_one_reg(kvm::reg::ccsidr(2), 0x70FFE07A)) << "L2 is gone";
    v->cpu().state().el1.csselr = 2;
    EXPECT_EQ(mrs(sr::CCSIDR_EL1), 0u) << "no cache there";
}

// The firmware pseudo-registers: SMCCC_ARCH_FEATURES answers the level set.
struct FirmwareRegs : test::VcpuTest {
    int64_t call(uint64_t fn, uint64_t a1 = 0) {
        v->set_reg(0, fn);
        v->set_reg(1, a1);
        v->cpu().state().el2.esr = arch::esr(arch::EC::HVC64, 0);
        EXPECT_EQ(handle_exit(*v), ExitAction::Resume);
        return int64_t(v->get_reg(0));
    }
};

TEST_F(FirmwareRegs, WorkaroundLevelsMayOnlyBeLowered) {
    EXPECT_EQ(v->get_one_reg(kvm::reg::kSmcccArchWorkaround1).value(), kvm::fw::kWa1NotRequired);
    EXPECT_EQ(v->get_one_reg(kvm::reg::kSmcccArchWorkaround2).value(), kvm::fw::kWa2NotRequired);
    ASSERT_TRUE(v->set_one_reg(kvm::reg::kSmcccArchWorkaround1, kvm::fw::kWa1Avail));
    EXPECT_EQ(call(0x80000001, 0x80008000), 0) << "WORKAROUND_1 available: SUCCESS";
    ASSERT_TRUE(v->set_one_reg(kvm::reg::kSmcccArchWorkaround1, kvm::fw::kWa1NotAvail));
    EXPECT_EQ(call(0x80000001, 0x80008000), -1) << "NOT_SUPPORTED";
    ASSERT_TRUE(v->set_one_reg(kvm::reg::kSmcccArchWorkaround2, kvm::fw::kWa2NotAvail));
    EXPECT_EQ(call(0x80000001, 0x80007FFF), -1);
    EXPECT_FALSE(v->set_one_reg(kvm::reg::kSmcccArchWorkaround3, 3)) << "no such level";
}

TEST_F(FirmwareRegs, PsciVersionAndTheServiceBitmapShapeTheAnswers) {
    EXPECT_FALSE(v->set_one_reg(kvm::reg::kPsciVersion, 0x1)) << "PSCI 0.1 is not offered";
    EXPECT_FALSE(v->set_one_reg(kvm::reg::kPsciVersion, 0x10002)) << "1.2 is later than 1.1";
    ASSERT_TRUE(v->set_one_reg(kvm::reg::kPsciVersion, kvm::fw::kPsci1_0));
    EXPECT_EQ(call(0x84000000), 0x10000);
    EXPECT_EQ(call(0x8400000A, 0x84000012), -1) << "SYSTEM_RESET2 is PSCI 1.1";
    ASSERT_TRUE(v->set_one_reg(kvm::reg::kStepvisorFwBmap, 0));
    EXPECT_EQ(call(0x80000000), -1) << "SMCCC_VERSION: SMCCC 1.0";
    EXPECT_EQ(call(0x8400000A, 0x80000000), -1) << "PSCI_FEATURES(SMCCC_VERSION)";
    EXPECT_EQ(call(0x80000001, 0x80008000), -1) << "no SMCCC_ARCH_FEATURES";
    EXPECT_FALSE(v->set_one_reg(kvm::reg::kStepvisorFwBmap, 4)) << "an unknown service";
}

TEST_F(FirmwareRegs, AfterTheVmRanTheyAreBusy) {
    kvm.mark_ran();
    auto r = v->set_one_reg(kvm::reg::kPsciVersion, kvm::fw::kPsci1_0);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("busy"), std::string::npos) << r.error().message;
    EXPECT_TRUE(v->set_one_reg(kvm::reg::kPsciVersion, kvm::fw::kPsci1_1));
}

}  // namespace
}  // namespace hyp
