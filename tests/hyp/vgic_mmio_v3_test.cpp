// The GICv3 distributor and redistributor frames (IHI 0069 "GIC Distributor
// register map", "Redistributor register map"), driven through the KvmIoBus.
#include <random>

#include "tests/hyp/vgic_fixture.h"

namespace hyp::vgic::test {
namespace {

struct VgicV3Mmio : VgicTest {
    void SetUp() override { make(Model::V3, 2); }
};

TEST_F(VgicV3Mmio, Pidr2ArchRevIs3InDistributorAndRedistributor) {
    EXPECT_EQ((rd(kGicd + 0xFFE8) >> 4) & 0xF, 3u);
    EXPECT_EQ((rd(kGicr + 0xFFE8) >> 4) & 0xF, 3u);
}

TEST_F(VgicV3Mmio, TyperItLinesNumberIsQemuVirts) {
    const uint64_t typer = rd(kGicd + 0x4);
    EXPECT_EQ(typer & 0x1F, 7u) << "32 * (ITLinesNumber + 1) = 256 INTIDs";
    EXPECT_EQ((typer >> 19) & 0x1F, 9u) << "IDbits: 10-bit INTIDs";
}

TEST_F(VgicV3Mmio, CtlrAreAndDsAreRaoWiEnableGroupsAreWritable) {
    EXPECT_EQ(rd(kGicd), 0x50u) << "ARE (bit 4) and DS (bit 6) read as one";
    wr(kGicd, 0x2);
    EXPECT_EQ(rd(kGicd), 0x52u);
    wr(kGicd, 0);
    EXPECT_EQ(rd(kGicd), 0x50u) << "ARE cannot be cleared";
}

TEST_F(VgicV3Mmio, PrivateInterruptsInTheDistributorAreRazWiWithAre) {
    wr(kGicd + 0x100, 0xFFFFFFFF);  // GICD_ISENABLER0
    EXPECT_EQ(rd(kGicd + 0x100), 0u);
    EXPECT_FALSE(gic->irq(0, 27)->enabled);
    EXPECT_EQ(rd(kGicr + kSgiBase + 0x100), 0u) << "and the redistributor's view is untouched";
}

TEST_F(VgicV3Mmio, IsenablerSetsAndIcenablerClearsOneSpi) {
    wr(kGicd + 0x104, 1u << 1);  // SPI 33
    EXPECT_TRUE(gic->irq(0, 33)->enabled);
    EXPECT_EQ(rd(kGicd + 0x184), 1u << 1) << "ICENABLER reads the enable state too";
    wr(kGicd + 0x104, 0);
    EXPECT_TRUE(gic->irq(0, 33)->enabled) << "writing 0 has no effect";
    wr(kGicd + 0x184, 1u << 1);
    EXPECT_FALSE(gic->irq(0, 33)->enabled);
}

TEST_F(VgicV3Mmio, IspendrLatchesAndIcpendrClearsButALevelLineStaysPending) {
    wr(kGicd + 0x204, 1u << 2);  // SPI 34 pending
    EXPECT_EQ(rd(kGicd + 0x204), 1u << 2);
    wr(kGicd + 0x284, 1u << 2);
    EXPECT_EQ(rd(kGicd + 0x204), 0u);
    ASSERT_TRUE(gic->irq_line(34, true));
    wr(kGicd + 0x284, 1u << 2);
    EXPECT_EQ(rd(kGicd + 0x204), 1u << 2) << "a level-sensitive input that is high stays pending";
}

TEST_F(VgicV3Mmio, IsactiverAndIcactiverTrackTheActiveState) {
    wr(kGicd + 0x304, 1u << 5);
    EXPECT_TRUE(gic->irq(0, 37)->active);
    wr(kGicd + 0x384, 1u << 5);
    EXPECT_FALSE(gic->irq(0, 37)->active);
}

TEST_F(VgicV3Mmio, IpriorityrIsByteAccessibleWithFiveBitsImplemented) {
    wr(kGicd + 0x400 + 40, 0xFF, 1);
    EXPECT_EQ(rd(kGicd + 0x400 + 40, 1), 0xF8u);
    wr(kGicd + 0x400 + 44, 0x10203040);
    EXPECT_EQ(rd(kGicd + 0x400 + 44), 0x10203040u);
    EXPECT_EQ(gic->irq(0, 47)->priority, 0x10);
}

TEST_F(VgicV3Mmio, IcfgrConfiguresSpisEdgeOrLevel) {
    wr(kGicd + 0xC08, 2u << 2);  // INTID 33: Int_config[1] = 1, edge
    EXPECT_FALSE(gic->irq(0, 33)->level_sensitive);
    EXPECT_EQ(rd(kGicd + 0xC08), 2u << 2);
}

TEST_F(VgicV3Mmio, IrouterRoutesAnSpiToTheVcpuWithThatAffinity) {
    const uint64_t aff1 = gic->vcpu_affinity(1);
    wr(kGicd + 0x6000 + 8 * 40, aff1, 8);
    EXPECT_EQ(rd(kGicd + 0x6000 + 8 * 40, 8), aff1);
    EXPECT_EQ(gic->spi_target(*gic->irq(0, 40)), 1u);
    wr(kGicd + 0x6000 + 8 * 40 + 4, 0xFF);  // upper half alone: Aff3 = 0xFF, no such vcpu
    EXPECT_EQ(gic->spi_target(*gic->irq(0, 40)), ~0u);
    wr(kGicd + 0x6000 + 8 * 40, 1u << 31);  // IRM = 1 (low half; Aff3 stays 0xFF)
    EXPECT_EQ(gic->spi_target(*gic->irq(0, 40)), 0u) << "1 of N: our choice is vcpu 0";
}

TEST_F(VgicV3Mmio, AccessOfAWrongSizeIsRazWi) {
    wr(kGicd + 0x104, 0xFFFF, 2);
    EXPECT_FALSE(gic->irq(0, 32)->enabled) << "GICD_ISENABLER is 32-bit only";
    wr(kGicd + 0x104, 0xFF, 1);
    EXPECT_FALSE(gic->irq(0, 32)->enabled);
    EXPECT_EQ(rd(kGicd + 0x4, 8), 0u);
}

TEST_F(VgicV3Mmio, GarbageWritesEverywhereGetArchitectedAnswers) {
    std::mt19937_64 rng(6);
    const unsigned sizes[] = {1, 2, 4, 8};
    for (int i = 0; i < 20000; ++i) {
        const unsigned len = sizes[rng() % 4];
        const bool dist = rng() & 1;
        const uint64_t span = dist ? kV3DistSize : 2 * kV3RedistSize;
        const uint64_t addr = (dist ? kGicd : kGicr) + (rng() % span & ~uint64_t(len - 1));
        wr(addr, rng(), len, unsigned(rng() % 2));
        rd(addr, len, unsigned(rng() % 2));
    }
    EXPECT_EQ(rd(kGicd + 0x4) & 0x1F, 7u) << "read-only registers survive";
    EXPECT_EQ(rd(kGicd) & 0x50, 0x50u);
    EXPECT_EQ(rd(kGicr + kSgiBase + 0xC00), 0xAAAAAAAAu) << "SGIs stay edge-triggered";
}

TEST_F(VgicV3Mmio, GicrTyperGivesAffinityProcessorNumberAndLast) {
    const uint64_t t0 = rd(kGicr + 0x8, 8);
    const uint64_t t1 = rd(kGicr + kV3RedistSize + 0x8, 8);
    EXPECT_EQ(t0 >> 32, gic->vcpu_affinity(0));
    EXPECT_EQ(t1 >> 32, gic->vcpu_affinity(1));
    EXPECT_EQ((t1 >> 8) & 0xFFFF, 1u) << "Processor_Number";
    EXPECT_FALSE(t0 & (1u << 4));
    EXPECT_TRUE(t1 & (1u << 4)) << "Last on the highest redistributor";
    EXPECT_EQ(rd(kGicr + kV3RedistSize + 0xC), t1 >> 32) << "upper half alone";
}

TEST_F(VgicV3Mmio, RedistributorOfANonexistentVcpuIsRazWi) {
    EXPECT_EQ(rd(kGicr + 2 * kV3RedistSize + 0x8, 8), 0u);
    wr(kGicr + 2 * kV3RedistSize + kSgiBase + 0x100, 0xFFFFFFFF);
    EXPECT_FALSE(gic->irq(2, 0)->enabled);
}

TEST_F(VgicV3Mmio, WakerProcessorSleepClearsChildrenAsleep) {
    EXPECT_EQ(rd(kGicr + 0x14), 6u) << "out of reset the redistributor is asleep";
    wr(kGicr + 0x14, 0);
    EXPECT_EQ(rd(kGicr + 0x14), 0u);
}

TEST_F(VgicV3Mmio, SgiBaseIsPerVcpuAndSgiConfigIsReadOnlyEdge) {
    wr(kGicr + kV3RedistSize + kSgiBase + 0x100, 1u << 27);
    EXPECT_TRUE(gic->irq(1, 27)->enabled);
    EXPECT_FALSE(gic->irq(0, 27)->enabled);
    wr(kGicr + kSgiBase + 0xC00, 0);
    EXPECT_EQ(rd(kGicr + kSgiBase + 0xC00), 0xAAAAAAAAu);
    EXPECT_EQ(rd(kGicr + kSgiBase + 0xC04), 0u) << "PPIs are level-sensitive";
    wr(kGicr + kSgiBase + 0x41B, 0xA0, 1);
    EXPECT_EQ(gic->irq(0, 27)->priority, 0xA0);
}

}  // namespace
}  // namespace hyp::vgic::test
