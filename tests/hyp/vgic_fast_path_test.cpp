// The fast path (fixup_guest_exit): trapped ICC_* accesses of a GICv3 guest
// and every access to a GICv2 guest's CPU interface are finished in "EL2"
// with the instruction skipped; what it declines goes on to handle_exit.
#include <atomic>
#include <chrono>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

#include "arch/esr.h"
#include "hyp/switch.h"
#include "tests/hyp/vgic_fixture.h"

namespace hyp::vgic::test {
namespace {

using cpu::gic::LrState;
constexpr uint64_t kPc = kRam + 0x1000;

void sysreg_trap(KvmVcpu& v, arch::SysRegIss s) {
    v.cpu().state().el2.esr = arch::esr(arch::EC::SysReg, arch::encode_sysreg_iss(s));
}

void data_abort(KvmVcpu& v, uint64_t ipa, unsigned sas, unsigned rt, bool write, bool isv = true) {
    uint32_t iss = (sas << arch::dabt::kSasShift) | (rt << arch::dabt::kSrtShift) |
                   (arch::fsc::kTranslationL0 + 3);
    if (isv) iss |= arch::dabt::kISV;
    if (write) iss |= arch::dabt::kWnR;
    auto& el2 = v.cpu().state().el2;
    el2.esr = arch::esr(arch::EC::DataAbortLow, iss);
    el2.far = ipa;
    el2.hpfar = (ipa >> 12) << 4;
}

uint64_t pending_lr(uint32_t intid, uint8_t prio) {
    return uint64_t(LrState::Pending) << cpu::gic::lr::kStateShift | cpu::gic::lr::kGroup |
           uint64_t(prio) << cpu::gic::lr::kPriorityShift | intid;
}

struct V3FastPath : VgicTest {
    void SetUp() override {
        make(Model::V3);
        ich().hcr = cpu::gic::ich_hcr::kEn;
        ich().vmcr = cpu::gic::vmcr::kVENG1 | 0xF8ull << cpu::gic::vmcr::kVPMRShift;
        ich().lr[0] = pending_lr(27, 0x40);
    }
};

TEST_F(V3FastPath, TrappedIar1ReadIsEmulatedAndSkipped) {
    sysreg_trap(*vcpus[0], {3, 0, 12, 12, 0, 4, true});  // mrs x4, icc_iar1_el1
    EXPECT_TRUE(fixup_guest_exit(*vcpus[0]));
    EXPECT_EQ(vcpus[0]->get_reg(4), 27u);
    EXPECT_EQ(lr_state(ich().lr[0]), LrState::Active);
    EXPECT_EQ(vcpus[0]->pc(), kPc + 4);
}

TEST_F(V3FastPath, TrappedEoir1AndPmrWritesAreEmulated) {
    sysreg_trap(*vcpus[0], {3, 0, 12, 12, 0, 4, true});
    ASSERT_TRUE(fixup_guest_exit(*vcpus[0]));
    sysreg_trap(*vcpus[0], {3, 0, 12, 12, 1, 4, false});  // msr icc_eoir1_el1, x4
    EXPECT_TRUE(fixup_guest_exit(*vcpus[0]));
    EXPECT_EQ(lr_state(ich().lr[0]), LrState::Invalid);
    vcpus[0]->set_reg(2, 0x60);
    sysreg_trap(*vcpus[0], {3, 0, 4, 6, 0, 2, false});  // msr icc_pmr_el1, x2
    EXPECT_TRUE(fixup_guest_exit(*vcpus[0]));
    EXPECT_EQ(cpu::gic::pmr(vcpus[0]->cpu().state()), 0x60u);
    EXPECT_EQ(vcpus[0]->pc(), kPc + 12);
}

TEST_F(V3FastPath, SgiGenerationAndSreAreDeclined) {
    sysreg_trap(*vcpus[0], {3, 0, 12, 11, 5, 7, false});  // msr icc_sgi1r_el1, x7
    EXPECT_FALSE(fixup_guest_exit(*vcpus[0]));
    sysreg_trap(*vcpus[0], {3, 0, 12, 12, 5, 7, true});  // mrs x7, icc_sre_el1
    EXPECT_FALSE(fixup_guest_exit(*vcpus[0]));
    EXPECT_EQ(vcpus[0]->pc(), kPc) << "a declined access is not skipped";
}

TEST_F(V3FastPath, ReadOfAWriteOnlyRegisterIsDeclined) {
    sysreg_trap(*vcpus[0], {3, 0, 12, 12, 1, 4, true});
    EXPECT_FALSE(fixup_guest_exit(*vcpus[0]));
}

TEST_F(V3FastPath, WithoutAVgicNothingIsHandled) {
    kvm.set_irqchip(nullptr);
    gic = nullptr;
    sysreg_trap(*vcpus[0], {3, 0, 12, 12, 0, 4, true});
    EXPECT_FALSE(fixup_guest_exit(*vcpus[0]));
}

struct V2FastPath : VgicTest {
    void SetUp() override {
        make(Model::V2);
        ich().hcr = cpu::gic::ich_hcr::kEn;
        ich().lr[0] = pending_lr(30, 0x40);
    }
};

TEST_F(V2FastPath, CtlrPmrThenIarAndEoirMapOntoTheListRegisters) {
    vcpus[0]->set_reg(1, 1);
    data_abort(*vcpus[0], kGicc + 0x00, 2, 1, true);  // GICC_CTLR = EnableGrp0
    ASSERT_TRUE(fixup_guest_exit(*vcpus[0]));
    vcpus[0]->set_reg(1, 0xF0);
    data_abort(*vcpus[0], kGicc + 0x04, 2, 1, true);  // GICC_PMR
    ASSERT_TRUE(fixup_guest_exit(*vcpus[0]));
    data_abort(*vcpus[0], kGicc + 0x0C, 2, 3, false);  // GICC_IAR
    ASSERT_TRUE(fixup_guest_exit(*vcpus[0]));
    EXPECT_EQ(vcpus[0]->get_reg(3), 30u);
    data_abort(*vcpus[0], kGicc + 0x10, 2, 3, true);  // GICC_EOIR
    ASSERT_TRUE(fixup_guest_exit(*vcpus[0]));
    EXPECT_EQ(lr_state(ich().lr[0]), LrState::Invalid);
    data_abort(*vcpus[0], kGicc + 0x00, 2, 4, false);
    ASSERT_TRUE(fixup_guest_exit(*vcpus[0]));
    EXPECT_EQ(vcpus[0]->get_reg(4), 3u) << "both group enables read back";
    EXPECT_EQ(vcpus[0]->pc(), kPc + 20);
    EXPECT_FALSE(vcpus[0]->cpu().state().el2.hcr & cpu::hcr::kVSE);
}

TEST_F(V2FastPath, NonWordAccessIsSkippedAndPromotedToSError) {
    data_abort(*vcpus[0], kGicc + 0x0C, 0, 3, false);  // ldrb
    EXPECT_TRUE(fixup_guest_exit(*vcpus[0]));
    EXPECT_EQ(vcpus[0]->pc(), kPc + 4);
    EXPECT_TRUE(vcpus[0]->cpu().state().el2.hcr & cpu::hcr::kVSE);
    EXPECT_EQ(lr_state(ich().lr[0]), LrState::Pending) << "the access had no effect";
}

TEST_F(V2FastPath, UnalignedWordAccessIsSkippedAndPromotedToSError) {
    data_abort(*vcpus[0], kGicc + 0x0E, 2, 3, false);
    EXPECT_TRUE(fixup_guest_exit(*vcpus[0]));
    EXPECT_TRUE(vcpus[0]->cpu().state().el2.hcr & cpu::hcr::kVSE);
}

TEST_F(V2FastPath, AccessWithoutSyndromeOrOutsideTheFrameIsDeclined) {
    data_abort(*vcpus[0], kGicc + 0x0C, 2, 3, false, false);
    EXPECT_FALSE(fixup_guest_exit(*vcpus[0]));
    data_abort(*vcpus[0], kGicc + kV2CpuSize, 2, 3, false);
    EXPECT_FALSE(fixup_guest_exit(*vcpus[0]));
    EXPECT_EQ(vcpus[0]->pc(), kPc);
}

TEST_F(V2FastPath, DistributorSgirPendsAnSgiWithItsSource) {
    wr(kGicd + 0xF00, 2u << 24 | 5);  // TargetListFilter = self, SGI 5
    EXPECT_TRUE(gic->irq(0, 5)->pending());
    EXPECT_EQ((rd(kGicd + 0xFE8) >> 4) & 0xF, 2u) << "ArchRev 2";
    EXPECT_EQ(rd(kGicd + 0x100) & (1u << 5), 1u << 5) << "GICv2 SGIs reset enabled";
    EXPECT_EQ(rd(kGicd + 0x800), 0x01010101u) << "ITARGETSR0 reads this CPU's bit";
}

TEST_F(V2FastPath, GarbageInTheDistributorAndCpuInterfaceNeverCrashes) {
    std::mt19937_64 rng(2);
    const unsigned sas_of[] = {0, 1, 2, 3};
    for (int i = 0; i < 20000; ++i) {
        const unsigned sas = sas_of[rng() % 4], len = 1u << sas;
        wr(kGicd + (rng() % kV2DistSize & ~uint64_t(len - 1)), rng(), len);
        vcpus[0]->set_reg(1, rng());
        data_abort(*vcpus[0], kGicc + rng() % kV2CpuSize, sas, 1, rng() & 1);
        EXPECT_TRUE(fixup_guest_exit(*vcpus[0]));
    }
    EXPECT_EQ(vcpus[0]->pc(), kPc + 4 * 20000) << "every access skipped";
    EXPECT_EQ(rd(kGicd + 0x4) & 0x1F, 7u);
}

}  // namespace
}  // namespace hyp::vgic::test

