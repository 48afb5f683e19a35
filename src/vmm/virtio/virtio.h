// Facts from the virtio specification (OASIS "Virtual I/O Device (VIRTIO)
// Version 1.2", cited as "virtio §N") that the transport, the virtqueues and
// the devices share.
#pragma once

#include <cstdint>

namespace vmm::virtio {

// Device status (§2.1).
enum Status : uint32_t {
    kAcknowledge = 1,
    kDriver = 2,
    kDriverOk = 4,
    kFeaturesOk = 8,
    kNeedsReset = 64,
    kFailed = 128,
};

// Reserved feature bits the transport and the rings implement (§6).
inline constexpr unsigned kFeatureRingIndirectDesc = 28;
inline constexpr unsigned kFeatureRingEventIdx = 29;
inline constexpr unsigned kFeatureVersion1 = 32;
inline constexpr uint64_t bit(unsigned feature) { return uint64_t(1) << feature; }

// Device ids (§5).
enum DeviceId : uint32_t {
    kDeviceNone = 0,  // an unused transport (§4.2.3.1.1)
    kDeviceNet = 1,
    kDeviceBlock = 2,
    kDeviceEntropy = 4,
};

// InterruptStatus bits (§4.2.2).
inline constexpr uint32_t kInterruptUsedBuffer = 1;
inline constexpr uint32_t kInterruptConfigChange = 2;

// Split virtqueue layout (§2.7).
inline constexpr uint16_t kDescFlagNext = 1;
inline constexpr uint16_t kDescFlagWrite = 2;
inline constexpr uint16_t kDescFlagIndirect = 4;
inline constexpr uint16_t kAvailFlagNoInterrupt = 1;
inline constexpr uint16_t kUsedFlagNoNotify = 1;
inline constexpr uint32_t kDescSize = 16;
inline constexpr uint32_t kUsedElemSize = 8;
// The largest queue a split ring can have (§2.7: Queue Size < 2^15 + 1).
inline constexpr uint32_t kMaxQueueSize = 32768;

}  // namespace vmm::virtio
