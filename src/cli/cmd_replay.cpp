// `stepvisor replay FILE`: runs a recording (run --record FILE) again with
// the recorded options and input, finding the images at their recorded
// paths or those given, and checking them against the recorded hashes
// before anything runs (docs/recording.md).
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cstdio>
#include <map>
#include <memory>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/record_setup.h"
#include "cli/run_options.h"
#include "vmm/record/journal.h"
#include "vmm/record/recording.h"

namespace cli {

namespace {

struct ReplayOptions {
    std::string file;
    std::string gdb;
    bool wait_gdb = false;
    bool reverse = false;
    std::string reverse_memory;
    std::optional<uint64_t> reverse_interval;
    std::string step_irq, step_strategy;
    std::vector<std::string> trace;
    std::string trace_file;
    bool stats = false;
    std::string jit;
    std::map<std::string, std::string> paths;  // role -> path given
};

kvm::Result<std::vector<uint8_t>> read_file(const std::string& path) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), std::fclose);
    std::vector<uint8_t> bytes;
    uint8_t buf[65536];
    size_t n = 0;
    while (f && (n = std::fread(buf, 1, sizeof buf, f.get())) > 0) bytes.insert(bytes.end(), buf, buf + n);
    // A directory opens, and fails at the first read (EISDIR).
    if (!f || std::ferror(f.get()))
        return kvm::Error{fmt::format("{}: cannot read: {}", path, std::strerror(errno))};
    return bytes;
}

// The recorded arguments, parsed as `run` parses them.
kvm::Result<void> parse_recorded_args(const std::vector<std::string>& args, RunOptions& opts) {
    CLI::App app;
    add_run_options(app, opts);
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    try {
        app.parse(reversed);
    } catch (const CLI::ParseError& e) {
        return kvm::Error{fmt::format("its options do not parse: {}", e.what())};
    }
    return {};
}

// Each recorded image at its path (or the one given), as it was.
kvm::Result<void> find_images(const vmm::record::Recording& rec, const ReplayOptions& r,
                              RunOptions& opts) {
    const auto given_roles = run_images(opts);
    for (const auto& [role, path] : r.paths)
        if (std::none_of(rec.images.begin(), rec.images.end(), [&](auto& im) { return im.role == role; }))
            return kvm::Error{fmt::format("--{} {}: the recording has no {}", role.starts_with("disk") ? "disk" : role, path, role)};
    for (const vmm::record::Image& im : rec.images) {
        const auto it = r.paths.find(im.role);
        const std::string path = it != r.paths.end() ? it->second : im.path;
        uint64_t size = 0;
        auto hash = vmm::record::hash_file(path, size);
        if (!hash) return kvm::Error{fmt::format("the recording's {}: {}", im.role, hash.error().message)};
        if (hash.value() != im.hash || size != im.size)
            return kvm::Error{fmt::format("the recording's {} {} is not the one recorded ({} bytes, "
                                          "hash {:016x}; recorded {} bytes, hash {:016x})",
                                          im.role, path, size, hash.value(), im.size, im.hash)};
        if (im.role == "image") opts.image = path;
        else if (im.role == "initrd") opts.initrd = path;
        else if (im.role == "dtb") opts.dtb = path;
        else if (im.role.starts_with("disk")) {
            const size_t k = std::stoul(im.role.substr(4));
            if (k >= opts.disks.size()) return kvm::Error{fmt::format("its {} has no --disk", im.role)};
            const size_t comma = opts.disks[k].find(',');
            opts.disks[k] = path + (comma == std::string::npos ? "" : opts.disks[k].substr(comma));
        }
    }
    if (given_roles.size() != rec.images.size())
        return kvm::Error{fmt::format("its options name {} images, its image records {}",
                                      given_roles.size(), rec.images.size())};
    return {};
}

