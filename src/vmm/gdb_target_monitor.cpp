// GdbTarget: `monitor …` (qRcmd), a table of commands.
#include <fmt/format.h>

#include "vmm/gdb_target.h"

namespace vmm {

namespace {

struct StrategyName {
    kvm::StepStrategy strategy;
    const char* name;
};
constexpr StrategyName kStrategies[] = {
    {kvm::StepStrategy::StateMachine, "state-machine"},
    {kvm::StepStrategy::Exit, "exit"},
    {kvm::StepStrategy::Legacy, "legacy"},
};

const char* strategy_name(kvm::StepStrategy s) {
    for (const StrategyName& n : kStrategies)
        if (n.strategy == s) return n.name;
    return "?";
}

// "word rest" -> {"word", "rest"} with the spaces between dropped.
std::pair<std::string_view, std::string_view> split(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    const size_t sp = s.find(' ');
    if (sp == std::string_view::npos) return {s, {}};
    std::string_view rest = s.substr(sp);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    while (!rest.empty() && rest.back() == ' ') rest.remove_suffix(1);
    return {s.substr(0, sp), rest};
}

}  // namespace

std::string GdbTarget::monitor_help() const {
    return "stepvisor monitor commands:\n"
           "  help                                   this text\n"
           "  step-strategy [state-machine|exit|legacy]  show or set how steps end on trapped "
           "instructions\n"
           "  step-irq [mask|enter]                  show or set interrupts while stepping\n"
           "  memory [physical|virtual]              show or set how gdb's addresses are read\n"
           "  trace on|off                           exit trace lines to the --trace sink\n"
           "  stats                                  the exit statistics (needs --stats)\n"
           "  catch exception [off]                  stop after every exception the guest takes "
           "(to its EL1, or a trap to the hypervisor)\n"
           "  last-exception                         what the last catch stop caught\n";
}

std::string GdbTarget::monitor_step_strategy(std::string_view arg) {
    if (arg.empty()) return fmt::format("step-strategy {}\n", strategy_name(opts_.step_strategy));
    for (const StrategyName& n : kStrategies) {
        if (arg != n.name) continue;
        kvm::EnableCap cap;
        cap.cap = kvm::Cap::StepStrategy;
        cap.args[0] = uint64_t(n.strategy);
        if (auto r = machine_.vm().enable_cap(cap); !r) return r.error().message + "\n";
        opts_.step_strategy = n.strategy;
        return fmt::format("step-strategy {}\n", n.name);
    }
    return fmt::format("unknown step strategy '{}' (state-machine, exit or legacy)\n", arg);
}

std::string GdbTarget::monitor_step_irq(std::string_view arg) {
    if (arg == "mask" || arg == "enter") opts_.step_irq_enter = arg == "enter";
    else if (!arg.empty()) return fmt::format("unknown step-irq policy '{}' (mask or enter)\n", arg);
    return fmt::format("step-irq {}\n", opts_.step_irq_enter ? "enter" : "mask");
}

std::string GdbTarget::monitor_memory(std::string_view arg) {
    if (arg == "physical" || arg == "virtual") physical_ = arg == "physical";
    else if (!arg.empty()) return fmt::format("unknown memory mode '{}' (physical or virtual)\n", arg);
    return fmt::format("memory {}\n", physical_ ? "physical" : "virtual");
}

// `catch exception` stops after every exception the guest takes: entries
// to its EL1 and traps the hypervisor handled (kCatchExceptions).
std::string GdbTarget::monitor_catch(std::string_view arg) {
    if (arg == "exception") catch_ = true;
    else if (arg == "exception off") catch_ = false;
    else return "usage: monitor catch exception [off]\n";
    return fmt::format("catch exception {}\n", catch_ ? "on" : "off");
}

std::optional<std::string> GdbTarget::monitor(std::string_view command) {
    auto [word, arg] = split(command);
    if (word.empty() || word == "help") return monitor_help();
    if (word == "step-strategy") return monitor_step_strategy(arg);
    if (word == "step-irq") return monitor_step_irq(arg);
    if (word == "memory") return monitor_memory(arg);
    if (word == "catch") return monitor_catch(arg);
    if (word == "last-exception")
        return last_exception_.empty() ? std::string("no exception caught\n") : last_exception_;
    if (word == "trace") {
        if (arg != "on" && arg != "off") return std::string("usage: monitor trace on|off\n");
        machine_.set_trace_exits(arg == "on");
        return fmt::format("trace {}\n", arg);
    }
    if (word == "stats") {
        std::string report = machine_.stats_report();
        return report.empty() ? std::string("no statistics: run stepvisor with --stats\n")
                              : report;
    }
    return fmt::format("unknown monitor command '{}'; try 'monitor help'\n", word);
}

}  // namespace vmm
