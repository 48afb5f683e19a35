// m / M / X / Z / z handlers.
#include <vector>

#include "gdb/hex.h"
#include "gdb/stub.h"

namespace gdb {

namespace {

// A range that runs past the top of the address space never reaches the
// target, so no Target has to get "addr + len" overflow right.
bool wraps(uint64_t addr, uint64_t length) { return length && addr + (length - 1) < addr; }

}  // namespace

Reply Stub::read_memory(std::string_view packet) {
    auto req = parse_memory_read(packet);
    if (!req) return malformed(req.error());
    // Two hex digits per byte must fit our own packet size; gdb accepts a
    // short read and asks again for the rest.
    const uint64_t max = (caps_.packet_size - 4) / 2;
    std::vector<uint8_t> buf(req->length < max ? req->length : max);
    if (buf.empty()) return Reply{""};  // nothing to read: do not bother the target
    if (wraps(req->addr, buf.size())) return error(TargetError::Fault);
    auto n = target_->read_memory(resolve(general_thread_), req->addr, buf);
    if (!n) return error(n.error());
    if (n.value() == 0 && !buf.empty()) return error(TargetError::Fault);
    return Reply{hex_bytes(std::span(buf).first(n.value() < buf.size() ? n.value() : buf.size()))};
}

Reply Stub::write_memory_hex(std::string_view packet) {
    auto req = parse_memory_write_hex(packet);
    if (!req) return malformed(req.error());
    if (req->bytes.empty()) return okay();
    if (wraps(req->addr, req->bytes.size())) return error(TargetError::Fault);
    const Status s = target_->write_memory(resolve(general_thread_), req->addr, req->bytes);
    return s ? okay() : error(s.error());
}

Reply Stub::write_memory_binary(std::string_view packet) {
    auto req = parse_memory_write_binary(packet);
    if (!req) return malformed(req.error());
    // "X addr,0:" is gdb probing whether X works: answer OK, touch nothing.
    if (req->bytes.empty()) return okay();
    if (wraps(req->addr, req->bytes.size())) return error(TargetError::Fault);
    const Status s = target_->write_memory(resolve(general_thread_), req->addr, req->bytes);
    return s ? okay() : error(s.error());
}

Reply Stub::breakpoint(std::string_view packet) {
    auto req = parse_breakpoint(packet);
    if (!req) return malformed(req.error());
    const Status s = req->insert ? target_->insert_breakpoint(req->type, req->addr, req->kind)
                                 : target_->remove_breakpoint(req->type, req->addr, req->kind);
    return s ? okay() : error(s.error());
}

}  // namespace gdb
