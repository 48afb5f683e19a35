#include "symbols/symbol_elf.h"

#include <elf.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string>

#include <fmt/format.h>

namespace symbols {

namespace {

enum class Kind { Text, ReadOnly, Data, Bss, Absolute, Unknown };

struct TypeLetter {
    char letter;  // lower case; the case gives the binding
    Kind kind;
    unsigned char elf_type;
};

// nm's letters (kallsyms prints them). w/W and v/V (weak) and anything else
// take the kind of the symbols around them.
constexpr TypeLetter kLetters[] = {
    {'t', Kind::Text, STT_FUNC},      {'r', Kind::ReadOnly, STT_OBJECT},
    {'d', Kind::Data, STT_OBJECT},    {'g', Kind::Data, STT_OBJECT},
    {'b', Kind::Bss, STT_OBJECT},     {'s', Kind::Bss, STT_OBJECT},
    {'a', Kind::Absolute, STT_NOTYPE},
};

struct SectionKind {
    const char* name;
    uint64_t flags;
};

// Indexed by Kind, Text to Bss.
constexpr SectionKind kSectionKinds[] = {
    {".text", SHF_ALLOC | SHF_EXECINSTR},
    {".rodata", SHF_ALLOC},
    {".data", SHF_ALLOC | SHF_WRITE},
    {".bss", SHF_ALLOC | SHF_WRITE},
};

const TypeLetter* letter_of(char type) {
    char lower = char(std::tolower(static_cast<unsigned char>(type)));
    for (const TypeLetter& l : kLetters)
        if (l.letter == lower) return &l;
    return nullptr;
}

Kind kind_of(char type) {
    const TypeLetter* l = letter_of(type);
    return l ? l->kind : Kind::Unknown;
}

unsigned char binding_of(char type) {
    char lower = char(std::tolower(static_cast<unsigned char>(type)));
    if (lower == 'w' || lower == 'v') return STB_WEAK;
    return std::islower(static_cast<unsigned char>(type)) ? STB_LOCAL : STB_GLOBAL;
}

// A symbol with an address in a section, its kind settled.
struct Placed {
    const KallsymsSymbol* sym;
    Kind kind;
};

struct Region {
    Kind kind;
    std::string module;
    uint64_t start = 0;
    uint64_t last = 0;  // the highest symbol address in it
    uint64_t end = 0;
};

// Sorted by address; an unknown letter takes the kind of the symbol before
// it in the same module (data when there is none).
std::vector<Placed> place(std::span<const KallsymsSymbol> symbols) {
    std::vector<Placed> out;
    for (const KallsymsSymbol& s : symbols)
        if (kind_of(s.type) != Kind::Absolute) out.push_back({&s, kind_of(s.type)});
    std::stable_sort(out.begin(), out.end(),
                     [](const Placed& a, const Placed& b) { return a.sym->address < b.sym->address; });
    for (size_t i = 0; i < out.size(); ++i)
        if (out[i].kind == Kind::Unknown)
            out[i].kind = i > 0 && out[i - 1].sym->module == out[i].sym->module ? out[i - 1].kind
                                                                               : Kind::Data;
    return out;
}

// Runs of one kind and module without a gap over kMaxSectionGap; each ends
// where the next begins when that is near, else one byte past its last
// symbol. A run all at the next one's start address is left out (its
// symbols are in the next section).
std::vector<Region> regions(const std::vector<Placed>& placed) {
    std::vector<Region> out;
    for (const Placed& p : placed) {
        uint64_t a = p.sym->address;
        if (out.empty() || out.back().kind != p.kind || out.back().module != p.sym->module ||
            a - out.back().last > kMaxSectionGap)
            out.push_back({p.kind, p.sym->module, a, a, 0});
        out.back().last = a;
    }
    std::vector<Region> kept;
    for (size_t i = 0; i < out.size(); ++i) {
        bool near = i + 1 < out.size() && out[i + 1].start - out[i].last <= kMaxSectionGap;
        out[i].end = near ? out[i + 1].start : out[i].last + 1;
        if (out[i].end > out[i].start) kept.push_back(out[i]);
    }
    return kept;
}

// The index in regions of the one holding address (regions are sorted and
// disjoint, and every placed symbol is in one).
size_t region_of(const std::vector<Region>& rs, uint64_t address) {
    auto it = std::upper_bound(rs.begin(), rs.end(), address,
                               [](uint64_t a, const Region& r) { return a < r.start; });
    return size_t(it - rs.begin()) - 1;
}

class StringTable {
public:
    StringTable() : bytes_(1, '\0') {}
    uint32_t add(const std::string& s) {
        auto at = uint32_t(bytes_.size());
        bytes_.insert(bytes_.end(), s.begin(), s.end());
        bytes_.push_back('\0');
        return at;
    }
    const std::string& bytes() const { return bytes_; }

private:
    std::string bytes_;
};

template <typename T> void append(std::vector<uint8_t>& out, const T& v) {
    auto* p = reinterpret_cast<const uint8_t*>(&v);
    out.insert(out.end(), p, p + sizeof v);
}

void align(std::vector<uint8_t>& out, size_t a) { out.resize((out.size() + a - 1) / a * a, 0); }

// .symtab's entries: locals first, as the ELF gABI asks (sh_info = the
// first non-local); returns that index.
uint32_t symbol_entries(const std::vector<Placed>& placed, std::span<const KallsymsSymbol> all,
                        const std::vector<Region>& rs, StringTable& names,
                        std::vector<Elf64_Sym>& out) {
    out.assign(1, Elf64_Sym{});
    auto entry = [&](const KallsymsSymbol& s, uint16_t shndx, uint64_t size) {
        const TypeLetter* l = letter_of(s.type);
        Elf64_Sym e{};
        e.st_name = names.add(s.name);
        e.st_info = ELF64_ST_INFO(binding_of(s.type), l ? l->elf_type : STT_NOTYPE);
        e.st_shndx = shndx;
        e.st_value = s.address;
        e.st_size = size;
        return e;
    };
    std::vector<Elf64_Sym> locals, others;
    for (size_t i = 0; i < placed.size(); ++i) {
        const KallsymsSymbol& s = *placed[i].sym;
        size_t r = region_of(rs, s.address);
        uint64_t next = rs[r].end;
        for (size_t j = i + 1; j < placed.size(); ++j)
            if (placed[j].sym->address != s.address) {
                next = std::min(next, placed[j].sym->address);
                break;
            }
        Elf64_Sym e = entry(s, uint16_t(r + 1), next - s.address);
        (binding_of(s.type) == STB_LOCAL ? locals : others).push_back(e);
    }
    for (const KallsymsSymbol& s : all)
        if (kind_of(s.type) == Kind::Absolute)
            (binding_of(s.type) == STB_LOCAL ? locals : others).push_back(entry(s, SHN_ABS, 0));
    out.insert(out.end(), locals.begin(), locals.end());
    auto first_global = uint32_t(out.size());
    out.insert(out.end(), others.begin(), others.end());
    return first_global;
}

}  // namespace

kvm::Result<std::vector<uint8_t>> symbol_elf(std::span<const KallsymsSymbol> symbols) {
    // A section holding it would end at 2^64, which sh_addr + sh_size cannot say.
    for (const KallsymsSymbol& s : symbols)
        if (s.address == ~0ull && kind_of(s.type) != Kind::Absolute)
            return kvm::Error{fmt::format("symbol {} at {:#x}: no section can hold the last address",
                                          s.name, s.address)};
    std::vector<Placed> placed = place(symbols);
    std::vector<Region> rs = regions(placed);
    const size_t shnum = rs.size() + 4;  // null, regions, .symtab, .strtab, .shstrtab
    if (shnum >= SHN_LORESERVE)
        return kvm::Error{fmt::format("the listing needs {} sections, more than ELF numbers ({})",
                                      shnum, SHN_LORESERVE - 1)};
    StringTable names, section_names;
    std::vector<Elf64_Sym> syms;
    uint32_t first_global = symbol_entries(placed, symbols, rs, names, syms);

    std::vector<uint8_t> out(sizeof(Elf64_Ehdr), 0);
    const uint64_t strtab_off = out.size();
    out.insert(out.end(), names.bytes().begin(), names.bytes().end());
    std::vector<Elf64_Shdr> sh(1, Elf64_Shdr{});
    for (const Region& r : rs) {
        const SectionKind& k = kSectionKinds[size_t(r.kind)];
        std::string name = r.module.empty() ? k.name : fmt::format("{}.{}", k.name, r.module);
        Elf64_Shdr s{};
        s.sh_name = section_names.add(name);
        s.sh_type = SHT_NOBITS;
        s.sh_flags = k.flags;
        s.sh_addr = r.start;
        s.sh_offset = strtab_off;
        s.sh_size = r.end - r.start;
        s.sh_addralign = 1;
        sh.push_back(s);
    }
    const auto symtab_index = uint32_t(sh.size());
    Elf64_Shdr symtab{section_names.add(".symtab"), SHT_SYMTAB, 0, 0, 0, 0,
                      symtab_index + 1, first_global, 8, sizeof(Elf64_Sym)};
    Elf64_Shdr strtab{section_names.add(".strtab"), SHT_STRTAB, 0, 0, strtab_off,
                      names.bytes().size(), 0, 0, 1, 0};
    Elf64_Shdr shstrtab{section_names.add(".shstrtab"), SHT_STRTAB, 0, 0, 0, 0, 0, 0, 1, 0};
    shstrtab.sh_offset = out.size();
    shstrtab.sh_size = section_names.bytes().size();
    out.insert(out.end(), section_names.bytes().begin(), section_names.bytes().end());
    align(out, 8);
    symtab.sh_offset = out.size();
    symtab.sh_size = syms.size() * sizeof(Elf64_Sym);
    for (const Elf64_Sym& s : syms) append(out, s);
    sh.push_back(symtab);
    sh.push_back(strtab);
    sh.push_back(shstrtab);
    align(out, 8);

    Elf64_Ehdr eh{};
    std::memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_EXEC;
    eh.e_machine = EM_AARCH64;
    eh.e_version = EV_CURRENT;
    eh.e_shoff = out.size();
    eh.e_ehsize = sizeof eh;
    eh.e_shentsize = sizeof(Elf64_Shdr);
    eh.e_shnum = uint16_t(sh.size());
    eh.e_shstrndx = uint16_t(sh.size() - 1);
    for (const Elf64_Shdr& s : sh) append(out, s);
    std::memcpy(out.data(), &eh, sizeof eh);
    return out;
}

}  // namespace symbols
