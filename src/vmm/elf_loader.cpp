#include "vmm/elf_loader.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <new>
#include <fmt/format.h>

namespace vmm {

// Header fields are read by memcpy into <elf.h>'s structs, which is only
// right on a little-endian host reading a little-endian file.
static_assert(std::endian::native == std::endian::little, "ELF parsing assumes a little-endian host");

namespace {

const char* machine_name(uint16_t m) {
    switch (m) {
    case EM_386: return "x86";
    case EM_X86_64: return "x86-64";
    case EM_ARM: return "32-bit ARM";
    case EM_RISCV: return "RISC-V";
    case EM_MIPS: return "MIPS";
    case EM_PPC: return "PowerPC";
    case EM_PPC64: return "PowerPC64";
    case EM_S390: return "S/390";
    case EM_SPARCV9: return "SPARC V9";
    default: return nullptr;
    }
}

const char* type_name(uint16_t t) {
    switch (t) {
    case ET_NONE: return "ET_NONE";
    case ET_REL: return "ET_REL, an object file";
    case ET_DYN: return "ET_DYN, position-independent";
    case ET_CORE: return "ET_CORE, a core dump";
    default: return nullptr;
    }
}

// [off, off + len) lies inside a file of file_size bytes, without overflow.
bool in_file(uint64_t off, uint64_t len, uint64_t file_size) {
    return off <= file_size && len <= file_size - off;
}

}  // namespace

kvm::Result<std::vector<uint8_t>> read_file(const std::string& path) {
    auto fail = [&](std::string_view what, int err) {
        return kvm::Error{fmt::format("{}: {}: {}", path, what, std::strerror(err))};
    };
    // O_NONBLOCK: opening a FIFO must not wait for a writer; the regular-file
    // check below refuses it anyway.
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return fail("cannot open", errno);
    struct Closer {
        int fd;
        ~Closer() { close(fd); }
    } closer{fd};
    struct stat st;
    if (fstat(fd, &st) != 0) return fail("cannot stat", errno);
    if (!S_ISREG(st.st_mode))
        return kvm::Error{fmt::format("{}: not a regular file", path)};
    // The whole file is read into memory; refusing a wrong, huge (or sparse)
    // file early beats an allocation failure.
    constexpr uint64_t kMaxFile = 2ull << 30;
    if (uint64_t(st.st_size) > kMaxFile)
        return kvm::Error{fmt::format("{}: file of {} bytes is larger than the {} bytes "
                                      "stepvisor loads",
                                      path, st.st_size, kMaxFile)};
    std::vector<uint8_t> bytes;
    try {
        bytes.resize(size_t(st.st_size));
    } catch (const std::bad_alloc&) {
        return kvm::Error{fmt::format("{}: cannot read {} bytes: out of memory", path, st.st_size)};
    }
    size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = read(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail("cannot read", errno);
        if (n == 0) break;  // shrank while we read: parse what is there
        done += size_t(n);
    }
    bytes.resize(done);
    return bytes;
}

kvm::Result<ElfImage> parse_elf(std::string name, std::vector<uint8_t> bytes) {
    auto fail = [&](std::string msg) { return kvm::Error{fmt::format("{}: {}", name, msg)}; };
    const uint64_t size = bytes.size();

    if (size < SELFMAG || std::memcmp(bytes.data(), ELFMAG, SELFMAG) != 0) {
        if (size == 0) return fail("not an ELF file (empty)");
        std::string magic;
        for (size_t i = 0; i < std::min<size_t>(size, SELFMAG); ++i)
            magic += fmt::format("{}{:02x}", i ? " " : "", bytes[i]);
        return fail(fmt::format("not an ELF file (magic {})", magic));
    }
    if (size < EI_NIDENT) return fail(fmt::format("truncated ELF header ({} bytes)", size));
    uint8_t cls = bytes[EI_CLASS];
    if (cls == ELFCLASS32) return fail("32-bit ELF (class 1); AArch64 images are ELF64 (class 2)");
    if (cls != ELFCLASS64) return fail(fmt::format("invalid ELF class {}", cls));
    uint8_t data = bytes[EI_DATA];
    if (data == ELFDATA2MSB)
        return fail("big-endian ELF (data encoding 2); AArch64 images are little-endian (1)");
    if (data != ELFDATA2LSB) return fail(fmt::format("invalid ELF data encoding {}", data));
    if (bytes[EI_VERSION] != EV_CURRENT)
        return fail(fmt::format("ELF version {} is not 1", bytes[EI_VERSION]));
    if (size < sizeof(Elf64_Ehdr))
        return fail(fmt::format("truncated ELF header ({} bytes, need {})", size,
                                sizeof(Elf64_Ehdr)));

    Elf64_Ehdr eh;
    std::memcpy(&eh, bytes.data(), sizeof eh);
    if (eh.e_machine != EM_AARCH64) {
        const char* m = machine_name(eh.e_machine);
        return fail(m ? fmt::format("ELF machine {} ({}) is not AArch64 ({})", eh.e_machine, m,
                                    EM_AARCH64)
                      : fmt::format("ELF machine {} is not AArch64 ({})", eh.e_machine,
                                    EM_AARCH64));
    }
    if (eh.e_type != ET_EXEC) {
        const char* t = type_name(eh.e_type);
        return fail(t ? fmt::format("ELF type {} ({}) is not an executable (ET_EXEC, 2)",
                                    eh.e_type, t)
                      : fmt::format("ELF type {} is not an executable (ET_EXEC, 2)", eh.e_type));
    }
    if (eh.e_phnum == 0) return fail("no program headers");
    if (eh.e_phnum == PN_XNUM)
        return fail("extended program header numbering (e_phnum 0xffff) is not supported");
    if (eh.e_phentsize < sizeof(Elf64_Phdr))
        return fail(fmt::format("program header size {} is smaller than {}", eh.e_phentsize,
                                sizeof(Elf64_Phdr)));
    // phnum < 0xffff and phentsize < 0x10000: the product cannot overflow.
    uint64_t ph_bytes = uint64_t(eh.e_phnum) * eh.e_phentsize;
    if (!in_file(eh.e_phoff, ph_bytes, size))
        return fail(fmt::format(
            "program headers at offset {:#x} ({} x {} bytes) lie outside the file ({} bytes)",
            eh.e_phoff, eh.e_phnum, eh.e_phentsize, size));

    ElfImage image;
    image.entry = eh.e_entry;
    for (unsigned i = 0; i < eh.e_phnum; ++i) {
        Elf64_Phdr ph;
        std::memcpy(&ph, bytes.data() + eh.e_phoff + uint64_t(i) * eh.e_phentsize, sizeof ph);
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0) continue;
        if (ph.p_filesz > ph.p_memsz)
            return fail(fmt::format("segment {}: file size {:#x} exceeds memory size {:#x}", i,
                                    ph.p_filesz, ph.p_memsz));
        if (!in_file(ph.p_offset, ph.p_filesz, size))
            return fail(fmt::format(
                "segment {}: file bytes {:#x}..{:#x} lie outside the file ({} bytes)", i,
                ph.p_offset, ph.p_offset + ph.p_filesz, size));
        if (ph.p_paddr + ph.p_memsz < ph.p_paddr)
            return fail(fmt::format("segment {}: {:#x} + size {:#x} wraps around the address space",
                                    i, ph.p_paddr, ph.p_memsz));
        ElfSegment seg{ph.p_paddr, ph.p_offset, ph.p_filesz, ph.p_memsz};
        for (const auto& other : image.segments)
            if (other.range().overlaps(seg.range()))
                return fail(fmt::format("segments {:#x}..{:#x} and {:#x}..{:#x} overlap",
                                        other.paddr, other.range().end(), seg.paddr,
                                        seg.range().end()));
        image.segments.push_back(seg);
    }
    if (image.segments.empty()) return fail("no loadable (PT_LOAD) segments");
    image.name = std::move(name);
    image.bytes = std::move(bytes);
    return image;
}

