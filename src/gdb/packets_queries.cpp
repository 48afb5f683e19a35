// General queries: qSupported, qXfer:…:read, qRcmd, qAttached ("General Query Packets").
#include "gdb/packet_fields.h"
#include "gdb/packets.h"

namespace gdb {

namespace {

Result<Feature> feature(std::string_view text, std::string_view packet) {
    if (text.empty()) return make_error(ErrorKind::Empty, "qSupported feature", packet);
    if (const auto kv = fields::split(text, '=')) {
        if (kv->first.empty()) {
            return make_error(ErrorKind::Malformed, "qSupported feature", packet);
        }
        return Feature{std::string(kv->first), '=', std::string(kv->second)};
    }
    const char state = text.back();
    if ((state != '+' && state != '-' && state != '?') || text.size() < 2) {
        return make_error(ErrorKind::Malformed, "qSupported feature (name+, name-, name?, name=v)",
                          packet);
    }
    return Feature{std::string(text.substr(0, text.size() - 1)), state, {}};
}

}  // namespace

Result<Supported> parse_supported(std::string_view packet) {
    if (packet == "qSupported") return Supported{};
    auto rest = fields::after_prefix(packet, "qSupported:");
    if (!rest) return rest.error();
    Supported s;
    std::string_view todo = *rest;
    while (true) {
        const auto parts = fields::split(todo, ';');
        auto f = feature(parts ? parts->first : todo, packet);
        if (!f) return f.error();
        s.features.push_back(std::move(f.value()));
        if (!parts) break;
        todo = parts->second;
    }
    return s;
}

Result<XferRead> parse_xfer_read(std::string_view packet) {
    auto rest = fields::after_prefix(packet, "qXfer:");
    if (!rest) return rest.error();
    const auto object = fields::split(*rest, ':');
    if (!object || object->first.empty()) {
        return make_error(ErrorKind::Malformed, "qXfer object", packet);
    }
    const auto op = fields::split(object->second, ':');
    if (!op || op->first != "read") {
        return make_error(ErrorKind::Malformed, "qXfer operation (read)", packet);
    }
    // The annex may itself be empty; offset,length follow the last ':'.
    const size_t colon = op->second.rfind(':');
    if (colon == std::string_view::npos) {
        return make_error(ErrorKind::Malformed, "expected annex:offset,length", packet);
    }
    auto al = fields::addr_length(op->second.substr(colon + 1), packet);
    if (!al) return al.error();
    return XferRead{std::string(object->first), std::string(op->second.substr(0, colon)), al->first,
                    al->second};
}

Result<MonitorCommand> parse_monitor(std::string_view packet) {
    auto rest = fields::after_prefix(packet, "qRcmd,");
    if (!rest) return rest.error();
    auto bytes = parse_hex_bytes(*rest);
    if (!bytes) return make_error(bytes.error().kind, "monitor command", packet);
    return MonitorCommand{std::string(bytes->begin(), bytes->end())};
}

Result<std::monostate> parse_attached(std::string_view packet) {
    if (packet == "qAttached") return std::monostate{};
    auto rest = fields::after_prefix(packet, "qAttached:");
    if (!rest) return rest.error();
    auto pid = fields::number(*rest, "process id", packet);
    if (!pid) return pid.error();
    return std::monostate{};
}

}  // namespace gdb
