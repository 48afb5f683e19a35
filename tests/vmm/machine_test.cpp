// The machine as `stepvisor run` builds it, on the real hypervisor: RAM
// holds the image and the device tree, and vcpu 0 starts as QEMU virt starts
// a bare-metal ELF.
#include <gtest/gtest.h>

extern "C" {
#include <libfdt.h>
}

#include <cstring>
#include <string>
#include <vector>

#include "vmm/board.h"
#include "vmm/elf_loader.h"
#include "vmm/machine.h"

namespace vmm {
namespace {

// Guest output into a string; no input.
struct StringSerial : SerialBackend {
    explicit StringSerial(std::string& out) : out(out) {}
    void write(uint8_t b) override { out.push_back(char(b)); }
    size_t read(uint8_t*, size_t) override { return 0; }
    std::string& out;
};

struct MachineTest : ::testing::Test {
    std::string uart;
    std::vector<std::string> log;
    std::unique_ptr<Machine> m;

    void boot(const char* guest, uint64_t ram_size = 64 << 20, bool reboot = true) {
        BootOptions opts;
        opts.image = std::string(STEPVISOR_GUEST_DIR) + "/" + guest;
        opts.ram_size = ram_size;
        auto plan = plan_boot(opts);
        ASSERT_TRUE(plan.ok()) << plan.error().message;
        MachineConfig cfg;
        cfg.ram_size = ram_size;
        cfg.reboot = reboot;
        cfg.serial = std::make_shared<StringSerial>(uart);
        cfg.log = [this](std::string_view l) { log.emplace_back(l); };
        auto mm = Machine::create(cfg, plan.value());
        ASSERT_TRUE(mm.ok()) << mm.error().message;
        m = std::move(mm.value());
    }
    uint64_t reg(uint64_t id) {
        auto r = m->vcpu().get_one_reg(id);
        EXPECT_TRUE(r.ok()) << r.error().message;
        return r.ok() ? r.value() : ~0ull;
    }
};

TEST_F(MachineTest, BootStateIsQemuVirtsForABareMetalElf) {
    ASSERT_NO_FATAL_FAILURE(boot("hello.elf"));
    EXPECT_EQ(reg(kvm::reg::kPc), 0x40200000u);
    EXPECT_EQ(reg(kvm::reg::x(0)), 0u);
    EXPECT_EQ(reg(kvm::reg::kPstate), kBootPstate);  // EL1h, D A I F masked
}

TEST_F(MachineTest, RamHoldsDeviceTreeAtStartAndImageAtItsAddress) {
    ASSERT_NO_FATAL_FAILURE(boot("hello.elf"));
    const uint8_t* host = m->ram().host();
    EXPECT_EQ(m->ram().range().base, board::kRamBase);
    EXPECT_EQ(m->ram().range().size, 64u << 20);
    ASSERT_EQ(fdt_check_header(host), 0);
    int mem = fdt_path_offset(host, "/memory@40000000");
    ASSERT_GE(mem, 0);
    auto img = open_elf(std::string(STEPVISOR_GUEST_DIR) + "/hello.elf");
    ASSERT_TRUE(img.ok());
    const ElfSegment& s = img.value().segments.at(0);
    EXPECT_EQ(std::memcmp(host + (s.paddr - board::kRamBase), img.value().bytes.data() + s.offset,
                          s.filesz),
              0);
}

// Needs the instruction set (merged on main through the day).
TEST_F(MachineTest, HelloRunsToPowerOffThroughTheUartSink) {
    ASSERT_NO_FATAL_FAILURE(boot("hello.elf"));
    StopInfo stop = m->run();
    EXPECT_EQ(uart, "Hello from EL1 on stepvisor\n");
    EXPECT_EQ(stop.reason, StopReason::PoweredOff) << stop.message;
    EXPECT_EQ(stop.exit_status(), 0);
    EXPECT_TRUE(log.empty());
}

// booting.rst: a kernel starts with x0 = the DTB's address, x1..x3 = 0.
TEST_F(MachineTest, LinuxImageStartsWithTheDeviceTreeInX0) {
    ASSERT_NO_FATAL_FAILURE(boot("image_hello.bin"));
    EXPECT_EQ(reg(kvm::reg::kPc), board::kRamBase + 0x80000);
    uint64_t x0 = reg(kvm::reg::x(0));
    EXPECT_EQ(x0, board::kRamBase + (32u << 20));  // RAM/2 of 64M
    EXPECT_EQ(fdt_check_header(m->ram().host() + (x0 - board::kRamBase)), 0);
    for (unsigned n = 1; n <= 3; ++n) EXPECT_EQ(reg(kvm::reg::x(n)), 0u);
    EXPECT_EQ(reg(kvm::reg::kPstate), kBootPstate);
}

// PSCI SYSTEM_RESET: images reloaded, vcpu re-initialised, RAM outside the
// images kept (reboot.c counts its boots there), as QEMU's system reset.
TEST_F(MachineTest, ResetReloadsAndRestarts) {
    ASSERT_NO_FATAL_FAILURE(boot("reboot.elf"));
    StopInfo stop = m->run();
    EXPECT_EQ(stop.reason, StopReason::PoweredOff) << stop.message;
    EXPECT_EQ(m->resets(), 2u);
    EXPECT_EQ(uart, "boot 0x0000000000000001\nboot 0x0000000000000002\nboot 0x0000000000000003\n");
}

TEST_F(MachineTest, NoRebootStopsAtTheReset) {
    ASSERT_NO_FATAL_FAILURE(boot("reboot.elf", 64 << 20, false));
    StopInfo stop = m->run();
    EXPECT_EQ(stop.reason, StopReason::Reset);
    EXPECT_EQ(stop.exit_status(), 0);
    EXPECT_EQ(m->resets(), 0u);
    EXPECT_EQ(uart, "boot 0x0000000000000001\n");
}

}  // namespace
}  // namespace vmm
