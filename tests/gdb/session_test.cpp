// The session over the in-memory pipe: a scripted conversation shaped like
// gdb's, then the ways a connection goes wrong.
#include <gtest/gtest.h>

#include <deque>
#include <future>
#include <thread>

#include "gdb/session.h"
#include "tests/gdb/fake_target.h"

namespace gdb {
namespace {

using namespace std::chrono_literals;
using test::FakeTarget;
using Kind = FrameEvent::Kind;

// The gdb side: frames requests, checks acks, decodes replies with the
// same FrameDecoder (so run-length replies are checked too).
class Client {
public:
    explicit Client(Transport& t) : t_(t) {}
    bool no_ack = false;

    void send_raw(std::string_view bytes) { ASSERT_TRUE(t_.write(bytes)); }
    void send(std::string_view payload) { send_raw(encode_packet(payload)); }

    // The next event from the stub, or nullopt after `timeout`.
    std::optional<FrameEvent> next(std::chrono::milliseconds timeout = 5000ms) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (events_.empty() && std::chrono::steady_clock::now() < deadline) {
            std::array<uint8_t, 4096> buf;
            auto n = t_.read(buf, 20ms);
            if (!n) return std::nullopt;
            std::vector<FrameEvent> evs;
            dec_.feed(std::span(buf).first(n.value()), evs);
            for (auto& e : evs) events_.push_back(std::move(e));
        }
        if (events_.empty()) return std::nullopt;
        FrameEvent e = std::move(events_.front());
        events_.pop_front();
        return e;
    }

    // Send a request and return the reply payload, acking like gdb does.
    std::string request(std::string_view payload) {
        send(payload);
        if (!no_ack) {
            auto ack = next();
            EXPECT_TRUE(ack && ack->kind == Kind::Ack) << "no '+' for " << payload;
        }
        return reply();
    }
    std::string reply() {
        auto ev = next();
        if (!ev || ev->kind != Kind::Packet) {
            ADD_FAILURE() << "no reply packet";
            return "<none>";
        }
        if (!no_ack) send_raw("+");
        return ev->payload;
    }

private:
    Transport& t_;
    FrameDecoder dec_{1 << 20};
    std::deque<FrameEvent> events_;
};

// Runs a session on its own thread; closing the gdb end always ends it,
// so a failing test cannot hang.
class SessionTest : public ::testing::Test {
protected:
    FakeTarget target;
    std::pair<std::unique_ptr<Transport>, std::unique_ptr<Transport>> pipe = make_pipe();
    Transport& gdb_end = *pipe.first;
    Client gdb{gdb_end};
    std::optional<Stub> stub;
    std::optional<Session> session;
    std::future<SessionEnd> end;

