// `stepvisor run --record FILE` and `stepvisor replay FILE` end to end
// (docs/recording.md): a recorded run replays to the same output and exit
// status whatever the tier; a broken, foreign or forged recording, an image
// that is not the recorded one and a run that cannot be recorded are each
// refused with one line naming the problem (status 2), and a replay that
// does not come out as recorded says it diverged (status 1).
//
// Every test works in its own temporary directory; every child is bounded
// by a timeout and killed past it, so a hanging VMM fails the test.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "cpu/cpu.h"
#include "tests/cli/child.h"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Bytes = std::vector<uint8_t>;

std::string guest(const char* name) { return std::string(STEPVISOR_GUEST_DIR) + "/" + name; }

// Serial input written to the child's stdin once its stdout holds
// `after` (at once if empty), `pause` later.
struct Burst {
    std::string after;
    std::chrono::milliseconds pause;
    std::string data;
};

struct Result {
    std::string out;
    std::string err;
    int status = -1;  // exit status; -1 if killed or not started
    bool timed_out = false;
};

// Runs the binary with args, its stdin a pipe fed the bursts in order and
// then closed, capturing stdout and stderr; kills it after the timeout.
Result run(std::vector<std::string> args, const std::vector<Burst>& bursts = {},
           std::chrono::seconds timeout = 30s) {
    Result res;
    int in[2], out[2], err[2];
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
        ADD_FAILURE() << "pipe: " << std::strerror(errno);
        return res;
    }
    // Input due at once is written before the child starts (small enough
    // for the pipe's buffer), so a child that exits at once cannot miss it.
    size_t next = 0;  // the next burst
    for (; next < bursts.size() && bursts[next].after.empty() && bursts[next].pause == 0ms; ++next) {
        const std::string& d = bursts[next].data;
        EXPECT_EQ(write(in[1], d.data(), d.size()), ssize_t(d.size()));
    }
    cli::test::Child child(args, in[0], out[1], err[1]);
    close(in[0]);
    close(out[1]);
    close(err[1]);
    if (!child.started()) {
        close(in[1]);
        close(out[0]);
        close(err[0]);
        return res;
    }
    // A child that exits early must not kill the test with SIGPIPE.
    struct sigaction ignore {}, old{};
    ignore.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ignore, &old);

    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + timeout;
    constexpr auto kNotDue = Clock::time_point::max();
    auto due = kNotDue;  // when the next burst is written
    int stdin_fd = in[1];
    pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    std::string* bufs[2] = {&res.out, &res.err};
    int open_fds = 2;
    while (open_fds > 0) {
        const auto now = Clock::now();
        if (now >= deadline) {
            res.timed_out = true;
            kill(child.pid(), SIGKILL);
            break;
        }
        if (stdin_fd >= 0) {
            if (next < bursts.size() && due == kNotDue &&
                (bursts[next].after.empty() || res.out.find(bursts[next].after) != std::string::npos))
                due = now + bursts[next].pause;
            if (next < bursts.size() && now >= due) {
                const std::string& d = bursts[next].data;
                // EPIPE: the child is gone, and its status tells why.
                const ssize_t n = write(stdin_fd, d.data(), d.size());
                if (n < 0 && errno == EPIPE) next = bursts.size() - 1;
                else EXPECT_EQ(n, ssize_t(d.size())) << std::strerror(errno);
                ++next;
                due = kNotDue;
            }
            if (next == bursts.size()) {
                close(stdin_fd);
                stdin_fd = -1;
            }
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
        if (stdin_fd >= 0) left = std::min(left, 5ms);
        if (poll(fds, 2, int(left.count())) < 0 && errno != EINTR) break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char buf[4096];
            const ssize_t n = read(fds[i].fd, buf, sizeof buf);
            if (n > 0) {
                bufs[i]->append(buf, size_t(n));
            } else if (n == 0 || errno != EINTR) {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
            }
        }
    }
    if (stdin_fd >= 0) close(stdin_fd);
    for (auto& f : fds)
        if (f.fd >= 0) close(f.fd);
    res.status = child.wait_exit(5s);
    sigaction(SIGPIPE, &old, nullptr);
    EXPECT_FALSE(res.timed_out) << "stepvisor killed after " << timeout.count() << " s";
    EXPECT_FALSE(res.status < 0 && !res.timed_out) << "stepvisor died of a signal; stderr: " << res.err;
    return res;
}

