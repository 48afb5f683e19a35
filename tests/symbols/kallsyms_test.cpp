// kallsyms listings into ELF symbol files: the parser's one-line errors, the
// file's sections and symbols read back with <elf.h>, and gdb-multiarch
// loading it with add-symbol-file and answering by name and by address.
#include <elf.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "symbols/kallsyms.h"
#include "symbols/symbol_elf.h"
#include "tests/shell.h"

namespace symbols {
namespace {

using stepvisor::test::have_gdb;
using stepvisor::test::shell;

// A kernel's layout in small: text, rodata, data and BSS after one another
// (a weak and an absolute symbol among them), and a module mapped below the
// kernel, as arm64's module area is. Lines end in \r\n, as a serial console
// gives them.
constexpr const char* kListing =
    "ffff800000a00000 t ext4_fill_super\t[ext4]\r\n"
    "ffff800000a00100 T ext4_mount\t[ext4]\r\n"
    "ffff800000a04000 d ext4_fs_type\t[ext4]\r\n"
    "ffff800008010000 T _stext\r\n"
    "ffff800008010000 t gic_handle_irq\r\n"
    "ffff800008010100 T start_kernel\r\n"
    "ffff800008010180 W arch_cpu_idle\r\n"
    "ffff800008010200 t pl011_console_putchar\r\n"
    "ffff800008010280 T _etext\r\n"
    "\r\n"
    "ffff800008200000 R __start_rodata\r\n"
    "ffff800008200040 r pl011_std_offsets\r\n"
    "ffff800008300000 D init_task\r\n"
    "ffff800008300400 d pl011_std_ops\r\n"
    "ffff800008400000 B __bss_start\r\n"
    "ffff800008400010 b console_sem\r\n"
    "ffff800008400100 B _end\r\n"
    "0000000000001000 A __abs_marker\r\n";

std::vector<KallsymsSymbol> listing() {
    auto s = parse_kallsyms(kListing, "kallsyms.txt");
    EXPECT_TRUE(s.ok()) << s.error().message;
    return s.ok() ? s.value() : std::vector<KallsymsSymbol>{};
}

std::string parse_error(const char* text) {
    auto s = parse_kallsyms(text, "ks");
    return s.ok() ? "ok" : s.error().message;
}

TEST(Kallsyms, ParsesAddressTypeNameAndModule) {
    auto s = listing();
    ASSERT_EQ(s.size(), 17u);
    EXPECT_EQ(s[0].address, 0xffff800000a00000u);
    EXPECT_EQ(s[0].type, 't');
    EXPECT_EQ(s[0].name, "ext4_fill_super");
    EXPECT_EQ(s[0].module, "ext4");
    EXPECT_EQ(s[3].name, "_stext");
    EXPECT_EQ(s[3].module, "");
}

TEST(Kallsyms, BadLinesAreNamedByLineNumber) {
    EXPECT_EQ(parse_error("ffff800008010000 T _stext\nxyz T foo\n"),
              "ks:2: not a kallsyms line (\"ADDRESS TYPE NAME [[MODULE]]\"): 'xyz T foo'");
    EXPECT_EQ(parse_error("ffff800008010000 TT _stext\n"),
              "ks:1: not a kallsyms line (\"ADDRESS TYPE NAME [[MODULE]]\"): 'ffff800008010000 TT "
              "_stext'");
    EXPECT_EQ(parse_error("ffff800008010000 t f ext4\n"),
              "ks:1: not a kallsyms line (\"ADDRESS TYPE NAME [[MODULE]]\"): 'ffff800008010000 t f "
              "ext4'");
    EXPECT_EQ(parse_error("1ffff800008010000 t f\n").substr(0, 25), "ks:1: not a kallsyms line");
    // Fewer than three fields (found by fuzz_kallsyms: it read a fourth).
    EXPECT_EQ(parse_error("ffff800008010000 T\n").substr(0, 25), "ks:1: not a kallsyms line");
    EXPECT_EQ(parse_error("ffff800008010000 T _stext\n00fff\n").substr(0, 25),
              "ks:2: not a kallsyms line");
    EXPECT_EQ(parse_error("\n\n"), "ks: no symbols in the listing");
    EXPECT_EQ(parse_error("0000000000000000 T _stext\n0000000000000000 t f\n"),
              "ks: every address is 0: the listing was read with kptr_restrict hiding them (as "
              "root: echo 0 > /proc/sys/kernel/kptr_restrict)");
}

struct ElfView {
    std::vector<uint8_t> bytes;
    const Elf64_Ehdr& eh() const { return *reinterpret_cast<const Elf64_Ehdr*>(bytes.data()); }
    const Elf64_Shdr& sh(size_t i) const {
        return reinterpret_cast<const Elf64_Shdr*>(bytes.data() + eh().e_shoff)[i];
    }
    std::string section_name(size_t i) const {
        return reinterpret_cast<const char*>(bytes.data() + sh(eh().e_shstrndx).sh_offset +
                                             sh(i).sh_name);
    }
    // The .symtab entry named name (the first), and its index.
    const Elf64_Sym* symbol(const std::string& name, size_t* index = nullptr) const {
        for (size_t i = 0; i < eh().e_shnum; ++i) {
            if (sh(i).sh_type != SHT_SYMTAB) continue;
            auto* syms = reinterpret_cast<const Elf64_Sym*>(bytes.data() + sh(i).sh_offset);
            const char* strtab = reinterpret_cast<const char*>(bytes.data() + sh(sh(i).sh_link).sh_offset);
            for (size_t j = 0; j < sh(i).sh_size / sizeof(Elf64_Sym); ++j)
                if (name == strtab + syms[j].st_name) {
                    if (index) *index = j;
                    return &syms[j];
                }
        }
        return nullptr;
    }
};

ElfView elf_of_listing() {
    auto e = symbol_elf(listing());
    EXPECT_TRUE(e.ok()) << e.error().message;
    return {e.ok() ? e.value() : std::vector<uint8_t>{}};
}

// Sections cover each run of one kind and module, up to where the next
// begins (or one byte past a run's last symbol before a gap).
TEST(SymbolElf, NobitsSectionsCoverTheRunsOfEachKind) {
    ElfView f = elf_of_listing();
    ASSERT_GE(f.bytes.size(), sizeof(Elf64_Ehdr));
    EXPECT_EQ(f.eh().e_machine, EM_AARCH64);
    EXPECT_EQ(f.eh().e_type, ET_EXEC);
    struct Want {
        const char* name;
        uint64_t addr, size, flags;
    };
    const Want want[] = {
        {".text.ext4", 0xffff800000a00000, 0x4000, SHF_ALLOC | SHF_EXECINSTR},
        {".data.ext4", 0xffff800000a04000, 1, SHF_ALLOC | SHF_WRITE},
        {".text", 0xffff800008010000, 0x1f0000, SHF_ALLOC | SHF_EXECINSTR},
        {".rodata", 0xffff800008200000, 0x100000, SHF_ALLOC},
        {".data", 0xffff800008300000, 0x100000, SHF_ALLOC | SHF_WRITE},
        {".bss", 0xffff800008400000, 0x101, SHF_ALLOC | SHF_WRITE},
    };
    ASSERT_EQ(f.eh().e_shnum, 1 + std::size(want) + 3);
    for (size_t i = 0; i < std::size(want); ++i) {
        SCOPED_TRACE(want[i].name);
        EXPECT_EQ(f.section_name(i + 1), want[i].name);
        EXPECT_EQ(f.sh(i + 1).sh_type, uint32_t(SHT_NOBITS));
        EXPECT_EQ(f.sh(i + 1).sh_addr, want[i].addr);
        EXPECT_EQ(f.sh(i + 1).sh_size, want[i].size);
        EXPECT_EQ(f.sh(i + 1).sh_flags, want[i].flags);
    }
}

TEST(SymbolElf, TypesBindingsSizesAndLocalsFirst) {
    ElfView f = elf_of_listing();
    struct Want {
        const char* name;
        unsigned type, bind;
        uint64_t size;
        uint16_t shndx;
    };
    const Want want[] = {
        {"pl011_console_putchar", STT_FUNC, STB_LOCAL, 0x80, 3},
        {"start_kernel", STT_FUNC, STB_GLOBAL, 0x80, 3},
        {"arch_cpu_idle", STT_NOTYPE, STB_WEAK, 0x80, 3},
        {"_etext", STT_FUNC, STB_GLOBAL, 0x200000 - 0x10280, 3},
        {"pl011_std_offsets", STT_OBJECT, STB_LOCAL, 0xfffc0, 4},
        {"init_task", STT_OBJECT, STB_GLOBAL, 0x400, 5},
        {"console_sem", STT_OBJECT, STB_LOCAL, 0xf0, 6},
        {"_end", STT_OBJECT, STB_GLOBAL, 1, 6},
        {"ext4_mount", STT_FUNC, STB_GLOBAL, 0x3f00, 1},
        {"ext4_fs_type", STT_OBJECT, STB_LOCAL, 1, 2},
        {"__abs_marker", STT_NOTYPE, STB_GLOBAL, 0, SHN_ABS},
    };
    for (const Want& w : want) {
        SCOPED_TRACE(w.name);
        const Elf64_Sym* s = f.symbol(w.name);
        ASSERT_NE(s, nullptr);
        EXPECT_EQ(ELF64_ST_TYPE(s->st_info), w.type);
        EXPECT_EQ(ELF64_ST_BIND(s->st_info), w.bind);
        EXPECT_EQ(s->st_size, w.size);
        EXPECT_EQ(s->st_shndx, w.shndx);
    }
    // _stext and gic_handle_irq share an address; both are there, sized to
    // the next address.
    EXPECT_EQ(f.symbol("_stext")->st_size, 0x100u);
    EXPECT_EQ(f.symbol("gic_handle_irq")->st_size, 0x100u);
    const Elf64_Shdr& symtab = f.sh(f.eh().e_shnum - 3);
    ASSERT_EQ(symtab.sh_type, uint32_t(SHT_SYMTAB));
    size_t last_local = 0, first_global = 0;
    f.symbol("ext4_fs_type", &last_local);
    f.symbol("_stext", &first_global);
    EXPECT_LT(last_local, symtab.sh_info);
    EXPECT_GE(first_global, symtab.sh_info);
}

// No section can end after 2^64 - 1 (sh_addr + sh_size would wrap); an
// absolute symbol needs none.
TEST(SymbolElf, SymbolAtTheLastAddressIsRefused) {
    auto s = parse_kallsyms("ffffffffffffffff T last\n", "ks");
    ASSERT_TRUE(s.ok());
    auto e = symbol_elf(s.value());
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.error().message, "symbol last at 0xffffffffffffffff: no section can hold the last "
                                 "address");
    s = parse_kallsyms("ffffffffffffffff A last\nffff800008010000 T _stext\n", "ks");
    ASSERT_TRUE(s.ok());
    EXPECT_TRUE(symbol_elf(s.value()).ok());
}

// The consumer: gdb-multiarch loads the file and answers by name and by
// address, text and data, kernel and module.
TEST(SymbolElf, GdbMultiarchResolvesNamesAndAddresses) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    ElfView f = elf_of_listing();
    std::string path = "/tmp/stepvisor-symbols-test-" + std::to_string(getpid()) + ".elf";
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(f.bytes.data()),
                                                 std::streamsize(f.bytes.size()));
    std::string out = shell("timeout 60 gdb-multiarch -batch -nx -ex 'set architecture aarch64' "
                            "-ex 'add-symbol-file " + path + "' "
                            "-ex 'info address pl011_console_putchar' "
                            "-ex 'info symbol 0xffff800008010208' "
                            "-ex 'info symbol 0xffff800000a00104' "
                            "-ex 'info symbol 0xffff800008400014' "
                            "-ex 'break pl011_console_putchar' "
                            "-ex 'print &init_task'");
    unlink(path.c_str());
    for (const char* line : {
             "Symbol \"pl011_console_putchar\" is at 0xffff800008010200 in a file compiled without "
             "debugging.",
             "pl011_console_putchar + 8 in section .text",
             "ext4_mount + 4 in section .text.ext4",
             "console_sem + 4 in section .bss",
             "Breakpoint 1 at 0xffff800008010200",
             "(<data variable, no debug info> *) 0xffff800008300000 <init_task>",
         })
        EXPECT_NE(out.find(line), std::string::npos) << "no '" << line << "' in:\n" << out;
    EXPECT_EQ(out.find("arning"), std::string::npos) << out;
}

}  // namespace
}  // namespace symbols
