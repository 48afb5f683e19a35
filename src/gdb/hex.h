// Hex numbers and hex byte strings as the remote protocol spells them:
// lower- or upper-case digits, no "0x", numbers big-endian in text, byte
// strings in target (memory) order.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gdb/result.h"

namespace gdb {

// Value of one hex digit, or -1.
int hex_digit_value(char c);

// A number of at most `max_bits` bits, e.g. "7fff" or "00001000"; leading
// zeros never overflow, but an empty string, a non-hex character or a value
// wider than max_bits is an error.
Result<uint64_t> parse_hex_number(std::string_view text, unsigned max_bits = 64);

// "0a1b" -> {0x0a, 0x1b}. Odd length and non-hex characters are errors.
Result<std::vector<uint8_t>> parse_hex_bytes(std::string_view text);

// {0x0a, 0x1b} -> "0a1b" (lower case, as gdbserver sends).
std::string hex_bytes(std::span<const uint8_t> bytes);
std::string hex_bytes(std::string_view text);  // qRcmd output, monitor text

// A number as gdb expects it in stop replies and thread lists: no leading
// zeros, lower case.
std::string hex_number(uint64_t value);

// `value` as `size` little-endian bytes in hex: AArch64 register contents in
// target byte order ("g", "p", expedited registers).
std::string hex_le(uint64_t value, unsigned size);

}  // namespace gdb
