// Boot planning: format detection, where each format's pieces go (QEMU
// virt's hw/arm/boot.c layout), and one-line errors for malformed images.
#include <gtest/gtest.h>

extern "C" {
#include <libfdt.h>
}

#include <zlib.h>

#include <cstring>
#include <string>
#include <vector>

#include "vmm/board.h"
#include "vmm/boot.h"
#include "vmm/linux_image.h"

namespace vmm {
namespace {

constexpr uint64_t kRam = board::kRamBase;

// A Linux Image: the 64-byte header and body bytes of code.
std::vector<uint8_t> linux_image(uint64_t text_offset, uint64_t image_size, size_t body = 64,
                                 uint64_t flags = 2) {
    std::vector<uint8_t> b(64 + body, 0);
    auto put = [&](size_t off, uint64_t v) { std::memcpy(b.data() + off, &v, 8); };
    put(8, text_offset);
    put(16, image_size);
    put(24, flags);
    std::memcpy(b.data() + 56, "ARM\x64", 4);
    return b;
}

// An Image with an EFI stub: "MZ", the PE header at 0x40 and two sections
// whose raw data ends at 0x200 + 0x100 and 0x300 + 0x180 (PE Format's
// layout, as Debian's Image has it with .text and .data).
std::vector<uint8_t> pe_image() {
    auto b = linux_image(0, 0x10000, 0x480 - 64);
    auto put = [&](size_t off, uint64_t v, size_t n) { std::memcpy(b.data() + off, &v, n); };
    b[0] = 'M';
    b[1] = 'Z';
    put(0x3c, 0x40, 4);
    std::memcpy(b.data() + 0x40, "PE\0\0", 4);
    put(0x44, 0xaa64, 2);  // Machine
    put(0x46, 2, 2);       // NumberOfSections
    put(0x54, 0x10, 2);    // SizeOfOptionalHeader
    const size_t table = 0x40 + 24 + 0x10;
    std::memcpy(b.data() + table, ".text", 5);
    put(table + 16, 0x100, 4);  // SizeOfRawData
    put(table + 20, 0x200, 4);  // PointerToRawData
    std::memcpy(b.data() + table + 40, ".data", 5);
    put(table + 40 + 16, 0x180, 4);
    put(table + 40 + 20, 0x300, 4);
    return b;
}

// bytes as `gzip -c` writes them (zlib's gzip wrapper).
std::vector<uint8_t> gzip(const std::vector<uint8_t>& bytes) {
    z_stream zs{};
    EXPECT_EQ(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    std::vector<uint8_t> out(deflateBound(&zs, bytes.size()));
    zs.next_in = const_cast<Bytef*>(bytes.data());
    zs.avail_in = uInt(bytes.size());
    zs.next_out = out.data();
    zs.avail_out = uInt(out.size());
    EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

BootOptions options(const char* image, uint64_t ram = 128ull << 20) {
    BootOptions o;
    o.image = image;
    o.ram_size = ram;
    return o;
}

const LoadChunk* chunk(const BootPlan& p, const std::string& what) {
    for (const auto& c : p.chunks)
        if (c.what == what) return &c;
    return nullptr;
}

TEST(Boot, DetectsElfThenImageMagicElseRaw) {
    EXPECT_EQ(detect_format({0x7f, 'E', 'L', 'F', 2}), ImageFormat::Elf);
    EXPECT_EQ(detect_format(linux_image(0, 0x1000)), ImageFormat::LinuxImage);
    EXPECT_EQ(detect_format({1, 2, 3}), ImageFormat::Raw);
    auto no_magic = linux_image(0, 0x1000);
    no_magic[59] = 0;
    EXPECT_EQ(detect_format(no_magic), ImageFormat::Raw);
}

// booting.rst: placed text_offset bytes above a 2 MiB aligned base (RAM's),
// image_size bytes reserved (the BSS beyond the file is zeroed); x0 = DTB.
TEST(Boot, ImageAtTextOffsetWithBssAndDtbInX0) {
    auto p = plan_boot(options("k"), {linux_image(0x200000 - 0x1000, 0x10000), {}, {}});
    ASSERT_TRUE(p.ok()) << p.error().message;
    EXPECT_EQ(p.value().format, ImageFormat::LinuxImage);
    EXPECT_EQ(p.value().entry, kRam + 0x1FF000);
    const LoadChunk* k = chunk(p.value(), "kernel");
    ASSERT_NE(k, nullptr);
    EXPECT_EQ(k->range().base, kRam + 0x1FF000);
    EXPECT_EQ(k->range().size, 0x10000u);  // image_size, BSS included
    EXPECT_EQ(k->zero_fill, 0x10000u - 128);
    // RAM 128M: initrd slot at +64M, device tree at the next 2 MiB boundary.
    EXPECT_EQ(p.value().fdt_addr, kRam + (64u << 20));
    EXPECT_EQ(p.value().x0, p.value().fdt_addr);
    EXPECT_EQ(fdt_check_header(p.value().fdt.data()), 0);
}

TEST(Boot, ImageSizeZeroIsAPre317KernelAt0x80000) {
    auto p = plan_boot(options("k"), {linux_image(0x1234000, 0), {}, {}});
    ASSERT_TRUE(p.ok()) << p.error().message;
    EXPECT_EQ(p.value().entry, kRam + 0x80000);
}

// hw/arm/boot.c: initrd at RAM + min(RAM/2, 128M), above the kernel if that
// is higher, 4 KiB aligned; the DTB after it, 2 MiB aligned.
TEST(Boot, InitrdAndDtbFollowTheKernel) {
    auto opts = options("k", 16ull << 20);
    opts.initrd = "i";
    // A 9 MiB kernel ends above RAM/2 = 8M: the initrd follows it.
    auto p = plan_boot(opts, {linux_image(0, 0x900000 + 0x123), std::vector<uint8_t>(0x1000, 7), {}});
    ASSERT_TRUE(p.ok()) << p.error().message;
    const LoadChunk* i = chunk(p.value(), "initrd");
    ASSERT_NE(i, nullptr);
    EXPECT_EQ(i->gpa, kRam + 0x901000);
    EXPECT_EQ(p.value().fdt_addr, kRam + 0xA00000);
    EXPECT_EQ(fdt_check_header(p.value().fdt.data()), 0);
    int chosen = fdt_path_offset(p.value().fdt.data(), "/chosen");
    int len = 0;
    auto* start = static_cast<const fdt32_t*>(
        fdt_getprop(p.value().fdt.data(), chosen, "linux,initrd-start", &len));
    ASSERT_NE(start, nullptr);
    EXPECT_EQ(fdt32_ld(start), uint32_t(kRam + 0x901000));
}

TEST(Boot, RawAtDefaultOrGivenAddress) {
    auto p = plan_boot(options("r"), {{1, 2, 3, 4}, {}, {}});
    ASSERT_TRUE(p.ok()) << p.error().message;
    EXPECT_EQ(p.value().format, ImageFormat::Raw);
    EXPECT_EQ(p.value().entry, kRam + kRawDefaultOffset);
    EXPECT_EQ(p.value().x0, p.value().fdt_addr);
    auto opts = options("r");
    opts.load_addr = kRam + 0x1000;
    p = plan_boot(opts, {{1, 2, 3, 4}, {}, {}});
    ASSERT_TRUE(p.ok()) << p.error().message;
    EXPECT_EQ(p.value().entry, kRam + 0x1000);
}

TEST(Boot, ImageErrorsNameFileAndField) {
    auto err = [](std::vector<uint8_t> bytes, uint64_t ram = 128ull << 20) {
        auto p = plan_boot(options("k.img", ram), {std::move(bytes), {}, {}});
        return p.ok() ? std::string("ok") : p.error().message;
    };
    auto img = linux_image(0, 0x1000);
    img.resize(62);  // the magic is there, the header is not whole
    EXPECT_EQ(err(img), "k.img: truncated Linux Image header (62 bytes, need 64)");
    EXPECT_EQ(err(linux_image(0, 0x1000, 64, 3)),
              "k.img: Linux Image flags 0x3: a big-endian kernel (bit 0) cannot run on this "
              "little-endian board");
    EXPECT_EQ(err(linux_image(0x200000, 0x1000)),
              "k.img: Linux Image text_offset 0x200000 is not a multiple of 4 KiB below 2 MiB");
    EXPECT_EQ(err(linux_image(0, 0x10)),
              "k.img: Linux Image image_size 0x10 is smaller than the file (0x80 bytes)");
    EXPECT_EQ(err(linux_image(0, ~0ull)),
              "k.img: kernel at 0x40000000 with size 0xffffffffffffffff wraps past the end of the "
              "address space, outside RAM 0x40000000..0x48000000");
    EXPECT_EQ(err(linux_image(0, 0x300000), 2ull << 20),
              "k.img: kernel 0x40000000..0x40300000 lies outside RAM 0x40000000..0x40200000");
}

// Other architectures' kernels carry their boot protocol's magic where no
// raw AArch64 binary would be refused for it: each is named, never run.
TEST(Boot, KernelsForOtherArchitecturesAreRefusedNotRunRaw) {
    auto err = [](size_t off, std::string magic) {
        std::vector<uint8_t> f(0x400, 0);
        std::memcpy(f.data() + off, magic.data(), magic.size());
        auto p = plan_boot(options("vmlinuz"), {std::move(f), {}, {}});
        return p.ok() ? std::string("ok") : p.error().message;
    };
    EXPECT_EQ(err(0x202, "HdrS"), "vmlinuz: an x86 bzImage (\"HdrS\" at 0x202): a kernel for "
                                  "another architecture, not AArch64");
    EXPECT_EQ(err(0x24, std::string("\x18\x28\x6f\x01", 4)),
              "vmlinuz: an arm32 zImage (0x016f2818 at 0x24): a kernel for another architecture, "
              "not AArch64");
    EXPECT_EQ(err(0x38, "RSC\x05"), "vmlinuz: a RISC-V Image (\"RSC\\x05\" at 0x38): a kernel for "
                                    "another architecture, not AArch64");
    EXPECT_EQ(err(0x30, std::string("RISCV\0\0\0", 8)),
              "vmlinuz: a RISC-V Image (\"RISCV\" at 0x30): a kernel for another architecture, not "
              "AArch64");
    // Shorter than the magic's end, or another value there: raw, as before.
    EXPECT_EQ(err(0x202, "HdrX"), "ok");
    auto p = plan_boot(options("short"), {std::vector<uint8_t>(0x204, 0), {}, {}});
    EXPECT_TRUE(p.ok());
}

// image_size counts the BSS, so it cannot tell a truncated file; the EFI
// stub's section table can: every section's raw data is in the file.
TEST(Boot, ImageShorterThanItsPeSectionsIsTruncated) {
    auto whole = pe_image();
    auto p = plan_boot(options("Image"), {whole, {}, {}});
    ASSERT_TRUE(p.ok()) << p.error().message;
    whole.resize(0x470);  // .data's raw data ends at 0x480
    p = plan_boot(options("Image"), {whole, {}, {}});
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.error().message, "Image: truncated Linux Image: its PE/COFF section .data's data "
                                 "ends at 0x480, the file has 0x470 bytes");
    whole.resize(0x80);  // the section table itself is cut
    p = plan_boot(options("Image"), {whole, {}, {}});
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.error().message, "Image: truncated Linux Image: its PE/COFF section table (2 "
                                 "sections at 0x68) ends at 0xb8, the file has 0x80 bytes");
    auto far = pe_image();
    std::memcpy(far.data() + 0x3c, "\0\0\1\0", 4);  // PE header at 0x10000
    p = plan_boot(options("Image"), {far, {}, {}});
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.error().message, "Image: truncated Linux Image: its PE/COFF header at 0x10000 ends "
                                 "at 0x10018, the file has 0x480 bytes");
    // Without "MZ" there is no EFI stub and nothing to check against.
    auto plain = pe_image();
    plain[0] = 0;
    plain.resize(0x100);
    EXPECT_TRUE(plan_boot(options("Image"), {plain, {}, {}}).ok());
}

TEST(Boot, InitrdLargerThanTheRamLeftIsNamed) {
    auto opts = options("k", 16ull << 20);
    opts.initrd = "big.cpio.gz";
    auto p = plan_boot(opts, {linux_image(0, 0x1000), std::vector<uint8_t>(9u << 20, 1), {}});
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.error().message, "big.cpio.gz: initrd of 0x900000 bytes does not fit in RAM: from "
                                 "its place at 0x40800000 (QEMU's) to the end of RAM at 0x41000000 "
                                 "there are 0x800000 bytes");
    p = plan_boot(opts, {linux_image(0, 0x1000), std::vector<uint8_t>(8u << 20, 1), {}});
    ASSERT_FALSE(p.ok());  // fits exactly, but the device tree does not
    EXPECT_EQ(p.error().message.rfind("device tree 0x41000000..", 0), 0u) << p.error().message;
}

