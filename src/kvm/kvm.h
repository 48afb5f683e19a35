// The KVM-shaped API: Vm and Vcpu objects whose calls mirror the ioctls
// (KVM_CREATE_VM, KVM_SET_USER_MEMORY_REGION, KVM_CREATE_VCPU,
// KVM_ARM_VCPU_INIT, KVM_RUN, KVM_GET/SET_ONE_REG, KVM_SET_GUEST_DEBUG,
// KVM_CHECK_EXTENSION). A second backend (/dev/kvm on an arm64 host) can sit
// behind the same shape.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "hyp/exit_trace.h"
#include "kvm/result.h"
#include "kvm/uapi.h"

namespace hyp {
class Kvm;
class KvmVcpu;
}  // namespace hyp

namespace kvm {

class Vcpu;

class Vm {
public:
    static Result<std::unique_ptr<Vm>> create();
    ~Vm();

    // KVM_SET_USER_MEMORY_REGION: a slot maps guest_phys_addr..+memory_size
    // onto host memory; 4 KiB aligned, non-overlapping; size 0 deletes.
    Result<void> set_user_memory_region(const UserMemoryRegion& region);
    // KVM_CREATE_VCPU
    Result<Vcpu*> create_vcpu(uint32_t id);
    // KVM_CHECK_EXTENSION: 0 when absent; a count or a mask for some caps
    // (GuestDebugHwBps/Wps, SetGuestDebug2, NrVcpus, ArmVmIpaSize).
    int64_t check_extension(Cap cap) const;
    // KVM_ENABLE_CAP on the VM: StepStrategy, GicTrapClasses, VcpuQuantum,
    // ArmNisvToUser, ArmWritableImpIdRegs, IdleClock, Jit. Fails naming the
    // cap or the argument it rejects.
    Result<void> enable_cap(const EnableCap& cap);
    // One event per guest exit (stepvisor's kvm_exit tracepoint); an empty
    // function turns tracing off.
    void set_exit_trace(hyp::ExitTraceHook hook);
    // Userspace wrote guest memory behind the guest's back (loader, debugger,
    // device DMA): decoded instructions in that range are dropped.
    void memory_written(uint64_t gpa, uint64_t size);

    // stepvisor's own: every vcpu waits (WFI, or is off) and the clock has
    // not reached the next timer deadline, so the VM stands as it did when
    // its last vcpu began to wait (an input taken here is taken where a
    // stop by instruction count would take it).
    bool waits_for_userspace();
    // stepvisor's own: every vcpu waiting in WFI completes it, as a kick
    // does without Cap::KickKeepsHalt (an implementation may end a WFI at
    // any time, ARM ARM "Wait for Interrupt").
    void end_waits();

    hyp::Kvm& hyp() { return *kvm_; }

    // KVM_CREATE_DEVICE (KVM_DEV_TYPE_ARM_VGIC_V3 or _V2), its frames'
    // guest-physical addresses (KVM_DEV_ARM_VGIC_GRP_ADDR), then
    // KVM_DEV_ARM_VGIC_CTRL_INIT. GICv3: distributor (64 KiB) and the
    // redistributor region (128 KiB per vcpu, 8 vcpus), 64 KiB aligned;
    // GICv2: distributor (4 KiB) and CPU interface (8 KiB), 4 KiB aligned.
    // Fails for a second vGIC, unaligned or overlapping frames, or frames
    // over guest memory. Defaults are QEMU virt's.
    enum class VgicModel : uint8_t { V2, V3 };
    struct VgicAddrs {
        VgicModel model = VgicModel::V3;
        uint64_t dist = 0x08000000;
        uint64_t redist = 0x080A0000;  // V3
        uint64_t cpu = 0x08010000;     // V2
    };
    Result<void> create_vgic(const VgicAddrs& addrs);
    // KVM_IRQ_LINE for a shared peripheral interrupt (INTID 32..255): the
    // level of a userspace device's interrupt output.
    Result<void> irq_line(uint32_t intid, bool level);
    // The vGIC back to its reset state at the same addresses (what QEMU's
    // system reset writes back through the device attributes). No-op
    // without one.
    Result<void> reset_vgic();

private:
    Vm();
    std::unique_ptr<hyp::Kvm> kvm_;
    std::vector<std::unique_ptr<Vcpu>> vcpus_;
};

class Vcpu {
public:
    explicit Vcpu(hyp::KvmVcpu& v);

