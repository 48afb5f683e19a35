// Assembles the per-group tables into one lookup, most specific first, and
// indexes it by the word's top bits.
#include "cpu/decode.h"

#include <algorithm>
#include <array>
#include <bit>
#include <vector>

#include "cpu/cpu.h"

namespace cpu {

namespace {
std::vector<const Encoding*> build_table() {
    std::vector<const Encoding*> all;
    for (auto group : {encodings_dp_imm(), encodings_branch_sys(), encodings_loadstore(),
                       encodings_dp_reg(), encodings_fp_scalar(), encodings_simd_ls(),
                       encodings_simd_three(), encodings_simd_misc(), encodings_simd_shift(),
                       encodings_simd_indexed(), encodings_simd_copy(), encodings_simd_modimm(),
                       encodings_simd_permute(), encodings_crypto()})
        for (const Encoding& e : group) all.push_back(&e);
    // A more specific pattern (more fixed bits) wins over a general one it
    // overlaps; tests/cpu/decode_table_test.cpp checks that every other
    // overlap is declared.
    std::stable_sort(all.begin(), all.end(), [](const Encoding* a, const Encoding* b) {
        return std::popcount(a->mask) > std::popcount(b->mask);
    });
    return all;
}

// The index: bits [31:25] of the word, which hold op0 [28:25] of the
// top-level encoding table (C4.1, Table C4-1) and the bits above it that
// most classes fix (sf, op, S...). A bucket lists, in table order, every
// encoding whose fixed bits there agree with the bucket's key, so the first
// match in a bucket is the first match in the whole table.
constexpr unsigned kKeyShift = 25;
constexpr unsigned kBuckets = 1u << (32 - kKeyShift);

using Buckets = std::array<std::vector<const Encoding*>, kBuckets>;

Buckets build_buckets() {
    Buckets b;
    for (uint32_t key = 0; key < kBuckets; ++key) {
        const uint32_t word = key << kKeyShift;
        for (const Encoding* e : all_encodings()) {
            const uint32_t m = e->mask >> kKeyShift << kKeyShift;  // its fixed bits in the key
            if ((word & m) == (e->match & m)) b[key].push_back(e);
        }
    }
    return b;
}
}  // namespace

std::span<const Encoding* const> all_encodings() {
    static const std::vector<const Encoding*> table = build_table();
    return table;
}

const Encoding* find_encoding(uint32_t raw) {
    static const Buckets buckets = build_buckets();
    for (const Encoding* e : buckets[raw >> kKeyShift])
        if ((raw & e->mask) == e->match) return e;
    return nullptr;
}

Flow UNDEFINED(Cpu& cpu, const Insn&) { return cpu.undefined(); }

void decode(uint32_t raw, const Features& pe, Insn& out) {
    out = Insn{};
    out.raw = raw;
    if (const Encoding* e = find_encoding(raw); e && pe.has(e->feature)) e->decode(raw, out);
    if (!out.exec) {
        out.exec = UNDEFINED;
        out.ends_block = true;
    }
}

}  // namespace cpu
