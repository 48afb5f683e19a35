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

// Phandles: any distinct non-zero values; these are QEMU's.
constexpr uint32_t kPhandleApbPclk = 0x8000;
constexpr uint32_t kPhandleGic = 0x8002;
constexpr uint32_t kPhandleCpu0 = 0x8100;

// GIC interrupt specifier (Documentation/devicetree/bindings/
// interrupt-controller/arm,gic-v3.yaml): type, number, flags.
constexpr uint32_t kGicSpi = 0;
constexpr uint32_t kGicPpi = 1;
constexpr uint32_t kIrqEdgeRising = 1;
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
    void u64(const char* name, uint64_t v) { check(fdt_property_u64(buf_.data(), name, v), name); }
    // An address in /chosen: one cell when it fits, as QEMU writes the
    // initrd's; Linux reads either length (of_read_number).
    void addr(const char* name, uint64_t v) {
        if (v <= UINT32_MAX) u32(name, uint32_t(v)); else u64(name, v);
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
        if (rc == -FDT_ERR_NOSPACE && error_.empty())
            error_ = fmt::format("device tree: {}: does not fit in the blob's {} bytes", what,
                                 board::kFdtMaxSize);
        else if (rc < 0 && error_.empty())
            error_ = fmt::format("device tree: {}: {}", what, fdt_strerror(rc));
    }
    std::vector<uint8_t>& buf_;
    std::string error_;
};

}  // namespace

