#include "vmm/trace_exits.h"

#include <fmt/format.h>

#include "arch/esr.h"
#include "arch/sysreg.h"
#include "cpu/sysregs.h"

namespace vmm {

namespace {

// Xt or Wt as the access sized it; 31 is the zero register here (ISS.SRT).
std::string reg_name(unsigned n, bool sixty_four) {
    if (n == 31) return sixty_four ? "xzr" : "wzr";
    return fmt::format("{}{}", sixty_four ? 'x' : 'w', n);
}

// D24.2.41, ISS encoding for an exception from a Data Abort.
std::string describe_data_abort(uint32_t iss, uint64_t ipa) {
    const bool write = iss & arch::dabt::kWnR;
    if (!(iss & arch::dabt::kISV))
        return fmt::format("{} without syndrome at IPA {:#x}", write ? "write" : "read", ipa);
    const unsigned bytes = 1u << ((iss >> arch::dabt::kSasShift) & 3);
    const std::string rt = reg_name((iss >> arch::dabt::kSrtShift) & 31, iss & arch::dabt::kSF);
    return fmt::format("{} {} byte{} {} {} {} IPA {:#x}", write ? "write" : "read", bytes,
                       bytes == 1 ? "" : "s", write ? "from" : "into", rt, write ? "to" : "from",
                       ipa);
}

// D24.2.41, ISS encoding for an exception from MSR, MRS or System instruction.
std::string describe_sysreg(uint32_t iss) {
    const arch::SysRegIss s = arch::decode_sysreg_iss(iss);
    const std::string name = sysreg_name(arch::SysRegId(s.op0, s.op1, s.crn, s.crm, s.op2).packed);
    const std::string rt = reg_name(s.rt, true);
    return s.is_read ? fmt::format("mrs {}, {}", rt, name) : fmt::format("msr {}, {}", name, rt);
}

}  // namespace

// The CPU's table names every encoding arch/sysreg.h has (the hypervisor's
// holds a subset, and KVM's one_reg names for the timer's swapped ids).
std::string sysreg_name(uint16_t packed) {
    const arch::SysRegId id(packed);
    if (const cpu::SysRegDesc* d = cpu::find_sysreg(id)) return std::string(d->name);
    return fmt::format("S{}_{}_C{}_C{}_{}", id.op0(), id.op1(), id.crn(), id.crm(), id.op2());
}

std::string describe_iss(uint8_t ec, uint32_t iss, uint64_t ipa) {
    switch (arch::EC(ec)) {
    case arch::EC::DataAbortLow: return describe_data_abort(iss, ipa);
    case arch::EC::SysReg: return describe_sysreg(iss);
    case arch::EC::WFx: return iss & 1 ? "wfe" : "wfi";  // ISS.TI[0]
    case arch::EC::HVC64:
    case arch::EC::SMC64: return fmt::format("imm16 {:#x}", iss & 0xFFFF);
    default: return fmt::format("ISS {:#x}", iss);
    }
}

uint64_t exit_insn_pc(const hyp::ExitEvent& e) {
    const bool hvc = e.handled_by != hyp::ExitHandledBy::Host && arch::EC(e.ec) == arch::EC::HVC64;
    return hvc ? e.pc - 4 : e.pc;
}

std::string format_exit(const hyp::ExitEvent& e, std::string_view disasm) {
    const bool host = e.handled_by == hyp::ExitHandledBy::Host;
    const std::string what =
        host ? std::string("IRQ") : std::string(arch::ec_name(arch::EC(e.ec)));
    const std::string detail = host ? std::string("budget or host timer") : describe_iss(e.ec, e.iss, e.ipa);
    return fmt::format("vcpu {} {:<12} {:<44} pc {:#x} {:<28} {} {} ns", e.vcpu, what, detail,
                       exit_insn_pc(e), disasm, hyp::exit_handled_by_name(e.handled_by), e.ns);
}

}  // namespace vmm
