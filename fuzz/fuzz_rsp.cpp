// The gdb remote protocol as a network service sees it: any byte stream from
// a "gdb" goes through Session (framing, checksums, '}' escapes, '*' runs,
// acks and no-ack mode, 0x03) into Stub's handlers, which call a Target that
// checks its own bounds. Anything but a host crash, a sanitizer report or a
// hang is fine.
//
// Input: byte 0 picks the options (packet size, run-length replies, how the
// stream is split into reads), byte 1 the vcpu count; the rest is the stream.
#include <algorithm>
#include <cstring>
#include <map>
#include <vector>

#include "gdb/session.h"
#include "gdb/stub.h"

namespace {

using namespace gdb;

// A machine with a little RAM and a register file per vcpu; every call
// checks what it gets, so the fuzzer finds stub bugs, not this target's.
class FuzzTarget : public Target {
public:
    static constexpr uint64_t kMemBase = 0x40000000;
    static constexpr size_t kMemSize = 0x2000;
    static constexpr size_t kMaxBreakpoints = 64;

    FuzzTarget(unsigned vcpus, size_t packet_size) : regs_(vcpus), memory_(kMemSize) {
        caps_.packet_size = packet_size;
    }

    Capabilities capabilities() const override { return caps_; }
    std::vector<ExtraRegister> extra_registers() const override {
        return {{"sctlr_el1", 0x44}, {"tcr_el1", 0x45}};
    }
    std::vector<uint32_t> threads() const override {
        std::vector<uint32_t> t(regs_.size());
        for (uint32_t i = 0; i < t.size(); ++i) t[i] = i + 1;
        return t;
    }
    // cpsr, fpsr, fpcr 4 bytes; v0-v31 16; the rest 8.
    static size_t width(unsigned n) {
        if (n == regnum::kCpsr || n == regnum::kFpsr || n == regnum::kFpcr) return 4;
        return n >= regnum::kV0 && n < regnum::kFpsr ? 16 : 8;
    }
    Result<RegisterValue, TargetError> read_register(uint32_t thread, unsigned n) override {
        if (thread < 1 || thread > regs_.size()) return TargetError::BadThread;
        if (n >= regnum::kFpuEnd && n != 0x44 && n != 0x45) return TargetError::BadRegister;
        if (n == 0x45) return TargetError::Unavailable;
        const auto it = regs_[thread - 1].find(n);
        return it != regs_[thread - 1].end() ? it->second : RegisterValue::of(0, width(n));
    }
    Status write_register(uint32_t thread, unsigned n, std::span<const uint8_t> v) override {
        if (thread < 1 || thread > regs_.size()) return TargetError::BadThread;
        if (n >= regnum::kFpuEnd && n != 0x44) return TargetError::BadRegister;
        if (v.size() != width(n)) __builtin_trap();  // the stub sends the register's width
        regs_[thread - 1][n] = RegisterValue(v);
        return ok();
    }
    Result<size_t, TargetError> read_memory(uint32_t thread, uint64_t addr,
                                            std::span<uint8_t> out) override {
        check_range(thread, addr, out.size());
        if (addr < kMemBase || addr - kMemBase >= kMemSize) return TargetError::Fault;
        const size_t n = std::min<size_t>(out.size(), kMemSize - (addr - kMemBase));
        std::memcpy(out.data(), &memory_[addr - kMemBase], n);
        return n;
    }
    Status write_memory(uint32_t thread, uint64_t addr, std::span<const uint8_t> data) override {
        check_range(thread, addr, data.size());
        if (addr < kMemBase || addr - kMemBase > kMemSize || data.size() > kMemSize - (addr - kMemBase)) {
            return TargetError::Fault;
        }
        std::memcpy(&memory_[addr - kMemBase], data.data(), data.size());
        return ok();
    }
    Status insert_breakpoint(BreakpointType type, uint64_t addr, uint64_t) override {
        if (type == BreakpointType::ReadWatch) return TargetError::Unsupported;
        if (breakpoints_.size() >= kMaxBreakpoints) return TargetError::NoSlots;
        breakpoints_.push_back({type, addr});
        return ok();
    }
    Status remove_breakpoint(BreakpointType type, uint64_t addr, uint64_t) override {
        const auto it = std::find(breakpoints_.begin(), breakpoints_.end(), std::pair{type, addr});
        if (it == breakpoints_.end()) return TargetError::Failed;
        breakpoints_.erase(it);
        return ok();
    }
    Status resume(std::span<const ResumeAction> actions) override {
        if (actions.empty()) __builtin_trap();  // the contract: something resumes
        return ok();
    }
    // Every kind of stop in turn, after one poll (which reads the stream).
    StopReason wait_for_stop(const InterruptPoll& poll) override {
        StopReason r;
        if (poll && poll()) {
            r.signal = kSigInt;
            return r;
        }
        const unsigned n = stops_++;
        r.kind = StopKind(n % 8);
        r.thread = 1 + n % regs_.size();
        r.watch_addr = kMemBase + n;
        r.exit_code = uint8_t(n);
        if (n & 8) r.regs = Expedited{kMemBase + n, kMemBase, 0, 0x3c5};
        return r;
    }
    void request_interrupt() override {}
    void kill() override {}
    void detach() override {}
    std::optional<std::string> monitor(std::string_view cmd) override {
        if (cmd.empty()) return std::nullopt;
        return std::string(cmd.substr(0, 64));
    }

private:
    // The contract the stub promises (target.h): a known thread, a non-empty
    // range that does not wrap.
    void check_range(uint32_t thread, uint64_t addr, size_t size) const {
        if (thread < 1 || thread > regs_.size()) __builtin_trap();
        if (size == 0 || addr + (size - 1) < addr) __builtin_trap();
    }

    Capabilities caps_;
    std::vector<std::map<unsigned, RegisterValue>> regs_;
    std::vector<uint8_t> memory_;
    std::vector<std::pair<BreakpointType, uint64_t>> breakpoints_;
    unsigned stops_ = 0;
};

// The stream as the transport delivers it, in reads of `chunk` bytes; the
// end of the input is gdb hanging up. Replies are dropped.
class FuzzTransport : public Transport {
public:
    FuzzTransport(const uint8_t* data, size_t size, size_t chunk)
        : data_(data), size_(size), chunk_(chunk) {}
    Result<size_t, TransportError> read(std::span<uint8_t> out,
                                        std::chrono::milliseconds) override {
        if (pos_ == size_) return TransportError::Closed;
        const size_t n = std::min({out.size(), chunk_, size_ - pos_});
        std::memcpy(out.data(), data_ + pos_, n);
        pos_ += n;
        return n;
    }
    Result<std::monostate, TransportError> write(std::span<const uint8_t> data) override {
        written_ += data.size();
        return std::monostate{};
    }
    void close() override { pos_ = size_; }

private:
    const uint8_t* data_;
    size_t size_, pos_ = 0, chunk_;
    size_t written_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 2) return 0;
    static constexpr size_t kPacketSizes[] = {kMinPacketSize, 1024, kDefaultPacketSize, 1u << 20};
    const uint8_t opts = data[0];
    FuzzTarget target(1 + data[1] % 4, kPacketSizes[opts & 3]);
    auto stub = Stub::create(target);
    if (!stub) __builtin_trap();  // the extra registers above are valid
    FuzzTransport transport(data + 2, size - 2, 1 + (opts >> 3));
    SessionOptions so;
    so.run_length = opts & 4;
    so.read_slice = std::chrono::milliseconds(0);
    so.poll_interval = std::chrono::microseconds(0);
    Session session(*stub, transport, so);
    session.run();
    return 0;
}
