// Z / z type,addr,kind: insert and remove break- and watchpoints ("Packets").
// We never advertise ConditionalBreakpoints or BreakpointCommands, so a
// ";cond" suffix is malformed here.
#include "gdb/packet_fields.h"
#include "gdb/packets.h"

namespace gdb {

const char* breakpoint_type_name(BreakpointType t) {
    static constexpr const char* kNames[] = {"software breakpoint", "hardware breakpoint",
                                             "write watchpoint", "read watchpoint",
                                             "access watchpoint"};
    return kNames[static_cast<int>(t)];
}

Result<Breakpoint> parse_breakpoint(std::string_view packet) {
    if (packet.empty() || (packet[0] != 'Z' && packet[0] != 'z')) {
        return make_error(ErrorKind::Malformed, "expected Z or z", packet);
    }
    const auto type_rest = fields::split(packet.substr(1), ',');
    if (!type_rest) return make_error(ErrorKind::Malformed, "expected type,addr,kind", packet);
    auto type = fields::number(type_rest->first, "breakpoint type", packet, 8);
    if (!type) return type.error();
    if (type.value() > uint64_t(BreakpointType::AccessWatch)) {
        return make_error(ErrorKind::OutOfRange, "breakpoint type (0-4)", packet);
    }
    const auto addr_kind = fields::split(type_rest->second, ',');
    if (!addr_kind) return make_error(ErrorKind::Malformed, "expected type,addr,kind", packet);
    auto addr = fields::number(addr_kind->first, "address", packet);
    if (!addr) return addr.error();
    auto kind = fields::number(addr_kind->second, "kind", packet);
    if (!kind) return kind.error();
    return Breakpoint{packet[0] == 'Z', BreakpointType(type.value()), addr.value(), kind.value()};
}

}  // namespace gdb
