// scripts/bench api-step: single steps per second through the KVM-shaped
// API (KVM_SET_GUEST_DEBUG with SINGLESTEP, then run() and a PC read per
// DEBUG exit, as a debugger does) beside Unicorn's uc_emu_start(count = 1)
// loop, on the same code (exits_guest.bin's baseline loop: ADD, SUBS,
// B.NE) in the same invocation. Each side checks that it stepped exactly
// one instruction per call.
#include <unicorn/unicorn.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <vector>

#include <fmt/format.h>

#include "kvm/kvm.h"

namespace {

constexpr uint64_t kRamBase = 0x40000000, kRamSize = 4 << 20, kLoad = 0x40200000;
constexpr uint64_t kLoopIters = 1ull << 40;  // the guest never finishes during a measurement

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "bench api-step: %s\n", what.c_str());
    std::exit(1);
}

struct Result {
    double steps_per_s;
    uint64_t x2, x4;  // the loop's counters after n steps: equal on both engines
};

// Steps per second through the API, over n steps.
Result api_steps(const std::vector<uint8_t>& image, uint64_t n, kvm::StepStrategy strategy) {
    auto vm = std::move(kvm::Vm::create().value());
    std::vector<uint8_t> ram(kRamSize);
    std::copy(image.begin(), image.end(), ram.begin() + (kLoad - kRamBase));
    if (!vm->set_user_memory_region({0, 0, kRamBase, kRamSize, ram.data()})) die("memory");
    if (!vm->enable_cap({kvm::Cap::StepStrategy, 0, {uint64_t(strategy)}})) die("strategy");
    kvm::Vcpu* v = vm->create_vcpu(0).value();
    kvm::VcpuInit init;
    init.features[0] = 1u << kvm::vcpu_feature::kPsci0_2;
    if (!v->init(init)) die("init");
    (void)v->set_one_reg(kvm::reg::kPc, kLoad);
    (void)v->set_one_reg(kvm::reg::x(1), 0);
    (void)v->set_one_reg(kvm::reg::x(2), kLoopIters);
    kvm::GuestDebugSettings dbg;
    dbg.control = kvm::guestdbg::kEnable | kvm::guestdbg::kSingleStep | kvm::guestdbg::kBlockIrq;
    if (!v->set_guest_debug(dbg)) die("set_guest_debug");
    uint64_t last = kLoad;
    const auto t0 = std::chrono::steady_clock::now();
    for (uint64_t i = 0; i < n; ++i) {
        if (!v->run() || v->run_state().exit_reason != kvm::ExitReason::Debug) die("not a DEBUG exit");
        const uint64_t pc = v->get_one_reg(kvm::reg::kPc).value();
        if (pc == last) die(fmt::format("step {} did not move from {:#x}", i, pc));
        last = pc;
    }
    const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return {double(n) / t, v->get_one_reg(kvm::reg::x(2)).value(), v->get_one_reg(kvm::reg::x(4)).value()};
}

Result unicorn_steps(const std::vector<uint8_t>& image, uint64_t n) {
    uc_engine* uc;
    if (uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc)) die("uc_open");
    uc_ctl_set_cpu_model(uc, UC_CPU_ARM64_A57);
    uc_mem_map(uc, kRamBase, kRamSize, UC_PROT_ALL);
    uc_mem_write(uc, kLoad, image.data(), image.size());
    uint64_t zero = 0, iters = kLoopIters, pc = kLoad;
    uc_reg_write(uc, UC_ARM64_REG_X1, &zero);
    uc_reg_write(uc, UC_ARM64_REG_X2, &iters);
    const auto t0 = std::chrono::steady_clock::now();
    for (uint64_t i = 0; i < n; ++i) {
        const uint64_t from = pc;
        if (uc_emu_start(uc, pc, 0, 0, 1) != UC_ERR_OK) die("uc_emu_start");
        uc_reg_read(uc, UC_ARM64_REG_PC, &pc);
        if (pc == from) die(fmt::format("unicorn step {} did not move from {:#x}", i, pc));
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    Result r{double(n) / s, 0, 0};
    uc_reg_read(uc, UC_ARM64_REG_X2, &r.x2);
    uc_reg_read(uc, UC_ARM64_REG_X4, &r.x4);
    uc_close(uc);
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s exits_guest.bin [steps]\n", argv[0]);
        return 2;
    }
    std::ifstream f(argv[1], std::ios::binary);
    const std::vector<uint8_t> image{std::istreambuf_iterator<char>(f), {}};
    if (image.empty()) die(fmt::format("cannot read {}", argv[1]));
    const uint64_t n = argc > 2 ? std::strtoull(argv[2], nullptr, 0) : 1000000;
    const Result uc = unicorn_steps(image, n);
    fmt::print("{:<44} {:>14}\n", fmt::format("single steps (N={})", n), "steps/s");
    fmt::print("{:<44} {:>14.0f}\n", "unicorn uc_emu_start(count=1)", uc.steps_per_s);
    for (auto [s, name] : {std::pair{kvm::StepStrategy::StateMachine, "stepvisor API, state-machine"},
                           {kvm::StepStrategy::Exit, "stepvisor API, exit"}}) {
        const Result api = api_steps(image, n, s);
        if (api.x2 != uc.x2 || api.x4 != uc.x4)
            die(fmt::format("{}: after {} steps x2 {:#x} x4 {:#x}, unicorn x2 {:#x} x4 {:#x}", name, n,
                            api.x2, api.x4, uc.x2, uc.x4));
        fmt::print("{:<44} {:>14.0f}   {:.2f}x unicorn\n", name, api.steps_per_s,
                   api.steps_per_s / uc.steps_per_s);
    }
    return 0;
}
