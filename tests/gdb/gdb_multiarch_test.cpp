// End to end: the TCP transport and a session serving the fake target to a
// real gdb-multiarch. Every wait is bounded: gdb runs under timeout(1) and
// the accept has its own deadline.
#include <gtest/gtest.h>

#include <signal.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <thread>
#include <future>

#include <fmt/format.h>

#include "gdb/server.h"
#include "tests/gdb/fake_target.h"
#include "tests/shell.h"

namespace gdb {
namespace {

using namespace std::chrono_literals;
using test::FakeTarget;

using stepvisor::test::have_gdb;
using stepvisor::test::shell;

class GdbMultiarch : public ::testing::Test {
protected:
    FakeTarget target{1};

    std::string debug(const std::vector<std::string>& commands, SessionOptions opts = {},
                      const std::function<void(pid_t)>& with_pid = {}) {
        return debug_on(target, commands, opts, with_pid);
    }

    // Serve `t` on one connection to gdb run with `commands` (each an -ex).
    std::string debug_on(Target& t, const std::vector<std::string>& commands,
                         SessionOptions opts = {},
                         const std::function<void(pid_t)>& with_pid = {}) {
        auto listener = TcpListener::listen("127.0.0.1", 0);
        EXPECT_TRUE(listener) << listener.error().message;
        if (!listener) return {};
        auto stub = Stub::create(t);
        EXPECT_TRUE(stub);
        auto served = std::async(std::launch::async, [&] {
            auto r = serve_one(listener.value(), stub.value(), 30s, opts);
            return r ? std::string(session_end_name(r.value())) : r.error().message;
        });
        // --foreground: timeout passes a signal to gdb once; without it the
        // signal also goes to the process group, and a second SIGINT makes
        // gdb give up on the target.
        std::string cmd =
            "timeout --foreground 60 gdb-multiarch -batch -nx -ex 'set architecture aarch64'";
        cmd += fmt::format(" -ex 'target remote 127.0.0.1:{}'", listener->port());
        for (const auto& c : commands) cmd += " -ex '" + c + "'";
        std::string out = shell(cmd, with_pid);
        if (served.wait_for(10s) != std::future_status::ready) {
            ADD_FAILURE() << "session still running after gdb exited";
            return out;
        }
        end = served.get();
        return out;
    }
    std::string end;
};

TEST_F(GdbMultiarch, ReadsRegistersAndMemory) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    const std::string out = debug({"info registers pc", "x/4xw 0x1000", "detach"});
    EXPECT_NE(out.find("pc             0x1010"), std::string::npos) << out;
    // Bytes i*7+3 from 0x1000, read as little-endian words.
    EXPECT_NE(out.find("0x1000:\t0x18110a03\t0x342d261f\t0x5049423b\t0x6c655e57"),
              std::string::npos)
        << out;
    // gdb warns only that it has no executable, never about our packets.
    EXPECT_EQ(out.find("Remote '"), std::string::npos) << out;  // "Remote 'g' packet reply ..."
    EXPECT_EQ(out.find("rror"), std::string::npos) << out;
    EXPECT_EQ(end, "detached");
    EXPECT_TRUE(target.detached);
}

TEST_F(GdbMultiarch, StepsAndUsesTheTargetDescription) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    const std::string out =
        debug({"stepi", "info registers pc", "info registers sctlr_el1", "p $cpsr", "p/x $x3",
               "set var $x4 = 0x1234", "p/x $x4", "set {int}0x1100 = 0x55667788", "x/1xw 0x1100",
               "monitor hello", "detach"},
              SessionOptions{.run_length = true});
    EXPECT_NE(out.find("pc             0x1014"), std::string::npos) << out;
    EXPECT_NE(out.find("sctlr_el1      0x30d00800"), std::string::npos) << out;
    EXPECT_NE(out.find("[ SP EL=1 F I A D"), std::string::npos) << "cpsr_flags from our XML\n"
                                                                << out;
    EXPECT_NE(out.find("= 0x1003"), std::string::npos) << out;
    EXPECT_NE(out.find("= 0x1234"), std::string::npos) << out;
    EXPECT_EQ(target.reg(1, 4), 0x1234u);
    EXPECT_NE(out.find("0x1100:\t0x55667788"), std::string::npos) << out;
    EXPECT_NE(out.find("stepvisor fake\nhello"), std::string::npos) << out;
    EXPECT_EQ(end, "detached");
}

TEST_F(GdbMultiarch, BreakpointAndAccessWatchpointStops) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    StopReason bp;
    bp.kind = StopKind::SwBreak;
    bp.regs = Expedited{0x1020, 0x40080000, 0, 0x3c5};
    StopReason watch;
    watch.kind = StopKind::AccessWatch;
    watch.watch_addr = 0x1100;
    watch.regs = Expedited{0x1030, 0x40080000, 0, 0x3c5};
    target.stops = {bp, watch};
    const std::string out = debug({"break *0x1020", "continue", "awatch *(int *)0x1100", "continue",
                                   "info registers pc", "detach"});
    EXPECT_NE(out.find("Breakpoint 1, 0x0000000000001020 in ?? ()"), std::string::npos) << out;
    EXPECT_NE(out.find("Hardware access (read/write) watchpoint 2: *(int *)0x1100"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("Value = "), std::string::npos) << out;
    // AArch64 watchpoints trigger before the access, so gdb steps over the
    // instruction (our fake: pc + 4) before it reports.
    EXPECT_NE(out.find("pc             0x1034"), std::string::npos) << out;
    EXPECT_TRUE(target.breakpoints.empty()) << "gdb removes what it inserted before detaching";
    EXPECT_EQ(end, "detached");
}

TEST_F(GdbMultiarch, VcpusAreThreads) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    FakeTarget two(2);
    const std::string out = debug_on(two, {"info threads", "thread 2", "p/x $x0", "detach"});
    EXPECT_NE(out.find("Thread 2"), std::string::npos) << out;
    EXPECT_NE(out.find("= 0x2000"), std::string::npos) << "x0 of vcpu 2\n" << out;
    EXPECT_EQ(end, "detached");
}

TEST_F(GdbMultiarch, InterruptARunningGuest) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    // A SIGINT to gdb while "continue" waits is the user's Ctrl-C: gdb sends
    // 0x03, which the session sees through the poll inside wait_for_stop.
    // timeout(1) passes the SIGINT on to gdb. Wait for the resume first, so
    // a slow machine cannot make the signal arrive before "continue".
    const std::string out = debug({"continue", "info registers pc", "detach"}, {}, [&](pid_t pid) {
        const auto deadline = std::chrono::steady_clock::now() + 30s;
        while (target.resume_count == 0 && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(10ms);
        }
        std::this_thread::sleep_for(50ms);
        ::kill(pid, SIGINT);
    });
    EXPECT_NE(out.find("received signal SIGINT"), std::string::npos) << out;
    EXPECT_NE(out.find("pc             0x1010"), std::string::npos) << out;
    EXPECT_EQ(end, "detached");
}

}  // namespace
}  // namespace gdb
