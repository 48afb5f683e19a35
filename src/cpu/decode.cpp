// Assembles the per-group tables into one lookup, most specific first.
#include "cpu/decode.h"

#include <algorithm>
#include <bit>
#include <vector>

#include "cpu/cpu.h"

namespace cpu {

namespace {
std::vector<const Encoding*> build_table() {
    std::vector<const Encoding*> all;
    for (auto group : {encodings_dp_imm(), encodings_branch_sys(), encodings_loadstore(),
                       encodings_dp_reg()})
        for (const Encoding& e : group) all.push_back(&e);
    // A more specific pattern (more fixed bits) wins over a general one it
    // overlaps; tests/cpu/decode_table_test.cpp checks that every other
    // overlap is declared.
    std::stable_sort(all.begin(), all.end(), [](const Encoding* a, const Encoding* b) {
        return std::popcount(a->mask) > std::popcount(b->mask);
    });
    return all;
}
}  // namespace

std::span<const Encoding* const> all_encodings() {
    static const std::vector<const Encoding*> table = build_table();
    return table;
}

const Encoding* find_encoding(uint32_t raw) {
    for (const Encoding* e : all_encodings())
        if ((raw & e->mask) == e->match) return e;
    return nullptr;
}

Flow UNDEFINED(Cpu& cpu, const Insn&) { return cpu.undefined(); }

void decode(uint32_t raw, Insn& out) {
    out = Insn{};
    out.raw = raw;
    if (const Encoding* e = find_encoding(raw)) e->decode(raw, out);
    if (!out.exec) {
        out.exec = UNDEFINED;
        out.ends_block = true;
    }
}

}  // namespace cpu
