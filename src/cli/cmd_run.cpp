// `stepvisor run [OPTIONS] IMAGE`: boots an ELF, a Linux Image or a raw
// binary on the QEMU virt board and runs it until it powers off.
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/run_gdb.h"
#include "cli/record_setup.h"
#include "cli/run_options.h"
#include "cpu/cpu.h"
#include "vmm/board.h"
#include "vmm/boot.h"
#include "vmm/cpu_models.h"
#include "vmm/disk_spec.h"
#include "vmm/machine.h"
#include "vmm/mem_size.h"
#include "vmm/nic_spec.h"
#include "vmm/record/journal.h"
#include "vmm/record/net_journal.h"
#include "vmm/reverse/reverse_target.h"
#include "vmm/rtc_base.h"
#include "vmm/slirp_net.h"
#include "vmm/virtio/net.h"
#include "vmm/virtio/rng.h"
#include "vmm/serial.h"

namespace cli {

namespace {


// --reverse: what the history can hold so far (docs/reverse.md).
kvm::Result<vmm::reverse::ReverseOptions> reverse_options(const RunOptions& opts) {
    vmm::reverse::ReverseOptions r;
    if (!opts.reverse) return r;
    if (opts.gdb.empty()) return kvm::Error{"--reverse needs --gdb: the history is gdb's to move in"};
    if (opts.smp != 1) return kvm::Error{fmt::format("--reverse runs one vcpu so far, not --smp {}", opts.smp)};
    // A replay's disks keep their writes in memory, and its entropy and
    // packets come from the recording: a checkpoint holds them all.
    if (!opts.journal && (!opts.disks.empty() || opts.nic != "none" || opts.rng))
        return kvm::Error{"--reverse runs without virtio devices so far (--disk, --nic, --rng), "
                          "except in a replay"};
    if (!opts.reverse_memory.empty()) {
        auto size = vmm::parse_memory_size(opts.reverse_memory);
        if (!size) return kvm::Error{fmt::format("invalid --reverse-memory: {}", size.error().message)};
        r.memory_limit = size.value();
    }
    if (opts.reverse_interval) {
        r.interval = *opts.reverse_interval;
        r.period = std::chrono::milliseconds(0);
    }
    return r;
}

// The --gdb options, checked before any VM exists.
kvm::Result<GdbRunOptions> gdb_options(const RunOptions& opts) {
    GdbRunOptions g;
    auto ep = parse_gdb_endpoint(opts.gdb);
    if (!ep) return ep.error();
    g.endpoint = ep.value();
    g.wait = opts.wait_gdb;
    static constexpr std::pair<std::string_view, kvm::StepStrategy> kStrategies[] = {
        {"state-machine", kvm::StepStrategy::StateMachine},
        {"exit", kvm::StepStrategy::Exit},
        {"legacy", kvm::StepStrategy::Legacy}};
    for (const auto& [name, s] : kStrategies)
        if (opts.step_strategy == name) g.target.step_strategy = s;
    g.target.step_irq_enter = opts.step_irq == "enter";
    return g;
}

// Where --trace lines go: stderr, or the file --trace-file names.
kvm::Result<vmm::LogSink> trace_sink(const std::string& path, bool line_buffered) {
    if (path.empty()) return vmm::stderr_log();
    std::shared_ptr<std::FILE> f(std::fopen(path.c_str(), "w"), [](std::FILE* p) {
        if (p) std::fclose(p);
    });
    if (!f) return kvm::Error{fmt::format("--trace-file {}: cannot create: {}", path, std::strerror(errno))};
    // Exit traces are line-buffered, so a reader (tail -f, a test waiting for
    // a line) sees each exit as it happens; instruction traces are too many
    // for a write per line (+40% run time).
    if (line_buffered) std::setvbuf(f.get(), nullptr, _IOLBF, 0);
    return vmm::LogSink([f](std::string_view line) { fmt::print(f.get(), "{}\n", line); });
}

// An address as C writes it: decimal, or hex after 0x.
std::optional<uint64_t> parse_address(std::string_view text) {
    int base = 10;
    if (text.starts_with("0x") || text.starts_with("0X")) {
        text.remove_prefix(2);
        base = 16;
    }
    uint64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v, base);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return v;
}

// --idle: as asked, else real time when a person types at the console (it
// is stdio on a terminal) or the guest has a network, so the guest's clock
// keeps pace with theirs and with its peers' (TCP's timers).
kvm::IdleClock idle_clock(const RunOptions& opts) {
    // A history replays only if a sleep's length is guest time alone.
    if (opts.reverse || opts.journal) return kvm::IdleClock::Warp;
    // A recording sleeps as a run does, but input ends a sleep without
    // moving the clock (Paced), so its replay can warp.
    const auto sleep = opts.record.empty() ? kvm::IdleClock::RealTime : kvm::IdleClock::Paced;
    if (opts.idle == "sleep") return sleep;
    if (opts.idle == "warp") return kvm::IdleClock::Warp;
    const bool interactive = opts.serial == "stdio" && isatty(STDIN_FILENO);
    return interactive || opts.nic != "none" ? sleep : kvm::IdleClock::Warp;
}

// --jit: as asked, else on where the host has the tier. `on` where it has
// none is the user's error, caught before anything runs.
kvm::Result<bool> jit_setting(const RunOptions& opts) {
    if (opts.jit == "on" && !cpu::Cpu::jit_supported())
        return kvm::Error{"--jit on: the translation tier generates x86-64 code and this host is "
                          "not x86-64 (use --jit off)"};
    return opts.jit.empty() ? cpu::Cpu::jit_supported() : opts.jit == "on";
}

// --nic user: a virtio-net device on libslirp; the stack starts (and its
// port forwards listen) when the machine is built.
// Under a journal: recording, slirp with its frames written down;
// replaying, the recorded frames and no network.
vmm::MachineConfig::VirtioFactory nic_factory(const vmm::NicSpec& spec,
                                              std::shared_ptr<vmm::record::Journal> journal) {
    return [spec, journal]() -> kvm::Result<std::unique_ptr<vmm::virtio::Device>> {
        using Backend = std::unique_ptr<vmm::virtio::NetBackend>;
        if (journal && journal->replaying())
            return std::unique_ptr<vmm::virtio::Device>(
                new vmm::virtio::Net(Backend(new vmm::record::ReplayNet(journal))));
        auto slirp = vmm::SlirpNet::create(spec, vmm::stderr_log());
        if (!slirp) return slirp.error();
        Backend backend = std::move(slirp.value());
        if (journal) backend.reset(new vmm::record::RecordingNet(std::move(backend), journal));
        return std::unique_ptr<vmm::virtio::Device>(new vmm::virtio::Net(std::move(backend)));
    };
}

// The inputs, checked before any VM exists: their errors are the user's (2).
kvm::Result<vmm::BootPlan> plan(const RunOptions& opts, const vmm::CpuModel& cpu) {
    vmm::BootOptions boot;
    auto ram_size = vmm::parse_memory_size(opts.memory);
    if (!ram_size) return ram_size.error();
    boot.ram_size = ram_size.value();
    boot.image = opts.image;
    if (!opts.load_addr.empty()) {
        boot.load_addr = parse_address(opts.load_addr);
        if (!boot.load_addr)
            return kvm::Error{fmt::format("invalid --load-addr '{}': not a decimal or 0x-hex "
                                          "address",
                                          opts.load_addr)};
    }
    boot.initrd = opts.initrd;
    boot.dtb = opts.dtb;
    boot.bootargs = opts.append;
    boot.gic_version = opts.gic_version;
    boot.num_cpus = opts.smp;
    boot.cpu_compatible = cpu.compatible;
    return vmm::plan_boot(boot);
}

}  // namespace

