// kallsyms listings as `stepvisor kallsyms2elf` reads them: whatever the
// text, parsing gives one line of error or symbols, and the symbol file
// built from them is well formed: its sections sorted, disjoint and not
// wrapping, every symbol (but the absolute ones) inside its section with its
// size, locals before sh_info and the others after, every offset and name
// inside the file.
//
// Input: the listing's text.
#include <elf.h>

#include <cstring>
#include <string_view>
#include <vector>

#include "symbols/kallsyms.h"
#include "symbols/symbol_elf.h"

namespace {

template <typename T> T at(const std::vector<uint8_t>& f, uint64_t offset) {
    if (offset > f.size() || f.size() - offset < sizeof(T)) __builtin_trap();
    T v;
    std::memcpy(&v, f.data() + offset, sizeof v);
    return v;
}

void check_symbols(const std::vector<uint8_t>& f, const Elf64_Shdr& symtab, const Elf64_Shdr& strtab,
                   const std::vector<Elf64_Shdr>& sh, size_t regions, size_t count) {
    if (symtab.sh_size != (count + 1) * sizeof(Elf64_Sym)) __builtin_trap();
    for (size_t i = 1; i <= count; ++i) {
        auto s = at<Elf64_Sym>(f, symtab.sh_offset + i * sizeof(Elf64_Sym));
        if (s.st_name >= strtab.sh_size) __builtin_trap();
        bool local = ELF64_ST_BIND(s.st_info) == STB_LOCAL;
        if (local != (i < symtab.sh_info)) __builtin_trap();
        if (s.st_shndx == SHN_ABS) continue;
        if (s.st_shndx < 1 || s.st_shndx > regions) __builtin_trap();
        const Elf64_Shdr& r = sh[s.st_shndx];
        if (s.st_value < r.sh_addr || s.st_value - r.sh_addr >= r.sh_size ||
            s.st_size > r.sh_size - (s.st_value - r.sh_addr))
            __builtin_trap();
    }
}

void check_elf(const std::vector<uint8_t>& f, size_t count) {
    auto eh = at<Elf64_Ehdr>(f, 0);
    if (eh.e_shnum < 4 || eh.e_shstrndx != eh.e_shnum - 1) __builtin_trap();
    std::vector<Elf64_Shdr> sh;
    for (size_t i = 0; i < eh.e_shnum; ++i)
        sh.push_back(at<Elf64_Shdr>(f, eh.e_shoff + i * sizeof(Elf64_Shdr)));
    const size_t regions = eh.e_shnum - 4;
    for (size_t i = 1; i <= regions; ++i) {
        const Elf64_Shdr& r = sh[i];
        if (r.sh_type != SHT_NOBITS || r.sh_size == 0 || r.sh_addr + r.sh_size < r.sh_addr)
            __builtin_trap();
        if (i > 1 && sh[i - 1].sh_addr + sh[i - 1].sh_size > r.sh_addr) __builtin_trap();
    }
    for (size_t i = regions + 1; i < eh.e_shnum; ++i)
        if (sh[i].sh_offset > f.size() || f.size() - sh[i].sh_offset < sh[i].sh_size) __builtin_trap();
    check_symbols(f, sh[regions + 1], sh[regions + 2], sh, regions, count);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto syms = symbols::parse_kallsyms(text, "fuzz");
    if (!syms) {
        if (syms.error().message.find('\n') != std::string::npos) __builtin_trap();
        return 0;
    }
    auto elf = symbols::symbol_elf(syms.value());
    if (!elf) {
        if (elf.error().message.find('\n') != std::string::npos) __builtin_trap();
        return 0;
    }
    check_elf(elf.value(), syms.value().size());
    return 0;
}
