// `stepvisor run --gdb` with the real gdb-multiarch in batch mode, on
// guests/gdb_target.S. Every wait is bounded: gdb runs under timeout(1) and
// stepvisor is killed if it outlives gdb by more than a few seconds.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "tests/cli/child.h"
#include "tests/cli/vmm_process.h"
#include "tests/shell.h"


namespace {

using namespace std::chrono_literals;
using cli::test::Child;
using cli::test::Session;
using cli::test::Vmm;

std::string guest_elf(const char* name) {
    return std::string(STEPVISOR_GUEST_DIR) + "/" + name + ".elf";
}

using stepvisor::test::have_gdb;
using stepvisor::test::shell;

// stepvisor run --gdb 127.0.0.1:0 --wait-gdb [vm_args] guest, and gdb with
// the guest's symbols running `commands` (each an -ex) against it.
Session debug(const char* guest, const std::vector<std::string>& commands,
              std::vector<std::string> vm_args = {},
              const std::function<void(pid_t)>& with_gdb_pid = {}) {
    Session s;
    std::vector<std::string> args = {"run", "--gdb", "127.0.0.1:0", "--wait-gdb"};
    args.insert(args.end(), vm_args.begin(), vm_args.end());
    args.push_back(guest_elf(guest));
    Vmm vmm(args);
    const unsigned port = vmm.port();
    if (port == 0) {
        vmm.finish(s, 1s);
        ADD_FAILURE() << "no 'gdb: listening on' line; stderr: " << s.vm_err;
        return s;
    }
    // --foreground: timeout signals gdb alone, once.
    std::string cmd = fmt::format(
        "timeout --foreground 60 gdb-multiarch -batch -nx -ex 'file {}' -ex 'target remote "
        "127.0.0.1:{}'",
        guest_elf(guest), port);
    for (const auto& c : commands) cmd += " -ex '" + c + "'";
    s.gdb = shell(cmd, with_gdb_pid);
    vmm.finish(s);
    return s;
}

bool has(const std::string& text, const std::string& what) {
    return text.find(what) != std::string::npos;
}

std::string read_file(const std::string& path) {
    std::ifstream f(path);
    return {std::istreambuf_iterator<char>(f), {}};
}

TEST(GdbRun, RegistersDisassemblyAndStepiOverAUartWriteLandAtPcPlus4WritingOnce) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    Session s = debug("gdb_target", {"info registers pc", "x/4i $pc", "break uart_write",
                                     "continue", "stepi", "p $pc == &after_uart",
                                     "set {long}&go = 1", "detach"});
    EXPECT_TRUE(has(s.gdb, "pc             0x40200000")) << s.gdb;
    EXPECT_TRUE(has(s.gdb, "=> 0x40200000 <_start>:\tadr\tx0, 0x40200800 <vectors>")) << s.gdb;
    EXPECT_TRUE(has(s.gdb, "Breakpoint 1, uart_write ()")) << s.gdb;
    EXPECT_TRUE(has(s.gdb, "$1 = 1")) << s.gdb;
    // The byte was written exactly once; after detach the guest ran to
    // SYSTEM_OFF.
    EXPECT_EQ(s.vm_out, "G");
    EXPECT_EQ(s.vm_status, 0) << s.vm_err;
}

// org.gnu.gdb.aarch64.fpu as gdb itself uses it: the vector group, the
// aarch64v union, gdb's s/d pseudo registers, and writes that reach the
// vcpu through one_reg (read back with p after gdb drops its cache, so the
// values are the vcpu's: FPCR/FPSR masked).
TEST(GdbRun, FpuRegistersReadWriteAndMaskLikeTheVcpu) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    Session s = debug("gdb_target",
                      {"info registers vector", "p $v3.d.u[1]", "p $s0", "p/x $fpcr",
                       "set $v3.d.u[1] = 0x1122334455667788", "set $fpcr = 0xffffffff",
                       "set $fpsr = 0xffffffff", "maint flush register-cache", "p/x $v3.d.u",
                       "p/x $fpcr", "p/x $fpsr", "maint packet p25", "p/x $VBAR_EL1",
                       "set {long}&go = 1", "detach"});
    for (unsigned n : {0u, 9u, 31u}) {
        EXPECT_TRUE(has(s.gdb, fmt::format("\nv{:<14}{{d = {{f = {{0x0, 0x0}}, u = {{0x0, 0x0}}", n)))
            << "v" << n << "\n" << s.gdb;
    }
    EXPECT_TRUE(has(s.gdb, "$1 = 0\n")) << s.gdb;
    EXPECT_TRUE(has(s.gdb, "$2 = {f = 0, u = 0, s = 0}")) << "gdb's $s0 pseudo register\n" << s.gdb;
    EXPECT_TRUE(has(s.gdb, "$3 = 0x0\n")) << s.gdb;
    EXPECT_TRUE(has(s.gdb, "$4 = {0x0, 0x1122334455667788}")) << s.gdb;
    EXPECT_TRUE(has(s.gdb, "$5 = 0x7c00000\n")) << "AHP, DN, FZ, RMode only\n" << s.gdb;
    EXPECT_TRUE(has(s.gdb, "$6 = 0x800009f\n")) << "QC and the cumulative flags\n" << s.gdb;
    EXPECT_TRUE(has(s.gdb, "received: \"00000000000000008877665544332211\"")) << s.gdb;
    EXPECT_TRUE(has(s.gdb, "$7 = 0x0\n")) << "the sysregs feature still reads\n" << s.gdb;
    EXPECT_FALSE(has(s.gdb, "rror")) << s.gdb;
    EXPECT_EQ(s.vm_status, 0) << s.vm_err;
}

