#include "cli/record_setup.h"

#include <filesystem>

#include <fmt/format.h>

#include "vmm/disk_spec.h"

namespace cli {

namespace {

// The run's arguments without --record FILE (or --record=FILE).
std::vector<std::string> recorded_args() {
    std::vector<std::string> out;
    const auto& args = command_args();
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--record") {
            ++i;
            continue;
        }
        if (args[i].starts_with("--record=")) continue;
        out.push_back(args[i]);
    }
    return out;
}

kvm::Result<void> check_recordable(const RunOptions& opts) {
    if (!opts.gdb.empty())
        return kvm::Error{"--record runs without --gdb so far: record the run, then debug it with "
                          "`stepvisor replay FILE --gdb PORT`"};
    for (const std::string& text : opts.disks) {
        auto d = vmm::parse_disk_spec(text);
        if (!d) return d.error();
        if (!d.value().readonly && !d.value().snapshot)
            return kvm::Error{fmt::format("--record: --disk '{}' would change the image a replay "
                                          "needs as it was: add snapshot=on (writes stay in "
                                          "memory) or readonly=on",
                                          text)};
    }
    return {};
}

}  // namespace

std::vector<std::pair<std::string, std::string>> run_images(const RunOptions& opts) {
    std::vector<std::pair<std::string, std::string>> out{{"image", opts.image}};
    if (!opts.initrd.empty()) out.emplace_back("initrd", opts.initrd);
    if (!opts.dtb.empty()) out.emplace_back("dtb", opts.dtb);
    for (size_t i = 0; i < opts.disks.size(); ++i) {
        auto d = vmm::parse_disk_spec(opts.disks[i]);
        if (d) out.emplace_back(fmt::format("disk{}", i), d.value().path);
    }
    return out;
}

kvm::Result<std::shared_ptr<vmm::record::Journal>> start_recording(const RunOptions& opts,
                                                                   uint32_t rtc_base) {
    namespace rec = vmm::record;
    if (auto r = check_recordable(opts); !r) return r.error();
    auto w = rec::RecordingWriter::create(opts.record);
    if (!w) return w.error();
    rec::Header h;
    h.stepvisor = STEPVISOR_VERSION;
    h.args = recorded_args();
    h.rtc_base = rtc_base;
    if (auto r = w.value().header(h); !r) return r.error();
    for (const auto& [role, path] : run_images(opts)) {
        rec::Image im;
        im.role = role;
        std::error_code ec;
        im.path = std::filesystem::absolute(path, ec).lexically_normal().string();
        if (ec) im.path = path;
        auto hash = rec::hash_file(path, im.size);
        if (!hash) return hash.error();
        im.hash = hash.value();
        if (auto r = w.value().image(im); !r) return r.error();
    }
    return rec::Journal::recorder(std::move(w.value()));
}

}  // namespace cli
