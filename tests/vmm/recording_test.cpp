// The recording file (vmm/record/recording.h): what RecordingWriter writes,
// parse_recording reads back field for field, and every broken file it
// refuses gets an error naming what is wrong. The broken files are built
// frame by frame here, with their CRCs right, since the writer never
// writes them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <unistd.h>
#include <xxhash.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "vmm/record/recording.h"

namespace vmm::record {
namespace {

using Bytes = std::vector<uint8_t>;
using ::testing::HasSubstr;

constexpr uint8_t kHeader = uint8_t(Kind::Header), kImage = uint8_t(Kind::Image),
                  kInput = uint8_t(Kind::Input), kHash = uint8_t(Kind::Hash),
                  kEnd = uint8_t(Kind::End);

// A payload's fields as the format lays them out (little-endian, strings
// and byte strings after a u32 length), apart from the writer's own code.
struct Payload {
    Bytes b;
    template <typename T>
    Payload& put(T v) {
        for (size_t i = 0; i < sizeof(T); ++i) b.push_back(uint8_t(uint64_t(v) >> (8 * i)));
        return *this;
    }
    Payload& str(std::string_view s) {
        put(uint32_t(s.size()));
        b.insert(b.end(), s.begin(), s.end());
        return *this;
    }
    Payload& pos(uint64_t retired, uint64_t entries) { return put(retired).put(entries); }
};

Bytes frame(uint8_t kind, const Bytes& payload) {
    Payload f;
    f.put(kind).put(uint32_t(payload.size()));
    f.b.insert(f.b.end(), payload.begin(), payload.end());
    return f.put(uint32_t(crc32(0, f.b.data(), uInt(f.b.size())))).b;
}

Bytes file(std::initializer_list<Bytes> frames, uint32_t version = kVersion) {
    Bytes f(std::begin(kMagic), std::end(kMagic));
    const Bytes v = Payload{}.put(version).b;
    f.insert(f.end(), v.begin(), v.end());
    for (const Bytes& b : frames) f.insert(f.end(), b.begin(), b.end());
    return f;
}

Bytes header_payload() {
    return Payload{}.str("test").put(uint32_t(7)).put(uint32_t(2)).str("guest.elf").str("-m").b;
}
Bytes image_payload() {
    return Payload{}.str("image").str("guest.elf").put(uint64_t(4096)).put(uint64_t(0xABCD)).b;
}
Bytes input_payload(uint64_t retired, uint64_t entries = 0) {
    return Payload{}.pos(retired, entries).put(uint8_t(Source::Serial)).put(uint8_t(At::Stop)).str("ab").b;
}
Bytes hash_payload(uint64_t retired) {
    return Payload{}.pos(retired, 0).put(uint64_t(0x1234)).b;
}
Bytes end_payload(uint64_t retired) {
    return Payload{}.pos(retired, 0).put(uint8_t(StopReason::PoweredOff)).put(int32_t(0))
        .put(uint64_t(0x5678)).str("powered off").b;
}

Bytes header() { return frame(kHeader, header_payload()); }
Bytes input(uint64_t retired, uint64_t entries = 0) { return frame(kInput, input_payload(retired, entries)); }
Bytes hash(uint64_t retired) { return frame(kHash, hash_payload(retired)); }
Bytes end(uint64_t retired) { return frame(kEnd, end_payload(retired)); }

std::string error_of(const Bytes& f) {
    auto r = parse_recording(f);
    return r ? std::string("(no error: the file parsed)") : r.error().message;
}

struct RecordingTest : ::testing::Test {
    std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("recording-" + std::to_string(getpid()));
    std::string path = (dir / "run.rec").string();
    void SetUp() override { std::filesystem::create_directories(dir); }
    void TearDown() override { std::filesystem::remove_all(dir); }

    static Bytes read(const std::string& p) {
        std::ifstream in(p, std::ios::binary);
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }
    static void write(const std::string& p, const Bytes& b) {
        std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), b.size());
    }
};