namespace hyp::vgic::test {
namespace {

// A guest that only ever traps into the fast path still ends its quantum,
// so the run loop polls immediate_exit and run() returns INTR.
struct VgicFastPathLoop : VgicTest {
    void SetUp() override { make(Model::V3); }
};

TEST_F(VgicFastPathLoop, AGuestThatKeepsTrappingStillEndsItsQuantum) {
    const uint32_t code[] = {0xd5384600, 0x17ffffff};  // mrs x0, icc_pmr_el1; b .-4
    std::memcpy(ram.data() + 0x1000, code, sizeof code);
    kvm.memory_written(kRam + 0x1000, sizeof code);
    kvm.gic_traps = kvm::gic_trap::kCommon;
    std::vector<ExitEvent> events;
    kvm.exit_trace = [&](const ExitEvent& e) { events.push_back(e); };
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        std::atomic_ref<uint8_t>(vcpus[0]->run_state().immediate_exit).store(1);
    });
    ASSERT_TRUE(vcpus[0]->run());
    stopper.join();
    EXPECT_EQ(vcpus[0]->run_state().exit_reason, kvm::ExitReason::Intr);
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events[0].handled_by, ExitHandledBy::FastPath) << "each fast-path exit is traced";
    EXPECT_EQ(events[0].ec, uint8_t(arch::EC::SysReg));
    EXPECT_EQ(events[0].pc, kRam + 0x1000);
}

}  // namespace
}  // namespace hyp::vgic::test
