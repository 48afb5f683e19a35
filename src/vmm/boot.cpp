#include "vmm/boot.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "vmm/board.h"
#include "vmm/elf_loader.h"
#include "vmm/fdt.h"
#include "vmm/foreign_kernel.h"
#include "vmm/gunzip.h"
#include "vmm/linux_image.h"

namespace vmm {

namespace {

constexpr uint64_t kPage = 4096;
constexpr uint64_t k2MiB = 2ull << 20;
constexpr uint64_t kInitrdMaxOffset = 128ull << 20;

// x rounded up to a multiple of the power of two a; x is an address inside
// RAM, far below 2^64 - a.
uint64_t align_up(uint64_t x, uint64_t a) { return (x + a - 1) & ~(a - 1); }

std::string range_text(const GpaRange& r) { return fmt::format("{:#x}..{:#x}", r.base, r.end()); }

// Adds c after checking it lies in RAM and clear of every chunk already
// planned; the error names c first, then what it collides with.
kvm::Result<void> add_chunk(BootPlan& plan, const GpaRange& ram, LoadChunk c,
                            const std::string& file) {
    std::string subject = file.empty() ? c.what : fmt::format("{}: {}", file, c.what);
    GpaRange r = c.range();
    if (r.base + r.size < r.base)
        return kvm::Error{fmt::format("{} at {:#x} with size {:#x} wraps past the end of the "
                                      "address space, outside RAM {}",
                                      subject, r.base, r.size, range_text(ram))};
    if (!ram.contains(r))
        return kvm::Error{fmt::format("{} {} lies outside RAM {}", subject, range_text(r),
                                      range_text(ram))};
    for (const LoadChunk& o : plan.chunks)
        if (o.range().overlaps(r))
            return kvm::Error{fmt::format("{} {} overlaps the {} at {}", subject, range_text(r),
                                          o.what, range_text(o.range()))};
    plan.chunks.push_back(std::move(c));
    return {};
}

// The initrd's own message when it is too large for the RAM left above its
// place, rather than add_chunk's "outside RAM".
kvm::Result<void> check_initrd_fits(const std::string& file, uint64_t size, uint64_t base,
                                    const GpaRange& ram) {
    uint64_t room = ram.end() - std::min(base, ram.end());
    if (size <= room) return {};
    return kvm::Error{fmt::format("{}: initrd of {:#x} bytes does not fit in RAM: from its place "
                                  "at {:#x} (QEMU's) to the end of RAM at {:#x} there are {:#x} "
                                  "bytes",
                                  file, size, base, ram.end(), room)};
}

// The kernel's chunks, entry and end (the highest byte it uses + 1).
struct Kernel {
    std::vector<LoadChunk> chunks;
    uint64_t entry = 0;
    uint64_t end = 0;
};

kvm::Result<Kernel> elf_kernel(const std::string& name, std::vector<uint8_t> bytes,
                               const GpaRange& ram) {
    auto img = parse_elf(name, std::move(bytes));
    if (!img) return img.error();
    // The device tree's collisions are checked with the other chunks.
    if (auto r = check_elf_placement(img.value(), ram, {ram.base, 0}, ""); !r) return r.error();
    Kernel k{{}, img.value().entry, 0};
    for (const ElfSegment& s : img.value().segments) {
        auto first = img.value().bytes.begin() + long(s.offset);
        k.chunks.push_back({"segment", s.paddr, {first, first + long(s.filesz)}, s.memsz - s.filesz});
        k.end = std::max(k.end, s.range().end());
    }
    return k;
}

kvm::Result<Kernel> image_kernel(const std::string& name, std::vector<uint8_t> bytes,
                                 const GpaRange& ram) {
    auto h = parse_linux_image(name, bytes);
    if (!h) return h.error();
    // booting.rst: text_offset bytes from a 2 MiB aligned base; RAM's base is one.
    uint64_t load = ram.base + h.value().text_offset;
    uint64_t bss = h.value().image_size - bytes.size();
    LoadChunk c{"kernel", load, std::move(bytes), bss};
    uint64_t end = c.range().end();
    Kernel k;
    k.entry = load;
    k.end = end;
    k.chunks.push_back(std::move(c));
    return k;
}

Kernel raw_kernel(const BootOptions& opts, std::vector<uint8_t> bytes, const GpaRange& ram) {
    uint64_t load = opts.load_addr.value_or(ram.base + kRawDefaultOffset);
    LoadChunk c{"raw image", load, std::move(bytes), 0};
    Kernel k;
    k.entry = load;
    k.end = c.range().end();
    k.chunks.push_back(std::move(c));
    return k;
}

// name: the file as errors call it.
kvm::Result<Kernel> plan_kernel(ImageFormat f, const std::string& name, const BootOptions& opts,
                                std::vector<uint8_t> bytes, const GpaRange& ram) {
    switch (f) {
    case ImageFormat::Elf: return elf_kernel(name, std::move(bytes), ram);
    case ImageFormat::LinuxImage: return image_kernel(name, std::move(bytes), ram);
    case ImageFormat::Raw: return raw_kernel(opts, std::move(bytes), ram);
    }
    return kvm::Error{fmt::format("image format {} unknown", int(f))};
}

// The image as the loaders see it, and the name its errors give it.
struct Recognised {
    std::vector<uint8_t> bytes;
    ImageFormat format = ImageFormat::Raw;
    std::string name;
};

// As QEMU's load_aarch64_image, a gzip'd file is inflated first, then
// recognised as if it were the file; another architecture's kernel is
// refused before the raw-binary fallback would take it.
kvm::Result<Recognised> recognise(const BootOptions& opts, std::vector<uint8_t> bytes) {
    Recognised r{std::move(bytes), ImageFormat::Raw, opts.image};
    if (is_gzip(r.bytes)) {
        auto inflated = gunzip(opts.image, r.bytes, std::min(kMaxInflatedKernel, opts.ram_size));
        if (!inflated) return inflated.error();
        r.bytes = std::move(inflated.value());
        r.name += " (inflated)";
    }
    r.format = detect_format(r.bytes);
    if (r.format == ImageFormat::Raw)
        if (auto other = foreign_kernel(r.bytes))
            return kvm::Error{fmt::format("{}: {}: a kernel for another architecture, not AArch64",
                                          r.name, *other)};
    return r;
}

}  // namespace

const char* image_format_name(ImageFormat f) {
    switch (f) {
    case ImageFormat::Elf: return "ELF";
    case ImageFormat::LinuxImage: return "Linux Image";
    case ImageFormat::Raw: return "raw binary";
    }
    return "?";
}

ImageFormat detect_format(const std::vector<uint8_t>& bytes) {
    if (bytes.size() >= 4 && std::memcmp(bytes.data(), "\x7f" "ELF", 4) == 0) return ImageFormat::Elf;
    if (has_linux_image_magic(bytes)) return ImageFormat::LinuxImage;
    return ImageFormat::Raw;
}

kvm::Result<BootPlan> plan_boot(const BootOptions& opts) {
    BootFiles files;
    auto image = read_file(opts.image);
    if (!image) return image.error();
    files.image = std::move(image.value());
    if (!opts.initrd.empty()) {
        auto r = read_file(opts.initrd);
        if (!r) return r.error();
        files.initrd = std::move(r.value());
    }
    if (!opts.dtb.empty()) {
        auto r = read_file(opts.dtb);
        if (!r) return r.error();
        files.dtb = std::move(r.value());
    }
    return plan_boot(opts, std::move(files));
}

kvm::Result<BootPlan> plan_boot(const BootOptions& opts, BootFiles files) {
    const GpaRange ram{board::kRamBase, opts.ram_size};
    if (files.image.empty()) return kvm::Error{fmt::format("{}: empty image file", opts.image)};
    BootPlan plan;
    plan.ram_size = opts.ram_size;
    auto image = recognise(opts, std::move(files.image));
    if (!image) return image.error();
    const std::string name = image.value().name;
    plan.format = image.value().format;
    if (opts.load_addr && plan.format != ImageFormat::Raw)
        return kvm::Error{fmt::format("--load-addr {:#x}: {} is {} {}, placed as its headers "
                                      "say; --load-addr applies to raw binaries only",
                                      *opts.load_addr, opts.image,
                                      plan.format == ImageFormat::Elf ? "an" : "a",
                                      image_format_name(plan.format))};

    auto kernel = plan_kernel(plan.format, name, opts, std::move(image.value().bytes), ram);
    if (!kernel) return kernel.error();
    plan.entry = kernel.value().entry;

    // hw/arm/boot.c: far enough into RAM that a kernel decompressing
    // itself does not clobber it, and never under the kernel.
    uint64_t initrd_base = ram.base + std::min(opts.ram_size / 2, kInitrdMaxOffset);
    initrd_base = align_up(std::max(initrd_base, std::min(kernel.value().end, ram.end())), kPage);
    FdtConfig fc{ram.base, opts.ram_size, opts.num_cpus, opts.gic_version, opts.bootargs, {},
                 opts.cpu_compatible};
    uint64_t after_initrd = initrd_base;
    if (files.initrd) {
        if (files.initrd->empty())
            return kvm::Error{fmt::format("{}: empty initrd file", opts.initrd)};
        fc.initrd = GpaRange{initrd_base, files.initrd->size()};
        after_initrd = fc.initrd->end();
    }
    auto fdt = files.dtb ? adopt_fdt(opts.dtb, std::move(*files.dtb), fc) : build_fdt(fc);
    if (!fdt) return fdt.error();
    plan.fdt = std::move(fdt.value());
    // A bare-metal ELF gets the blob at the start of RAM and x0 = 0, as QEMU
    // gives it; a kernel gets it after the initrd, its address in x0.
    bool elf = plan.format == ImageFormat::Elf;
    plan.fdt_addr = elf ? ram.base : align_up(after_initrd, k2MiB);
    plan.x0 = elf ? 0 : plan.fdt_addr;

    // Checked in an order that names the image first when it collides.
    auto add_fdt = [&] {
        return add_chunk(plan, ram, {"device tree", plan.fdt_addr, plan.fdt, 0}, opts.dtb);
    };
    if (elf)
        if (auto r = add_fdt(); !r) return r.error();
    for (LoadChunk& c : kernel.value().chunks)
        if (auto r = add_chunk(plan, ram, std::move(c), name); !r) return r.error();
    if (files.initrd) {
        if (auto r = check_initrd_fits(opts.initrd, files.initrd->size(), initrd_base, ram); !r)
            return r.error();
        if (auto r = add_chunk(plan, ram, {"initrd", initrd_base, std::move(*files.initrd), 0},
                               opts.initrd);
            !r)
            return r.error();
    }
    if (!elf)
        if (auto r = add_fdt(); !r) return r.error();
    return plan;
}

}  // namespace vmm