int run_guest(const RunOptions& opts) {
    auto cpu = vmm::find_cpu_model(opts.cpu);
    if (!cpu) {
        print_error(cpu.error().message);
        return kExitUsage;
    }
    auto boot = plan(opts, *cpu.value());
    if (!boot) {
        print_error(boot.error().message);
        return kExitUsage;
    }
    if (!opts.dump_dtb.empty()) {
        // As QEMU's -machine dumpdtb: write the blob the guest would get, and stop.
        if (auto r = write_output("--dump-dtb", opts.dump_dtb, boot.value().fdt); !r) {
            print_error(r.error().message);
            return kExitUsage;
        }
        return kExitOk;
    }
    auto spec = vmm::parse_serial_spec(opts.serial);
    if (!spec) {
        print_error(spec.error().message);
        return kExitUsage;
    }
    auto nic = vmm::parse_nic_spec(opts.nic);
    if (!nic) {
        print_error(nic.error().message);
        return kExitUsage;
    }
    auto rtc_base = opts.rtc_base ? kvm::Result<uint32_t>(*opts.rtc_base)
                                  : vmm::parse_rtc_base(opts.rtc, std::time(nullptr));
    if (!rtc_base) {
        print_error(rtc_base.error().message);
        return kExitUsage;
    }
    std::shared_ptr<vmm::record::Journal> journal = opts.journal;
    if (!opts.record.empty()) {
        auto j = start_recording(opts, rtc_base.value());
        if (!j) {
            print_error(j.error().message);
            return kExitUsage;
        }
        journal = j.value();
    }
    auto jit = jit_setting(opts);
    if (!jit) {
        print_error(jit.error().message);
        return kExitUsage;
    }
    // A replay's input comes from the recording: the console only shows.
    auto serial = opts.journal ? vmm::stdout_serial() : vmm::open_serial(spec.value(), vmm::stderr_log());
    if (!serial) {
        print_error(serial.error().message);
        return kExitUsage;
    }

    auto reverse = reverse_options(opts);
    if (!reverse) {
        print_error(reverse.error().message);
        return kExitUsage;
    }
    std::shared_ptr<vmm::reverse::HistorySerial> history_serial;
    if (opts.reverse) history_serial = std::make_shared<vmm::reverse::HistorySerial>(serial.value());

    const bool insns = std::find(opts.trace.begin(), opts.trace.end(), "insns") != opts.trace.end();
    auto trace = trace_sink(opts.trace_file, !insns);
    if (!trace) {
        print_error(trace.error().message);
        return kExitUsage;
    }

    vmm::MachineConfig config;
    config.ram_size = boot.value().ram_size;
    config.gic_version = opts.gic_version;
    config.cpu = cpu.value();
    config.reboot = !opts.no_reboot;
    config.serial = history_serial ? history_serial : serial.value();
    config.rtc_base = rtc_base.value();
    config.smp = opts.smp;
    if (opts.max_insns) config.max_insns = *opts.max_insns;
    for (const std::string& t : opts.trace) {
        config.trace_exits |= t == "exits";
        config.trace_insns |= t == "insns";
    }
    config.trace = trace.value();
    config.stats = opts.stats;
    config.jit = jit.value();
    cpu::set_jit_perf_map(opts.perf_map);
    // virtio devices in QEMU's transport order: the first at 0x0a003e00.
    for (const std::string& d : opts.disks) {
        auto disk = vmm::disk_device(d);
        if (!disk) {
            print_error(disk.error().message);
            return kExitUsage;
        }
        config.virtio.push_back(disk.value());
    }
    if (nic.value().user) config.virtio.push_back(nic_factory(nic.value(), journal));
    if (opts.rng)
        config.virtio.push_back([journal] {
            auto source = journal ? vmm::virtio::Rng::Source([journal](std::span<uint8_t> out) {
                journal->entropy(out);
            })
                                  : vmm::virtio::Rng::host_entropy();
            return std::unique_ptr<vmm::virtio::Device>(new vmm::virtio::Rng(source));
        });
    config.journal = journal;
    auto gic_trap = parse_gic_trap_classes(opts.gic_cpuif_trap);
    if (!gic_trap) {
        print_error(gic_trap.error().message);
        return kExitUsage;
    }
    std::optional<GdbRunOptions> gdb;
    if (!opts.gdb.empty()) {
        auto g = gdb_options(opts);
        if (!g) {
            print_error(g.error().message);
            return kExitUsage;
        }
        gdb = g.value();
    }
    auto machine = vmm::Machine::create(config, boot.value());
    if (!machine) {
        print_error(fmt::format("cannot build the machine: {}", machine.error().message));
        return kExitGuestStopped;
    }
    vmm::Machine& m = *machine.value();
    kvm::EnableCap cap;
    cap.cap = kvm::Cap::GicTrapClasses;
    cap.args[0] = gic_trap.value();
    kvm::EnableCap idle;
    idle.cap = kvm::Cap::IdleClock;
    idle.args[0] = uint64_t(idle_clock(opts));
    for (const auto& c : {cap, idle}) {
        if (auto r = m.vm().enable_cap(c); !r) {
            print_error(r.error().message);
            return kExitUsage;
        }
    }
    int status;
    if (gdb && opts.reverse) {
        history_serial->set_retired([&m] { return m.retired_insns(); });
        auto target = vmm::reverse::ReverseTarget::create(m, gdb->target, reverse.value(),
                                                          history_serial.get());
        if (!target) {
            print_error(fmt::format("--reverse: {}", target.error().message));
            return kExitGuestStopped;
        }
        status = run_with_gdb(*target.value(), *gdb);
    } else if (gdb) {
        vmm::GdbTarget target(m, gdb->target);
        status = run_with_gdb(target, *gdb);
    } else {
        vmm::StopInfo stop = m.run();
        if (journal) journal->finish(stop);
        if (stop.reason != vmm::StopReason::PoweredOff) print_error(stop.message);
        status = stop.exit_status();
    }
    if (opts.stats) fmt::print(stderr, "{}", m.stats_report());
    return status;
}

