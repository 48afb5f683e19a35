// The real peers of the gdb step tests: one gdb-multiarch batch run of
// step_trace.py against `stepvisor run --gdb 127.0.0.1:0 --wait-gdb` or
// against qemu-system-aarch64 -M virt,gic-version=3 -cpu max -S with its
// gdbstub. Every process runs under timeout(1) and every wait has a
// deadline, so a hung peer fails the test instead of hanging it.
#pragma once

#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "tests/gdbpeer/trace.h"
#include "tests/test_jit.h"

extern char** environ;

namespace gdbpeer {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// Seconds any one peer process may run (timeout(1)'s limit).
constexpr int kProcessLimit = 60;

inline std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline bool on_path(const std::string& program) {
    return std::system(fmt::format("command -v {} >/dev/null 2>&1", program).c_str()) == 0;
}

// A directory of its own for one run's files, removed with the object.
class TempDir {
public:
    TempDir() {
        std::string t = (fs::temp_directory_path() / "gdbpeer.XXXXXX").string();
        if (::mkdtemp(t.data())) path_ = t;
    }
    ~TempDir() {
        std::error_code ec;
        if (!path_.empty()) fs::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

// A shell command running on its own; the destructor ends it if still alive.
class Process {
public:
    explicit Process(const std::string& command) {
        std::vector<char*> argv{const_cast<char*>("sh"), const_cast<char*>("-c"),
                                const_cast<char*>(command.c_str()), nullptr};
        if (posix_spawn(&pid_, "/bin/sh", nullptr, nullptr, argv.data(), environ) != 0) pid_ = 0;
    }
    ~Process() {
        if (running()) {
            ::kill(pid_, SIGTERM);
            wait(5s);
        }
    }
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    bool running() {
        if (pid_ > 0 && !status_) poll();
        return pid_ > 0 && !status_;
    }
    // The exit status (128 + signal for a signal), or nothing after `limit`.
    std::optional<int> wait(std::chrono::milliseconds limit) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (running() && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(10ms);
        }
        return status_;
    }

private:
    void poll() {
        int st = 0;
        if (::waitpid(pid_, &st, WNOHANG) == pid_) {
            status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        }
    }
    pid_t pid_ = 0;
    std::optional<int> status_;
};

inline std::string quote(const std::string& s) { return "'" + s + "'"; }

// A TCP port free on 127.0.0.1 a moment ago (QEMU's -gdb needs a number).
inline int free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int port = 0;
    if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
        port = ntohs(a.sin_port);
    }
    if (fd >= 0) ::close(fd);
    return port;
}

// One traced run: the trace, and what the peers printed, for the failure
// messages.
struct PeerRun {
    Trace trace;
    std::string serial;          // the guest's serial output
    std::string target_log;      // the target's stderr (or QEMU's output)
    std::optional<int> target_status;
    std::string gdb_out, gdb_log;  // gdb's stdout; its stderr (packet log)
    std::string exits;           // stepvisor's exit trace (--trace exits)
    std::string failure;         // why the run could not be traced at all

    std::string describe() const {
        const std::string end = trace.exit_code ? fmt::format("exited {}", *trace.exit_code)
                                : trace.error.empty() ? "no exit"
                                                      : "gdb error: " + trace.error;
        return fmt::format(
            "trace: {} steps, last PC {:#x}, {}; target exit {}\n--- target ---\n{}--- gdb ---\n"
            "{}{}\n",
            trace.steps.size(), trace.steps.empty() ? 0 : trace.steps.back().pc, end,
            target_status ? std::to_string(*target_status) : "none (killed)", target_log,
            gdb_out, failure.empty() ? "" : "\n" + failure);
    }
};

struct TraceOptions {
    std::string log_at = "row_ldxr";  // the stepi whose packet log to keep
    std::string sleep_at = "-";       // the stepi before which gdb waits 50 ms
    int max_steps = 500;
};

