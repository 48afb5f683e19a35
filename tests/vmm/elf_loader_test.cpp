// The ELF loader on synthetic images: a good one loads byte for byte, and
// every malformed one is refused with a message naming the value.
#include <elf.h>
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "vmm/elf_loader.h"
#include "vmm/machine.h"

namespace vmm {
namespace {

constexpr uint64_t kRam = 0x40000000;

// Builds an ELF64 image: header, program headers, then each segment's bytes.
struct ElfBuilder {
    struct Seg {
        uint32_t type = PT_LOAD;
        uint64_t paddr;
        std::vector<uint8_t> data;
        uint64_t memsz;
    };
    Elf64_Ehdr eh{};
    std::vector<Seg> segs;

    ElfBuilder() {
        std::memcpy(eh.e_ident, ELFMAG, SELFMAG);
        eh.e_ident[EI_CLASS] = ELFCLASS64;
        eh.e_ident[EI_DATA] = ELFDATA2LSB;
        eh.e_ident[EI_VERSION] = EV_CURRENT;
        eh.e_type = ET_EXEC;
        eh.e_machine = EM_AARCH64;
        eh.e_version = EV_CURRENT;
        eh.e_entry = kRam + 0x200000;
        eh.e_phoff = sizeof(Elf64_Ehdr);
        eh.e_ehsize = sizeof(Elf64_Ehdr);
        eh.e_phentsize = sizeof(Elf64_Phdr);
    }
    ElfBuilder& seg(uint64_t paddr, std::vector<uint8_t> data, uint64_t memsz) {
        segs.push_back({PT_LOAD, paddr, std::move(data), memsz});
        return *this;
    }
    std::vector<uint8_t> build() const {
        Elf64_Ehdr h = eh;
        h.e_phnum = uint16_t(segs.size());
        std::vector<uint8_t> out(sizeof h + segs.size() * sizeof(Elf64_Phdr));
        std::memcpy(out.data(), &h, sizeof h);
        for (size_t i = 0; i < segs.size(); ++i) {
            Elf64_Phdr ph{};
            ph.p_type = segs[i].type;
            ph.p_flags = PF_R | PF_X;
            ph.p_offset = out.size();
            ph.p_vaddr = ph.p_paddr = segs[i].paddr;
            ph.p_filesz = segs[i].data.size();
            ph.p_memsz = segs[i].memsz;
            std::memcpy(out.data() + sizeof h + i * sizeof ph, &ph, sizeof ph);
            out.insert(out.end(), segs[i].data.begin(), segs[i].data.end());
        }
        return out;
    }
};

Elf64_Phdr* phdr(std::vector<uint8_t>& f, unsigned i) {
    return reinterpret_cast<Elf64_Phdr*>(f.data() + sizeof(Elf64_Ehdr) + i * sizeof(Elf64_Phdr));
}
Elf64_Ehdr* ehdr(std::vector<uint8_t>& f) { return reinterpret_cast<Elf64_Ehdr*>(f.data()); }

std::string parse_error(std::vector<uint8_t> f) {
    auto r = parse_elf("t.elf", std::move(f));
    EXPECT_FALSE(r.ok());
    return r.ok() ? "" : r.error().message;
}

ElfBuilder good() {
    return std::move(ElfBuilder().seg(kRam + 0x200000, {1, 2, 3, 4, 5}, 0x20).seg(kRam + 0x300000, {9}, 1));
}

TEST(ElfLoader, GoodImageLoadsFileBytesThenZeros) {
    auto img = parse_elf("t.elf", good().build());
    ASSERT_TRUE(img.ok()) << img.error().message;
    EXPECT_EQ(img.value().entry, kRam + 0x200000);
    ASSERT_EQ(img.value().segments.size(), 2u);

    auto ram = GuestRam::create(kRam, 4 << 20);
    ASSERT_TRUE(ram.ok());
    std::memset(ram.value().host() + 0x200000, 0xCC, 0x40);  // stale bytes the loader must zero
    ASSERT_TRUE(check_elf_placement(img.value(), ram.value().range(), {kRam, 0x1000}, "dtb").ok());
    auto written = load_elf(img.value(), ram.value());
    ASSERT_EQ(written.size(), 2u);
    EXPECT_EQ(written[0].base, kRam + 0x200000);
    EXPECT_EQ(written[0].size, 0x20u);
    const uint8_t* p = ram.value().host() + 0x200000;
    EXPECT_EQ(p[0], 1);
    EXPECT_EQ(p[4], 5);
    for (int i = 5; i < 0x20; ++i) EXPECT_EQ(p[i], 0) << i;
    EXPECT_EQ(p[0x20], 0xCC);  // beyond memsz: untouched
    EXPECT_EQ(ram.value().host()[0x300000], 9);
}

TEST(ElfLoader, NonLoadAndEmptySegmentsAreSkipped) {
    ElfBuilder b = good();
    b.segs.push_back({PT_NOTE, 0, {1, 2}, 2});
    b.segs.push_back({PT_LOAD, 0x10, {}, 0});
    auto img = parse_elf("t.elf", b.build());
    ASSERT_TRUE(img.ok()) << img.error().message;
    EXPECT_EQ(img.value().segments.size(), 2u);
}

TEST(ElfLoader, NotAnElf) {
    EXPECT_EQ(parse_error({'\x7f', 'E', 'L', 'G', 0, 0}), "t.elf: not an ELF file (magic 7f 45 4c 47)");
    EXPECT_EQ(parse_error({'h', 'i', '\n'}), "t.elf: not an ELF file (magic 68 69 0a)");
    EXPECT_EQ(parse_error({}), "t.elf: not an ELF file (empty)");
}

TEST(ElfLoader, TruncatedHeaders) {
    auto f = good().build();
    f.resize(10);
    EXPECT_EQ(parse_error(f), "t.elf: truncated ELF header (10 bytes)");
    f = good().build();
    f.resize(40);
    EXPECT_EQ(parse_error(f), "t.elf: truncated ELF header (40 bytes, need 64)");
    f = good().build();
    f.resize(sizeof(Elf64_Ehdr) + 60);  // cut into the program headers
    EXPECT_NE(parse_error(f).find("program headers at offset 0x40 (2 x 56 bytes) lie outside the file (124 bytes)"),
              std::string::npos);
}

TEST(ElfLoader, WrongClassEndianVersion) {
    auto f = good().build();
    f[EI_CLASS] = ELFCLASS32;
    EXPECT_EQ(parse_error(f), "t.elf: 32-bit ELF (class 1); AArch64 images are ELF64 (class 2)");
    f[EI_CLASS] = 7;
    EXPECT_EQ(parse_error(f), "t.elf: invalid ELF class 7");
    f = good().build();
    f[EI_DATA] = ELFDATA2MSB;
    EXPECT_EQ(parse_error(f), "t.elf: big-endian ELF (data encoding 2); AArch64 images are little-endian (1)");
    f = good().build();
    f[EI_VERSION] = 2;
    EXPECT_EQ(parse_error(f), "t.elf: ELF version 2 is not 1");
}

TEST(ElfLoader, WrongMachineAndType) {
    auto f = good().build();
    ehdr(f)->e_machine = EM_X86_64;
    EXPECT_EQ(parse_error(f), "t.elf: ELF machine 62 (x86-64) is not AArch64 (183)");
    ehdr(f)->e_machine = 999;
    EXPECT_EQ(parse_error(f), "t.elf: ELF machine 999 is not AArch64 (183)");
    f = good().build();
    ehdr(f)->e_type = ET_DYN;
    EXPECT_EQ(parse_error(f), "t.elf: ELF type 3 (ET_DYN, position-independent) is not an executable (ET_EXEC, 2)");
}

TEST(ElfLoader, ProgramHeaderTableOutOfFile) {
    auto f = good().build();
    ehdr(f)->e_phoff = ~0ull - 8;  // would wrap
    EXPECT_NE(parse_error(f).find("lie outside the file"), std::string::npos);
    f = good().build();
    ehdr(f)->e_phnum = 1000;
    EXPECT_NE(parse_error(f).find("(1000 x 56 bytes) lie outside the file"), std::string::npos);
    f = good().build();
    ehdr(f)->e_phnum = 0;
    EXPECT_EQ(parse_error(f), "t.elf: no program headers");
    f = good().build();
    ehdr(f)->e_phnum = 0xFFFF;
    EXPECT_NE(parse_error(f).find("extended program header numbering"), std::string::npos);
    f = good().build();
    ehdr(f)->e_phentsize = 32;
    EXPECT_EQ(parse_error(f), "t.elf: program header size 32 is smaller than 56");
}

TEST(ElfLoader, SegmentSizesAreNotTrusted) {
    auto f = good().build();
    phdr(f, 0)->p_filesz = 0x30;  // larger than memsz 0x20
    EXPECT_EQ(parse_error(f), "t.elf: segment 0: file size 0x30 exceeds memory size 0x20");
    f = good().build();
    phdr(f, 1)->p_offset = 0x10000;
    EXPECT_EQ(parse_error(f), "t.elf: segment 1: file bytes 0x10000..0x10001 lie outside the file (182 bytes)");
    f = good().build();
    phdr(f, 1)->p_offset = ~0ull;  // offset + size wraps
    EXPECT_NE(parse_error(f).find("segment 1: file bytes"), std::string::npos);
    f = good().build();
    phdr(f, 0)->p_paddr = ~0ull - 0x10;  // paddr + memsz wraps
    EXPECT_NE(parse_error(f).find("wraps around the address space"), std::string::npos);
    f = good().build();
    phdr(f, 1)->p_paddr = kRam + 0x200010;  // inside segment 0
    EXPECT_EQ(parse_error(f), "t.elf: segments 0x40200000..0x40200020 and 0x40200010..0x40200011 overlap");
}

TEST(ElfLoader, NoLoadableSegments) {
    ElfBuilder b;
    b.segs.push_back({PT_NOTE, 0, {1}, 1});
    EXPECT_EQ(parse_error(b.build()), "t.elf: no loadable (PT_LOAD) segments");
}

TEST(ElfLoader, PlacementOutsideRamOrOverDeviceTree) {
    GpaRange ram{kRam, 128 << 20};
    GpaRange dtb{kRam, 0x1000};
    auto img = parse_elf("t.elf", ElfBuilder().seg(0x10000000, {1}, 0x1000).build());
    ASSERT_TRUE(img.ok());
    auto r = check_elf_placement(img.value(), ram, dtb, "device tree");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "t.elf: segment 0x10000000..0x10001000 lies outside RAM 0x40000000..0x48000000");

