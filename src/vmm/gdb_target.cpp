// GdbTarget: registers, memory and breakpoints (running: gdb_target_run.cpp,
// monitor commands: gdb_target_monitor.cpp).
#include "vmm/gdb_target.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#include "arch/pstate.h"
#include "arch/sysreg.h"

namespace vmm {

namespace {

using gdb::BreakpointType;
using gdb::TargetError;
namespace reg = kvm::reg;

// The registers of the org.stepvisor.aarch64.sysregs feature, from gdb
// regnum 68 up (after org.gnu.gdb.aarch64.fpu), as one_reg ids: the guest's own values (MDSCR_EL1 is the
// guest's shadow, never the debugger's). CurrentEL has no one_reg id: it
// is PSTATE.EL, read-only.
struct SysReg {
    std::string_view name;
    uint64_t id;  // 0: CurrentEL
};
namespace sr = arch::sysreg;
// Under its ARM64_SYS_REG id, or under the id KVM gives it instead (a core
// register's; KVM_REG_ARM_TIMER_CVAL, which carries CNTVCT_EL0's encoding).
constexpr SysReg sys(arch::SysReg r) { return {r.name, reg::sysreg(r.id.packed)}; }
constexpr SysReg as(arch::SysReg r, uint64_t id) { return {r.name, id}; }
constexpr SysReg kSysRegs[] = {
    sys(sr::ESR_EL1),
    sys(sr::FAR_EL1),
    sys(sr::VBAR_EL1),
    sys(sr::SCTLR_EL1),
    sys(sr::TTBR0_EL1),
    sys(sr::TTBR1_EL1),
    sys(sr::TCR_EL1),
    sys(sr::MAIR_EL1),
    sys(sr::MDSCR_EL1),
    as(sr::ELR_EL1, reg::kElrEl1),
    as(sr::SPSR_EL1, reg::kSpsrEl1),
    as(sr::SP_EL0, reg::kSp),
    as(sr::SP_EL1, reg::kSpEl1),
    sys(sr::CONTEXTIDR_EL1),
    sys(sr::TPIDR_EL1),
    sys(sr::CNTV_CTL_EL0),
    as(sr::CNTV_CVAL_EL0, reg::kTimerCval),
    sys(sr::PAR_EL1),
    as(sr::CurrentEL, 0),
};
constexpr size_t kSysRegCount = sizeof kSysRegs / sizeof kSysRegs[0];

// gdb's sp is the SP in use: SP_EL1 in EL1h, SP_EL0 in EL1t and EL0t.
uint64_t sp_id(uint64_t pstate) {
    return (pstate & arch::spsr::kM) == arch::spsr::kEL1h ? reg::kSpEl1 : reg::kSp;
}

// The one_reg id of a core gdb register, or nullopt.
std::optional<uint64_t> core_id(kvm::Vcpu& v, unsigned regnum) {
    if (regnum <= gdb::regnum::kLr) return reg::x(regnum);
    if (regnum == gdb::regnum::kPc) return reg::kPc;
    if (regnum == gdb::regnum::kSp) {
        auto ps = v.get_one_reg(reg::kPstate);
        return ps ? std::optional(sp_id(ps.value())) : std::nullopt;
    }
    if (regnum == gdb::regnum::kCpsr) return reg::kPstate;
    return std::nullopt;
}

// The one_reg id behind any gdb register: core, fpu (the same ids as
// KVM's fp_regs) or sysregs feature (0: CurrentEL), or nullopt.
std::optional<uint64_t> one_reg_id(kvm::Vcpu& v, unsigned regnum) {
    if (regnum < gdb::regnum::kCoreCount) return core_id(v, regnum);
    if (regnum < gdb::regnum::kFpsr) return reg::v(regnum - gdb::regnum::kV0);
    if (regnum == gdb::regnum::kFpsr) return reg::kFpsr;
    if (regnum == gdb::regnum::kFpcr) return reg::kFpcr;
    if (regnum - gdb::regnum::kFpuEnd < kSysRegCount) return kSysRegs[regnum - gdb::regnum::kFpuEnd].id;
    return std::nullopt;
}

}  // namespace

GdbTarget::GdbTarget(Machine& machine, GdbOptions opts)
    : machine_(machine),
      opts_(opts),
      applied_(machine.vcpu_count()),
      after_catch_(machine.vcpu_count()) {
    const auto& vm = machine_.vm();
    hw_bps_.resize(size_t(vm.check_extension(kvm::Cap::GuestDebugHwBps)));
    watches_.resize(size_t(vm.check_extension(kvm::Cap::GuestDebugHwWps)));
    kvm::EnableCap cap;
    cap.cap = kvm::Cap::StepStrategy;
    cap.args[0] = uint64_t(opts_.step_strategy);
    (void)machine_.vm().enable_cap(cap);  // every StepStrategy value is accepted
}

std::vector<gdb::ExtraRegister> GdbTarget::extra_registers() const {
    std::vector<gdb::ExtraRegister> out;
    for (size_t i = 0; i < kSysRegCount; ++i)
        out.push_back({std::string(kSysRegs[i].name), unsigned(gdb::regnum::kFpuEnd + i)});
    return out;
}

std::vector<uint32_t> GdbTarget::threads() const {
    std::vector<uint32_t> out;
    for (size_t i = 0; i < machine_.vcpu_count(); ++i) out.push_back(uint32_t(i + 1));
    return out;
}

kvm::Vcpu* GdbTarget::vcpu(uint32_t thread) {
    if (thread == 0 || thread > machine_.vcpu_count()) return nullptr;
    return &machine_.vcpu(thread - 1);
}

gdb::Result<gdb::RegisterValue, TargetError> GdbTarget::read_register(uint32_t thread,
                                                                       unsigned regnum) {
    kvm::Vcpu* v = vcpu(thread);
    if (!v) return TargetError::BadThread;
    const std::optional<uint64_t> id = one_reg_id(*v, regnum);
    if (!id) return TargetError::BadRegister;
    if (*id == 0) {  // CurrentEL: EL in bits [3:2]
        auto ps = v->get_one_reg(reg::kPstate);
        if (!ps) return TargetError::Unavailable;
        return gdb::RegisterValue::of(ps.value() & 0xC, 8);
    }
    std::array<uint8_t, 16> buf{};
    const auto bytes = std::span(buf).first(reg::size_of(*id));
    if (!v->get_one_reg(*id, bytes)) return TargetError::Unavailable;
    // gdb's cpsr is the low 32 bits of PSTATE as SPSR_ELx packs it.
    return gdb::RegisterValue(regnum == gdb::regnum::kCpsr ? bytes.first(4) : bytes);
}

gdb::Status GdbTarget::write_register(uint32_t thread, unsigned regnum,
                                      std::span<const uint8_t> value) {
    kvm::Vcpu* v = vcpu(thread);
    if (!v) return TargetError::BadThread;
    const std::optional<uint64_t> id = one_reg_id(*v, regnum);
    if (!id) return TargetError::BadRegister;
    if (*id == 0) return TargetError::Failed;  // CurrentEL is read-only
    std::array<uint8_t, 16> buf{};
    const auto bytes = std::span(buf).first(reg::size_of(*id));
    if (value.size() > bytes.size()) return TargetError::Failed;
    std::copy(value.begin(), value.end(), bytes.begin());  // cpsr: PSTATE's low 32 bits
    if (!v->set_one_reg(*id, std::span<const uint8_t>(bytes))) return TargetError::Failed;
    machine_.debugger_wrote();
    return gdb::ok();
}

uint8_t* GdbTarget::host(uint64_t ipa) const {
    const GuestRam& ram = machine_.ram();
    return ram.host() + (ipa - ram.range().base);
}

// Pages translate separately; a piece never crosses a 4 KiB boundary, so
// one translation covers it (no granule is smaller).
std::optional<uint64_t> GdbTarget::ram_ipa(kvm::Vcpu& v, uint64_t addr, uint64_t len) {
    uint64_t ipa = addr;
    if (!physical_) {
        auto t = v.translate(addr);
        if (!t) return std::nullopt;
        ipa = t.value();
    }
    if (!machine_.ram().range().contains({ipa, len})) return std::nullopt;
    return ipa;
}

namespace {
uint64_t piece_len(uint64_t addr, uint64_t left) {
    return std::min<uint64_t>(left, 0x1000 - (addr & 0xFFF));
}
}  // namespace

gdb::Result<size_t, TargetError> GdbTarget::read_memory(uint32_t thread, uint64_t addr,
                                                        std::span<uint8_t> out) {
    kvm::Vcpu* v = vcpu(thread);
    if (!v) return TargetError::BadThread;
    size_t done = 0;
    while (done < out.size()) {
        const uint64_t a = addr + done, n = piece_len(a, out.size() - done);
        auto ipa = ram_ipa(*v, a, n);
        if (!ipa) break;
        std::memcpy(out.data() + done, host(*ipa), n);
        done += n;
    }
    if (done == 0) return TargetError::Fault;
    return done;
}

gdb::Status GdbTarget::write_memory(uint32_t thread, uint64_t addr,
                                    std::span<const uint8_t> data) {
    kvm::Vcpu* v = vcpu(thread);
    if (!v) return TargetError::BadThread;
    std::vector<uint64_t> ipas;  // all or nothing: every piece is checked first
    for (size_t done = 0; done < data.size();) {
        const uint64_t a = addr + done, n = piece_len(a, data.size() - done);
        auto ipa = ram_ipa(*v, a, n);
        if (!ipa) return TargetError::Fault;
        ipas.push_back(*ipa);
        done += n;
    }
    size_t done = 0;
    for (uint64_t ipa : ipas) {
        const uint64_t n = piece_len(addr + done, data.size() - done);
        std::memcpy(host(ipa), data.data() + done, n);
        machine_.vm().memory_written(ipa, n);
        done += n;
    }
    machine_.debugger_wrote();
    return gdb::ok();
}

// Software breakpoints are the CPU's to check (Vcpu::set_sw_breakpoints),
// by virtual address, so any aligned address takes one, mapped or not yet,
// and guest memory stays the guest's.
gdb::Status GdbTarget::insert_sw(uint64_t addr) {
    if (addr & 3) return TargetError::Fault;
    if (sw_.size() >= kvm::kMaxSwBreakpoints && !sw_.contains(addr)) return TargetError::NoSlots;
    sw_changed_ |= sw_.insert(addr).second;
    return gdb::ok();
}

gdb::Status GdbTarget::remove_sw(uint64_t addr) {
    sw_changed_ |= sw_.erase(addr) != 0;
    return gdb::ok();
}

gdb::Status GdbTarget::set_slot(std::vector<Slot>& slots, const Slot& want, bool insert) {
    for (Slot& s : slots) {
        const bool same = s.used && s.type == want.type && s.addr == want.addr && s.len == want.len;
        if (insert && same) return gdb::ok();
        if (!insert && same) {
            s = Slot{};
            return gdb::ok();
        }
    }
    if (!insert) return gdb::ok();
    for (Slot& s : slots) {
        if (s.used) continue;
        s = want;
        s.used = true;
        return gdb::ok();
    }
    return TargetError::NoSlots;
}

gdb::Status GdbTarget::insert_breakpoint(BreakpointType type, uint64_t addr, uint64_t kind) {
    if (type == BreakpointType::Software) return insert_sw(addr);
    if (type == BreakpointType::Hardware) {
        if (addr & 3) return TargetError::Unsupported;
        return set_slot(hw_bps_, Slot{true, type, addr, 4}, true);
    }
    // One watchpoint covers 1..8 bytes inside an aligned doubleword (BAS),
    // or an aligned power-of-two range of 8 bytes to 2 GiB (MASK); gdb
    // watches anything else in software.
    const bool bas = kind >= 1 && kind <= 8 && (addr & 7) + kind <= 8;
    const bool mask = std::has_single_bit(kind) && kind >= 8 && kind <= (1ull << 31) &&
                      (addr & (kind - 1)) == 0;
    if (!bas && !mask) return TargetError::Unsupported;
    return set_slot(watches_, Slot{true, type, addr, kind}, true);
}

gdb::Status GdbTarget::remove_breakpoint(BreakpointType type, uint64_t addr, uint64_t kind) {
    if (type == BreakpointType::Software) return remove_sw(addr);
    if (type == BreakpointType::Hardware) return set_slot(hw_bps_, Slot{true, type, addr, 4}, false);
    return set_slot(watches_, Slot{true, type, addr, kind}, false);
}

void GdbTarget::remove_all_breakpoints() {
    sw_changed_ |= !sw_.empty();
    sw_.clear();
    for (Slot& s : hw_bps_) s = Slot{};
    for (Slot& s : watches_) s = Slot{};
}

// DBGBCR<n>_EL1 / DBGWCR<n>_EL1 (D24.3.2, D24.3.11): E = 1, PMC/PAC = 0b11
// (EL1 and EL0), HMC = 0, SSC = 0; a breakpoint matches the whole word
// (BAS = 0b1111), a watchpoint the bytes BAS selects in the doubleword at
// DBGWVR, or with MASK = log2(size) and BAS = 0xFF (D2.9.5, "Watchpoint
// address masking") the whole aligned range, for loads (LSC 0b01), stores
// (0b10) or both (0b11).
kvm::GuestDebugArch GdbTarget::debug_registers() const {
    kvm::GuestDebugArch a;
    for (size_t i = 0; i < hw_bps_.size() && i < kvm::kMaxDbgRegs; ++i) {
        if (!hw_bps_[i].used) continue;
        a.dbg_bvr[i] = hw_bps_[i].addr;
        a.dbg_bcr[i] = 1u | 3u << 1 | 0xFu << 5;
    }
    for (size_t i = 0; i < watches_.size() && i < kvm::kMaxDbgRegs; ++i) {
        const Slot& w = watches_[i];
        if (!w.used) continue;
        const uint64_t lsc = w.type == BreakpointType::ReadWatch    ? 1
                             : w.type == BreakpointType::WriteWatch ? 2
                                                                    : 3;
        const bool masked = w.len > 8;
        const uint64_t bas = masked ? 0xFF : ((1u << w.len) - 1) << (w.addr & 7);
        const uint64_t mask = masked ? std::countr_zero(w.len) : 0;
        a.dbg_wvr[i] = w.addr & ~7ull;
        a.dbg_wcr[i] = 1u | 3u << 1 | lsc << 3 | bas << 5 | mask << 24;
    }
    return a;
}

}  // namespace vmm
