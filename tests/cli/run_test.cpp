// The real `stepvisor` binary end to end: guests run to their output and exit
// status; every bad input is exit status 2 and one line on stderr naming it.
#include <arpa/inet.h>
#include <elf.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <termios.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "cpu/cpu.h"
#include "tests/cli/child.h"
#include "tests/loopback.h"

extern char** environ;

namespace {

using cli::test::Child;
using cli::test::read_until;

using namespace std::chrono_literals;

struct Result {
    std::string out;
    std::string err;
    int status = -1;  // exit status; -1 if killed or not started
    bool timed_out = false;
};

// Runs the binary with args and input on its stdin (a pipe, never the
// test's terminal), capturing stdout and stderr; kills it after the timeout
// so a hanging VMM fails the test instead of blocking the suite.
Result run(std::vector<std::string> args, std::chrono::seconds timeout = 30s,
           const std::string& input = "") {
    Result res;
    int in[2], out[2], err[2];
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
        ADD_FAILURE() << "pipe: " << std::strerror(errno);
        return res;
    }
    // Small enough for the pipe's buffer: written before the child starts.
    EXPECT_EQ(write(in[1], input.data(), input.size()), ssize_t(input.size()));
    close(in[1]);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_adddup2(&fa, err[1], 2);
    args.insert(args.begin(), STEPVISOR_BINARY);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid;
    int rc = posix_spawn(&pid, STEPVISOR_BINARY, &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(out[1]);
    close(err[1]);
    if (rc != 0) {
        ADD_FAILURE() << "posix_spawn " << STEPVISOR_BINARY << ": " << std::strerror(rc);
        close(out[0]);
        close(err[0]);
        return res;
    }
    auto deadline = std::chrono::steady_clock::now() + timeout;
    pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    std::string* bufs[2] = {&res.out, &res.err};
    int open_fds = 2;
    while (open_fds > 0) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left <= 0ms) {
            res.timed_out = true;
            kill(pid, SIGKILL);
            break;
        }
        if (poll(fds, 2, int(left.count())) < 0 && errno != EINTR) break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char buf[4096];
            ssize_t n = read(fds[i].fd, buf, sizeof buf);
            if (n > 0) {
                bufs[i]->append(buf, size_t(n));
            } else if (n == 0 || errno != EINTR) {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
            }
        }
    }
    for (auto& f : fds)
        if (f.fd >= 0) close(f.fd);
    int wstatus = 0;
    waitpid(pid, &wstatus, 0);
    if (WIFEXITED(wstatus)) res.status = WEXITSTATUS(wstatus);
    EXPECT_FALSE(res.timed_out) << "stepvisor killed after " << timeout.count() << " s";
    EXPECT_FALSE(WIFSIGNALED(wstatus) && !res.timed_out)
        << "stepvisor died of signal " << WTERMSIG(wstatus) << "; stderr: " << res.err;
    return res;
}

std::string guest(const char* name) { return std::string(STEPVISOR_GUEST_DIR) + "/" + name; }

// A bad-input run: status 2, nothing on stdout, exactly one line on stderr
// that starts "stepvisor: " and contains every expected fragment.
void expect_usage_error(const Result& r, std::initializer_list<std::string> fragments) {
    EXPECT_EQ(r.status, 2) << "stderr: " << r.err;
    EXPECT_EQ(r.out, "");
    ASSERT_FALSE(r.err.empty());
    EXPECT_EQ(r.err.back(), '\n') << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.rfind("stepvisor: ", 0), 0u) << r.err;
    for (const auto& f : fragments) EXPECT_NE(r.err.find(f), std::string::npos) << "no '" << f << "' in: " << r.err;
}

// A file the test owns, removed at the end.
struct TempFile {
    std::string path;
    explicit TempFile(const std::vector<uint8_t>& bytes) {
        char tmpl[] = "/tmp/stepvisor-cli-test-XXXXXX";
        int fd = mkstemp(tmpl);
        EXPECT_GE(fd, 0);
        path = tmpl;
        EXPECT_EQ(write(fd, bytes.data(), bytes.size()), ssize_t(bytes.size()));
        close(fd);
    }
    ~TempFile() { unlink(path.c_str()); }
};

// An AArch64 ET_EXEC with one 4 KiB segment at paddr.
std::vector<uint8_t> elf_at(uint64_t paddr) {
    Elf64_Ehdr eh{};
    std::memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_EXEC;
    eh.e_machine = EM_AARCH64;
    eh.e_version = EV_CURRENT;
    eh.e_entry = paddr;
    eh.e_phoff = sizeof eh;
    eh.e_ehsize = sizeof eh;
    eh.e_phentsize = sizeof(Elf64_Phdr);
    eh.e_phnum = 1;
    Elf64_Phdr ph{};
    ph.p_type = PT_LOAD;
    ph.p_offset = sizeof eh + sizeof ph;
    ph.p_vaddr = ph.p_paddr = paddr;
    ph.p_filesz = 4;
    ph.p_memsz = 0x1000;
    std::vector<uint8_t> f(sizeof eh + sizeof ph + 4);
    std::memcpy(f.data(), &eh, sizeof eh);
    std::memcpy(f.data() + sizeof eh, &ph, sizeof ph);
    return f;
}

// --- guests (these need the instruction set merged on main) -----------------

