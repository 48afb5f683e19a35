// One vcpu (PSCI 0.2) with 1 MiB of RAM at 0x4000_0000, PC and VBAR_EL1 in
// it: the set-up of the tests that drive handle_exit and the debug hooks
// with synthetic exits, as the CPU would leave them.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "hyp/kvm_host.h"

namespace hyp::test {

inline constexpr uint64_t kRam = 0x40000000;
inline constexpr uint64_t kVbar = 0x40010000;
inline constexpr uint64_t kPc = 0x40001000;

// KVM_ARM_VCPU_INIT with PSCI 0.2, optionally powered off (a secondary).
inline kvm::VcpuInit psci_init(bool power_off = false) {
    kvm::VcpuInit init;
    init.features[0] = 1u << kvm::vcpu_feature::kPsci0_2;
    if (power_off) init.features[0] |= 1u << kvm::vcpu_feature::kPowerOff;
    return init;
}

struct VcpuTest : ::testing::Test {
    std::vector<uint8_t> ram = std::vector<uint8_t>(0x100000);
    Kvm kvm;
    KvmVcpu* v = nullptr;

    void SetUp() override {
        ASSERT_TRUE(kvm.set_memory_region({0, 0, kRam, ram.size(), ram.data()}));
        v = kvm.create_vcpu(0).value();
        ASSERT_TRUE(v->init(psci_init()));
        v->pc() = kPc;
        v->cpu().state().el1.vbar = kVbar;
    }
};

}  // namespace hyp::test
