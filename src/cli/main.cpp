// stepvisor's entry point: parses the command line with CLI11 and dispatches
// to the subcommand table (commands.h).
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"

namespace cli {

namespace {

constexpr Command kCommands[] = {
    {"run", "Run an AArch64 guest (ELF, Linux Image or raw binary) on the QEMU virt board",
     setup_run},
    {"replay", "Run a recording (run --record FILE) again exactly, with or without gdb", setup_replay},
    {"kallsyms2elf", "Turn a kernel's kallsyms listing into an ELF symbol file for gdb",
     setup_kallsyms2elf},
};

std::vector<std::string> g_command_args;

}  // namespace

std::span<const Command> commands() { return kCommands; }

const std::vector<std::string>& command_args() { return g_command_args; }
void set_command_args(std::vector<std::string> args) { g_command_args = std::move(args); }

void print_error(std::string_view message) {
    std::fflush(stdout);
    fmt::print(stderr, "stepvisor: {}\n", message);
}

kvm::Result<void> write_output(std::string_view option, const std::string& path,
                               const std::vector<uint8_t>& bytes) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return kvm::Error{fmt::format("{} {}: cannot create: {}", option, path, std::strerror(errno))};
    bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
    ok = std::fclose(f) == 0 && ok;
    if (!ok) return kvm::Error{fmt::format("{} {}: cannot write: {}", option, path, std::strerror(errno))};
    return {};
}

}  // namespace cli

namespace {

// "run, ..." for messages that list the commands.
std::string command_names() {
    std::string names;
    for (const cli::Command& c : cli::commands())
        names += fmt::format("{}{}", names.empty() ? "" : ", ", c.name);
    return names;
}

int run_cli(int argc, char** argv) {
    CLI::App app{"stepvisor: an AArch64 virtualization stack whose single-step never lies.",
                 "stepvisor"};
    app.set_version_flag("--version", "stepvisor " STEPVISOR_VERSION, "Print the version and exit");
    // No require_subcommand(): its error would hide an unknown option.
    app.footer("Run 'stepvisor COMMAND --help' for a command's options.");

    std::vector<std::pair<CLI::App*, cli::CommandHandler>> handlers;
    for (const cli::Command& c : cli::commands()) {
        CLI::App* sub = app.add_subcommand(std::string(c.name), std::string(c.help));
        handlers.emplace_back(sub, c.setup(*sub));
    }

    // CLI11 would only say "A subcommand is required"; name the word instead.
    if (argc > 1 && argv[1][0] != '-') {
        std::string_view word = argv[1];
        bool known = false;
        for (const cli::Command& c : cli::commands()) known = known || c.name == word;
        if (!known) {
            cli::print_error(fmt::format("unknown command '{}' (commands: {}; run 'stepvisor "
                                         "--help' for usage)",
                                         word, command_names()));
            return cli::kExitUsage;
        }
    }

    if (argc > 1) cli::set_command_args({argv + 2, argv + argc});
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);  // prints the selected (sub)command's help to stdout
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        // CLI11's own text names the offending argument; keep it to one line.
        std::string what = e.what();
        for (char& ch : what)
            if (ch == '\n') ch = ' ';
        cli::print_error(fmt::format("{} (run 'stepvisor --help' for usage)", what));
        return cli::kExitUsage;
    }
    for (auto& [sub, handler] : handlers)
        if (sub->parsed()) return handler();
    cli::print_error(fmt::format("no command given (commands: {}; run 'stepvisor --help' for usage)",
                                 command_names()));
    return cli::kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
    // Host input never aborts the process: anything thrown is one line and
    // a failure status.
    try {
        return run_cli(argc, argv);
    } catch (const std::bad_alloc&) {
        cli::print_error("out of memory");
    } catch (const std::exception& e) {
        cli::print_error(fmt::format("internal error: {}", e.what()));
    }
    return cli::kExitGuestStopped;
}
