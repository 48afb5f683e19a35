// A recording (stepvisor run --record FILE): everything that came into a
// run from outside, with the point of the run where it took effect, so that
// `stepvisor replay` re-runs it exactly. docs/recording.md is the format:
// a magic and a version, then framed records, each checked by a CRC-32.
// parse_recording reads a whole file and says what is wrong with a broken
// one; RecordingWriter appends records as the run goes.
#pragma once

#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <vector>

#include "kvm/result.h"
#include "vmm/machine.h"

namespace vmm::record {

inline constexpr char kMagic[8] = {'S', 'T', 'E', 'P', 'V', 'R', 'E', 'C'};
inline constexpr uint32_t kVersion = 1;

enum class Kind : uint8_t { Header = 1, Image = 2, Input = 3, Hash = 4, End = 5 };

// Where an input came from. At a stop, the run stood still between two
// instructions (a replay stops there by instruction count); inline, a device
// took it in the middle of one (a replay's device takes it there again).
enum class Source : uint8_t { Serial = 1, Rng = 2, Net = 3 };
enum class At : uint8_t { Stop = 0, Inline = 1 };

struct Header {
    std::string stepvisor;          // the version that recorded
    std::vector<std::string> args;  // `run`'s arguments, --record FILE left out
    uint32_t rtc_base = 0;          // the PL031's count at clock 0
};

// A file the run read: the kernel, initrd, device tree or a disk.
struct Image {
    std::string role;  // "image", "initrd", "dtb", "disk0", "disk1", ...
    std::string path;
    uint64_t size = 0;
    uint64_t hash = 0;  // XXH3-64 of the contents
};

struct Input {
    Position pos;
    Source source = Source::Serial;
    At at = At::Stop;
    std::vector<uint8_t> bytes;
};

struct Hash {
    Position pos;
    uint64_t state = 0;  // Machine::state_hash
};

struct End {
    Position pos;
    uint8_t reason = 0;  // StopReason
    int32_t status = 0;  // the process exit status
    uint64_t state = 0;
    std::string message;
};

struct Recording {
    Header header;
    std::vector<Image> images;
    std::vector<Input> inputs;  // in the order of the run
    std::vector<Hash> hashes;
    End end;
};

// A whole file's bytes; the error names the problem and where (the
// record's number and offset): not a recording, a version this stepvisor
// does not read, a checksum that does not match, a truncated file, a
// record that makes no sense.
kvm::Result<Recording> parse_recording(std::span<const uint8_t> bytes);

// Appends records to a file, each flushed as it is written, so that a run
// that dies still leaves what it had (replay then says the end is missing).
class RecordingWriter {
public:
    static kvm::Result<RecordingWriter> create(const std::string& path);
    RecordingWriter(RecordingWriter&& o) noexcept : f_(o.f_), path_(std::move(o.path_)) { o.f_ = nullptr; }
    RecordingWriter& operator=(RecordingWriter&&) = delete;
    ~RecordingWriter();

    kvm::Result<void> header(const Header& h);
    kvm::Result<void> image(const Image& i);
    kvm::Result<void> input(const Input& in);
    kvm::Result<void> hash(const Hash& h);
    kvm::Result<void> end(const End& e);

private:
    RecordingWriter(std::FILE* f, std::string path) : f_(f), path_(std::move(path)) {}
    kvm::Result<void> frame(Kind kind, const std::vector<uint8_t>& payload);
    std::FILE* f_;
    std::string path_;
};

// XXH3-64 of a file's contents (its size through `size`); the error names it.
kvm::Result<uint64_t> hash_file(const std::string& path, uint64_t& size);

}  // namespace vmm::record