// gdb-multiarch runs step_trace.py on `elf` against the stub at `port`; the
// target writes its serial output to dir/serial.
inline void trace_with_gdb(PeerRun& run, Process& target, const fs::path& dir, const std::string& elf,
                           int port, const TraceOptions& o) {
    // Not __FILE__: a compiler cache may make it relative to another directory.
    const fs::path script = fs::path(STEPVISOR_GDBPEER_DIR) / "step_trace.py";
    const std::string cmd = fmt::format(
        "STEP_TRACE_OUT={0}/trace STEP_TRACE_SERIAL={0}/serial STEP_TRACE_LOG_AT={1} "
        "STEP_TRACE_SLEEP_AT={7} STEP_TRACE_MAX={2} exec timeout -k 5 {3} gdb-multiarch -batch "
        "-nx -ex 'set architecture aarch64' -ex {4} -ex 'target remote 127.0.0.1:{5}' -x {6} "
        ">{0}/gdb.out 2>{0}/gdb.err </dev/null",
        quote(dir.string()), o.log_at, o.max_steps, kProcessLimit, quote("file " + elf), port,
        quote(script.string()), o.sleep_at);
    Process gdb(cmd);
    if (!gdb.wait(std::chrono::seconds(kProcessLimit + 10))) run.failure = "gdb did not end";
    run.target_status = target.wait(20s);
    run.trace = parse_trace(read_text(dir / "trace"));
    run.serial = read_text(dir / "serial");
    run.gdb_out = read_text(dir / "gdb.out");
    run.gdb_log = read_text(dir / "gdb.err");
}

inline std::string jit_option() {
    const std::string jit = stepvisor::test::test_jit();
    return jit.empty() ? "" : "--jit " + jit;
}

// The port `stepvisor run --gdb 127.0.0.1:0` bound: the stub prints
// "gdb: listening on 127.0.0.1:PORT" to its stderr (err_file) before it waits
// for gdb. Without that line within 20 s (or once the target ended), the
// run's target_status, target_log and failure say so, and nothing is
// returned. Run: PeerRun, or any run with those three fields.
template <class Run>
std::optional<int> wait_for_port(Run& run, Process& target, const fs::path& err_file) {
    static const std::regex listening("gdb: listening on 127\\.0\\.0\\.1:([0-9]+)");
    std::smatch m;
    std::string err;
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (!std::regex_search(err = read_text(err_file), m, listening) && target.running() &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(10ms);
    }
    if (m.empty()) {
        run.target_status = target.wait(1s);
        run.target_log = read_text(err_file);
        run.failure = "stepvisor never said \"gdb: listening on 127.0.0.1:PORT\"";
        return std::nullopt;
    }
    return std::stoi(m[1].str());
}

// `stepvisor run --gdb 127.0.0.1:0 --wait-gdb EXTRA elf` traced by gdb, with
// its exit trace; `--jit on|off` as STEPVISOR_TEST_JIT says (tests/test_jit.h).
inline PeerRun trace_stepvisor(const std::string& stepvisor, const std::string& elf,
                           const std::string& extra = "", const TraceOptions& o = {}) {
    PeerRun run;
    TempDir dir;
    const fs::path d = dir.path();
    Process target(fmt::format(
        "exec timeout -k 5 {0} {1} run --gdb 127.0.0.1:0 --wait-gdb --trace exits "
        "--trace-file {4}/exits {5} {2} {3} >{4}/serial 2>{4}/target.err </dev/null",
        kProcessLimit, quote(stepvisor), extra, quote(elf), quote(d.string()), jit_option()));
    const std::optional<int> port = wait_for_port(run, target, d / "target.err");
    if (!port) return run;
    trace_with_gdb(run, target, d, elf, *port, o);
    run.target_log = read_text(d / "target.err");
    run.exits = read_text(d / "exits");
    return run;
}

// QEMU, the reference machine, with its gdbstub (default sstep flags:
// interrupts and timers masked while stepping) holding the CPU at reset.
inline PeerRun trace_qemu(const std::string& elf, const TraceOptions& o = {}) {
    PeerRun run;
    TempDir dir;
    const fs::path d = dir.path();
    const int port = free_port();
    Process target(fmt::format(
        "exec timeout -k 5 {} qemu-system-aarch64 -M virt,gic-version=3 -cpu max -m 128M "
        "-nic none "
        "-display none -monitor none -serial file:{}/serial -no-reboot -kernel {} "
        "-gdb tcp:127.0.0.1:{} -S >{}/target.err 2>&1 </dev/null",
        kProcessLimit, d.string(), quote(elf), port, quote(d.string())));
    // gdb retries a refused connection while QEMU starts (tcp auto-retry).
    trace_with_gdb(run, target, d, elf, port, o);
    run.target_log = read_text(d / "target.err");
    // QEMU sends W00 as it shuts down and closes the socket at once: gdb,
    // acknowledging the packet, may find the connection gone first. QEMU
    // exiting with 0 after the power-off is the same end.
    if (run.trace.error.find("Target disconnected") != std::string::npos &&
        run.target_status == 0) {
        run.trace.error.clear();
        run.trace.exit_code = 0;
    }
    return run;
}

}  // namespace gdbpeer
