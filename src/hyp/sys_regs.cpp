// The hypervisor's system register table (see sys_regs.h). Register facts:
// ARM ARM DDI 0487 K.a, D24; KVM's behaviour: arch/arm64/kvm/sys_regs.c.
#include "hyp/sys_regs.h"

#include <algorithm>
#include <mutex>
#include <set>

#include <fmt/format.h>

#include "cpu/sysregs.h"
#include "cpu/timer.h"

namespace hyp {

namespace {

using arch::SysRegId;
using S = SysRegStorage;

// MDSCR_EL1 bits the OS Lock silences (D24.3.x MDSCR_EL1).
constexpr uint64_t kMdscrSS = 1ull << 0;
constexpr uint64_t kMdscrKDE = 1ull << 13;
constexpr uint64_t kMdscrMDE = 1ull << 15;
// SCTLR_EL1.{M, C}: vcpu_has_cache_enabled.
constexpr uint64_t kSctlrMC = (1ull << 0) | (1ull << 2);
// ID_AA64PFR0_EL1.GIC, bits [27:24].
constexpr uint64_t kPfr0Gic = 0xFull << 24;

const cpu::SysRegDesc& cpu_desc(SysRegId id) { return *cpu::find_sysreg(id); }

// ---- Values kept by the CPU ---------------------------------------------------

uint64_t cpu_read(KvmVcpu& v, const SysRegDesc& r) { return cpu_desc(r.id).read(v.cpu()); }

Result<void> cpu_write(KvmVcpu& v, const SysRegDesc& r, uint64_t value) {
    cpu_desc(r.id).write(v.cpu(), value);
    v.cpu().invalidate_all_code();  // the translation regime may have changed
    return {};
}

bool vcpu_has_cache_enabled(KvmVcpu& v) {
    return (v.cpu().state().el1.sctlr & kSctlrMC) == kSctlrMC;
}

// kvm_toggle_cache: once the guest runs with MMU and caches on, stop
// trapping the VM registers (until a set/way operation, below). Caches are
// not modelled, so nothing needs cleaning.
void toggle_cache(KvmVcpu& v) {
    if (vcpu_has_cache_enabled(v)) v.cpu().state().el2.hcr &= ~cpu::hcr::kTVM;
}

// HCR_EL2.TVM/TRVM traps of SCTLR, TTBRn, TCR, ESR, FAR, AFSRn, MAIR, AMAIR,
// CONTEXTIDR (access_vm_reg): the CPU's own accessors apply the masks.
bool access_vm_reg(KvmVcpu& v, SysRegParams& p, const SysRegDesc& r) {
    if (!p.is_write) {
        p.regval = cpu_read(v, r);
        return true;
    }
    cpu_desc(r.id).write(v.cpu(), p.regval);
    if (r.id == arch::sysreg::SCTLR_EL1) toggle_cache(v);
    return true;
}

// HCR_EL2.TACR: ACTLR_EL1 reads its value, writes are ignored (access_actlr).
bool access_actlr(KvmVcpu& v, SysRegParams& p, const SysRegDesc& r) {
    if (!p.is_write) p.regval = cpu_read(v, r);
    return true;
}

// DC ISW/CSW/CISW under HCR_EL2.TSW (access_dcsw, kvm_set_way_flush): the
// first set/way operation would flush the VM's memory and traps the VM
// registers again, so the hypervisor sees the guest turn its caches off and
// on. Caches are not modelled, so the flush is empty.
bool access_dcsw(KvmVcpu& v, SysRegParams& p, const SysRegDesc&) {
    if (!p.is_write) return false;
    v.cpu().state().el2.hcr |= cpu::hcr::kTVM;
    return true;
}

// ---- Identification (HCR_EL2.TID3) ---------------------------------------

// What the guest may see of this PE's features (read_sanitised_id_reg):
// the GICv3 system register interface only with an in-kernel irqchip.
uint64_t sanitised_id(KvmVcpu& v, SysRegId id) {
    const cpu::SysRegDesc* d = cpu::find_sysreg(id);
    uint64_t val = d ? d->read(v.cpu()) : 0;
    if (id == arch::sysreg::ID_AA64PFR0_EL1 && !v.kvm().irqchip()) val &= ~kPfr0Gic;
    return val;
}

uint64_t get_id_reg(KvmVcpu& v, const SysRegDesc& r) { return sanitised_id(v, r.id); }

// Userspace may write back the value it read, nothing else (KVM before
// writable ID registers).
Result<void> set_id_reg(KvmVcpu& v, const SysRegDesc& r, uint64_t value) {
    const uint64_t cur = sanitised_id(v, r.id);
    if (value != cur)
        return Error{fmt::format("vcpu {}: {} is read-only: value {:#x} differs from {:#x}", v.id(),
                                 r.name, value, cur)};
    return {};
}

bool access_id_reg(KvmVcpu& v, SysRegParams& p, const SysRegDesc& r) {
    if (p.is_write) return false;
    p.regval = sanitised_id(v, r.id);
    return true;
}

// MPIDR_EL1 is VMPIDR_EL2 (KVM lets userspace choose it).
uint64_t get_mpidr(KvmVcpu& v, const SysRegDesc&) { return v.cpu().state().el2.vmpidr | 1ull << 31; }
Result<void> set_mpidr(KvmVcpu& v, const SysRegDesc&, uint64_t value) {
    v.cpu().state().el2.vmpidr = value | 1ull << 31;
    return {};
}

// ---- Debug (MDCR_EL2.TDA, TDOSA, TDRA) ---------------------------------------

using DebugBank = std::array<uint64_t, 16> GuestDebugRegs::*;
using CpuBank = std::array<uint64_t, 16> cpu::El1Regs::*;

template <DebugBank B>
uint64_t get_dbg(KvmVcpu& v, const SysRegDesc& r) { return (v.guest_debug_regs.*B)[r.val]; }

// The guest's value, masked as the CPU's register masks it when the CPU
// holds it; the debugger's values stay in the CPU untouched.
template <DebugBank B, CpuBank C>
Result<void> set_dbg(KvmVcpu& v, const SysRegDesc& r, uint64_t value) {
    if (v.guest_debug.control & kvm::guestdbg::kEnable) {
        (v.guest_debug_regs.*B)[r.val] = value;
        v.debug_state.bkpts_loaded = false;
        return {};
    }
    cpu_desc(r.id).write(v.cpu(), value);
    (v.guest_debug_regs.*B)[r.val] = (v.cpu().state().el1.*C)[r.val];
    return {};
}

template <DebugBank B>
void reset_dbg(KvmVcpu& v, const SysRegDesc& r) { (v.guest_debug_regs.*B)[r.val] = 0; }

template <DebugBank B, CpuBank C>
bool access_dbg(KvmVcpu& v, SysRegParams& p, const SysRegDesc& r) {
    if (p.is_write) return set_dbg<B, C>(v, r, p.regval).ok();
    p.regval = get_dbg<B>(v, r);
    return true;
}

uint64_t get_mdscr(KvmVcpu& v, const SysRegDesc&) { return v.guest_debug_regs.mdscr; }
// The CPU's accessor masks the value; load_guest_debug_regs then decides
// what the CPU holds.
Result<void> set_mdscr(KvmVcpu& v, const SysRegDesc& r, uint64_t value) {
    uint64_t& hw = v.cpu().state().el1.mdscr;
    const uint64_t held = hw;
    cpu_desc(r.id).write(v.cpu(), value);
    v.guest_debug_regs.mdscr = hw;
    hw = held;
    load_guest_debug_regs(v);
    return {};
}
void reset_mdscr(KvmVcpu& v, const SysRegDesc& r) { v.guest_debug_regs.mdscr = r.val; }
bool access_mdscr(KvmVcpu& v, SysRegParams& p, const SysRegDesc& r) {
    if (p.is_write) return set_mdscr(v, r, p.regval).ok();
    p.regval = v.guest_debug_regs.mdscr;
    return true;
}

// OSLAR_EL1 writes the guest's OS Lock (bit 0), OSLSR_EL1 reads it back with
// OSLM = 0b10 (D24.3.x OSLSR_EL1), as KVM emulates the OS Lock.
constexpr uint64_t kOslsrOslm = 0x8, kOslsrOslk = 0x2;
bool access_oslar(KvmVcpu& v, SysRegParams& p, const SysRegDesc&) {
    if (!p.is_write) return false;
    v.guest_debug_regs.oslk = p.regval & 1;
    load_guest_debug_regs(v);
    return true;
}
uint64_t get_oslsr(KvmVcpu& v, const SysRegDesc&) {
    return kOslsrOslm | (v.guest_debug_regs.oslk ? kOslsrOslk : 0);
}
// set_oslsr_el1: only OSLK may change.
Result<void> set_oslsr(KvmVcpu& v, const SysRegDesc&, uint64_t value) {
    if ((value & ~kOslsrOslk) != kOslsrOslm)
        return Error{fmt::format("vcpu {}: OSLSR_EL1 value {:#x} changes bits other than OSLK",
                                 v.id(), value)};
    v.guest_debug_regs.oslk = value & kOslsrOslk;
    load_guest_debug_regs(v);
    return {};
}
void reset_oslsr(KvmVcpu& v, const SysRegDesc&) { v.guest_debug_regs.oslk = true; }
bool access_oslsr(KvmVcpu& v, SysRegParams& p, const SysRegDesc& r) {
    if (p.is_write) return false;
    p.regval = get_oslsr(v, r);
    return true;
}

// Read-as-zero, writes ignored (trap_raz_wi): MDCCINT_EL1, OSDLR_EL1
// (no FEAT_DoubleLock).
bool raz_wi(KvmVcpu&, SysRegParams& p, const SysRegDesc&) {
    if (!p.is_write) p.regval = 0;
    return true;
}
// Read-as-zero, writes UNDEFINED: MDRAR_EL1 (no debug ROM).
bool raz_ro(KvmVcpu&, SysRegParams& p, const SysRegDesc&) {
    if (p.is_write) return false;
    p.regval = 0;
    return true;
}

// ---- GICv3 SGI generation ------------------------------------------------

// ICC_SGI1R_EL1 generates group 1 SGIs; ICC_ASGI1R_EL1 and ICC_SGI0R_EL1
// group 0 ones for a guest in Non-secure state (access_gic_sgi). Without an
// in-kernel irqchip the registers do not exist.
bool access_gic_sgi(KvmVcpu& v, SysRegParams& p, const SysRegDesc& r) {
    IrqChip* chip = v.kvm().irqchip();
    if (!p.is_write || !chip) return false;
    chip->dispatch_sgi(v, p.regval, r.id.op2() == 5);
    return true;
}

// ---- The timer through one_reg (KVM_REG_ARM_TIMER_*) ------------------------

// KVM_REG_ARM_TIMER_CVAL and _CNT carry each other's encodings (CNTVCT_EL0's
// and CNTV_CVAL_EL0's), a swap the UAPI keeps for compatibility: the id of
// CNTVCT_EL0 reads and writes CNTV_CVAL_EL0, and the other way round.
uint64_t get_timer_cval(KvmVcpu& v, const SysRegDesc&) {
    return v.cpu().state().timer[size_t(cpu::Timer::Virtual)].cval;
}
Result<void> set_timer_cval(KvmVcpu& v, const SysRegDesc&, uint64_t value) {
    v.cpu().state().timer[size_t(cpu::Timer::Virtual)].cval = value;
    return {};
}
uint64_t get_timer_cnt(KvmVcpu& v, const SysRegDesc&) { return cpu::virtual_count(v.cpu()); }
// Writing the virtual count moves CNTVOFF_EL2 (as KVM does): the VM's clock
// itself never jumps for userspace.
Result<void> set_timer_cnt(KvmVcpu& v, const SysRegDesc&, uint64_t value) {
    v.cpu().state().el2.cntvoff = cpu::physical_count(v.cpu()) - value;
    return {};
}
uint64_t get_ptimer_cnt(KvmVcpu& v, const SysRegDesc&) { return cpu::physical_count(v.cpu()); }
Result<void> set_ptimer_cnt(KvmVcpu& v, const SysRegDesc&, uint64_t value) {
    if (value == cpu::physical_count(v.cpu())) return {};
    return Error{fmt::format("vcpu {}: the physical count is the VM's clock ({:#x}); "
                             "{:#x} cannot be written",
                             v.id(), cpu::physical_count(v.cpu()), value)};
}

// ---- Table builders ----------------------------------------------------------

constexpr SysRegDesc vm_reg(std::string_view n, SysRegId id) {
    return {n, id, access_vm_reg, S::Cpu, cpu_read, cpu_write, nullptr};
}
constexpr SysRegDesc cpu_reg(std::string_view n, SysRegId id) {
    return {n, id, nullptr, S::Cpu, cpu_read, cpu_write, nullptr};
}
constexpr SysRegDesc id_reg(std::string_view n, SysRegId id) {
    return {n, id, access_id_reg, S::None, get_id_reg, set_id_reg, nullptr};
}
constexpr SysRegDesc op(std::string_view n, SysRegId id, SysRegAccess a) {
    return {n, id, a, S::None, nullptr, nullptr, nullptr};
}
using G = GuestDebugRegs;
using C = cpu::El1Regs;
template <DebugBank B, CpuBank Cb>
constexpr SysRegDesc dbg(std::string_view n, SysRegId id, uint64_t index) {
    return {n, id, access_dbg<B, Cb>, S::Shadow, get_dbg<B>, set_dbg<B, Cb>, reset_dbg<B>, index};
}
constexpr auto bvr = dbg<&G::dbgbvr, &C::dbgbvr>;
constexpr auto bcr = dbg<&G::dbgbcr, &C::dbgbcr>;
constexpr auto wvr = dbg<&G::dbgwvr, &C::dbgwvr>;
constexpr auto wcr = dbg<&G::dbgwcr, &C::dbgwcr>;

constexpr SysRegDesc kTable[] = {
    // ---- Set/way cache maintenance (HCR_EL2.TSW) ----
    op("DC ISW", {1, 0, 7, 6, 2}, access_dcsw),
    op("DC CSW", {1, 0, 7, 10, 2}, access_dcsw),
    op("DC CISW", {1, 0, 7, 14, 2}, access_dcsw),

    // ---- Debug: 6 breakpoints, 4 watchpoints (ID_AA64DFR0_EL1) ----
    bvr("DBGBVR0_EL1", {2, 0, 0, 0, 4}, 0), bcr("DBGBCR0_EL1", {2, 0, 0, 0, 5}, 0),
    wvr("DBGWVR0_EL1", {2, 0, 0, 0, 6}, 0), wcr("DBGWCR0_EL1", {2, 0, 0, 0, 7}, 0),
    bvr("DBGBVR1_EL1", {2, 0, 0, 1, 4}, 1), bcr("DBGBCR1_EL1", {2, 0, 0, 1, 5}, 1),
    wvr("DBGWVR1_EL1", {2, 0, 0, 1, 6}, 1), wcr("DBGWCR1_EL1", {2, 0, 0, 1, 7}, 1),
    op("MDCCINT_EL1", {2, 0, 0, 2, 0}, raz_wi),
    {"MDSCR_EL1", {2, 0, 0, 2, 2}, access_mdscr, S::Shadow, get_mdscr, set_mdscr, reset_mdscr, 0},
    bvr("DBGBVR2_EL1", {2, 0, 0, 2, 4}, 2), bcr("DBGBCR2_EL1", {2, 0, 0, 2, 5}, 2),
    wvr("DBGWVR2_EL1", {2, 0, 0, 2, 6}, 2), wcr("DBGWCR2_EL1", {2, 0, 0, 2, 7}, 2),
    bvr("DBGBVR3_EL1", {2, 0, 0, 3, 4}, 3), bcr("DBGBCR3_EL1", {2, 0, 0, 3, 5}, 3),
    wvr("DBGWVR3_EL1", {2, 0, 0, 3, 6}, 3), wcr("DBGWCR3_EL1", {2, 0, 0, 3, 7}, 3),
    bvr("DBGBVR4_EL1", {2, 0, 0, 4, 4}, 4), bcr("DBGBCR4_EL1", {2, 0, 0, 4, 5}, 4),
    bvr("DBGBVR5_EL1", {2, 0, 0, 5, 4}, 5), bcr("DBGBCR5_EL1", {2, 0, 0, 5, 5}, 5),
    op("MDRAR_EL1", {2, 0, 1, 0, 0}, raz_ro),
    op("OSLAR_EL1", {2, 0, 1, 0, 4}, access_oslar),
    {"OSLSR_EL1", {2, 0, 1, 1, 4}, access_oslsr, S::Shadow, get_oslsr, set_oslsr, reset_oslsr, 0},
    op("OSDLR_EL1", {2, 0, 1, 3, 4}, raz_wi),

    // ---- Identification ----
    {"MPIDR_EL1", {3, 0, 0, 0, 5}, nullptr, S::Cpu, get_mpidr, set_mpidr, nullptr},
    id_reg("ID_PFR0_EL1", {3, 0, 0, 1, 0}), id_reg("ID_PFR1_EL1", {3, 0, 0, 1, 1}),
    id_reg("ID_DFR0_EL1", {3, 0, 0, 1, 2}), id_reg("ID_AFR0_EL1", {3, 0, 0, 1, 3}),
    id_reg("ID_MMFR0_EL1", {3, 0, 0, 1, 4}), id_reg("ID_MMFR1_EL1", {3, 0, 0, 1, 5}),
    id_reg("ID_MMFR2_EL1", {3, 0, 0, 1, 6}), id_reg("ID_MMFR3_EL1", {3, 0, 0, 1, 7}),
    id_reg("ID_ISAR0_EL1", {3, 0, 0, 2, 0}), id_reg("ID_ISAR1_EL1", {3, 0, 0, 2, 1}),
    id_reg("ID_ISAR2_EL1", {3, 0, 0, 2, 2}), id_reg("ID_ISAR3_EL1", {3, 0, 0, 2, 3}),
    id_reg("ID_ISAR4_EL1", {3, 0, 0, 2, 4}), id_reg("ID_ISAR5_EL1", {3, 0, 0, 2, 5}),
    id_reg("ID_MMFR4_EL1", {3, 0, 0, 2, 6}), id_reg("ID_ISAR6_EL1", {3, 0, 0, 2, 7}),
    id_reg("MVFR0_EL1", {3, 0, 0, 3, 0}), id_reg("MVFR1_EL1", {3, 0, 0, 3, 1}),
    id_reg("MVFR2_EL1", {3, 0, 0, 3, 2}), id_reg("ID_PFR2_EL1", {3, 0, 0, 3, 4}),
    id_reg("ID_DFR1_EL1", {3, 0, 0, 3, 5}), id_reg("ID_MMFR5_EL1", {3, 0, 0, 3, 6}),
    id_reg("ID_AA64PFR0_EL1", {3, 0, 0, 4, 0}), id_reg("ID_AA64PFR1_EL1", {3, 0, 0, 4, 1}),
    id_reg("ID_AA64PFR2_EL1", {3, 0, 0, 4, 2}), id_reg("ID_AA64ZFR0_EL1", {3, 0, 0, 4, 4}),
    id_reg("ID_AA64SMFR0_EL1", {3, 0, 0, 4, 5}), id_reg("ID_AA64FPFR0_EL1", {3, 0, 0, 4, 7}),
    id_reg("ID_AA64DFR0_EL1", {3, 0, 0, 5, 0}), id_reg("ID_AA64DFR1_EL1", {3, 0, 0, 5, 1}),
    id_reg("ID_AA64DFR2_EL1", {3, 0, 0, 5, 2}), id_reg("ID_AA64AFR0_EL1", {3, 0, 0, 5, 4}),
    id_reg("ID_AA64AFR1_EL1", {3, 0, 0, 5, 5}), id_reg("ID_AA64ISAR0_EL1", {3, 0, 0, 6, 0}),
    id_reg("ID_AA64ISAR1_EL1", {3, 0, 0, 6, 1}), id_reg("ID_AA64ISAR2_EL1", {3, 0, 0, 6, 2}),
    id_reg("ID_AA64ISAR3_EL1", {3, 0, 0, 6, 3}), id_reg("ID_AA64MMFR0_EL1", {3, 0, 0, 7, 0}),
    id_reg("ID_AA64MMFR1_EL1", {3, 0, 0, 7, 1}), id_reg("ID_AA64MMFR2_EL1", {3, 0, 0, 7, 2}),
    id_reg("ID_AA64MMFR3_EL1", {3, 0, 0, 7, 3}), id_reg("ID_AA64MMFR4_EL1", {3, 0, 0, 7, 4}),

    // ---- EL1 system control: the VM registers trap under TVM/TRVM ----
    vm_reg("SCTLR_EL1", {3, 0, 1, 0, 0}),
    {"ACTLR_EL1", {3, 0, 1, 0, 1}, access_actlr, S::Cpu, cpu_read, cpu_write, nullptr},
    cpu_reg("CPACR_EL1", {3, 0, 1, 0, 2}),
    vm_reg("TTBR0_EL1", {3, 0, 2, 0, 0}),
    vm_reg("TTBR1_EL1", {3, 0, 2, 0, 1}),
    vm_reg("TCR_EL1", {3, 0, 2, 0, 2}),
    vm_reg("AFSR0_EL1", {3, 0, 5, 1, 0}),
    vm_reg("AFSR1_EL1", {3, 0, 5, 1, 1}),
    vm_reg("ESR_EL1", {3, 0, 5, 2, 0}),
    vm_reg("FAR_EL1", {3, 0, 6, 0, 0}),
    cpu_reg("PAR_EL1", {3, 0, 7, 4, 0}),
    vm_reg("MAIR_EL1", {3, 0, 10, 2, 0}),
    vm_reg("AMAIR_EL1", {3, 0, 10, 3, 0}),
    cpu_reg("VBAR_EL1", {3, 0, 12, 0, 0}),
    op("ICC_SGI1R_EL1", {3, 0, 12, 11, 5}, access_gic_sgi),
    op("ICC_ASGI1R_EL1", {3, 0, 12, 11, 6}, access_gic_sgi),
    op("ICC_SGI0R_EL1", {3, 0, 12, 11, 7}, access_gic_sgi),
    vm_reg("CONTEXTIDR_EL1", {3, 0, 13, 0, 1}),
    cpu_reg("TPIDR_EL1", {3, 0, 13, 0, 4}),
    cpu_reg("CNTKCTL_EL1", {3, 0, 14, 1, 0}),
    cpu_reg("CSSELR_EL1", {3, 2, 0, 0, 0}),
    cpu_reg("TPIDR_EL0", {3, 3, 13, 0, 2}),
    cpu_reg("TPIDRRO_EL0", {3, 3, 13, 0, 3}),
    {"KVM_REG_ARM_PTIMER_CNT", {3, 3, 14, 0, 1}, nullptr, S::None, get_ptimer_cnt, set_ptimer_cnt,
     nullptr},
    {"KVM_REG_ARM_TIMER_CVAL", {3, 3, 14, 0, 2}, nullptr, S::None, get_timer_cval, set_timer_cval,
     nullptr},
    cpu_reg("CNTP_CTL_EL0", {3, 3, 14, 2, 1}),
    cpu_reg("CNTP_CVAL_EL0", {3, 3, 14, 2, 2}),
    cpu_reg("CNTV_CTL_EL0", {3, 3, 14, 3, 1}),
    {"KVM_REG_ARM_TIMER_CNT", {3, 3, 14, 3, 2}, nullptr, S::None, get_timer_cnt, set_timer_cnt,
     nullptr},
};

// Checked when the hypervisor is built: strictly increasing encodings (so
// lookups can bisect and no encoding has two entries). That every register
// the vcpu holds has a reset is checked by check_sys_reg_table (a function
// pointer's nullness is not a constant expression under the sanitizers).
constexpr bool table_sorted() {
    for (size_t i = 1; i < std::size(kTable); ++i)
        if (!(kTable[i - 1].id < kTable[i].id)) return false;
    return true;
}
static_assert(table_sorted(), "sys_regs table: unsorted or duplicate encodings");

// The unallocated encodings of ID group 3 read as zero (D23.3.1).
constexpr SysRegDesc kIdSpaceRaz = id_reg("ID group 3 (reserved, RAZ)", {3, 0, 0, 1, 0});

bool in_id_space(SysRegId id) {
    return id.op0() == 3 && id.op1() == 0 && id.crn() == 0 && id.crm() >= 1 && id.crm() <= 7;
}

// An unknown trapped access: one line per encoding and direction, in table
// form ready to paste (print_sys_reg_msg), then UNDEFINED.
void log_unhandled_once(KvmVcpu& v, const arch::SysRegIss& s) {
    static std::mutex m;
    static std::set<std::pair<uint16_t, bool>> seen;
    const SysRegId id(s.op0, s.op1, s.crn, s.crm, s.op2);
    {
        std::lock_guard lock(m);
        if (!seen.insert({id.packed, s.is_read}).second) return;
    }
    fmt::print(stderr,
               "stepvisor: unhandled trapped {} {{\"S{}_{}_C{}_C{}_{}\", {{{}, {}, {}, {}, {}}}}}, "
               "ESR_EL2 {:#x}, PC {:#x}\n",
               s.is_read ? "read" : "write", s.op0, s.op1, s.crn, s.crm, s.op2, s.op0, s.op1,
               s.crn, s.crm, s.op2, vcpu_esr(v), v.pc());
}

}  // namespace

std::span<const SysRegDesc> sys_reg_table() { return kTable; }

const SysRegDesc* find_sys_reg(SysRegId id) {
    const auto* it = std::lower_bound(std::begin(kTable), std::end(kTable), id,
                                      [](const SysRegDesc& d, SysRegId k) { return d.id < k; });
    if (it != std::end(kTable) && it->id == id) return it;
    return in_id_space(id) ? &kIdSpaceRaz : nullptr;
}

std::string check_sys_reg_table() {
    std::string faults;
    for (size_t i = 0; i < std::size(kTable); ++i) {
        const SysRegDesc& r = kTable[i];
        if (i && !(kTable[i - 1].id < r.id))
            faults += fmt::format("{} is not after {}\n", r.name, kTable[i - 1].name);
        if (r.storage == S::Shadow && !r.reset) faults += fmt::format("{} has no reset\n", r.name);
        if (r.storage == S::Cpu && r.get_user == cpu_read && !cpu::find_sysreg(r.id))
            faults += fmt::format("{} is not a CPU register\n", r.name);
        if (!r.access && !r.get_user) faults += fmt::format("{} does nothing\n", r.name);
    }
    return faults;
}

void reset_sys_regs(KvmVcpu& v) {
    for (const SysRegDesc& r : kTable)
        if (r.reset) r.reset(v, r);
    load_guest_debug_regs(v);
}

void load_guest_debug_regs(KvmVcpu& v) {
    v.debug_state.bkpts_loaded = false;  // setup_debug reloads what the debugger left the guest
    if (v.guest_debug.control & kvm::guestdbg::kEnable) return;
    const GuestDebugRegs& g = v.guest_debug_regs;
    cpu::El1Regs& el1 = v.cpu().state().el1;
    el1.dbgbvr = g.dbgbvr;
    el1.dbgbcr = g.dbgbcr;
    el1.dbgwvr = g.dbgwvr;
    el1.dbgwcr = g.dbgwcr;
    el1.mdscr = g.oslk ? g.mdscr & ~(kMdscrMDE | kMdscrKDE | kMdscrSS) : g.mdscr;
    el1.oslk = false;
}

ExitAction kvm_handle_sys_reg(KvmVcpu& v) {
    const arch::SysRegIss s = arch::decode_sysreg_iss(arch::esr_iss(vcpu_esr(v)));
    SysRegParams p{SysRegId(s.op0, s.op1, s.crn, s.crm, s.op2), 0, !s.is_read};
    if (p.is_write) p.regval = v.get_reg(s.rt);
    const SysRegDesc* r = find_sys_reg(p.id);
    if (!r || !r->access) {
        log_unhandled_once(v, s);
        inject_undefined(v);
        return ExitAction::Resume;
    }
    if (!r->access(v, p, *r)) {
        inject_undefined(v);
        return ExitAction::Resume;
    }
    if (!p.is_write) v.set_reg(s.rt, p.regval);
    skip_instr(v);
    return ExitAction::Resume;
}

Result<uint64_t> get_sys_reg(KvmVcpu& v, SysRegId id) {
    const SysRegDesc* r = find_sys_reg(id);
    if (!r || !r->get_user)
        return Error{fmt::format("vcpu {}: unknown system register id {:#x}", v.id(), id.packed)};
    return r->get_user(v, *r);
}

Result<void> set_sys_reg(KvmVcpu& v, SysRegId id, uint64_t value) {
    const SysRegDesc* r = find_sys_reg(id);
    if (!r || !r->set_user)
        return Error{fmt::format("vcpu {}: unknown system register id {:#x}", v.id(), id.packed)};
    return r->set_user(v, *r, value);
}

}  // namespace hyp
