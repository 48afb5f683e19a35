#include "vmm/disasm.h"

#include <capstone/capstone.h>
#include <cstring>
#include <fmt/format.h>

namespace vmm {

namespace {

// One handle for the process, opened on first use.
csh capstone() {
    static const csh handle = [] {
        csh h = 0;
        if (cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &h) != CS_ERR_OK) return csh(0);
        return h;
    }();
    return handle;
}

}  // namespace

std::string disassemble(uint32_t word, uint64_t pc) {
    cs_insn* insn = nullptr;
    const csh h = capstone();
    const size_t n = h ? cs_disasm(h, reinterpret_cast<const uint8_t*>(&word), 4, pc, 1, &insn) : 0;
    if (n == 0) return fmt::format(".inst {:#010x}", word);
    std::string text = insn->op_str[0] ? fmt::format("{} {}", insn->mnemonic, insn->op_str)
                                       : std::string(insn->mnemonic);
    cs_free(insn, n);
    return text;
}

std::optional<uint32_t> fetch_insn(const GuestRam& ram, kvm::Vcpu& vcpu, uint64_t pc) {
    if (pc & 3) return std::nullopt;
    const auto ipa = vcpu.translate(pc);
    if (!ipa) return std::nullopt;
    const GpaRange r = ram.range();
    if (ipa.value() < r.base || ipa.value() - r.base > r.size - 4) return std::nullopt;
    uint32_t word;
    std::memcpy(&word, ram.slice({ipa.value(), 4}).data(), 4);
    return word;
}

std::string disassemble_at(const GuestRam& ram, kvm::Vcpu& vcpu, uint64_t pc) {
    auto word = fetch_insn(ram, vcpu, pc);
    return word ? disassemble(*word, pc) : std::string("?");
}

}  // namespace vmm