// One burst, written at once.
std::vector<Burst> input(const std::string& data) { return {{"", 0ms, data}}; }

// Refused: status 2, nothing on stdout, one line on stderr that starts
// "stepvisor: " and holds every fragment.
void expect_refused(const Result& r, std::initializer_list<std::string> fragments, int status = 2) {
    EXPECT_EQ(r.status, status) << "stderr: " << r.err;
    EXPECT_EQ(r.out, "");
    ASSERT_FALSE(r.err.empty());
    EXPECT_EQ(r.err.back(), '\n') << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.rfind("stepvisor: ", 0), 0u) << r.err;
    for (const auto& f : fragments)
        EXPECT_NE(r.err.find(f), std::string::npos) << "no '" << f << "' in: " << r.err;
}

// A replay that came out otherwise than its recording: status 1, one line.
void expect_diverged(const Result& r) {
    EXPECT_EQ(r.status, 1) << "stderr: " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.rfind("stepvisor: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find("replay diverged from the recording"), std::string::npos) << r.err;
}

Bytes read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    EXPECT_TRUE(in) << path;
    return Bytes(std::istreambuf_iterator<char>(in), {});
}

void write_bytes(const std::string& path, const Bytes& b) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
    EXPECT_TRUE(out.good()) << path;
}

// --- the file's frames, as docs/recording.md lays them out -----------------

constexpr size_t kFileHead = 8 + 4;  // STEPVREC, u32 version
constexpr uint8_t kImage = 2, kInput = 3, kEnd = 5;
constexpr uint8_t kSerial = 1, kRng = 2;

uint32_t le32(const Bytes& b, size_t at) {
    return uint32_t(b[at]) | uint32_t(b[at + 1]) << 8 | uint32_t(b[at + 2]) << 16 |
           uint32_t(b[at + 3]) << 24;
}

uint64_t le64(const Bytes& b, size_t at) { return le32(b, at) | uint64_t(le32(b, at + 4)) << 32; }

struct Frame {
    uint8_t kind;
    size_t offset;  // of its kind byte
    uint32_t len;   // of its payload, at offset + 5
    size_t payload() const { return offset + 5; }
    size_t end() const { return offset + 5 + len + 4; }
};

// The frames of a well-formed file (asserted: lengths fit, CRCs match).
std::vector<Frame> frames(const Bytes& b) {
    std::vector<Frame> fs;
    EXPECT_GE(b.size(), kFileHead);
    EXPECT_EQ(std::memcmp(b.data(), "STEPVREC", 8), 0);
    EXPECT_EQ(le32(b, 8), 1u);
    size_t off = kFileHead;
    while (off + 9 <= b.size()) {
        Frame f{b[off], off, le32(b, off + 1)};
        if (f.end() > b.size()) break;
        EXPECT_EQ(le32(b, f.payload() + f.len),
                  uint32_t(crc32(0, b.data() + off, uInt(5 + f.len))))
            << "frame at " << off;
        fs.push_back(f);
        off = f.end();
    }
    EXPECT_EQ(off, b.size()) << "trailing bytes";
    return fs;
}

// Recomputes a frame's CRC-32 after its payload was changed.
void fix_crc(Bytes& b, const Frame& f) {
    const uint32_t c = uint32_t(crc32(0, b.data() + f.offset, uInt(5 + f.len)));
    for (int i = 0; i < 4; ++i) b[f.payload() + f.len + size_t(i)] = uint8_t(c >> (8 * i));
}

