// The board: QEMU `virt` with gic-version=3, so one guest image runs on both
// machines and their traces compare line by line.
//
//   guest physical address
//   0x0000_0000 +-------------------------------+
//               | flash (QEMU: 2 x 64 MiB)      | not modelled
//   0x0800_0000 +-------------------------------+
//               | GIC distributor      64 KiB   | in-kernel (src/hyp)
//   0x0801_0000 +-------------------------------+
//               | GICv2 CPU interface  64 KiB   | --gic-version 2 only
//   0x0802_0000 | (QEMU: GICv2m, ITS)           | not modelled
//   0x080A_0000 +-------------------------------+
//               | GICv3 redistributors          | in-kernel, 128 KiB per vcpu
//               | (region ends at 0x0900_0000)  |
//   0x0900_0000 +-------------------------------+
//               | PL011 UART           4 KiB    | userspace, SPI 1
//   0x0901_0000 | PL031 RTC            4 KiB    | userspace, SPI 2
//   0x0902_0000 | fw_cfg                        | not modelled
//   0x0903_0000 | PL061 GPIO                    | not modelled
//   0x0A00_0000 | virtio-mmio, 32 x 0x200       | userspace, SPI 16..47
//               | (platform bus, PCIe)          | not modelled
//   0x4000_0000 +-------------------------------+
//               | RAM (-m, default 128 MiB)     | memory slot 0
//               |   +0: device tree blob        | bare-metal ELF (x0 = 0)
//               |   +0x8_0000: Linux Image      | + text_offset; raw binaries
//               |   or raw binary               | at --load-addr (this default)
//               |   +2 MiB: the guests' link    |
//               |   address (guests/link.ld)    |
//               |   +min(RAM/2, 128 MiB): the   | after the kernel if higher
//               |   initrd, then (Image, raw)   | 2 MiB aligned, x0 = its
//               |   the device tree blob        | address (boot.h)
//               +-------------------------------+
//
// An access to a region that is not modelled is unassigned: reads return 0,
// writes are ignored, and the VMM logs it (MmioBus).
//
// Constants exist only for what stepvisor implements.
#pragma once

#include <cstdint>

namespace vmm::board {

// The GIC, emulated in the hypervisor: v3 (default) or v2 (--gic-version).
inline constexpr uint64_t kGicDistBase = 0x0800'0000;
inline constexpr uint64_t kGicDistSize = 0x1'0000;
inline constexpr uint64_t kGicCpuIfBase = 0x0801'0000;  // GICv2 only
inline constexpr uint64_t kGicCpuIfSize = 0x1'0000;
inline constexpr uint64_t kGicRedistBase = 0x080A'0000;
inline constexpr uint64_t kGicRedistStride = 0x2'0000;  // RD_base + SGI_base frames
inline constexpr uint64_t kGicRedistRegionSize = 0xF6'0000;  // up to 0x0900_0000

// PL011, emulated in userspace.
inline constexpr uint64_t kUartBase = 0x0900'0000;
inline constexpr uint64_t kUartSize = 0x1000;
inline constexpr uint32_t kUartSpi = 1;
inline constexpr uint32_t kUartClockHz = 24'000'000;  // QEMU's apb-pclk

// Generic timer PPIs (INTID - 16) in the order the arm,armv8-timer binding
// lists them: secure physical, non-secure physical, virtual, hypervisor.
inline constexpr uint32_t kTimerPpiSecurePhys = 13;
inline constexpr uint32_t kTimerPpiNonSecurePhys = 14;
inline constexpr uint32_t kTimerPpiVirt = 11;
inline constexpr uint32_t kTimerPpiHyp = 10;

// PL031, emulated in userspace; its apb_pclk is the UART's clock.
inline constexpr uint64_t kRtcBase = 0x0901'0000;
inline constexpr uint64_t kRtcSize = 0x1000;
inline constexpr uint32_t kRtcSpi = 2;

// virtio-mmio transports, emulated in userspace (src/vmm/virtio). QEMU
// gives devices the highest transport first: the first device is at
// kVirtioBase + 31 * kVirtioStride (virtio_transport_for).
inline constexpr uint64_t kVirtioBase = 0x0A00'0000;
inline constexpr uint64_t kVirtioStride = 0x200;
inline constexpr unsigned kVirtioCount = 32;
inline constexpr uint32_t kVirtioSpi = 16;  // transport i: SPI 16 + i
inline constexpr unsigned virtio_transport_for(unsigned device) {
    return kVirtioCount - 1 - device;
}

// RAM: memory slot 0.
inline constexpr uint64_t kRamBase = 0x4000'0000;
inline constexpr uint32_t kRamSlot = 0;
inline constexpr uint64_t kRamDefaultSize = 128ull << 20;
inline constexpr uint64_t kRamMinSize = 2ull << 20;
inline constexpr uint64_t kRamMaxSize = 32ull << 30;

// Device tree blob for a bare-metal ELF: at the start of RAM; its size is the
// blob's own, at most kFdtMaxSize.
inline constexpr uint64_t kFdtBase = kRamBase;
inline constexpr uint64_t kFdtMaxSize = 0x1'0000;

}  // namespace vmm::board
