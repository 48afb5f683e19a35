#include "vmm/pl011.h"

#include <array>
#include <cstdio>

namespace vmm {

namespace {

// UARTPeriphID0..3 then UARTCellID0..3 (TRM 3.3.14-3.3.21): part number
// 0x011, designer ARM (0x41), revision r1p5 (3), and the PrimeCell id.
constexpr std::array<uint8_t, 8> kIds = {0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1};

}  // namespace

Pl011::Pl011(Sink sink) : sink_(std::move(sink)) {}

Pl011::Sink Pl011::stdout_sink() {
    return [](uint8_t byte) {
        std::fputc(byte, stdout);
        // Line-at-a-time: a crash or a kill must not lose a finished line.
        if (byte == '\n') std::fflush(stdout);
    };
}

void Pl011::access(Direction dir, uint64_t offset, std::span<uint8_t> data) {
    size_t size = data.size();
    bool supported = (size == 1 || size == 2 || size == 4) && offset % 4 == 0 && offset < 0x1000;
    if (!supported) return;  // data arrives zeroed for a read
    uint32_t off = uint32_t(offset);
    if (dir == Direction::Read) {
        store_le(data, read(off));
    } else {
        // A narrow write changes only the bytes it covers; read() has no side
        // effects, so the rest comes from the register's current value.
        uint32_t mask = size == 4 ? 0xFFFF'FFFFu : (1u << (8 * size)) - 1;
        uint32_t value = (read(off) & ~mask) | (uint32_t(load_le(data)) & mask);
        write(off, value);
    }
}

uint32_t Pl011::read(uint32_t offset) {
    switch (offset) {
    case UARTDR: return 0;  // receive FIFO empty: nothing to read yet
    case UARTRSR: return rsr_;
    case UARTFR:
        // Transmission is instantaneous, so the transmit FIFO is always empty
        // and never full; nothing is ever received.
        return kFrTxfe | kFrRxfe;
    case UARTILPR: return ilpr_;
    case UARTIBRD: return ibrd_;
    case UARTFBRD: return fbrd_;
    case UARTLCR_H: return lcr_h_;
    case UARTCR: return cr_;
    case UARTIFLS: return ifls_;
    case UARTIMSC: return imsc_;
    case UARTRIS: return ris_;
    case UARTMIS: return ris_ & imsc_;
    case UARTDMACR: return dmacr_;
    default: break;
    }
    if (offset >= UARTPeriphID0 && offset < UARTPeriphID0 + 4 * kIds.size())
        return kIds[(offset - UARTPeriphID0) / 4];
    return 0;  // reserved and write-only (UARTICR) offsets
}

void Pl011::write(uint32_t offset, uint32_t value) {
    switch (offset) {
    case UARTDR:
        // Hardware drops data while UARTEN or TXE is clear; QEMU sends it
        // anyway, and so do we: bare-metal guests print without enabling.
        transmit(uint8_t(value));
        break;
    case UARTRSR: rsr_ = 0; break;  // UARTECR: any write clears the errors
    case UARTILPR: ilpr_ = value & 0xFF; break;
    case UARTIBRD: ibrd_ = value & 0xFFFF; break;
    case UARTFBRD: fbrd_ = value & 0x3F; break;
    case UARTLCR_H: lcr_h_ = value & 0xFF; break;
    case UARTCR: cr_ = value & 0xFFFF; break;
    case UARTIFLS: ifls_ = value & 0x3F; break;
    case UARTIMSC: imsc_ = value & kIntMask; break;
    case UARTICR: ris_ &= ~(value & kIntMask); break;
    case UARTDMACR: dmacr_ = value & 0x7; break;
    default: break;  // read-only and reserved offsets ignore writes
    }
}

void Pl011::transmit(uint8_t byte) {
    if (sink_) sink_(byte);
    // The byte leaves at once, so the transmit FIFO is at once below its
    // trigger level: the transmit interrupt is raised (TRM 3.4.3).
    ris_ |= kIntTx;
}

}  // namespace vmm
