// A VM with RAM at QEMU virt's base and one vcpu booted like a bare-metal
// ELF on virt (x0 = 0, EL1h, DAIF masked), running a flat guest image.
// Host routines drive run() and check each exit, KVM-selftest style.
// STEPVISOR_TEST_JIT=on|off (tests/test_jit.h) sets Cap::Jit on the VM.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "kvm/kvm.h"
#include "tests/test_jit.h"

namespace kvm {
// GoogleTest prints exit reasons by name.
inline void PrintTo(ExitReason r, std::ostream* os) { *os << exit_reason_name(r); }
}  // namespace kvm

namespace kvm::test {

inline constexpr uint64_t kRamBase = 0x40000000;
inline constexpr uint64_t kRamSize = 16 << 20;
inline constexpr uint64_t kGuestLoad = 0x40200000;  // guests/link.ld

struct VmFixture {
    std::unique_ptr<Vm> vm;
    Vcpu* vcpu = nullptr;
    std::vector<uint8_t> ram = std::vector<uint8_t>(kRamSize);

    explicit VmFixture(const std::string& guest) {
        auto v = Vm::create();
        vm = std::move(v.value());
        if (const std::string jit = stepvisor::test::test_jit(); !jit.empty()) {
            auto on = vm->enable_cap({Cap::Jit, 0, {uint64_t(jit == "on")}});
            EXPECT_TRUE(on) << on.error().message;
        }
        EXPECT_TRUE(vm->set_user_memory_region({0, 0, kRamBase, kRamSize, ram.data()}));
        vcpu = vm->create_vcpu(0).value();
        VcpuInit init;
        init.features[0] = 1u << vcpu_feature::kPsci0_2;
        EXPECT_TRUE(vcpu->init(init));
        load(std::string(STEPVISOR_GUEST_DIR) + "/" + guest + ".bin");
        EXPECT_TRUE(vcpu->set_one_reg(reg::kPc, kGuestLoad));
    }
    void load(const std::string& path) {
        std::ifstream f(path, std::ios::binary);
        ASSERT_TRUE(f) << "cannot open " << path;
        std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(f), {}};
        ASSERT_LE(bytes.size(), kRamSize - (kGuestLoad - kRamBase));
        std::copy(bytes.begin(), bytes.end(), ram.begin() + (kGuestLoad - kRamBase));
        vm->memory_written(kGuestLoad, bytes.size());
    }
    RunState& run() {
        auto r = vcpu->run();
        EXPECT_TRUE(r) << (r ? "" : r.error().message);
        return vcpu->run_state();
    }
    uint64_t reg(uint64_t id) { return vcpu->get_one_reg(id).value(); }

    // Plays a minimal VMM until an exit other than MMIO: bytes written to
    // the PL011 data register are collected in `uart`, other reads return 0.
    RunState& run_to_exit(size_t max_exits = 100000) {
        for (size_t i = 0; i < max_exits; ++i) {
            RunState& r = run();
            if (r.exit_reason != ExitReason::Mmio) return r;
            if (r.mmio.is_write && r.mmio.phys_addr == kUartData) uart += char(r.mmio.data[0]);
            if (!r.mmio.is_write) std::memset(r.mmio.data, 0, sizeof r.mmio.data);
        }
        ADD_FAILURE() << "guest still running after " << max_exits << " exits";
        return vcpu->run_state();
    }
    static constexpr uint64_t kUartData = 0x09000000;
    std::string uart;
};

}  // namespace kvm::test
