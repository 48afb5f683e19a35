// The hypervisor's exit handling as a guest reaches it, through the KVM-shaped
// API: system register accesses of any encoding, MMIO of every width at
// the vGIC's distributor and redistributors, the UART and unmapped space,
// PSCI/SMCCC calls with any arguments, WFI/WFE, and raw words. Two vcpus
// (the second off until CPU_ON), a vGIC, a small round-robin quantum.
//
// Every run() is bounded: the exit-trace hook sets immediate_exit after each
// world switch, and a watchdog sets it when a vcpu sleeps with nothing that
// can wake it (what a VMM's signal would do). A host crash, a sanitizer
// report or a hang is a finding; every exit reason is an answer.
//
// Input: byte 0 picks the vGIC model and MMIO answers; then operations of
// 10 bytes each (an opcode byte, nine argument bytes), assembled into guest
// code (Assembler below).
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <span>
#include <thread>
#include <utility>
#include <vector>

#include "arch/sysreg.h"
#include "kvm/kvm.h"

namespace {

using namespace kvm;

constexpr uint64_t kRamBase = 0x40000000, kRamSize = 2 << 20;
constexpr uint64_t kCode = kRamBase + 0x80000;
constexpr uint64_t kVbar = kRamBase + 0x1000;
constexpr uint64_t kGicDist = 0x08000000, kGicRedist = 0x080A0000, kGicCpu = 0x08010000;
constexpr uint64_t kUart = 0x09000000;
constexpr size_t kOpSize = 10;
constexpr size_t kMaxOps = 128;
constexpr unsigned kMaxRuns = 64;
constexpr uint64_t kQuantum = 256;
constexpr auto kSleepLimit = std::chrono::milliseconds(5);

// Sets immediate_exit on the armed vcpu once its run() has taken too long:
// only a vcpu asleep with no deadline does (Vcpu::run waits for userspace).
class Watchdog {
public:
    Watchdog() : thread_([this] { loop(); }) {}
    ~Watchdog() {
        {
            std::lock_guard l(mu_);
            stop_ = true;
        }
        cv_.notify_one();
        thread_.join();
    }
    void arm(RunState* r) {
        {
            std::lock_guard l(mu_);
            armed_ = r;
            deadline_ = std::chrono::steady_clock::now() + kSleepLimit;
        }
        cv_.notify_one();
    }
    // True if it had to end the run.
    bool disarm() {
        std::lock_guard l(mu_);
        armed_ = nullptr;
        return std::exchange(fired_, false);
    }

private:
    void loop() {
        std::unique_lock l(mu_);
        while (!stop_) {
            if (!armed_) {
                cv_.wait(l);
            } else if (cv_.wait_until(l, deadline_) == std::cv_status::timeout && armed_) {
                std::atomic_ref<uint8_t>(armed_->immediate_exit).store(1);
                armed_ = nullptr;
                fired_ = true;
            }
        }
    }
    std::mutex mu_;
    std::condition_variable cv_;
    RunState* armed_ = nullptr;
    std::chrono::steady_clock::time_point deadline_;
    bool stop_ = false, fired_ = false;
    std::thread thread_;
};

// The argument bytes of one operation.
struct Args {
    const uint8_t* b;
    uint64_t u64(size_t at) const {
        uint64_t v = 0;
        std::memcpy(&v, b + at, std::min<size_t>(8, 9 - at));
        return v;
    }
};

class Assembler {
public:
    std::vector<uint32_t> code;

