#include "vmm/pl031.h"

#include <array>

namespace vmm {

namespace {

// RTCPeriphID0..3 then RTCPCellID0..3 (TRM 3.3.9-3.3.16): part number 0x031,
// designer ARM (0x41), and the PrimeCell id; revision 1 in PeriphID2, as
// QEMU's (Linux's amba bus matches only the part and the designer).
constexpr std::array<uint8_t, 8> kIds = {0x31, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1};

}  // namespace

Pl031::Pl031(uint32_t base, Clock clock, uint64_t ticks_per_second)
    : clock_(std::move(clock)), ticks_per_second_(ticks_per_second), load_value_(base) {}

uint32_t Pl031::count(uint64_t now) const {
    return load_value_ + uint32_t((now - load_tick_) / ticks_per_second_);
}

void Pl031::access(Direction dir, uint64_t offset, std::span<uint8_t> data) {
    sync();
    if (data.size() != 4 || offset % 4 != 0 || offset >= 0x1000) return;  // reads arrive zeroed
    if (dir == Direction::Read)
        store_le(data, read(uint32_t(offset)));
    else
        write(uint32_t(offset), uint32_t(load_le(data)));
    update_irq();
}

uint32_t Pl031::read(uint32_t offset) const {
    switch (offset) {
    case RTCDR: return count(clock_());
    case RTCMR: return mr_;
    case RTCLR: return load_value_;
    case RTCCR: return 1;
    case RTCIMSC: return imsc_;
    case RTCRIS: return ris_;
    case RTCMIS: return ris_ & imsc_;
    default: break;
    }
    if (offset >= RTCPeriphID0 && offset < RTCPeriphID0 + 4 * kIds.size())
        return kIds[(offset - RTCPeriphID0) / 4];
    return 0;  // RTCICR is write-only; reserved offsets read 0
}

void Pl031::write(uint32_t offset, uint32_t value) {
    const uint64_t now = clock_();
    switch (offset) {
    case RTCMR:
        mr_ = value;
        arm_match(now);
        break;
    case RTCLR:
        // The counter takes the value at once (TRM 3.3.3) and counts on from it.
        load_value_ = value;
        load_tick_ = now;
        arm_match(now);
        break;
    case RTCIMSC: imsc_ = value & kIntMatch; break;
    case RTCICR: ris_ &= ~(value & kIntMatch); break;
    default: break;  // RTCDR and the ids are read-only; RTCCR is started for good
    }
}

// The tick at which RTCDR becomes RTCMR. A match that is not ahead (RTCMR -
// RTCDR <= 0 as a signed 32-bit distance) interrupts at once, as QEMU's
// pl031_set_alarm does, so a driver that sets a match just behind a tick
// does not wait 136 years.
void Pl031::arm_match(uint64_t now) {
    const int32_t ahead = int32_t(mr_ - count(now));
    if (ahead <= 0) {
        ris_ |= kIntMatch;
        match_tick_.reset();
        return;
    }
    const uint64_t elapsed = (now - load_tick_) / ticks_per_second_;
    match_tick_ = load_tick_ + (elapsed + uint64_t(ahead)) * ticks_per_second_;
}

void Pl031::sync() {
    if (match_tick_ && clock_() >= *match_tick_) {
        ris_ |= kIntMatch;
        match_tick_.reset();
        update_irq();
    }
}

void Pl031::reset() {
    mr_ = imsc_ = ris_ = 0;
    match_tick_.reset();
    update_irq();
}

void Pl031::update_irq() {
    const bool level = interrupt_level();
    if (level == irq_level_) return;
    irq_level_ = level;
    if (irq_) irq_(level);
}

}  // namespace vmm
