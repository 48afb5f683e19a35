#include "vmm/disk_spec.h"

#include <fmt/format.h>

#include "vmm/virtio/blk.h"
#include "vmm/virtio/disk_image.h"

namespace vmm {

namespace {

kvm::Error error(std::string_view text, std::string_view why) {
    return kvm::Error{fmt::format("--disk '{}': {}", text, why)};
}

}  // namespace

kvm::Result<DiskSpec> parse_disk_spec(std::string_view text) {
    DiskSpec spec;
    size_t comma = text.find(',');
    spec.path = std::string(text.substr(0, comma));
    if (spec.path.empty()) return error(text, "no file name");
    // Each option after a comma: readonly=on|off or snapshot=on|off, the
    // last one of a key wins.
    while (comma != std::string_view::npos) {
        const std::string_view rest = text.substr(comma + 1);
        const size_t next = rest.find(',');
        const std::string_view opt = rest.substr(0, next);
        const size_t eq = opt.find('=');
        const std::string_view key = opt.substr(0, eq);
        const std::string_view value = eq == std::string_view::npos ? "" : opt.substr(eq + 1);
        if (key != "readonly" && key != "snapshot")
            return error(text, fmt::format("unknown key '{}' (readonly=on|off, snapshot=on|off)", key));
        if (value != "on" && value != "off")
            return error(text, fmt::format("{}='{}' is not on or off", key, value));
        (key == "readonly" ? spec.readonly : spec.snapshot) = value == "on";
        comma = next == std::string_view::npos ? next : comma + 1 + next;
    }
    return spec;
}

kvm::Result<MachineConfig::VirtioFactory> disk_device(std::string_view text) {
    auto spec = parse_disk_spec(text);
    if (!spec) return spec.error();
    const DiskSpec& d = spec.value();
    auto image = d.snapshot && !d.readonly ? virtio::DiskImage::open_snapshot(d.path)
                                           : virtio::DiskImage::open(d.path, d.readonly);
    if (!image) return kvm::Error{fmt::format("--disk {}", image.error().message)};
    auto shared = std::make_shared<const virtio::DiskImage>(std::move(image.value()));
    return MachineConfig::VirtioFactory([shared]() -> kvm::Result<std::unique_ptr<virtio::Device>> {
        return std::unique_ptr<virtio::Device>(new virtio::Blk(shared));
    });
}

}  // namespace vmm
