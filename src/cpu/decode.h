// The A64 decode table: one Encoding per line of the ARM ARM encoding index.
//
// A pattern is 32 characters, most significant bit first; spaces are ignored
// and only group the bits the way the manual's diagrams do. '0' and '1' are
// fixed bits; any other character is a field (the letter says which, e.g.
// "sf 0 0 100010 s iiiiiiiiiiii nnnnn ddddd"). mask/match are derived at
// compile time. A decoder turns the raw word into an Insn; the handler it
// installs reads only the Insn's typed fields.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "cpu/insn.h"

namespace cpu {

using DecodeFn = void (*)(uint32_t raw, Insn& out);

struct Encoding {
    std::string_view name;   // handler-style name, e.g. "ADD_imm"
    std::string_view title;  // ARM ARM title, e.g. "ADD (immediate)"
    std::string_view pattern;
    uint32_t mask;
    uint32_t match;
    DecodeFn decode;
};

consteval Encoding encoding(std::string_view name, std::string_view title,
                            std::string_view pattern, DecodeFn decode) {
    uint32_t mask = 0, match = 0;
    int n = 0;
    for (char c : pattern) {
        if (c == ' ') continue;
        mask <<= 1;
        match <<= 1;
        if (c == '0' || c == '1') {
            mask |= 1;
            match |= (c == '1');
        }
        ++n;
    }
    if (n != 32) throw "pattern must have 32 bits";
    return Encoding{name, title, pattern, mask, match, decode};
}

// Each encoding-index group contributes a table from its own file.
std::span<const Encoding> encodings_dp_imm();      // Data processing -- immediate
std::span<const Encoding> encodings_branch_sys();  // Branches, exception generating, system
std::span<const Encoding> encodings_loadstore();   // Loads and stores
std::span<const Encoding> encodings_dp_reg();      // Data processing -- register

// The whole table, most specific match first.
std::span<const Encoding* const> all_encodings();

// Finds the encoding for a word and decodes it; unallocated and
// unimplemented words decode to a handler that raises UNDEFINED.
void decode(uint32_t raw, Insn& out);
const Encoding* find_encoding(uint32_t raw);

// Handler for words that decode to nothing: UNDEFINED (EC 0x00) in the guest.
Flow exec_undefined(Cpu& cpu, const Insn& insn);

}  // namespace cpu