// Ubuntu's vmlinuz: the gzip'd Image is inflated and planned as the Image
// itself (QEMU's load_aarch64_image).
TEST(Boot, GzipImageIsInflatedAndPlacedAsTheImage) {
    auto img = linux_image(0x80000, 0x10000, 0x1000);
    for (size_t i = 64; i < img.size(); ++i) img[i] = uint8_t(i * 7);
    auto plain = plan_boot(options("Image"), {img, {}, {}});
    auto p = plan_boot(options("vmlinuz"), {gzip(img), {}, {}});
    ASSERT_TRUE(p.ok()) << p.error().message;
    ASSERT_TRUE(plain.ok()) << plain.error().message;
    EXPECT_EQ(p.value().format, ImageFormat::LinuxImage);
    EXPECT_EQ(p.value().entry, kRam + 0x80000);
    const LoadChunk* k = chunk(p.value(), "kernel");
    ASSERT_NE(k, nullptr);
    EXPECT_EQ(k->bytes, img);
    EXPECT_EQ(k->zero_fill, chunk(plain.value(), "kernel")->zero_fill);
    EXPECT_EQ(p.value().fdt, plain.value().fdt);
    // Errors about the contents name the file as inflated.
    auto small = linux_image(0, 0x10);
    p = plan_boot(options("vmlinuz"), {gzip(small), {}, {}});
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.error().message, "vmlinuz (inflated): Linux Image image_size 0x10 is smaller "
                                 "than the file (0x80 bytes)");
}

