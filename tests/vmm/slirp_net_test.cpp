// The --nic user backend with the real libslirp, the test playing the
// guest: frames crafted here go in (DHCP, ARP), slirp's answers are parsed;
// host sockets (a port forward) wake the VMM through the FdWaker, and TCP's
// timers and slirp's own (router advertisements) count guest virtual time,
// not the host's.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "tests/loopback.h"
#include "vmm/slirp_net.h"

namespace vmm {
namespace {

using Frame = std::vector<uint8_t>;

constexpr uint8_t kGuestMac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
constexpr uint16_t kEtherIpv4 = 0x0800, kEtherArp = 0x0806;
constexpr uint8_t kProtoTcp = 6, kProtoUdp = 17;
// Offsets in an Ethernet frame carrying IPv4 without options.
constexpr size_t kEth = 14, kIp = kEth, kL4 = kIp + 20;

void put16(Frame& f, size_t at, uint16_t v) { f[at] = uint8_t(v >> 8), f[at + 1] = uint8_t(v); }
void put32(Frame& f, size_t at, uint32_t v) {
    put16(f, at, uint16_t(v >> 16)), put16(f, at + 2, uint16_t(v));
}
uint16_t get16(const Frame& f, size_t at) { return uint16_t(f[at] << 8 | f[at + 1]); }
uint32_t get32(const Frame& f, size_t at) {
    return uint32_t(get16(f, at)) << 16 | get16(f, at + 2);
}

// The Internet checksum (RFC 1071) of f[at, at + n).
uint16_t checksum(const Frame& f, size_t at, size_t n) {
    uint32_t sum = 0;
    for (size_t i = 0; i < n; i += 2)
        sum += uint32_t(f[at + i] << 8 | (i + 1 < n ? f[at + i + 1] : 0));
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return uint16_t(~sum);
}

Frame ethernet(const uint8_t (&dst)[6], uint16_t type, size_t payload) {
    Frame f(kEth + payload);
    std::copy(dst, dst + 6, f.begin());
    std::copy(kGuestMac, kGuestMac + 6, f.begin() + 6);
    put16(f, 12, type);
    return f;
}

// A UDP datagram from the guest (UDP checksum 0: none, as IPv4 allows).
Frame udp(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport, size_t payload) {
    static constexpr uint8_t kBroadcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    Frame f = ethernet(kBroadcast, kEtherIpv4, 20 + 8 + payload);
    f[kIp] = 0x45;
    put16(f, kIp + 2, uint16_t(20 + 8 + payload));
    f[kIp + 8] = 64;
    f[kIp + 9] = kProtoUdp;
    put32(f, kIp + 12, src);
    put32(f, kIp + 16, dst);
    put16(f, kIp + 10, checksum(f, kIp, 20));
    put16(f, kL4, sport);
    put16(f, kL4 + 2, dport);
    put16(f, kL4 + 4, uint16_t(8 + payload));
    return f;
}

// BOOTP (RFC 951) with DHCP's magic cookie and options (RFC 2132).
constexpr size_t kBootp = kL4 + 8, kOptions = kBootp + 240;
constexpr uint32_t kXid = 0x5e1f0001;

Frame dhcp(uint8_t type, uint32_t requested) {
    Frame f = udp(0, 0xffffffff, 68, 67, 240 + 312);  // slirp wants the full vend area
    f[kBootp] = 1;                                    // BOOTREQUEST
    f[kBootp + 1] = 1;                                // Ethernet
    f[kBootp + 2] = 6;
    put32(f, kBootp + 4, kXid);
    std::copy(kGuestMac, kGuestMac + 6, f.begin() + kBootp + 28);
    put32(f, kBootp + 236, 0x63825363);
    size_t o = kOptions;
    f[o++] = 53, f[o++] = 1, f[o++] = type;
    if (requested) {
        f[o++] = 50, f[o++] = 4;
        put32(f, o, requested);
        o += 4;
    }
    f[o] = 255;
    return f;
}

// DHCP option `code` of a reply, empty if absent.
Frame dhcp_option(const Frame& f, uint8_t code) {
    for (size_t o = kOptions; o + 1 < f.size() && f[o] != 255;) {
        if (f[o] == 0) {
            ++o;
            continue;
        }
        if (f[o] == code) return Frame(f.begin() + long(o) + 2, f.begin() + long(o) + 2 + f[o + 1]);
        o += 2 + f[o + 1];
    }
    return {};
}

bool is_ipv4(const Frame& f, uint8_t proto) {
    return f.size() >= kL4 + 8 && get16(f, 12) == kEtherIpv4 && f[kIp + 9] == proto;
}
bool is_tcp_syn_to(const Frame& f, uint16_t port) {
    return is_ipv4(f, kProtoTcp) && f.size() >= kL4 + 20 && get16(f, kL4 + 2) == port &&
           (f[kL4 + 13] & 0x12) == 0x02;  // SYN without ACK
}

uint16_t free_port(int type) {
    uint16_t port = 0;
    const int s = stepvisor::test::bind_loopback(type, port);
    EXPECT_GE(s, 0);
    if (s >= 0) close(s);
    return port;
}

sockaddr_in loopback(uint16_t port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

struct SlirpNetTest : ::testing::Test {
    uint16_t tcp_port = free_port(SOCK_STREAM), udp_port = free_port(SOCK_DGRAM);
    std::unique_ptr<SlirpNet> net;
    std::vector<Frame> frames;  // to the guest
    uint64_t guest_ns = 1'000'000'000;
    std::mutex mutex;
    std::condition_variable cv;
    int kicks = 0;

    void SetUp() override {
        auto spec = parse_nic_spec(
            fmt::format("user,hostfwd=tcp::{}-:80,hostfwd=udp::{}-:7", tcp_port, udp_port));
        ASSERT_TRUE(spec);
        auto n = SlirpNet::create(spec.value(), [](std::string_view) {});
        ASSERT_TRUE(n) << n.error().message;
        net = std::move(n.value());
        virtio::Host host;
        host.guest_ns = [this] { return guest_ns; };
        host.kick = [this] {
            std::lock_guard lock(mutex);
            ++kicks;
            cv.notify_all();
        };
        net->connect(
            host, [this](std::span<const uint8_t> f) { frames.emplace_back(f.begin(), f.end()); });
    }
    // What the VMM does when the waker kicked after `trigger`: poll. False
    // if no kick came.
    bool poll_after_kick(const std::function<void()>& trigger) {
        std::unique_lock lock(mutex);
        const int before = kicks;
        lock.unlock();
        trigger();
        lock.lock();
        if (!cv.wait_for(lock, std::chrono::seconds(5), [&] { return kicks > before; }))
            return false;
        lock.unlock();
        net->poll();
        return true;
    }
    // DISCOVER, OFFER, REQUEST, ACK: slirp then knows the guest's MAC.
    void lease() {
        net->send(dhcp(1, 0));
        net->send(dhcp(3, kUserDhcpStart));
        ASSERT_EQ(frames.size(), 2u);
        frames.clear();
    }
    // A kick after `trigger` and the poll after it, until a frame `pred`
    // likes came, at most `polls` times.
    template <typename Pred>
    bool poll_until(Pred pred, int polls, const std::function<void()>& trigger) {
        for (int i = 0; i < polls; ++i) {
            if (!poll_after_kick(trigger)) return false;
            if (std::any_of(frames.begin(), frames.end(), pred)) return true;
        }
        return false;
    }
};

TEST_F(SlirpNetTest, DhcpDiscoverIsAnsweredAtOnceWithAnOfferOfTheFirstLease) {
    net->send(dhcp(1, 0));
    ASSERT_EQ(frames.size(), 1u);  // during send: no poll needed
    const Frame& offer = frames[0];
    ASSERT_TRUE(is_ipv4(offer, kProtoUdp));
    // From slirp's gateway MAC (52:55 and the gateway's address).
    EXPECT_EQ(Frame(offer.begin() + 6, offer.begin() + 12), (Frame{0x52, 0x55, 10, 0, 2, 2}));
    EXPECT_EQ(get16(offer, kL4), 67);
    EXPECT_EQ(get16(offer, kL4 + 2), 68);
    EXPECT_EQ(offer[kBootp], 2);  // BOOTREPLY
    EXPECT_EQ(get32(offer, kBootp + 4), kXid);
    EXPECT_EQ(get32(offer, kBootp + 16), 0x0a00020fu);  // yiaddr 10.0.2.15
    EXPECT_EQ(dhcp_option(offer, 53), Frame{2});        // DHCPOFFER
    EXPECT_EQ(dhcp_option(offer, 54), (Frame{10, 0, 2, 2}));
    EXPECT_EQ(dhcp_option(offer, 1), (Frame{255, 255, 255, 0}));
    EXPECT_EQ(dhcp_option(offer, 3), (Frame{10, 0, 2, 2}));
    EXPECT_EQ(dhcp_option(offer, 6), (Frame{10, 0, 2, 3}));
}

TEST_F(SlirpNetTest, ArpForTheGatewayIsAnswered) {
    static constexpr uint8_t kBroadcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    Frame arp = ethernet(kBroadcast, kEtherArp, 28);
    put16(arp, kEth, 1);           // Ethernet
    put16(arp, kEth + 2, 0x0800);  // IPv4
    arp[kEth + 4] = 6, arp[kEth + 5] = 4;
    put16(arp, kEth + 6, 1);  // request
    std::copy(kGuestMac, kGuestMac + 6, arp.begin() + kEth + 8);
    put32(arp, kEth + 14, kUserDhcpStart);
    put32(arp, kEth + 24, kUserHost);
    net->send(arp);
    ASSERT_EQ(frames.size(), 1u);
    const Frame& reply = frames[0];
    ASSERT_GE(reply.size(), kEth + 28);
    EXPECT_EQ(get16(reply, 12), kEtherArp);
    EXPECT_EQ(get16(reply, kEth + 6), 2);  // reply
    EXPECT_EQ(get32(reply, kEth + 14), kUserHost);
    EXPECT_EQ(get32(reply, kEth + 24), kUserDhcpStart);
}

TEST_F(SlirpNetTest, AHostConnectionToAForwardedPortWakesTheVmmAndReachesTheGuest) {
    lease();
    const int s = socket(AF_INET, SOCK_STREAM, 0);
    const sockaddr_in a = loopback(tcp_port);
    EXPECT_TRUE(poll_until(
        [](const Frame& f) { return is_tcp_syn_to(f, 80); }, 5,
        [&] { ASSERT_EQ(connect(s, reinterpret_cast<const sockaddr*>(&a), sizeof a), 0); }))
        << "no SYN to the guest's port 80";
    const auto syn = std::find_if(frames.begin(), frames.end(),
                                  [](const Frame& f) { return is_tcp_syn_to(f, 80); });
    if (syn != frames.end()) {
        EXPECT_EQ(get32(*syn, kIp + 12), kUserHost);
        EXPECT_EQ(get32(*syn, kIp + 16), kUserDhcpStart);
    }
    close(s);
}

TEST_F(SlirpNetTest, TcpRetransmitsWhenGuestTimePassesNotHostTime) {
    lease();
    const int s = socket(AF_INET, SOCK_STREAM, 0);
    const sockaddr_in a = loopback(tcp_port);
    auto syn = [](const Frame& f) { return is_tcp_syn_to(f, 80); };
    ASSERT_TRUE(poll_until(syn, 1, [&] {
        ASSERT_EQ(connect(s, reinterpret_cast<const sockaddr*>(&a), sizeof a), 0);
    }));
    frames.clear();
    // Datagrams to the forwarded UDP port make slirp's socket readable: each
    // one is a kick and a poll, milliseconds of host time apart.
    const int u = socket(AF_INET, SOCK_DGRAM, 0);
    const sockaddr_in ua = loopback(udp_port);
    auto datagram = [&] {
        ASSERT_EQ(sendto(u, "x", 1, 0, reinterpret_cast<const sockaddr*>(&ua), sizeof ua), 1);
    };
    // The guest's clock stands still: no retransmission however often slirp
    // polls, for a second of host time.
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (std::chrono::steady_clock::now() < end) ASSERT_TRUE(poll_after_kick(datagram));
    EXPECT_FALSE(std::any_of(frames.begin(), frames.end(), syn));
    // Half a second of guest time per poll (slirp's slow timer): the SYN's
    // retransmission timer (some seconds) runs out within a few host
    // milliseconds.
    frames.clear();
    EXPECT_TRUE(poll_until(syn, 40, [&] {
        guest_ns += 500'000'000;
        datagram();
    })) << "no SYN retransmitted after 20 s of guest time";
    close(u);
    close(s);
}

TEST_F(SlirpNetTest, RouterAdvertisementsComeWhenGuestTimeReachesSlirpsTimer) {
    // slirp's RA timer is due 200 to 600 s after start (RFC 4861's
    // MaxRtrAdvInterval); host time does not matter, only guest time.
    auto is_ra = [](const Frame& f) {
        return f.size() >= kEth + 41 && get16(f, 12) == 0x86dd && f[kIp + 6] == 58 &&
               f[kIp + 40] == 134;  // ICMPv6 router advertisement
    };
    net->poll();
    EXPECT_FALSE(std::any_of(frames.begin(), frames.end(), is_ra));
    guest_ns += 600'000'000'000;
    net->poll();
    ASSERT_TRUE(std::any_of(frames.begin(), frames.end(), is_ra));
    // The timer is armed again for later, not for now.
    frames.clear();
    net->poll();
    EXPECT_FALSE(std::any_of(frames.begin(), frames.end(), is_ra));
}

TEST_F(SlirpNetTest, AForwardThatCannotListenNamesItself) {
    auto spec =
        parse_nic_spec(fmt::format("user,hostfwd=tcp::{}-:22", tcp_port));  // taken by SetUp
    ASSERT_TRUE(spec);
    auto n = SlirpNet::create(spec.value(), [](std::string_view) {});
    ASSERT_FALSE(n);
    EXPECT_NE(n.error().message.find(fmt::format("hostfwd=tcp::{}-:22", tcp_port)),
              std::string::npos)
        << n.error().message;
    EXPECT_NE(n.error().message.find(fmt::format("127.0.0.1:{}", tcp_port)), std::string::npos);
}

}  // namespace
}  // namespace vmm
