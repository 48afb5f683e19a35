// `stepvisor run --gdb` serves gdb after gdb, as QEMU's gdbstub does
// (docs/vmm.md, "The gdb stub"): sessions that come and go on a running
// guest, a second client refused while one is attached, clients that are
// not gdb, and a soak of attaches while the machine is loaded. The guest,
// guests/spin_loop.S, runs forever, so each test ends it with gdb's kill.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "tests/cli/vmm_process.h"
#include "tests/shell.h"

namespace {

using namespace std::chrono_literals;
using cli::test::Session;
using cli::test::Vmm;
using stepvisor::test::have_gdb;
using stepvisor::test::shell;

const std::string kGuest = std::string(STEPVISOR_GUEST_DIR) + "/spin_loop.elf";

bool has(const std::string& text, const std::string& what) {
    return text.find(what) != std::string::npos;
}

// A plain TCP client, for what gdb would never send; -1 if it cannot connect.
int connect_to(unsigned port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(uint16_t(port));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0) return fd;
    if (fd >= 0) ::close(fd);
    return -1;
}

// Whether the server closed fd within `timeout` (what it sent before is
// ignored).
bool closed_by_server(int fd, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd p{fd, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&p, 1, int(left.count())) <= 0) return false;
        char buf[512];
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n == 0 || (n < 0 && errno == ECONNRESET)) return true;
    }
}

// gdb-multiarch in batch mode on the guest's symbols, attached to `port`,
// running `commands` (each an -ex) and bounded by timeout(1).
std::string gdb(unsigned port, const std::vector<std::string>& commands) {
    std::string cmd = fmt::format(
        "timeout --foreground 120 gdb-multiarch -batch -nx -ex 'file {}' -ex 'target remote "
        "127.0.0.1:{}'",
        kGuest, port);
    for (const auto& c : commands) cmd += " -ex '" + c + "'";
    return shell(cmd);
}

// The guest's x1 as gdb printed it with `p/x $x1` ("$N = 0x...").
uint64_t printed_x1(const std::string& out, size_t nth) {
    static const std::regex kValue("\\$[0-9]+ = (0x[0-9a-f]+)");
    auto it = std::sregex_iterator(out.begin(), out.end(), kValue);
    for (size_t i = 0; it != std::sregex_iterator(); ++it, ++i)
        if (i == nth) return std::stoull((*it)[1], nullptr, 16);
    ADD_FAILURE() << "no value #" << nth << " in gdb's output: " << out;
    return 0;
}

// stepvisor on spin_loop with --gdb on a free port, the guest running.
struct Running {
    Vmm vmm{{"run", "--gdb", "127.0.0.1:0", kGuest}};
    unsigned port = vmm.port();
    // Ends the run with gdb's kill: stepvisor exits 1.
    void kill_and_finish(Session& s) {
        const std::string out = gdb(port, {"kill"});
        EXPECT_TRUE(has(out, "killed")) << out;
        vmm.finish(s);
        EXPECT_EQ(s.vm_status, 1) << s.vm_err;
    }
};

class GdbReconnect : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
        ASSERT_NE(r.port, 0u) << r.vmm.err();
    }
    Running r;
};

// Quit gdb (it detaches: qAttached says 1), start it again: the guest ran
// on meanwhile, and the new gdb stops it where it is. A gdb that vanished
// with breakpoints inserted (always-inserted, SIGKILL) leaves none behind:
// the next gdb runs the loop's whole circle from 0x40200010 back to it
// without a stop at the old ones (guests/spin_loop.S: 0x08 add x1, 0x0c add
// x2, 0x10 b).
TEST_F(GdbReconnect, SessionsComeAndGoOnARunningGuest) {
    std::string out = gdb(r.port, {"p/x $x1", "quit"});
    const uint64_t first = printed_x1(out, 0);

    shell(fmt::format("timeout -s KILL 5 gdb-multiarch -batch -nx -ex 'file {}' -ex 'target "
                      "remote 127.0.0.1:{}' -ex 'set breakpoint always-inserted on' -ex 'break "
                      "*0x40200008' -ex 'hbreak *0x4020000c' -ex 'shell sleep 30'",
                      kGuest, r.port));

    out = gdb(r.port, {"p/x $x1", "tbreak *0x40200010", "continue", "p/x $x1",
                       "tbreak *0x40200010", "continue", "p/x $x1"});
    EXPECT_GT(printed_x1(out, 0), first) << "the guest ran on between the sessions: " << out;
    EXPECT_TRUE(has(out, "Temporary breakpoint 2, _start () at")) << out;
    EXPECT_FALSE(has(out, "SIGTRAP")) << "an old session's breakpoint stopped the guest: " << out;
    EXPECT_EQ(printed_x1(out, 2), printed_x1(out, 1) + 1) << "one circle of the loop: " << out;
    Session s;
    r.kill_and_finish(s);
}

