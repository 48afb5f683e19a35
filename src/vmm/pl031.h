// ARM PrimeCell Real Time Clock (PL031), as QEMU virt has it and Linux's
// rtc-pl031 driver uses it: a 32-bit count of seconds (RTCDR), loaded by
// RTCLR, and a match interrupt when the count reaches RTCMR. Facts from the
// PL031 Technical Reference Manual (ARM DDI 0224C), chapter 3.
//
// The count advances with guest virtual time (DESIGN.md, "Determinism and
// time"): one second per counter frequency's worth of the VM's system
// counter, from a base the user chose (--rtc), so a run's dates are
// reproducible. The RTC is started at reset, as the board's firmware would:
// RTCCR reads 1 and writes to it have no effect (TRM 3.3.4: once started,
// until a reset), as on QEMU.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "vmm/bus.h"

namespace vmm {

class Pl031 : public Device {
public:
    // Register offsets (TRM table 3-1).
    enum Reg : uint32_t {
        RTCDR = 0x000,
        RTCMR = 0x004,
        RTCLR = 0x008,
        RTCCR = 0x00C,
        RTCIMSC = 0x010,
        RTCRIS = 0x014,
        RTCMIS = 0x018,
        RTCICR = 0x01C,
        RTCPeriphID0 = 0xFE0,
        RTCPCellID0 = 0xFF0,
    };
    // The one interrupt bit of RTCIMSC, RTCRIS, RTCMIS and RTCICR.
    static constexpr uint32_t kIntMatch = 1;

    // The VM's system counter now, in ticks of ticks_per_second.
    using Clock = std::function<uint64_t()>;
    // RTCINTR, called on every change of level.
    using IrqLine = std::function<void(bool level)>;
    // base: RTCDR when the clock reads 0.
    Pl031(uint32_t base, Clock clock, uint64_t ticks_per_second);

    std::string_view name() const override { return "pl031"; }
    // 4-byte accesses at a register's word address (the TRM's only size);
    // anything else reads 0 and ignores writes.
    void access(Direction dir, uint64_t offset, std::span<uint8_t> data) override;

    // Raises the match interrupt if the clock reached RTCMR's second since
    // the last look. The VMM calls it whenever it has the vcpus out
    // (Machine::run); accesses to the RTC do too.
    void sync();
    bool interrupt_level() const { return (ris_ & imsc_) != 0; }
    void connect_irq(IrqLine line) { irq_ = std::move(line); }
    // A system reset: RTCMR, RTCIMSC and RTCRIS to 0 (TRM table 3-1),
    // RTCINTR low. The count keeps going, as a clock on a battery does.
    void reset();

private:
    uint32_t read(uint32_t offset) const;
    void write(uint32_t offset, uint32_t value);
    uint32_t count(uint64_t now) const;
    void arm_match(uint64_t now);
    void update_irq();

    Clock clock_;
    uint64_t ticks_per_second_;
    IrqLine irq_;
    bool irq_level_ = false;
    // RTCDR = load_value_ + whole seconds since load_tick_.
    uint32_t load_value_;
    uint64_t load_tick_ = 0;
    std::optional<uint64_t> match_tick_;  // when RTCDR becomes RTCMR, if ahead
    uint32_t mr_ = 0;
    uint32_t imsc_ = 0;
    uint32_t ris_ = 0;
};

}  // namespace vmm
