// The hypervisor's view of a VM and its vcpus (Linux: struct kvm,
// struct kvm_vcpu in include/linux/kvm_host.h and asm/kvm_host.h).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "cpu/cpu.h"
#include "hyp/debug.h"
#include "hyp/exit_trace.h"
#include "hyp/fpsimd.h"
#include "hyp/id_regs.h"
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

// The default round-robin quantum of a VM with several runnable vcpus: after
// this many instructions run() returns INTR, as KVM_RUN does when a host
// signal arrives, and userspace runs the next vcpu (docs/architecture-choices.md,
// "Hypervisor").
inline constexpr uint64_t kDefaultVcpuQuantum = 1u << 16;

// No instruction limit (KvmVcpu::insn_limit).
inline constexpr uint64_t kNoInsnLimit = ~0ull;

// HCR_EL2 for a guest (Linux's HCR_GUEST_FLAGS and vcpu_reset_hcr, less what
// is not modelled): stage 2 on, AArch64 EL1, SMC and set/way trapped, WFI/WFE
// trapped, ACTLR and the IMPLEMENTATION DEFINED space trapped, ID registers
// trapped (TID3), with the implementation and cache identification (TID1,
// TID2), so the guest sees the VM's values (id_regs.h), interrupts routed to
// EL2, and TVM as KVM sets it without FEAT_S2FWB (cleared once the guest
// turns its MMU and caches on, set again by a set/way operation).
inline constexpr uint64_t kHcrGuestFlags =
    cpu::hcr::kVM | cpu::hcr::kRW | cpu::hcr::kTSC | cpu::hcr::kTSW | cpu::hcr::kTWI |
    cpu::hcr::kTWE | cpu::hcr::kTACR | cpu::hcr::kTIDCP | cpu::hcr::kTID1 | cpu::hcr::kTID2 |
    cpu::hcr::kTID3 | cpu::hcr::kIMO | cpu::hcr::kFMO | cpu::hcr::kAMO | cpu::hcr::kTVM |
    cpu::hcr::kFB;

// What the guest owns of the debug state while the hypervisor traps it
// (MDCR_EL2.TDA, TDOSA): KVM keeps these in the vcpu's sys_regs so the
// debugger's use of the hardware never shows through (DESIGN.md).
struct GuestDebugRegs {
    uint64_t mdscr = 0;
    std::array<uint64_t, 16> dbgbvr{}, dbgbcr{}, dbgwvr{}, dbgwcr{};
    bool oslk = true;  // OSLSR_EL1.OSLK resets to 1
};


// The firmware's SMCCC answers as userspace chose them through the firmware
// pseudo-registers (api.rst, "ARM firmware pseudo-registers";
// kvm_arm_set_fw_reg in arch/arm64/kvm/hypercalls.c). The defaults are what
// this hypervisor offers: PSCI 1.1 and SMCCC 1.1, and an interpreter that
// speculates nothing needs no Spectre workaround.
struct SmcccFirmware {
    uint64_t psci_version = kvm::fw::kPsci1_1;
    uint64_t wa1 = kvm::fw::kWa1NotRequired;
    uint64_t wa2 = kvm::fw::kWa2NotRequired;
    uint64_t wa3 = kvm::fw::kWa3NotRequired;
    uint64_t bmap = kvm::fw::kFwBmapAll;  // kvm::reg::kStepvisorFwBmap
};

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
    // KVM_GET/SET_ONE_REG (guest.cpp): the value is KVM_REG_SIZE(id) bytes.
    Result<void> get_one_reg(uint64_t id, std::span<uint8_t> out) const;
    Result<void> set_one_reg(uint64_t id, std::span<const uint8_t> value);
    // Ids of at most 64 bits.
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

    // The guest can run now: initialized, powered on, and not waiting in
    // WFI (or its wake-up condition holds).
    bool runnable();
    // An interrupt or a timer condition that ends a WFI (kvm_arch_vcpu_runnable).
    bool wake_pending();
    // PSCI CPU_ON: architectural reset, then entry at pc with x0 = context_id.
    void power_on(uint64_t pc, uint64_t context_id);

    bool initialized = false;
    bool power_off = false;
    bool halted = false;  // in WFI (or CPU_SUSPEND) with nothing pending
    bool mmio_needed = false;
    MmioDecode mmio_decode;
    GuestDebugRegs guest_debug_regs;
    VcpuFpsimd fpsimd;  // lazy FP/SIMD switching (fpsimd.h)
    // KVM_SET_GUEST_DEBUG as given; setup_debug applies it on every entry.
    kvm::GuestDebugSettings guest_debug;
    VcpuDebugState debug_state;
    uint64_t quantum_left = 0;  // instructions before run() yields (0: a full quantum)
    // run() returns INTR as soon as cpu().retired() reaches this, having
    // retired exactly that many (--max-insns, --trace insns); kNoInsnLimit: none.
    uint64_t insn_limit = kNoInsnLimit;