namespace {

// GIC interrupt specifier flags for a PPI under GICv2: bits [15:8] are the
// mask of CPUs it goes to (arm,gic.yaml); GICv3 specifiers carry no mask.
uint32_t ppi_flags(const FdtConfig& c) {
    if (c.gic_version == 3) return kIrqLevelHigh;
    uint32_t cpus = c.num_cpus >= 8 ? 0xFF : (1u << c.num_cpus) - 1;
    return cpus << 8 | kIrqLevelHigh;
}

void add_cpus(Writer& w, const FdtConfig& c) {
    w.begin("cpus");
    w.u32("#address-cells", 1);
    w.u32("#size-cells", 0);
    // cpu-map (Documentation/devicetree/bindings/cpu/cpu-topology.txt), as
    // QEMU's: one socket, one cluster, a core per vcpu.
    w.begin("cpu-map");
    w.begin("socket0");
    w.begin("cluster0");
    for (uint32_t i = 0; i < c.num_cpus; ++i) {
        w.begin(fmt::format("core{}", i).c_str());
        w.u32("cpu", kPhandleCpu0 + i);
        w.end();
    }
    w.end();
    w.end();
    w.end();
    for (uint32_t i = 0; i < c.num_cpus; ++i) {
        w.begin(fmt::format("cpu@{:x}", i).c_str());
        w.str("device_type", "cpu");
        w.str("compatible", c.cpu_compatible.c_str());
        // QEMU names the method only when there are CPUs to bring up.
        if (c.num_cpus > 1) w.str("enable-method", "psci");
        // MPIDR_EL1 affinity of vcpu i: Aff0 = i (at most Kvm::kMaxVcpus).
        w.u32("reg", i);
        w.u32("phandle", kPhandleCpu0 + i);
        w.end();
    }
    w.end();
}

void add_psci(Writer& w) {
    w.begin("psci");
    w.strs("compatible", {"arm,psci-1.0", "arm,psci-0.2", "arm,psci"});
    w.str("method", "hvc");
    // The function ids the original arm,psci binding needs (PSCI, ARM DEN
    // 0022, table 5-x: SMC64 CPU_SUSPEND, SMC32 CPU_OFF, SMC64 CPU_ON,
    // SMC64 MIGRATE), as QEMU lists them.
    w.u32("cpu_suspend", 0xC400'0001);
    w.u32("cpu_off", 0x8400'0002);
    w.u32("cpu_on", 0xC400'0003);
    w.u32("migrate", 0xC400'0005);
    w.end();
}

void add_gic(Writer& w, const FdtConfig& c) {
    using namespace board;
    w.begin(fmt::format("intc@{:x}", kGicDistBase).c_str());
    if (c.gic_version == 3) {
        w.str("compatible", "arm,gic-v3");
        w.u32("#redistributor-regions", 1);
        // The whole redistributor region, as QEMU: the guest walks frames
        // until GICR_TYPER.Last.
        w.reg64({kGicDistBase, kGicDistSize, kGicRedistBase, kGicRedistRegionSize});
    } else {
        w.str("compatible", "arm,cortex-a15-gic");
        w.reg64({kGicDistBase, kGicDistSize, kGicCpuIfBase, kGicCpuIfSize});
    }
    w.u32("#interrupt-cells", 3);
    w.empty("interrupt-controller");
    // As QEMU's node: an interrupt provider states #address-cells (dtc's
    // interrupt_provider check), and children (an ITS, later) map 1:1.
    w.u32("#address-cells", 2);
    w.u32("#size-cells", 2);
    w.empty("ranges");
    w.u32("phandle", kPhandleGic);
    w.end();
}

void add_timer(Writer& w, const FdtConfig& c) {
    using namespace board;
    w.begin("timer");
    w.strs("compatible", {"arm,armv8-timer", "arm,armv7-timer"});
    uint32_t f = ppi_flags(c);
    w.cells("interrupts", {kGicPpi, kTimerPpiSecurePhys, f,     //
                           kGicPpi, kTimerPpiNonSecurePhys, f,  //
                           kGicPpi, kTimerPpiVirt, f,           //
                           kGicPpi, kTimerPpiHyp, f});
    w.empty("always-on");
    w.end();
}

void add_uart(Writer& w) {
    using namespace board;
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
}

// After the UART, whose apb-pclk node it refers to (QEMU's create_rtc).
void add_rtc(Writer& w) {
    using namespace board;
    w.begin(fmt::format("pl031@{:x}", kRtcBase).c_str());
    w.strs("compatible", {"arm,pl031", "arm,primecell"});
    w.reg64({kRtcBase, kRtcSize});
    w.cells("interrupts", {kGicSpi, kRtcSpi, kIrqLevelHigh});
    w.u32("clocks", kPhandleApbPclk);
    w.str("clock-names", "apb_pclk");
    w.end();
}

// The virtio-mmio transports, lowest address first as QEMU's tree has them
// (create_virtio_devices), used or not: the guest's driver skips device id 0.
void add_virtio_mmio(Writer& w) {
    using namespace board;
    for (unsigned i = 0; i < kVirtioCount; ++i) {
        const uint64_t base = kVirtioBase + i * kVirtioStride;
        w.begin(fmt::format("virtio_mmio@{:x}", base).c_str());
        w.str("compatible", "virtio,mmio");
        w.reg64({base, kVirtioStride});
        w.cells("interrupts", {kGicSpi, kVirtioSpi + i, kIrqEdgeRising});
        w.empty("dma-coherent");
        w.end();
    }
}

}  // namespace

kvm::Result<std::vector<uint8_t>> build_fdt(const FdtConfig& config) {
    using namespace board;
    if (config.gic_version != 2 && config.gic_version != 3)
        return kvm::Error{fmt::format("device tree: GIC version {} (accepted: 2, 3)",
                                      config.gic_version)};
    std::vector<uint8_t> buf(kFdtMaxSize);
    Writer w(buf);

    w.begin("");
    w.str("compatible", "linux,dummy-virt");
    w.str("model", "linux,dummy-virt");
    w.u32("#address-cells", 2);
    w.u32("#size-cells", 2);
    w.u32("interrupt-parent", kPhandleGic);

    w.begin("chosen");
    w.str("stdout-path", fmt::format("/pl011@{:x}", kUartBase).c_str());
    if (!config.bootargs.empty()) w.str("bootargs", config.bootargs.c_str());
    if (config.initrd) {
        w.addr("linux,initrd-start", config.initrd->base);
        w.addr("linux,initrd-end", config.initrd->end());
    }
    w.end();

    w.begin(fmt::format("memory@{:x}", config.ram_base).c_str());
    w.str("device_type", "memory");
    w.reg64({config.ram_base, config.ram_size});
    w.end();

    add_cpus(w, config);
    add_psci(w);
    add_gic(w, config);
    add_timer(w, config);
    add_uart(w);
    add_rtc(w);
    add_virtio_mmio(w);

    w.end();  // root
    if (auto r = w.finish(); !r) return r.error();
    buf.resize(fdt_totalsize(buf.data()));
    return buf;
}

kvm::Result<std::vector<uint8_t>> adopt_fdt(const std::string& name, std::vector<uint8_t> blob,
                                            const FdtConfig& config) {
    auto fail = [&](std::string_view what, int rc) {
        return kvm::Error{fmt::format("{}: {}: {}", name, what, fdt_strerror(rc))};
    };
    if (blob.size() < sizeof(fdt_header))
        return kvm::Error{fmt::format("{}: not a device tree blob ({} bytes)", name, blob.size())};
    if (fdt_magic(blob.data()) != FDT_MAGIC)
        return kvm::Error{fmt::format("{}: not a device tree blob (magic {:#010x}, expected "
                                      "{:#010x})",
                                      name, fdt_magic(blob.data()), uint32_t(FDT_MAGIC))};
    // Versions before 17 are refused before libfdt checks them: Debian 12's
    // libfdt 1.6.1 fdt_check_full reads through a null pointer on some
    // (fuzz/corpus/loader/regress-dtb-v9-check-full-null).
    if (fdt_version(blob.data()) < 17)
        return kvm::Error{fmt::format("{}: device tree blob version {} (17 or later needed)", name,
                                      fdt_version(blob.data()))};
    if (int rc = fdt_check_full(blob.data(), blob.size()); rc < 0)
        return fail("invalid device tree blob", rc);
    // Room for /chosen's additions: the strings and a few properties.
    size_t room = fdt_totalsize(blob.data()) + config.bootargs.size() + 256;
    if (room > board::kFdtMaxSize)
        return kvm::Error{fmt::format("{}: device tree of {} bytes (with /chosen) exceeds the "
                                      "{} bytes stepvisor places",
                                      name, room, board::kFdtMaxSize)};
    std::vector<uint8_t> out(room);
    if (int rc = fdt_open_into(blob.data(), out.data(), int(out.size())); rc < 0)
        return fail("cannot open the device tree", rc);
    int chosen = fdt_path_offset(out.data(), "/chosen");
    if (chosen == -FDT_ERR_NOTFOUND) chosen = fdt_add_subnode(out.data(), 0, "chosen");
    if (chosen < 0) return fail("cannot add /chosen", chosen);
    int rc = 0;
    if (!config.bootargs.empty())
        rc = fdt_setprop_string(out.data(), chosen, "bootargs", config.bootargs.c_str());
    auto set_addr = [&](const char* name, uint64_t v) {
        return v <= UINT32_MAX ? fdt_setprop_u32(out.data(), chosen, name, uint32_t(v))
                               : fdt_setprop_u64(out.data(), chosen, name, v);
    };
    if (rc == 0 && config.initrd) rc = set_addr("linux,initrd-start", config.initrd->base);
    if (rc == 0 && config.initrd) rc = set_addr("linux,initrd-end", config.initrd->end());
    if (rc < 0) return fail("cannot set /chosen", rc);
    if (rc = fdt_pack(out.data()); rc < 0) return fail("cannot pack the device tree", rc);
    out.resize(fdt_totalsize(out.data()));
    return out;
}

}  // namespace vmm
