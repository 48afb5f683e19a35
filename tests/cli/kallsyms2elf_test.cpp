// `stepvisor kallsyms2elf` end to end: a listing (file or stdin) into the
// ELF symbol file, and bad input as one line with exit status 2.
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "tests/shell.h"

namespace {

using stepvisor::test::shell;

// The command's stdout and stderr, then "rc=N".
std::string kallsyms2elf(const std::string& args) {
    return shell(std::string("sh -c '") + STEPVISOR_BINARY + " kallsyms2elf " + args + "; echo rc=$?'");
}

struct Paths {
    std::string dir = "/tmp/stepvisor-k2e-" + std::to_string(getpid());
    std::string listing = dir + "/kallsyms.txt";
    std::string elf = dir + "/kernel.syms";
    explicit Paths(const std::string& text) {
        shell("mkdir -p " + dir);
        std::ofstream(listing) << text;
    }
    ~Paths() { shell("rm -rf " + dir); }
};

TEST(CliKallsyms2Elf, WritesTheSymbolFileFromAFileOrStdin) {
    Paths p("ffff800008010000 T _stext\nffff800008010100 t pl011_console_putchar\n");
    EXPECT_EQ(kallsyms2elf(p.listing + " -o " + p.elf),
              p.elf + ": 2 symbols; in gdb: add-symbol-file " + p.elf + "\nrc=0\n");
    EXPECT_EQ(shell("head -c 4 " + p.elf), "\x7f" "ELF");
    EXPECT_EQ(kallsyms2elf("- -o " + p.elf + " < " + p.listing),
              p.elf + ": 2 symbols; in gdb: add-symbol-file " + p.elf + "\nrc=0\n");
}

TEST(CliKallsyms2Elf, BadInputIsOneLineAndStatus2) {
    Paths p("ffff800008010000 T _stext\nnot a symbol line at all\n");
    EXPECT_EQ(kallsyms2elf(p.listing + " -o " + p.elf),
              "stepvisor: " + p.listing +
                  ":2: not a kallsyms line (\"ADDRESS TYPE NAME [[MODULE]]\"): 'not a symbol line "
                  "at all'\nrc=2\n");
    EXPECT_EQ(kallsyms2elf("/nonexistent/kallsyms -o " + p.elf),
              "stepvisor: /nonexistent/kallsyms: cannot open: No such file or directory\nrc=2\n");
    std::ofstream(p.listing) << "ffff800008010000 T _stext\n";
    EXPECT_EQ(kallsyms2elf(p.listing + " -o /nonexistent/dir/k.syms"),
              "stepvisor: -o /nonexistent/dir/k.syms: cannot create: No such file or "
              "directory\nrc=2\n");
    EXPECT_NE(kallsyms2elf(p.listing).find("--output is required"), std::string::npos);
}

}  // namespace
