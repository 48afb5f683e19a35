// QEMU's CPU models (-cpu), as stepvisor's --cpu: the identification a guest
// reads at EL1 on QEMU 7.2's virt (gic-version=3) with that model, captured
// with guests/id_probe.c, and the firmware answers QEMU's virt gives. The
// VMM writes them through KVM_SET_ONE_REG before the first KVM_RUN, as a
// VMM on Linux with writable ID registers does.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "arch/sysreg.h"
#include "kvm/kvm.h"
#include "kvm/result.h"

namespace vmm {

// One ID register of a model: its value on QEMU.
struct ModelReg {
    arch::SysReg reg;
    uint64_t qemu;
};

struct CpuModel {
    std::string_view name;        // --cpu
    std::string_view compatible;  // /cpus/cpu@N compatible, as QEMU writes it
    // What the guest reads on QEMU (empty for max: the PE's own values).
    std::span<const ModelReg> regs;
    std::array<uint64_t, 3> ccsidr{};  // L1D, L1I, L2 (CSSELR_EL1 0, 1, 2); unused for max
    // The firmware: true for QEMU virt's (PSCI 1.1 without SYSTEM_RESET2,
    // SMCCC 1.0: no SMCCC_VERSION or ARCH_FEATURES), false for KVM's.
    bool qemu_firmware = false;
};

// A field where stepvisor's machine differs from QEMU's: the model keeps
// the PE's value there (docs/architecture-choices.md, "CPU models").
struct ModelDeviation {
    arch::SysReg reg;
    uint64_t mask;
    std::string_view why;
};

std::span<const CpuModel> cpu_models();
std::span<const ModelDeviation> model_deviations();
// "cortex-a53|cortex-a57|cortex-a72|max", for --help.
std::string cpu_model_names();
// The model named name, or an error naming it.
kvm::Result<const CpuModel*> find_cpu_model(std::string_view name);

// Writes the model's ID registers (QEMU's values, the deviations' fields
// from the PE) and firmware registers into the VM through vcpu, which is
// initialised and has not run.
kvm::Result<void> apply_cpu_model(kvm::Vcpu& vcpu, const CpuModel& model);

}  // namespace vmm
