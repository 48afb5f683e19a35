// Our device tree against QEMU's own, node by node: `qemu-system-aarch64 -M
// virt,gic-version=N -machine dumpdtb=FILE` with the same RAM, kernel
// command line and initrd, parsed with libfdt. Every node either tree has
// must be in the other with the same properties, except:
// - devices stepvisor does not model (kQemuOnly): QEMU's flash, fw-cfg,
//   PCIe, PL061 GPIO and gpio-keys, the
//   platform bus, the PMU, the ITS (v3) and GICv2m frame (v2);
// - /chosen's rng-seed and kaslr-seed (random per QEMU run; stepvisor runs
//   are reproducible, so it gives none);
// - phandle values: a property that refers to a node (interrupt-parent,
//   clocks, cpu) is compared as the path of the node it names.
#include <gtest/gtest.h>

extern "C" {
#include <libfdt.h>
}

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "vmm/boot.h"
#include "vmm/cpu_models.h"

namespace vmm {
namespace {

const char* const kQemuOnly[] = {"flash@", "fw-cfg@", "pcie@",
                                 "pl061@", "gpio-keys",     "platform-bus@", "pmu",
                                 "its@",   "v2m@"};
const std::set<std::string> kPhandleProps = {"interrupt-parent", "clocks", "cpu"};

bool qemu_only(const std::string& name) {
    for (const char* p : kQemuOnly)
        if (name.rfind(p, 0) == 0) return true;
    return false;
}

bool ignored_property(const std::string& node, const std::string& prop) {
    if (prop == "phandle") return true;
    if (node == "/chosen" && (prop == "rng-seed" || prop == "kaslr-seed")) return true;
    return false;
}

// path -> property name -> value (phandle references as target paths).
using Tree = std::map<std::string, std::map<std::string, std::string>>;

std::string path_of(const void* fdt, int off) {
    char buf[256];
    return fdt_get_path(fdt, off, buf, sizeof buf) == 0 ? buf : "?";
}

void collect(const void* fdt, int node, const std::string& path, Tree& t) {
    auto& props = t[path.empty() ? "/" : path];
    int prop;
    fdt_for_each_property_offset(prop, fdt, node) {
        const char* name;
        int len;
        auto* v = static_cast<const char*>(fdt_getprop_by_offset(fdt, prop, &name, &len));
        std::string value(v, size_t(len));
        if (kPhandleProps.contains(name)) {
            value.clear();
            for (int i = 0; i + 4 <= len; i += 4) {
                uint32_t ph = fdt32_ld(reinterpret_cast<const fdt32_t*>(v + i));
                value += path_of(fdt, fdt_node_offset_by_phandle(fdt, ph)) + ";";
            }
        }
        props[name] = value;
    }
    int child;
    fdt_for_each_subnode(child, fdt, node) {
        std::string name = fdt_get_name(fdt, child, nullptr);
        if (qemu_only(name)) continue;
        collect(fdt, child, path + "/" + name, t);
    }
}

Tree tree_of(const std::vector<uint8_t>& blob) {
    Tree t;
    EXPECT_EQ(fdt_check_full(blob.data(), blob.size()), 0);
    collect(blob.data(), 0, "", t);
    return t;
}

std::vector<uint8_t> read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

// QEMU's blob. A QEMU that cannot be run, or that fails, fails the test
// with its status and its stderr: the peer is part of the suite.
std::vector<uint8_t> qemu_dtb(unsigned gic, unsigned smp, const std::string& cpu,
                              const std::string& ram,
                              const std::string& kernel, const std::string& initrd,
                              const std::string& append) {
    const std::string base = "/tmp/stepvisor-qemu-" + std::to_string(getpid());
    const std::string out = base + ".dtb", err = base + ".err";
    // -nic none: QEMU's default NIC needs a ROM file that Debian's
    // qemu-system-arm only recommends, so a minimal install lacks it.
    std::vector<std::string> args = {"qemu-system-aarch64", "-M",
                                     "virt,gic-version=" + std::to_string(gic), "-cpu", cpu,
                                     "-smp", std::to_string(smp), "-m", ram, "-display", "none",
                                     "-nic", "none", "-machine", "dumpdtb=" + out, "-kernel",
                                     kernel, "-initrd", initrd, "-append", append};
    pid_t pid = fork();
    if (pid == 0) {
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        if (!freopen(err.c_str(), "w", stderr)) _exit(126);
        execvp(argv[0], argv.data());
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    auto blob = read_all(out);
    const auto msg = read_all(err);
    unlink(out.c_str());
    unlink(err.c_str());
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || blob.empty()) {
        ADD_FAILURE() << "qemu-system-aarch64 did not dump its device tree (wait status " << st
                      << "): " << std::string(msg.begin(), msg.end());
        return {};
    }
    return blob;
}

void compare(const Tree& ours, const Tree& qemu) {
    for (const auto& [path, props] : qemu) {
        auto it = ours.find(path);
        if (it == ours.end()) {
            ADD_FAILURE() << "QEMU has node " << path << ", stepvisor does not";
            continue;
        }
        for (const auto& [name, value] : props) {
            if (ignored_property(path, name)) continue;
            auto p = it->second.find(name);
            if (p == it->second.end())
                ADD_FAILURE() << path << ": QEMU has property " << name << ", stepvisor does not";
            else
                EXPECT_EQ(p->second, value) << path << " property " << name << " differs";
        }
        for (const auto& [name, value] : it->second)
            if (!ignored_property(path, name) && !props.contains(name))
                ADD_FAILURE() << path << ": stepvisor has property " << name << ", QEMU does not";
    }
    for (const auto& [path, props] : ours)
        if (!qemu.contains(path)) ADD_FAILURE() << "stepvisor has node " << path << ", QEMU does not";
}

// (GIC version, number of vcpus, CPU model): QEMU's -smp N gives
// cpu@0..N-1 with enable-method "psci" and a cpu-map, and the GICv2 PPI
// flags' CPU mask; -cpu the cpus' compatible (max: "arm,cortex-a57").
struct Board {
    unsigned gic, smp;
    const char* cpu;
};
class FdtMatchesQemu : public ::testing::TestWithParam<Board> {};

TEST_P(FdtMatchesQemu, NodeByNode) {
    const auto [gic, smp, cpu] = GetParam();
    const std::string kernel = std::string(STEPVISOR_GUEST_DIR) + "/image_hello.bin";
    const std::string initrd = std::string(STEPVISOR_GUEST_DIR) + "/hello.bin";
    const std::string append = "console=ttyAMA0 earlycon root=/dev/ram0";
    auto qemu = qemu_dtb(gic, smp, cpu, "256M", kernel, initrd, append);
    ASSERT_FALSE(qemu.empty());

    BootOptions opts;
    opts.image = kernel;
    opts.initrd = initrd;
    opts.bootargs = append;
    opts.ram_size = 256ull << 20;
    opts.gic_version = gic;
    opts.num_cpus = smp;
    opts.cpu_compatible = find_cpu_model(cpu).value()->compatible;
    auto plan = plan_boot(opts);
    ASSERT_TRUE(plan.ok()) << plan.error().message;
    Tree ours = tree_of(plan.value().fdt);
    Tree theirs = tree_of(qemu);
    ASSERT_TRUE(theirs.contains("/chosen"));
    EXPECT_TRUE(theirs["/chosen"].contains("linux,initrd-start"));  // the comparison covers it
    compare(ours, theirs);
}

INSTANTIATE_TEST_SUITE_P(GicVersionsAndCpus, FdtMatchesQemu,
                         ::testing::Values(Board{3, 1, "max"}, Board{2, 1, "max"},
                                           Board{3, 4, "max"}, Board{2, 4, "max"},
                                           Board{3, 8, "max"}, Board{3, 1, "cortex-a53"},
                                           Board{3, 2, "cortex-a57"}, Board{2, 2, "cortex-a72"}),
                         [](const auto& info) {
                             std::string cpu = info.param.cpu;
                             std::erase(cpu, '-');
                             return "GicV" + std::to_string(info.param.gic) + "Smp" +
                                    std::to_string(info.param.smp) + "_" + cpu;
                         });

}  // namespace
}  // namespace vmm
