#include "vmm/bus.h"

#include <cstdio>
#include <fmt/format.h>

namespace vmm {

const char* direction_name(Direction d) { return d == Direction::Read ? "read" : "write"; }

LogSink stderr_log() {
    return [](std::string_view line) {
        std::fflush(stdout);  // keep guest output and diagnostics in order on a terminal
        fmt::print(stderr, "{}\n", line);
    };
}

uint64_t load_le(std::span<const uint8_t> data) {
    uint64_t v = 0;
    for (size_t i = 0; i < data.size() && i < 8; ++i) v |= uint64_t(data[i]) << (8 * i);
    return v;
}

void store_le(std::span<uint8_t> data, uint64_t value) {
    for (size_t i = 0; i < data.size(); ++i) data[i] = i < 8 ? uint8_t(value >> (8 * i)) : 0;
}

kvm::Result<void> MmioBus::insert(Device& dev, uint64_t base, uint64_t size) {
    if (size == 0 || base + size < base)
        return kvm::Error{fmt::format("{}: invalid MMIO range base {:#x} size {:#x}", dev.name(),
                                      base, size)};
    uint64_t end = base + size;  // exclusive
    // The first range starting at or after base must start at or after end;
    // the one before must end at or before base.
    auto next = ranges_.lower_bound(base);
    if (next != ranges_.end() && next->first < end)
        return kvm::Error{fmt::format("{}: MMIO range {:#x}..{:#x} overlaps {} at {:#x}..{:#x}",
                                      dev.name(), base, end, next->second.dev->name(),
                                      next->first, next->first + next->second.size)};
    if (next != ranges_.begin()) {
        auto prev = std::prev(next);
        if (prev->first + prev->second.size > base)
            return kvm::Error{fmt::format(
                "{}: MMIO range {:#x}..{:#x} overlaps {} at {:#x}..{:#x}", dev.name(), base, end,
                prev->second.dev->name(), prev->first, prev->first + prev->second.size)};
    }
    ranges_.emplace(base, Range{size, &dev});
    return {};
}

const Device* MmioBus::find(uint64_t addr) const {
    auto it = ranges_.upper_bound(addr);
    if (it == ranges_.begin()) return nullptr;
    --it;
    return addr - it->first < it->second.size ? it->second.dev : nullptr;
}

void MmioBus::access(Direction dir, uint64_t addr, std::span<uint8_t> data) {
    if (dir == Direction::Read) std::fill(data.begin(), data.end(), 0);
    auto it = ranges_.upper_bound(addr);
    if (it != ranges_.begin()) {
        --it;
        uint64_t offset = addr - it->first;
        if (offset < it->second.size && data.size() <= it->second.size - offset) {
            it->second.dev->access(dir, offset, data);
            return;
        }
    }
    unassigned(dir, addr, data);
}

void MmioBus::unassigned(Direction dir, uint64_t addr, std::span<const uint8_t> data) {
    // One line per distinct address: a guest polling a missing device would
    // otherwise flood the terminal.
    if (log_silenced_ || !log_ || logged_.contains(addr)) return;
    if (logged_.size() == kMaxLoggedAddresses) {
        log_silenced_ = true;
        log_(fmt::format("stepvisor: more than {} unassigned addresses accessed; no longer "
                         "reporting them",
                         kMaxLoggedAddresses));
        return;
    }
    logged_.insert(addr);
    if (dir == Direction::Read)
        log_(fmt::format("stepvisor: unassigned {}-byte read at {:#x} returns 0", data.size(),
                         addr));
    else
        log_(fmt::format("stepvisor: unassigned {}-byte write of {:#x} at {:#x} ignored",
                         data.size(), load_le(data), addr));
}

}  // namespace vmm
