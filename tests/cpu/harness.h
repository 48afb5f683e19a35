// A CPU with RAM and nothing else: the test plays the hypervisor.
// Instruction tests follow dynarmic's shape: the hex word with its assembly
// as a trailing comment, registers set, N steps run, registers checked.
#pragma once

#include <cstring>
#include <initializer_list>
#include <vector>

#include "cpu/cpu.h"

namespace cpu::test {

inline constexpr uint64_t kRamBase = 0x40000000;
inline constexpr uint64_t kRamSize = 1 << 20;
inline constexpr uint64_t kCodeBase = kRamBase + 0x1000;

struct Harness {
    Cpu cpu;
    std::vector<uint8_t> ram = std::vector<uint8_t>(kRamSize);

    Harness() {
        cpu.stage2().set_regions({{kRamBase, kRamSize, ram.data(), true}});
        auto& s = cpu.state();
        s.pc = kCodeBase;
        s.pstate = arch::PState{};  // EL1h, DAIF masked, flags clear
        s.el1.vbar = kRamBase + 0x80000;
        // Every vector slot holds a branch to itself (B .): a test that takes
        // an unexpected exception stops at a recognisable PC.
        for (uint64_t off = 0; off < 0x800; off += 4) put32(s.el1.vbar + off, 0x14000000);
    }
    void put32(uint64_t ipa, uint32_t v) {
        std::memcpy(&ram[ipa - kRamBase], &v, 4);
        cpu.invalidate_code(ipa, 4);
    }
    void put64(uint64_t ipa, uint64_t v) {
        std::memcpy(&ram[ipa - kRamBase], &v, 8);
        cpu.invalidate_code(ipa, 8);
    }
    uint64_t get64(uint64_t ipa) const {
        uint64_t v;
        std::memcpy(&v, &ram[ipa - kRamBase], 8);
        return v;
    }
    // Places the words at kCodeBase and sets the PC there.
    void code(std::initializer_list<uint32_t> words) {
        uint64_t a = kCodeBase;
        for (uint32_t w : words) put32(a, w), a += 4;
        cpu.state().pc = kCodeBase;
    }
    // Runs at most n instructions; returns why the CPU stopped.
    Stop step(uint64_t n = 1) { return cpu.run(n); }
    uint64_t& x(unsigned n) { return cpu.state().x[n]; }
    uint64_t pc() const { return cpu.state().pc; }
};

}  // namespace cpu::test