// One gdb at a time: a client that connects while one is attached is
// closed at once and named on stderr; the attached gdb goes on unaffected.
TEST_F(GdbReconnect, ASecondClientIsRefusedAndTheFirstGoesOn) {
    // gdb's `shell` runs the second client while gdb holds the session: cat
    // ends (status 0) once stepvisor closes the connection, else timeout
    // stops it (124).
    const std::string probe = fmt::format(
        "bash -c \"exec 3<>/dev/tcp/127.0.0.1/{} && timeout 5 cat <&3 >/dev/null; echo second "
        "client status \\$?\"",
        r.port);
    const std::string out =
        gdb(r.port, {"p/x $x1", "shell " + probe, "stepi", "p/x $x1", "info registers pc", "kill"});
    EXPECT_TRUE(has(out, "second client status 0")) << out;
    EXPECT_TRUE(has(out, "pc             0x")) << out;
    EXPECT_FALSE(has(out, "Remote connection closed")) << out;
    Session s;
    r.vmm.finish(s);
    EXPECT_EQ(s.vm_status, 1);
    EXPECT_TRUE(std::regex_search(
        s.vm_err,
        std::regex("gdb: refused a connection from 127\\.0\\.0\\.1:[0-9]+: another gdb is attached\n")))
        << s.vm_err;
}

// 1,000 clients that are not gdb — garbage, half a packet, a bad checksum,
// a lone Ctrl-C, an oversized packet, or nothing — each connecting and
// going away against the running guest; then a real gdb session. Each
// client waits for stepvisor to let it go before the next comes: clients
// faster than that only fill the listen backlog, and the kernel drops
// their SYNs (a 1 s retransmission each), which tests the kernel.
TEST_F(GdbReconnect, AThousandGarbageClientsThenARealGdb) {
    std::mt19937 rng(14);
    const std::vector<std::string> kinds = {
        "", "$qSupported:multiprocess+;swbreak+", "$g#00", "\x03", "+++---",
        "$" + std::string(70000, 'x') + "#00", "$m40200000,4#"};
    for (int i = 0; i < 1000; ++i) {
        const int fd = connect_to(r.port);
        ASSERT_GE(fd, 0) << "connect #" << i << " failed: " << std::strerror(errno);
        std::string junk = kinds[size_t(i) % kinds.size()];
        if (i % 7 == 6) {
            junk.resize(1 + rng() % 300);
            for (char& c : junk) c = char(rng());
        }
        if (!junk.empty()) (void)::send(fd, junk.data(), junk.size(), MSG_NOSIGNAL);
        // Gone: stepvisor sees the end of the stream and closes its side.
        ::shutdown(fd, SHUT_WR);
        EXPECT_TRUE(closed_by_server(fd, 10s)) << "client #" << i << " was not let go";
        ::close(fd);
    }
    const std::string out = gdb(r.port, {"p/x $x1", "stepi", "stepi", "p/x $x1",
                                         "info registers x2 pc", "kill"});
    EXPECT_TRUE(has(out, "pc             0x")) << out;
    EXPECT_TRUE(has(out, "[Inferior 1 (Remote target) killed]")) << out;
    Session s;
    r.vmm.finish(s);
    EXPECT_EQ(s.vm_status, 1) << s.vm_err;
}

// A client that connects and says nothing holds the port for 30 s at most;
// then gdb attaches as usual.
TEST_F(GdbReconnect, ASilentClientIsDroppedAfter30Seconds) {
    const int fd = connect_to(r.port);
    ASSERT_GE(fd, 0);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_TRUE(closed_by_server(fd, 40s));
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_GE(took, 29s);
    ::close(fd);
    Session s;
    r.kill_and_finish(s);
}

// The flake of bench/README.md, as a soak: 200 attach / stepi / detach
// cycles on one running stepvisor (20 gdb processes, 10 attaches each)
// while two busy loops keep both cores loaded.
TEST_F(GdbReconnect, TwoHundredAttachesUnderLoad) {
    std::vector<pid_t> load;
    for (int i = 0; i < 2; ++i) {
        const pid_t pid = ::fork();
        if (pid == 0) {
            ::alarm(600);  // bounded even if the test dies
            volatile uint64_t n = 0;
            for (;;) n = n + 1;
        }
        load.push_back(pid);
    }
    int attached = 0;
    for (int g = 0; g < 20; ++g) {
        std::vector<std::string> cmds;
        for (int i = 0; i < 10; ++i) {
            if (i > 0) cmds.push_back(fmt::format("target remote 127.0.0.1:{}", r.port));
            cmds.insert(cmds.end(), {"stepi", "p/x $pc", "detach"});
        }
        const std::string out = gdb(r.port, cmds);
        for (size_t at = 0; (at = out.find("detached]", at)) != std::string::npos; ++at)
            ++attached;
        if (has(out, "timed out") || has(out, "refused")) ADD_FAILURE() << out;
    }
    for (pid_t pid : load) ::kill(pid, SIGKILL);
    for (pid_t pid : load) ::waitpid(pid, nullptr, 0);
    EXPECT_EQ(attached, 200);
    Session s;
    r.kill_and_finish(s);
}

}  // namespace