// Input payload: u64 retired, u64 entries, u8 source, u8 at, u32 n, n bytes.
uint8_t input_source(const Bytes& b, const Frame& f) { return b[f.payload() + 16]; }
uint8_t input_at(const Bytes& b, const Frame& f) { return b[f.payload() + 17]; }
uint64_t input_retired(const Bytes& b, const Frame& f) { return le64(b, f.payload()); }
size_t input_data(const Frame& f) { return f.payload() + 18 + 4; }
uint32_t input_size(const Bytes& b, const Frame& f) { return le32(b, f.payload() + 18); }

std::vector<Frame> of_kind(const std::vector<Frame>& fs, uint8_t kind) {
    std::vector<Frame> out;
    std::copy_if(fs.begin(), fs.end(), std::back_inserter(out), [kind](const Frame& f) { return f.kind == kind; });
    return out;
}

// --- the fixture: a temporary directory per test ---------------------------

class RecordReplay : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/stepvisor-record-test-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr) << std::strerror(errno);
        dir_ = tmpl;
    }
    void TearDown() override {
        std::error_code ec;
        if (!dir_.empty()) fs::remove_all(dir_, ec);
    }
    std::string path(const std::string& name) const { return dir_ + "/" + name; }

    // A copy of a guest in the directory, so that the test may move it.
    std::string copy_guest(const char* name, const std::string& as) {
        const std::string to = path(as);
        fs::copy_file(guest(name), to, fs::copy_options::overwrite_existing);
        return to;
    }

    // echo.elf recorded typing "hello world." in two bursts.
    Result record_echo(const std::string& rec, const std::string& image) {
        Result r = run({"run", "--record", rec, image},
                       {{"ends\n", 50ms, "hello "}, {"HELLO ", 200ms, "world."}});
        EXPECT_EQ(r.status, 0) << r.err;
        EXPECT_EQ(r.out, "echo: type; '.' ends\nHELLO WORLD\nbye\n");
        EXPECT_EQ(r.err, "");
        return r;
    }

    std::string dir_;
};

// --- round trips -----------------------------------------------------------

// Records a guest that echoes its serial input, typed in two bursts with a
// pause (the second arrives at another point of the run), and replays it:
// the same bytes on stdout, status 0. The replay's own stdin is ignored.
void round_trip(const std::string& rec, const char* elf, const std::string& banner,
                const std::string& last, std::vector<std::string> record_opts = {},
                std::vector<std::string> replay_opts = {}) {
    SCOPED_TRACE(elf);
    std::vector<std::string> args{"run", "--record", rec};
    args.insert(args.end(), record_opts.begin(), record_opts.end());
    args.push_back(guest(elf));
    Result r = run(args, {{banner, 200ms, "ab"}, {"AB", 200ms, "c."}});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, banner + "ABC" + last);
    EXPECT_EQ(r.err, "");

    // Two serial inputs, at different instructions.
    const Bytes b = read_bytes(rec);
    const auto inputs = of_kind(frames(b), kInput);
    ASSERT_EQ(inputs.size(), 2u);
    EXPECT_EQ(input_source(b, inputs[0]), kSerial);
    EXPECT_LT(input_retired(b, inputs[0]), input_retired(b, inputs[1]));

    std::vector<std::string> rargs{"replay", rec};
    rargs.insert(rargs.end(), replay_opts.begin(), replay_opts.end());
    Result p = run(rargs, input("xyz."));
    EXPECT_EQ(p.status, 0) << p.err;
    EXPECT_EQ(p.out, r.out);
    EXPECT_EQ(p.err, "");
}

TEST_F(RecordReplay, EchoPolling) {
    round_trip(path("echo.rec"), "echo.elf", "echo: type; '.' ends\n", "\nbye\n");
}

TEST_F(RecordReplay, EchoWaitingInWfi) {
    round_trip(path("wfi.rec"), "wfi_echo.elf", "wfi_echo: type; '.' ends\n", "\nbye\n");
}

TEST_F(RecordReplay, EchoByInterrupt) {
    round_trip(path("irq.rec"), "uart_irq.elf", "uart_irq: type; '.' ends\n",
               "\nbye (input by interrupt)\n");
}

