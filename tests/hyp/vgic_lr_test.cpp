// Interrupt state to list registers and back (kvm_vgic_flush_hwstate /
// kvm_vgic_sync_hwstate), against IHI 0069's state machine: an acknowledged
// interrupt is active, an EOI'd one inactive; a level-sensitive interrupt is
// pending while its line is high; an edge latches once per edge.
#include "cpu/timer.h"
#include "tests/hyp/vgic_fixture.h"

namespace hyp::vgic::test {
namespace {

using cpu::gic::LrState;

struct VgicLr : VgicTest {
    void SetUp() override { make(Model::V3, 2); }
    // SPI enabled, group 1, priority prio, routed to vcpu 0.
    void spi(uint32_t intid, uint8_t prio) {
        Irq* i = gic->irq(0, intid);
        i->enabled = true;
        i->priority = prio;
    }
    void enable_group1() {
        gic->set_group_enables(false, true);
        ich().vmcr = cpu::gic::vmcr::kVENG1 | 0xF8ull << cpu::gic::vmcr::kVPMRShift;
    }
    cpu::Cpu& c() { return vcpus[0]->cpu(); }
};

TEST_F(VgicLr, PendingInterruptsFillTheListRegistersByPriority) {
    enable_group1();
    const uint8_t prios[] = {0x80, 0x10, 0x40, 0x20, 0x30};
    for (uint32_t i = 0; i < 5; ++i) {
        spi(40 + i, prios[i]);
        ASSERT_TRUE(gic->irq_line(40 + i, true));
    }
    gic->flush_hwstate(*vcpus[0]);
    const uint32_t expect[] = {41, 43, 44, 42};
    for (unsigned i = 0; i < 4; ++i) {
        EXPECT_EQ(lr_intid(ich().lr[i]), expect[i]) << "LR" << i;
        EXPECT_EQ(lr_state(ich().lr[i]), LrState::Pending);
        EXPECT_TRUE(ich().lr[i] & cpu::gic::lr::kGroup);
        EXPECT_TRUE(ich().lr[i] & cpu::gic::lr::kEoi) << "level-sensitive: maintenance on EOI";
    }
    EXPECT_TRUE(ich().hcr & cpu::gic::ich_hcr::kEn);
    EXPECT_TRUE(ich().hcr & cpu::gic::ich_hcr::kUIE) << "one left over: underflow interrupt";
}

TEST_F(VgicLr, DisabledOrGroupDisabledInterruptsStayInTheDistributor) {
    spi(40, 0);
    ASSERT_TRUE(gic->irq_line(40, true));
    gic->flush_hwstate(*vcpus[0]);
    EXPECT_EQ(lr_state(ich().lr[0]), LrState::Invalid) << "GICD_CTLR.EnableGrp1 = 0";
    gic->sync_hwstate(*vcpus[0]);
    enable_group1();
    gic->irq(0, 40)->enabled = false;
    gic->flush_hwstate(*vcpus[0]);
    EXPECT_EQ(lr_state(ich().lr[0]), LrState::Invalid) << "disabled";
}

TEST_F(VgicLr, AcknowledgeThenEoiOfAnEdgeInterruptLeavesItInactive) {
    enable_group1();
    spi(50, 0x20);
    gic->irq(0, 50)->level_sensitive = false;
    ASSERT_TRUE(gic->irq_line(50, true));
    gic->flush_hwstate(*vcpus[0]);
    EXPECT_FALSE(gic->irq(0, 50)->pending_latch) << "the pending state moved to the LR";
    EXPECT_EQ(cpu::gic::acknowledge(c(), 1), 50u);
    gic->sync_hwstate(*vcpus[0]);
    EXPECT_TRUE(gic->irq(0, 50)->active);
    EXPECT_FALSE(gic->irq(0, 50)->pending());
    gic->flush_hwstate(*vcpus[0]);
    EXPECT_EQ(lr_state(ich().lr[0]), LrState::Active) << "active interrupts keep their LR";
    cpu::gic::eoi(c(), 1, 50);
    gic->sync_hwstate(*vcpus[0]);
    EXPECT_FALSE(gic->irq(0, 50)->active);
    gic->flush_hwstate(*vcpus[0]);
    EXPECT_EQ(lr_state(ich().lr[0]), LrState::Invalid);
}

TEST_F(VgicLr, AnUnacknowledgedEdgeStaysPendingAcrossExits) {
    enable_group1();
    spi(50, 0x20);
    gic->irq(0, 50)->level_sensitive = false;
    ASSERT_TRUE(gic->irq_line(50, true));
    gic->flush_hwstate(*vcpus[0]);
    gic->sync_hwstate(*vcpus[0]);
    EXPECT_TRUE(gic->irq(0, 50)->pending_latch);
}

TEST_F(VgicLr, LevelInterruptIsResampledAfterEoi) {
    enable_group1();
    spi(33, 0x20);
    ASSERT_TRUE(gic->irq_line(33, true));
    gic->flush_hwstate(*vcpus[0]);
    EXPECT_EQ(cpu::gic::acknowledge(c(), 1), 33u);
    cpu::gic::eoi(c(), 1, 33);
    EXPECT_TRUE(c().maintenance_line()) << "EOI of an LR with the EOI bit: ICH_MISR_EL2.EOI";
    gic->sync_hwstate(*vcpus[0]);
    gic->flush_hwstate(*vcpus[0]);
    EXPECT_EQ(lr_state(ich().lr[0]), LrState::Pending) << "line still high: pending again";
    gic->sync_hwstate(*vcpus[0]);
    ASSERT_TRUE(gic->irq_line(33, false));
    gic->flush_hwstate(*vcpus[0]);
    EXPECT_EQ(lr_state(ich().lr[0]), LrState::Invalid) << "line low: nothing pending";
}

TEST_F(VgicLr, VirtualTimerOutputIsLevelSensitivePpi27) {
    enable_group1();
    gic->irq(0, kVirtTimerIntid)->enabled = true;
    auto& t = c().state().timer[size_t(cpu::Timer::Virtual)];
    t.cval = 0;
    t.ctl = cpu::cntctl::kENABLE;
    gic->flush_hwstate(*vcpus[0]);
    EXPECT_EQ(lr_intid(ich().lr[0]), kVirtTimerIntid);
    EXPECT_FALSE(gic->vcpu_pending_irq(*vcpus[1])) << "PPIs are per vcpu";
    gic->sync_hwstate(*vcpus[0]);
    t.ctl |= cpu::cntctl::kIMASK;
    gic->flush_hwstate(*vcpus[0]);
    EXPECT_EQ(lr_state(ich().lr[0]), LrState::Invalid) << "the masked timer's line is low";
}

TEST_F(VgicLr, PhysicalTimerOutputIsPpi30) {
    enable_group1();
    gic->irq(0, kPhysTimerIntid)->enabled = true;
    auto& t = c().state().timer[size_t(cpu::Timer::Physical)];
    t.ctl = cpu::cntctl::kENABLE;
    gic->flush_hwstate(*vcpus[0]);
    EXPECT_EQ(lr_intid(ich().lr[0]), kPhysTimerIntid);
}

TEST_F(VgicLr, PendingIrqWakesOnlyAbovePriorityMask) {
    gic->set_group_enables(false, true);
    spi(33, 0x80);
    ASSERT_TRUE(gic->irq_line(33, true));
    ich().vmcr = 0x80ull << cpu::gic::vmcr::kVPMRShift;
    EXPECT_FALSE(gic->vcpu_pending_irq(*vcpus[0])) << "priority 0x80 is not above PMR 0x80";
    ich().vmcr = 0x88ull << cpu::gic::vmcr::kVPMRShift;
    EXPECT_TRUE(gic->vcpu_pending_irq(*vcpus[0]));
    EXPECT_FALSE(gic->vcpu_pending_irq(*vcpus[1])) << "routed to vcpu 0";
}

TEST_F(VgicLr, IrqLineRejectsPrivateAndOutOfRangeIntids) {
    EXPECT_FALSE(gic->irq_line(27, true));
    auto r = gic->irq_line(256, true);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("256"), std::string::npos) << r.error().message;
    EXPECT_TRUE(gic->irq_line(255, true));
}

TEST_F(VgicLr, TrapClassesSetIchHcrTrapBits) {
    kvm.gic_traps = kvm::gic_trap::kAll;
    gic->flush_hwstate(*vcpus[0]);
    namespace h = cpu::gic::ich_hcr;
    EXPECT_EQ(ich().hcr & (h::kTALL0 | h::kTALL1 | h::kTC), h::kTALL0 | h::kTALL1 | h::kTC);
    kvm.gic_traps = 0;
    gic->flush_hwstate(*vcpus[0]);
    EXPECT_EQ(ich().hcr & (h::kTALL0 | h::kTALL1 | h::kTC), 0u);
}

// ICC_SGI1R_EL1: Aff3 [55:48], IRM [40], Aff2 [39:32], INTID [27:24],
// Aff1 [23:16], TargetList [15:0].
constexpr uint64_t sgi1r(uint32_t intid, uint16_t targets, bool irm = false) {
    return uint64_t(intid) << 24 | targets | (irm ? 1ull << 40 : 0);
}

TEST_F(VgicLr, SgiTargetListPendsOnTheNamedVcpus) {
    gic->dispatch_sgi(*vcpus[0], sgi1r(3, 0b10), true);
    EXPECT_FALSE(gic->irq(0, 3)->pending());
    EXPECT_TRUE(gic->irq(1, 3)->pending());
    gic->dispatch_sgi(*vcpus[1], sgi1r(4, 0b11), true);
    EXPECT_TRUE(gic->irq(0, 4)->pending() && gic->irq(1, 4)->pending());
}

TEST_F(VgicLr, SgiWithIrmGoesToEveryoneButTheSender) {
    gic->dispatch_sgi(*vcpus[1], sgi1r(5, 0, true), true);
    EXPECT_TRUE(gic->irq(0, 5)->pending());
    EXPECT_FALSE(gic->irq(1, 5)->pending());
}

TEST_F(VgicLr, SgiToANonexistentVcpuIsIgnored) {
    gic->dispatch_sgi(*vcpus[0], sgi1r(6, 0xFFFC), true);  // vcpus 2..15 do not exist
    gic->dispatch_sgi(*vcpus[0], sgi1r(6, 0b1) | 1ull << 16, true);  // Aff1 = 1
    for (uint32_t id = 0; id < 8; ++id) EXPECT_FALSE(gic->irq(id, 6)->pending()) << id;
}

TEST_F(VgicLr, Group0SgiRequestDoesNotPendAGroup1Sgi) {
    gic->dispatch_sgi(*vcpus[0], sgi1r(7, 0b1), false);
    EXPECT_FALSE(gic->irq(0, 7)->pending()) << "SGIs reset to Group 1";
    gic->irq(0, 7)->group1 = false;
    gic->dispatch_sgi(*vcpus[0], sgi1r(7, 0b1), false);
    EXPECT_TRUE(gic->irq(0, 7)->pending());
}

}  // namespace
}  // namespace hyp::vgic::test