    img = parse_elf("t.elf", ElfBuilder().seg(kRam + (128 << 20) - 0x10, {1}, 0x20).build());
    ASSERT_TRUE(img.ok());
    r = check_elf_placement(img.value(), ram, dtb, "device tree");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("lies outside RAM"), std::string::npos);

    img = parse_elf("t.elf", ElfBuilder().seg(kRam + 0x800, {1}, 0x1000).build());
    ASSERT_TRUE(img.ok());
    r = check_elf_placement(img.value(), ram, dtb, "device tree");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message,
              "t.elf: segment 0x40000800..0x40001800 overlaps the device tree at 0x40000000..0x40001000");

    ElfBuilder b = good();
    b.eh.e_entry = ~0ull - 1;  // entry + 4 would wrap
    img = parse_elf("t.elf", b.build());
    ASSERT_TRUE(img.ok());
    r = check_elf_placement(img.value(), ram, dtb, "device tree");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "t.elf: entry point 0xfffffffffffffffe lies outside RAM 0x40000000..0x48000000");
}

TEST(ElfLoader, BootPlanPutsDeviceTreeAtRamStart) {
    BootOptions opts;
    opts.image = "t.elf";
    opts.ram_size = 128 << 20;
    auto plan = plan_boot(opts, {good().build(), {}, {}});
    ASSERT_TRUE(plan.ok()) << plan.error().message;
    EXPECT_GT(plan.value().fdt.size(), 0u);
    EXPECT_EQ(plan.value().fdt_addr, kRam);
    EXPECT_EQ(plan.value().x0, 0u);

    plan = plan_boot(opts, {ElfBuilder().seg(kRam, {1}, 0x10).build(), {}, {}});
    ASSERT_FALSE(plan.ok());
    EXPECT_NE(plan.error().message.find("overlaps the device tree at 0x40000000.."), std::string::npos)
        << plan.error().message;
}

