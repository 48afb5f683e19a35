// The CPU model table (see cpu_models.h). Values: guests/id_probe.elf on
// qemu-system-aarch64 7.2 (Debian 12) -M virt,gic-version=3 -cpu <model>;
// tests/peer/cpu_model.sh checks them against QEMU on every run.
#include "vmm/cpu_models.h"

#include <fmt/format.h>

namespace vmm {

namespace {

namespace sr = arch::sysreg;

// Registers every named model writes, with QEMU's values.
constexpr ModelReg kCortexA53[] = {
    {sr::MIDR_EL1, 0x410FD034},        {sr::REVIDR_EL1, 0},
    {sr::AIDR_EL1, 0},                 {sr::CTR_EL0, 0x84448004},
    {sr::CLIDR_EL1, 0x0A200023},       {sr::ID_AA64PFR0_EL1, 0x01000022},
    {sr::ID_AA64PFR1_EL1, 0},          {sr::ID_AA64DFR0_EL1, 0x10305106},
    {sr::ID_AA64AFR0_EL1, 0},          {sr::ID_AA64ISAR0_EL1, 0x00011120},
    {sr::ID_AA64ISAR1_EL1, 0},         {sr::ID_AA64ISAR2_EL1, 0},
    {sr::ID_AA64MMFR0_EL1, 0x00001122}, {sr::ID_AA64MMFR1_EL1, 0},
    {sr::ID_AA64MMFR2_EL1, 0},
};
constexpr ModelReg kCortexA57[] = {
    {sr::MIDR_EL1, 0x411FD070},        {sr::REVIDR_EL1, 0},
    {sr::AIDR_EL1, 0},                 {sr::CTR_EL0, 0x8444C004},
    {sr::CLIDR_EL1, 0x0A200023},       {sr::ID_AA64PFR0_EL1, 0x01000022},
    {sr::ID_AA64PFR1_EL1, 0},          {sr::ID_AA64DFR0_EL1, 0x10305106},
    {sr::ID_AA64AFR0_EL1, 0},          {sr::ID_AA64ISAR0_EL1, 0x00011120},
    {sr::ID_AA64ISAR1_EL1, 0},         {sr::ID_AA64ISAR2_EL1, 0},
    {sr::ID_AA64MMFR0_EL1, 0x00001124}, {sr::ID_AA64MMFR1_EL1, 0},
    {sr::ID_AA64MMFR2_EL1, 0},
};
constexpr ModelReg kCortexA72[] = {
    {sr::MIDR_EL1, 0x410FD083},        {sr::REVIDR_EL1, 0},
    {sr::AIDR_EL1, 0},                 {sr::CTR_EL0, 0x8444C004},
    {sr::CLIDR_EL1, 0x0A200023},       {sr::ID_AA64PFR0_EL1, 0x01000022},
    {sr::ID_AA64PFR1_EL1, 0},          {sr::ID_AA64DFR0_EL1, 0x10305106},
    {sr::ID_AA64AFR0_EL1, 0},          {sr::ID_AA64ISAR0_EL1, 0x00011120},
    {sr::ID_AA64ISAR1_EL1, 0},         {sr::ID_AA64ISAR2_EL1, 0},
    {sr::ID_AA64MMFR0_EL1, 0x00001124}, {sr::ID_AA64MMFR1_EL1, 0},
    {sr::ID_AA64MMFR2_EL1, 0},
};

// max is stepvisor's own PE, as QEMU's max is QEMU's; QEMU 7.2 still calls
// its max "arm,cortex-a57" in the device tree (its initfn starts from the A57).
constexpr CpuModel kModels[] = {
    {"cortex-a53", "arm,cortex-a53", kCortexA53, {0x700FE01A, 0x201FE00A, 0x707FE07A}, true},
    {"cortex-a57", "arm,cortex-a57", kCortexA57, {0x701FE00A, 0x201FE012, 0x70FFE07A}, true},
    {"cortex-a72", "arm,cortex-a72", kCortexA72, {0x701FE00A, 0x201FE012, 0x707FE07A}, true},
    {"max", "arm,cortex-a57", {}, {}, false},
};

constexpr uint64_t field(unsigned shift) { return 0xFull << shift; }

constexpr ModelDeviation kDeviations[] = {
    {sr::ID_AA64PFR0_EL1, field(0) | field(4),
     "EL0 and EL1 are AArch64 only: stepvisor has no A32/T32"},
    {sr::ID_AA64DFR0_EL1, field(8), "PMUVer 0: stepvisor has no PMU"},
    {sr::ID_AA64DFR0_EL1, field(28), "CTX_CMPs 0: one context-aware breakpoint, not two"},
    {sr::ID_AA64DFR0_EL1, field(36), "DoubleLock 0xF: no OS Double Lock"},
    {sr::ID_AA64MMFR0_EL1, field(8), "BigEnd 0: no big-endian data accesses"},
    {sr::ID_AA64MMFR0_EL1, field(12), "SNSMem 0: no Secure state"},
};

// ID_AA64PFR0_EL1.GIC: set by the VM from its vGIC, never by userspace.
constexpr uint64_t kPfr0Gic = field(24);

uint64_t kept_from_pe(arch::SysRegId id) {
    uint64_t mask = id == sr::ID_AA64PFR0_EL1.id ? kPfr0Gic : 0;
    for (const ModelDeviation& d : kDeviations)
        if (d.reg.id == id) mask |= d.mask;
    return mask;
}

kvm::Result<void> set_reg(kvm::Vcpu& vcpu, const ModelReg& r) {
    const uint64_t id = kvm::reg::sysreg(r.reg.id.packed);
    auto pe = vcpu.get_one_reg(id);
    if (!pe) return pe.error();
    const uint64_t keep = kept_from_pe(r.reg.id);
    return vcpu.set_one_reg(id, (r.qemu & ~keep) | (pe.value() & keep));
}

// QEMU 7.2 virt's PSCI (target/arm/psci.c): version 1.1 without
// SYSTEM_RESET2, and no SMCCC 1.1, so no Spectre workaround is offered.
kvm::Result<void> set_qemu_firmware(kvm::Vcpu& vcpu) {
    namespace fw = kvm::fw;
    const std::pair<uint64_t, uint64_t> regs[] = {
        {kvm::reg::kPsciVersion, fw::kPsci1_1},
        {kvm::reg::kSmcccArchWorkaround1, fw::kWa1NotAvail},
        {kvm::reg::kSmcccArchWorkaround2, fw::kWa2NotAvail},
        {kvm::reg::kSmcccArchWorkaround3, fw::kWa3NotAvail},
        {kvm::reg::kStepvisorFwBmap, 0},
    };
    for (const auto& [id, value] : regs)
        if (auto r = vcpu.set_one_reg(id, value); !r) return r;
    return {};
}

}  // namespace

std::span<const CpuModel> cpu_models() { return kModels; }
std::span<const ModelDeviation> model_deviations() { return kDeviations; }

std::string cpu_model_names() {
    std::string s;
    for (const CpuModel& m : kModels) s += (s.empty() ? "" : "|") + std::string(m.name);
    return s;
}

kvm::Result<const CpuModel*> find_cpu_model(std::string_view name) {
    for (const CpuModel& m : kModels)
        if (m.name == name) return &m;
    return kvm::Error{fmt::format("unknown --cpu '{}' (accepted: {})", name, cpu_model_names())};
}

// CLIDR_EL1 before the CCSIDRs: the demux ids are checked against it.
kvm::Result<void> apply_cpu_model(kvm::Vcpu& vcpu, const CpuModel& model) {
    for (const ModelReg& r : model.regs)
        if (auto ok = set_reg(vcpu, r); !ok) return ok;
    if (model.regs.empty()) return {};
    for (unsigned csselr = 0; csselr < model.ccsidr.size(); ++csselr)
        if (auto ok = vcpu.set_one_reg(kvm::reg::ccsidr(csselr), model.ccsidr[csselr]); !ok)
            return ok;
    return model.qemu_firmware ? set_qemu_firmware(vcpu) : kvm::Result<void>();
}

}  // namespace vmm
