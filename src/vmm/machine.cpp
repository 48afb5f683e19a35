#include "vmm/machine.h"

#include <cstring>
#include <fmt/format.h>

#include "vmm/board.h"
#include "vmm/fdt.h"

namespace vmm {

kvm::Result<BootPlan> plan_elf_boot(ElfImage image, uint64_t ram_size) {
    auto fdt = build_fdt({board::kRamBase, ram_size, 1});
    if (!fdt) return fdt.error();
    GpaRange ram{board::kRamBase, ram_size};
    GpaRange fdt_range{board::kFdtBase, fdt.value().size()};
    if (auto r = check_elf_placement(image, ram, fdt_range, "device tree"); !r) return r.error();
    return BootPlan{std::move(image), std::move(fdt.value()), ram_size};
}

Machine::Machine(GuestRam ram, const MachineConfig& config)
    : ram_(std::move(ram)), uart_(config.uart_sink), bus_(config.log) {}

kvm::Result<std::unique_ptr<Machine>> Machine::create(const MachineConfig& config,
                                                      const BootPlan& plan) {
    auto ram = GuestRam::create(board::kRamBase, config.ram_size);
    if (!ram) return ram.error();
    std::unique_ptr<Machine> m(new Machine(std::move(ram.value()), config));
    if (auto r = m->build(plan); !r) return r.error();
    return m;
}

kvm::Result<void> Machine::build(const BootPlan& plan) {
    auto vm = kvm::Vm::create();
    if (!vm) return vm.error();
    vm_ = std::move(vm.value());

    kvm::UserMemoryRegion region;
    region.slot = board::kRamSlot;
    region.guest_phys_addr = ram_.range().base;
    region.memory_size = ram_.range().size;
    region.userspace_addr = ram_.host();
    if (auto r = vm_->set_user_memory_region(region); !r) return r.error();

    // Written behind the guest's back: the hypervisor must forget any code it
    // decoded from these ranges.
    for (const GpaRange& w : load_elf(plan.image, ram_)) vm_->memory_written(w.base, w.size);
    GpaRange fdt_range{board::kFdtBase, plan.fdt.size()};
    std::memcpy(ram_.slice(fdt_range).data(), plan.fdt.data(), plan.fdt.size());
    vm_->memory_written(fdt_range.base, fdt_range.size);

    if (auto r = bus_.insert(uart_, board::kUartBase, board::kUartSize); !r) return r.error();

    auto vcpu = vm_->create_vcpu(0);
    if (!vcpu) return vcpu.error();
    vcpu_ = vcpu.value();
    kvm::VcpuInit init;
    init.features[0] = 1u << kvm::vcpu_feature::kPsci0_2;
    if (auto r = vcpu_->init(init); !r) return r.error();
    if (auto r = vcpu_->set_one_reg(kvm::reg::kPc, plan.image.entry); !r) return r.error();
    if (auto r = vcpu_->set_one_reg(kvm::reg::x(0), 0); !r) return r.error();
    if (auto r = vcpu_->set_one_reg(kvm::reg::kPstate, kBootPstate); !r) return r.error();
    return {};
}

StopInfo Machine::run() {
    VcpuLoop loop(*vcpu_, bus_);
    StopInfo info = loop.run();
    std::fflush(stdout);
    return info;
}

}  // namespace vmm
