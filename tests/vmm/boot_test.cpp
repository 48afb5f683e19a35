// Boot planning: format detection, where each format's pieces go (QEMU
// virt's hw/arm/boot.c layout), and one-line errors for malformed images.
#include <gtest/gtest.h>

extern "C" {
#include <libfdt.h>
}

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
