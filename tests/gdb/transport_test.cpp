// Transports: the in-memory pipe and TCP (one connection at a time,
// timeouts, the non-loopback warning).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <future>

#include "gdb/server.h"
#include "tests/gdb/fake_target.h"

using namespace std::chrono_literals;

namespace gdb {
namespace {

TEST(PipeTransport, CarriesBytesBothWaysAndTimesOut) {
    auto [a, b] = make_pipe();
    ASSERT_TRUE(a->write("hello"));
    std::array<uint8_t, 16> buf;
    EXPECT_EQ(b->read(buf, 100ms).value(), 5u);
    EXPECT_EQ(std::string(buf.begin(), buf.begin() + 5), "hello");
    EXPECT_EQ(b->read(buf, 10ms).value(), 0u) << "timeout: no bytes";
    ASSERT_TRUE(b->write("x"));
    EXPECT_EQ(a->read(buf, 100ms).value(), 1u);
}

TEST(PipeTransport, CloseIsSeenByBothEnds) {
    auto [a, b] = make_pipe();
    ASSERT_TRUE(a->write("z"));
    a->close();
    std::array<uint8_t, 16> buf;
    EXPECT_EQ(b->read(buf, 10ms).value(), 1u) << "queued bytes still arrive";
    EXPECT_EQ(b->read(buf, 10ms).error(), TransportError::Closed);
    EXPECT_EQ(b->write("y").error(), TransportError::Closed);
}

}  // namespace
}  // namespace gdb

namespace gdb {
namespace {

TEST(TcpTransport, ServesOneConnectionThenTheNext) {
    auto listener = TcpListener::listen("127.0.0.1", 0);
    ASSERT_TRUE(listener) << listener.error().message;
    ASSERT_NE(listener->port(), 0);
    test::FakeTarget target;
    auto stub = Stub::create(target);
    ASSERT_TRUE(stub);
    for (int round = 0; round < 2; ++round) {
        auto served = std::async(std::launch::async,
                                 [&] { return serve_one(listener.value(), stub.value(), 5s); });
        // A minimal client over a raw socket: connect, ask qC, detach.
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in sa{};
        sa.sin_family = AF_INET;
        sa.sin_port = htons(listener->port());
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
        const std::string req = encode_packet("qC") + "+" + encode_packet("D");
        ASSERT_EQ(::send(fd, req.data(), req.size(), 0), ssize_t(req.size()));
        ASSERT_EQ(served.wait_for(5s), std::future_status::ready);
        const auto end = served.get();
        ASSERT_TRUE(end) << end.error().message;
        EXPECT_EQ(end.value(), SessionEnd::Detached);
        std::string got(256, '\0');
        const ssize_t n = ::recv(fd, got.data(), got.size(), 0);
        got.resize(n > 0 ? size_t(n) : 0);
        EXPECT_NE(got.find(encode_packet("QC1")), std::string::npos) << got;
        ::close(fd);
    }
}

TEST(TcpTransport, WriteToAPeerThatNeverReadsTimesOut) {
    auto listener = TcpListener::listen("127.0.0.1", 0);
    ASSERT_TRUE(listener);
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(listener->port());
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
    auto conn = listener->accept(1s, 100ms);
    ASSERT_TRUE(conn);
    // Far more than the socket buffers hold; the client reads nothing.
    const std::vector<uint8_t> big(64 << 20, 'x');
    const auto start = std::chrono::steady_clock::now();
    const auto r = conn.value()->write(big);
    EXPECT_FALSE(r);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
    ::close(fd);
}

TEST(TcpTransport, AcceptTimesOut) {
    auto listener = TcpListener::listen("localhost", 0);
    ASSERT_TRUE(listener);
    const auto conn = listener->accept(10ms);
    ASSERT_FALSE(conn);
    EXPECT_NE(conn.error().message.find("no gdb connected"), std::string::npos);
}

TEST(TcpTransport, BadAddressesAreErrors) {
    EXPECT_FALSE(TcpListener::listen("not-an-address", 0));
    EXPECT_FALSE(TcpListener::listen("999.1.1.1", 0));
    EXPECT_TRUE(is_loopback("127.0.0.1"));
    EXPECT_TRUE(is_loopback("localhost"));
    EXPECT_FALSE(is_loopback("0.0.0.0"));
    EXPECT_FALSE(is_loopback("10.0.0.1"));
}

TEST(TcpTransport, LoopbackSaysWhereItListensWithoutAWarning) {
    ::testing::internal::CaptureStderr();
    auto listener = TcpListener::listen("127.0.0.1", 0);
    const std::string err = ::testing::internal::GetCapturedStderr();
    ASSERT_TRUE(listener) << listener.error().message;
    EXPECT_NE(err.find("gdb: listening on 127.0.0.1:" + std::to_string(listener->port())),
              std::string::npos)
        << err;
    EXPECT_EQ(err.find("warning"), std::string::npos) << err;
}

TEST(TcpTransport, NonLoopbackPrintsAWarning) {
    ::testing::internal::CaptureStderr();
    auto listener = TcpListener::listen("0.0.0.0", 0);
    const std::string err = ::testing::internal::GetCapturedStderr();
    ASSERT_TRUE(listener) << listener.error().message;
    EXPECT_NE(err.find("no authentication"), std::string::npos) << err;
}

}  // namespace
}  // namespace gdb