// The tier is invisible: a recording made in generated code replays under
// the interpreter, and the other way round.
TEST_F(RecordReplay, TheTierIsInvisible) {
    if (!cpu::Cpu::jit_supported()) GTEST_SKIP() << "no translation tier on this host";
    round_trip(path("on.rec"), "uart_irq.elf", "uart_irq: type; '.' ends\n",
               "\nbye (input by interrupt)\n", {"--jit", "on"}, {"--jit", "off"});
    round_trip(path("off.rec"), "echo.elf", "echo: type; '.' ends\n", "\nbye\n", {"--jit", "off"},
               {"--jit", "on"});
}

// A recording may sleep in real time while idle (--idle sleep): input
// that ends a sleep does not move the clock, so the replay, which warps,
// comes out the same.
TEST_F(RecordReplay, IdleSleepRecordingReplays) {
    round_trip(path("sleep.rec"), "wfi_echo.elf", "wfi_echo: type; '.' ends\n", "\nbye\n",
               {"--idle", "sleep"});
}

// A run stopped by --max-insns replays to the same stop: status 1, the
// same message, the same output.
TEST_F(RecordReplay, MaxInsnsStopReplays) {
    const std::string rec = path("max.rec");
    // echo.elf polls forever once its input ends without a '.' (10M
    // instructions: about a second here, long after the input is in).
    Result r = run({"run", "--record", rec, "--max-insns", "10000000", guest("echo.elf")},
                   {{"ends\n", 50ms, "abc"}, {"ABC", 100ms, "def"}});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.out, "echo: type; '.' ends\nABCDEF");
    EXPECT_EQ(r.err, "stepvisor: stopped after 10000000 instructions\n");
    Result p = run({"replay", rec});
    EXPECT_EQ(p.status, 1);
    EXPECT_EQ(p.out, r.out);
    EXPECT_EQ(p.err, r.err);
    if (!cpu::Cpu::jit_supported()) return;
    Result q = run({"replay", "--jit", "off", rec});
    EXPECT_EQ(q.status, 1);
    EXPECT_EQ(q.out, r.out);
    EXPECT_EQ(q.err, r.err);
}

// --- entropy (--rng) -------------------------------------------------------

// step_matrix.elf queues one 16-byte virtio-rng request: the recording
// holds the entropy, inline, and the replay gives the guest the same bytes
// (its RAM, so the final state hash, holds them). Forged entropy lands in
// RAM and the final state differs.
TEST_F(RecordReplay, EntropyReplays) {
    const std::string rec = path("rng.rec");
    Result r = run({"run", "--rng", "--record", rec, guest("step_matrix.elf")});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.err, "");

    Bytes b = read_bytes(rec);
    const auto inputs = of_kind(frames(b), kInput);
    ASSERT_EQ(inputs.size(), 1u);
    EXPECT_EQ(input_source(b, inputs[0]), kRng);
    EXPECT_EQ(input_at(b, inputs[0]), 1);  // inline
    EXPECT_EQ(input_size(b, inputs[0]), 16u);

    Result p = run({"replay", rec});
    EXPECT_EQ(p.status, 0) << p.err;
    EXPECT_EQ(p.out, r.out);
    EXPECT_EQ(p.err, "");

    b[input_data(inputs[0])] ^= 0x5a;
    fix_crc(b, inputs[0]);
    const std::string forged = path("rng-forged.rec");
    write_bytes(forged, b);
    expect_diverged(run({"replay", forged}));
}

// --- hostile files: status 2, one line, no crash, no hang -------------------

