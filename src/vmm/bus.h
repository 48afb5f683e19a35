// The MMIO bus: userspace devices keyed by guest-physical address range
// (after Firecracker's bus.rs and kvmtool's mmio.c).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>

#include "kvm/result.h"

namespace vmm {

enum class Direction { Read, Write };
const char* direction_name(Direction d);

// A device on the bus. One entry point serves both directions, so read and
// write cannot drift apart (STYLE "Twin branches drift").
class Device {
public:
    virtual ~Device() = default;
    virtual std::string_view name() const = 0;
    // offset: from the start of the device's range; data: 1, 2, 4 or 8 bytes,
    // little-endian, as the guest's access. Read fills data (it arrives
    // zeroed); Write consumes it. Sizes or offsets the device does not
    // support read as 0 and ignore writes: a guest cannot make it fail.
    virtual void access(Direction dir, uint64_t offset, std::span<uint8_t> data) = 0;
};

// Where the bus reports accesses nothing answers; a line without newline.
using LogSink = std::function<void(std::string_view line)>;
LogSink stderr_log();

class MmioBus {
public:
    explicit MmioBus(LogSink log = stderr_log()) : log_(std::move(log)) {}

    // Places dev at base..base+size. Ranges must not overlap or wrap; the bus
    // does not own dev, which must outlive it.
    kvm::Result<void> insert(Device& dev, uint64_t base, uint64_t size);

    // An access from the guest. An access that lies wholly inside a device's
    // range goes to it; any other is unassigned (reads 0, writes ignored),
    // logged once per distinct address, for at most kMaxLoggedAddresses.
    void access(Direction dir, uint64_t addr, std::span<uint8_t> data);

    // The device covering addr, if any (tests and diagnostics).
    const Device* find(uint64_t addr) const;

    static constexpr size_t kMaxLoggedAddresses = 32;

private:
    struct Range {
        uint64_t size;
        Device* dev;
    };
    void unassigned(Direction dir, uint64_t addr, std::span<const uint8_t> data);

    std::map<uint64_t, Range> ranges_;  // by base
    LogSink log_;
    std::set<uint64_t> logged_;
    bool log_silenced_ = false;
};

// Little-endian helpers for devices and the exit handler.
uint64_t load_le(std::span<const uint8_t> data);
void store_le(std::span<uint8_t> data, uint64_t value);

}  // namespace vmm
