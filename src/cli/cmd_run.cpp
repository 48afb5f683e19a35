// `stepvisor run [-m SIZE] IMAGE`: boots a bare-metal ELF as QEMU virt does
// and runs it until it powers off.
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/commands.h"
#include "vmm/board.h"
#include "vmm/elf_loader.h"
#include "vmm/machine.h"
#include "vmm/mem_size.h"

namespace cli {

namespace {

struct RunOptions {
    std::string memory = "128M";
    std::string image;
};

int run(const RunOptions& opts) {
    // Inputs first, before any VM exists: their errors are the user's (2).
    auto ram_size = vmm::parse_memory_size(opts.memory);
    if (!ram_size) {
        print_error(ram_size.error().message);
        return kExitUsage;
    }
    auto image = vmm::open_elf(opts.image);
    if (!image) {
        print_error(image.error().message);
        return kExitUsage;
    }
    auto plan = vmm::plan_elf_boot(std::move(image.value()), ram_size.value());
    if (!plan) {
        print_error(plan.error().message);
        return kExitUsage;
    }

    vmm::MachineConfig config;
    config.ram_size = ram_size.value();
    auto machine = vmm::Machine::create(config, plan.value());
    if (!machine) {
        print_error(fmt::format("cannot build the machine: {}", machine.error().message));
        return kExitGuestStopped;
    }
    vmm::StopInfo stop = machine.value()->run();
    if (stop.reason != vmm::StopReason::PoweredOff) print_error(stop.message);
    return stop.exit_status();
}

}  // namespace

CommandHandler setup_run(CLI::App& sub) {
    auto opts = std::make_shared<RunOptions>();
    sub.add_option("-m,--memory", opts->memory,
                   fmt::format("Guest RAM at {:#x}: a number with an optional suffix K, M or G "
                               "(case-insensitive; a plain number is MiB), {}; default 128M",
                               vmm::board::kRamBase, vmm::memory_size_range()))
        ->type_name("SIZE");
    sub.add_option("IMAGE", opts->image,
                   "Bare-metal AArch64 ELF executable (ELF64, little-endian, ET_EXEC), loaded "
                   "by physical address; the device tree goes at the start of RAM")
        ->required()
        ->type_name("");
    sub.footer(
        "The board is QEMU virt with gic-version=3 (PL011 at 0x9000000). The vcpu starts at "
        "the ELF entry in EL1h with DAIF masked and x0 = 0.\n"
        "A guest reset request stops the VMM (as QEMU's -no-reboot; reboot comes later).\n"
        "Exit status: 0 after the guest powers off (PSCI SYSTEM_OFF) or requests a reset, "
        "1 when the VMM had to stop the guest, 2 on bad usage or bad input.");
    return [opts] { return run(*opts); };
}

}  // namespace cli
