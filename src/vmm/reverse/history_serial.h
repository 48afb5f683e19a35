// The UART's backend in a machine process of reverse execution: output the
// first run wrote is not written again when a replay passes it (bytes of
// instructions below the output floor, a retired count), and there is no
// input (the history holds none yet; docs/reverse.md).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "vmm/serial.h"

namespace vmm::reverse {

class HistorySerial : public SerialBackend {
public:
    explicit HistorySerial(std::shared_ptr<SerialBackend> out) : out_(std::move(out)) {}
    void write(uint8_t byte) override {
        if (!retired_ || retired_() >= floor_) out_->write(byte);
    }
    size_t read(uint8_t*, size_t) override {
        out_->flush();
        return 0;
    }
    void flush() override { out_->flush(); }
    // The retired count of the instruction writing (the machine's, set once it exists).
    void set_retired(std::function<uint64_t()> retired) { retired_ = std::move(retired); }
    void set_floor(uint64_t floor) { floor_ = floor; }

private:
    std::shared_ptr<SerialBackend> out_;
    std::function<uint64_t()> retired_;
    uint64_t floor_ = 0;
};

}  // namespace vmm::reverse