TEST_F(RecordReplay, HostileRecordingsAreRefused) {
    const std::string rec = path("good.rec");
    record_echo(rec, guest("echo.elf"));
    const Bytes good = read_bytes(rec);
    const auto fs = frames(good);
    ASSERT_GE(fs.size(), 4u);  // header, image, input(s), end
    ASSERT_EQ(fs.back().kind, kEnd);
    const auto inputs = of_kind(fs, kInput);
    ASSERT_FALSE(inputs.empty());

    auto refused = [&](const char* name, const Bytes& bytes, std::initializer_list<std::string> what) {
        SCOPED_TRACE(name);
        const std::string p = path(name);
        write_bytes(p, bytes);
        expect_refused(run({"replay", p}), what);
    };
    refused("empty.rec", {}, {"empty.rec", "not a stepvisor recording"});
    refused("magic-only.rec", Bytes(good.begin(), good.begin() + 8), {"not a stepvisor recording"});
    {
        SCOPED_TRACE("the ELF itself");
        expect_refused(run({"replay", guest("echo.elf")}), {"echo.elf", "not a stepvisor recording"});
    }
    Bytes v2 = good;
    v2[8] = 2;
    refused("v2.rec", v2, {"version 2", "reads version 1"});
    Bytes v0 = good;
    v0[8] = 0;
    refused("v0.rec", v0, {"version 0"});
    // Cut in the middle of the first input record's payload.
    const size_t mid = inputs[0].payload() + inputs[0].len / 2;
    refused("mid.rec", Bytes(good.begin(), good.begin() + long(mid)), {"truncated"});
    // Cut inside a frame's kind and length.
    refused("head.rec", Bytes(good.begin(), good.begin() + long(fs[1].offset + 3)), {"truncated"});
    // Cut in the last CRC.
    refused("crc.rec", Bytes(good.begin(), good.end() - 2), {"truncated"});
    // Every record but the end.
    refused("noend.rec", Bytes(good.begin(), good.begin() + long(fs.back().offset)),
            {"without its end record"});
    // The file head alone.
    refused("head-only.rec", Bytes(good.begin(), good.begin() + long(kFileHead)), {"no records"});
    // One payload byte flipped: in the input's data, in the end's state.
    Bytes flip = good;
    flip[input_data(inputs[0])] ^= 0x01;
    refused("flip.rec", flip, {"checksum mismatch"});
    Bytes flip_end = good;
    flip_end[fs.back().payload() + 21] ^= 0x80;
    refused("flip-end.rec", flip_end, {"checksum mismatch"});
    // A length that runs past the file.
    Bytes long_len = good;
    long_len[inputs[0].offset + 4] = 0x7f;
    refused("len.rec", long_len, {"truncated"});
    // A record after the end, and a record of an unknown kind (CRCs right).
    Bytes after = good;
    after.insert(after.end(), good.begin() + long(fs.back().offset), good.end());
    refused("after-end.rec", after, {"after the end record"});
    Bytes kind9 = good;
    kind9[inputs[0].offset] = 9;
    fix_crc(kind9, inputs[0]);
    refused("kind9.rec", kind9, {"unknown record kind 9"});
    // An input whose length claims more than its frame holds.
    Bytes inner = good;
    inner[inputs[0].payload() + 18 + 3] = 0x40;
    fix_crc(inner, inputs[0]);
    refused("inner.rec", inner, {"malformed input record"});
    {
        SCOPED_TRACE("missing");
        expect_refused(run({"replay", path("missing.rec")}), {"missing.rec", "cannot read"});
    }
    // The good file still replays.
    EXPECT_EQ(run({"replay", rec}).status, 0);
}

// A directory opens as a file would, and its read fails: that is a file
// that cannot be read, not an internal error.
TEST_F(RecordReplay, ADirectoryIsRefused) {
    expect_refused(run({"replay", dir_}), {dir_});
}

// --- forged recordings: they parse, and the replay diverges ------------------

// One serial input byte changed ('h' -> 'j'), its CRC fixed so that the
// file parses: the replay echoes "JELLO" where the recording echoed
// "HELLO", and must say that it diverged. The echo leaves nothing of the
// byte in RAM or the registers, and 'j' takes the same path as 'h', so only
// a state check that covers what the guest sent out can see it.
TEST_F(RecordReplay, ForgedInputDiverges) {
    const std::string rec = path("good.rec");
    const Result r = record_echo(rec, guest("echo.elf"));
    Bytes b = read_bytes(rec);
    const auto inputs = of_kind(frames(b), kInput);
    ASSERT_FALSE(inputs.empty());
    const size_t data = input_data(inputs[0]);
    ASSERT_GT(input_size(b, inputs[0]), 0u);
    ASSERT_EQ(b[data], 'h');
    b[data] = 'j';
    fix_crc(b, inputs[0]);
    const std::string forged = path("forged.rec");
    write_bytes(forged, b);
    Result p = run({"replay", forged});
    expect_diverged(p);
    EXPECT_NE(p.out, r.out);
    EXPECT_NE(p.out.find("JELLO"), std::string::npos) << p.out;
}

