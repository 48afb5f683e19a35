#include "gdb/hex.h"

#include <fmt/format.h>

namespace gdb {

const char* error_kind_name(ErrorKind k) {
    static constexpr const char* kNames[] = {"empty",    "odd length", "not hex",
                                             "overflow", "malformed",  "out of range"};
    return kNames[static_cast<int>(k)];
}

Error make_error(ErrorKind kind, std::string_view what, std::string_view input) {
    // Quote at most 64 characters: a hostile 16 KiB packet must not become
    // a 16 KiB log line.
    constexpr size_t kQuote = 64;
    std::string shown(input.substr(0, kQuote));
    if (input.size() > kQuote) shown += "...";
    return Error{kind, fmt::format("{}: {} in \"{}\"", what, error_kind_name(kind), shown)};
}

int hex_digit_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

Result<uint64_t> parse_hex_number(std::string_view text, unsigned max_bits) {
    if (text.empty()) return make_error(ErrorKind::Empty, "hex number", text);
    const uint64_t limit = max_bits >= 64 ? ~0ull : (1ull << max_bits) - 1;
    uint64_t value = 0;
    for (char c : text) {
        const int d = hex_digit_value(c);
        if (d < 0) return make_error(ErrorKind::NotHex, "hex number", text);
        // Check before shifting: the top nibble must be free.
        if (value > (limit >> 4)) return make_error(ErrorKind::Overflow, "hex number", text);
        value = (value << 4) | uint64_t(d);
        if (value > limit) return make_error(ErrorKind::Overflow, "hex number", text);
    }
    return value;
}

Result<std::vector<uint8_t>> parse_hex_bytes(std::string_view text) {
    if (text.size() % 2) return make_error(ErrorKind::OddLength, "hex bytes", text);
    std::vector<uint8_t> out;
    out.reserve(text.size() / 2);
    for (size_t i = 0; i < text.size(); i += 2) {
        const int hi = hex_digit_value(text[i]);
        const int lo = hex_digit_value(text[i + 1]);
        if (hi < 0 || lo < 0) return make_error(ErrorKind::NotHex, "hex bytes", text);
        out.push_back(uint8_t(hi << 4 | lo));
    }
    return out;
}

std::string hex_bytes(std::span<const uint8_t> bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (uint8_t b : bytes) {
        out += kDigits[b >> 4];
        out += kDigits[b & 0xf];
    }
    return out;
}

std::string hex_bytes(std::string_view text) {
    return hex_bytes(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

std::string hex_number(uint64_t value) { return fmt::format("{:x}", value); }

std::string hex_le(uint64_t value, unsigned size) {
    uint8_t bytes[8];
    for (unsigned i = 0; i < size && i < 8; ++i) bytes[i] = uint8_t(value >> (8 * i));
    return hex_bytes(std::span<const uint8_t>(bytes, size < 8 ? size : 8));
}

}  // namespace gdb
