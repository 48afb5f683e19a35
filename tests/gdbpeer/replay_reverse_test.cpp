// A recording replayed under gdb-multiarch (docs/recording.md, "Replay"):
// `stepvisor replay FILE --gdb --wait-gdb --reverse` keeps the history with
// the recorded serial input in it, so reverse-continue crosses the point
// where input entered (in echo.elf, a polling loop; in uart_irq.elf, an
// interrupt entry), continue replays to the same breakpoint hit at the same
// instruction count, `monitor goto` goes back to an earlier hit, and the
// guest then runs to its power-off writing each byte of its output once
// (docs/reverse.md). Without --reverse the replay serves gdb as `run --gdb`
// does and still comes out as recorded.
//
// Each test records its guest first (`run --record`, the input in two
// bursts, the second sent once the first's echo shows), then drives gdb in
// batch mode: -ex commands, and one line "@@ TAG x0=.. pc=.. icount N" per
// stop of interest, printed by a small Python helper.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "tests/gdbpeer/peers.h"

namespace gdbpeer {
namespace {

const std::string kStepvisor = STEPVISOR_BINARY;

bool have_gdb() { return on_path("gdb-multiarch"); }

std::string guest(const std::string& name) { return std::string(STEPVISOR_GUEST_DIR) + "/" + name; }

struct Guest {
    std::string elf;      // in STEPVISOR_GUEST_DIR
    std::string banner;   // its first line, before it reads
    std::string last;     // what it prints after the '.'
};

const Guest kEcho{"echo.elf", "echo: type; '.' ends\n", "\nbye\n"};
const Guest kUartIrq{"uart_irq.elf", "uart_irq: type; '.' ends\n", "\nbye (input by interrupt)\n"};

// Typed: "abc" once the banner shows, "def." once "ABC" shows.
constexpr const char* kFirst = "abc";
constexpr const char* kSecond = "def.";
std::string recorded_output(const Guest& g) { return g.banner + "ABCDEF" + g.last; }

struct Recorded {
    std::string out, err;
    int status = -1;  // -1: killed (timeout) or not started
};

// `stepvisor run --record rec elf` (--jit as STEPVISOR_TEST_JIT says), its
// stdin a pipe: kFirst written once stdout holds the banner, kSecond once it
// holds "ABC" (100 ms later, so that it enters at another point of the run),
// then closed. Killed after kProcessLimit seconds.
Recorded record(const Guest& g, const std::string& rec) {
    Recorded r;
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) {
        r.err = std::string("pipe: ") + std::strerror(errno);
        return r;
    }
    std::vector<std::string> args{kStepvisor, "run", "--record", rec};
    if (const std::string jit = stepvisor::test::test_jit(); !jit.empty()) {
        args.insert(args.end(), {"--jit", jit});
    }
    args.push_back(guest(g.elf));
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_adddup2(&fa, out[1], 2);  // a message would show in out
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, kStepvisor.c_str(), &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    ::close(in[0]);
    ::close(out[1]);
    if (rc != 0) {
        ::close(in[1]);
        ::close(out[0]);
        r.err = std::string("posix_spawn: ") + std::strerror(rc);
        return r;
    }
    struct sigaction ignore {}, old{};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &ignore, &old);  // the child may end before its input

    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::seconds(kProcessLimit);
    const std::vector<std::pair<std::string, std::string>> bursts{{g.banner, kFirst},
                                                                  {"ABC", kSecond}};
    size_t next = 0;
    std::optional<Clock::time_point> due;
    int stdin_fd = in[1];
    bool killed = false;
    for (;;) {
        const auto now = Clock::now();
        if (now >= deadline) {
            ::kill(pid, SIGKILL);
            killed = true;
            break;
        }
        if (stdin_fd >= 0 && next < bursts.size()) {
            if (!due && r.out.find(bursts[next].first) != std::string::npos) {
                due = now + (next == 0 ? 0ms : 100ms);
            }
            if (due && now >= *due) {
                const std::string& d = bursts[next].second;
                if (::write(stdin_fd, d.data(), d.size()) != ssize_t(d.size())) next = bursts.size() - 1;
                ++next;
                due.reset();
            }
        }
        if (stdin_fd >= 0 && next == bursts.size()) {
            ::close(stdin_fd);
            stdin_fd = -1;
        }
        pollfd p{out[0], POLLIN, 0};
        if (::poll(&p, 1, 5) < 0 && errno != EINTR) break;
        if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
            char buf[4096];
            const ssize_t n = ::read(out[0], buf, sizeof buf);
            if (n > 0) r.out.append(buf, size_t(n));
            else if (n == 0 || errno != EINTR) break;
        }
    }
    if (stdin_fd >= 0) ::close(stdin_fd);
    ::close(out[0]);
    int st = 0;
    ::waitpid(pid, &st, 0);
    ::sigaction(SIGPIPE, &old, nullptr);
    if (killed) r.err = fmt::format("killed after {} s", kProcessLimit);
    else if (WIFEXITED(st)) r.status = WEXITSTATUS(st);
    else r.err = fmt::format("died of signal {}", WTERMSIG(st));
    return r;
}