TEST(CliRun, HelloPrintsGreetingAndPowersOff) {
    Result r = run({"run", guest("hello.elf")});
    EXPECT_EQ(r.out, "Hello from EL1 on stepvisor\n");
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(r.status, 0);
}

TEST(CliRun, UndefTakesTheExceptionAndResumes) {
    Result r = run({"run", guest("undef.elf")});
    // Vector 4 is "current EL with SP_ELx, synchronous"; EC 0x00 is UNDEFINED
    // with IL = 1 (ARM ARM D1.10.4).
    EXPECT_EQ(r.out,
              "exception vector 0x0000000000000004 EC 0x0000000000000000 IL 0x0000000000000001\n"
              "resumed after UDF\n");
    EXPECT_EQ(r.status, 0) << r.err;
}

TEST(CliRun, SpinExceptionIsStoppedWithVectorEsrElr) {
    Result r = run({"run", guest("spin_exception.elf")});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.rfind("stepvisor: guest stopped: ", 0), 0u) << r.err;
    // The table at 0x40200800: current EL, SP_ELx, synchronous is +0x200; its
    // UDF is EC 0x00 with IL = 1.
    EXPECT_NE(r.err.find("vector 0x40200a00"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("ESR 0x2000000"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("ELR 0x40200a00"), std::string::npos) << r.err;
}

TEST(CliRun, UnassignedMmioIsLoggedOnceAndNisvStopsTheGuest) {
    // mmio_read.S: loads and a store to 0x09030000 (no device there), then an
    // LDP, which has no syndrome.
    Result r = run({"run", guest("mmio_read.elf")});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.out, "");
    const std::string unassigned =
        "stepvisor: unassigned 4-byte read at 0x9030000 returns 0\n"
        "stepvisor: unassigned 2-byte read at 0x9030008 returns 0\n"
        "stepvisor: unassigned 1-byte read at 0x9030001 returns 0\n"
        "stepvisor: unassigned 8-byte write of 0x0 at 0x9030010 ignored\n";
    ASSERT_EQ(r.err.substr(0, unassigned.size()), unassigned) << r.err;
    std::string last = r.err.substr(unassigned.size());
    // The ISS (a stage-2 fault status) is the hypervisor's to choose.
    EXPECT_EQ(last.rfind("stepvisor: guest stopped: MMIO access without instruction syndrome at "
                         "IPA 0x9030000 (ESR ISS 0x",
                         0),
              0u)
        << last;
    EXPECT_TRUE(last.ends_with(") at PC 0x40200014\n")) << last;
}

// --- the command line itself ----------------------------------------------

// A system reset reloads the images and restarts the vcpu; RAM outside them
// keeps its contents, as on QEMU (where `-kernel reboot.elf` prints the same).
TEST(CliRun, ResetReloadsAndRestartsUntilTheGuestPowersOff) {
    Result r = run({"run", guest("reboot.elf")});
    EXPECT_EQ(r.out,
              "boot 0x0000000000000001\nboot 0x0000000000000002\nboot 0x0000000000000003\n");
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(r.status, 0);
}

TEST(CliRun, NoRebootStopsAtTheFirstResetWithStatus0) {
    Result r = run({"run", "--no-reboot", guest("reboot.elf")});
    EXPECT_EQ(r.out, "boot 0x0000000000000001\n");
    EXPECT_EQ(r.err, "stepvisor: guest requested a reset; stopping (--no-reboot)\n");
    EXPECT_EQ(r.status, 0);
}

// The Linux Image path: header parsed, placed at RAM + text_offset, x0 = the
// device tree, which QEMU puts at RAM + min(RAM/2, 128M), after the initrd,
// 2 MiB aligned. Outputs are QEMU 7.2's for `-M virt -kernel image_hello.bin`.
TEST(CliRun, LinuxImageGetsTheDeviceTreeInX0WhereQemuPutsIt) {
    Result r = run({"run", guest("image_hello.bin")});
    EXPECT_EQ(r.out, "Image at 0x40080000, x0 = 0x44000000, DTB magic 0xd00dfeed, x1..x3 zero\n");
    EXPECT_EQ(r.status, 0) << r.err;
    r = run({"run", "-m", "1G", guest("image_hello.bin")});
    EXPECT_EQ(r.out, "Image at 0x40080000, x0 = 0x48000000, DTB magic 0xd00dfeed, x1..x3 zero\n");
    TempFile initrd(std::vector<uint8_t>(0x1000, 0xA5));
    r = run({"run", "--initrd", initrd.path, guest("image_hello.bin")});
    EXPECT_EQ(r.out, "Image at 0x40080000, x0 = 0x44200000, DTB magic 0xd00dfeed, x1..x3 zero\n");
    EXPECT_EQ(r.status, 0) << r.err;
}

// Ubuntu ships its arm64 kernel gzip'd; QEMU's -kernel inflates it, and so
// does run: the same Image at the same place (qemu_peer_image_hello_gz runs
// this file on both machines).
TEST(CliRun, GzipImageIsInflatedAndRunsAsTheImage) {
    Result r = run({"run", guest("image_hello.bin.gz")});
    EXPECT_EQ(r.out, "Image at 0x40080000, x0 = 0x44000000, DTB magic 0xd00dfeed, x1..x3 zero\n");
    EXPECT_EQ(r.status, 0) << r.err;
}