    // MOVZ/MOVK Xd, the four halfwords of v.
    void mov64(unsigned rd, uint64_t v) {
        code.push_back(0xD2800000 | uint32_t(v & 0xFFFF) << 5 | rd);
        for (unsigned hw = 1; hw < 4; ++hw)
            code.push_back(0xF2800000 | hw << 21 | uint32_t((v >> (16 * hw)) & 0xFFFF) << 5 | rd);
    }
    // MSR/MRS/SYS/SYSL (C5.2 "System instructions"): L, op0, op1, CRn, CRm,
    // op2, Rt from the argument bits.
    void system(const Args& a) {
        const uint32_t enc = uint32_t(a.u64(0)) & 0x3FFFFF;
        mov64(enc & 31, a.u64(3));
        code.push_back(0xD5000000 | enc);
    }
    // One load or store of 1, 2, 4 or 8 bytes (LDR/STR immediate, unsigned
    // offset 0), or a pair (LDP/STP), at one of the device windows plus an
    // offset.
    void mmio(const Args& a) {
        static constexpr uint64_t kBases[] = {kGicDist, kGicRedist, kGicRedist + 0x10000,
                                              kGicCpu, kUart, kRamBase + kRamSize, 0x0,
                                              0x0000FFFFFFFFF000};
        const uint8_t op = a.b[0];
        const uint64_t addr = kBases[op & 7] + (a.u64(1) & 0x1FFFF);
        const unsigned rt = a.b[3] % 31, rn = rt == 16 ? 15 : 16;
        mov64(rn, addr);
        if (op & 0x80) {  // LDP/STP Xt, Xt2, [Xn]
            const uint32_t load = (op & 0x40) ? 1u << 22 : 0;
            code.push_back(0xA9000000 | load | (rt ^ 1) % 31 << 10 | rn << 5 | rt);
            return;
        }
        const uint32_t size = (op >> 3) & 3, load = (op & 0x20) ? 1u << 22 : 0;
        code.push_back(0x39000000 | size << 30 | load | rn << 5 | rt);
    }
    // A PSCI or SMCCC call: x0 from the function table (or raw), x1..x3
    // from the arguments, then HVC #0, SMC #0 or HVC with an immediate.
    void psci(const Args& a) {
        static constexpr uint32_t kFunctions[] = {
            0x84000000, 0x84000001, 0xC4000001, 0x84000002, 0x84000003, 0xC4000003,
            0x84000004, 0xC4000004, 0x84000006, 0x84000008, 0x84000009, 0x8400000A,
            0x84000012, 0xC4000012, 0x80000000, 0x80000001};
        const uint8_t op = a.b[0];
        const uint64_t fn = (op & 0x10) ? a.u64(1) : kFunctions[op & 15];
        mov64(0, fn);
        // CPU_ON's entry point: mostly the code, so a second vcpu runs it.
        mov64(1, (op & 0x20) ? a.u64(1) : 0);
        mov64(2, (op & 0x40) ? a.u64(1) >> 8 : kCode);
        mov64(3, a.u64(4));
        const uint32_t call = (op & 0x80) ? 0xD4000003 : (a.b[8] & 1) ? 0xD4000002 | uint32_t(a.b[8]) << 5
                                                                         : 0xD4000002;
        code.push_back(call);
    }
    void raw(const Args& a) { code.push_back(uint32_t(a.u64(1))); }
    void wait(const Args& a) { code.push_back(a.b[0] & 1 ? 0xD503205F : 0xD503207F); }  // WFE : WFI
};

using Op = void (Assembler::*)(const Args&);
constexpr std::array<Op, 8> kOps = {&Assembler::system, &Assembler::system, &Assembler::mmio,
                                    &Assembler::mmio,   &Assembler::mmio,   &Assembler::psci,
                                    &Assembler::raw,    &Assembler::wait};

// Each vector entry returns past the instruction that took the exception:
// MRS X17, ELR_EL1; ADD X17, X17, #4; MSR ELR_EL1, X17; ERET.
constexpr std::array<uint32_t, 4> kSkipVector = {0xD5384031, 0x91001231, 0xD5184031, 0xD69F03E0};

void put(std::vector<uint8_t>& ram, uint64_t ipa, std::span<const uint32_t> words) {
    std::memcpy(&ram[ipa - kRamBase], words.data(), words.size_bytes());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1 + kOpSize) return 0;
    static Watchdog watchdog;
    const uint8_t mode = data[0];

    Assembler as;
    for (size_t i = 0; i < kMaxOps && 1 + (i + 1) * kOpSize <= size; ++i) {
        const uint8_t* op = data + 1 + i * kOpSize;
        (as.*kOps[op[0] & 7])(Args{op + 1});
    }
    as.code.push_back(0x14000000);  // B .

    auto created = Vm::create();
    if (!created) __builtin_trap();
    Vm& vm = *created.value();
    std::vector<uint8_t> ram(kRamSize);
    put(ram, kCode, as.code);
    for (uint64_t v = kVbar; v < kVbar + 0x800; v += 0x80) put(ram, v, kSkipVector);
    if (!vm.set_user_memory_region({0, 0, kRamBase, kRamSize, ram.data()})) __builtin_trap();

    EnableCap quantum{Cap::VcpuQuantum};
    quantum.args[0] = kQuantum;
    if (!vm.enable_cap(quantum)) __builtin_trap();
    EnableCap traps{Cap::GicTrapClasses};
    traps.args[0] = (mode >> 2) & gic_trap::kAll;
    if (!vm.enable_cap(traps)) __builtin_trap();

    std::array<Vcpu*, 2> vcpus{};
    for (uint32_t id = 0; id < vcpus.size(); ++id) {
        vcpus[id] = vm.create_vcpu(id).value();
        VcpuInit init;
        init.features[0] = 1u << vcpu_feature::kPsci0_2 | (id ? 1u << vcpu_feature::kPowerOff : 0);
        if (!vcpus[id]->init(init)) __builtin_trap();
        (void)vcpus[id]->set_one_reg(reg::kPc, kCode);
        (void)vcpus[id]->set_one_reg(reg::sysreg(arch::sysreg::VBAR_EL1.id.packed), kVbar);
    }
    Vm::VgicAddrs gic;
    gic.model = (mode & 1) ? Vm::VgicModel::V2 : Vm::VgicModel::V3;
    if (!(mode & 2) && !vm.create_vgic(gic)) __builtin_trap();

    vm.set_exit_trace([&](const hyp::ExitEvent& e) {
        std::atomic_ref<uint8_t>(vcpus[e.vcpu]->run_state().immediate_exit).store(1);
    });

    for (unsigned i = 0; i < kMaxRuns; ++i) {
        Vcpu* v = vcpus[i % vcpus.size()];
        RunState& r = v->run_state();
        r.immediate_exit = 0;
        watchdog.arm(&r);
        const Result<void> ran = v->run();
        // Every vcpu asleep for good: only userspace could wake them.
        if (watchdog.disarm() || !ran) break;
        if (r.exit_reason == ExitReason::Mmio && !r.mmio.is_write) {
            std::memset(r.mmio.data, mode, sizeof r.mmio.data);  // the "device" answers
        }
        if (r.exit_reason == ExitReason::SystemEvent || r.exit_reason == ExitReason::InternalError ||
            r.exit_reason == ExitReason::FailEntry) {
            break;
        }
    }
    return 0;
}
