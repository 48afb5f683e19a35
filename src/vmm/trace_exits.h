// `--trace exits`: one line per guest exit (Linux's kvm_exit tracepoint as
// `perf trace` prints it, with the syndrome decoded and the instruction
// disassembled).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "hyp/exit_trace.h"

namespace vmm {

// The ISS of an exit of class ec, decoded (ARM ARM DDI 0487 K.a, D24.2.41
// ESR_EL2): a data abort's direction, size, register and IPA; a trapped
// system register's direction, name and register; WFI or WFE; an HVC or
// SMC immediate; "ISS 0x…" for the other classes.
std::string describe_iss(uint8_t ec, uint32_t iss, uint64_t ipa);

// The register a trapped MSR/MRS names: its arch/sysreg.h name (the CPU's
// table carries them all), else the generic S<op0>_<op1>_C<n>_C<m>_<op2> form.
std::string sysreg_name(uint16_t packed);

// Where the instruction that caused the exit lies: the exit's PC, except
// for HVC, an exception-generating instruction whose preferred return
// address (the PC at the exit) is the next one (ARM ARM D1.3.1, "Exception
// entry").
uint64_t exit_insn_pc(const hyp::ExitEvent& e);

// "vcpu 0 DABT_LOW  write 4 bytes from w1 to IPA 0x9000000  pc 0x40200a34
// str w1, [x2]  userspace 812 ns"; Host exits (the quantum, the host timer,
// the instruction limit) carry no syndrome and say "IRQ".
std::string format_exit(const hyp::ExitEvent& e, std::string_view disasm);
// disasm is the instruction at exit_insn_pc(e), which the line shows.

}  // namespace vmm
