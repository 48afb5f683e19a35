// g / G / p / P handlers: register values travel as little-endian hex of
// the register's size (target byte order).
#include <fmt/format.h>

#include "gdb/hex.h"
#include "gdb/stub.h"

namespace gdb {

// An unavailable register is "xx" per byte ("Packets", 'g'), not an error.
Result<std::string, TargetError> Stub::register_hex(uint32_t thread, const RegisterInfo& r) {
    auto v = target_->read_register(thread, r.regnum);
    if (v && v->bytes().size() != r.bytes()) return TargetError::Failed;  // a target bug
    if (v) return hex_bytes(v->bytes());
    if (v.error() == TargetError::Unavailable) return std::string(r.bytes() * 2, 'x');
    return v.error();
}

Reply Stub::read_registers(std::string_view) {
    const uint32_t thread = resolve(general_thread_);
    std::string out;
    out.reserve(regs_.core_bytes() * 2);
    for (const RegisterInfo& r : regs_.core()) {
        auto hex = register_hex(thread, r);
        if (!hex) return error(hex.error());
        out += hex.value();
    }
    return Reply{std::move(out)};
}

Reply Stub::write_registers(std::string_view packet) {
    auto req = parse_write_registers(packet);
    if (!req) return malformed(req.error());
    if (req->bytes.size() != regs_.core_bytes()) {
        return malformed(make_error(ErrorKind::Malformed,
                                    fmt::format("G with {} bytes, core registers take {}",
                                                req->bytes.size(), regs_.core_bytes()),
                                    packet));
    }
    const uint32_t thread = resolve(general_thread_);
    std::span<const uint8_t> rest(req->bytes);
    for (const RegisterInfo& r : regs_.core()) {
        const Status s = target_->write_register(thread, r.regnum, rest.first(r.bytes()));
        if (!s) return error(s.error());
        rest = rest.subspan(r.bytes());
    }
    return okay();
}

Reply Stub::read_register(std::string_view packet) {
    auto req = parse_read_register(packet);
    if (!req) return malformed(req.error());
    const RegisterInfo* r = regs_.find(req->regnum);
    if (!r) return error(TargetError::BadRegister);
    auto hex = register_hex(resolve(general_thread_), *r);
    if (!hex) return error(hex.error());
    return Reply{std::move(hex.value())};
}

Reply Stub::write_register(std::string_view packet) {
    auto req = parse_write_register(packet);
    if (!req) return malformed(req.error());
    const RegisterInfo* r = regs_.find(req->regnum);
    if (!r) return error(TargetError::BadRegister);
    if (req->bytes.size() != r->bytes()) {
        return malformed(make_error(ErrorKind::Malformed,
                                    fmt::format("{} is {} bytes", r->name, r->bytes()), packet));
    }
    const Status s = target_->write_register(resolve(general_thread_), r->regnum, req->bytes);
    return s ? okay() : error(s.error());
}

}  // namespace gdb
