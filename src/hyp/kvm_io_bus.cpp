#include "hyp/kvm_io_bus.h"

#include <algorithm>

#include <fmt/format.h>

namespace hyp {

kvm::Result<void> KvmIoBus::register_dev(uint64_t base, uint64_t size, KvmIoDevice& dev) {
    if (!size || base + size < base)
        return kvm::Error{fmt::format("in-kernel device range {:#x}+{:#x} is empty or wraps", base, size)};
    for (const auto& r : ranges_)
        if (base < r.base + r.size && r.base < base + size)
            return kvm::Error{fmt::format("in-kernel device range {:#x}+{:#x} overlaps {:#x}+{:#x}",
                                          base, size, r.base, r.size)};
    ranges_.push_back({base, size, &dev});
    return {};
}

void KvmIoBus::unregister_dev(KvmIoDevice& dev) {
    std::erase_if(ranges_, [&](const KvmIoRange& r) { return r.dev == &dev; });
}

const KvmIoRange* KvmIoBus::find(uint64_t addr, unsigned len) const {
    for (const auto& r : ranges_)
        if (r.contains(addr, len)) return &r;
    return nullptr;
}

}  // namespace hyp
