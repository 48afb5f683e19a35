// `--trace insns`: one line per retired instruction with its PC, its
// disassembly and the registers it changed. The loop runs each vcpu one
// instruction per run() (an instruction limit one ahead) and brackets each
// step with begin() and end().
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kvm/kvm.h"
#include "vmm/bus.h"
#include "vmm/guest_ram.h"

namespace vmm {

// What a step can change that the trace shows: X0..X30, SP_EL0, SP_EL1,
// V0..V31 (low and high doublewords), FPSR, FPCR, PC and PSTATE.
struct RegSnapshot {
    std::array<uint64_t, 31> x{};
    uint64_t sp_el0 = 0, sp_el1 = 0, pc = 0, pstate = 0;
    std::array<std::array<uint64_t, 2>, 32> v{};
    uint32_t fpsr = 0, fpcr = 0;
};
RegSnapshot snapshot(const kvm::Vcpu& v);
// "x1=0x40210000 v0=0x3ff0000000000000 fpsr=0x10 pstate=0x600003c5" for
// every register that differs, in that order (a V register as one 128-bit
// number); empty when none does.
std::string changed_registers(const RegSnapshot& before, const RegSnapshot& after);

class InsnTracer {
public:
    InsnTracer(const GuestRam& ram, LogSink sink, size_t vcpus)
        : ram_(ram), sink_(std::move(sink)), steps_(vcpus) {}
    // Before vcpu i's run(): the limit that ends its current step (a step
    // left open by an MMIO exit or a hand-over keeps its limit).
    uint64_t begin(size_t i, kvm::Vcpu& v);
    // After vcpu i's run(): prints the step once its instruction retired.
    void end(size_t i, const kvm::Vcpu& v);
    // The machine reset: a step the reset interrupted is not printed.
    void drop_open_steps();

private:
    struct Step {
        RegSnapshot before;
        std::string disasm;
        uint64_t limit = 0;
    };
    const GuestRam& ram_;
    LogSink sink_;
    std::vector<std::optional<Step>> steps_;
};

}  // namespace vmm
