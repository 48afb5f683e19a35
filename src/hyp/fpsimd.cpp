// Lazy FP/SIMD switching (see fpsimd.h). Linux: arch/arm64/kvm/fpsimd.c,
// kvm_hyp_handle_fpsimd in arch/arm64/kvm/hyp/include/hyp/switch.h.
#include "hyp/fpsimd.h"

#include "arch/fpsimd.h"
#include "cpu/sysregs.h"
#include "hyp/kvm_host.h"

namespace hyp {

namespace {

void save(const cpu::State& s, FpsimdState& to) {
    to.v = s.v;
    to.fpcr = s.fpcr;
    to.fpsr = s.fpsr;
}

void restore(const FpsimdState& from, cpu::State& s) {
    s.v = from.v;
    s.fpcr = from.fpcr;
    s.fpsr = from.fpsr;
}

// The broken handlers the step matrix must catch (FpTrapFault).
void inject_fault(KvmVcpu& v, FpTrapFault f) {
    switch (f) {
    case FpTrapFault::None: break;
    case FpTrapFault::SkipInstruction: v.pc() += 4; break;
    case FpTrapFault::ClearSS: v.pstate().ss = false; break;
    }
}

}  // namespace

FpsimdState host_fpsimd_pattern() {
    constexpr uint64_t kHost = 0x686F7374ull << 32;  // "host"
    FpsimdState h;
    for (unsigned n = 0; n < h.v.size(); ++n) h.v[n] = cpu::VReg::from_u64(kHost | n, kHost | n);
    h.fpcr = arch::fpcr::kDN | arch::fpcr::kFZ;
    h.fpsr = arch::fpsr::kIOC;
    return h;
}

GuestFpsimdRef guest_fpsimd(KvmVcpu& v) {
    if (v.fpsimd.owner == FpOwner::Guest) {
        cpu::State& s = v.cpu().state();
        return {s.v, s.fpcr, s.fpsr};
    }
    FpsimdState& g = v.fpsimd.guest;
    return {g.v, g.fpcr, g.fpsr};
}

void kvm_reset_fpsimd(KvmVcpu& v) {
    v.fpsimd.guest = FpsimdState{};
    v.fpsimd.owner = FpOwner::Host;
    restore(v.fpsimd.host, v.cpu().state());
    v.cpu().state().el2.cptr |= cpu::cptr::kTFP;
}

// The previous run() ended with kvm_arch_vcpu_put_fp: the host owns the
// registers already.
void kvm_arch_vcpu_load_fp(KvmVcpu& v) { v.cpu().state().el2.cptr |= cpu::cptr::kTFP; }

bool kvm_hyp_handle_fpsimd(KvmVcpu& v) {
    VcpuFpsimd& f = v.fpsimd;
    if (f.owner == FpOwner::Guest) return false;
    cpu::State& s = v.cpu().state();
    save(s, f.host);
    restore(f.guest, s);
    f.owner = FpOwner::Guest;
    s.el2.cptr &= ~cpu::cptr::kTFP;
    inject_fault(v, v.kvm().fp_trap_fault);
    return true;
}

void kvm_arch_vcpu_put_fp(KvmVcpu& v) {
    VcpuFpsimd& f = v.fpsimd;
    cpu::State& s = v.cpu().state();
    if (f.owner == FpOwner::Guest) {
        save(s, f.guest);
        restore(f.host, s);
        f.owner = FpOwner::Host;
    }
    s.el2.cptr |= cpu::cptr::kTFP;
}

}  // namespace hyp
