// The hypervisor's system register table (see sys_regs.h). Register facts:
// ARM ARM DDI 0487 K.a, D24; KVM's behaviour: arch/arm64/kvm/sys_regs.c.
#include "hyp/sys_regs.h"

#include <algorithm>
#include <mutex>
#include <set>

#include <fmt/format.h>

#include "cpu/sysregs.h"
#include "cpu/timer.h"
#include "hyp/id_regs.h"

namespace hyp {

namespace {

using arch::SysRegId;
namespace sr = arch::sysreg;
using S = SysRegStorage;

// MDSCR_EL1 bits the OS Lock silences (D24.3.x MDSCR_EL1).
constexpr uint64_t kMdscrSS = 1ull << 0;
constexpr uint64_t kMdscrKDE = 1ull << 13;
constexpr uint64_t kMdscrMDE = 1ull << 15;
// SCTLR_EL1.{M, C}: vcpu_has_cache_enabled.
constexpr uint64_t kSctlrMC = (1ull << 0) | (1ull << 2);

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
    if (r.id == sr::SCTLR_EL1) toggle_cache(v);
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

// The VM's values (id_regs.h): userspace writes them with KVM's rules, the
// guest reads them through TID1, TID2 and TID3 traps.
uint64_t get_id_reg(KvmVcpu& v, const SysRegDesc& r) { return read_id_reg(v, r.id); }
Result<void> set_id_reg(KvmVcpu& v, const SysRegDesc& r, uint64_t value) {
    return write_id_reg(v, r.id, value);
}

bool access_id_reg(KvmVcpu& v, SysRegParams& p, const SysRegDesc& r) {
    if (p.is_write) return false;
    p.regval = read_id_reg(v, r.id);
    return true;
}

// CCSIDR_EL1 for the guest's CSSELR_EL1 (access_ccsidr); CSSELR_EL1 itself
// traps with it under TID2 and lives in the CPU (access_csselr).
bool access_ccsidr(KvmVcpu& v, SysRegParams& p, const SysRegDesc&) {
    if (p.is_write) return false;
    p.regval = read_ccsidr(v, v.cpu().state().el1.csselr);
    return true;
}
bool access_csselr(KvmVcpu& v, SysRegParams& p, const SysRegDesc& r) {
    if (p.is_write) cpu_desc(r.id).write(v.cpu(), p.regval);
    else p.regval = cpu_read(v, r);
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

// Every entry takes its name and encoding from arch/sysreg.h.
using GetUser = uint64_t (*)(KvmVcpu&, const SysRegDesc&);
using SetUser = Result<void> (*)(KvmVcpu&, const SysRegDesc&, uint64_t);
using Reset = void (*)(KvmVcpu&, const SysRegDesc&);
constexpr SysRegDesc desc(arch::SysReg r, SysRegAccess a, S storage, GetUser get, SetUser set,
                          Reset reset, uint64_t val = 0) {
    return {r.name, r.id, a, storage, get, set, reset, val};
}
constexpr SysRegDesc vm_reg(arch::SysReg r) {
    return desc(r, access_vm_reg, S::Cpu, cpu_read, cpu_write, nullptr);
}
constexpr SysRegDesc cpu_reg(arch::SysReg r) {
    return desc(r, nullptr, S::Cpu, cpu_read, cpu_write, nullptr);
}
constexpr SysRegDesc id_reg(arch::SysReg r) {
    return desc(r, access_id_reg, S::None, get_id_reg, set_id_reg, nullptr);
}
constexpr SysRegDesc op(arch::SysReg r, SysRegAccess a) {
    return desc(r, a, S::None, nullptr, nullptr, nullptr);
}
using G = GuestDebugRegs;
using C = cpu::El1Regs;
template <DebugBank B, CpuBank Cb>
constexpr SysRegDesc dbg(arch::SysReg r, uint64_t index) {
    return desc(r, access_dbg<B, Cb>, S::Shadow, get_dbg<B>, set_dbg<B, Cb>, reset_dbg<B>, index);
}
constexpr auto bvr = dbg<&G::dbgbvr, &C::dbgbvr>;
constexpr auto bcr = dbg<&G::dbgbcr, &C::dbgbcr>;
constexpr auto wvr = dbg<&G::dbgwvr, &C::dbgwvr>;
constexpr auto wcr = dbg<&G::dbgwcr, &C::dbgwcr>;

constexpr SysRegDesc kTable[] = {
    // ---- Set/way cache maintenance (HCR_EL2.TSW) ----
    op(sr::DC_ISW, access_dcsw),
    op(sr::DC_CSW, access_dcsw),
    op(sr::DC_CISW, access_dcsw),

    // ---- Debug: 6 breakpoints, 4 watchpoints (ID_AA64DFR0_EL1) ----
    bvr(sr::DBGBVR0_EL1, 0), bcr(sr::DBGBCR0_EL1, 0),
    wvr(sr::DBGWVR0_EL1, 0), wcr(sr::DBGWCR0_EL1, 0),
    bvr(sr::DBGBVR1_EL1, 1), bcr(sr::DBGBCR1_EL1, 1),
    wvr(sr::DBGWVR1_EL1, 1), wcr(sr::DBGWCR1_EL1, 1),
    op(sr::MDCCINT_EL1, raz_wi),
    desc(sr::MDSCR_EL1, access_mdscr, S::Shadow, get_mdscr, set_mdscr, reset_mdscr, 0),
    bvr(sr::DBGBVR2_EL1, 2), bcr(sr::DBGBCR2_EL1, 2),
    wvr(sr::DBGWVR2_EL1, 2), wcr(sr::DBGWCR2_EL1, 2),
    bvr(sr::DBGBVR3_EL1, 3), bcr(sr::DBGBCR3_EL1, 3),
    wvr(sr::DBGWVR3_EL1, 3), wcr(sr::DBGWCR3_EL1, 3),
    bvr(sr::DBGBVR4_EL1, 4), bcr(sr::DBGBCR4_EL1, 4),
    bvr(sr::DBGBVR5_EL1, 5), bcr(sr::DBGBCR5_EL1, 5),
    op(sr::MDRAR_EL1, raz_ro),
    op(sr::OSLAR_EL1, access_oslar),
    desc(sr::OSLSR_EL1, access_oslsr, S::Shadow, get_oslsr, set_oslsr, reset_oslsr, 0),
    op(sr::OSDLR_EL1, raz_wi),

    // ---- Identification ----
    desc(sr::MIDR_EL1, nullptr, S::None, get_id_reg, set_id_reg, nullptr),
    desc(sr::MPIDR_EL1, nullptr, S::Cpu, get_mpidr, set_mpidr, nullptr),
    id_reg(sr::REVIDR_EL1),
    id_reg(sr::ID_PFR0_EL1), id_reg(sr::ID_PFR1_EL1),
    id_reg(sr::ID_DFR0_EL1), id_reg(sr::ID_AFR0_EL1),
    id_reg(sr::ID_MMFR0_EL1), id_reg(sr::ID_MMFR1_EL1),
    id_reg(sr::ID_MMFR2_EL1), id_reg(sr::ID_MMFR3_EL1),
    id_reg(sr::ID_ISAR0_EL1), id_reg(sr::ID_ISAR1_EL1),
    id_reg(sr::ID_ISAR2_EL1), id_reg(sr::ID_ISAR3_EL1),
    id_reg(sr::ID_ISAR4_EL1), id_reg(sr::ID_ISAR5_EL1),
    id_reg(sr::ID_MMFR4_EL1), id_reg(sr::ID_ISAR6_EL1),
    id_reg(sr::MVFR0_EL1), id_reg(sr::MVFR1_EL1),
    id_reg(sr::MVFR2_EL1), id_reg(sr::ID_PFR2_EL1),
    id_reg(sr::ID_DFR1_EL1), id_reg(sr::ID_MMFR5_EL1),
    id_reg(sr::ID_AA64PFR0_EL1), id_reg(sr::ID_AA64PFR1_EL1),
    id_reg(sr::ID_AA64PFR2_EL1), id_reg(sr::ID_AA64ZFR0_EL1),
    id_reg(sr::ID_AA64SMFR0_EL1), id_reg(sr::ID_AA64FPFR0_EL1),
    id_reg(sr::ID_AA64DFR0_EL1), id_reg(sr::ID_AA64DFR1_EL1),
    id_reg(sr::ID_AA64DFR2_EL1), id_reg(sr::ID_AA64AFR0_EL1),
    id_reg(sr::ID_AA64AFR1_EL1), id_reg(sr::ID_AA64ISAR0_EL1),
    id_reg(sr::ID_AA64ISAR1_EL1), id_reg(sr::ID_AA64ISAR2_EL1),
    id_reg(sr::ID_AA64ISAR3_EL1), id_reg(sr::ID_AA64MMFR0_EL1),
    id_reg(sr::ID_AA64MMFR1_EL1), id_reg(sr::ID_AA64MMFR2_EL1),
    id_reg(sr::ID_AA64MMFR3_EL1), id_reg(sr::ID_AA64MMFR4_EL1),

    // ---- EL1 system control: the VM registers trap under TVM/TRVM ----
    vm_reg(sr::SCTLR_EL1),
    desc(sr::ACTLR_EL1, access_actlr, S::Cpu, cpu_read, cpu_write, nullptr),
    cpu_reg(sr::CPACR_EL1),
    vm_reg(sr::TTBR0_EL1),
    vm_reg(sr::TTBR1_EL1),
    vm_reg(sr::TCR_EL1),
    vm_reg(sr::AFSR0_EL1),
    vm_reg(sr::AFSR1_EL1),
    vm_reg(sr::ESR_EL1),
    vm_reg(sr::FAR_EL1),
    cpu_reg(sr::PAR_EL1),
    vm_reg(sr::MAIR_EL1),
    vm_reg(sr::AMAIR_EL1),
    cpu_reg(sr::VBAR_EL1),
    op(sr::ICC_SGI1R_EL1, access_gic_sgi),
    op(sr::ICC_ASGI1R_EL1, access_gic_sgi),
    op(sr::ICC_SGI0R_EL1, access_gic_sgi),
    vm_reg(sr::CONTEXTIDR_EL1),
    cpu_reg(sr::TPIDR_EL1),
    cpu_reg(sr::CNTKCTL_EL1),
    op(sr::CCSIDR_EL1, access_ccsidr),
    id_reg(sr::CLIDR_EL1),
    id_reg(sr::AIDR_EL1),
    desc(sr::CSSELR_EL1, access_csselr, S::Cpu, cpu_read, cpu_write, nullptr),
    id_reg(sr::CTR_EL0),
    cpu_reg(sr::TPIDR_EL0),
    cpu_reg(sr::TPIDRRO_EL0),
    desc({"KVM_REG_ARM_PTIMER_CNT", sr::CNTPCT_EL0}, nullptr, S::None, get_ptimer_cnt,
         set_ptimer_cnt, nullptr),
    desc({"KVM_REG_ARM_TIMER_CVAL", sr::CNTVCT_EL0}, nullptr, S::None, get_timer_cval,
         set_timer_cval, nullptr),
    cpu_reg(sr::CNTP_CTL_EL0),
    cpu_reg(sr::CNTP_CVAL_EL0),
    cpu_reg(sr::CNTV_CTL_EL0),
    desc({"KVM_REG_ARM_TIMER_CNT", sr::CNTV_CVAL_EL0}, nullptr, S::None, get_timer_cnt,
         set_timer_cnt, nullptr),
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
constexpr SysRegDesc kIdSpaceRaz = id_reg({"ID group 3 (reserved, RAZ)", {3, 0, 0, 1, 0}});

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
