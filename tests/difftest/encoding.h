// The difftest's own description of A64 encodings, written from the ARM ARM
// (DDI 0487 K.a, C4.1 "A64 instruction set encoding") independently of
// src/cpu's decode table, so the test can catch that table's mistakes.
//
// A pattern has 32 bit characters, most significant first; spaces group bits
// like the manual's diagrams. '0'/'1' are fixed; a letter names a field,
// which must be contiguous. Letters are local to a pattern.
#pragma once

#include <array>
#include <span>
#include <cstdint>
#include <string_view>

namespace difftest {

class Builder;
struct Fields;

// Fills the fields of one instruction (or a short group) under the
// constraints that keep the test meaningful; false if it cannot here.
using GenFn = bool (*)(Builder&, Fields&);

struct Form {
    std::string_view group;    // e.g. "addsub"
    std::string_view name;     // ARM ARM title, e.g. "ADD (immediate)"
    std::string_view pattern;
    GenFn gen;
};

// A pattern parsed once: fixed bits plus each letter's bit position.
struct Pattern {
    uint32_t fixed = 0;
    std::array<uint8_t, 128> lsb{};
    std::array<uint8_t, 128> width{};
};

// Parses a pattern; throws std::invalid_argument on a malformed one.
Pattern parse_pattern(std::string_view p);

struct Fields {
    const Form* form = nullptr;
    std::array<uint32_t, 128> v{};
    uint32_t& operator[](char c) { return v[uint8_t(c)]; }
    uint32_t operator[](char c) const { return v[uint8_t(c)]; }
};

// Packs the fields into the instruction word; a value wider than its field
// throws (a generator bug, not a CPU bug).
uint32_t assemble(const Pattern& p, const Fields& f);

// Every form the generator knows, grouped like the manual's encoding index.
std::span<const Form> all_forms();
const Pattern* pattern_of(const Form* f);

}  // namespace difftest