// The same code without its header's magic is a raw binary: loaded at
// --load-addr (default RAM + 0x80000, QEMU's) with the device tree in x0.
TEST(CliRun, RawBinaryAtLoadAddr) {
    std::ifstream in(guest("image_hello.bin"), std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
    ASSERT_GT(bytes.size(), 64u);
    bytes[56] = 0;  // no "ARM\x64": raw
    TempFile raw(bytes);
    Result r = run({"run", raw.path});
    EXPECT_EQ(r.out, "Image at 0x40080000, x0 = 0x44000000, DTB magic 0xd00dfeed, x1..x3 zero\n");
    EXPECT_EQ(r.status, 0) << r.err;
    r = run({"run", "--load-addr", "0x40600000", raw.path});
    EXPECT_EQ(r.out, "Image at 0x40600000, x0 = 0x44000000, DTB magic 0xd00dfeed, x1..x3 zero\n");
    EXPECT_EQ(r.status, 0) << r.err;
}

TEST(CliRun, DumpDtbWritesTheGuestsBlobAndRunsNothing) {
    std::string path = "/tmp/stepvisor-cli-dtb-" + std::to_string(getpid());
    Result r = run({"run", "--dump-dtb", path, "--append", "console=ttyAMA0", guest("hello.elf")});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "");
    std::ifstream in(path, std::ios::binary);
    std::string blob((std::istreambuf_iterator<char>(in)), {});
    unlink(path.c_str());
    ASSERT_GE(blob.size(), 4u);
    EXPECT_EQ(blob.substr(0, 4), "\xd0\x0d\xfe\xed");
    EXPECT_NE(blob.find("console=ttyAMA0"), std::string::npos);
}

// --dtb: the given tree is what the guest sees (here: a dumped one, with
// --append added to /chosen).
TEST(CliRun, DtbFileIsUsed) {
    std::string path = "/tmp/stepvisor-cli-dtb-in-" + std::to_string(getpid());
    ASSERT_EQ(run({"run", "--dump-dtb", path, guest("hello.elf")}).status, 0);
    Result r = run({"run", "--dtb", path, guest("image_hello.bin")});
    unlink(path.c_str());
    EXPECT_EQ(r.out, "Image at 0x40080000, x0 = 0x44000000, DTB magic 0xd00dfeed, x1..x3 zero\n");
    EXPECT_EQ(r.status, 0) << r.err;
}

// --serial stdio (the default) feeds stdin to the PL011's receive FIFO.
TEST(CliRun, SerialStdinReachesTheGuest) {
    Result r = run({"run", guest("echo.elf")}, 30s, "hello, uart.");
    EXPECT_EQ(r.out, "echo: type; '.' ends\nHELLO, UART\nbye\n");
    EXPECT_EQ(r.status, 0) << r.err;
}

