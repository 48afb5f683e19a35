// The options of `stepvisor run`, and the run itself: shared by `run` and
// by `replay`, which runs a recording's options again (cmd_replay.cpp).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace vmm::record {
class Journal;
}

namespace cli {

struct RunOptions {
    std::string memory = "128M";
    std::string image;
    std::string initrd;
    std::string append;
    std::string dtb;
    std::string dump_dtb;
    std::string load_addr;
    unsigned gic_version = 3;
    std::string cpu = "max";
    std::string serial = "stdio";
    std::string rtc = "base=utc";
    bool no_reboot = false;
    unsigned smp = 1;
    std::vector<std::string> trace;
    std::string trace_file;
    bool stats = false;
    std::optional<uint64_t> max_insns;
    std::string gdb;  // [HOST:]PORT; empty: no gdb stub
    bool wait_gdb = false;
    std::string step_strategy = "state-machine";
    std::string step_irq = "mask";
    std::string gic_cpuif_trap;
    std::string idle;  // sleep|warp; empty: sleep on an interactive console, else warp
    std::vector<std::string> disks;  // FILE[,readonly=on|off], in transport order
    std::string nic = "none";
    bool rng = false;
    std::string jit;  // on|off; empty: on where the host has the translation tier
    bool perf_map = false;
    bool reverse = false;
    std::string reverse_memory;  // SIZE; empty: ReverseOptions' default
    std::optional<uint64_t> reverse_interval;
    std::string record;  // --record FILE
    // Set by replay, not by options: the journal that feeds the recorded
    // input, the recorded RTC base, and the serial port writes only.
    std::shared_ptr<vmm::record::Journal> journal;
    std::optional<uint32_t> rtc_base;
};

// Adds `run`'s options to sub, parsed into opts (which must outlive sub).
void add_run_options(CLI::App& sub, RunOptions& opts);

// Runs the guest as the options say; the process exit status.
int run_guest(const RunOptions& opts);

// The arguments after the command's name, as given (main.cpp).
const std::vector<std::string>& command_args();

}  // namespace cli