// One stop the helper printed: "@@ TAG x0=0x.. pc=0x.. icount N" (icount -1
// when `monitor icount` was not asked or answered otherwise).
struct Stop {
    uint64_t x0 = 0, pc = 0;
    int64_t icount = -1;
    std::string said;  // the helper's line, for messages
};

// The gdb session: what it printed, and the replay's end.
struct Session {
    std::map<std::string, Stop> stops;
    std::string gdb_out, gdb_err, replay_out, replay_err, failure;
    std::optional<int> replay_status;

    std::string describe() const {
        const auto tail = [](const std::string& s) {
            return s.size() > 4000 ? "..." + s.substr(s.size() - 4000) : s;
        };
        return fmt::format(
            "replay status {}{}\n--- replay stdout ---\n{}\n--- replay stderr ---\n{}\n"
            "--- gdb stdout ---\n{}\n--- gdb stderr (tail) ---\n{}\n",
            replay_status ? std::to_string(*replay_status) : "none (killed)",
            failure.empty() ? "" : "; " + failure, replay_out, replay_err, tail(gdb_out), tail(gdb_err));
    }
    const Stop* at(const std::string& tag) const {
        auto it = stops.find(tag);
        return it == stops.end() ? nullptr : &it->second;
    }
};

// gdb's Python, one line each: at(TAG[, icount]) prints the stop line and
// keeps the icount text in seen[TAG] (for a later `monitor goto`).
const std::vector<std::string> kHelper{
    "python seen = {}",
    "python def at(tag, icount=True): x0 = int(gdb.parse_and_eval(\"$x0\")) & (2**64 - 1); "
    "pc = int(gdb.parse_and_eval(\"$pc\")) & (2**64 - 1); "
    "n = gdb.execute(\"monitor icount\", to_string=True).strip() if icount else \"-\"; "
    "seen[tag] = n.split()[-1]; print(\"@@ %s x0=%#x pc=%#x %s\" % (tag, x0, pc, n), flush=True)",
};

void parse_stops(Session& s) {
    static const std::regex line(R"(@@ (\S+) x0=0x([0-9a-f]+) pc=0x([0-9a-f]+) (.*))");
    static const std::regex icount(R"(icount (\d+))");
    std::istringstream in(s.gdb_out);
    std::string l;
    std::smatch m, n;
    while (std::getline(in, l)) {
        if (!std::regex_match(l, m, line)) continue;
        Stop st;
        st.x0 = std::stoull(m[2].str(), nullptr, 16);
        st.pc = std::stoull(m[3].str(), nullptr, 16);
        const std::string rest = m[4].str();
        if (std::regex_match(rest, n, icount)) st.icount = std::stoll(n[1].str());
        st.said = l;
        s.stops[m[1].str()] = st;  // a tag seen twice: the last
    }
}