TEST(GdbRun, KillEndsStepvisorWithStatus1) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    Session s = debug("gdb_target", {"stepi", "kill"});
    EXPECT_TRUE(has(s.gdb, "[Inferior 1 (Remote target) killed]")) << s.gdb;
    EXPECT_EQ(s.vm_status, 1) << s.vm_err;
    EXPECT_EQ(s.vm_out, "");
}

// debug() on gdb_target with `commands`, with --trace exits to a temporary
// file and extra_vm_args: the SIGINT goes to gdb once the guest sleeps in its
// WFI (the exit trace says so, "WFx"), so a slow machine cannot make it arrive
// before "continue".
Session interrupted_in_wfi(const std::vector<std::string>& commands,
                           const std::vector<std::string>& extra_vm_args = {}) {
    char trace[] = "/tmp/stepvisor-gdb-trace-XXXXXX";
    const int fd = mkstemp(trace);
    if (fd < 0) {
        ADD_FAILURE() << "mkstemp: " << std::strerror(errno);
        return {};
    }
    close(fd);
    std::vector<std::string> vm_args = extra_vm_args;
    for (const char* a : {"--trace", "exits", "--trace-file"}) vm_args.push_back(a);
    vm_args.push_back(trace);
    Session s = debug("gdb_target", commands, vm_args, [&](pid_t gdb) {
        const auto deadline = std::chrono::steady_clock::now() + 30s;
        while (!has(read_file(trace), "WFx") && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(10ms);
        std::this_thread::sleep_for(50ms);
        ::kill(gdb, SIGINT);
    });
    unlink(trace);
    return s;
}

// The SIGINT reaches gdb while the guest sleeps in its WFI (interrupted_in_wfi).
TEST(GdbRun, CtrlCStopsASleepingGuestWithSigint) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    Session s = interrupted_in_wfi({"continue", "p $pc >= &spin && $pc < &done",
                                    "set {long}&go = 1", "continue"});
    EXPECT_TRUE(has(s.gdb, "Program received signal SIGINT, Interrupt.")) << s.gdb;
    EXPECT_TRUE(has(s.gdb, "$1 = 1")) << s.gdb;
    EXPECT_TRUE(has(s.gdb, "[Inferior 1 (Remote target) exited normally]")) << s.gdb;
    EXPECT_EQ(s.vm_status, 0) << s.vm_err;
    EXPECT_EQ(s.vm_out, "G");
}

// Under --reverse the interrupt leaves the WFI waiting (Cap::KickKeepsHalt):
// the stop is in the history, which still goes back to its start.
TEST(GdbRun, ReverseCtrlCStopsASleepingGuestAndTheHistoryGoesBack) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    Session s = interrupted_in_wfi({"continue", "p $pc >= &spin && $pc < &done", "reverse-stepi",
                                    "monitor icount", "reverse-continue", "p $pc == &_start",
                                    "kill"},
                                   {"--reverse"});
    EXPECT_TRUE(has(s.gdb, "Program received signal SIGINT, Interrupt.")) << s.gdb;
    EXPECT_TRUE(has(s.gdb, "$1 = 1")) << s.gdb;
    EXPECT_TRUE(has(s.gdb, "No more reverse-execution history.")) << s.gdb;
    EXPECT_TRUE(has(s.gdb, "$2 = 1")) << s.gdb;
    EXPECT_TRUE(has(s.gdb, "[Inferior 1 (Remote target) killed]")) << s.gdb;
    EXPECT_EQ(s.vm_status, 1) << s.vm_err;
}