kvm::Result<ElfImage> open_elf(const std::string& path) {
    auto bytes = read_file(path);
    if (!bytes) return bytes.error();
    return parse_elf(path, std::move(bytes.value()));
}

kvm::Result<void> check_elf_placement(const ElfImage& image, const GpaRange& ram,
                                      const GpaRange& reserved, std::string_view reserved_name) {
    for (const auto& seg : image.segments) {
        GpaRange r = seg.range();
        if (!ram.contains(r))
            return kvm::Error{fmt::format("{}: segment {:#x}..{:#x} lies outside RAM {:#x}..{:#x}",
                                          image.name, r.base, r.end(), ram.base, ram.end())};
        if (r.overlaps(reserved))
            return kvm::Error{fmt::format("{}: segment {:#x}..{:#x} overlaps the {} at {:#x}..{:#x}",
                                          image.name, r.base, r.end(), reserved_name,
                                          reserved.base, reserved.end())};
    }
    if (!ram.contains({image.entry, 4}))
        return kvm::Error{fmt::format("{}: entry point {:#x} lies outside RAM {:#x}..{:#x}",
                                      image.name, image.entry, ram.base, ram.end())};
    return {};
}

std::vector<GpaRange> load_elf(const ElfImage& image, GuestRam& ram) {
    std::vector<GpaRange> written;
    for (const auto& seg : image.segments) {
        auto dst = ram.slice(seg.range());
        std::memcpy(dst.data(), image.bytes.data() + seg.offset, seg.filesz);
        std::memset(dst.data() + seg.filesz, 0, seg.memsz - seg.filesz);
        written.push_back(seg.range());
    }
    return written;
}

}  // namespace vmm