// --serial tcp:0: the line on stderr names the port; the client gets the
// output and its bytes are the guest's input.
TEST(CliRun, SerialTcpServesOneClient) {
    int err[2];
    ASSERT_EQ(pipe2(err, O_CLOEXEC), 0);
    Child child({"run", "--serial", "tcp:0", guest("echo.elf")}, -1, -1, err[1]);
    close(err[1]);
    ASSERT_TRUE(child.started());
    const std::string line = read_until(err[0], "\n", 10s);
    const std::string prefix = "stepvisor: serial: waiting for a connection on 127.0.0.1:";
    ASSERT_EQ(line.rfind(prefix, 0), 0u) << line;
    int port = std::stoi(line.substr(prefix.size()));
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(uint16_t(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0) << std::strerror(errno);
    ASSERT_EQ(write(fd, "tcp in.", 7), 7);
    std::string got;
    pollfd q{fd, POLLIN, 0};
    char buf[256];
    ssize_t n;
    while (poll(&q, 1, 20000) > 0 && (n = read(fd, buf, sizeof buf)) > 0) got.append(buf, size_t(n));
    close(fd);
    close(err[0]);
    EXPECT_EQ(got, "echo: type; '.' ends\nTCP IN\nbye\n");
    EXPECT_EQ(child.wait_exit(), 0);
}

// --serial stdio on a terminal: keystrokes reach the guest one by one,
// unechoed (no newline needed), Ctrl-C among them (signals off: it is the
// guest's), and the terminal is restored at exit. tests/console drives the
// escapes and a shell on a pty as a person would.
TEST(CliRun, SerialStdioTerminalIsRawWhileRunningAndRestored) {
    int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    ASSERT_GE(master, 0);
    ASSERT_EQ(grantpt(master), 0);
    ASSERT_EQ(unlockpt(master), 0);
    int slave = open(ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
    ASSERT_GE(slave, 0);
    termios before;
    ASSERT_EQ(tcgetattr(slave, &before), 0);
    ASSERT_TRUE(before.c_lflag & ICANON);
    int out[2];
    ASSERT_EQ(pipe2(out, O_CLOEXEC), 0);
    Child child({"run", guest("echo.elf")}, slave, out[1], -1);
    close(out[1]);
    ASSERT_TRUE(child.started());
    EXPECT_EQ(read_until(out[0], "ends\n"), "echo: type; '.' ends\n");
    termios during;
    ASSERT_EQ(tcgetattr(slave, &during), 0);
    EXPECT_FALSE(during.c_lflag & ICANON);
    EXPECT_FALSE(during.c_lflag & ECHO);
    EXPECT_FALSE(during.c_lflag & ISIG);
    ASSERT_EQ(write(master, "o\x03k.", 4), 4);  // no newline: only raw input delivers it
    EXPECT_EQ(read_until(out[0], "bye\n"), "O\x03K\nbye\n");
    EXPECT_EQ(child.wait_exit(), 0);
    termios after;
    ASSERT_EQ(tcgetattr(slave, &after), 0);
    EXPECT_EQ(after.c_lflag, before.c_lflag);
    EXPECT_EQ(after.c_iflag, before.c_iflag);
    close(out[0]);
    close(slave);
    close(master);
}

// Runs an echo guest with a pipe as its serial input: waits for its banner,
// types "ab" and then "c." while it sleeps in WFI, and checks the echo, the
// last line and exit status 0.
void type_into_sleeping_guest(const std::string& elf, const std::string& banner,
                              const std::string& last, const std::string& smp = "1") {
    int in[2], out[2];
    ASSERT_EQ(pipe2(in, O_CLOEXEC), 0);
    ASSERT_EQ(pipe2(out, O_CLOEXEC), 0);
    Child child({"run", "--smp", smp, guest(elf.c_str())}, in[0], out[1], -1);
    close(in[0]);
    close(out[1]);
    ASSERT_TRUE(child.started());
    EXPECT_EQ(read_until(out[0], banner, 10s), banner);
    usleep(200000);  // the guest is in WFI by now
    ASSERT_EQ(write(in[1], "ab", 2), 2);
    EXPECT_EQ(read_until(out[0], "AB", 10s), "AB");
    usleep(200000);
    ASSERT_EQ(write(in[1], "c.", 2), 2);
    EXPECT_EQ(read_until(out[0], last, 10s), "C" + last);
    close(in[1]);
    EXPECT_EQ(child.wait_exit(), 0);
    close(out[0]);
}

// Input that arrives while the guest waits in WFI kicks the vcpu out
// (immediate_exit), reaches the UART, and the WFI completes: wfi_echo.c
// enables no interrupt, so nothing else could wake it.
TEST(CliRun, SerialInputWakesAGuestInWfi) {
    type_into_sleeping_guest("wfi_echo.elf", "wfi_echo: type; '.' ends\n", "\nbye\n");
}

// The PL011's receive interrupt reaches the guest through the in-kernel
// vGIC on SPI 1 (INTID 33), as Linux's driver takes its input.
TEST(CliRun, SerialInputRaisesTheUartInterruptThroughTheVgic) {
    type_into_sleeping_guest("uart_irq.elf", "uart_irq: type; '.' ends\n",
                             "\nbye (input by interrupt)\n");
}

// With several vcpus in the round-robin loop (the secondaries off, so the
// boot vcpu's WFI leaves nothing runnable) the kick still reaches the vcpu
// that waits.
TEST(CliRun, SerialInputWakesAGuestInWfiWithSeveralVcpus) {
    type_into_sleeping_guest("wfi_echo.elf", "wfi_echo: type; '.' ends\n", "\nbye\n", "4");
    type_into_sleeping_guest("uart_irq.elf", "uart_irq: type; '.' ends\n",
                             "\nbye (input by interrupt)\n", "4");
}

TEST(CliRun, SerialNoneDropsOutput) {
    Result r = run({"run", "--serial", "none", guest("hello.elf")});
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.status, 0) << r.err;
}

TEST(Cli, Version) {
    Result r = run({"--version"});
    EXPECT_EQ(r.out, "stepvisor 0.1.0\n");
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(r.status, 0);
}

TEST(Cli, HelpListsCommands) {
    Result r = run({"--help"});
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.out.find("run"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("--version"), std::string::npos) << r.out;
}

TEST(Cli, RunHelpDocumentsEveryOption) {
    Result r = run({"run", "--help"});
    EXPECT_EQ(r.status, 0);
    for (const char* s : {"-m,--memory SIZE", "2M to 32G", "default 128M", "--initrd FILE",
                          "--append TEXT", "--dtb FILE", "--dump-dtb FILE", "--load-addr ADDR",
                          "--gic-version 2|3", "--serial stdio|tcp:PORT|none", "--no-reboot",
                          "--smp N", "--trace exits|insns", "--trace-file FILE", "--stats",
                          "--max-insns N", "IMAGE", "Linux arm64 Image", "raw binary", "Exit status",
                          "--cpu cortex-a53|cortex-a57|cortex-a72|max", "--jit on|off",
                          "--perf-map", "share of them retired in generated code"})
        EXPECT_NE(r.out.find(s), std::string::npos) << "no '" << s << "' in:\n" << r.out;
}

// --- --smp, --max-insns, --trace, --stats --------------------------------------

TEST(CliRun, SmpFourIsReproducible) {
    Result a = run({"run", "--smp", "4", guest("smp.elf")});
    Result b = run({"run", "--smp", "4", guest("smp.elf")});
    EXPECT_EQ(a.status, 0) << a.err;
    EXPECT_NE(a.out.find("secondary up, context id 0x0000000000000002\n  mpidr 0x0000000080000002"),
              std::string::npos)
        << a.out;
    EXPECT_EQ(a.out, b.out);
}

TEST(CliRun, MaxInsnsStopsWithStatus1) {
    Result r = run({"run", "--max-insns", "5", guest("hello.elf")});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "stepvisor: stopped after 5 instructions\n");
}