TEST(GdbRun, DetachLetsTheGuestRunToSystemOff) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    Session s = debug("gdb_target", {"break spin", "continue", "set {long}&go = 1", "detach"});
    EXPECT_TRUE(has(s.gdb, "Breakpoint 1, spin ()")) << s.gdb;
    EXPECT_EQ(s.vm_status, 0) << s.vm_err;
    EXPECT_EQ(s.vm_out, "G");
}

TEST(GdbRun, HardwareBreakpointAndWatchpointsStopWithTheirKindAndAddress) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    Session s = debug("gdb_target",
                      {"hbreak after_uart", "continue", "delete", "watch *(long*)&counter",
                       "continue", "p $x4", "delete", "rwatch *(long*)&counter", "continue",
                       "p $pc == &counter_load + 4", "delete", "awatch *(long*)&counter",
                       "continue", "delete", "set {long}&go = 1", "continue"});
    EXPECT_TRUE(has(s.gdb, "Breakpoint 1, after_uart ()")) << s.gdb;
    EXPECT_TRUE(has(s.gdb, "Hardware watchpoint 2: *(long*)&counter\n\nOld value = 0\nNew value = 1"))
        << s.gdb;
    EXPECT_TRUE(has(s.gdb, "$1 = 1")) << s.gdb;
    EXPECT_TRUE(has(s.gdb, "Hardware read watchpoint 3: *(long*)&counter\n\nValue = 1")) << s.gdb;
    EXPECT_TRUE(has(s.gdb, "$2 = 1")) << s.gdb;
    EXPECT_TRUE(has(s.gdb, "Hardware access (read/write) watchpoint 4: *(long*)&counter")) << s.gdb;
    EXPECT_TRUE(has(s.gdb, "exited normally")) << s.gdb;
    EXPECT_EQ(s.vm_status, 0) << s.vm_err;
}

TEST(GdbRun, OutOfHardwareSlotsIsACleanError) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    std::vector<std::string> cmds;
    for (const char* l : {"uart_write", "after_uart", "count_loop", "counter_store", "counter_load",
                          "do_svc", "after_svc", "spin"})
        cmds.push_back(fmt::format("hbreak {}", l));
    for (const char* c : {"continue", "info registers pc", "delete", "set {long}&go = 1", "detach"})
        cmds.push_back(c);
    Session s = debug("gdb_target", cmds);
    EXPECT_TRUE(has(s.gdb, "Could not insert hardware breakpoint")) << s.gdb;
    EXPECT_TRUE(has(s.gdb, "pc             0x40200000")) << s.gdb;
    EXPECT_EQ(s.vm_status, 0) << s.vm_err;
}

TEST(GdbRun, CatchExceptionStopsAtTheSvcVectorWithEc0x15) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    Session s = debug("gdb_target", {"monitor catch exception", "continue",
                                     "p $pc == (long)&vectors + 0x200", "stepi",
                                     "p $pc == &after_svc", "monitor last-exception",
                                     "continue", "p $pc == &trap_mrs + 4", "stepi",
                                     "p $pc == &trap_mrs + 8", "monitor catch exception off",
                                     "set {long}&go = 1", "continue"});
    EXPECT_TRUE(has(s.gdb, "catch exception on")) << s.gdb;
    EXPECT_TRUE(has(s.gdb, "exception: vector 0x40200a00 (synchronous), EC 0x15 (SVC64), ESR "
                           "0x56000015, ELR 0x40200038\n\nProgram received signal SIGTRAP"))
        << s.gdb;
    EXPECT_TRUE(has(s.gdb, "$1 = 1\n")) << "stopped at the vector\n" << s.gdb;
    EXPECT_TRUE(has(s.gdb, "$2 = 1\n")) << "the stepi ran the vector's ERET, once\n" << s.gdb;
    // The MRS the hypervisor emulated: reported after it, PC past it; the
    // next stepi runs the next instruction (not the pending step's report).
    EXPECT_TRUE(has(s.gdb, "exception: to the hypervisor, vector 0x400 (VBAR_EL2 offset), EC "
                           "0x18 (SYS64), ESR 0x62300109, at 0x40200038, handled"))
        << s.gdb;
    EXPECT_TRUE(has(s.gdb, "$3 = 1\n")) << s.gdb;
    EXPECT_TRUE(has(s.gdb, "$4 = 1\n")) << s.gdb;
    EXPECT_TRUE(has(s.gdb, "exited normally")) << s.gdb;
    EXPECT_EQ(s.vm_status, 0) << s.vm_err;
}

