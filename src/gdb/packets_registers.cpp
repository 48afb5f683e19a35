// g / G / p / P: register access by gdb register number ("Packets").
#include <fmt/format.h>

#include "gdb/packet_fields.h"
#include "gdb/packets.h"

namespace gdb {

namespace {

// Register numbers beyond this are nonsense for any AArch64 description.
constexpr unsigned kRegnumBits = 16;

Result<std::vector<uint8_t>> register_bytes(std::string_view hex, std::string_view packet) {
    if (hex.empty()) return make_error(ErrorKind::Empty, "register value", packet);
    auto bytes = parse_hex_bytes(hex);
    if (!bytes) return make_error(bytes.error().kind, "register value", packet);
    return std::move(bytes.value());
}

}  // namespace

Result<WriteRegisters> parse_write_registers(std::string_view packet) {
    auto rest = fields::after_prefix(packet, "G");
    if (!rest) return rest.error();
    auto bytes = register_bytes(*rest, packet);
    if (!bytes) return bytes.error();
    return WriteRegisters{std::move(bytes.value())};
}

Result<ReadRegister> parse_read_register(std::string_view packet) {
    auto rest = fields::after_prefix(packet, "p");
    if (!rest) return rest.error();
    auto n = fields::number(*rest, "register number", packet, kRegnumBits);
    if (!n) return n.error();
    return ReadRegister{unsigned(n.value())};
}

Result<WriteRegister> parse_write_register(std::string_view packet) {
    auto rest = fields::after_prefix(packet, "P");
    if (!rest) return rest.error();
    const auto parts = fields::split(*rest, '=');
    if (!parts) return make_error(ErrorKind::Malformed, "expected P n=value", packet);
    auto n = fields::number(parts->first, "register number", packet, kRegnumBits);
    if (!n) return n.error();
    auto bytes = register_bytes(parts->second, packet);
    if (!bytes) return bytes.error();
    return WriteRegister{unsigned(n.value()), std::move(bytes.value())};
}

Result<std::monostate> parse_exact(std::string_view packet, std::string_view name) {
    if (packet != name) {
        return make_error(ErrorKind::Malformed, fmt::format("expected exactly '{}'", name), packet);
    }
    return std::monostate{};
}

}  // namespace gdb
