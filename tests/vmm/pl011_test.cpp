// PL011 registers as the TRM (DDI 0183G) lists them: transmit output, the
// receive FIFO, flags, interrupts and the UARTINTR line.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "vmm/pl011.h"

namespace vmm {
namespace {

struct Pl011Test : ::testing::Test {
    std::string out;
    Pl011 uart{[this](uint8_t b) { out.push_back(char(b)); }};
    std::vector<bool> irq;  // every UARTINTR edge
    void SetUp() override { uart.connect_irq([this](bool l) { irq.push_back(l); }); }
    void fifo_on() { wr(Pl011::UARTLCR_H, Pl011::kLcrhFen | 0x60); }  // FEN, 8 bits

    uint64_t rd(uint64_t off, size_t size = 4) {
        uint8_t d[8] = {};
        uart.access(Direction::Read, off, std::span<uint8_t>(d, size));
        return load_le(std::span<const uint8_t>(d, size));
    }
    void wr(uint64_t off, uint64_t v, size_t size = 4) {
        uint8_t d[8];
        store_le(std::span<uint8_t>(d, size), v);
        uart.access(Direction::Write, off, std::span<uint8_t>(d, size));
    }
};

TEST_F(Pl011Test, TransmitsDataRegisterWrites) {
    for (char c : std::string("Hi\n")) wr(Pl011::UARTDR, uint8_t(c));
    wr(Pl011::UARTDR, 'x', 1);  // byte store, as `strb`
    wr(Pl011::UARTDR, 0x100 | 'y');  // only bits [7:0] are data
    EXPECT_EQ(out, "Hi\nxy");
}

TEST_F(Pl011Test, FlagsSayTransmitEmptyNeverFullReceiveEmpty) {
    uint64_t fr = rd(Pl011::UARTFR);
    EXPECT_TRUE(fr & Pl011::kFrTxfe);
    EXPECT_FALSE(fr & Pl011::kFrTxff);
    EXPECT_TRUE(fr & Pl011::kFrRxfe);
    EXPECT_FALSE(fr & Pl011::kFrBusy);
    wr(Pl011::UARTDR, 'a');
    EXPECT_EQ(rd(Pl011::UARTFR), fr);
    EXPECT_EQ(rd(Pl011::UARTDR), 0u);  // nothing received
}

TEST_F(Pl011Test, ResetValues) {
    EXPECT_EQ(rd(Pl011::UARTCR), 0x300u);
    EXPECT_EQ(rd(Pl011::UARTIFLS), 0x12u);
    EXPECT_EQ(rd(Pl011::UARTIMSC), 0u);
    EXPECT_EQ(rd(Pl011::UARTRIS), 0u);
    EXPECT_EQ(rd(Pl011::UARTLCR_H), 0u);
}

TEST_F(Pl011Test, ControlAndBaudRegistersHoldTheirWidth) {
    wr(Pl011::UARTIBRD, 0x12345);
    EXPECT_EQ(rd(Pl011::UARTIBRD), 0x2345u);  // 16 bits
    wr(Pl011::UARTFBRD, 0xFF);
    EXPECT_EQ(rd(Pl011::UARTFBRD), 0x3Fu);  // 6 bits
    wr(Pl011::UARTLCR_H, 0x70);
    EXPECT_EQ(rd(Pl011::UARTLCR_H), 0x70u);
    wr(Pl011::UARTCR, 0x301);
    EXPECT_EQ(rd(Pl011::UARTCR), 0x301u);
}

TEST_F(Pl011Test, NarrowWritesChangeOnlyTheirBytes) {
    wr(Pl011::UARTCR, 0x0301);
    wr(Pl011::UARTCR, 0x00, 1);  // clear UARTEN only
    EXPECT_EQ(rd(Pl011::UARTCR), 0x300u);
    EXPECT_EQ(rd(Pl011::UARTCR, 1), 0x00u);
    EXPECT_EQ(rd(Pl011::UARTCR, 2), 0x300u);
}

TEST_F(Pl011Test, TransmitRaisesTxInterruptMaskedAndClearedByIcr) {
    wr(Pl011::UARTDR, 'a');
    EXPECT_EQ(rd(Pl011::UARTRIS) & Pl011::kIntTx, Pl011::kIntTx);
    EXPECT_EQ(rd(Pl011::UARTMIS), 0u);
    EXPECT_FALSE(uart.interrupt_level());
    wr(Pl011::UARTIMSC, Pl011::kIntTx);
    EXPECT_EQ(rd(Pl011::UARTMIS), Pl011::kIntTx);
    EXPECT_TRUE(uart.interrupt_level());
    wr(Pl011::UARTICR, Pl011::kIntTx);
    EXPECT_EQ(rd(Pl011::UARTRIS), 0u);
    EXPECT_EQ(rd(Pl011::UARTMIS), 0u);
    EXPECT_EQ(rd(Pl011::UARTICR), 0u);  // write-only
    EXPECT_FALSE(uart.interrupt_level());
}

TEST_F(Pl011Test, PeripheralAndPrimeCellIds) {
    const uint8_t ids[8] = {0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1};
    for (unsigned i = 0; i < 8; ++i) EXPECT_EQ(rd(0xFE0 + 4 * i), ids[i]) << "offset " << 0xFE0 + 4 * i;
    EXPECT_EQ(rd(0xFE0, 1), 0x11u);
}

TEST_F(Pl011Test, UnknownOffsetsAndSizesReadZeroIgnoreWrites) {
    EXPECT_EQ(rd(0x100), 0u);
    EXPECT_EQ(rd(0xFDC), 0u);
    wr(0x100, 0xFFFFFFFF);
    wr(Pl011::UARTCR + 1, 0xFF, 1);  // not at the register's address
    EXPECT_EQ(rd(Pl011::UARTCR), 0x300u);
    EXPECT_EQ(rd(Pl011::UARTCR, 8), 0u);  // 64-bit access
    wr(Pl011::UARTDR, 'z', 8);
    EXPECT_EQ(out, "");
    wr(Pl011::UARTRSR, 0);  // UARTECR
    EXPECT_EQ(rd(Pl011::UARTRSR), 0u);
}

// TRM 3.3.3: RXFE while nothing is held; with FEN clear the "FIFO" is a
// one-byte holding register, so one byte makes it full.
TEST_F(Pl011Test, ReceiveHoldingRegisterWithoutFifo) {
    EXPECT_EQ(uart.rx_room(), 1u);
    uart.receive('a');
    EXPECT_EQ(uart.rx_room(), 0u);
    uint64_t fr = rd(Pl011::UARTFR);
    EXPECT_FALSE(fr & Pl011::kFrRxfe);
    EXPECT_TRUE(fr & Pl011::kFrRxff);
    EXPECT_EQ(rd(Pl011::UARTDR), uint64_t('a'));
    EXPECT_TRUE(rd(Pl011::UARTFR) & Pl011::kFrRxfe);
    EXPECT_EQ(rd(Pl011::UARTDR), 0u);  // empty: reads 0
}

// TRM 3.3.1/3.3.2: a byte that finds the FIFO full is lost; OE is set in
// UARTRSR, in the UARTDR of the last byte held, and UARTRIS.OEIS.
TEST_F(Pl011Test, SixteenDeepFifoAndOverrun) {
    fifo_on();
    for (int i = 0; i < 16; ++i) uart.receive(uint8_t('A' + i));
    EXPECT_TRUE(rd(Pl011::UARTFR) & Pl011::kFrRxff);
    EXPECT_EQ(uart.rx_room(), 0u);
    uart.receive('!');
    EXPECT_EQ(rd(Pl011::UARTRSR), Pl011::kRsrOe);
    EXPECT_TRUE(rd(Pl011::UARTRIS) & Pl011::kIntOe);
    for (int i = 0; i < 15; ++i) EXPECT_EQ(rd(Pl011::UARTDR), uint64_t('A' + i));
    EXPECT_EQ(rd(Pl011::UARTDR), Pl011::kDrOe | 'P');
    wr(Pl011::UARTRSR, 0);  // UARTECR clears the error
    EXPECT_EQ(rd(Pl011::UARTRSR), 0u);
}

// TRM 3.4.3 / 3.3.9: RXRIS follows the FIFO level against the IFLS trigger
// (default 1/2 = 8 bytes); the receive timeout is raised when data waits
// below it and clears when the FIFO empties.
TEST_F(Pl011Test, ReceiveInterruptAtTriggerLevelAndTimeoutBelowIt) {
    fifo_on();
    wr(Pl011::UARTIMSC, Pl011::kIntRx | Pl011::kIntRt);
    uart.receive('x');
    EXPECT_EQ(rd(Pl011::UARTRIS) & (Pl011::kIntRx | Pl011::kIntRt), Pl011::kIntRt);
    EXPECT_EQ(irq, (std::vector<bool>{true}));
    for (int i = 0; i < 7; ++i) uart.receive('y');
    EXPECT_EQ(rd(Pl011::UARTMIS), Pl011::kIntRx | Pl011::kIntRt);
    rd(Pl011::UARTDR);  // 7 left: below the trigger
    EXPECT_EQ(rd(Pl011::UARTMIS), Pl011::kIntRt);
    for (int i = 0; i < 7; ++i) rd(Pl011::UARTDR);
    EXPECT_EQ(rd(Pl011::UARTMIS), 0u);
    EXPECT_EQ(irq, (std::vector<bool>{true, false}));
    wr(Pl011::UARTIFLS, 0);  // RXIFLSEL = 1/8: 2 bytes
    uart.receive('1');
    EXPECT_FALSE(rd(Pl011::UARTRIS) & Pl011::kIntRx);
    uart.receive('2');
    EXPECT_TRUE(rd(Pl011::UARTRIS) & Pl011::kIntRx);
}

// UARTINTR is the OR of UARTMIS: the callback sees each change once.
TEST_F(Pl011Test, InterruptLineFollowsMaskAndClear) {
    wr(Pl011::UARTDR, 'a');  // TXRIS, masked
    EXPECT_TRUE(irq.empty());
    wr(Pl011::UARTIMSC, Pl011::kIntTx);
    wr(Pl011::UARTIMSC, Pl011::kIntTx);  // no change, no call
    EXPECT_EQ(irq, (std::vector<bool>{true}));
    wr(Pl011::UARTICR, Pl011::kIntMask);
    EXPECT_EQ(irq, (std::vector<bool>{true, false}));
}

TEST_F(Pl011Test, ResetEmptiesTheFifoAndLowersTheLine) {
    fifo_on();
    wr(Pl011::UARTIMSC, Pl011::kIntRt);
    uart.receive('q');
    ASSERT_TRUE(uart.interrupt_level());
    uart.reset();
    EXPECT_FALSE(uart.interrupt_level());
    EXPECT_EQ(irq.back(), false);
    EXPECT_TRUE(rd(Pl011::UARTFR) & Pl011::kFrRxfe);
    EXPECT_EQ(rd(Pl011::UARTLCR_H), 0u);
    EXPECT_EQ(rd(Pl011::UARTIMSC), 0u);
}

}  // namespace
}  // namespace vmm
