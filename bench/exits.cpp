// scripts/bench exits: the cost of one exit of each kind the hypervisor
// handles, through the KVM-shaped API. Each mode runs N loop iterations of
// three guest instructions; an exit's cost is the time per iteration minus
// the baseline loop's (which exits never).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "kvm/kvm.h"

namespace {

constexpr uint64_t kRamBase = 0x40000000, kRamSize = 4 << 20, kLoad = 0x40200000;

// Seconds for `iters` iterations of loop `mode`; answers MMIO reads with 0.
double run_mode(const std::vector<uint8_t>& image, unsigned mode, uint64_t iters) {
    auto vm = std::move(kvm::Vm::create().value());
    std::vector<uint8_t> ram(kRamSize);
    std::copy(image.begin(), image.end(), ram.begin() + (kLoad - kRamBase));
    if (!vm->set_user_memory_region({0, 0, kRamBase, kRamSize, ram.data()})) std::exit(1);
    kvm::Vcpu* v = vm->create_vcpu(0).value();
    // Modes 3 and 4 need the vGICv3; mode 4 traps the common ICC class so
    // ICC_PMR_EL1 goes through the fast path.
    if (mode >= 3 && !vm->create_vgic({})) std::exit(1);
    if (mode == 4) {
        kvm::EnableCap cap;
        cap.cap = kvm::Cap::GicTrapClasses;
        cap.args[0] = kvm::gic_trap::kCommon;
        if (!vm->enable_cap(cap)) std::exit(1);
    }
    kvm::VcpuInit init;
    init.features[0] = 1u << kvm::vcpu_feature::kPsci0_2;
    if (!v->init(init)) std::exit(1);
    (void)v->set_one_reg(kvm::reg::kPc, kLoad);
    (void)v->set_one_reg(kvm::reg::x(1), mode);
    (void)v->set_one_reg(kvm::reg::x(2), iters);
    const auto t0 = std::chrono::steady_clock::now();
    for (;;) {
        if (!v->run()) std::exit(1);
        kvm::RunState& r = v->run_state();
        if (r.exit_reason == kvm::ExitReason::Mmio) {
            std::memset(r.mmio.data, 0, sizeof r.mmio.data);
            continue;
        }
        if (r.exit_reason == kvm::ExitReason::SystemEvent) break;
        std::fprintf(stderr, "bench exits: unexpected exit %s\n", kvm::exit_reason_name(r.exit_reason));
        std::exit(1);
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s exits_guest.bin [iterations]\n", argv[0]);
        return 2;
    }
    std::ifstream f(argv[1], std::ios::binary);
    const std::vector<uint8_t> image{std::istreambuf_iterator<char>(f), {}};
    if (image.empty()) {
        std::fprintf(stderr, "bench exits: cannot read %s\n", argv[1]);
        return 2;
    }
    const uint64_t n = argc > 2 ? std::strtoull(argv[2], nullptr, 0) : 1000000;
    const double base = run_mode(image, 0, n) / double(n) * 1e9;
    fmt::print("{:<28} {:>12} {:>16}\n", "loop (3 insns, N=" + std::to_string(n) + ")",
               "ns/iteration", "ns/exit");
    fmt::print("{:<28} {:>12.1f} {:>16}\n", "baseline (no exit)", base, "-");
    for (auto [mode, name] : {std::pair{1u, "userspace MMIO round trip"},
                              {2u, "trapped sysreg (TID3)"},
                              {3u, "in-kernel MMIO (GICD_TYPER)"},
                              {4u, "fast-path ICC_PMR_EL1 read"}}) {
        const double t = run_mode(image, mode, n) / double(n) * 1e9;
        fmt::print("{:<28} {:>12.1f} {:>16.1f}\n", name, t, t - base);
    }
    fmt::print("baseline: {:.2f} ns per guest instruction\n", base / 3);
    return 0;
}
