// The device tree, parsed back with libfdt: every node a guest relies on is
// there with QEMU virt's values.
#include <gtest/gtest.h>

extern "C" {
#include <libfdt.h>
}

#include <cstring>
#include <string>
#include <vector>

#include "vmm/board.h"
#include "vmm/fdt.h"

namespace vmm {
namespace {

FdtConfig config(uint64_t ram_size, uint32_t cpus = 1, unsigned gic = 3) {
    FdtConfig c;
    c.ram_base = board::kRamBase;
    c.ram_size = ram_size;
    c.num_cpus = cpus;
    c.gic_version = gic;
    return c;
}

struct FdtTest : ::testing::Test {
    std::vector<uint8_t> blob;
    void SetUp() override {
        auto r = build_fdt(config(256ull << 20));
        ASSERT_TRUE(r.ok()) << r.error().message;
        blob = std::move(r.value());
        ASSERT_EQ(fdt_check_header(blob.data()), 0);
    }
    const void* fdt() const { return blob.data(); }
    int node(const char* path) {
        int off = fdt_path_offset(fdt(), path);
        EXPECT_GE(off, 0) << path << ": " << fdt_strerror(off);
        return off;
    }
    std::string str(const char* path, const char* prop) {
        int len = 0;
        auto* p = static_cast<const char*>(fdt_getprop(fdt(), node(path), prop, &len));
        if (!p || len <= 0) return "<missing>";
        std::string s(p, size_t(len));
        while (!s.empty() && s.back() == '\0') s.pop_back();
        return s;  // a string list keeps its inner NULs
    }
    std::vector<uint32_t> cells(const char* path, const char* prop) {
        int len = 0;
        auto* p = static_cast<const fdt32_t*>(fdt_getprop(fdt(), node(path), prop, &len));
        std::vector<uint32_t> out;
        for (int i = 0; p && i < len / 4; ++i) out.push_back(fdt32_to_cpu(p[i]));
        return out;
    }
    bool has(const char* path, const char* prop) {
        return fdt_getprop(fdt(), node(path), prop, nullptr) != nullptr;
    }
};

using std::string_literals::operator""s;

TEST_F(FdtTest, FitsAndIsValid) {
    EXPECT_LE(blob.size(), board::kFdtMaxSize);
    EXPECT_EQ(fdt_totalsize(fdt()), blob.size());
    EXPECT_EQ(cells("/", "#address-cells"), (std::vector<uint32_t>{2}));
    EXPECT_EQ(cells("/", "#size-cells"), (std::vector<uint32_t>{2}));
}

TEST_F(FdtTest, Memory) {
    EXPECT_EQ(str("/memory@40000000", "device_type"), "memory");
    EXPECT_EQ(cells("/memory@40000000", "reg"), (std::vector<uint32_t>{0, 0x40000000, 0, 0x10000000}));
}

TEST_F(FdtTest, CpusWithPsci) {
    EXPECT_EQ(cells("/cpus", "#address-cells"), (std::vector<uint32_t>{1}));
    EXPECT_EQ(cells("/cpus", "#size-cells"), (std::vector<uint32_t>{0}));
    EXPECT_EQ(str("/cpus/cpu@0", "device_type"), "cpu");
    EXPECT_EQ(str("/cpus/cpu@0", "compatible"), "arm,cortex-a57") << "QEMU 7.2's for -cpu max";
    // QEMU names the enable method only when there are secondaries.
    EXPECT_FALSE(has("/cpus/cpu@0", "enable-method"));
    EXPECT_EQ(cells("/cpus/cpu@0", "reg"), (std::vector<uint32_t>{0}));
    EXPECT_EQ(cells("/cpus/cpu-map/socket0/cluster0/core0", "cpu"),
              cells("/cpus/cpu@0", "phandle"));
    EXPECT_EQ(str("/psci", "compatible"), "arm,psci-1.0\0arm,psci-0.2\0arm,psci"s);
    EXPECT_EQ(str("/psci", "method"), "hvc");
    // PSCI function ids (DEN 0022): SMC64 CPU_SUSPEND, SMC32 CPU_OFF, SMC64 CPU_ON, SMC64 MIGRATE.
    EXPECT_EQ(cells("/psci", "cpu_suspend"), (std::vector<uint32_t>{0xC4000001}));
    EXPECT_EQ(cells("/psci", "cpu_off"), (std::vector<uint32_t>{0x84000002}));
    EXPECT_EQ(cells("/psci", "cpu_on"), (std::vector<uint32_t>{0xC4000003}));
    EXPECT_EQ(cells("/psci", "migrate"), (std::vector<uint32_t>{0xC4000005}));
}

TEST_F(FdtTest, GicV3) {
    const char* gic = "/intc@8000000";
    EXPECT_EQ(str(gic, "compatible"), "arm,gic-v3");
    EXPECT_TRUE(has(gic, "interrupt-controller"));
    EXPECT_EQ(cells(gic, "#interrupt-cells"), (std::vector<uint32_t>{3}));
    EXPECT_EQ(cells(gic, "reg"),
              (std::vector<uint32_t>{0, 0x08000000, 0, 0x10000, 0, 0x080A0000, 0, 0xF60000}));
    auto ph = cells(gic, "phandle");
    ASSERT_EQ(ph.size(), 1u);
    EXPECT_EQ(cells("/", "interrupt-parent"), ph);
    EXPECT_EQ(fdt_node_offset_by_phandle(fdt(), ph[0]), node(gic));
}

TEST_F(FdtTest, TimerPpisAsQemuEncodesThemForGicV3) {
    EXPECT_EQ(str("/timer", "compatible"), "arm,armv8-timer\0arm,armv7-timer"s);
    EXPECT_EQ(cells("/timer", "interrupts"),
              (std::vector<uint32_t>{1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4}));
    EXPECT_TRUE(has("/timer", "always-on"));
}

TEST_F(FdtTest, Pl011WithClockAndStdoutPath) {
    const char* uart = "/pl011@9000000";
    EXPECT_EQ(str(uart, "compatible"), "arm,pl011\0arm,primecell"s);
    EXPECT_EQ(cells(uart, "reg"), (std::vector<uint32_t>{0, 0x09000000, 0, 0x1000}));
    EXPECT_EQ(cells(uart, "interrupts"), (std::vector<uint32_t>{0, 1, 4}));  // SPI 1, level-high
    EXPECT_EQ(str(uart, "clock-names"), "uartclk\0apb_pclk"s);
    auto clocks = cells(uart, "clocks");
    ASSERT_EQ(clocks.size(), 2u);
    int clk = fdt_node_offset_by_phandle(fdt(), clocks[0]);
    ASSERT_GE(clk, 0);
    EXPECT_EQ(std::string(fdt_get_name(fdt(), clk, nullptr)), "apb-pclk");
    EXPECT_EQ(str("/apb-pclk", "compatible"), "fixed-clock");
    EXPECT_EQ(cells("/apb-pclk", "clock-frequency"), (std::vector<uint32_t>{24000000}));
    EXPECT_EQ(cells("/apb-pclk", "#clock-cells"), (std::vector<uint32_t>{0}));
    EXPECT_EQ(str("/chosen", "stdout-path"), uart);
    EXPECT_GE(fdt_path_offset(fdt(), str("/chosen", "stdout-path").c_str()), 0);
}

TEST(Fdt, SecondariesGetPsciEnableMethodAndMpidrReg) {
    auto r = build_fdt(config(2ull << 20, 4));
    ASSERT_TRUE(r.ok()) << r.error().message;
    const void* fdt = r.value().data();
    for (int i = 0; i < 4; ++i) {
        std::string path = "/cpus/cpu@" + std::to_string(i);
        int off = fdt_path_offset(fdt, path.c_str());
        ASSERT_GE(off, 0) << path;
        EXPECT_STREQ(static_cast<const char*>(fdt_getprop(fdt, off, "enable-method", nullptr)),
                     "psci");
        EXPECT_EQ(fdt32_ld(static_cast<const fdt32_t*>(fdt_getprop(fdt, off, "reg", nullptr))),
                  uint32_t(i));  // MPIDR_EL1.Aff0
    }
}

// GICv2 (--gic-version 2): QEMU's arm,cortex-a15-gic with the CPU interface,
// and PPI specifiers that carry the CPU mask in bits [15:8].
TEST(Fdt, GicV2NodeAndPpiCpuMask) {
    FdtConfig c = config(128ull << 20, 2, 2);
    auto r = build_fdt(c);
    ASSERT_TRUE(r.ok()) << r.error().message;
    const void* fdt = r.value().data();
    int gic = fdt_path_offset(fdt, "/intc@8000000");
    ASSERT_GE(gic, 0);
    EXPECT_STREQ(static_cast<const char*>(fdt_getprop(fdt, gic, "compatible", nullptr)),
                 "arm,cortex-a15-gic");
    int len = 0;
    auto* reg = static_cast<const fdt32_t*>(fdt_getprop(fdt, gic, "reg", &len));
    ASSERT_EQ(len, 32);
    std::vector<uint32_t> regs;
    for (int i = 0; i < 8; ++i) regs.push_back(fdt32_ld(reg + i));
    EXPECT_EQ(regs, (std::vector<uint32_t>{0, 0x08000000, 0, 0x10000, 0, 0x08010000, 0, 0x10000}));
    int timer = fdt_path_offset(fdt, "/timer");
    auto* irq = static_cast<const fdt32_t*>(fdt_getprop(fdt, timer, "interrupts", &len));
    ASSERT_EQ(len, 48);
    for (int i = 0; i < 4; ++i) EXPECT_EQ(fdt32_ld(irq + 3 * i + 2), 0x304u);  // CPUs 0-1, level-high
    EXPECT_FALSE(build_fdt(config(128ull << 20, 1, 4)).ok());
}

TEST(Fdt, ChosenCarriesBootargsAndInitrd) {
    FdtConfig c = config(128ull << 20);
    c.bootargs = "console=ttyAMA0 quiet";
    c.initrd = GpaRange{0x44000000, 0x1234};
    auto r = build_fdt(c);
    ASSERT_TRUE(r.ok()) << r.error().message;
    const void* fdt = r.value().data();
    int chosen = fdt_path_offset(fdt, "/chosen");
    EXPECT_STREQ(static_cast<const char*>(fdt_getprop(fdt, chosen, "bootargs", nullptr)),
                 "console=ttyAMA0 quiet");
    int len = 0;
    // One cell each below 4 GiB, as QEMU writes them.
    auto* start = static_cast<const fdt32_t*>(fdt_getprop(fdt, chosen, "linux,initrd-start", &len));
    ASSERT_EQ(len, 4);
    EXPECT_EQ(fdt32_ld(start), 0x44000000u);
    auto* end = static_cast<const fdt32_t*>(fdt_getprop(fdt, chosen, "linux,initrd-end", &len));
    ASSERT_EQ(len, 4);
    EXPECT_EQ(fdt32_ld(end), 0x44001234u);
}

TEST(Fdt, AdoptChecksTheBlobAndFillsChosen) {
    FdtConfig c = config(128ull << 20);
    auto ours = build_fdt(c);
    ASSERT_TRUE(ours.ok());
    c.bootargs = "root=/dev/vda";
    auto r = adopt_fdt("my.dtb", ours.value(), c);
    ASSERT_TRUE(r.ok()) << r.error().message;
    int chosen = fdt_path_offset(r.value().data(), "/chosen");
    EXPECT_STREQ(static_cast<const char*>(fdt_getprop(r.value().data(), chosen, "bootargs", nullptr)),
                 "root=/dev/vda");

    r = adopt_fdt("my.dtb", {1, 2, 3}, c);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "my.dtb: not a device tree blob (3 bytes)");
    std::vector<uint8_t> text(100, 'x');
    r = adopt_fdt("my.dtb", text, c);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "my.dtb: not a device tree blob (magic 0x78787878, expected 0xd00dfeed)");
    // A good header over a damaged structure block: fdt_check_full refuses it.
    auto bad = ours.value();
    bad[fdt_off_dt_struct(bad.data()) + 3] = 0x77;  // the first token is no longer FDT_BEGIN_NODE
    r = adopt_fdt("my.dtb", bad, c);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message.rfind("my.dtb: invalid device tree blob: ", 0), 0u) << r.error().message;
    // Versions before 17 are refused before libfdt checks them (Debian 12's
    // libfdt crashes in fdt_check_full on some: fuzz/corpus/loader).
    auto old = ours.value();
    fdt_set_version(old.data(), 9);
    r = adopt_fdt("my.dtb", old, c);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "my.dtb: device tree blob version 9 (17 or later needed)");
    // Every truncation is refused with one line, never a crash.
    for (size_t n = 0; n < ours.value().size(); n += 7) {
        auto cut = adopt_fdt("my.dtb", {ours.value().begin(), ours.value().begin() + long(n)}, c);
        ASSERT_FALSE(cut.ok()) << n;
        EXPECT_EQ(cut.error().message.find('\n'), std::string::npos);
    }
}

}  // namespace
}  // namespace vmm