private:
    friend class Kvm;
    void reset();
    void first_run_init();
    Result<void> run_loop();
    bool run_guest();
    void sync_clock();

    Kvm& kvm_;
    uint32_t id_;
    cpu::Cpu cpu_;
    kvm::RunState run_;
    bool ran_ = false;  // first_run_init done
    bool invisible_exit_ = false;  // run() returned for a kick, a limit or a debug exit
};

class Kvm {
public:
    static constexpr unsigned kMaxMemslots = 32;
    static constexpr unsigned kMaxVcpus = 8;

    Result<void> set_memory_region(const kvm::UserMemoryRegion& r);
    Result<KvmVcpu*> create_vcpu(uint32_t id);
    void memory_written(uint64_t gpa, uint64_t size);
    const std::vector<cpu::Stage2Region>& stage2_map() const { return stage2_; }

    const std::vector<std::unique_ptr<KvmVcpu>>& vcpus() const { return vcpus_; }
    // The vcpu whose MPIDR_EL1 affinity fields equal mpidr's, or null
    // (kvm_mpidr_to_vcpu).
    KvmVcpu* vcpu_by_mpidr(uint64_t mpidr) const;
    // Another vcpu than v could run now.
    bool other_runnable(const KvmVcpu& v);

    // The VM's virtual time (DESIGN.md, "Determinism and time"): one clock
    // for all vcpus, advanced by every instruction any vcpu retires and by
    // WFI sleeps. A vcpu's counter is brought to it on every entry.
    uint64_t now() const { return now_; }
    void advance_to(uint64_t t) { now_ = std::max(now_, t); }
    // The first timer deadline among the halted vcpus, or
    // cpu::kNoTimerDeadline when nothing but userspace can wake them.
    uint64_t next_halt_deadline();
    // No vcpu can run and the clock has not reached the next deadline: the
    // VM stands as it did when its last vcpu began to wait.
    bool waits_for_userspace();

    // enable_cap state (KVM_ENABLE_CAP on the VM).
    uint64_t vcpu_quantum = kDefaultVcpuQuantum;
    kvm::StepStrategy step_strategy = kvm::StepStrategy::StateMachine;
    uint32_t gic_traps = 0;  // kvm::gic_trap bits: which ICC_* classes trap
    // KVM_CAP_ARM_WRITABLE_IMP_ID_REGS: userspace may write MIDR, REVIDR, AIDR.
    bool writable_imp_id_regs = false;
    kvm::IdleClock idle_clock = kvm::IdleClock::Warp;
    bool kick_keeps_halt = false;  // Cap::KickKeepsHalt
    // Cap::Jit: whether every vcpu, existing and later ones, runs generated
    // code (cpu::Cpu::set_jit). On where the host has the tier.
    bool jit() const { return jit_; }
    void set_jit(bool on);
    ExitTraceHook exit_trace;
    // Test-only: a broken FP/SIMD trap handler, for the step matrix to catch.
    FpTrapFault fp_trap_fault = FpTrapFault::None;

    // The ID registers the guest reads (id_regs.h); the host's are the
    // limits userspace's writes are checked against. Set from the first
    // vcpu's PE when it is created (kvm_init_id_regs).
    IdRegs& id_regs() { return id_regs_; }
    IdRegs& host_id_regs() { return host_id_regs_; }
    SmcccFirmware& firmware() { return firmware_; }
    // A vcpu of this VM has entered KVM_RUN (kvm_vm_has_ran_once): the ID
    // registers and the firmware's answers are fixed from then on.
    bool has_run_once() const { return ran_once_; }
    void mark_ran() { ran_once_ = true; }

    // In-kernel MMIO devices and the in-kernel interrupt controller, if any.
    KvmIoBus& io_bus() { return io_bus_; }
    IrqChip* irqchip() { return irqchip_.get(); }
    void set_irqchip(std::unique_ptr<IrqChip> chip) { irqchip_ = std::move(chip); }

private:
    std::array<std::optional<kvm::UserMemoryRegion>, kMaxMemslots> slots_{};
    std::vector<cpu::Stage2Region> stage2_;
    std::vector<std::unique_ptr<KvmVcpu>> vcpus_;
    uint64_t now_ = 0;
    IdRegs id_regs_, host_id_regs_;
    SmcccFirmware firmware_;
    bool ran_once_ = false;
    bool jit_ = cpu::Cpu::jit_supported();
    KvmIoBus io_bus_;
    std::unique_ptr<IrqChip> irqchip_;
};

}  // namespace hyp
