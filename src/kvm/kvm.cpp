// The API objects: thin handles onto the hypervisor's VM and vcpus.
#include "kvm/kvm.h"

#include <fmt/format.h>

#include "cpu/mmu.h"
#include "hyp/debug.h"
#include "hyp/kvm_host.h"
#include "hyp/sys_regs.h"
#include "hyp/vgic/vgic.h"

namespace kvm {

Vm::Vm() : kvm_(std::make_unique<hyp::Kvm>()) {}
Vm::~Vm() = default;

Result<std::unique_ptr<Vm>> Vm::create() {
    // The hypervisor's sysreg table, checked once at start-up (its order is
    // also checked at build time).
    static const std::string table_faults = hyp::check_sys_reg_table();
    if (!table_faults.empty()) return Error{"sys_regs table: " + table_faults};
    return std::unique_ptr<Vm>(new Vm());
}

Result<void> Vm::set_user_memory_region(const UserMemoryRegion& region) {
    return kvm_->set_memory_region(region);
}

Result<Vcpu*> Vm::create_vcpu(uint32_t id) {
    auto v = kvm_->create_vcpu(id);
    if (!v) return v.error();
    vcpus_.push_back(std::make_unique<Vcpu>(*v.value()));
    return vcpus_.back().get();
}

int64_t Vm::check_extension(Cap cap) const {
    switch (cap) {
    case Cap::UserMemory:
    case Cap::ImmediateExit:
    case Cap::OneReg:
    case Cap::ArmPsci:
    case Cap::ArmPsci02:
    case Cap::ArmNisvToUser:
    case Cap::SetGuestDebug:
    case Cap::StepStrategy:
    case Cap::GicTrapClasses:
    case Cap::VcpuQuantum:
    case Cap::ArmWritableImpIdRegs:
    case Cap::IdleClock:
    case Cap::KickKeepsHalt:
        return 1;
    case Cap::NrVcpus:
    case Cap::MaxVcpus:
        return hyp::Kvm::kMaxVcpus;
    case Cap::GuestDebugHwBps:
        return 6;  // ID_AA64DFR0_EL1.BRPs + 1
    case Cap::GuestDebugHwWps:
        return 4;  // ID_AA64DFR0_EL1.WRPs + 1
    case Cap::SetGuestDebug2:
        return guestdbg::kSupported;
    case Cap::ArmVmIpaSize:
        return 48;
    case Cap::SwBreakpoints:
        return int64_t(kMaxSwBreakpoints);
    case Cap::Jit:
        return cpu::Cpu::jit_supported() ? 1 : 0;
    }
    return 0;
}

Result<void> Vm::enable_cap(const EnableCap& c) {
    if (c.flags) return Error{fmt::format("enable_cap {}: flags {:#x} must be 0", uint32_t(c.cap), c.flags)};
    const uint64_t a = c.args[0];
    switch (c.cap) {
    case Cap::StepStrategy:
        if (a > uint64_t(StepStrategy::Legacy))
            return Error{fmt::format("enable_cap StepStrategy: args[0] = {} is not 0 (state-machine), "
                                     "1 (exit) or 2 (legacy)", a)};
        kvm_->step_strategy = StepStrategy(a);
        return {};
    case Cap::GicTrapClasses:
        if (a & ~uint64_t(gic_trap::kAll))
            return Error{fmt::format("enable_cap GicTrapClasses: args[0] = {:#x} has bits outside {:#x}",
                                     a, gic_trap::kAll)};
        kvm_->gic_traps = uint32_t(a);
        return {};
    case Cap::VcpuQuantum:
        if (a == 0) return Error{"enable_cap VcpuQuantum: args[0] = 0, a quantum must be > 0"};
        kvm_->vcpu_quantum = a;
        return {};
    case Cap::IdleClock:
        if (a > uint64_t(IdleClock::Paced))
            return Error{fmt::format("enable_cap IdleClock: args[0] = {} is not 0 (warp), 1 (real "
                                     "time) or 2 (paced)",
                                     a)};
        kvm_->idle_clock = IdleClock(a);
        return {};
    case Cap::Jit:
        if (a > 1)
            return Error{fmt::format("enable_cap Jit: args[0] = {} is not 0 (interpreter) or 1 "
                                     "(generated code)", a)};
        if (a == 1 && !cpu::Cpu::jit_supported())
            return Error{"enable_cap Jit: args[0] = 1, but the translation tier generates "
                         "x86-64 code and this host is not x86-64"};
        kvm_->set_jit(a == 1);
        return {};
    case Cap::KickKeepsHalt:
        if (a > 1) return Error{fmt::format("enable_cap KickKeepsHalt: args[0] = {} is not 0 or 1", a)};
        kvm_->kick_keeps_halt = a == 1;
        return {};
    case Cap::ArmNisvToUser:
        return {};  // ARM_NISV always goes to userspace
    case Cap::ArmWritableImpIdRegs:
        if (!kvm_->vcpus().empty())
            return Error{"enable_cap ArmWritableImpIdRegs: the VM already has vcpus"};
        kvm_->writable_imp_id_regs = true;
        return {};
    default:
        return Error{fmt::format("enable_cap: capability {} cannot be enabled", uint32_t(c.cap))};
    }
}

void Vm::set_exit_trace(hyp::ExitTraceHook hook) { kvm_->exit_trace = std::move(hook); }

bool Vm::waits_for_userspace() { return kvm_->waits_for_userspace(); }

void Vm::end_waits() {
    for (auto& v : kvm_->vcpus()) v->halted = false;
}

void Vm::memory_written(uint64_t gpa, uint64_t size) { kvm_->memory_written(gpa, size); }

namespace {

struct Frame {
    const char* name;
    uint64_t base, size;
};

Result<void> check_frames(const std::vector<Frame>& frames, uint64_t align, hyp::Kvm& kvm) {
    for (size_t i = 0; i < frames.size(); ++i) {
        const Frame& f = frames[i];
        if (f.base % align || f.base + f.size < f.base)
            return Error{fmt::format("vgic {} address {:#x} is not {} KiB aligned", f.name, f.base,
                                     align / 1024)};
        for (size_t j = 0; j < i; ++j)
            if (f.base < frames[j].base + frames[j].size && frames[j].base < f.base + f.size)
                return Error{fmt::format("vgic {} at {:#x} overlaps the {} at {:#x}", f.name, f.base,
                                         frames[j].name, frames[j].base)};
        for (const auto& m : kvm.stage2_map())
            if (f.base < m.ipa + m.size && m.ipa < f.base + f.size)
                return Error{fmt::format("vgic {} at {:#x} overlaps guest memory at {:#x}", f.name,
                                         f.base, m.ipa)};
    }
    return {};
}

}  // namespace

Result<void> Vm::create_vgic(const VgicAddrs& a) {
    if (kvm_->irqchip()) return Error{"vgic: the VM already has one"};
    hyp::vgic::Config cfg;
    cfg.dist_base = a.dist;
    cfg.redist_base = a.redist;
    cfg.cpu_base = a.cpu;
    Result<void> ok;
    if (a.model == VgicModel::V3) {
        cfg.model = hyp::vgic::Model::V3;
        ok = check_frames({{"distributor", a.dist, hyp::vgic::kV3DistSize},
                           {"redistributors", a.redist, hyp::vgic::kV3RedistSize * hyp::vgic::kMaxVcpus}},
                          0x10000, *kvm_);
    } else {
        cfg.model = hyp::vgic::Model::V2;
        ok = check_frames({{"distributor", a.dist, hyp::vgic::kV2DistSize},
                           {"CPU interface", a.cpu, hyp::vgic::kV2CpuSize}},
                          0x1000, *kvm_);
    }
    if (!ok) return ok;
    auto gic = std::make_unique<hyp::vgic::Vgic>(*kvm_, cfg);
    if (auto mapped = gic->map_resources(); !mapped) return mapped;
    kvm_->set_irqchip(std::move(gic));
    return {};
}

Result<void> Vm::reset_vgic() {
    hyp::vgic::Vgic* gic = hyp::vgic::vgic_of(*kvm_);
    if (!gic) return {};
    const hyp::vgic::Config cfg = gic->config();
    kvm_->set_irqchip(nullptr);  // unregisters its frames
    auto fresh = std::make_unique<hyp::vgic::Vgic>(*kvm_, cfg);
    if (auto mapped = fresh->map_resources(); !mapped) return mapped;
    kvm_->set_irqchip(std::move(fresh));
    return {};
}

Result<void> Vm::irq_line(uint32_t intid, bool level) {
    hyp::IrqChip* chip = kvm_->irqchip();
    if (!chip) return Error{fmt::format("irq_line: INTID {}: the VM has no vgic", intid)};
    return chip->irq_line(intid, level);
}

Vcpu::Vcpu(hyp::KvmVcpu& v) : v_(v) {}
Result<void> Vcpu::init(const VcpuInit& init) { return v_.init(init); }
Result<void> Vcpu::run() { return v_.run(); }
RunState& Vcpu::run_state() { return v_.run_state(); }
Result<uint64_t> Vcpu::get_one_reg(uint64_t id) const { return v_.get_one_reg(id); }
Result<void> Vcpu::set_one_reg(uint64_t id, uint64_t value) { return v_.set_one_reg(id, value); }
Result<void> Vcpu::get_one_reg(uint64_t id, std::span<uint8_t> out) const {
    return v_.get_one_reg(id, out);
}
Result<void> Vcpu::set_one_reg(uint64_t id, std::span<const uint8_t> value) {
    return v_.set_one_reg(id, value);
}

static_assert(Vcpu::kNoInsnLimit == hyp::kNoInsnLimit);
uint64_t Vcpu::retired_insns() const { return v_.cpu().retired(); }
uint64_t Vcpu::retired_jit_insns() const { return v_.cpu().retired_jit(); }
uint64_t Vcpu::el1_entries() const { return v_.cpu().el1_entries(); }
void Vcpu::set_insn_limit(uint64_t limit) { v_.insn_limit = limit; }
bool Vcpu::yielded() const { return v_.quantum_left == 0; }

Result<void> Vcpu::set_guest_debug(const GuestDebugSettings& dbg) {
    if (dbg.control & ~guestdbg::kSupported)
        return Error{fmt::format("vcpu {}: set_guest_debug control {:#x} has unsupported flags {:#x}",
                                 v_.id(), dbg.control, dbg.control & ~guestdbg::kSupported)};
    v_.guest_debug = dbg;
    hyp::guest_debug_changed(v_);
    hyp::load_guest_debug_regs(v_);  // the guest's values, unless the debugger now owns them
    return {};
}

Result<void> Vcpu::set_sw_breakpoints(std::span<const uint64_t> vas) {
    if (vas.size() > kMaxSwBreakpoints)
        return Error{fmt::format("vcpu {}: {} software breakpoints, at most {}", v_.id(),
                                 vas.size(), kMaxSwBreakpoints)};
    v_.cpu().set_sw_breakpoints(std::vector<uint64_t>(vas.begin(), vas.end()));
    return {};
}

Result<void> Vcpu::inject_debug_exception(const RunState::DebugArch& d) {
    const uint64_t hsr = uint64_t(d.hsr_high) << 32 | d.hsr;
    if (!hyp::inject_debug_exception(v_, hsr, d.far))
        return Error{fmt::format("vcpu {}: inject_debug_exception: hsr {:#x} is not a breakpoint, "
                                 "software step, watchpoint or BRK syndrome", v_.id(), hsr)};
    return {};
}

Result<uint64_t> Vcpu::translate(uint64_t va) {
    cpu::Cpu& c = v_.cpu();
    if (auto ipa = cpu::s1_translate_debug(c.state(), c.features(), c.stage2(), va)) return *ipa;
    return Error{fmt::format("vcpu {}: translate: VA {:#x} has no stage 1 mapping", v_.id(), va)};
}

}  // namespace kvm
