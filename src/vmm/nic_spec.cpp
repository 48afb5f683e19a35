#include "vmm/nic_spec.h"

#include <arpa/inet.h>

#include <charconv>
#include <optional>

#include <fmt/format.h>

namespace vmm {

namespace {

// The text before the first `sep` (all of it if none), and the rest after it.
std::pair<std::string_view, std::optional<std::string_view>> split(std::string_view text,
                                                                   char sep) {
    const size_t at = text.find(sep);
    if (at == std::string_view::npos) return {text, std::nullopt};
    return {text.substr(0, at), text.substr(at + 1)};
}

std::optional<uint16_t> parse_port(std::string_view text) {
    unsigned v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v == 0 ||
        v > 65535)
        return std::nullopt;
    return uint16_t(v);
}

// A dotted IPv4 address, or `fallback` when empty.
std::optional<uint32_t> parse_addr(std::string_view text, uint32_t fallback) {
    if (text.empty()) return fallback;
    in_addr a{};
    if (inet_pton(AF_INET, std::string(text).c_str(), &a) != 1) return std::nullopt;
    return ntohl(a.s_addr);
}

// [tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT; the error says what
// is wrong with it.
kvm::Result<HostForward> parse_forward(std::string_view rule) {
    HostForward f;
    f.rule = std::string(rule);
    auto [proto, after_proto] = split(rule, ':');
    if (!after_proto) return kvm::Error{"no protocol"};
    if (proto == "udp")
        f.udp = true;
    else if (!proto.empty() && proto != "tcp")
        return kvm::Error{fmt::format("protocol '{}' (tcp or udp)", proto)};
    auto [host, guest] = split(*after_proto, '-');
    if (!guest) return kvm::Error{"no '-' between the host and the guest side"};
    auto [host_addr, host_port] = split(host, ':');
    auto [guest_addr, guest_port] = split(*guest, ':');
    if (!host_port || !guest_port) return kvm::Error{"a side without ADDR:PORT"};
    auto ha = parse_addr(host_addr, kLoopback), ga = parse_addr(guest_addr, kUserDhcpStart);
    if (!ha) return kvm::Error{fmt::format("host address '{}'", host_addr)};
    if (!ga) return kvm::Error{fmt::format("guest address '{}'", guest_addr)};
    auto hp = parse_port(*host_port), gp = parse_port(*guest_port);
    if (!hp) return kvm::Error{fmt::format("host port '{}' (1 to 65535)", *host_port)};
    if (!gp) return kvm::Error{fmt::format("guest port '{}' (1 to 65535)", *guest_port)};
    f.host_addr = *ha;
    f.host_port = *hp;
    f.guest_addr = *ga;
    f.guest_port = *gp;
    return f;
}

}  // namespace

kvm::Result<NicSpec> parse_nic_spec(std::string_view text) {
    auto fail = [&](std::string_view why) {
        return kvm::Error{
            fmt::format("invalid --nic '{}': {} (accepted: none, user, "
                        "user,hostfwd=[tcp|udp]:[HOSTADDR]:HOSTPORT-"
                        "[GUESTADDR]:GUESTPORT,...)",
                        text, why)};
    };
    NicSpec spec;
    if (text == "none") return spec;
    auto [kind, rest] = split(text, ',');
    if (kind != "user") return fail(fmt::format("unknown network type '{}'", kind));
    spec.user = true;
    while (rest) {
        auto [option, next] = split(*rest, ',');
        rest = next;
        auto [key, value] = split(option, '=');
        if (key != "hostfwd" || !value) return fail(fmt::format("unknown option '{}'", option));
        auto f = parse_forward(*value);
        if (!f) return fail(fmt::format("hostfwd '{}': {}", *value, f.error().message));
        spec.forwards.push_back(f.value());
    }
    return spec;
}

}  // namespace vmm
