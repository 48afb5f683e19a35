#include "vmm/pl011.h"

#include <array>
#include <cstdio>

namespace vmm {

namespace {

// UARTPeriphID0..3 then UARTCellID0..3 (TRM 3.3.14-3.3.21): part number
// 0x011, designer ARM (0x41), revision 1, and the PrimeCell id; QEMU's values.
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

void Pl011::reset() {
    rx_fifo_.clear();
    rsr_ = ilpr_ = ibrd_ = fbrd_ = lcr_h_ = imsc_ = ris_ = dmacr_ = 0;
    cr_ = 0x0300;
    ifls_ = 0x12;
    update_irq();
}

void Pl011::access(Direction dir, uint64_t offset, std::span<uint8_t> data) {
    size_t size = data.size();
    bool supported = (size == 1 || size == 2 || size == 4) && offset % 4 == 0 && offset < 0x1000;
    if (!supported) return;  // data arrives zeroed for a read
    uint32_t off = uint32_t(offset);
    if (dir == Direction::Read) {
        // Only UARTDR has a read side effect: it pops the receive FIFO.
        store_le(data, off == UARTDR ? read_dr() : read(off));
    } else {
        // A narrow write changes only the bytes it covers; the rest comes from
        // the register's current value (read() has no side effects).
        uint32_t mask = size == 4 ? 0xFFFF'FFFFu : (1u << (8 * size)) - 1;
        uint32_t value = (read(off) & ~mask) | (uint32_t(load_le(data)) & mask);
        write(off, value);
    }
    update_irq();
}

uint32_t Pl011::read(uint32_t offset) const {
    switch (offset) {
    case UARTDR: return rx_fifo_.empty() ? 0 : rx_fifo_.front();
    case UARTRSR: return rsr_;
    case UARTFR: {
        // The transmit FIFO drains at once: always empty, never full or busy.
        uint32_t fr = kFrTxfe;
        if (rx_fifo_.empty()) fr |= kFrRxfe;
        if (rx_fifo_.size() >= rx_capacity()) fr |= kFrRxff;
        return fr;
    }
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

uint32_t Pl011::read_dr() {
    if (rx_fifo_.empty()) return 0;
    uint32_t v = rx_fifo_.front();
    rx_fifo_.pop_front();
    update_rx_interrupts();
    return v;
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
    case UARTLCR_H:
        lcr_h_ = value & 0xFF;
        update_rx_interrupts();  // the depth, and so the trigger level, may change
        break;
    case UARTCR: cr_ = value & 0xFFFF; break;
    case UARTIFLS:
        ifls_ = value & 0x3F;
        update_rx_interrupts();
        break;
    case UARTIMSC: imsc_ = value & kIntMask; break;
    case UARTICR: ris_ &= ~(value & kIntMask); break;
    case UARTDMACR: dmacr_ = value & 0x7; break;
    default: break;  // read-only and reserved offsets ignore writes
    }
}

void Pl011::transmit(uint8_t byte) {
    if (sink_) sink_(byte);
    // The byte leaves at once, so the transmit FIFO is at once at or below
    // its trigger level: the transmit interrupt is raised (TRM 3.4.3).
    ris_ |= kIntTx;
}

unsigned Pl011::rx_room() const {
    size_t cap = rx_capacity();
    return rx_fifo_.size() >= cap ? 0 : unsigned(cap - rx_fifo_.size());
}

void Pl011::receive(uint8_t byte) {
    if (rx_room() == 0) {
        // Overrun (TRM 3.3.2): the FIFO keeps its contents, the byte is lost.
        rsr_ |= kRsrOe;
        ris_ |= kIntOe;
        if (!rx_fifo_.empty()) rx_fifo_.back() |= kDrOe;
    } else {
        rx_fifo_.push_back(byte);
        // The host hands over a burst and then the line is idle: the receive
        // timeout (32 bit periods without data, TRM 3.4.3) has passed at once.
        ris_ |= kIntRt;
    }
    update_rx_interrupts();
    update_irq();
}

// UARTIFLS.RXIFLSEL (TRM 3.3.9): 1/8, 1/4, 1/2, 3/4 or 7/8 full.
unsigned Pl011::rx_trigger() const {
    if (!(lcr_h_ & kLcrhFen)) return 1;
    static constexpr unsigned kEighths[8] = {1, 2, 4, 6, 7, 7, 7, 7};
    return kFifoDepth * kEighths[(ifls_ >> 3) & 7] / 8;
}

void Pl011::update_rx_interrupts() {
    // UARTRXINTR follows the level: set at or above the trigger, cleared by
    // reads that take it below; the timeout clears when the FIFO empties.
    if (rx_fifo_.size() >= rx_trigger())
        ris_ |= kIntRx;
    else
        ris_ &= ~kIntRx;
    if (rx_fifo_.empty()) ris_ &= ~kIntRt;
}

void Pl011::update_irq() {
    bool level = interrupt_level();
    if (level == irq_level_) return;
    irq_level_ = level;
    if (irq_) irq_(level);
}

}  // namespace vmm