namespace hyp::vgic::test {
namespace {

struct VgicOverflow : VgicTest {
    void SetUp() override {
        make(Model::V3);
        gic->set_group_enables(false, true);
        ich().vmcr = cpu::gic::vmcr::kVENG1 | 0xF8ull << cpu::gic::vmcr::kVPMRShift;
    }
};

TEST_F(VgicOverflow, ActiveLevelInterruptIsNotAlsoPending) {
    Irq* i = gic->irq(0, 40);
    i->enabled = true;
    i->active = true;
    ASSERT_TRUE(gic->irq_line(40, true));
    gic->flush_hwstate(*vcpus[0]);
    EXPECT_EQ(lr_state(ich().lr[0]), LrState::Active) << "re-sampled after deactivation instead";
}

TEST_F(VgicOverflow, EoiCountDeactivatesActiveInterruptsThatHadNoListRegister) {
    for (uint32_t k = 0; k < 6; ++k) {
        Irq* i = gic->irq(0, 40 + k);
        i->enabled = true;
        i->active = true;
        i->priority = uint8_t(0x80 - 8 * k);  // 45 has the highest priority
    }
    gic->flush_hwstate(*vcpus[0]);
    EXPECT_TRUE(ich().hcr & cpu::gic::ich_hcr::kLRENPIE);
    EXPECT_EQ(lr_intid(ich().lr[0]), 45u);
    ich().hcr |= 1ull << cpu::gic::ich_hcr::kEOIcountShift;  // one EOI missed the LRs
    gic->sync_hwstate(*vcpus[0]);
    EXPECT_FALSE(gic->irq(0, 41)->active) << "the higher-priority of the two outside the LRs";
    EXPECT_TRUE(gic->irq(0, 40)->active);
    EXPECT_EQ(ich().hcr >> cpu::gic::ich_hcr::kEOIcountShift, 0u) << "EOIcount consumed";
}

}  // namespace
}  // namespace hyp::vgic::test

