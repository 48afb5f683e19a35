// In-kernel MMIO devices (Linux: struct kvm_io_bus, kvm_io_bus_read/write in
// virt/kvm/kvm_main.c). A stage-2 data abort whose IPA falls in a registered
// range is emulated in the hypervisor and never reaches userspace.
#pragma once

#include <cstdint>
#include <vector>

#include "kvm/result.h"

namespace hyp {

class KvmVcpu;

class KvmIoDevice {
public:
    virtual ~KvmIoDevice() = default;
    // offset is from the start of the registered range; len is 1, 2, 4 or 8.
    // Values are little-endian, zero-extended to 64 bits.
    virtual uint64_t read(KvmVcpu& v, uint64_t offset, unsigned len) = 0;
    virtual void write(KvmVcpu& v, uint64_t offset, unsigned len, uint64_t value) = 0;
};

struct KvmIoRange {
    uint64_t base = 0, size = 0;
    KvmIoDevice* dev = nullptr;
    bool contains(uint64_t addr, unsigned len) const {
        return addr >= base && addr - base < size && len <= size - (addr - base);
    }
};

class KvmIoBus {
public:
    // Fails, naming the ranges, when the new range overlaps one registered.
    kvm::Result<void> register_dev(uint64_t base, uint64_t size, KvmIoDevice& dev);
    void unregister_dev(KvmIoDevice& dev);
    // The range holding every byte of [addr, addr + len), or null.
    const KvmIoRange* find(uint64_t addr, unsigned len) const;

private:
    std::vector<KvmIoRange> ranges_;
};

}  // namespace hyp