TEST(GdbRun, BadOptionValuesAreUsageErrorsNamingTheValue) {
    struct Case {
        std::vector<std::string> args;
        const char* names;
    };
    const Case cases[] = {
        {{"--gdb", "127.0.0.1:99999"}, "'127.0.0.1:99999'"},
        {{"--gdb", "host:"}, "'host:'"},
        {{"--gdb", "x"}, "'x'"},
        {{"--gdb", "1234", "--step-strategy", "fast"}, "fast"},
        {{"--gdb", "1234", "--step-irq", "never"}, "never"},
        {{"--gic-cpuif-trap", "group0,group3"}, "'group3'"},
        {{"--wait-gdb"}, "--gdb"},
        {{"--reverse"}, "--gdb"},
        {{"--gdb", "1234", "--reverse-memory", "1G"}, "--reverse"},
        {{"--gdb", "1234", "--reverse", "--smp", "2"}, "--smp 2"},
        {{"--gdb", "1234", "--reverse", "--rng"}, "--rng"},
        {{"--gdb", "1234", "--reverse", "--reverse-memory", "1Q"}, "'1Q'"},
        {{"--gdb", "1234", "--reverse", "--reverse-interval", "0"}, "0"},
    };
    for (const Case& c : cases) {
        std::vector<std::string> args = {"run"};
        args.insert(args.end(), c.args.begin(), c.args.end());
        args.push_back(guest_elf("hello"));
        Vmm vmm(args);
        Session s;
        vmm.finish(s, 10s);
        EXPECT_EQ(s.vm_status, 2) << c.names << ": " << s.vm_err;
        EXPECT_TRUE(has(s.vm_err, c.names)) << s.vm_err;
        EXPECT_EQ(std::count(s.vm_err.begin(), s.vm_err.end(), '\n'), 1) << s.vm_err;
    }
}

TEST(GdbRun, GicCpuifTrapListIsAccepted) {
    Vmm vmm({"run", "--gic-cpuif-trap", "group0,group1,common", guest_elf("hello")});
    Session s;
    vmm.finish(s, 20s);
    EXPECT_EQ(s.vm_status, 0) << s.vm_err;
    EXPECT_EQ(s.vm_out, "Hello from EL1 on stepvisor\n");
}

// Without --wait-gdb the guest runs until gdb connects, and stops where it is.
TEST(GdbRun, WithoutWaitGdbTheGuestRunsUntilGdbConnects) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    char trace[] = "/tmp/stepvisor-gdb-trace-XXXXXX";
    const int fd = mkstemp(trace);
    ASSERT_GE(fd, 0);
    close(fd);
    Vmm vmm({"run", "--gdb", "127.0.0.1:0", "--trace", "exits", "--trace-file", trace,
             guest_elf("gdb_target")});
    const unsigned port = vmm.port();
    ASSERT_NE(port, 0u);
    // Connect once the guest sleeps in its WFI.
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (!has(read_file(trace), "WFx") && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(10ms);
    unlink(trace);
    Session s;
    s.gdb = shell(fmt::format(
        "timeout --foreground 60 gdb-multiarch -batch -nx -ex 'file {}' -ex 'target remote "
        "127.0.0.1:{}' -ex 'p $pc >= &spin && $pc < &done' -ex 'set {{long}}&go = 1' -ex detach",
        guest_elf("gdb_target"), port));
    vmm.finish(s);
    EXPECT_TRUE(has(s.gdb, "$1 = 1")) << "stopped in the spin loop\n" << s.gdb;
    EXPECT_EQ(s.vm_status, 0) << s.vm_err;
    EXPECT_EQ(s.vm_out, "G");
}

// A guest reset reloads the image over the planted BRK: the breakpoint is
// planted again, and hit on every boot (guests/reboot.c boots three times).
TEST(GdbRun, BreakpointsSurviveAGuestReset) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    Session s = debug("reboot", {"break main", "continue", "continue", "continue", "continue"});
    size_t hits = 0;
    for (size_t at = 0; (at = s.gdb.find("Breakpoint 1, main ()", at)) != std::string::npos; ++at)
        ++hits;
    EXPECT_EQ(hits, 3u) << s.gdb;
    EXPECT_TRUE(has(s.gdb, "exited normally")) << s.gdb;
    EXPECT_EQ(s.vm_out, "boot 0x0000000000000001\nboot 0x0000000000000002\nboot 0x0000000000000003\n");
    EXPECT_EQ(s.vm_status, 0) << s.vm_err;
}

