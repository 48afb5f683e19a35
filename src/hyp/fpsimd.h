// Lazy FP/SIMD switching (Linux: arch/arm64/kvm/fpsimd.c and
// kvm_hyp_handle_fpsimd in hyp/include/hyp/switch.h). At each run() entry
// the host owns the CPU's FP/SIMD registers and CPTR_EL2.TFP is set; the
// guest's first SIMD&FP instruction in that run traps to EL2 (EC 0x07), the
// world switch's fast path loads the guest's registers, clears TFP and
// re-enters at the same instruction. When run() returns, the guest's
// registers are saved and the host's put back. DESIGN.md, "The single-step
// contract"; docs/step-contract.md has the step row.
#pragma once

#include <array>
#include <cstdint>

#include "cpu/vreg.h"

namespace hyp {

class KvmVcpu;

// The FP/SIMD register file: V0-V31, FPCR, FPSR (Linux's user_fpsimd_state).
struct FpsimdState {
    std::array<cpu::VReg, 32> v{};
    uint32_t fpcr = 0, fpsr = 0;
};

// Who the CPU's FP/SIMD registers hold (Linux's vcpu fp_state:
// FP_STATE_HOST_OWNED, FP_STATE_GUEST_OWNED).
enum class FpOwner : uint8_t { Host, Guest };

// The host's registers as the host thread leaves them: a recognisable
// pattern ("host" and the register number in every doubleword, FPCR.DN and
// FZ, FPSR.IOC), so a guest that ever sees it, or a copy of the guest's
// state taken while the host owns the CPU, shows a broken switch.
FpsimdState host_fpsimd_pattern();

// A test-only fault in the fast path's handler (Kvm::fp_trap_fault): each
// breaks the single-step contract's FP row in its own way.
enum class FpTrapFault : uint8_t {
    None,
    SkipInstruction,  // returns past the trapped instruction: a step runs two
    ClearSS,          // clears PSTATE.SS as if the instruction completed: a step runs none
};

struct VcpuFpsimd {
    FpsimdState guest;  // the guest's registers while the host owns the CPU's
    FpsimdState host = host_fpsimd_pattern();  // the host's while the guest owns them
    FpOwner owner = FpOwner::Host;
};

// The guest's FP/SIMD registers wherever they are now: the CPU's while the
// guest owns them, the vcpu's saved copy otherwise (one_reg, gdb, traces).
struct GuestFpsimdRef {
    std::array<cpu::VReg, 32>& v;
    uint32_t& fpcr;
    uint32_t& fpsr;
};
GuestFpsimdRef guest_fpsimd(KvmVcpu& v);

// Vcpu reset: the guest's registers zero, the host owning the CPU's.
void kvm_reset_fpsimd(KvmVcpu& v);
// run() entry (kvm_arch_vcpu_load_fp, __activate_traps): the host owns the
// registers and CPTR_EL2.TFP traps the guest's first use.
void kvm_arch_vcpu_load_fp(KvmVcpu& v);
// The fast path for EC 0x07 (kvm_hyp_handle_fpsimd): the host's registers
// saved, the guest's loaded, TFP cleared; the guest resumes at the trapped
// instruction. False for a trap this path does not own (the guest already
// owns the registers).
bool kvm_hyp_handle_fpsimd(KvmVcpu& v);
// run() return (kvm_arch_vcpu_put_fp): the guest's registers saved to the
// vcpu, the host's loaded back.
void kvm_arch_vcpu_put_fp(KvmVcpu& v);

}  // namespace hyp