// `stepvisor replay rec --gdb 127.0.0.1:0 --wait-gdb EXTRA` (--jit as
// STEPVISOR_TEST_JIT says), gdb-multiarch -batch on elf running `commands`
// (each one -ex) after the helper; the replay's stdout kept apart.
Session replay_under_gdb(const std::string& rec, const std::string& elf, const std::string& extra,
                         const std::vector<std::string>& commands) {
    Session s;
    TempDir dir;
    const fs::path d = dir.path();
    Process target(fmt::format(
        "exec timeout -k 5 {0} {1} replay {2} --gdb 127.0.0.1:0 --wait-gdb {3} {4} "
        ">{5}/out 2>{5}/err </dev/null",
        kProcessLimit, quote(kStepvisor), quote(rec), extra, jit_option(), quote(d.string())));
    struct {
        std::optional<int> target_status;
        std::string target_log, failure;
    } waited;
    const std::optional<int> port = wait_for_port(waited, target, d / "err");
    if (!port) {
        s.replay_status = waited.target_status;
        s.replay_err = waited.target_log;
        s.failure = waited.failure;
        s.replay_out = read_text(d / "out");
        return s;
    }
    std::string ex;
    std::vector<std::string> all = kHelper;
    all.insert(all.end(), commands.begin(), commands.end());
    for (const std::string& c : all) ex += " -ex " + quote(c);
    Process gdb(fmt::format(
        "exec timeout -k 5 {0} gdb-multiarch -batch -nx -ex 'set architecture aarch64' -ex {1} "
        "-ex 'target remote 127.0.0.1:{2}'{3} >{4}/gdb.out 2>{4}/gdb.err </dev/null",
        kProcessLimit, quote("file " + elf), *port, ex, quote(d.string())));
    if (!gdb.wait(std::chrono::seconds(kProcessLimit + 10))) s.failure = "gdb did not end";
    s.replay_status = target.wait(20s);
    s.gdb_out = read_text(d / "gdb.out");
    s.gdb_err = read_text(d / "gdb.err");
    s.replay_out = read_text(d / "out");
    s.replay_err = read_text(d / "err");
    parse_stops(s);
    return s;
}

