// --disk FILE[,readonly=on|off][,snapshot=on|off]: a raw image for a
// virtio-blk device.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "kvm/result.h"
#include "vmm/machine.h"

namespace vmm {

struct DiskSpec {
    std::string path;
    bool readonly = false;
    bool snapshot = false;  // writes go to memory, not the file (DiskImage::open_snapshot)
};

// Errors name the text: an empty file name, an unknown key, a value other
// than on or off.
kvm::Result<DiskSpec> parse_disk_spec(std::string_view text);

// Parses the text and opens (and locks) the image now, so that a missing
// file or an image another process uses stops the run before any VM
// exists; the factory makes the virtio-blk device on it.
kvm::Result<MachineConfig::VirtioFactory> disk_device(std::string_view text);

}  // namespace vmm
