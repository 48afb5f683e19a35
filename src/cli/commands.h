// The subcommands of `stepvisor`, as a table (after kvmtool's kvm-cmd.c):
// each row names a command, its one-line help, and the function that adds
// its options to the CLI11 subcommand. One file per command.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "kvm/result.h"

namespace cli {

// Runs a parsed command; returns the process exit status (0 success, 1 the
// VMM had to stop the guest, 2 bad usage or bad input).
using CommandHandler = std::function<int()>;

struct Command {
    std::string_view name;
    std::string_view help;
    // Registers the options on sub; the handler reads them once parsed.
    CommandHandler (*setup)(CLI::App& sub);
};

std::span<const Command> commands();

// Exit statuses shared by all commands.
inline constexpr int kExitOk = 0;
inline constexpr int kExitGuestStopped = 1;
inline constexpr int kExitUsage = 2;

// Prints "stepvisor: <message>" as one line on stderr.
void print_error(std::string_view message);

// Writes bytes to path, replacing it; errors name the option that gave the
// path ("--dump-dtb FILE: cannot create: ...").
kvm::Result<void> write_output(std::string_view option, const std::string& path,
                               const std::vector<uint8_t>& bytes);

// main.cpp: the arguments after the command's name (run --record keeps them).
void set_command_args(std::vector<std::string> args);

// cmd_run.cpp
CommandHandler setup_run(CLI::App& sub);
// cmd_replay.cpp
CommandHandler setup_replay(CLI::App& sub);
// cmd_kallsyms2elf.cpp
CommandHandler setup_kallsyms2elf(CLI::App& sub);

}  // namespace cli
