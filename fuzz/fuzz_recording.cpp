// Recording files as `stepvisor replay` reads them: whatever the bytes,
// vmm::record::parse_recording returns one line of error or a recording
// that keeps the format's rules: inputs, state hashes and the end in the
// order of the run, every source, place and stop reason one the format
// knows, and nothing in it larger than the file (a length or count field
// never buys memory the file does not hold).
//
// Each input is parsed twice: as it is, and with every frame's CRC made
// right, since a mutation almost never keeps a CRC-32 matching and would
// otherwise stop at the checksum before reaching the records' contents.
//
// Input: the file.
#include <zlib.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "vmm/record/recording.h"

namespace {

using vmm::Position;
using namespace vmm::record;

// Neither count goes back (compared apart: their sum, Position's order,
// wraps on a file's huge counts).
bool before(const Position& a, const Position& b) {
    return a.retired < b.retired || a.entries < b.entries;
}

void check(const Recording& r, size_t size) {
    // Every string and byte string came out of the file after its length.
    uint64_t held = r.header.stepvisor.size() + 4;
    for (const std::string& a : r.header.args) held += a.size() + 4;
    for (const Image& i : r.images) held += i.role.size() + i.path.size() + 8;
    for (const Input& in : r.inputs) held += in.bytes.size() + 4;
    held += r.end.message.size() + 4;
    if (held > size) __builtin_trap();

    const Position* last = nullptr;
    for (const Input& in : r.inputs) {
        if (in.source < Source::Serial || in.source > Source::Net) __builtin_trap();
        if (in.at > At::Inline) __builtin_trap();
        if (last && before(in.pos, *last)) __builtin_trap();
        last = &in.pos;
    }
    last = nullptr;
    for (const Hash& h : r.hashes) {
        if (last && before(h.pos, *last)) __builtin_trap();
        last = &h.pos;
    }
    if (!r.inputs.empty() && before(r.end.pos, r.inputs.back().pos)) __builtin_trap();
    if (!r.hashes.empty() && before(r.end.pos, r.hashes.back().pos)) __builtin_trap();
    if (r.end.reason > uint8_t(vmm::StopReason::Quit)) __builtin_trap();
}

void parse(std::span<const uint8_t> file) {
    auto r = parse_recording(file);
    if (!r) {
        const std::string& m = r.error().message;
        if (m.empty() || m.find('\n') != std::string::npos) __builtin_trap();
        return;
    }
    check(r.value(), file.size());
}

// Frames as the format lays them out after the magic and version: kind,
// length, payload, CRC-32 over the three; stops at the first that does not fit.
void fix_crcs(std::vector<uint8_t>& f) {
    constexpr size_t kHead = sizeof kMagic + 4;
    for (size_t off = kHead; f.size() - off >= 9;) {
        const uint32_t len = uint32_t(f[off + 1]) | uint32_t(f[off + 2]) << 8 | uint32_t(f[off + 3]) << 16 |
                             uint32_t(f[off + 4]) << 24;
        if (len > f.size() - off - 9) return;
        const uint32_t crc = uint32_t(crc32(0, f.data() + off, uInt(5 + len)));
        for (size_t i = 0; i < 4; ++i) f[off + 5 + len + i] = uint8_t(crc >> (8 * i));
        off += 9 + size_t(len);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    parse({data, size});
    if (size < sizeof kMagic + 4) return 0;
    std::vector<uint8_t> fixed(data, data + size);
    fix_crcs(fixed);
    parse(fixed);
    return 0;
}
