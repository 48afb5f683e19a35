// Device access to guest RAM ("DMA"): every range is checked to lie wholly
// inside RAM (a guest address in MMIO, or past RAM's end, fails rather than
// reaching host memory), and every write is reported to the hypervisor as
// the vcpus' own writes are (Vm::memory_written), so code the device
// overwrites is decoded again before it runs.
#pragma once

#include <cstdint>
#include <functional>
#include <span>

#include "vmm/bus.h"
#include "vmm/guest_ram.h"

namespace vmm::virtio {

class Dma {
public:
    using WriteHook = std::function<void(uint64_t gpa, uint64_t size)>;
    // ram: the host bytes behind guest-physical [base, base + ram.size()).
    Dma(uint64_t base, std::span<uint8_t> ram, WriteHook written)
        : base_(base), ram_(ram), written_(std::move(written)) {}
    Dma(const GuestRam& ram, WriteHook written)
        : Dma(ram.range().base, ram.slice(ram.range()), std::move(written)) {}

    // False, and nothing copied, when [gpa, gpa + size) is not all RAM.
    bool read(uint64_t gpa, std::span<uint8_t> out) const;
    bool write(uint64_t gpa, std::span<const uint8_t> in) const;
    bool in_ram(uint64_t gpa, uint64_t size) const {
        return GpaRange{base_, ram_.size()}.contains({gpa, size});
    }

    template <typename T> bool read_le(uint64_t gpa, T& value) const {
        uint8_t b[sizeof(T)];
        if (!read(gpa, b)) return false;
        value = T(load_le(b));
        return true;
    }
    template <typename T> bool write_le(uint64_t gpa, T value) const {
        uint8_t b[sizeof(T)];
        store_le(b, value);
        return write(gpa, b);
    }

private:
    uint8_t* host(uint64_t gpa) const { return ram_.data() + (gpa - base_); }

    uint64_t base_;
    std::span<uint8_t> ram_;
    WriteHook written_;
};

}  // namespace vmm::virtio
