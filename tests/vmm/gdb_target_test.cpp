// vmm::GdbTarget through gdb::Stub, packet by packet, on a real Machine:
// what gdb-multiarch would not show directly (RAM untouched under a
// breakpoint, MMIO never touched by a memory read, which register `sp` is).
#include <array>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "gdb/hex.h"
#include "gdb/stub.h"
#include "vmm/board.h"
#include "vmm/gdb_target.h"
#include "vmm/machine.h"

namespace vmm {
namespace {

constexpr uint64_t kEntry = 0x40200000;  // guests/link.ld
constexpr uint64_t kVbarEl1 = kvm::reg::sysreg(3, 0, 12, 0, 0);

struct StringSerial : SerialBackend {
    explicit StringSerial(std::string& out) : out(out) {}
    void write(uint8_t b) override { out.push_back(char(b)); }
    size_t read(uint8_t*, size_t) override { return 0; }
    std::string& out;
};

struct GdbTargetTest : ::testing::Test {
    std::string uart;
    std::unique_ptr<Machine> m;
    std::unique_ptr<GdbTarget> target;
    std::optional<gdb::Stub> stub;

    void boot(const char* guest) {
        BootOptions opts;
        opts.image = std::string(STEPVISOR_GUEST_DIR) + "/" + guest;
        opts.ram_size = 64 << 20;
        auto plan = plan_boot(opts);
        ASSERT_TRUE(plan.ok()) << plan.error().message;
        MachineConfig cfg;
        cfg.ram_size = opts.ram_size;
        cfg.serial = std::make_shared<StringSerial>(uart);
        auto mm = Machine::create(cfg, plan.value());
        ASSERT_TRUE(mm.ok()) << mm.error().message;
        m = std::move(mm.value());
        target = std::make_unique<GdbTarget>(*m, GdbOptions{});
        auto s = gdb::Stub::create(*target);
        ASSERT_TRUE(s) << s.error().message;
        stub.emplace(std::move(s.value()));
    }
    std::string ask(std::string_view packet) { return stub->handle(packet).payload.value_or("<none>"); }
    uint32_t ram_word(uint64_t gpa) const {
        uint32_t w;
        std::memcpy(&w, m->ram().host() + (gpa - m->ram().range().base), 4);
        return w;
    }
    static std::string le_hex(uint32_t w) {
        return gdb::hex_bytes(std::span(reinterpret_cast<const uint8_t*>(&w), 4));
    }
};

// Software breakpoints are the CPU's (Vcpu::set_sw_breakpoints): RAM keeps
// the guest's bytes, and gdb's reads and writes see and change those.
TEST_F(GdbTargetTest, SoftwareBreakpointsLeaveGuestMemoryAlone) {
    boot("gdb_target.elf");
    const uint64_t at = kEntry + 4;
    const uint32_t original = ram_word(at);
    EXPECT_EQ(ask("Z0,40200004,4"), "OK");
    EXPECT_EQ(ram_word(at), original) << "Z0 wrote guest RAM";
    EXPECT_EQ(ask("m40200004,4"), le_hex(original));
    const uint32_t nop = 0xd503201f;
    EXPECT_EQ(ask("M40200004,4:" + le_hex(nop)), "OK");
    EXPECT_EQ(ram_word(at), nop);
    EXPECT_EQ(ask("z0,40200004,4"), "OK");
    EXPECT_EQ(ram_word(at), nop);
    EXPECT_EQ(ask("Z0,40200006,4"), "E0e") << "not an instruction's address";
}

// gdb rewrites the instruction under its own breakpoint: the stop comes
// before it, and the new instruction is the one that runs.
TEST_F(GdbTargetTest, GdbPatchesCodeUnderABreakpoint) {
    boot("gdb_target.elf");
    ask("qSupported:swbreak+;hwbreak+");
    const uint32_t movz_x4_5 = 0xd28000a4;  // after_uart + 4: was mov x4, #0
    EXPECT_EQ(ask("Z0,4020001c,4"), "OK");
    EXPECT_EQ(ask("M4020001c,4:" + le_hex(movz_x4_5)), "OK");
    EXPECT_TRUE(ask("vCont;c").starts_with("T05swbreak:;thread:1;"));
    EXPECT_EQ(m->vcpu(0).get_one_reg(kvm::reg::kPc).value(), 0x4020001cu);
    EXPECT_EQ(ask("m4020001c,4"), le_hex(movz_x4_5));
    EXPECT_EQ(ask("z0,4020001c,4"), "OK");
    EXPECT_TRUE(ask("vCont;s:1").starts_with("T05thread:1;"));
    EXPECT_EQ(m->vcpu(0).get_one_reg(kvm::reg::x(4)).value(), 5u);
}

// After a detach (or a gdb that vanished) nothing of the session stops the
// guest: with `go` set it runs to its power-off.
TEST_F(GdbTargetTest, DetachAndANewSessionForgetBreakpoints) {
    boot("gdb_target.elf");
    EXPECT_EQ(ask("Z0,40200008,4"), "OK");
    EXPECT_EQ(ask("Z1,4020000c,4"), "OK");
    EXPECT_EQ(ask("Z4,40201008,8"), "OK");  // go, which the guest's spin loop reads
    EXPECT_TRUE(ask("vCont;s:1").starts_with("T05thread:1;"));
    EXPECT_EQ(ask("D"), "OK");
    target->begin_session(-1);
    EXPECT_TRUE(target->resumed_once());
    ASSERT_EQ(ask("Z0,4020001c,4"), "OK");
    ASSERT_EQ(ask("Z3,40201008,8"), "OK");
    target->begin_session(-1);  // this gdb vanished: its breakpoints go too
    EXPECT_EQ(ask("M40201008,8:0100000000000000"), "OK");  // go (guests/gdb_target.S)
    EXPECT_EQ(m->run().reason, StopReason::PoweredOff);
}

TEST_F(GdbTargetTest, MmioIsNeverReadOnlyRam) {
    boot("gdb_target.elf");
    EXPECT_EQ(ask("m9000000,4"), "E0e") << "PL011 UARTDR: a fault, not a device read";
    EXPECT_EQ(ask("M9000000,1:41"), "E0e");
    EXPECT_EQ(uart, "");
    // A read that runs off the end of RAM stops there.
    const uint64_t end = m->ram().range().end();
    EXPECT_EQ(ask(fmt::format("m{:x},8", end - 4)).size(), 8u) << "4 bytes read";
}

TEST_F(GdbTargetTest, MonitorMemorySwitchesBetweenVirtualAndPhysical) {
    boot("gdb_target.elf");
    EXPECT_EQ(ask("qRcmd," + gdb::hex_bytes(std::string_view("memory"))),
              gdb::hex_bytes(std::string_view("memory virtual\n")));
    EXPECT_EQ(ask("qRcmd," + gdb::hex_bytes(std::string_view("memory physical"))),
              gdb::hex_bytes(std::string_view("memory physical\n")));
    EXPECT_EQ(ask("m40200000,4"), le_hex(ram_word(kEntry)));
    EXPECT_EQ(ask("qRcmd," + gdb::hex_bytes(std::string_view("memory bogus"))),
              gdb::hex_bytes(std::string_view("unknown memory mode 'bogus' (physical or virtual)\n")));
}

// gdb's sp is the stack pointer in use: SP_EL1 in EL1h (the boot state).
TEST_F(GdbTargetTest, SpIsTheCurrentStackPointerAndSysregsAreWritable) {
    boot("gdb_target.elf");
    kvm::Vcpu& v = m->vcpu(0);
    ASSERT_TRUE(v.set_one_reg(kvm::reg::kSpEl1, 0x1111));
    ASSERT_TRUE(v.set_one_reg(kvm::reg::kSp, 0x2222));
    EXPECT_EQ(ask("p1f"), "1111000000000000");
    EXPECT_EQ(ask("P1f=3333000000000000"), "OK");
    EXPECT_EQ(v.get_one_reg(kvm::reg::kSpEl1).value(), 0x3333u);
    EXPECT_EQ(v.get_one_reg(kvm::reg::kSp).value(), 0x2222u);
    // VBAR_EL1 is the third extra register, after the fpu feature (68 + 2 = 0x46).
    EXPECT_EQ(ask("P46=0010204000000000"), "OK");
    EXPECT_EQ(v.get_one_reg(kVbarEl1).value(), 0x40201000u);
    // CurrentEL (the last one, 68 + 18 = 0x56) is EL1 and read-only.
    EXPECT_EQ(ask("p56"), "0400000000000000");
    EXPECT_EQ(ask("P56=0000000000000000"), "E05");
}

// The fpu feature reaches the vcpu through one_reg: v<n> as 16 bytes,
// fpsr/fpcr as 4, with the FPCR write mask applied.
TEST_F(GdbTargetTest, FpuRegistersGoThroughOneReg) {
    boot("gdb_target.elf");
    kvm::Vcpu& v = m->vcpu(0);
    EXPECT_EQ(ask("p25"), "00000000000000000000000000000000") << "v3 resets to zero";
    EXPECT_EQ(ask("P25=00112233445566778899aabbccddeeff"), "OK");
    std::array<uint8_t, 16> got{};
    ASSERT_TRUE(v.get_one_reg(kvm::reg::v(3), got));
    EXPECT_EQ(got[0], 0x00);
    EXPECT_EQ(got[15], 0xff);
    EXPECT_EQ(ask("p25"), "00112233445566778899aabbccddeeff");
    EXPECT_EQ(ask("P43=ffffffff"), "OK");
    EXPECT_EQ(v.get_one_reg(kvm::reg::kFpcr).value(), 0x07c00000u);
    EXPECT_EQ(ask("p43"), "0000c007");
    EXPECT_EQ(ask("P42=ffffffff"), "OK");
    EXPECT_EQ(ask("p42"), "9f000008") << "fpsr: QC and the cumulative flags";
}

TEST_F(GdbTargetTest, WatchpointsNeedOneDoublewordOrAnAlignedPowerOfTwoAndSlotsRunOut) {
    boot("gdb_target.elf");
    EXPECT_EQ(ask("Z2,40201008,10"), "") << "16 bytes not aligned to 16: gdb falls back";
    EXPECT_EQ(ask("Z2,40201000,c"), "") << "12 bytes: not a power of two";
    EXPECT_EQ(ask("Z2,40201006,4"), "") << "crosses a doubleword";
    const int64_t slots = m->vm().check_extension(kvm::Cap::GuestDebugHwWps);
    ASSERT_GT(slots, 0);
    for (int64_t i = 0; i < slots; ++i)
        EXPECT_EQ(ask(fmt::format("Z2,{:x},8", 0x40201000 + 8 * i)), "OK");
    EXPECT_EQ(ask("Z2,40208000,8"), "E1c");
    EXPECT_EQ(ask("z2,40201000,8"), "OK");
    EXPECT_EQ(ask("Z2,40208000,8"), "OK") << "a slot is free again";
}

// Stop replies say which kind of breakpoint stopped the guest; a step over
// the PL011 store ends after it, the byte written once.
TEST_F(GdbTargetTest, StopRepliesNameTheBreakpointKind) {
    boot("gdb_target.elf");
    ask("qSupported:swbreak+;hwbreak+");
    EXPECT_EQ(ask("Z1,40200014,4"), "OK");  // uart_write
    EXPECT_TRUE(ask("vCont;c").starts_with("T05hwbreak:;thread:1;")) << "at uart_write";
    EXPECT_EQ(m->vcpu(0).get_one_reg(kvm::reg::kPc).value(), 0x40200014u);
    EXPECT_EQ(ask("z1,40200014,4"), "OK");
    EXPECT_TRUE(ask("vCont;s:1").starts_with("T05thread:1;"));
    EXPECT_EQ(m->vcpu(0).get_one_reg(kvm::reg::kPc).value(), 0x40200018u);
    EXPECT_EQ(uart, "G");
    EXPECT_EQ(ask("Z0,4020001c,4"), "OK");
    EXPECT_TRUE(ask("vCont;c").starts_with("T05swbreak:;thread:1;"));
    EXPECT_EQ(m->vcpu(0).get_one_reg(kvm::reg::kPc).value(), 0x4020001cu);
}

// guests/step_matrix.S runs its own BRK #7 and handles it at its vector:
// under the debugger the BRK is not ours, so it goes back to the guest.
TEST_F(GdbTargetTest, TheGuestsOwnBrkIsGivenBackToIt) {
    boot("step_matrix.elf");
    kvm::EnableCap cap;
    cap.cap = kvm::Cap::GicTrapClasses;
    cap.args[0] = kvm::gic_trap::kAll;
    ASSERT_TRUE(m->vm().enable_cap(cap));
    EXPECT_EQ(ask("vCont;c"), "W00");
    EXPECT_EQ(uart, "S");
}

}  // namespace
}  // namespace vmm
