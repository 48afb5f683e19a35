// --nic as QEMU's -nic spells it: none, user, and user's hostfwd rules with
// their defaults (127.0.0.1 on the host, 10.0.2.15 in the guest); every
// error names the text.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "vmm/nic_spec.h"

namespace vmm {
namespace {

TEST(NicSpec, NoneAndUser) {
    auto none = parse_nic_spec("none");
    ASSERT_TRUE(none);
    EXPECT_FALSE(none.value().user);
    auto user = parse_nic_spec("user");
    ASSERT_TRUE(user);
    EXPECT_TRUE(user.value().user);
    EXPECT_TRUE(user.value().forwards.empty());
}

TEST(NicSpec, HostForwardDefaultsToLoopbackAndTheFirstLease) {
    auto s = parse_nic_spec("user,hostfwd=tcp::8080-:80");
    ASSERT_TRUE(s);
    ASSERT_EQ(s.value().forwards.size(), 1u);
    const HostForward& f = s.value().forwards[0];
    EXPECT_FALSE(f.udp);
    EXPECT_EQ(f.host_addr, 0x7f000001u);
    EXPECT_EQ(f.host_port, 8080);
    EXPECT_EQ(f.guest_addr, 0x0a00020fu);
    EXPECT_EQ(f.guest_port, 80);
    EXPECT_EQ(f.rule, "tcp::8080-:80");
}

TEST(NicSpec, AddressesProtocolsAndSeveralRules) {
    auto s = parse_nic_spec("user,hostfwd=udp:0.0.0.0:5353-10.0.2.16:53,hostfwd=::2222-:22");
    ASSERT_TRUE(s);
    ASSERT_EQ(s.value().forwards.size(), 2u);
    const HostForward& a = s.value().forwards[0];
    EXPECT_TRUE(a.udp);
    EXPECT_EQ(a.host_addr, 0u);
    EXPECT_EQ(a.host_port, 5353);
    EXPECT_EQ(a.guest_addr, 0x0a000210u);
    EXPECT_EQ(a.guest_port, 53);
    const HostForward& b = s.value().forwards[1];
    EXPECT_FALSE(b.udp);  // no protocol: tcp, as QEMU
    EXPECT_EQ(b.host_port, 2222);
    EXPECT_EQ(b.guest_port, 22);
}

TEST(NicSpec, ErrorsNameTheTextAndTheFault) {
    const std::pair<const char*, const char*> bad[] = {
        {"", "unknown network type ''"},
        {"tap", "unknown network type 'tap'"},
        {"user,", "unknown option ''"},
        {"user,net=10.0.3.0/24", "unknown option 'net=10.0.3.0/24'"},
        {"user,hostfwd", "unknown option 'hostfwd'"},
        {"user,hostfwd=sctp::1-:2", "protocol 'sctp'"},
        {"user,hostfwd=8080", "no protocol"},
        {"user,hostfwd=tcp::8080:80", "no '-'"},
        {"user,hostfwd=tcp:8080-80", "a side without ADDR:PORT"},
        {"user,hostfwd=tcp::0-:80", "host port '0'"},
        {"user,hostfwd=tcp::65536-:80", "host port '65536'"},
        {"user,hostfwd=tcp::80-:8x", "guest port '8x'"},
        {"user,hostfwd=tcp:localhost:80-:80", "host address 'localhost'"},
        {"user,hostfwd=tcp::80-10.0.2:80", "guest address '10.0.2'"},
    };
    for (const auto& [text, why] : bad) {
        auto s = parse_nic_spec(text);
        ASSERT_FALSE(s) << text;
        EXPECT_NE(s.error().message.find(fmt::format("'{}'", text)), std::string::npos)
            << s.error().message;
        EXPECT_NE(s.error().message.find(why), std::string::npos) << s.error().message;
    }
}

}  // namespace
}  // namespace vmm
