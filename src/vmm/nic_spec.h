// `--nic none` and `--nic user[,hostfwd=RULE]...`, QEMU's -nic spelling: no
// network card, or a virtio-net card on QEMU's user network (libslirp,
// slirp_net.h), with host ports forwarded to the guest. A RULE is
// [tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT; HOSTADDR defaults to
// 127.0.0.1 (QEMU binds every address), GUESTADDR to 10.0.2.15.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kvm/result.h"

namespace vmm {

// QEMU's user network (its -nic user defaults); addresses in host byte order.
inline constexpr uint32_t kUserNetwork = 0x0a000200;  // 10.0.2.0/24
inline constexpr uint32_t kUserNetmask = 0xffffff00;
inline constexpr uint32_t kUserHost = 0x0a000202;       // 10.0.2.2: gateway, and the host
inline constexpr uint32_t kUserDns = 0x0a000203;        // 10.0.2.3
inline constexpr uint32_t kUserDhcpStart = 0x0a00020f;  // 10.0.2.15: the first lease
inline constexpr uint32_t kLoopback = 0x7f000001;       // 127.0.0.1
// Its IPv6 side: the prefix fec0::/64, the host fec0::2, DNS fec0::3.
inline constexpr uint8_t kUserPrefix6Len = 64;
inline constexpr const char* kUserPrefix6 = "fec0::";
inline constexpr const char* kUserHost6 = "fec0::2";
inline constexpr const char* kUserDns6 = "fec0::3";

struct HostForward {
    bool udp = false;
    uint32_t host_addr = kLoopback;
    uint16_t host_port = 0;
    uint32_t guest_addr = kUserDhcpStart;
    uint16_t guest_port = 0;
    std::string rule;  // as written, for messages
};

struct NicSpec {
    bool user = false;  // false: --nic none
    std::vector<HostForward> forwards;
};

// Errors name the text and what is accepted.
kvm::Result<NicSpec> parse_nic_spec(std::string_view text);

}  // namespace vmm
