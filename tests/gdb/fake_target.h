// A Target for tests: memory is an array at kMemBase, registers are a
// table per vcpu, breakpoints go into a list with a fixed number of
// hardware slots, and wait_for_stop plays back scripted stops.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstring>
#include <deque>
#include <map>
#include <thread>
#include <vector>

#include "gdb/target.h"

namespace gdb::test {

class FakeTarget : public Target {
public:
    static constexpr uint64_t kMemBase = 0x1000;
    static constexpr size_t kMemSize = 0x1000;
    static constexpr unsigned kHwSlots = 2;

    FakeTarget(unsigned vcpus = 2) : regs_(vcpus) {
        for (unsigned t = 0; t < vcpus; ++t) {
            for (unsigned n = 0; n <= 30; ++n) set(t, n, 0x1000 * (t + 1) + n);
            set(t, regnum::kSp, 0x40080000 + t * 0x1000);
            set(t, regnum::kPc, kMemBase + 0x10);
            set(t, regnum::kCpsr, 0x3c5, 4);  // EL1h, DAIF masked
            // v<n>: bytes n, n+1, ..., n+15 (16 bytes); fpsr, fpcr 4 bytes.
            for (unsigned n = 0; n < 32; ++n) {
                std::array<uint8_t, 16> b;
                for (unsigned i = 0; i < 16; ++i) b[i] = uint8_t(n + i);
                regs_[t][regnum::kV0 + n] = RegisterValue(b);
            }
            set(t, regnum::kFpsr, 0x10, 4);
            set(t, regnum::kFpcr, 0x02000000, 4);
            set(t, 0x44, 0x30d00800);  // an extra: "sctlr_el1"
        }
        for (size_t i = 0; i < kMemSize; ++i) memory_[i] = uint8_t(i * 7 + 3);
    }

    Capabilities caps;
    std::vector<ExtraRegister> extras{{"sctlr_el1", 0x44}};
    std::deque<StopReason> stops;  // what wait_for_stop returns next
    std::vector<std::vector<ResumeAction>> resumes;
    std::vector<std::pair<BreakpointType, uint64_t>> breakpoints;
    std::string monitor_reply = "stepvisor fake\n";
    bool killed = false, detached = false;
    std::atomic<bool> interrupt_requested{false};

    Capabilities capabilities() const override { return caps; }
    std::vector<ExtraRegister> extra_registers() const override { return extras; }
    std::vector<uint32_t> threads() const override {
        std::vector<uint32_t> t;
        for (uint32_t i = 1; i <= regs_.size(); ++i) t.push_back(i);
        return t;
    }

    Result<RegisterValue, TargetError> read_register(uint32_t thread, unsigned n) override {
        if (thread < 1 || thread > regs_.size()) return TargetError::BadThread;
        const auto it = regs_[thread - 1].find(n);
        if (it == regs_[thread - 1].end()) return TargetError::BadRegister;
        return it->second;
    }
    Status write_register(uint32_t thread, unsigned n, std::span<const uint8_t> v) override {
        if (thread < 1 || thread > regs_.size()) return TargetError::BadThread;
        regs_[thread - 1][n] = RegisterValue(v);
        return ok();
    }
    uint64_t reg(uint32_t thread, unsigned n) { return regs_[thread - 1][n].u64(); }
    const RegisterValue& value(uint32_t thread, unsigned n) { return regs_[thread - 1][n]; }

    Result<size_t, TargetError> read_memory(uint32_t, uint64_t addr,
                                            std::span<uint8_t> out) override {
        if (addr < kMemBase || addr >= kMemBase + kMemSize) return TargetError::Fault;
        const size_t n = std::min<size_t>(out.size(), kMemBase + kMemSize - addr);
        if (n) std::memcpy(out.data(), &memory_[addr - kMemBase], n);
        return n;
    }
    Status write_memory(uint32_t, uint64_t addr, std::span<const uint8_t> data) override {
        // Compare against what is left, never compute addr + size (it wraps).
        if (addr < kMemBase || addr - kMemBase > kMemSize || data.size() > kMemBase + kMemSize - addr) {
            return TargetError::Fault;
        }
        if (!data.empty()) std::memcpy(&memory_[addr - kMemBase], data.data(), data.size());
        return ok();
    }
    uint8_t mem(uint64_t addr) const { return memory_[addr - kMemBase]; }

    Status insert_breakpoint(BreakpointType type, uint64_t addr, uint64_t) override {
        if (type == BreakpointType::ReadWatch) return TargetError::Unsupported;
        if (type != BreakpointType::Software && hw_used() >= kHwSlots) return TargetError::NoSlots;
        breakpoints.push_back({type, addr});
        return ok();
    }
    Status remove_breakpoint(BreakpointType type, uint64_t addr, uint64_t) override {
        for (auto it = breakpoints.begin(); it != breakpoints.end(); ++it) {
            if (it->first == type && it->second == addr) {
                breakpoints.erase(it);
                return ok();
            }
        }
        return TargetError::Failed;
    }

    std::atomic<int> resume_count{0};  // readable from other threads
    Status resume(std::span<const ResumeAction> actions) override {
        resumes.emplace_back(actions.begin(), actions.end());
        ++resume_count;
        return ok();
    }
    // Scripted stops come back at once; with none scripted the guest "runs"
    // until poll() reports an interrupt (bounded so a broken test cannot
    // hang).
    StopReason wait_for_stop(const InterruptPoll& poll) override {
        if (!stops.empty()) {
            StopReason r = stops.front();
            stops.pop_front();
            if (r.regs) set(r.thread - 1, regnum::kPc, r.regs->pc);  // keep 'g' consistent
            return r;
        }
        // A step with nothing scripted retires one 4-byte instruction.
        for (const ResumeAction& a : resumes.back()) {
            if (a.kind != ResumeKind::Step) continue;
            StopReason r;
            r.thread = a.thread.all() ? 1 : uint32_t(a.thread.value);
            set(r.thread - 1, regnum::kPc, reg(r.thread, regnum::kPc) + 4);
            return r;
        }
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (std::chrono::steady_clock::now() < deadline) {
            if (poll() || interrupt_requested) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        interrupt_requested = false;
        StopReason r;
        r.signal = kSigInt;
        return r;
    }
    void request_interrupt() override { interrupt_requested = true; }
    void kill() override { killed = true; }
    void detach() override { detached = true; }
    std::optional<std::string> monitor(std::string_view cmd) override {
        if (cmd == "none") return std::nullopt;
        if (cmd == "quiet") return std::string();
        return monitor_reply + std::string(cmd);
    }

private:
    unsigned hw_used() const {
        unsigned n = 0;
        for (const auto& b : breakpoints) n += b.first != BreakpointType::Software;
        return n;
    }
    void set(unsigned index, unsigned n, uint64_t v, size_t bytes = 8) {
        regs_[index][n] = RegisterValue::of(v, bytes);
    }
    std::vector<std::map<unsigned, RegisterValue>> regs_;
    std::array<uint8_t, kMemSize> memory_{};
};

}  // namespace gdb::test
