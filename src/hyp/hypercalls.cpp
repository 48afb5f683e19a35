// Firmware pseudo-registers (see hypercalls.h; api.rst "ARM firmware
// pseudo-registers" and "Bitmap feature firmware registers").
#include "hyp/hypercalls.h"

#include <array>

#include <fmt/format.h>

namespace hyp {

namespace {

namespace fw = kvm::fw;

struct FwReg {
    uint64_t id;
    const char* name;
    uint64_t SmcccFirmware::*field;
    bool (*allowed)(uint64_t value, uint64_t offered);
};

// PSCI 0.2, 1.0 or 1.1, no later than offered (0.1 needs the vcpu feature
// this hypervisor does not offer).
bool psci_ok(uint64_t v, uint64_t offered) {
    return (v == fw::kPsci0_2 || v == fw::kPsci1_0 || v == fw::kPsci1_1) && v <= offered;
}
// A workaround level no higher than offered (the levels are ordered).
bool level_ok(uint64_t v, uint64_t offered) { return v <= offered; }
bool bmap_ok(uint64_t v, uint64_t offered) { return !(v & ~offered); }

constexpr std::array kFwRegs{
    FwReg{kvm::reg::kPsciVersion, "KVM_REG_ARM_PSCI_VERSION", &SmcccFirmware::psci_version, psci_ok},
    FwReg{kvm::reg::kSmcccArchWorkaround1, "KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1",
          &SmcccFirmware::wa1, level_ok},
    FwReg{kvm::reg::kSmcccArchWorkaround2, "KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2",
          &SmcccFirmware::wa2, level_ok},
    FwReg{kvm::reg::kSmcccArchWorkaround3, "KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3",
          &SmcccFirmware::wa3, level_ok},
    FwReg{kvm::reg::kStepvisorFwBmap, "STEPVISOR_FW_BMAP", &SmcccFirmware::bmap, bmap_ok},
};

const FwReg* find_fw_reg(uint64_t id) {
    for (const FwReg& r : kFwRegs)
        if (r.id == id) return &r;
    return nullptr;
}

}  // namespace

std::optional<Result<uint64_t>> get_fw_reg(KvmVcpu& v, uint64_t id) {
    const FwReg* r = find_fw_reg(id);
    if (!r) return std::nullopt;
    return Result<uint64_t>(v.kvm().firmware().*r->field);
}

std::optional<Result<void>> set_fw_reg(KvmVcpu& v, uint64_t id, uint64_t value) {
    const FwReg* r = find_fw_reg(id);
    if (!r) return std::nullopt;
    uint64_t& cur = v.kvm().firmware().*r->field;
    if (value == cur) return Result<void>();
    if (v.kvm().has_run_once())
        return Result<void>(Error{fmt::format("vcpu {}: {} is busy: the VM has run (value {:#x}, "
                                              "current {:#x})",
                                              v.id(), r->name, value, cur)});
    const uint64_t offered = SmcccFirmware{}.*r->field;
    if (!r->allowed(value, offered))
        return Result<void>(Error{fmt::format("vcpu {}: {} value {:#x} is not offered (at most {:#x})",
                                              v.id(), r->name, value, offered)});
    cur = value;
    return Result<void>();
}

}  // namespace hyp
