#include "vmm/fdt.h"

extern "C" {
#include <libfdt.h>
}

#include <initializer_list>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "vmm/board.h"

namespace vmm {

namespace {

// Phandles: any distinct non-zero values.
constexpr uint32_t kPhandleGic = 1;
constexpr uint32_t kPhandleApbPclk = 2;

// GIC interrupt specifier (Documentation/devicetree/bindings/
// interrupt-controller/arm,gic-v3.yaml): type, number, flags.
constexpr uint32_t kGicSpi = 0;
constexpr uint32_t kGicPpi = 1;
constexpr uint32_t kIrqLevelHigh = 4;

// The sequential-write calls in order; the first error sticks and names the
// call, so the build reads as a list of nodes.
class Writer {
public:
    explicit Writer(std::vector<uint8_t>& buf) : buf_(buf) {
        check(fdt_create(buf_.data(), int(buf_.size())), "fdt_create");
        check(fdt_finish_reservemap(buf_.data()), "fdt_finish_reservemap");
    }
    void begin(const char* name) { check(fdt_begin_node(buf_.data(), name), name); }
    void end() { check(fdt_end_node(buf_.data()), "fdt_end_node"); }
    void u32(const char* name, uint32_t v) { check(fdt_property_u32(buf_.data(), name, v), name); }
    void cells(const char* name, std::initializer_list<uint32_t> vs) {
        std::string raw;
        for (uint32_t v : vs) {
            fdt32_t be = cpu_to_fdt32(v);
            raw.append(reinterpret_cast<const char*>(&be), sizeof be);
        }
        check(fdt_property(buf_.data(), name, raw.data(), int(raw.size())), name);
    }
    // A reg entry with #address-cells = #size-cells = 2.
    void reg64(std::initializer_list<uint64_t> addr_size_pairs) {
        std::string raw;
        for (uint64_t v : addr_size_pairs) {
            fdt64_t be = cpu_to_fdt64(v);
            raw.append(reinterpret_cast<const char*>(&be), sizeof be);
        }
        check(fdt_property(buf_.data(), "reg", raw.data(), int(raw.size())), "reg");
    }
    void str(const char* name, const char* v) { check(fdt_property_string(buf_.data(), name, v), name); }
    // A string list: "a\0b\0".
    void strs(const char* name, std::initializer_list<std::string_view> vs) {
        std::string raw;
        for (auto v : vs) {
            raw.append(v);
            raw.push_back('\0');
        }
        check(fdt_property(buf_.data(), name, raw.data(), int(raw.size())), name);
    }
    void empty(const char* name) { check(fdt_property(buf_.data(), name, nullptr, 0), name); }
    kvm::Result<void> finish() {
        check(fdt_finish(buf_.data()), "fdt_finish");
        if (!error_.empty()) return kvm::Error{error_};
        return {};
    }

private:
    void check(int rc, std::string_view what) {
        if (rc < 0 && error_.empty())
            error_ = fmt::format("device tree: {}: {}", what, fdt_strerror(rc));
    }
    std::vector<uint8_t>& buf_;
    std::string error_;
};

}  // namespace

kvm::Result<std::vector<uint8_t>> build_fdt(const FdtConfig& config) {
    using namespace board;
    std::vector<uint8_t> buf(kFdtMaxSize);
    Writer w(buf);

    w.begin("");
    w.str("compatible", "linux,dummy-virt");
    w.str("model", "stepvisor virt (QEMU virt, gic-version=3)");
    w.u32("#address-cells", 2);
    w.u32("#size-cells", 2);
    w.u32("interrupt-parent", kPhandleGic);

    w.begin("chosen");
    w.str("stdout-path", fmt::format("/pl011@{:x}", kUartBase).c_str());
    w.end();

    w.begin(fmt::format("memory@{:x}", config.ram_base).c_str());
    w.str("device_type", "memory");
    w.reg64({config.ram_base, config.ram_size});
    w.end();

    w.begin("cpus");
    w.u32("#address-cells", 1);
    w.u32("#size-cells", 0);
    for (uint32_t i = 0; i < config.num_cpus; ++i) {
        w.begin(fmt::format("cpu@{:x}", i).c_str());
        w.str("device_type", "cpu");
        w.str("compatible", "arm,armv8");
        w.str("enable-method", "psci");
        w.u32("reg", i);
        w.end();
    }
    w.end();

    w.begin("psci");
    w.strs("compatible", {"arm,psci-1.0", "arm,psci-0.2"});
    w.str("method", "hvc");
    w.end();

    w.begin(fmt::format("intc@{:x}", kGicDistBase).c_str());
    w.str("compatible", "arm,gic-v3");
    w.u32("#interrupt-cells", 3);
    w.empty("interrupt-controller");
    w.u32("#redistributor-regions", 1);
    // As QEMU's node: an interrupt provider states #address-cells (dtc's
    // interrupt_provider check), and children (an ITS, later) map 1:1.
    w.u32("#address-cells", 2);
    w.u32("#size-cells", 2);
    w.empty("ranges");
    w.reg64({kGicDistBase, kGicDistSize, kGicRedistBase,
             uint64_t(config.num_cpus) * kGicRedistStride});
    w.u32("phandle", kPhandleGic);
    w.end();

    w.begin("timer");
    w.str("compatible", "arm,armv8-timer");
    // GICv3 specifiers carry no CPU mask, so the flags are the trigger only.
    w.cells("interrupts", {kGicPpi, kTimerPpiSecurePhys, kIrqLevelHigh,     //
                           kGicPpi, kTimerPpiNonSecurePhys, kIrqLevelHigh,  //
                           kGicPpi, kTimerPpiVirt, kIrqLevelHigh,           //
                           kGicPpi, kTimerPpiHyp, kIrqLevelHigh});
    w.empty("always-on");
    w.end();

    w.begin("apb-pclk");
    w.str("compatible", "fixed-clock");
    w.u32("#clock-cells", 0);
    w.u32("clock-frequency", kUartClockHz);
    w.str("clock-output-names", "clk24mhz");
    w.u32("phandle", kPhandleApbPclk);
    w.end();

    w.begin(fmt::format("pl011@{:x}", kUartBase).c_str());
    w.strs("compatible", {"arm,pl011", "arm,primecell"});
    w.reg64({kUartBase, kUartSize});
    w.cells("interrupts", {kGicSpi, kUartSpi, kIrqLevelHigh});
    w.cells("clocks", {kPhandleApbPclk, kPhandleApbPclk});
    w.strs("clock-names", {"uartclk", "apb_pclk"});
    w.end();

    w.end();  // root
    if (auto r = w.finish(); !r) return r.error();
    buf.resize(fdt_totalsize(buf.data()));
    return buf;
}

}  // namespace vmm