    void start(SessionOptions opts = {}) {
        auto s = Stub::create(target);
        ASSERT_TRUE(s);
        stub.emplace(std::move(s.value()));
        session.emplace(*stub, *pipe.second, opts);
        end = std::async(std::launch::async, [this] { return session->run(); });
    }
    SessionEnd finish() {
        if (end.wait_for(5s) != std::future_status::ready) {
            ADD_FAILURE() << "session did not end; closing the pipe";
            gdb_end.close();
        }
        return end.get();
    }
    void TearDown() override {
        gdb_end.close();
        if (end.valid()) end.wait();
    }
};

TEST_F(SessionTest, ScriptedConversationLikeGdb) {
    start();
    const std::string sup =
        gdb.request("qSupported:multiprocess+;swbreak+;hwbreak+;vContSupported+");
    EXPECT_NE(sup.find("QStartNoAckMode+"), std::string::npos) << sup;
    EXPECT_NE(sup.find("PacketSize=4000"), std::string::npos) << sup;
    EXPECT_EQ(gdb.request("QStartNoAckMode"), "OK");
    gdb.no_ack = true;  // from here on neither side acks

    EXPECT_EQ(gdb.request("?"),
              "T05thread:1;1d:1d10000000000000;1f:0000084000000000;"
              "20:1010000000000000;21:c5030000;");
    EXPECT_EQ(gdb.request("g").size(), 268u * 2);
    EXPECT_EQ(gdb.request("m1000,4"), "030a1118");
    EXPECT_EQ(gdb.request("Z0,1010,4"), "OK");

    StopReason step;
    step.kind = StopKind::Signal;
    step.thread = 1;
    step.regs = Expedited{0x1014, 0x40080000, 0x1d, 0x3c5};
    target.stops.push_back(step);
    EXPECT_EQ(gdb.request("vCont;s:1"),
              "T05thread:1;1d:1d00000000000000;1f:0000084000000000;"
              "20:1410000000000000;21:c5030000;");

    StopReason hit;
    hit.kind = StopKind::SwBreak;
    hit.regs = Expedited{0x1010, 0x40080000, 0x1d, 0x3c5};
    target.stops.push_back(hit);
    EXPECT_TRUE(gdb.request("vCont;c").starts_with("T05swbreak:;thread:1;"));

    EXPECT_EQ(gdb.request("qTStatus"), "") << "unknown: empty reply";
    EXPECT_EQ(gdb.request("D"), "OK");
    EXPECT_EQ(finish(), SessionEnd::Detached);
    EXPECT_TRUE(target.detached);
    EXPECT_EQ(target.resumes.size(), 2u);
}

TEST_F(SessionTest, CtrlCStopsARunningTarget) {
    start();
    gdb.send("vCont;c");
    auto ack = gdb.next();
    ASSERT_TRUE(ack && ack->kind == Kind::Ack);
    EXPECT_FALSE(gdb.next(100ms)) << "running: no stop reply yet";
    gdb.send_raw("\x03");
    const std::string stop = gdb.reply();
    EXPECT_TRUE(stop.starts_with("T02thread:1;")) << stop;
    EXPECT_EQ(session->stats().interrupts, 1u);
    gdb.send_raw("$k#6b");
    EXPECT_EQ(finish(), SessionEnd::Killed);
    EXPECT_TRUE(target.killed);
}

TEST_F(SessionTest, FloodWhileRunningIsBounded) {
    start(SessionOptions{.max_pending = 8});
    gdb.send("vCont;c");
    ASSERT_EQ(gdb.next()->kind, Kind::Ack);
    for (int i = 0; i < 1000; ++i) gdb.send("qC");
    gdb.send_raw("\x03");
    EXPECT_TRUE(gdb.reply().starts_with("T02"));
    // At most max_pending queued packets are answered after the stop.
    int answered = 0;
    while (auto ev = gdb.next(200ms)) answered += ev->kind == Kind::Packet;
    EXPECT_LE(answered, 8);
    EXPECT_EQ(gdb.request("qC"), "QC1") << "the session still works";
}

TEST_F(SessionTest, BadChecksumIsNakedThenRetransmissionWorks) {
    start();
    gdb.send_raw("$m1000,4#00");
    auto nak = gdb.next();
    ASSERT_TRUE(nak);
    EXPECT_EQ(nak->kind, Kind::Nak);
    EXPECT_EQ(gdb.request("m1000,4"), "030a1118");
    EXPECT_EQ(session->stats().bad_checksums, 1u);
}

TEST_F(SessionTest, NakFromGdbResendsTheReply) {
    start();
    gdb.send("m1000,4");
    ASSERT_EQ(gdb.next()->kind, Kind::Ack);
    auto first = gdb.next();
    ASSERT_TRUE(first && first->kind == Kind::Packet);
    gdb.send_raw("-");
    auto again = gdb.next();
    ASSERT_TRUE(again && again->kind == Kind::Packet);
    EXPECT_EQ(again->payload, first->payload);
}

TEST_F(SessionTest, GarbageAndOversizedPacketsAreSurvived) {
    target.caps.packet_size = kMinPacketSize;
    start();
    gdb.send_raw("\xff\xfe garbage \r\n");
    gdb.send(std::string(1000, 'm'));
    auto nak = gdb.next();
    ASSERT_TRUE(nak);
    EXPECT_EQ(nak->kind, Kind::Nak);
    gdb.send_raw("$" + std::string(100000, 'a'));  // never terminated...
    gdb.send_raw("$");                             // ...then abandoned
    EXPECT_EQ(gdb.request("qC"), "QC1");
    EXPECT_EQ(session->stats().oversized, 1u);
}

TEST_F(SessionTest, RunLengthRepliesDecode) {
    start(SessionOptions{.run_length = true});
    target.write_memory(1, 0x1100, std::vector<uint8_t>(64, 0)).value();
    EXPECT_EQ(gdb.request("m1100,40"), std::string(128, '0'));
}

TEST_F(SessionTest, DisconnectDetachesTheTarget) {
    start();
    EXPECT_EQ(gdb.request("qC"), "QC1");
    gdb_end.close();
    EXPECT_EQ(finish(), SessionEnd::Disconnected);
    EXPECT_TRUE(target.detached);
}

TEST_F(SessionTest, DisconnectWhileRunningEndsTheWait) {
    start();
    gdb.send("vCont;c");
    ASSERT_EQ(gdb.next()->kind, Kind::Ack);
    gdb_end.close();
    EXPECT_EQ(finish(), SessionEnd::Disconnected);
}

TEST_F(SessionTest, IdleTimeout) {
    start(SessionOptions{.idle_timeout = 100ms});
    EXPECT_EQ(finish(), SessionEnd::IdleTimeout);
}

}  // namespace
}  // namespace gdb
