// m / M / X: memory access ("Packets"). X carries raw bytes; framing has already
// undone its '}' escapes.
#include "gdb/packet_fields.h"
#include "gdb/packets.h"

namespace gdb {

Result<MemoryRead> parse_memory_read(std::string_view packet) {
    auto rest = fields::after_prefix(packet, "m");
    if (!rest) return rest.error();
    auto al = fields::addr_length(*rest, packet);
    if (!al) return al.error();
    return MemoryRead{al->first, al->second};
}

namespace {

// "addr,length:data" -> the address, the declared length and the data text.
struct WriteFields {
    uint64_t addr;
    uint64_t length;
    std::string_view data;
};

Result<WriteFields> write_fields(std::string_view packet, std::string_view prefix) {
    auto rest = fields::after_prefix(packet, prefix);
    if (!rest) return rest.error();
    const auto parts = fields::split(*rest, ':');
    if (!parts) return make_error(ErrorKind::Malformed, "expected addr,length:data", packet);
    auto al = fields::addr_length(parts->first, packet);
    if (!al) return al.error();
    return WriteFields{al->first, al->second, parts->second};
}

Result<MemoryWrite> checked_length(MemoryWrite w, uint64_t declared, std::string_view packet) {
    if (w.bytes.size() != declared) {
        return make_error(ErrorKind::Malformed, "data length differs from the declared length",
                          packet);
    }
    return w;
}

}  // namespace

Result<MemoryWrite> parse_memory_write_hex(std::string_view packet) {
    auto f = write_fields(packet, "M");
    if (!f) return f.error();
    auto bytes = parse_hex_bytes(f->data);
    if (!bytes) return make_error(bytes.error().kind, "memory data", packet);
    return checked_length(MemoryWrite{f->addr, std::move(bytes.value())}, f->length, packet);
}

Result<MemoryWrite> parse_memory_write_binary(std::string_view packet) {
    auto f = write_fields(packet, "X");
    if (!f) return f.error();
    std::vector<uint8_t> bytes(f->data.begin(), f->data.end());
    return checked_length(MemoryWrite{f->addr, std::move(bytes)}, f->length, packet);
}

}  // namespace gdb