TEST(Boot, BadGzipStreamsAreOneLine) {
    auto gz = gzip(linux_image(0, 0x10000, 0x1000));
    auto err = [](std::vector<uint8_t> f, uint64_t ram = 128ull << 20) {
        auto p = plan_boot(options("vmlinuz", ram), {std::move(f), {}, {}});
        return p.ok() ? std::string("ok") : p.error().message;
    };
    auto cut = gz;
    cut.resize(cut.size() / 2);
    EXPECT_EQ(err(cut).rfind("vmlinuz: truncated gzip stream: the file ends after 0x", 0), 0u)
        << err(cut);
    auto bad_crc = gz;
    bad_crc[bad_crc.size() - 6] ^= 1;  // the CRC-32 in the trailer
    EXPECT_EQ(err(bad_crc), "vmlinuz: bad gzip stream after " + std::to_string(bad_crc.size() - 4) +
                                " bytes: incorrect data check");
    EXPECT_EQ(err({0x1f, 0x8b, 0x09, 0}), "vmlinuz: bad gzip stream after 4 bytes: unknown "
                                          "compression method");
    // Past the RAM given (2 MiB here), inflating stops.
    auto huge = gzip(std::vector<uint8_t>(3u << 20, 0));
    EXPECT_EQ(err(huge, 2ull << 20), "vmlinuz: gzip stream inflates to more than 0x200000 bytes "
                                     "(QEMU's cap of 256 MiB, or the RAM given)");
}

// Every header byte set to a few nasty values, every truncation: the planner
// refuses with one line naming the file, or yields chunks inside RAM.
TEST(Boot, MutatedImagesNeverEscapeRam) {
    const auto base = linux_image(0x80000, 0x2000);
    auto try_one = [](std::vector<uint8_t> f) {
        auto p = plan_boot(options("m.img", 4ull << 20), {std::move(f), {}, {}});
        if (!p.ok()) {
            EXPECT_EQ(p.error().message.find('\n'), std::string::npos);
            return;
        }
        GpaRange ram{kRam, 4ull << 20};
        for (const auto& c : p.value().chunks) EXPECT_TRUE(ram.contains(c.range())) << c.what;
    };
    for (size_t i = 0; i < 64; ++i)
        for (uint8_t v : {0x00, 0x01, 0x7F, 0x80, 0xFF}) {
            auto f = base;
            f[i] = v;
            try_one(std::move(f));
        }
    for (size_t n = 1; n < base.size(); ++n) try_one({base.begin(), base.begin() + long(n)});
}

}  // namespace
}  // namespace vmm
