// Hostile input: random bytes into the framing and the session, random
// suffixes after every known packet prefix into the dispatcher. Nothing may
// crash, hang or grow without bound; a valid request still works after.
#include <gtest/gtest.h>

#include <future>
#include <random>

#include "gdb/session.h"
#include "gdb/stub.h"
#include "tests/gdb/fake_target.h"

namespace gdb {
namespace {

using namespace std::chrono_literals;
using test::FakeTarget;

// Bytes biased towards the ones that mean something to the protocol.
std::string noise(std::mt19937& rng, size_t n) {
    static constexpr char kInteresting[] = "$#}*+-\x03:;,=0123456789abcdefxX-";
    std::string s;
    for (size_t i = 0; i < n; ++i) {
        const unsigned pick = rng() % 4;
        s += pick == 0 ? char(rng() & 0xff) : kInteresting[rng() % (sizeof kInteresting - 1)];
    }
    return s;
}

TEST(Robustness, DecoderSurvivesNoise) {
    std::mt19937 rng(1234);
    FrameDecoder d(256);
    std::vector<FrameEvent> ev;
    for (int i = 0; i < 2000; ++i) {
        d.feed(noise(rng, rng() % 600), ev);
        for (const FrameEvent& e : ev) {
            if (e.kind == FrameEvent::Kind::Packet) {
                EXPECT_LE(e.payload.size(), 256u);
            }
        }
        ev.clear();
    }
    d.feed(encode_packet("qC"), ev);
    ASSERT_FALSE(ev.empty());
    EXPECT_EQ(ev.back().kind, FrameEvent::Kind::Packet) << "a clean packet parses after the noise";
}

TEST(Robustness, DispatcherSurvivesGarbageArguments) {
    static constexpr const char* kPrefixes[] = {"?",
                                                "g",
                                                "G",
                                                "p",
                                                "P",
                                                "m",
                                                "M",
                                                "X",
                                                "Z",
                                                "z",
                                                "c",
                                                "C",
                                                "s",
                                                "S",
                                                "vCont?",
                                                "vCont;",
                                                "H",
                                                "T",
                                                "qSupported",
                                                "qXfer:features:read:",
                                                "qAttached",
                                                "qC",
                                                "qfThreadInfo",
                                                "qsThreadInfo",
                                                "qRcmd,",
                                                "QStartNoAckMode",
                                                "vMustReplyEmpty",
                                                "D",
                                                "k"};
    std::mt19937 rng(99);
    FakeTarget target;
    auto stub = Stub::create(target);
    ASSERT_TRUE(stub);
    for (int i = 0; i < 20000; ++i) {
        const std::string packet = kPrefixes[rng() % std::size(kPrefixes)] + noise(rng, rng() % 40);
        target.stops.assign(1, StopReason{});  // a resume never waits
        const Reply r = stub->handle(packet);
        if (r.payload) {
            EXPECT_LE(r.payload->size(), 0x4000u) << packet;
        }
    }
    EXPECT_EQ(stub->handle("m1000,4").payload, "030a1118");
}

TEST(Robustness, SessionSurvivesNoise) {
    FakeTarget target;
    target.caps.packet_size = 512;
    auto stub = Stub::create(target);
    ASSERT_TRUE(stub);
    auto [gdb_end, stub_end] = make_pipe();
    Session session(stub.value(), *stub_end);
    auto end = std::async(std::launch::async, [&] { return session.run(); });

    std::mt19937 rng(7);
    for (int i = 0; i < 300; ++i) {
        // '$' + noise: valid-looking frames are mostly bad checksums; keep
        // resume letters out so nothing waits on the (fake) guest.
        std::string n = noise(rng, rng() % 2000);
        for (char& c : n) {
            if (c == 'c' || c == 's' || c == 'C' || c == 'S' || c == 'k' || c == 'D' || c == 'v') {
                c = 'a';
            }
        }
        ASSERT_TRUE(gdb_end->write(n));
    }
    // Drain whatever the stub answered, then show it still works.
    std::array<uint8_t, 4096> buf;
    while (gdb_end->read(buf, 100ms).value() > 0) {
    }
    ASSERT_TRUE(gdb_end->write("$#00"));  // make sure no half packet is pending
    ASSERT_TRUE(gdb_end->write(encode_packet("qC")));
    std::string got;
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (got.find("$QC1#") == std::string::npos && std::chrono::steady_clock::now() < deadline) {
        const size_t n = gdb_end->read(buf, 20ms).value();
        got.append(reinterpret_cast<const char*>(buf.data()), n);
    }
    EXPECT_NE(got.find("$QC1#"), std::string::npos) << got;
    gdb_end->close();
    ASSERT_EQ(end.wait_for(5s), std::future_status::ready);
    EXPECT_EQ(end.get(), SessionEnd::Disconnected);
}

}  // namespace
}  // namespace gdb