// An input that changes the run's course: '.' ends the echo after the
// first burst, so the run ends instructions before the recorded end.
TEST_F(RecordReplay, ForgedInputThatEndsTheRunEarlyDiverges) {
    const std::string rec = path("good.rec");
    record_echo(rec, guest("echo.elf"));
    Bytes b = read_bytes(rec);
    const auto inputs = of_kind(frames(b), kInput);
    ASSERT_FALSE(inputs.empty());
    ASSERT_EQ(b[input_data(inputs[0])], 'h');
    b[input_data(inputs[0])] = '.';
    fix_crc(b, inputs[0]);
    const std::string forged = path("forged.rec");
    write_bytes(forged, b);
    Result p = run({"replay", forged});
    expect_diverged(p);
    EXPECT_NE(p.err.find("ended at"), std::string::npos) << p.err;
    EXPECT_EQ(p.out, "echo: type; '.' ends\n\nbye\n");
}

TEST_F(RecordReplay, ForgedFinalStateDiverges) {
    const std::string rec = path("good.rec");
    const Result r = record_echo(rec, guest("echo.elf"));
    Bytes b = read_bytes(rec);
    const Frame end = frames(b).back();
    ASSERT_EQ(end.kind, kEnd);
    // End payload: u64 retired, u64 entries, u8 reason, i32 status, u64 state.
    b[end.payload() + 21] ^= 0x01;
    fix_crc(b, end);
    const std::string forged = path("forged.rec");
    write_bytes(forged, b);
    Result p = run({"replay", forged});
    expect_diverged(p);
    EXPECT_NE(p.err.find("state"), std::string::npos) << p.err;
    EXPECT_EQ(p.out, r.out);  // the run itself was the recorded one
}

TEST_F(RecordReplay, ForgedEndPositionDiverges) {
    const std::string rec = path("good.rec");
    record_echo(rec, guest("echo.elf"));
    Bytes b = read_bytes(rec);
    const Frame end = frames(b).back();
    ASSERT_EQ(end.kind, kEnd);
    b[end.payload()] ^= 0x01;  // the retired count
    fix_crc(b, end);
    const std::string forged = path("forged.rec");
    write_bytes(forged, b);
    expect_diverged(run({"replay", forged}));
}

// --- images ---------------------------------------------------------------

TEST_F(RecordReplay, ImageMustBeTheRecordedOne) {
    const std::string image = copy_guest("echo.elf", "echo.elf");
    const std::string rec = path("echo.rec");
    const Result r = record_echo(rec, image);

    // The recording names the image by its absolute path.
    const Bytes b = read_bytes(rec);
    const auto images = of_kind(frames(b), kImage);
    ASSERT_EQ(images.size(), 1u);
    const std::string payload(b.begin() + long(images[0].payload()),
                              b.begin() + long(images[0].payload() + images[0].len));
    EXPECT_NE(payload.find(image), std::string::npos);

    // Another guest given in its place.
    expect_refused(run({"replay", "--image", guest("wfi_echo.elf"), rec}),
                   {"image", "wfi_echo.elf", "is not the one recorded"});
    // The recorded image, changed in place (the same size).
    Bytes elf = read_bytes(image);
    {
        Bytes changed = elf;
        changed.back() ^= 0xff;
        write_bytes(image, changed);
        expect_refused(run({"replay", rec}), {"image", image, "is not the one recorded"});
        write_bytes(image, elf);
    }
    // The image moved away: its recorded path is named.
    const std::string moved = path("moved.elf");
    fs::rename(image, moved);
    expect_refused(run({"replay", rec}), {"image", image, "cannot read"});
    // An identical copy elsewhere, given.
    Result p = run({"replay", "--image", moved, rec});
    EXPECT_EQ(p.status, 0) << p.err;
    EXPECT_EQ(p.out, r.out);
    EXPECT_EQ(p.err, "");
    // A missing --image is named.
    expect_refused(run({"replay", "--image", path("nowhere.elf"), rec}), {"nowhere.elf", "cannot read"});
}

