// The instruction at a guest PC, as text for traces: its word read from
// guest RAM and disassembled by capstone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "kvm/kvm.h"
#include "vmm/guest_ram.h"

namespace vmm {

// "mnemonic operands", or ".inst 0x…" for a word capstone does not know.
std::string disassemble(uint32_t word, uint64_t pc);

// The word at pc: the PC translated through the vcpu's stage 1 as the
// debugger translates (Vcpu::translate: no side effects), then read from
// RAM; nullopt when it does not translate or lies outside RAM.
std::optional<uint32_t> fetch_insn(const GuestRam& ram, kvm::Vcpu& vcpu, uint64_t pc);

// The disassembly at pc, or "?" when the word cannot be read.
std::string disassemble_at(const GuestRam& ram, kvm::Vcpu& vcpu, uint64_t pc);

}  // namespace vmm