int replay(const ReplayOptions& r) {
    auto bytes = read_file(r.file);
    if (!bytes) {
        print_error(bytes.error().message);
        return kExitUsage;
    }
    auto rec = vmm::record::parse_recording(bytes.value());
    if (!rec) {
        print_error(fmt::format("{}: {}", r.file, rec.error().message));
        return kExitUsage;
    }
    RunOptions opts;
    auto fail = [&](const kvm::Error& e) {
        print_error(fmt::format("{}: {}", r.file, e.message));
        return kExitUsage;
    };
    if (auto p = parse_recorded_args(rec.value().header.args, opts); !p) return fail(p.error());
    if (auto f = find_images(rec.value(), r, opts); !f) return fail(f.error());
    if (rec.value().header.stepvisor != STEPVISOR_VERSION)
        fmt::print(stderr, "stepvisor: note: {} was recorded by stepvisor {}, this is {}\n", r.file,
                   rec.value().header.stepvisor, STEPVISOR_VERSION);
    // What is the replay's own: the debugger, tracing, the tier.
    opts.gdb = r.gdb;
    opts.wait_gdb = r.wait_gdb;
    opts.reverse = r.reverse;
    opts.reverse_memory = r.reverse_memory;
    opts.reverse_interval = r.reverse_interval;
    if (!r.step_irq.empty()) opts.step_irq = r.step_irq;
    if (!r.step_strategy.empty()) opts.step_strategy = r.step_strategy;
    opts.trace = r.trace;
    opts.trace_file = r.trace_file;
    opts.stats = r.stats;
    if (!r.jit.empty()) opts.jit = r.jit;
    opts.serial = "stdio";
    opts.rtc_base = rec.value().header.rtc_base;
    opts.journal = vmm::record::Journal::replayer(std::move(rec.value()));
    return run_guest(opts);
}

}  // namespace

CommandHandler setup_replay(CLI::App& sub) {
    auto r = std::make_shared<ReplayOptions>();
    sub.add_option("FILE", r->file, "A recording written by `stepvisor run --record FILE`")
        ->required()
        ->type_name("");
    for (const char* role : {"image", "initrd", "dtb"})
        sub.add_option_function<std::string>(
               fmt::format("--{}", role), [r, role](const std::string& p) { r->paths[role] = p; },
               fmt::format("Read the recording's {} from FILE instead of its recorded path (it must "
                           "be the same bytes)",
                           role == std::string("image") ? "guest image" : role))
            ->type_name("FILE");
    sub.add_option_function<std::vector<std::string>>(
           "--disk",
           [r](const std::vector<std::string>& ps) {
               for (size_t i = 0; i < ps.size(); ++i) r->paths[fmt::format("disk{}", i)] = ps[i];
           },
           "The recording's disks from these files, in order, instead of their recorded paths "
           "(the same bytes; a replay writes to memory, never to the file)")
        ->type_name("FILE");
    auto* gdb = sub.add_option("--gdb", r->gdb, "Serve gdb on [HOST:]PORT, as `run --gdb`")
                    ->type_name("[HOST:]PORT");
    sub.add_flag("--wait-gdb", r->wait_gdb, "Hold the guest at its first instruction until gdb resumes it")
        ->needs(gdb);
    auto* rev = sub.add_flag("--reverse", r->reverse,
                             "With --gdb: keep the execution history, as `run --reverse`")
                    ->needs(gdb);
    sub.add_option("--reverse-memory", r->reverse_memory, "As `run --reverse-memory`")
        ->needs(rev)
        ->type_name("SIZE");
    sub.add_option("--reverse-interval", r->reverse_interval, "As `run --reverse-interval`")
        ->needs(rev)
        ->type_name("N");
    sub.add_option("--step-irq", r->step_irq, "As `run --step-irq`")
        ->check(CLI::IsMember({"mask", "enter"}).description(""))
        ->type_name("mask|enter");
    sub.add_option("--step-strategy", r->step_strategy, "As `run --step-strategy`")
        ->check(CLI::IsMember({"state-machine", "exit", "legacy"}).description(""))
        ->type_name("state-machine|exit|legacy");
    sub.add_option("--trace", r->trace, "As `run --trace`")
        ->delimiter(',')
        ->check(CLI::IsMember({"exits", "insns"}).description(""))
        ->type_name("exits|insns");
    sub.add_option("--trace-file", r->trace_file, "As `run --trace-file`")->type_name("FILE");
    sub.add_flag("--stats", r->stats, "As `run --stats`");
    sub.add_option("--jit", r->jit, "As `run --jit` (a replay runs the same either way)")
        ->check(CLI::IsMember({"on", "off"}).description(""))
        ->type_name("on|off");
    sub.footer(
        "The guest runs with the recorded options, RTC base, serial input, entropy and packets "
        "(no network), each at the instruction where the recording took it; its serial output "
        "goes to stdout. The machine state is checked against the recording's hashes as it "
        "goes, and at the end: the first difference stops the replay with a message naming it "
        "(status 1).\n"
        "Exit status: as `run` for the replayed guest; 1 when the replay diverged; 2 when the "
        "file is not a readable recording, or an image differs from the recorded one.");
    return [r] { return replay(*r); };
}

}  // namespace cli
