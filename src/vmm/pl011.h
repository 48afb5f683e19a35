// ARM PrimeCell UART (PL011), as Linux's amba-pl011 driver and a console
// need it: transmit, a receive FIFO fed from the host, flags, the interrupt
// registers and the combined interrupt output UARTINTR. Facts from the PL011
// Technical Reference Manual (ARM DDI 0183G), chapter 3.
//
// Transmission is instantaneous (the transmit FIFO is always empty); baud
// rate, line control and DMA registers hold their values and change nothing.
// Not modelled: modem lines, IrDA, loopback (UARTCR.LBE), framing, parity
// and break errors (the host hands over bytes, not a line signal).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>

#include "vmm/bus.h"

namespace vmm {

class Pl011 : public Device {
public:
    // Register offsets (TRM table 3-1).
    enum Reg : uint32_t {
        UARTDR = 0x000,
        UARTRSR = 0x004,  // UARTECR on write
        UARTFR = 0x018,
        UARTILPR = 0x020,
        UARTIBRD = 0x024,
        UARTFBRD = 0x028,
        UARTLCR_H = 0x02C,
        UARTCR = 0x030,
        UARTIFLS = 0x034,
        UARTIMSC = 0x038,
        UARTRIS = 0x03C,
        UARTMIS = 0x040,
        UARTICR = 0x044,
        UARTDMACR = 0x048,
        UARTPeriphID0 = 0xFE0,
        UARTCellID0 = 0xFF0,
    };
    // UARTFR bits (TRM 3.3.3).
    static constexpr uint32_t kFrBusy = 1u << 3;
    static constexpr uint32_t kFrRxfe = 1u << 4;
    static constexpr uint32_t kFrTxff = 1u << 5;
    static constexpr uint32_t kFrRxff = 1u << 6;
    static constexpr uint32_t kFrTxfe = 1u << 7;
    // UARTLCR_H.FEN: FIFOs enabled; off, each FIFO is a one-byte holding register.
    static constexpr uint32_t kLcrhFen = 1u << 4;
    // UARTDR and UARTRSR overrun error bit (TRM 3.3.1, 3.3.2).
    static constexpr uint32_t kDrOe = 1u << 11;
    static constexpr uint32_t kRsrOe = 1u << 3;
    // Interrupt bits shared by UARTIMSC, UARTRIS, UARTMIS and UARTICR (3.3.10+).
    static constexpr uint32_t kIntRx = 1u << 4;
    static constexpr uint32_t kIntTx = 1u << 5;
    static constexpr uint32_t kIntRt = 1u << 6;
    static constexpr uint32_t kIntOe = 1u << 10;
    static constexpr uint32_t kIntMask = 0x7FF;
    // FIFO depth: 16, as the PeriphID's revision (r1) tells Linux's driver.
    static constexpr unsigned kFifoDepth = 16;

    // Each transmitted byte goes to the sink.
    using Sink = std::function<void(uint8_t)>;
    // UARTINTR, called on every change of level.
    using IrqLine = std::function<void(bool level)>;
    explicit Pl011(Sink sink = stdout_sink());
    static Sink stdout_sink();

    std::string_view name() const override { return "pl011"; }
    // 1-, 2- and 4-byte accesses at a register's word address act on the low
    // bits of the register; anything else reads 0 and ignores writes.
    void access(Direction dir, uint64_t offset, std::span<uint8_t> data) override;

    // Host side: bytes the receive FIFO can take now (the rest waits at the
    // host, so nothing typed is lost), and one received byte. A byte that
    // arrives with the FIFO full is lost and flagged as an overrun.
    unsigned rx_room() const;
    void receive(uint8_t byte);

    // The level of UARTINTR: the OR of UARTMIS.
    bool interrupt_level() const { return (ris_ & imsc_) != 0; }
    void connect_irq(IrqLine line) { irq_ = std::move(line); }
    // Reset values (TRM 3.2): FIFO emptied, UARTINTR low.
    void reset();

private:
    uint32_t read(uint32_t offset) const;
    uint32_t read_dr();
    void write(uint32_t offset, uint32_t value);
    void transmit(uint8_t byte);
    unsigned rx_capacity() const { return (lcr_h_ & kLcrhFen) ? kFifoDepth : 1; }
    unsigned rx_trigger() const;
    void update_rx_interrupts();
    void update_irq();

    Sink sink_;
    IrqLine irq_;
    bool irq_level_ = false;
    std::deque<uint16_t> rx_fifo_;  // data byte and error bits [11:8], as UARTDR reads them
    // Reset values: TRM 3.2, table 3-1.
    uint32_t rsr_ = 0;
    uint32_t ilpr_ = 0;
    uint32_t ibrd_ = 0;
    uint32_t fbrd_ = 0;
    uint32_t lcr_h_ = 0;
    uint32_t cr_ = 0x0300;  // TXE and RXE set, UARTEN clear
    uint32_t ifls_ = 0x12;  // both FIFO levels at half
    uint32_t imsc_ = 0;
    uint32_t ris_ = 0;
    uint32_t dmacr_ = 0;
};

}  // namespace vmm
