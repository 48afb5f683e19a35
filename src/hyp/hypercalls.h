// The firmware pseudo-registers through KVM_GET/SET_ONE_REG (Linux:
// kvm_arm_get_fw_reg / kvm_arm_set_fw_reg in arch/arm64/kvm/hypercalls.c).
#pragma once

#include <cstdint>
#include <optional>

#include "hyp/kvm_host.h"

namespace hyp {

// A KVM_REG_ARM_FW or FW_FEAT_BMAP id's value; nullopt for another id.
std::optional<Result<uint64_t>> get_fw_reg(KvmVcpu& v, uint64_t id);
// Each may only withdraw what this hypervisor offers (a lower PSCI version
// from 0.2 on, a lower workaround level, fewer bitmap bits), and only before
// the VM has run, unless the value is unchanged (KVM: -EBUSY).
std::optional<Result<void>> set_fw_reg(KvmVcpu& v, uint64_t id, uint64_t value);

}  // namespace hyp