TEST(CliRun, TraceExitsAndStatsGoToStderr) {
    Result r = run({"run", "--trace", "exits", "--stats", guest("hello.elf")});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, "Hello from EL1 on stepvisor\n");
    EXPECT_NE(r.err.find("vcpu 0 DABT_LOW"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("write 4 bytes from w3 to IPA 0x9000000"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("VM-EXIT"), std::string::npos) << r.err;
}

TEST(CliRun, TraceInsnsToAFile) {
    TempFile f({});
    Result r = run({"run", "--trace", "insns", "--trace-file", f.path, "--max-insns", "3",
                    guest("hello.elf")});
    EXPECT_EQ(r.status, 1);
    std::ifstream in(f.path);
    std::string text{std::istreambuf_iterator<char>(in), {}};
    EXPECT_EQ(text,
              "vcpu 0 0x40200000: ldr x1, #0x40200038              x1=0x40211380\n"
              "vcpu 0 0x40200004: mov sp, x1                       sp_el1=0x40211380\n"
              "vcpu 0 0x40200008: ldr x1, #0x40200040              x1=0x40201380\n");
}

// --- --jit, --perf-map ---------------------------------------------------------

// The share line of --stats: "generated code: P% of N instructions".
double generated_code_share(const std::string& err, uint64_t& insns) {
    const size_t at = err.find("\ngenerated code: ");
    if (at == std::string::npos) return -1;
    double share = -1;
    unsigned long long n = 0;
    const char* line = err.c_str() + at;
    if (std::sscanf(line, "\ngenerated code: %lf%% of %llu instructions", &share, &n) != 2) return -1;
    insns = n;
    return share;
}

// The same guest under the interpreter and the tier: the same output and
// count; --stats tells how much ran in generated code. Where the host has
// no tier, --jit on is refused.
TEST(CliRun, JitOnAndOffRunTheSameGuestAlike) {
    Result off = run({"run", "--jit", "off", "--stats", guest("mmu_rules.elf")});
    EXPECT_EQ(off.status, 0) << off.err;
    EXPECT_TRUE(off.out.ends_with("\ndone\n")) << off.out;
    uint64_t off_insns = 0, on_insns = 0;
    EXPECT_EQ(generated_code_share(off.err, off_insns), 0.0) << off.err;

    Result on = run({"run", "--jit", "on", "--stats", guest("mmu_rules.elf")});
    if (!cpu::Cpu::jit_supported()) {
        expect_usage_error(on, {"--jit on", "not x86-64"});
        return;
    }
    EXPECT_EQ(on.status, 0) << on.err;
    EXPECT_EQ(on.out, off.out);
    EXPECT_GT(generated_code_share(on.err, on_insns), 0.0) << on.err;
    EXPECT_EQ(on_insns, off_insns);
    EXPECT_GT(off_insns, 0u);
}

TEST(CliBadInput, JitNotOnOrOff) {
    for (const char* bad : {"yes", "ON", "1", ""})
        expect_usage_error(run({"run", "--jit", bad, guest("hello.elf")}), {"--jit", bad});
}

// --perf-map: perf's JIT map, /tmp/perf-PID.map, one "START SIZE name" line
// (hex) per block of generated code. mmu_rules runs its loops often enough
// for blocks to be compiled (hello runs none 32 times).
TEST(CliRun, PerfMapNamesTheGeneratedBlocks) {
    ASSERT_TRUE(cpu::Cpu::jit_supported()) << "no translation tier on this host";
    TempFile pid_file({});
    const std::string cmd = fmt::format("sh -c 'echo $$ >{}; exec {} run --jit on --perf-map {} "
                                        ">/dev/null'",
                                        pid_file.path, STEPVISOR_BINARY, guest("mmu_rules.elf"));
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    std::ifstream pid_in(pid_file.path);
    long pid = 0;
    ASSERT_TRUE(pid_in >> pid) << "no pid in " << pid_file.path;
    const std::string map = fmt::format("/tmp/perf-{}.map", pid);
    std::ifstream in(map);
    ASSERT_TRUE(in) << "no " << map;
    std::string line;
    size_t blocks = 0;
    while (std::getline(in, line)) {
        unsigned long long start = 0, size = 0;
        char name[2] = {};
        EXPECT_EQ(std::sscanf(line.c_str(), "%llx %llx %1s", &start, &size, name), 3) << line;
        EXPECT_GT(size, 0u) << line;
        ++blocks;
    }
    unlink(map.c_str());
    EXPECT_GT(blocks, 0u) << map << " names no block";
}

TEST(CliBadInput, SmpOutOfRange) {
    expect_usage_error(run({"run", "--smp", "9", guest("hello.elf")}), {"--smp", "9"});
    expect_usage_error(run({"run", "--smp", "0", guest("hello.elf")}), {"--smp", "0"});
}

TEST(CliBadInput, RtcBaseNotQemusSpelling) {
    for (const char* bad : {"base=2026-02-30", "base=yesterday", "2026-01-01", "base=1969-01-01"})
        expect_usage_error(run({"run", "--rtc", bad, guest("hello.elf")}), {"--rtc", bad});
}

TEST(CliBadInput, NicNotQemusSpelling) {
    for (const char* bad : {"tap", "user,hostfwd=tcp::0-:80", "user,hostfwd=tcp::80:80", "user,smb=/"})
        expect_usage_error(run({"run", "--nic", bad, guest("hello.elf")}), {"--nic", bad});
}

TEST(CliRun, ANicTheGuestIgnoresChangesNothing) {
    Result r = run({"run", "--nic", "user", guest("hello.elf")});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "Hello from EL1 on stepvisor\n");
    EXPECT_EQ(r.err, "");
}

