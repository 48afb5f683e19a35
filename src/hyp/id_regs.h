// The VM's identification registers, writable by userspace before the VM
// first runs (Linux >= 6.7: kvm->arch.id_regs and set_id_reg in
// arch/arm64/kvm/sys_regs.c; MIDR/REVIDR/AIDR since 6.15; CTR_EL0 and
// CLIDR_EL1, and CCSIDR_EL1 through KVM_REG_ARM_DEMUX_ID_CCSIDR, since cache
// normalisation in 6.3). The guest reads them through traps: ID group 3 under
// HCR_EL2.TID3, REVIDR/AIDR under TID1, CTR/CLIDR/CCSIDR under TID2; MIDR
// is VPIDR_EL2.
#pragma once

#include <array>
#include <cstdint>

#include "arch/sysreg.h"
#include "kvm/result.h"

namespace cpu {
class Cpu;
}

namespace hyp {

class KvmVcpu;

// Per VM, as KVM keeps them (the CLIDR/CCSIDR pair per vcpu in KVM; one
// value for all vcpus here, which is what a VMM writes to each).
struct IdRegs {
    // ID group 3 (op0 = 3, op1 = 0, CRn = 0, CRm = 1..7): index (CRm - 1) * 8 + op2.
    std::array<uint64_t, 56> group3{};
    uint64_t midr = 0, revidr = 0, aidr = 0, ctr = 0, clidr = 0;
    // CCSIDR_EL1 by CSSELR_EL1.{Level, InD} (without FEAT_CCIDX: 32 bits).
    std::array<uint64_t, 14> ccsidr{};
};

// An ID group 3 encoding.
bool is_id_group3(arch::SysRegId id);
// The registers this PE implements, as KVM reads the host's sanitised
// values (kvm_init_id_regs, reset_clidr/reset_ccsidr).
IdRegs host_id_regs(cpu::Cpu& c);

// What the guest reads (read_id_reg): the stored value, without the GICv3
// system register interface when there is no in-kernel irqchip.
uint64_t read_id_reg(KvmVcpu& v, arch::SysRegId id);
uint64_t read_ccsidr(KvmVcpu& v, uint64_t csselr);

// KVM_SET_ONE_REG (set_id_reg, set_imp_id_reg, set_ctr_el0, set_clidr,
// set_ccsidr): each field may only move to a value the host PE's supports
// (arm64_check_features: the field's safe value between the new and the
// host's must be the new one); bits outside the fields must keep the host's
// value. Once the VM has run, only the current value is accepted (-EBUSY).
kvm::Result<void> write_id_reg(KvmVcpu& v, arch::SysRegId id, uint64_t value);
kvm::Result<void> write_ccsidr(KvmVcpu& v, uint64_t csselr, uint64_t value);

}  // namespace hyp
