// A VM with a vGIC and N vcpus; the test plays the guest by calling the
// frames' devices through the KvmIoBus (as io_mem_abort does) and plays
// the run loop by calling flush_hwstate/sync_hwstate.
#pragma once

#include <gtest/gtest.h>

#include <vector>

#include "cpu/gic_cpuif.h"
#include "hyp/emulate.h"
#include "hyp/vgic/vgic.h"

namespace hyp::vgic::test {

inline constexpr uint64_t kRam = 0x40000000;
inline constexpr uint64_t kGicd = 0x08000000;
inline constexpr uint64_t kGicr = 0x080A0000;
inline constexpr uint64_t kSgiBase = 0x10000;
inline constexpr uint64_t kGicc = 0x08010000;

struct VgicTest : ::testing::Test {
    std::vector<uint8_t> ram = std::vector<uint8_t>(0x10000);
    Kvm kvm;
    std::vector<KvmVcpu*> vcpus;
    Vgic* gic = nullptr;

    void make(Model model, unsigned nr_vcpus = 1) {
        ASSERT_TRUE(kvm.set_memory_region({0, 0, kRam, ram.size(), ram.data()}));
        for (unsigned i = 0; i < nr_vcpus; ++i) {
            KvmVcpu* v = kvm.create_vcpu(i).value();
            kvm::VcpuInit init;
            init.features[0] = 1u << kvm::vcpu_feature::kPsci0_2;
            ASSERT_TRUE(v->init(init));
            v->pc() = kRam + 0x1000;
            vcpus.push_back(v);
        }
        Config cfg;
        cfg.model = model;
        auto chip = std::make_unique<Vgic>(kvm, cfg);
        gic = chip.get();
        ASSERT_TRUE(gic->map_resources());
        kvm.set_irqchip(std::move(chip));
    }
    // A guest access from vcpu `from` through the bus.
    uint64_t rd(uint64_t addr, unsigned len = 4, unsigned from = 0) {
        const KvmIoRange* r = kvm.io_bus().find(addr, len);
        EXPECT_NE(r, nullptr) << std::hex << addr;
        return r ? r->dev->read(*vcpus[from], addr - r->base, len) : 0;
    }
    void wr(uint64_t addr, uint64_t value, unsigned len = 4, unsigned from = 0) {
        const KvmIoRange* r = kvm.io_bus().find(addr, len);
        ASSERT_NE(r, nullptr) << std::hex << addr;
        r->dev->write(*vcpus[from], addr - r->base, len, value);
    }
    cpu::IchRegs& ich(unsigned v = 0) { return vcpus[v]->cpu().state().ich; }
    static uint32_t lr_intid(uint64_t lr) { return uint32_t(lr & cpu::gic::lr::kVintid); }
    static cpu::gic::LrState lr_state(uint64_t lr) {
        return cpu::gic::LrState(lr >> cpu::gic::lr::kStateShift);
    }
};

}  // namespace hyp::vgic::test