TEST_F(RecordReplay, ImagesTheRecordingHasNotAreRefused) {
    const std::string rec = path("echo.rec");
    record_echo(rec, guest("echo.elf"));
    const std::string other = copy_guest("hello.elf", "other.bin");
    expect_refused(run({"replay", "--initrd", other, rec}), {"--initrd", "the recording has no initrd"});
    expect_refused(run({"replay", "--dtb", other, rec}), {"--dtb", "the recording has no dtb"});
    expect_refused(run({"replay", "--disk", other, rec}), {"--disk", "the recording has no disk0"});
}

// --- what run --record refuses ------------------------------------------------

TEST_F(RecordReplay, RunRecordUsageErrors) {
    const std::string rec = path("x.rec");
    auto refused = [&](std::vector<std::string> opts, std::initializer_list<std::string> what) {
        std::vector<std::string> args{"run", "--record", rec};
        args.insert(args.end(), opts.begin(), opts.end());
        args.push_back(guest("echo.elf"));
        SCOPED_TRACE(args[3]);
        expect_refused(run(args, input("hi.")), what);
        EXPECT_FALSE(fs::exists(rec)) << "a refused run left a recording";
        fs::remove(rec);
    };
    refused({"--gdb", "0"}, {"--gdb", "replay"});
    const std::string disk = path("disk.img");
    write_bytes(disk, Bytes(64 * 1024, 0xa5));
    refused({"--disk", disk}, {"--disk", disk, "snapshot=on"});
    refused({"--disk", disk + ",readonly=off"}, {"snapshot=on"});
    {
        SCOPED_TRACE("unwritable");
        expect_refused(run({"run", "--record", "/nonexistent-dir/x.rec", guest("echo.elf")}, input("hi.")),
                       {"/nonexistent-dir/x.rec", "cannot create"});
    }
}

// A disk with snapshot=on is recordable: the file is never written, and the
// replay finds it unchanged.
TEST_F(RecordReplay, SnapshotDiskRecordsAndIsLeftAsItWas) {
    const std::string disk = path("disk.img");
    Bytes contents(256 * 1024);
    for (size_t i = 0; i < contents.size(); ++i) contents[i] = uint8_t(i * 131 + 7);
    write_bytes(disk, contents);
    const std::string rec = path("disk.rec");
    Result r = run({"run", "--record", rec, "--disk", disk + ",snapshot=on", guest("echo.elf")},
                   input("disk."));
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "echo: type; '.' ends\nDISK\nbye\n");
    EXPECT_EQ(read_bytes(disk), contents);
    const Bytes b = read_bytes(rec);
    EXPECT_EQ(of_kind(frames(b), kImage).size(), 2u);  // the image and disk0

    Result p = run({"replay", rec});
    EXPECT_EQ(p.status, 0) << p.err;
    EXPECT_EQ(p.out, r.out);
    EXPECT_EQ(read_bytes(disk), contents);

    // The disk changed since: refused, naming it.
    Bytes changed = contents;
    changed[4096] ^= 1;
    write_bytes(disk, changed);
    expect_refused(run({"replay", rec}), {"disk0", disk, "is not the one recorded"});
    // Its original, given in its place.
    const std::string orig = path("orig.img");
    write_bytes(orig, contents);
    Result q = run({"replay", "--disk", orig, rec});
    EXPECT_EQ(q.status, 0) << q.err;
    EXPECT_EQ(q.out, r.out);
    EXPECT_EQ(read_bytes(orig), contents);
}

}  // namespace