TEST(GdbRun, VcpusAreThreads) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    Session s = debug("gdb_target", {"info threads", "thread 2", "info registers pc",
                                     "thread 1", "set {long}&go = 1", "detach"},
                      {"--smp", "2"});
    EXPECT_TRUE(has(s.gdb, "* 1    Thread 1")) << s.gdb;
    EXPECT_TRUE(has(s.gdb, "  2    Thread 2")) << s.gdb;
    EXPECT_TRUE(has(s.gdb, "[Switching to thread 2 (Thread 2)]")) << s.gdb;
    EXPECT_EQ(s.vm_status, 0) << s.vm_err;
}

// 16 aligned bytes are one watchpoint with DBGWCR.MASK = 4 (gdb sends one
// Z2 of length 16 and would watch in software if it were refused).
TEST(GdbRun, AnAlignedSixteenByteWatchpointIsOneMaskedSlot) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    Session s = debug("gdb_target", {"set debug remote 1", "watch *(char(*)[16])&counter",
                                     "continue", "set debug remote 0", "p $pc == &counter_load",
                                     "delete", "set {long}&go = 1", "continue"});
    EXPECT_TRUE(has(s.gdb, "$Z2,")) << s.gdb;
    EXPECT_TRUE(has(s.gdb, ",10#")) << "length 16\n" << s.gdb;
    EXPECT_TRUE(has(s.gdb, "Hardware watchpoint 1: *(char(*)[16])&counter")) << s.gdb;
    EXPECT_TRUE(has(s.gdb, "$1 = 1")) << s.gdb;
    EXPECT_TRUE(has(s.gdb, "exited normally")) << s.gdb;
    EXPECT_EQ(s.vm_status, 0) << s.vm_err;
}

// A guest the VMM must stop ends the session as gdb's "killed", status 1.
TEST(GdbRun, AGuestThatCannotGoOnIsKilledWithTheReasonOnStderr) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    Session s = debug("spin_exception", {"continue"});
    EXPECT_TRUE(has(s.gdb, "Program terminated with signal SIGKILL, Killed.")) << s.gdb;
    EXPECT_TRUE(has(s.vm_err, "stepvisor: guest stopped: no progress")) << s.vm_err;
    EXPECT_EQ(s.vm_status, 1);
}

TEST(GdbRun, StepStrategyAndStepIrqOptionsReachTheMonitor) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    Session s = debug("gdb_target",
                      {"monitor step-strategy", "monitor step-irq", "monitor step-strategy legacy",
                       "monitor step-strategy", "monitor trace on", "stepi", "monitor trace off",
                       "monitor stats", "kill"},
                      {"--step-strategy", "exit", "--step-irq", "enter", "--stats"});
    EXPECT_TRUE(has(s.gdb, "step-strategy exit\nstep-irq enter\nstep-strategy legacy\n"
                           "step-strategy legacy\ntrace on\n"))
        << s.gdb;
    EXPECT_TRUE(has(s.gdb, "SOFTSTP_LOW          1")) << "the --stats table\n" << s.gdb;
    EXPECT_TRUE(has(s.vm_err, "SOFTSTP")) << "the exit trace line\n" << s.vm_err;
    EXPECT_EQ(s.vm_status, 1);
}

// guests/smp.c on three vcpus: a breakpoint a secondary hits stops the
// machine on its thread; steps of that thread (gdb's vCont;s:2;c) advance
// it one instruction each; the run ends as without gdb.
TEST(GdbRun, SecondaryVcpuBreakpointAndSteps) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    Session s = debug("smp", {"break secondary_main", "continue", "p/x $pc", "stepi", "p $pc == $1 + 4",
                              "stepi", "p $pc == $1 + 8", "delete", "continue"},
                      {"--smp", "3"});
    EXPECT_TRUE(has(s.gdb, "Thread 2 hit Breakpoint 1, secondary_main (idx=1)")) << s.gdb;
    EXPECT_TRUE(has(s.gdb, "$2 = 1\n")) << s.gdb;
    EXPECT_TRUE(has(s.gdb, "$3 = 1\n")) << s.gdb;
    EXPECT_TRUE(has(s.gdb, "exited normally")) << s.gdb;
    EXPECT_TRUE(has(s.vm_out, "CPU_SUSPEND slept to the deadline")) << s.vm_out;
    EXPECT_EQ(s.vm_status, 0) << s.vm_err;
}

}  // namespace
