#include "vmm/virtio/dma.h"

#include <cstring>

namespace vmm::virtio {

bool Dma::read(uint64_t gpa, std::span<uint8_t> out) const {
    if (!in_ram(gpa, out.size())) return false;
    if (!out.empty()) std::memcpy(out.data(), host(gpa), out.size());
    return true;
}

bool Dma::write(uint64_t gpa, std::span<const uint8_t> in) const {
    if (!in_ram(gpa, in.size())) return false;
    if (in.empty()) return true;
    std::memcpy(host(gpa), in.data(), in.size());
    if (written_) written_(gpa, in.size());
    return true;
}

}  // namespace vmm::virtio