    // KVM_ARM_VCPU_INIT: resets the vcpu to its architectural reset state.
    Result<void> init(const VcpuInit& init);
    // KVM_RUN: runs until an exit that userspace must see; fills run_state().
    Result<void> run();
    RunState& run_state();
    // KVM_GET/SET_ONE_REG: core registers (the FP/SIMD ones included) and
    // ARM64_SYS_REG ids. The value is KVM_REG_SIZE(id) bytes, little-endian;
    // a span of another size is refused, naming the id.
    Result<void> get_one_reg(uint64_t id, std::span<uint8_t> out) const;
    Result<void> set_one_reg(uint64_t id, std::span<const uint8_t> value);
    // The same for ids of at most 64 bits (a 128-bit id is refused).
    Result<uint64_t> get_one_reg(uint64_t id) const;
    Result<void> set_one_reg(uint64_t id, uint64_t value);
    // KVM_SET_GUEST_DEBUG: flags outside the supported mask are refused.
    Result<void> set_guest_debug(const GuestDebugSettings& dbg);
    // stepvisor's own (Cap::SwBreakpoints): the debugger's software
    // breakpoints by virtual address, replacing the previous set. While
    // KVM_GUESTDBG_ENABLE | USE_SW_BP are on, reaching one stops the vcpu
    // before the instruction with a DEBUG exit whose hsr is a BRK #0's (EC
    // 0x3C, ISS 0), and guest memory is never written. (A /dev/kvm backend
    // plants BRK #0 words instead, as QEMU's KVM mode does.) At most
    // kMaxSwBreakpoints addresses.
    Result<void> set_sw_breakpoints(std::span<const uint64_t> vas);
    // Re-injects the debug exception of a DEBUG exit that is the guest's own
    // (its BRK; its own breakpoint or watchpoint without USE_HW) into the
    // guest's EL1, as if MDCR_EL2.TDE were 0: ESR_EL1 from d.hsr (the
    // current-EL class when the guest was at EL1), ELR_EL1 = PC, FAR_EL1 =
    // d.far for a watchpoint. With SINGLESTEP the next step exit is at the
    // guest's vector, before its first instruction runs. Fails for any other
    // syndrome, changing nothing.
    Result<void> inject_debug_exception(const RunState::DebugArch& d);
    // stepvisor's KVM_TRANSLATE (which arm64 lacks): va through the guest's
    // current EL1&0 stage 1 to an IPA, as AT S1E1R without its side effects
    // (no PAR_EL1, TLB fill or exception); an error for a VA that faults.
    // With stage 1 off the IPA is the VA.
    Result<uint64_t> translate(uint64_t va);

    // stepvisor's instruction count (no KVM counterpart): the instructions
    // this vcpu has retired, those the hypervisor emulated included.
    uint64_t retired_insns() const;
    // Those of them retired by generated code (Cap::Jit); the rest ran in
    // the interpreter or were emulated.
    uint64_t retired_jit_insns() const;
    // Exception entries to the guest's EL1 this vcpu has taken (any cause).
    uint64_t el1_entries() const;
    // run() returns INTR once retired_insns() reaches limit, having retired
    // exactly that many; at or below the count it returns INTR at once.
    // kNoInsnLimit (the default) removes the limit.
    static constexpr uint64_t kNoInsnLimit = ~0ull;
    void set_insn_limit(uint64_t limit);
    // After an INTR: true when the vcpu handed the thread over (its quantum
    // ran out, or it waits, while another vcpu could run), so userspace runs
    // the next vcpu; false when immediate_exit or the instruction limit
    // ended run() and the vcpu keeps its turn.
    bool yielded() const;

private:
    hyp::KvmVcpu& v_;
};

}  // namespace kvm
