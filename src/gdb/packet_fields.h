// Field splitting shared by the packet parsers (internal to src/gdb).
#pragma once

#include <optional>
#include <string_view>
#include <utility>

#include "gdb/hex.h"
#include "gdb/result.h"

namespace gdb::fields {

// "m1000,4" with prefix "m" -> "1000,4"; an error if the prefix is missing.
Result<std::string_view> after_prefix(std::string_view packet, std::string_view prefix);

// Split at the first `sep`; nullopt if there is none.
std::optional<std::pair<std::string_view, std::string_view>> split(std::string_view text, char sep);

// "addr,length" as two hex numbers.
Result<std::pair<uint64_t, uint64_t>> addr_length(std::string_view text, std::string_view packet);

// A hex field, with the whole packet named in the error.
Result<uint64_t> number(std::string_view text, std::string_view what, std::string_view packet,
                        unsigned max_bits = 64);

}  // namespace gdb::fields