void add_run_options(CLI::App& sub, RunOptions& o) {
    RunOptions* opts = &o;
    sub.add_option("-m,--memory", opts->memory,
                   fmt::format("Guest RAM at {:#x}: a number with an optional suffix K, M or G "
                               "(case-insensitive; a plain number is MiB), {}; default 128M",
                               vmm::board::kRamBase, vmm::memory_size_range()))
        ->type_name("SIZE");
    sub.add_option("--initrd", opts->initrd,
                   "Initial ramdisk, loaded at RAM + min(RAM/2, 128M) (after the kernel if "
                   "higher) and named in /chosen, as QEMU's -initrd")
        ->type_name("FILE");
    sub.add_option("--append", opts->append, "Kernel command line: /chosen/bootargs")
        ->type_name("TEXT");
    sub.add_option("--dtb", opts->dtb,
                   "Use this device tree blob instead of the board's (checked; /chosen gets "
                   "--append and --initrd)")
        ->type_name("FILE");
    sub.add_option("--dump-dtb", opts->dump_dtb,
                   "Write the device tree blob the guest would get to FILE and exit without "
                   "running it")
        ->type_name("FILE");
    sub.add_option("--load-addr", opts->load_addr,
                   "Guest-physical address for a raw binary (decimal or 0x-hex); default RAM + "
                   "0x80000, as QEMU")
        ->type_name("ADDR");
    sub.add_option("--gic-version", opts->gic_version,
                   "GIC the board describes: 3 (arm,gic-v3) or 2 (arm,cortex-a15-gic, CPU "
                   "interface at 0x8010000); default 3")
        ->check(CLI::IsMember({2u, 3u}).description(""))
        ->type_name("2|3");
    sub.add_option("--cpu", opts->cpu,
                   "CPU model, as QEMU's -cpu: cortex-a53, cortex-a57 or cortex-a72 present the "
                   "ID registers and firmware (PSCI, SMCCC) a guest sees on QEMU 7.2 virt with "
                   "that model, less what stepvisor lacks (AArch32, PMU: "
                   "docs/architecture-choices.md); max (default) is everything stepvisor "
                   "implements, with KVM's firmware")
        ->type_name(vmm::cpu_model_names());
    sub.add_option("--serial", opts->serial,
                   "PL011 console: stdio (default; on a terminal input is raw, Ctrl-C goes to the "
                   "guest, Ctrl-A X quits with status 0, Ctrl-A H lists the escapes, Ctrl-A "
                   "Ctrl-A sends Ctrl-A), tcp:PORT (listen on 127.0.0.1:PORT and wait for a "
                   "client; 0 picks a port) or none")
        ->type_name("stdio|tcp:PORT|none");
    sub.add_option("--rtc", opts->rtc,
                   "Where the PL031 RTC's time starts, as QEMU's -rtc: base=utc (default: the "
                   "host's time at start), base=localtime, or base=YYYY-MM-DDTHH:MM:SS (or "
                   "YYYY-MM-DD, UTC) for reproducible dates. It then advances with guest virtual "
                   "time (the generic timer's counter), not the host's")
        ->type_name("base=utc|localtime|DATE");
    sub.add_option("--idle", opts->idle,
                   "When every vcpu waits (WFI) for a timer: sleep = wait on the host until it "
                   "is due, so an idle guest's clock keeps pace with the wall clock and costs no "
                   "CPU (QEMU's -icount sleep=on); warp = jump to it at once (runs end sooner; an "
                   "idle guest's clock runs ahead of the wall clock). Either way a run without "
                   "input executes the same instructions. Default: sleep when --serial stdio is "
                   "a terminal or a --nic is given, warp otherwise")
        ->check(CLI::IsMember({"sleep", "warp"}).description(""))
        ->type_name("sleep|warp");
    sub.add_option("--disk", opts->disks,
                   "A virtio-blk disk on a raw image file or block device, its capacity the "
                   "file's size; repeatable: the disks take QEMU virt's transports in command-line "
                   "order, as -device does (Linux names the last one vda). The image is locked "
                   "as QEMU locks images: one another process (QEMU or stepvisor) uses is refused "
                   "(status 2), except that readonly=on users share it. snapshot=on, as QEMU's: "
                   "the file is opened read-only and the guest's writes stay in memory until "
                   "the run ends")
        ->type_name("FILE[,readonly=on|off][,snapshot=on|off]");
    sub.add_option("--nic", opts->nic,
                   "Network card, as QEMU's -nic: none (default: no card, where QEMU's virt has "
                   "one) or user = a virtio-net card (MAC 52:54:00:12:34:56) on QEMU's user-mode "
                   "network (libslirp): the guest gets 10.0.2.15 by DHCP, 10.0.2.2 reaches the "
                   "host's 127.0.0.1, DNS at 10.0.2.3; IPv6 on fec0::/64. hostfwd=[tcp|udp]:[HOSTADDR]:HOSTPORT-"
                   "[GUESTADDR]:GUESTPORT (repeatable) forwards a host port to the guest; "
                   "HOSTADDR defaults to 127.0.0.1 (QEMU binds every address), GUESTADDR to "
                   "10.0.2.15")
        ->type_name("none|user[,hostfwd=RULE]...");
    sub.add_flag("--rng", opts->rng,
                 "A virtio-rng entropy device fed by the host's getrandom (QEMU's -device "
                 "virtio-rng-device)");
    sub.add_option("--jit", opts->jit,
                   "How guest instructions run: on = translated to x86-64 code in blocks (the "
                   "translation tier), off = the interpreter. The guest, a debugger, --trace and "
                   "--stats' exit counts see the same either way. Default: on where the host "
                   "is x86-64; off elsewhere, where on is refused (status 2)")
        ->check(CLI::IsMember({"on", "off"}).description(""))
        ->type_name("on|off");
    sub.add_flag("--perf-map", opts->perf_map,
                 "Name every block of generated code (--jit on) in /tmp/perf-PID.map, perf's "
                 "map for JIT code, so `perf report` attributes samples in it to guest blocks");
    sub.add_flag("--no-reboot", opts->no_reboot,
                 "Exit (status 0) when the guest requests a reset instead of rebooting it");
    sub.add_option("--smp", opts->smp,
                   "Number of vcpus, 1 to 8; default 1. vcpu 0 boots the image, the others wait "
                   "powered off for PSCI CPU_ON (MPIDR Aff0 = index); all run round-robin in one "
                   "thread, so runs are reproducible")
        ->check(CLI::Range(1u, 8u).description(""))
        ->type_name("N");
    sub.add_option("--trace", opts->trace,
                   "On stderr (or --trace-file): exits = one line per guest exit (vcpu, exception "
                   "class, decoded syndrome, PC, instruction, who handled it, host ns); insns = one "
                   "line per instruction (vcpu, PC, instruction, changed registers; slow). "
                   "Repeat or comma-separate for both")
        ->delimiter(',')
        ->check(CLI::IsMember({"exits", "insns"}).description(""))
        ->type_name("exits|insns");
    sub.add_option("--trace-file", opts->trace_file, "Write --trace lines to FILE instead of stderr")
        ->type_name("FILE");
    sub.add_flag("--stats", opts->stats,
                 "At the end, print on stderr a table of exits per exception class and per "
                 "handler: count, share, host time total/min/max/avg (as perf kvm stat report), "
                 "then the instructions the vcpus retired and the share of them retired in "
                 "generated code (--jit)");
    sub.add_option("--max-insns", opts->max_insns,
                   "Stop the guest (status 1, \"stopped after N instructions\") once the vcpus "
                   "together have retired exactly N instructions")
        ->check([](const std::string& text) -> std::string {
            const auto n = parse_address(text);
            if (text.starts_with("0") || !n) return fmt::format("'{}' is not a count of 1 or more", text);
            return {};
        })
        ->type_name("N");
    auto* gdb = sub.add_option("--gdb", opts->gdb,
                   "Serve the GDB remote protocol on [HOST:]PORT (host 127.0.0.1 unless given; "
                   "PORT 0 picks a free port; the address is printed on stderr as \"gdb: "
                   "listening on HOST:PORT\"). One gdb at a time, any number in turn: a gdb "
                   "that connects stops the guest; after detach or a disconnect the guest runs "
                   "on and the port takes the next gdb; a second client meanwhile is refused. "
                   "vcpus are gdb threads 1..N, all-stop. gdb's kill ends stepvisor with status 1")
        ->type_name("[HOST:]PORT");
    sub.add_flag("--wait-gdb", opts->wait_gdb,
                 "With --gdb: hold the guest at its first instruction until a gdb connects and "
                 "resumes it. Without it the guest runs and stops where it is when gdb connects")
        ->needs(gdb);
    auto* reverse = sub.add_flag("--reverse", opts->reverse,
                 "With --gdb: keep the execution history, so gdb's reverse-stepi, reverse-step, "
                 "reverse-next, reverse-finish and reverse-continue go back in it exactly "
                 "(docs/reverse.md); `monitor icount`, `monitor goto N`, `monitor history`. One "
                 "vcpu, no virtio devices and no serial input so far (a replay under --reverse "
                 "has its recorded input, disks and entropy: docs/recording.md)")
        ->needs(gdb);
    sub.add_option("--reverse-memory", opts->reverse_memory,
                   "With --reverse: the most memory the history's checkpoints may hold (as -m's "
                   "SIZE; default 2G); the oldest history is dropped first")
        ->needs(reverse)
        ->type_name("SIZE");
    sub.add_option("--reverse-interval", opts->reverse_interval,
                   "With --reverse: a checkpoint every N instructions the guest retires live "
                   "(default: one when 200 ms of host time went by, looked at every 2^24 "
                   "instructions)")
        ->needs(reverse)
        ->check([](const std::string& text) -> std::string {
            const auto n = parse_address(text);
            if (text.starts_with("0") || !n) return fmt::format("'{}' is not a count of 1 or more", text);
            return {};
        })
        ->type_name("N");
    sub.add_option("--record", opts->record,
                   "Record the run into FILE: the options, the images' hashes, the RTC base, "
                   "serial input, entropy and packets, each at the instruction where the guest took it, "
                   "and hashes of the machine state; `stepvisor replay FILE` runs it again "
                   "exactly (docs/recording.md). Disks need snapshot=on or readonly=on; no --gdb "
                   "so far")
        ->type_name("FILE");
    sub.add_option("--step-strategy", opts->step_strategy,
                   "How a debugger's single step ends on an instruction the hypervisor emulates "
                   "(DESIGN.md, the single-step contract): state-machine (default), exit, or "
                   "legacy (the 2017 double-step bug, for comparison)")
        ->check(CLI::IsMember({"state-machine", "exit", "legacy"}).description(""))
        ->type_name("state-machine|exit|legacy");
    sub.add_option("--step-irq", opts->step_irq,
                   "Interrupts while gdb steps: mask (default; the step runs the next "
                   "instruction, interrupts stay pending) or enter (the step may end on the "
                   "interrupt's vector)")
        ->check(CLI::IsMember({"mask", "enter"}).description(""))
        ->type_name("mask|enter");
    sub.add_option("--gic-cpuif-trap", opts->gic_cpuif_trap,
                   "GICv3 CPU interface register classes that trap to the hypervisor, a comma "
                   "list of group0, group1, common (as Linux's kvm-arm.vgic_v3_*_trap); empty "
                   "(default) = none")
        ->type_name("CLASSES");
    sub.add_option("IMAGE", opts->image,
                   "Guest image: an AArch64 ELF executable (loaded by physical address, x0 = 0, "
                   "device tree at the start of RAM), a Linux arm64 Image (placed at RAM + "
                   "text_offset, x0 = device tree) or any other file as a raw binary (at "
                   "--load-addr, x0 = device tree). A gzip'd file (Ubuntu's vmlinuz) is inflated "
                   "first, as QEMU's -kernel does; a kernel for x86, arm32 or RISC-V is refused")
        ->required()
        ->type_name("");
    sub.footer(
        "The board is QEMU virt (PL011 at 0x9000000, PL031 RTC at 0x9010000, GIC at "
        "0x8000000, PSCI over HVC); the boot vcpu starts at the image's entry in EL1h with DAIF "
        "masked.\n"
        "A guest reset request reloads the images and restarts the vcpus, as QEMU does.\n"
        "Exit status: 0 after the guest powers off (PSCI SYSTEM_OFF), requests a reset under "
        "--no-reboot or Ctrl-A X quits, 1 when the VMM had to stop the guest (--max-insns "
        "included) or gdb killed it, 2 on bad usage or bad input.");
}

CommandHandler setup_run(CLI::App& sub) {
    auto opts = std::make_shared<RunOptions>();
    add_run_options(sub, *opts);
    return [opts] { return run_guest(*opts); };
}

}  // namespace cli
