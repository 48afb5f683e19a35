// End to end: the TCP transport and a session serving the fake target to a
// real gdb-multiarch. Every wait is bounded: gdb runs under timeout(1) and
// the accept has its own deadline.
#include <gtest/gtest.h>

#include <cstdio>
#include <future>

#include <fmt/format.h>

#include "gdb/session.h"
#include "tests/gdb/fake_target.h"

namespace gdb {
namespace {

using namespace std::chrono_literals;
using test::FakeTarget;

// Run a command, returning its stdout and stderr.
std::string run(const std::string& cmd) {
    std::string out;
    FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
    if (!p) return "popen failed";
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    ::pclose(p);
    return out;
}

bool have_gdb() { return run("command -v gdb-multiarch").find("gdb-multiarch") != std::string::npos; }

class GdbMultiarch : public ::testing::Test {
protected:
    FakeTarget target{1};

    // Serve one connection to gdb run with `commands` (each an -ex).
    std::string debug(const std::vector<std::string>& commands, SessionOptions opts = {}) {
        auto listener = TcpListener::listen("127.0.0.1", 0);
        EXPECT_TRUE(listener) << listener.error().message;
        if (!listener) return {};
        auto stub = Stub::create(target);
        EXPECT_TRUE(stub);
        auto served = std::async(std::launch::async, [&] {
            auto conn = listener->accept(30s);
            if (!conn) return std::string(conn.error().message);
            Session s(stub.value(), *conn.value(), opts);
            return std::string(session_end_name(s.run()));
        });
        std::string cmd = "timeout 60 gdb-multiarch -batch -nx -ex 'set architecture aarch64'";
        cmd += fmt::format(" -ex 'target remote 127.0.0.1:{}'", listener->port());
        for (const auto& c : commands) cmd += " -ex '" + c + "'";
        std::string out = run(cmd);
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
    if (!have_gdb()) GTEST_SKIP() << "gdb-multiarch not installed";
    const std::string out = debug({"info registers pc", "x/4xw 0x1000", "detach"});
    EXPECT_NE(out.find("pc             0x1010"), std::string::npos) << out;
    // Bytes i*7+3 from 0x1000, read as little-endian words.
    EXPECT_NE(out.find("0x1000:\t0x18110a03\t0x342d261f\t0x5049423b\t0x6c655e57"), std::string::npos)
        << out;
    // gdb warns only that it has no executable, never about our packets.
    EXPECT_EQ(out.find("Remote '"), std::string::npos) << out;  // "Remote 'g' packet reply ..."
    EXPECT_EQ(out.find("rror"), std::string::npos) << out;
    EXPECT_EQ(end, "detached");
    EXPECT_TRUE(target.detached);
}

TEST_F(GdbMultiarch, StepsAndUsesTheTargetDescription) {
    if (!have_gdb()) GTEST_SKIP() << "gdb-multiarch not installed";
    const std::string out = debug({"stepi", "info registers pc", "info registers sctlr_el1", "p $cpsr",
                                   "p/x $x3", "set var $x4 = 0x1234", "p/x $x4",
                                   "set {int}0x1100 = 0x55667788", "x/1xw 0x1100", "monitor hello",
                                   "detach"},
                                  SessionOptions{.run_length = true});
    EXPECT_NE(out.find("pc             0x1014"), std::string::npos) << out;
    EXPECT_NE(out.find("sctlr_el1      0x30d00800"), std::string::npos) << out;
    EXPECT_NE(out.find("[ SP EL=1 F I A D"), std::string::npos) << "cpsr_flags from our XML\n" << out;
    EXPECT_NE(out.find("= 0x1003"), std::string::npos) << out;
    EXPECT_NE(out.find("= 0x1234"), std::string::npos) << out;
    EXPECT_EQ(target.reg(1, 4), 0x1234u);
    EXPECT_NE(out.find("0x1100:\t0x55667788"), std::string::npos) << out;
    EXPECT_NE(out.find("stepvisor fake\nhello"), std::string::npos) << out;
    EXPECT_EQ(end, "detached");
}

}  // namespace
}  // namespace gdb
