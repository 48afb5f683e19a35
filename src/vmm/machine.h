// The machine: a VM with RAM, the userspace devices on their bus, a loaded
// image and one vcpu at its entry point, ready to run.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kvm/kvm.h"
#include "vmm/bus.h"
#include "vmm/elf_loader.h"
#include "vmm/guest_ram.h"
#include "vmm/pl011.h"
#include "vmm/vcpu_loop.h"

namespace vmm {

struct MachineConfig {
    uint64_t ram_size = 0;  // from parse_memory_size
    Pl011::Sink uart_sink = Pl011::stdout_sink();
    LogSink log = stderr_log();
};

// A bare-metal ELF checked against the board before any VM exists, so bad
// input is told apart from a failing VMM: the image, the device tree and
// where each goes.
struct BootPlan {
    ElfImage image;
    std::vector<uint8_t> fdt;
    uint64_t ram_size = 0;
};

// Builds the device tree for ram_size and checks that the image's segments
// and entry lie in RAM, clear of the device tree at the start of RAM.
kvm::Result<BootPlan> plan_elf_boot(ElfImage image, uint64_t ram_size);

// Boot registers for a bare-metal ELF, as QEMU virt sets them: PC = entry,
// X0 = 0, PSTATE = EL1h with D, A, I and F masked.
inline constexpr uint64_t kBootPstate = 0x3c5;

class Machine {
public:
    static kvm::Result<std::unique_ptr<Machine>> create(const MachineConfig& config,
                                                        const BootPlan& plan);
    // Runs vcpu 0 until the guest stops.
    StopInfo run();

    // For tests and, later, the debugger.
    const GuestRam& ram() const { return ram_; }
    kvm::Vcpu& vcpu() { return *vcpu_; }

private:
    Machine(GuestRam ram, const MachineConfig& config);
    kvm::Result<void> build(const BootPlan& plan);

    // Declared before vm_: the VM maps this memory and must go first.
    GuestRam ram_;
    Pl011 uart_;
    MmioBus bus_;
    std::unique_ptr<kvm::Vm> vm_;
    kvm::Vcpu* vcpu_ = nullptr;
};

}  // namespace vmm
