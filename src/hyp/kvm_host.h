// The hypervisor's view of a VM and its vcpus (Linux: struct kvm,
// struct kvm_vcpu in include/linux/kvm_host.h and asm/kvm_host.h).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "cpu/cpu.h"
#include "hyp/irqchip.h"
#include "hyp/kvm_io_bus.h"
#include "kvm/result.h"
#include "kvm/uapi.h"

namespace hyp {

using kvm::Error;
using kvm::Result;

// Instructions one world switch may run before the "host timer" (an IRQ to
// EL2) brings control back to the run loop to poll immediate_exit.
inline constexpr uint64_t kRunQuantum = 1u << 20;

// HCR_EL2 for a guest (Linux's HCR_GUEST_FLAGS, less what is not modelled):
// stage 2 on, AArch64 EL1, SMC trapped, WFI/WFE trapped, interrupts routed to EL2.
inline constexpr uint64_t kHcrGuestFlags = cpu::hcr::kVM | cpu::hcr::kRW | cpu::hcr::kTSC |
                                           cpu::hcr::kTWI | cpu::hcr::kTWE | cpu::hcr::kIMO |
                                           cpu::hcr::kFMO | cpu::hcr::kAMO;

class Kvm;

// What a pending userspace MMIO read needs to complete (kvm_vcpu_arch's
// mmio_decode in Linux).
struct MmioDecode {
    uint8_t rt = 0;
    bool sign_extend = false;
    bool sixty_four = false;
};

class KvmVcpu {
public:
    KvmVcpu(Kvm& kvm, uint32_t id) : kvm_(kvm), id_(id) {}

    uint32_t id() const { return id_; }
    Kvm& kvm() { return kvm_; }
    cpu::Cpu& cpu() { return cpu_; }
    kvm::RunState& run_state() { return run_; }

    Result<void> init(const kvm::VcpuInit& init);
    Result<void> run();
    Result<uint64_t> get_one_reg(uint64_t id) const;
    Result<void> set_one_reg(uint64_t id, uint64_t value);

    // Guest context while the vcpu is out of the guest (vcpu_pc/vcpu_cpsr).
    uint64_t& pc() { return cpu_.state().pc; }
    arch::PState& pstate() { return cpu_.state().pstate; }
    // Xt with XZR semantics (vcpu_get_reg/vcpu_set_reg).
    uint64_t get_reg(unsigned n) const { return n == 31 ? 0 : cpu_.state().x[n]; }
    void set_reg(unsigned n, uint64_t v) {
        if (n != 31) cpu_.state().x[n] = v;
    }

    bool initialized = false;
    bool power_off = false;
    bool mmio_needed = false;
    MmioDecode mmio_decode;

private:
    void reset();

    Kvm& kvm_;
    uint32_t id_;
    cpu::Cpu cpu_;
    kvm::RunState run_;
};

class Kvm {
public:
    static constexpr unsigned kMaxMemslots = 32;
    static constexpr unsigned kMaxVcpus = 8;

    Result<void> set_memory_region(const kvm::UserMemoryRegion& r);
    Result<KvmVcpu*> create_vcpu(uint32_t id);
    void memory_written(uint64_t gpa, uint64_t size);
    const std::vector<cpu::Stage2Region>& stage2_map() const { return stage2_; }
    // The vcpu with this id, or null (kvm_get_vcpu_by_id).
    KvmVcpu* vcpu_by_id(uint32_t id) const {
        for (const auto& v : vcpus_)
            if (v->id() == id) return v.get();
        return nullptr;
    }

    // In-kernel MMIO devices and the in-kernel interrupt controller, if any.
    KvmIoBus& io_bus() { return io_bus_; }
    IrqChip* irqchip() { return irqchip_.get(); }
    void set_irqchip(std::unique_ptr<IrqChip> chip) { irqchip_ = std::move(chip); }

private:
    std::array<std::optional<kvm::UserMemoryRegion>, kMaxMemslots> slots_{};
    std::vector<cpu::Stage2Region> stage2_;
    std::vector<std::unique_ptr<KvmVcpu>> vcpus_;
    KvmIoBus io_bus_;
    std::unique_ptr<IrqChip> irqchip_;
};

}  // namespace hyp