namespace hyp::vgic::test {
namespace {

// flush_hwstate skips its scan for a vcpu that had nothing deliverable and
// saw no change since: every way in must still be seen on the next entry.
struct VgicIdle : VgicTest {
    void SetUp() override {
        make(Model::V3);
        wr(kGicd, 0x2);                            // EnableGrp1
        wr(kGicd + 0x104, 1u << 1);                // SPI 33 enabled
        wr(kGicr + kSgiBase + 0x100, 0x08000010);  // SGI 4, PPI 27 enabled
        gic->flush_hwstate(*vcpus[0]);
        gic->sync_hwstate(*vcpus[0]);
        gic->flush_hwstate(*vcpus[0]);  // idle now
    }
    void expect_delivered(uint32_t intid) {
        gic->sync_hwstate(*vcpus[0]);
        gic->flush_hwstate(*vcpus[0]);
        EXPECT_EQ(lr_intid(ich().lr[0]), intid);
        EXPECT_EQ(lr_state(ich().lr[0]), LrState::Pending);
    }
};

TEST_F(VgicIdle, IrqLineAfterAnIdleEntryIsSeen) {
    ASSERT_TRUE(gic->irq_line(33, true));
    expect_delivered(33);
}

TEST_F(VgicIdle, MmioPendAfterAnIdleEntryIsSeen) {
    wr(kGicr + kSgiBase + 0x200, 1u << 4);
    expect_delivered(4);
}

TEST_F(VgicIdle, SgiAfterAnIdleEntryIsSeen) {
    gic->dispatch_sgi(*vcpus[0], 4ull << 24 | 1, true);
    expect_delivered(4);
}

TEST_F(VgicIdle, TimerLineRisingAfterAnIdleEntryIsSeen) {
    auto& t = vcpus[0]->cpu().state().timer[size_t(cpu::Timer::Virtual)];
    t.ctl = cpu::cntctl::kENABLE;
    expect_delivered(kVirtTimerIntid);
}

TEST_F(VgicIdle, GroupEnableAfterAnIdleEntryIsSeen) {
    wr(kGicd, 0);
    ASSERT_TRUE(gic->irq_line(33, true));
    gic->sync_hwstate(*vcpus[0]);
    gic->flush_hwstate(*vcpus[0]);
    EXPECT_EQ(lr_state(ich().lr[0]), LrState::Invalid);
    wr(kGicd, 0x2);
    expect_delivered(33);
}

}  // namespace
}  // namespace hyp::vgic::test
