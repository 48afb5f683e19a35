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

struct FdtTest : ::testing::Test {
    std::vector<uint8_t> blob;
    void SetUp() override {
        auto r = build_fdt({board::kRamBase, 256ull << 20, 1});
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
    EXPECT_EQ(str("/cpus/cpu@0", "compatible"), "arm,armv8");
    EXPECT_EQ(str("/cpus/cpu@0", "enable-method"), "psci");
    EXPECT_EQ(cells("/cpus/cpu@0", "reg"), (std::vector<uint32_t>{0}));
    EXPECT_EQ(str("/psci", "compatible"), "arm,psci-1.0\0arm,psci-0.2"s);
    EXPECT_EQ(str("/psci", "method"), "hvc");
}

TEST_F(FdtTest, GicV3) {
    const char* gic = "/intc@8000000";
    EXPECT_EQ(str(gic, "compatible"), "arm,gic-v3");
    EXPECT_TRUE(has(gic, "interrupt-controller"));
    EXPECT_EQ(cells(gic, "#interrupt-cells"), (std::vector<uint32_t>{3}));
    EXPECT_EQ(cells(gic, "reg"),
              (std::vector<uint32_t>{0, 0x08000000, 0, 0x10000, 0, 0x080A0000, 0, 0x20000}));
    auto ph = cells(gic, "phandle");
    ASSERT_EQ(ph.size(), 1u);
    EXPECT_EQ(cells("/", "interrupt-parent"), ph);
    EXPECT_EQ(fdt_node_offset_by_phandle(fdt(), ph[0]), node(gic));
}

TEST_F(FdtTest, TimerPpisAsQemuEncodesThemForGicV3) {
    EXPECT_EQ(str("/timer", "compatible"), "arm,armv8-timer");
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

TEST(Fdt, RedistributorRegionScalesWithCpus) {
    auto r = build_fdt({board::kRamBase, 2ull << 20, 4});
    ASSERT_TRUE(r.ok());
    int off = fdt_path_offset(r.value().data(), "/intc@8000000");
    int len = 0;
    const void* reg = fdt_getprop(r.value().data(), off, "reg", &len);
    ASSERT_EQ(len, 32);
    fdt64_t redist_size;  // properties are only 4-byte aligned: copy, don't cast
    std::memcpy(&redist_size, static_cast<const uint8_t*>(reg) + 24, sizeof redist_size);
    EXPECT_EQ(fdt64_to_cpu(redist_size), 4 * board::kGicRedistStride);
    EXPECT_GE(fdt_path_offset(r.value().data(), "/cpus/cpu@3"), 0);
}

}  // namespace
}  // namespace vmm