// Every header byte set to a few nasty values, every truncation: the parser
// either refuses or yields segments that load inside RAM (run under
// STEPVISOR_SANITIZE to catch an out-of-bounds read).
TEST(ElfLoader, MutatedHeadersNeverReadOutOfBounds) {
    const auto base = good().build();
    const size_t header_bytes = sizeof(Elf64_Ehdr) + 2 * sizeof(Elf64_Phdr);
    auto ram = GuestRam::create(kRam, 4 << 20);
    ASSERT_TRUE(ram.ok());
    auto try_one = [&](std::vector<uint8_t> f) {
        auto img = parse_elf("t.elf", std::move(f));
        if (!img.ok()) {
            EXPECT_EQ(img.error().message.rfind("t.elf: ", 0), 0u);
            EXPECT_EQ(img.error().message.find('\n'), std::string::npos);
            return;
        }
        if (check_elf_placement(img.value(), ram.value().range(), {kRam, 0x1000}, "dtb").ok())
            load_elf(img.value(), ram.value());
    };
    for (size_t i = 0; i < header_bytes; ++i)
        for (uint8_t v : {0x00, 0x01, 0x7F, 0x80, 0xFF}) {
            auto f = base;
            f[i] = v;
            try_one(std::move(f));
        }
    for (size_t n = 0; n < base.size(); ++n) try_one({base.begin(), base.begin() + long(n)});
}

TEST(ElfLoader, ReadFileErrorsNameThePath) {
    auto r = read_file("/nonexistent/x.elf");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "/nonexistent/x.elf: cannot open: No such file or directory");
    r = read_file("/");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "/: not a regular file");
}

TEST(ElfLoader, RealGuestParses) {
    auto img = open_elf(std::string(STEPVISOR_GUEST_DIR) + "/hello.elf");
    ASSERT_TRUE(img.ok()) << img.error().message;
    EXPECT_EQ(img.value().entry, 0x40200000u);
    BootOptions opts;
    opts.image = std::string(STEPVISOR_GUEST_DIR) + "/hello.elf";
    opts.ram_size = 128 << 20;
    auto plan = plan_boot(opts);
    EXPECT_TRUE(plan.ok()) << plan.error().message;
}

}  // namespace
}  // namespace vmm
