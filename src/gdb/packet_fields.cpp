#include "gdb/packet_fields.h"

#include <fmt/format.h>

namespace gdb::fields {

Result<std::string_view> after_prefix(std::string_view packet, std::string_view prefix) {
    if (!packet.starts_with(prefix)) {
        return make_error(ErrorKind::Malformed, fmt::format("expected '{}' packet", prefix),
                          packet);
    }
    return packet.substr(prefix.size());
}

std::optional<std::pair<std::string_view, std::string_view>> split(std::string_view text,
                                                                   char sep) {
    const size_t at = text.find(sep);
    if (at == std::string_view::npos) return std::nullopt;
    return std::pair{text.substr(0, at), text.substr(at + 1)};
}

Result<uint64_t> number(std::string_view text, std::string_view what, std::string_view packet,
                        unsigned max_bits) {
    auto n = parse_hex_number(text, max_bits);
    if (!n) return make_error(n.error().kind, what, packet);
    return n.value();
}

Result<std::pair<uint64_t, uint64_t>> addr_length(std::string_view text, std::string_view packet) {
    const auto parts = split(text, ',');
    if (!parts) return make_error(ErrorKind::Malformed, "expected addr,length", packet);
    auto addr = number(parts->first, "address", packet);
    if (!addr) return addr.error();
    auto length = number(parts->second, "length", packet);
    if (!length) return length.error();
    return std::pair{addr.value(), length.value()};
}

}  // namespace gdb::fields
