#include "vmm/exit_stats.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "arch/esr.h"

namespace vmm {

void ExitStats::Row::add(uint64_t ns) {
    ++samples;
    total_ns += ns;
    min_ns = std::min(min_ns, ns);
    max_ns = std::max(max_ns, ns);
}

void ExitStats::add(const hyp::ExitEvent& e) {
    const std::string cls = e.handled_by == hyp::ExitHandledBy::Host
                                ? std::string("IRQ")
                                : std::string(arch::ec_name(arch::EC(e.ec)));
    by_class_[cls].add(e.ns);
    by_handler_[hyp::exit_handled_by_name(e.handled_by)].add(e.ns);
    ++exits_;
    total_ns_ += e.ns;
}

namespace {
double pct(uint64_t part, uint64_t whole) {
    return whole ? 100.0 * double(part) / double(whole) : 0.0;
}
}  // namespace

std::string ExitStats::table(const char* title, const std::map<std::string, Row>& rows) const {
    std::vector<std::pair<std::string, Row>> sorted(rows.begin(), rows.end());
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.second.samples > b.second.samples; });
    std::string out = fmt::format("{:>14} {:>10} {:>9} {:>8} {:>12} {:>10} {:>10} {:>10}\n",
                                  title, "Samples", "Samples%", "Time%", "Total time",
                                  "Min Time", "Max Time", "Avg time");
    for (const auto& [name, r] : sorted)
        out += fmt::format("{:>14} {:>10} {:>8.2f}% {:>7.2f}% {:>10}ns {:>8}ns {:>8}ns {:>8}ns\n",
                           name, r.samples, pct(r.samples, exits_), pct(r.total_ns, total_ns_),
                           r.total_ns, r.min_ns, r.max_ns, r.total_ns / r.samples);
    return out;
}

std::string ExitStats::report(uint64_t retired_insns, uint64_t retired_jit_insns) const {
    std::string out = "\nAnalyze events for all VCPUs:\n\n";
    out += table("VM-EXIT", by_class_);
    out += "\n";
    out += table("HANDLED-BY", by_handler_);
    out += fmt::format("\nTotal Samples:{}, Total events handled time:{}ns, instructions "
                       "retired:{}\n",
                       exits_, total_ns_, retired_insns);
    out += fmt::format("generated code: {:.1f}% of {} instructions\n",
                       pct(retired_jit_insns, retired_insns), retired_insns);
    return out;
}

}  // namespace vmm