TEST_F(RecordingTest, RoundTrip) {
    Header h{"stepvisor 0.1", {"guest.elf", "", "--max-insns=1000", "caf\xc3\xa9"}, 1'800'000'000};
    std::vector<Image> images = {{"image", "/srv/guest.elf", 123456, 0x0123'4567'89AB'CDEF},
                                 {"disk0", "disk.img", 0, 0}};
    std::vector<Input> inputs;
    uint64_t n = 0;
    for (Source s : {Source::Serial, Source::Rng, Source::Net})
        for (At at : {At::Stop, At::Inline}) {
            ++n;
            inputs.push_back({{n * 1000, n}, s, at, Bytes(n * 3, uint8_t(0xF0 + n))});
        }
    inputs.front().bytes = {};
    inputs.back().bytes = {0x00, 0xFF, '\n', 0x03};
    std::vector<Hash> hashes = {{{0, 0}, 0}, {{2000, 2}, 0xFFFF'FFFF'FFFF'FFFF}, {{6000, 6}, 42}};
    End e{{9999, 7}, uint8_t(StopReason::GuestError), -3, 0xDEAD'BEEF'0000'0001, "guest error: no progress"};
    {
        auto w = RecordingWriter::create(path);
        ASSERT_TRUE(w) << w.error().message;
        ASSERT_TRUE(w.value().header(h));
        for (const Image& i : images) ASSERT_TRUE(w.value().image(i));
        // Interleaved as a run writes them, each at or after the last.
        ASSERT_TRUE(w.value().hash(hashes[0]));
        for (size_t i = 0; i < inputs.size(); ++i) {
            ASSERT_TRUE(w.value().input(inputs[i]));
            if (i == 1) {
                ASSERT_TRUE(w.value().hash(hashes[1]));
            }
        }
        ASSERT_TRUE(w.value().hash(hashes[2]));
        ASSERT_TRUE(w.value().end(e));
    }
    auto r = parse_recording(read(path));
    ASSERT_TRUE(r) << r.error().message;
    const Recording& rec = r.value();
    EXPECT_EQ(rec.header.stepvisor, h.stepvisor);
    EXPECT_EQ(rec.header.args, h.args);
    EXPECT_EQ(rec.header.rtc_base, h.rtc_base);
    ASSERT_EQ(rec.images.size(), images.size());
    for (size_t i = 0; i < images.size(); ++i) {
        EXPECT_EQ(rec.images[i].role, images[i].role);
        EXPECT_EQ(rec.images[i].path, images[i].path);
        EXPECT_EQ(rec.images[i].size, images[i].size);
        EXPECT_EQ(rec.images[i].hash, images[i].hash);
    }
    ASSERT_EQ(rec.inputs.size(), inputs.size());
    for (size_t i = 0; i < inputs.size(); ++i) {
        SCOPED_TRACE(i);
        EXPECT_EQ(rec.inputs[i].pos, inputs[i].pos);
        EXPECT_EQ(rec.inputs[i].source, inputs[i].source);
        EXPECT_EQ(rec.inputs[i].at, inputs[i].at);
        EXPECT_EQ(rec.inputs[i].bytes, inputs[i].bytes);
    }
    ASSERT_EQ(rec.hashes.size(), hashes.size());
    for (size_t i = 0; i < hashes.size(); ++i) {
        EXPECT_EQ(rec.hashes[i].pos, hashes[i].pos);
        EXPECT_EQ(rec.hashes[i].state, hashes[i].state);
    }
    EXPECT_EQ(rec.end.pos, e.pos);
    EXPECT_EQ(rec.end.reason, e.reason);
    EXPECT_EQ(rec.end.status, e.status);
    EXPECT_EQ(rec.end.state, e.state);
    EXPECT_EQ(rec.end.message, e.message);
}

// The writer's bytes are the documented layout, so the hand-built files
// below are what a real recording looks like.
TEST_F(RecordingTest, WriterWritesTheDocumentedLayout) {
    {
        auto w = RecordingWriter::create(path);
        ASSERT_TRUE(w) << w.error().message;
        ASSERT_TRUE(w.value().header({"test", {"guest.elf", "-m"}, 7}));
        ASSERT_TRUE(w.value().image({"image", "guest.elf", 4096, 0xABCD}));
        ASSERT_TRUE(w.value().input({{10, 0}, Source::Serial, At::Stop, {'a', 'b'}}));
        ASSERT_TRUE(w.value().hash({{20, 0}, 0x1234}));
        ASSERT_TRUE(w.value().end({{30, 0}, uint8_t(StopReason::PoweredOff), 0, 0x5678, "powered off"}));
    }
    EXPECT_EQ(read(path), file({header(), frame(kImage, image_payload()), input(10), hash(20), end(30)}));
}

// Each record is flushed as written: a run killed before its end leaves a
// file that says so.
TEST_F(RecordingTest, AWriterThatNeverEndsLeavesAFileWithoutItsEnd) {
    auto w = RecordingWriter::create(path);
    ASSERT_TRUE(w) << w.error().message;
    ASSERT_TRUE(w.value().header({"test", {}, 0}));
    ASSERT_TRUE(w.value().input({{5, 0}, Source::Rng, At::Inline, {1, 2, 3}}));
    EXPECT_THAT(error_of(read(path)), HasSubstr("ends after 2 records without its end record"));
}

TEST_F(RecordingTest, CreateNamesThePath) {
    const std::string bad = (dir / "no-such-dir" / "run.rec").string();
    auto w = RecordingWriter::create(bad);
    ASSERT_FALSE(w);
    EXPECT_THAT(w.error().message, HasSubstr(bad));
}

TEST(Recording, AHandBuiltFileParses) {
    auto r = parse_recording(file({header(), input(10), input(10), hash(10), end(30)}));
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r.value().inputs.size(), 2u);
    EXPECT_EQ(r.value().header.args, (std::vector<std::string>{"guest.elf", "-m"}));
}

TEST(Recording, NotARecording) {
    const Bytes good = file({header(), end(0)});
    EXPECT_THAT(error_of({}), HasSubstr("not a stepvisor recording"));
    EXPECT_THAT(error_of(Bytes(good.begin(), good.begin() + 7)), HasSubstr("not a stepvisor recording"));
    EXPECT_THAT(error_of(Bytes(good.begin(), good.begin() + 11)), HasSubstr("not a stepvisor recording"));
    Bytes wrong = good;
    wrong[7] = 'X';
    EXPECT_THAT(error_of(wrong), HasSubstr("not a stepvisor recording"));
    const std::string text = "#!/bin/sh\necho not this\n";
    EXPECT_THAT(error_of(Bytes(text.begin(), text.end())), HasSubstr("not a stepvisor recording"));
}

TEST(Recording, AnotherVersion) {
    for (uint32_t v : {0u, 2u, 0x0100'0000u}) {
        const std::string msg = error_of(file({header(), end(0)}, v));
        EXPECT_THAT(msg, HasSubstr(fmt::format("version {}", v)));
        EXPECT_THAT(msg, HasSubstr("reads version 1"));
    }
}

TEST(Recording, AFlippedByteIsAChecksumMismatch) {
    const Bytes good = file({header(), input(10), end(30)});
    const size_t input_at = 12 + header().size();
    // The kind, the length (the CRC is then read from the wrong place), a
    // payload byte and the CRC itself: the CRC covers all but itself.
    for (size_t at : {input_at, input_at + 1, input_at + 5 + 17, input_at + input(10).size() - 1}) {
        SCOPED_TRACE(at);
        Bytes bad = good;
        bad[at] ^= 0x01;
        const std::string msg = error_of(bad);
        EXPECT_THAT(msg, HasSubstr("checksum mismatch"));
        EXPECT_THAT(msg, HasSubstr(fmt::format("record 2 at offset {}", input_at)));
    }
}

TEST(Recording, ACutRecordIsTruncated) {
    const std::vector<Bytes> frames = {header(), input(10), hash(20), end(30)};
    const Bytes good = file({frames[0], frames[1], frames[2], frames[3]});
    std::vector<size_t> boundaries = {12};
    for (const Bytes& f : frames) boundaries.push_back(boundaries.back() + f.size());
    ASSERT_EQ(boundaries.back(), good.size());
    for (size_t cut = 13; cut < good.size(); ++cut) {
        SCOPED_TRACE(cut);
        const std::string msg = error_of(Bytes(good.begin(), good.begin() + cut));
        if (std::find(boundaries.begin(), boundaries.end(), cut) != boundaries.end())
            EXPECT_THAT(msg, HasSubstr("without its end record"));
        else
            EXPECT_THAT(msg, HasSubstr("truncated"));
    }
    // A length past the end of the file, however large.
    for (uint32_t len : {64u, 0x7FFF'FFFFu, 0xFFFF'FFF6u, 0xFFFF'FFFFu}) {
        Bytes f = file({header()});
        Bytes tail = Payload{}.put(kHash).put(len).put(uint64_t(0)).b;
        f.insert(f.end(), tail.begin(), tail.end());
        EXPECT_THAT(error_of(f), HasSubstr("truncated")) << len;
    }
}

TEST(Recording, WithoutItsEnd) {
    EXPECT_THAT(error_of(file({})), HasSubstr("no records"));
    EXPECT_THAT(error_of(file({header()})), HasSubstr("ends after 1 records without its end record"));
    EXPECT_THAT(error_of(file({header(), input(10), hash(20)})),
                HasSubstr("ends after 3 records without its end record"));
}

TEST(Recording, ARecordAfterTheEnd) {
    for (const Bytes& after : {hash(40), input(40), end(40), header()}) {
        const std::string msg = error_of(file({header(), end(30), after}));
        EXPECT_THAT(msg, HasSubstr("record 3"));
        EXPECT_THAT(msg, HasSubstr("a record after the end record"));
    }
}

TEST(Recording, TheFirstRecordIsNotTheHeader) {
    for (const Bytes& first : {frame(kImage, image_payload()), input(10), hash(10), end(10)}) {
        const std::string msg = error_of(file({first, header(), end(30)}));
        EXPECT_THAT(msg, HasSubstr("record 1"));
        EXPECT_THAT(msg, HasSubstr("the first record is not the header"));
    }
}

TEST(Recording, ASecondHeader) {
    const std::string msg = error_of(file({header(), input(10), header(), end(30)}));
    EXPECT_THAT(msg, HasSubstr("record 3"));
    EXPECT_THAT(msg, HasSubstr("a second header"));
}

TEST(Recording, AnUnknownKind) {
    for (uint8_t kind : {uint8_t(0), uint8_t(kEnd + 1), uint8_t(0xFF)}) {
        const std::string msg = error_of(file({header(), frame(kind, hash_payload(10)), end(30)}));
        EXPECT_THAT(msg, HasSubstr("record 2"));
        EXPECT_THAT(msg, HasSubstr(fmt::format("unknown record kind {}", kind)));
    }
}

// Neither count may go back from one record to the next; equal ones are fine.
TEST(Recording, PositionsGoingBackwards) {
    EXPECT_THAT(error_of(file({header(), input(100), hash(50), end(200)})),
                HasSubstr("a state hash at instruction 50 (entry 0) comes before the previous "
                          "record's instruction 100"));
    EXPECT_THAT(error_of(file({header(), hash(100), input(99), end(200)})),
                HasSubstr("an input at instruction 99 (entry 0) comes before"));
    EXPECT_THAT(error_of(file({header(), input(100, 2), hash(101), end(200)})),
                HasSubstr("comes before"));
    EXPECT_THAT(error_of(file({header(), input(100), end(99)})),
                HasSubstr("the end at instruction 99 (entry 0) comes before"));
    EXPECT_TRUE(parse_recording(file({header(), input(100), hash(100), input(100), end(100)})));
}

// Every kind's payload one byte short, one byte long and empty, CRC
// correct, after an input at 100: the fields a short payload lacks read as
// zeros, yet the error is the payload, not an unknown source or a position
// going backwards.
TEST(Recording, AMalformedPayload) {
    struct Case {
        uint8_t kind;
        Bytes payload;
        const char* name;
    };
    for (const Case& c : {Case{kHeader, header_payload(), "header"}, Case{kImage, image_payload(), "image"},
                          Case{kInput, input_payload(10), "input"}, Case{kHash, hash_payload(10), "hash"},
                          Case{kEnd, end_payload(10), "end"}}) {
        SCOPED_TRACE(c.name);
        Bytes shorter(c.payload.begin(), c.payload.end() - 1), longer = c.payload;
        longer.push_back(0);
        for (const Bytes& p : {shorter, longer, Bytes{}}) {
            const Bytes bad = frame(c.kind, p);
            const std::string msg = c.kind == kHeader ? error_of(file({bad, end(300)}))
                                                      : error_of(file({header(), input(100), bad, end(300)}));
            EXPECT_THAT(msg, HasSubstr(fmt::format("a malformed {} record", c.name)));
            EXPECT_THAT(msg, HasSubstr(c.kind == kHeader ? "record 1" : "record 3"));
        }
    }
}

// The header's argument count must match its arguments, in both
// directions, and a huge count costs no more than the payload holds.
TEST(Recording, AHeaderWhoseArgumentCountIsWrong) {
    for (uint32_t count : {1u, 3u, 1000u, 0xFFFF'FFFFu}) {
        const Bytes p = Payload{}.str("test").put(uint32_t(0)).put(count).str("a").str("b").b;
        EXPECT_THAT(error_of(file({frame(kHeader, p), end(30)})), HasSubstr("a malformed header record"))
            << count;
    }
    const Bytes junk = Payload{}.str("test").put(uint32_t(0)).put(0xFFFF'FFFFu).put(uint8_t(1)).b;
    EXPECT_THAT(error_of(file({frame(kHeader, junk), end(30)})), HasSubstr("a malformed header record"));
}

TEST(Recording, FieldsOutOfRange) {
    const Bytes source = Payload{}.pos(10, 0).put(uint8_t(4)).put(uint8_t(0)).str("").b;
    EXPECT_THAT(error_of(file({header(), frame(kInput, source), end(30)})),
                HasSubstr("an input from unknown source 4"));
    const Bytes none = Payload{}.pos(10, 0).put(uint8_t(0)).put(uint8_t(0)).str("").b;
    EXPECT_THAT(error_of(file({header(), frame(kInput, none), end(30)})), HasSubstr("unknown source 0"));
    const Bytes at = Payload{}.pos(10, 0).put(uint8_t(Source::Net)).put(uint8_t(2)).str("").b;
    EXPECT_THAT(error_of(file({header(), frame(kInput, at), end(30)})),
                HasSubstr("an input at unknown place 2"));
    const Bytes reason = Payload{}.pos(10, 0).put(uint8_t(200)).put(int32_t(0)).put(uint64_t(0)).str("").b;
    EXPECT_THAT(error_of(file({header(), frame(kEnd, reason)})), HasSubstr("an end for unknown reason 200"));
}

TEST_F(RecordingTest, HashFile) {
    const std::string a = (dir / "a").string(), b = (dir / "b").string(), c = (dir / "c").string(),
                      big = (dir / "big").string(), empty = (dir / "empty").string();
    write(a, {1, 2, 3, 4});
    write(b, {1, 2, 3, 4});
    write(c, {1, 2, 3, 5});
    write(empty, {});
    // Past hash_file's 1 MiB read buffer, so it takes several reads.
    Bytes large(3 * (1 << 20) + 5);
    for (size_t i = 0; i < large.size(); ++i) large[i] = uint8_t(i * 31 + (i >> 12));
    write(big, large);

    uint64_t size = 99;
    auto ha = hash_file(a, size);
    ASSERT_TRUE(ha) << ha.error().message;
    EXPECT_EQ(size, 4u);
    auto hb = hash_file(b, size);
    ASSERT_TRUE(hb) << hb.error().message;
    auto hc = hash_file(c, size);
    ASSERT_TRUE(hc) << hc.error().message;
    EXPECT_EQ(ha.value(), hb.value());
    EXPECT_NE(ha.value(), hc.value());
    EXPECT_EQ(ha.value(), XXH3_64bits(Bytes{1, 2, 3, 4}.data(), 4));

    auto he = hash_file(empty, size);
    ASSERT_TRUE(he) << he.error().message;
    EXPECT_EQ(size, 0u);
    EXPECT_EQ(he.value(), XXH3_64bits(nullptr, 0));

    auto hbig = hash_file(big, size);
    ASSERT_TRUE(hbig) << hbig.error().message;
    EXPECT_EQ(size, large.size());
    EXPECT_EQ(hbig.value(), XXH3_64bits(large.data(), large.size()));
}

TEST_F(RecordingTest, HashFileNamesAMissingFile) {
    const std::string missing = (dir / "no-such-file").string();
    uint64_t size = 0;
    auto h = hash_file(missing, size);
    ASSERT_FALSE(h);
    EXPECT_THAT(h.error().message, HasSubstr(missing));
    EXPECT_THAT(h.error().message, HasSubstr("No such file"));
}

}  // namespace
}  // namespace vmm::record
