// System register emulation (Linux: arch/arm64/kvm/sys_regs.c). One table,
// sorted by (op0, op1, CRn, CRm, op2) like the CPU's (cpu/sysregs.h), serves
// both trapped guest accesses (kvm_handle_sys_reg) and userspace's
// KVM_GET/SET_ONE_REG, so a register is described once.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "arch/sysreg.h"
#include "hyp/emulate.h"

namespace hyp {

// A trapped MRS, MSR or SYS as its syndrome describes it (struct sys_reg_params).
struct SysRegParams {
    arch::SysRegId id;
    uint64_t regval = 0;  // Xt for a write, the value to load for a read
    bool is_write = false;
};

struct SysRegDesc;

// Emulates the trapped access; false makes it UNDEFINED in the guest.
using SysRegAccess = bool (*)(KvmVcpu&, SysRegParams&, const SysRegDesc&);

// Where a register's value lives.
enum class SysRegStorage : uint8_t {
    None,    // no state: a constant, RAZ/WI, or an operation
    Cpu,     // the CPU's register, reset with the CPU (cpu::State{})
    Shadow,  // the vcpu's copy that the guest owns; `reset` resets it
};

struct SysRegDesc {
    std::string_view name;
    arch::SysRegId id;
    SysRegAccess access;  // null: the hypervisor never traps it
    SysRegStorage storage;
    // KVM_GET_ONE_REG / KVM_SET_ONE_REG; null get_user: not visible to userspace.
    uint64_t (*get_user)(KvmVcpu&, const SysRegDesc&);
    Result<void> (*set_user)(KvmVcpu&, const SysRegDesc&, uint64_t);
    void (*reset)(KvmVcpu&, const SysRegDesc&);
    uint64_t val = 0;  // the reset value, or the register's index in its bank
};

std::span<const SysRegDesc> sys_reg_table();
// The descriptor for an encoding, including the read-as-zero descriptor of
// the unallocated ID space (op0 = 3, op1 = 0, CRn = 0, CRm = 1..7), or null.
const SysRegDesc* find_sys_reg(arch::SysRegId id);
// Empty when the table is strictly sorted, free of duplicates, and every
// shadow register has a reset; otherwise one line per fault.
std::string check_sys_reg_table();

// kvm_reset_sys_regs: the shadow registers to their reset values.
void reset_sys_regs(KvmVcpu& v);

// EC 0x18: emulate, then skip the instruction; unknown or refused accesses
// are UNDEFINED in the guest (the unknown ones logged once).
ExitAction kvm_handle_sys_reg(KvmVcpu& v);

// one_reg for ARM64_SYS_REG ids (the low 16 bits are the packed encoding).
Result<uint64_t> get_sys_reg(KvmVcpu& v, arch::SysRegId id);
Result<void> set_sys_reg(KvmVcpu& v, arch::SysRegId id, uint64_t value);

// Puts the guest's debug registers (GuestDebugRegs) into the CPU, unless
// the debugger owns them (guest_debug.control has ENABLE). With the guest's
// OS Lock set, MDSCR_EL1.{MDE, KDE, SS} reach the CPU as 0: the guest's own
// breakpoints, watchpoints and steps are disabled as the OS Lock disables
// them (AArch64.GenerateDebugExceptionsFrom), while the CPU's OSLK stays 0 so
// the debugger keeps working.
void load_guest_debug_regs(KvmVcpu& v);

}  // namespace hyp