TEST(CliRun, AForwardWhosePortIsTakenStopsTheBuildNamingIt) {
    uint16_t port = 0;
    const int s = stepvisor::test::bind_loopback(SOCK_STREAM, port);
    ASSERT_GE(s, 0);
    ASSERT_EQ(listen(s, 1), 0);
    const std::string rule = fmt::format("tcp::{}-:80", port);
    Result r = run({"run", "--nic", "user,hostfwd=" + rule, guest("hello.elf")});
    close(s);
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, fmt::format("stepvisor: cannot build the machine: --nic hostfwd={}: cannot "
                                 "listen on 127.0.0.1:{}: Address already in use\n",
                                 rule, port));
}

TEST(CliBadInput, TraceWhatIsUnknown) {
    expect_usage_error(run({"run", "--trace", "calls", guest("hello.elf")}), {"--trace", "calls"});
}

TEST(CliBadInput, MaxInsnsNotAPositiveNumber) {
    expect_usage_error(run({"run", "--max-insns", "0", guest("hello.elf")}), {"--max-insns", "0"});
    expect_usage_error(run({"run", "--max-insns", "x", guest("hello.elf")}), {"--max-insns", "x"});
}

TEST(CliBadInput, TraceFileCannotBeCreated) {
    expect_usage_error(run({"run", "--trace", "exits", "--trace-file", "/nonexistent/t.txt",
                            guest("hello.elf")}),
                       {"/nonexistent/t.txt"});
}

// --- bad input: status 2, one line naming the value -------------------------

TEST(CliBadInput, MissingFile) {
    expect_usage_error(run({"run", "/nonexistent/nothing.elf"}),
                       {"/nonexistent/nothing.elf", "No such file or directory"});
}

// A file that is neither ELF nor Image is a raw binary, as for QEMU's
// -kernel: garbage runs, faults, and the VMM stops it (status 1), no crash.
TEST(CliBadInput, GarbageFileRunsAsRawAndIsStopped) {
    TempFile f({'g', 'a', 'r', 'b', 'a', 'g', 'e'});
    Result r = run({"run", f.path});
    EXPECT_EQ(r.status, 1) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.rfind("stepvisor: guest stopped: ", 0), 0u) << r.err;
}

TEST(CliBadInput, EmptyFile) {
    TempFile f({});
    expect_usage_error(run({"run", f.path}), {f.path + ": empty image file"});
}

TEST(CliBadInput, TruncatedElfIsAnElfError) {
    auto e = elf_at(0x40200000);
    e.resize(40);
    TempFile f(e);
    expect_usage_error(run({"run", f.path}), {f.path + ": truncated ELF header (40 bytes"});
}

TEST(CliBadInput, Directory) {
    expect_usage_error(run({"run", "/tmp"}), {"/tmp: not a regular file"});
}

TEST(CliBadInput, FifoDoesNotHang) {
    std::string path = "/tmp/stepvisor-cli-fifo-" + std::to_string(getpid());
    ASSERT_EQ(mkfifo(path.c_str(), 0600), 0) << std::strerror(errno);
    Result r = run({"run", path}, 10s);
    unlink(path.c_str());
    expect_usage_error(r, {path + ": not a regular file"});
}

TEST(CliBadInput, HugeSparseFile) {
    TempFile f({});
    ASSERT_EQ(truncate(f.path.c_str(), 40ll << 30), 0) << std::strerror(errno);
    expect_usage_error(run({"run", f.path}), {f.path + ": file of 42949672960 bytes is larger"});
}

TEST(CliBadInput, ElfForAnotherMachine) {
    expect_usage_error(run({"run", "/bin/true"}),
                       {"/bin/true: ELF machine 62 (x86-64) is not AArch64 (183)"});
}

TEST(CliBadInput, SegmentOutsideRam) {
    TempFile f(elf_at(0x10000000));
    expect_usage_error(run({"run", f.path}),
                       {f.path + ": segment 0x10000000..0x10001000 lies outside RAM "
                                 "0x40000000..0x48000000"});
}

TEST(CliBadInput, GuestLargerThanTheRamGiven) {
    // The guests are linked at RAM + 2 MiB: with -m 2M nothing of them fits.
    expect_usage_error(run({"run", "-m", "2M", guest("hello.elf")}),
                       {"hello.elf: segment 0x40200000..", "lies outside RAM 0x40000000..0x40200000"});
}

TEST(CliBadInput, SegmentOverDeviceTree) {
    TempFile f(elf_at(0x40000000));
    expect_usage_error(run({"run", f.path}), {"segment 0x40000000..0x40001000 overlaps the device tree at 0x40000000.."});
}

TEST(CliBadInput, MemorySizes) {
    struct Case {
        const char* value;
        const char* why;
    };
    for (Case c : {Case{"0", "too small"}, Case{"1T", "too large"}, Case{"12Q", "unknown suffix 'Q'"},
                   Case{"-5", "not a number"}, Case{"33G", "too large"}, Case{"", "empty"}}) {
        SCOPED_TRACE(c.value);
        expect_usage_error(run({"run", "-m", c.value, guest("hello.elf")}),
                           {std::string("invalid memory size '") + c.value + "'", c.why, "2M to 32G"});
    }
    expect_usage_error(run({"run", "--memory=1T", guest("hello.elf")}), {"'1T'"});
}