bool says(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

constexpr const char* kExited = "[Inferior 1 (Remote target) exited normally]";

// Records g, checks the recording's run came out as typed; the path of the
// recording in dir.
std::string record_guest(const Guest& g, const TempDir& dir) {
    const std::string rec = (dir.path() / "run.rec").string();
    const Recorded r = record(g, rec);
    EXPECT_EQ(r.status, 0) << r.err << "\n" << r.out;
    EXPECT_EQ(r.out, recorded_output(g)) << r.err;
    return rec;
}

// The breakpoint: the out-of-line putc_uart, which every echoed character
// goes through (`bl putc_uart` in echo.c's main and in uart_irq.c's
// interrupt handler), its argument in x0. Not `break putc_uart`: gdb would
// add the copies inlined into puts_uart (the banner, "bye"), where x0 is no
// character. First stopped where x0 is 'D', the first byte of the second
// burst; `condition 1` then makes every hit stop.
const std::vector<std::string> kToD{"break *putc_uart if $x0 == 0x44", "continue"};

// Under --reverse: at D, reverse-continue twice (C, then B, each an earlier
// hit with a smaller count), continue twice (C, then D again at its first
// count), `monitor goto` the count of C (x0 'C' after the register cache is
// flushed), then without breakpoints on to the power-off.
void reverse_across_input(const Guest& g) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    TempDir dir;
    const std::string rec = record_guest(g, dir);
    if (::testing::Test::HasFailure()) return;

    std::vector<std::string> cmds = kToD;
    cmds.insert(cmds.end(), {
        "python at(\"d\")", "condition 1",
        "reverse-continue", "python at(\"c\")",
        "reverse-continue", "python at(\"b\")",
        "continue", "python at(\"c2\")",
        "continue", "python at(\"d2\")",
        "python gdb.execute(\"monitor goto \" + seen[\"c\"])",
        "maintenance flush register-cache",
        "echo @@ goto p/x $x0\\n", "p/x $x0", "python at(\"goto\")",
        "delete", "continue",
    });
    const Session s = replay_under_gdb(rec, guest(g.elf), "--reverse", cmds);
    ASSERT_TRUE(s.failure.empty()) << s.describe();

    const Stop *d = s.at("d"), *c = s.at("c"), *b = s.at("b"), *c2 = s.at("c2"), *d2 = s.at("d2"),
               *go = s.at("goto");
    ASSERT_TRUE(d) << "no stop at putc_uart('D')\n" << s.describe();
    EXPECT_EQ(d->x0, uint64_t('D')) << d->said;
    ASSERT_GE(d->icount, 0) << "`monitor icount` at D: " << d->said << "\n" << s.describe();

    EXPECT_FALSE(says(s.gdb_out, "No more reverse-execution history"))
        << "a reverse-continue ran to the start of history\n" << s.describe();
    ASSERT_TRUE(c && b) << s.describe();
    EXPECT_EQ(c->x0, uint64_t('C')) << "reverse-continue from D: " << c->said << "\n" << s.describe();
    EXPECT_EQ(c->pc, d->pc) << c->said;
    EXPECT_GE(c->icount, 0) << c->said;
    EXPECT_LT(c->icount, d->icount) << c->said;
    EXPECT_EQ(b->x0, uint64_t('B')) << "the second reverse-continue: " << b->said << "\n" << s.describe();
    EXPECT_EQ(b->pc, d->pc) << b->said;
    EXPECT_GE(b->icount, 0) << b->said;
    EXPECT_LT(b->icount, c->icount) << b->said;

    ASSERT_TRUE(c2 && d2) << s.describe();
    EXPECT_EQ(c2->x0, uint64_t('C')) << "continue from B: " << c2->said << "\n" << s.describe();
    EXPECT_EQ(c2->icount, c->icount) << c2->said;
    EXPECT_EQ(d2->x0, uint64_t('D')) << "continue from C: " << d2->said << "\n" << s.describe();
    EXPECT_EQ(d2->pc, d->pc) << d2->said;
    EXPECT_EQ(d2->icount, d->icount) << "D again, at another count: " << d2->said << "\n" << s.describe();

    ASSERT_TRUE(go) << s.describe();
    EXPECT_TRUE(std::regex_search(s.gdb_out, std::regex(R"(@@ goto p/x \$x0\n\$\d+ = 0x43\n)")))
        << "`p/x $x0` after `monitor goto " << c->icount << "`\n" << s.describe();
    EXPECT_EQ(go->x0, uint64_t('C')) << go->said;
    EXPECT_EQ(go->pc, c->pc) << go->said;
    EXPECT_EQ(go->icount, c->icount) << go->said;

    EXPECT_TRUE(says(s.gdb_out, kExited)) << s.describe();
    EXPECT_EQ(s.replay_status, 0) << s.describe();
    EXPECT_EQ(s.replay_out, recorded_output(g))
        << "the replay's output: each byte once, as recorded\n" << s.describe();
}

// Without --reverse: to D, then without breakpoints to the power-off.
void forward_only(const Guest& g) {
    ASSERT_TRUE(have_gdb()) << "gdb-multiarch does not run (scripts/setup installs it)";
    TempDir dir;
    const std::string rec = record_guest(g, dir);
    if (::testing::Test::HasFailure()) return;
    std::vector<std::string> cmds = kToD;
    cmds.insert(cmds.end(), {"python at(\"d\", False)", "delete", "continue"});
    const Session s = replay_under_gdb(rec, guest(g.elf), "", cmds);
    ASSERT_TRUE(s.failure.empty()) << s.describe();
    const Stop* d = s.at("d");
    ASSERT_TRUE(d) << "no stop at putc_uart('D')\n" << s.describe();
    EXPECT_EQ(d->x0, uint64_t('D')) << d->said;
    EXPECT_TRUE(says(s.gdb_out, kExited)) << s.describe();
    EXPECT_EQ(s.replay_status, 0) << s.describe();
    EXPECT_EQ(s.replay_out, recorded_output(g)) << s.describe();
}

TEST(ReplayReverse, EchoPolling) { reverse_across_input(kEcho); }
TEST(ReplayReverse, EchoByInterrupt) { reverse_across_input(kUartIrq); }
TEST(ReplayGdb, EchoPolling) { forward_only(kEcho); }
TEST(ReplayGdb, EchoByInterrupt) { forward_only(kUartIrq); }

}  // namespace
}  // namespace gdbpeer
