// The trace and stats formatting: syndromes decoded as ESR_EL2's ISS
// layouts say (ARM ARM DDI 0487 K.a, D24.2.41), capstone's disassembly, the
// registers a step changed, and the perf-kvm-stat table.
#include <gtest/gtest.h>

#include "arch/esr.h"
#include "vmm/disasm.h"
#include "vmm/exit_stats.h"
#include "vmm/trace_exits.h"
#include "vmm/trace_insns.h"

namespace vmm {
namespace {

constexpr uint8_t kDabt = uint8_t(arch::EC::DataAbortLow);
constexpr uint8_t kSys = uint8_t(arch::EC::SysReg);

TEST(DescribeIss, DataAbortWithSyndromeNamesDirectionSizeRegisterAndIpa) {
    // ISV, SAS = 2 (4 bytes), SRT = 3, WnR: str w3, [x4] to the PL011.
    const uint32_t iss = arch::dabt::kISV | 2u << arch::dabt::kSasShift |
                         3u << arch::dabt::kSrtShift | arch::dabt::kWnR;
    EXPECT_EQ(describe_iss(kDabt, iss, 0x9000000), "write 4 bytes from w3 to IPA 0x9000000");
    // SAS = 3, SF: ldr x5 of 8 bytes.
    const uint32_t rd = arch::dabt::kISV | 3u << arch::dabt::kSasShift |
                        5u << arch::dabt::kSrtShift | arch::dabt::kSF;
    EXPECT_EQ(describe_iss(kDabt, rd, 0x8000004), "read 8 bytes into x5 from IPA 0x8000004");
    EXPECT_EQ(describe_iss(kDabt, arch::dabt::kISV, 0x9000000),
              "read 1 byte into w0 from IPA 0x9000000");
}

TEST(DescribeIss, DataAbortWithoutSyndromeSaysSo) {
    EXPECT_EQ(describe_iss(kDabt, arch::dabt::kWnR, 0x8010000),
              "write without syndrome at IPA 0x8010000");
}

TEST(DescribeIss, SysRegNamesTheRegisterAndDirection) {
    const uint32_t msr = arch::encode_sysreg_iss({3, 0, 1, 0, 0, 3, false});  // SCTLR_EL1
    EXPECT_EQ(describe_iss(kSys, msr, 0), "msr SCTLR_EL1, x3");
    const uint32_t mrs = arch::encode_sysreg_iss({3, 0, 0, 0, 5, 31, true});  // MPIDR_EL1
    EXPECT_EQ(describe_iss(kSys, mrs, 0), "mrs xzr, MPIDR_EL1");
    // An encoding no table knows: the generic S<op0>_<op1>_C<n>_C<m>_<op2> form.
    const uint32_t impdef = arch::encode_sysreg_iss({3, 1, 15, 2, 7, 0, true});
    EXPECT_EQ(describe_iss(kSys, impdef, 0), "mrs x0, S3_1_C15_C2_7");
}

TEST(DescribeIss, WfxHvcAndOthers) {
    EXPECT_EQ(describe_iss(uint8_t(arch::EC::WFx), 0, 0), "wfi");
    EXPECT_EQ(describe_iss(uint8_t(arch::EC::WFx), 1, 0), "wfe");
    EXPECT_EQ(describe_iss(uint8_t(arch::EC::HVC64), 0x12, 0), "imm16 0x12");
    EXPECT_EQ(describe_iss(uint8_t(arch::EC::BRK64), 0x22, 0), "ISS 0x22");
}

TEST(FormatExit, OneLineWithVcpuClassPcInstructionHandlerAndTime) {
    hyp::ExitEvent e{1, kDabt, arch::dabt::kISV | arch::dabt::kWnR, 0x40201058,
                     hyp::ExitHandledBy::Userspace, 812, 0x9000000};
    const std::string line = format_exit(e, "str w3, [x4]");
    EXPECT_EQ(line.rfind("vcpu 1 DABT_LOW ", 0), 0u) << line;
    EXPECT_NE(line.find("write 1 byte from w0 to IPA 0x9000000"), std::string::npos) << line;
    EXPECT_NE(line.find("pc 0x40201058 str w3, [x4]"), std::string::npos) << line;
    EXPECT_NE(line.find("userspace 812 ns"), std::string::npos) << line;
    hyp::ExitEvent host{0, 0, 0, 0x40200000, hyp::ExitHandledBy::Host, 5, 0};
    EXPECT_NE(format_exit(host, "nop").find(" IRQ "), std::string::npos);
}

// HVC's preferred return address is the next instruction: the line shows
// the HVC itself.
TEST(FormatExit, HvcShowsTheInstructionBeforeTheReturnAddress) {
    hyp::ExitEvent e{0, uint8_t(arch::EC::HVC64), 0, 0x40201118, hyp::ExitHandledBy::Userspace, 1, 0};
    EXPECT_EQ(exit_insn_pc(e), 0x40201114u);
    EXPECT_NE(format_exit(e, "hvc #0").find("pc 0x40201114 hvc #0"), std::string::npos);
    e.ec = uint8_t(arch::EC::SysReg);
    EXPECT_EQ(exit_insn_pc(e), 0x40201118u);
}

TEST(Disassemble, CapstoneTextAndUnknownWords) {
    EXPECT_EQ(disassemble(0x91000400, 0x40200000), "add x0, x0, #1");
    EXPECT_EQ(disassemble(0xD503207F, 0x40200000), "wfi");
    EXPECT_EQ(disassemble(0x00000000, 0x40200000), ".inst 0x00000000");
}

TEST(ChangedRegisters, OnlyWhatDiffersInOrder) {
    RegSnapshot a, b;
    EXPECT_EQ(changed_registers(a, b), "");
    b.x[1] = 0x40;
    b.x[30] = 0x40200030;
    b.sp_el1 = 0x1000;
    b.pstate = 0x600003c5;
    b.pc = 4;  // the PC is the caller's to show
    EXPECT_EQ(changed_registers(a, b), "x1=0x40 x30=0x40200030 sp_el1=0x1000 pstate=0x600003c5");
}

// V registers as one 128-bit number, then FPSR and FPCR, before PSTATE.
TEST(ChangedRegisters, VRegistersFpsrAndFpcr) {
    RegSnapshot a, b;
    b.v[0] = {0x3ff0000000000000, 0};
    b.v[31] = {0x1, 0x8000000000000000};
    b.fpsr = 0x10;
    b.fpcr = 0x02000000;
    b.pstate = 0x3c5;
    EXPECT_EQ(changed_registers(a, b),
              "v0=0x3ff0000000000000 v31=0x80000000000000000000000000000001 fpsr=0x10 "
              "fpcr=0x2000000 pstate=0x3c5");
}

TEST(ExitStats, TableCountsPerClassAndHandler) {
    ExitStats s;
    s.add({0, kDabt, 0, 0, hyp::ExitHandledBy::Userspace, 100, 0});
    s.add({0, kDabt, 0, 0, hyp::ExitHandledBy::Userspace, 300, 0});
    s.add({0, kSys, 0, 0, hyp::ExitHandledBy::HandleExit, 100, 0});
    s.add({1, 0, 0, 0, hyp::ExitHandledBy::Host, 0, 0});
    EXPECT_EQ(s.exits(), 4u);
    const std::string r = s.report(1234, 1000);
    // DABT_LOW: 2 samples, 50% of them, 400/500 = 80% of the time, 400 in all, min 100,
    // max 300, avg 200.
    EXPECT_NE(r.find("      DABT_LOW          2    50.00%   80.00%        400ns      100ns      300ns      200ns"),
              std::string::npos)
        << r;
    EXPECT_NE(r.find("           IRQ          1    25.00%"), std::string::npos) << r;
    EXPECT_NE(r.find("     userspace          2"), std::string::npos) << r;
    EXPECT_NE(r.find("Total Samples:4, Total events handled time:500ns, instructions retired:1234"),
              std::string::npos)
        << r;
    EXPECT_NE(r.find("\ngenerated code: 81.0% of 1234 instructions\n"), std::string::npos) << r;
    // The most frequent class comes first.
    EXPECT_LT(r.find("DABT_LOW"), r.find("SYS64")) << r;
}

TEST(ExitStats, NoInstructionsIsNoShare) {
    const std::string r = ExitStats().report(0, 0);
    EXPECT_NE(r.find("\ngenerated code: 0.0% of 0 instructions\n"), std::string::npos) << r;
}

}  // namespace
}  // namespace vmm