TEST(CliBadInput, UnknownCpuModel) {
    expect_usage_error(run({"run", "--cpu", "cortex-a99", guest("hello.elf")}),
                       {"unknown --cpu 'cortex-a99'", "cortex-a53|cortex-a57|cortex-a72|max"});
    expect_usage_error(run({"run", "--cpu", "cortex-a99", "--dump-dtb", "/dev/null",
                            guest("hello.elf")}),
                       {"'cortex-a99'"});
}

// The model's MIDR reaches the guest, and max keeps stepvisor's own.
TEST(CliRun, CpuModelSetsTheIdentification) {
    Result a57 = run({"run", "--cpu", "cortex-a57", guest("id_probe.elf")});
    EXPECT_EQ(a57.status, 0) << a57.err;
    EXPECT_NE(a57.out.find("MIDR_EL1 0x00000000411fd070\n"), std::string::npos) << a57.out;
    EXPECT_NE(a57.out.find("SMCCC_VERSION 0xffffffffffffffff\n"), std::string::npos) << a57.out;
    Result max = run({"run", guest("id_probe.elf")});
    EXPECT_NE(max.out.find("MIDR_EL1 0x00000000000f0010\n"), std::string::npos) << max.out;
    EXPECT_NE(max.out.find("SMCCC_VERSION 0x0000000000010001\n"), std::string::npos) << max.out;
}

TEST(CliBadInput, DtbFiles) {
    TempFile garbage({'n', 'o', 't', ' ', 'a', ' ', 'd', 't', 'b', '!', '!', '!', '!', '!', '!',
                      '!', '!', '!', '!', '!', '!', '!', '!', '!', '!', '!', '!', '!', '!', '!',
                      '!', '!', '!', '!', '!', '!', '!', '!', '!', '!', '!', '!'});
    expect_usage_error(run({"run", "--dtb", garbage.path, guest("hello.elf")}),
                       {garbage.path + ": not a device tree blob (magic 0x6e6f7420"});
    expect_usage_error(run({"run", "--dtb", "/nonexistent.dtb", guest("hello.elf")}),
                       {"/nonexistent.dtb: cannot open: No such file or directory"});
    expect_usage_error(run({"run", "--dump-dtb", "/nonexistent/dir/x.dtb", guest("hello.elf")}),
                       {"--dump-dtb /nonexistent/dir/x.dtb: cannot create: No such file"});
}

TEST(CliBadInput, LoadAddr) {
    expect_usage_error(run({"run", "--load-addr", "0x4zz", guest("image_hello.bin")}),
                       {"invalid --load-addr '0x4zz'"});
    expect_usage_error(run({"run", "--load-addr", "0x40080000", guest("image_hello.bin")}),
                       {"--load-addr 0x40080000: ", "is a Linux Image, placed as its headers say",
                        "applies to raw binaries only"});
    expect_usage_error(run({"run", "--load-addr", "0x40080000", guest("hello.elf")}),
                       {"is an ELF, placed"});
    TempFile raw({1, 2, 3, 4});
    expect_usage_error(run({"run", "--load-addr", "0x1000", raw.path}),
                       {raw.path + ": raw image 0x1000..0x1004 lies outside RAM 0x40000000..0x48000000"});
    expect_usage_error(run({"run", "--load-addr", "0xfffffffffffffffe", raw.path}),
                       {"raw image at 0xfffffffffffffffe with size 0x4 wraps", "outside RAM"});
    expect_usage_error(run({"run", "--load-addr", "0x47fffffe", raw.path}),
                       {raw.path + ": raw image 0x47fffffe..0x48000002 lies outside RAM"});
    // Placed high, the image pushes the device tree past the end of RAM.
    expect_usage_error(run({"run", "--load-addr", "0x47f00000", raw.path}),
                       {"device tree 0x48000000..", "lies outside RAM"});
}

TEST(CliBadInput, LinuxImages) {
    std::ifstream in(guest("image_hello.bin"), std::ios::binary);
    std::vector<uint8_t> good((std::istreambuf_iterator<char>(in)), {});
    ASSERT_GT(good.size(), 64u);
    auto with = [&](size_t off, uint64_t v) {
        auto b = good;
        std::memcpy(b.data() + off, &v, 8);
        return b;
    };
    TempFile big_endian(with(24, 1));
    expect_usage_error(run({"run", big_endian.path}),
                       {big_endian.path + ": Linux Image flags 0x1: a big-endian kernel"});
    TempFile odd_offset(with(8, 0x80010));
    expect_usage_error(run({"run", odd_offset.path}),
                       {odd_offset.path + ": Linux Image text_offset 0x80010 is not a multiple"});
    TempFile small(with(16, 8));
    expect_usage_error(run({"run", small.path}),
                       {small.path + ": Linux Image image_size 0x8 is smaller than the file"});
    TempFile huge(with(16, 1ull << 40));
    expect_usage_error(run({"run", huge.path}), {huge.path + ": kernel 0x40080000..", "lies outside RAM"});
    // Too large for 2M of RAM together with the device tree after it.
    expect_usage_error(run({"run", "-m", "2M", guest("image_hello.bin")}),
                       {"device tree 0x40200000..", "lies outside RAM 0x40000000..0x40200000"});
    TempFile initrd(std::vector<uint8_t>(16, 1));
    expect_usage_error(run({"run", "--initrd", "/nonexistent.img", guest("image_hello.bin")}),
                       {"/nonexistent.img: cannot open"});
    TempFile empty({});
    expect_usage_error(run({"run", "--initrd", empty.path, guest("image_hello.bin")}),
                       {empty.path + ": empty initrd file"});
}

