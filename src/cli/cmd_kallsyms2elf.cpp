// `stepvisor kallsyms2elf LISTING -o FILE`: a kernel's kallsyms listing into
// an ELF symbol file gdb loads with add-symbol-file (symbols/symbol_elf.h).
// Debian's System.map is a placeholder and its vmlinux comes only with the
// 1.4 GB -dbg package; /proc/kallsyms is on every running kernel. A
// subcommand rather than a script: it is the user's tool beside `run`, tested
// with it, and needs nothing but the stepvisor binary.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/commands.h"
#include "symbols/kallsyms.h"
#include "symbols/symbol_elf.h"
#include "vmm/elf_loader.h"

namespace cli {

namespace {

struct Kallsyms2ElfOptions {
    std::string listing;
    std::string output;
};

kvm::Result<std::string> read_listing(const std::string& path) {
    if (path == "-") return std::string(std::istreambuf_iterator<char>(std::cin), {});
    auto bytes = vmm::read_file(path);
    if (!bytes) return bytes.error();
    return std::string(bytes.value().begin(), bytes.value().end());
}

int kallsyms2elf(const Kallsyms2ElfOptions& opts) {
    auto text = read_listing(opts.listing);
    if (!text) {
        print_error(text.error().message);
        return kExitUsage;
    }
    const std::string source = opts.listing == "-" ? "stdin" : opts.listing;
    auto syms = symbols::parse_kallsyms(text.value(), source);
    if (!syms) {
        print_error(syms.error().message);
        return kExitUsage;
    }
    auto elf = symbols::symbol_elf(syms.value());
    if (!elf) {
        print_error(fmt::format("{}: {}", source, elf.error().message));
        return kExitUsage;
    }
    if (auto r = write_output("-o", opts.output, elf.value()); !r) {
        print_error(r.error().message);
        return kExitUsage;
    }
    fmt::print("{}: {} symbols; in gdb: add-symbol-file {}\n", opts.output, syms.value().size(),
               opts.output);
    return kExitOk;
}

}  // namespace

CommandHandler setup_kallsyms2elf(CLI::App& sub) {
    auto opts = std::make_shared<Kallsyms2ElfOptions>();
    sub.add_option("LISTING", opts->listing,
                   "A kernel's /proc/kallsyms as text (\"ADDRESS TYPE NAME [[MODULE]]\" lines; "
                   "read as root with kernel.kptr_restrict at 0 or 1, or the addresses are 0), or "
                   "- for stdin")
        ->required()
        ->type_name("");
    sub.add_option("-o,--output", opts->output,
                   "The ELF symbol file to write: AArch64, no contents, an address-only section "
                   "per run of text (executable), read-only, data or BSS symbols and per module; "
                   "t/T are functions, d/D/b/B/r/R objects, sized up to the next symbol")
        ->required()
        ->type_name("FILE");
    sub.footer(
        "gdb-multiarch loads the file with `add-symbol-file FILE` (or `symbol-file FILE`); then "
        "`break FUNCTION`, `info symbol ADDRESS` and `bt` name kernel functions. With KASLR the "
        "listing holds the addresses of the boot it was read from (boot with nokaslr to reuse "
        "it).\nExit status: 0 written, 2 on bad usage or bad input.");
    return [opts] { return kallsyms2elf(*opts); };
}

}  // namespace cli
