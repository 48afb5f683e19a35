// Guests that use the in-kernel vGIC through the API: the virtual timer's
// interrupt and an SGI to self, taken and completed through the CPU
// interface (GICv3: ICC_* system registers; GICv2: the trapped GICC frame).
// gic_v3 prints the same on QEMU virt,gic-version=3.
#include "cpu/gic_cpuif.h"
#include "hyp/kvm_host.h"
#include "hyp/vgic/vgic.h"
#include "tests/kvm/vm_fixture.h"

namespace kvm::test {
namespace {

const char kGicV3Output[] =
    "GICD_PIDR2.ArchRev = 0x0000000000000003\n"
    "GICD_TYPER.ITLinesNumber = 0x0000000000000007\n"
    "GICD_CTLR = 0x0000000000000052\n"
    "GICR_TYPER.Last = 0x0000000000000001\n"
    "GICR_WAKER = 0x0000000000000000\n"
    "GICR_ISENABLER0 = 0x0000000008000008\n"
    "GICR_ICFGR0 = 0x00000000aaaaaaaa\n"
    "ICC_PMR_EL1 = 0x00000000000000f0\n"
    "IRQ, ICC_IAR1_EL1 = 0x000000000000001b\n"
    "ICC_RPR_EL1 while active = 0x0000000000000080\n"
    "IRQ, ICC_IAR1_EL1 = 0x0000000000000003\n"
    "ICC_RPR_EL1 while active = 0x0000000000000040\n"
    "ICC_RPR_EL1 idle = 0x00000000000000ff\n"
    "GICR_ISPENDR0 = 0x0000000000000000\n";

void expect_powered_off(RunState& r) {
    ASSERT_EQ(r.exit_reason, ExitReason::SystemEvent);
    EXPECT_EQ(r.system_event.type, SystemEventType::Shutdown);
}

TEST(VgicGuest, GicV3TimerPpiAndSgiToSelfThroughIar1AndEoir1) {
    VmFixture f("gic_v3");
    ASSERT_TRUE(f.vm->create_vgic({}));
    expect_powered_off(f.run_to_exit());
    EXPECT_EQ(f.uart, kGicV3Output);
}

TEST(VgicGuest, GicV3WithEveryCpuifClassTrappedRunsTheSameThroughTheFastPath) {
    VmFixture f("gic_v3");
    ASSERT_TRUE(f.vm->create_vgic({}));
    ASSERT_TRUE(f.vm->enable_cap({Cap::GicTrapClasses, 0, {gic_trap::kAll}}));
    expect_powered_off(f.run_to_exit());
    EXPECT_EQ(f.uart, kGicV3Output) << "handle_exit would have made the ICC_* accesses UNDEFINED";
    namespace h = cpu::gic::ich_hcr;
    EXPECT_EQ(f.vm->hyp().vcpus()[0]->cpu().state().ich.hcr & (h::kTALL0 | h::kTALL1 | h::kTC),
              h::kTALL0 | h::kTALL1 | h::kTC)
        << "the guest ran with every class trapped";
}

TEST(VgicGuest, GicV2TimerSgiAndIllegalCpuifAccessBecomesSError) {
    VmFixture f("gic_v2");
    Vm::VgicAddrs a;
    a.model = Vm::VgicModel::V2;
    ASSERT_TRUE(f.vm->create_vgic(a));
    expect_powered_off(f.run_to_exit());
    EXPECT_EQ(f.uart,
              "GICD_TYPER.ITLinesNumber = 0x0000000000000007\n"
              "GICD_ISENABLER0 = 0x000000000800ffff\n"
              "GICC_PMR = 0x00000000000000f0\n"
              "IRQ, GICC_IAR = 0x000000000000001b\n"
              "GICC_RPR while active = 0x0000000000000080\n"
              "IRQ, GICC_IAR = 0x0000000000000003\n"
              "GICC_RPR while active = 0x0000000000000040\n"
              "byte access skipped\n"
              "SError\n"
              "GICC_RPR idle = 0x00000000000000ff\n");
}

TEST(VgicGuest, IrqLineDrivesALevelSensitiveSpiFromUserspace) {
    VmFixture f("gic_v3");
    ASSERT_TRUE(f.vm->create_vgic({}));
    auto* gic = hyp::vgic::vgic_of(f.vm->hyp());
    ASSERT_TRUE(f.vm->irq_line(33, true));
    EXPECT_TRUE(gic->irq(0, 33)->pending());
    ASSERT_TRUE(f.vm->irq_line(33, false));
    EXPECT_FALSE(gic->irq(0, 33)->pending()) << "SPIs reset level-sensitive";
}

}  // namespace
}  // namespace kvm::test

#include <chrono>
#include <cstdio>

namespace kvm::test {
namespace {

// Runs gic_bench with the common class trapped and prints the cost of one
// in-kernel MMIO access and one fast-path ICC access (ns, host time), from
// the timestamps of the lines the guest writes between its loops.
TEST(VgicGuest, BenchInKernelMmioAndFastPathIccAccess) {
    constexpr double kIters = 200000;
    VmFixture f("gic_bench");
    ASSERT_TRUE(f.vm->create_vgic({}));
    ASSERT_TRUE(f.vm->enable_cap({Cap::GicTrapClasses, 0, {gic_trap::kCommon}}));
    std::vector<std::chrono::steady_clock::time_point> marks;
    for (int exits = 0; exits < 1000; ++exits) {
        RunState& r = f.run();
        if (r.exit_reason != ExitReason::Mmio) break;
        if (!r.mmio.is_write) std::memset(r.mmio.data, 0, sizeof r.mmio.data);
        if (r.mmio.is_write && r.mmio.phys_addr == VmFixture::kUartData) {
            f.uart += char(r.mmio.data[0]);
            if (r.mmio.data[0] == '\n') marks.push_back(std::chrono::steady_clock::now());
        }
    }
    ASSERT_EQ(f.uart, "start\nempty\nmmio\nicc\n");
    const auto ns = [&](int i) {
        return std::chrono::duration<double, std::nano>(marks[i + 1] - marks[i]).count();
    };
    std::printf("in-kernel MMIO access: %.0f ns; fast-path ICC access: %.0f ns (loop overhead %.1f ns)\n",
                (ns(1) - ns(0)) / kIters, (ns(2) - ns(0)) / kIters, ns(0) / kIters);
}

}  // namespace
}  // namespace kvm::test