// Recognised before the raw-binary fallback: nothing of them runs.
TEST(CliBadInput, KernelsForOtherArchitectures) {
    std::vector<uint8_t> bz(0x400, 0x90);
    std::memcpy(bz.data() + 0x202, "HdrS", 4);
    TempFile x86(bz);
    expect_usage_error(run({"run", x86.path}),
                       {x86.path + ": an x86 bzImage (\"HdrS\" at 0x202): a kernel for another "
                                   "architecture, not AArch64"});
    std::vector<uint8_t> rv(0x100, 0);
    std::memcpy(rv.data() + 0x38, "RSC\x05", 4);
    TempFile riscv(rv);
    expect_usage_error(run({"run", riscv.path}), {riscv.path + ": a RISC-V Image"});
}

// An Image with an EFI stub cut short: its PE/COFF section table says how
// long the file is (image_size counts the BSS and cannot).
TEST(CliBadInput, TruncatedImageWithEfiStub) {
    std::vector<uint8_t> img(0x200, 0);
    auto put = [&](size_t off, uint32_t v) { std::memcpy(img.data() + off, &v, 4); };
    img[0] = 'M';
    img[1] = 'Z';
    put(16, 0x10000);  // image_size
    std::memcpy(img.data() + 56, "ARM\x64", 4);
    put(0x3c, 0x40);
    std::memcpy(img.data() + 0x40, "PE\0\0", 4);
    put(0x46, 1);                                   // one section, no optional header
    std::memcpy(img.data() + 0x58, ".text", 5);
    put(0x58 + 16, 0xf000);                         // SizeOfRawData
    put(0x58 + 20, 0x1000);                         // PointerToRawData
    TempFile f(img);
    expect_usage_error(run({"run", f.path}),
                       {f.path + ": truncated Linux Image: its PE/COFF section .text's data ends "
                                 "at 0x10000, the file has 0x200 bytes"});
}

TEST(CliBadInput, BadGzipStream) {
    TempFile cut({0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0x4b});
    expect_usage_error(run({"run", cut.path}), {cut.path + ": truncated gzip stream"});
    TempFile bad({0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0});
    expect_usage_error(run({"run", bad.path}), {bad.path + ": bad gzip stream after "});
}

TEST(CliBadInput, InitrdLargerThanRam) {
    TempFile initrd(std::vector<uint8_t>(3u << 20, 0xA5));
    expect_usage_error(run({"run", "-m", "4M", "--initrd", initrd.path, guest("image_hello.bin")}),
                       {initrd.path + ": initrd of 0x300000 bytes does not fit in RAM: from its "
                                      "place at 0x40200000 (QEMU's) to the end of RAM at "
                                      "0x40400000 there are 0x200000 bytes"});
}

TEST(CliBadInput, AppendTooLongForTheDeviceTree) {
    std::string text(70000, 'x');
    expect_usage_error(run({"run", "--append", text, guest("hello.elf")}),
                       {"device tree: bootargs: does not fit in the blob's 65536 bytes"});
}

TEST(CliBadInput, SerialTcpPortInUse) {
    int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(bind(ls, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(listen(ls, 1), 0);
    socklen_t len = sizeof addr;
    getsockname(ls, reinterpret_cast<sockaddr*>(&addr), &len);
    std::string port = std::to_string(ntohs(addr.sin_port));
    expect_usage_error(run({"run", "--serial", "tcp:" + port, guest("hello.elf")}),
                       {"--serial tcp:" + port + ": bind: Address already in use"});
    close(ls);
}

TEST(CliBadInput, GicVersionAndSerial) {
    expect_usage_error(run({"run", "--gic-version", "4", guest("hello.elf")}), {"--gic-version", "4"});
    expect_usage_error(run({"run", "--serial", "file:x", guest("hello.elf")}),
                       {"invalid --serial 'file:x' (accepted: stdio, tcp:PORT, none)"});
    expect_usage_error(run({"run", "--serial", "tcp:99999", guest("hello.elf")}),
                       {"invalid --serial 'tcp:99999': PORT '99999' is not a number from 0 to 65535"});
    expect_usage_error(run({"run", "--serial", "tcp:", guest("hello.elf")}), {"PORT '' is not"});
}

TEST(CliBadInput, UnknownOption) {
    expect_usage_error(run({"run", "--bogus", guest("hello.elf")}), {"--bogus"});
    expect_usage_error(run({"--bogus"}), {"--bogus"});
}

TEST(CliBadInput, UnknownCommand) {
    expect_usage_error(run({"frobnicate"}), {"unknown command 'frobnicate'"});
}

TEST(CliBadInput, MissingImageOrCommand) {
    expect_usage_error(run({"run"}), {"IMAGE is required"});
    expect_usage_error(run({}), {"no command given"});
    expect_usage_error(run({"run", "-m"}), {"--memory"});
}

TEST(CliBadInput, ExtraArgument) {
    expect_usage_error(run({"run", guest("hello.elf"), "extra"}), {"extra"});
}

}  // namespace
