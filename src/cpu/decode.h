// The A64 decode table: one Encoding per line of the ARM ARM encoding index
// (DDI 0487 K.a, C4.1 "A64 instruction set encoding").
//
// A pattern is 32 bit characters, most significant bit first; spaces are
// ignored and only group the bits the way the manual's diagrams do. '0' and
// '1' are fixed bits; a letter is a bit of the field it names
// ("sf 0 0 100010 s iiiiiiiiiiii nnnnn ddddd"). A letter followed by '='
// names the fixed bits after it as that field's: "z=1z" is a size field
// whose bit 31 is fixed at 1, "o=01" an opc field fixed at 01, so one
// decoder serves every row of a class. A letter's bits concatenate most
// significant first (TBZ's b5:b40 is "b ... bbbbb").
//
// Mask, match and every field's position are derived at compile time from
// the row's pattern: the row's decoder is a template on it and reads fields
// with field<'n'>(w), which does not compile for a letter the pattern lacks,
// so a row and its decoder cannot disagree (as dynarmic's a64.inc and
// QEMU's decodetree derive them). The handler a decoder installs reads only
// the Insn's named fields.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "cpu/features.h"
#include "cpu/insn.h"

namespace cpu {

// Where a field's bits lie: up to kMaxRuns contiguous runs, most
// significant first, and which of its bits the pattern fixes.
struct FieldPos {
    static constexpr unsigned kMaxRuns = 3;
    struct Run {
        uint8_t lo = 0, width = 0;
    };
    Run runs[kMaxRuns] = {};
    unsigned nruns = 0, width = 0;
    uint32_t fixed_mask = 0, fixed_value = 0;  // in field bit positions
};

// Reached only while checking a malformed pattern at compile time: it is not
// constexpr, so evaluation stops at the call, and the error names it.
void malformed_pattern(const char* why);

// A pattern as a structural type, so it can be a template argument:
// encoding<"…", decoder>(…) and the decoder's Word<P>.
template <size_t N>
struct Pattern {
    char text[N] = {};
    consteval Pattern(const char (&s)[N]) {
        for (size_t i = 0; i < N; ++i) text[i] = s[i];
        if (bits() != 32) malformed_pattern("a pattern has 32 bits");
    }
    constexpr std::string_view view() const { return {text, N - 1}; }
    static constexpr bool is_letter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
    // Calls f(bit, c, owner) for each bit from 31 down: c is '0', '1' or a
    // letter; owner is the field a fixed bit belongs to ("x=01"), or 0.
    template <typename F> consteval void each_bit(F f) const {
        int bit = 31;
        char owner = 0;
        for (size_t i = 0; i + 1 < N; ++i) {
            const char c = text[i];
            if (c == '=') continue;
            if (i + 1 < N - 1 && text[i + 1] == '=') {
                if (!is_letter(c)) malformed_pattern("'=' follows a field letter");
                owner = c;
                continue;
            }
            if (c != '0' && c != '1') owner = 0;
            if (c == ' ') continue;
            if (c != '0' && c != '1' && !is_letter(c))
                malformed_pattern("a bit is 0, 1 or a letter");
            f(bit--, c, owner);
        }
    }
    consteval int bits() const {
        int n = 0;
        each_bit([&](int, char, char) { ++n; });
        return n;
    }
    consteval uint32_t mask() const {
        uint32_t m = 0;
        each_bit([&](int b, char c, char) { m |= uint32_t(c == '0' || c == '1') << b; });
        return m;
    }
    consteval uint32_t match() const {
        uint32_t m = 0;
        each_bit([&](int b, char c, char) { m |= uint32_t(c == '1') << b; });
        return m;
    }
    consteval bool has(char name) const {
        bool found = false;
        each_bit([&](int, char c, char owner) { found |= c == name || owner == name; });
        return found;
    }
    consteval FieldPos field(char name) const {
        FieldPos f;
        int prev = -2;
        each_bit([&](int b, char c, char owner) {
            const bool mine = c == name || owner == name;
            if (!mine) return;
            if (b != prev - 1) {
                if (f.nruns == FieldPos::kMaxRuns) malformed_pattern("too many runs in one field");
                f.runs[f.nruns++] = {uint8_t(b), 0};
            }
            FieldPos::Run& r = f.runs[f.nruns - 1];
            r.lo = uint8_t(b);
            ++r.width;
            f.fixed_mask <<= 1;
            f.fixed_value <<= 1;
            if (owner == name) {
                f.fixed_mask |= 1;
                f.fixed_value |= uint32_t(c == '1');
            }
            ++f.width;
            prev = b;
        });
        return f;
    }
};

// The word a row matched, typed by the row's pattern.
template <Pattern P>
struct Word {
    uint32_t raw;
};

// Field `name` of w, zero-extended; a compile error when P has no such
// field. A field the row fixes entirely is a constant.
template <char Name, Pattern P>
constexpr uint32_t field(Word<P> w) {
    static_assert(P.has(Name), "the row's pattern has no field with this letter");
    constexpr FieldPos f = P.field(Name);
    if constexpr (f.fixed_mask == (f.width == 32 ? ~0u : (1u << f.width) - 1)) {
        return f.fixed_value;
    } else {
        uint32_t v = 0;
        for (unsigned i = 0; i < f.nruns; ++i)
            v = (v << f.runs[i].width) | ((w.raw >> f.runs[i].lo) & ((1u << f.runs[i].width) - 1));
        return v;
    }
}

// Field `name` of w, sign-extended from its top bit.
template <char Name, Pattern P>
constexpr int64_t sfield(Word<P> w) {
    constexpr unsigned width = P.field(Name).width;
    const uint64_t v = field<Name>(w);
    return int64_t(v << (64 - width)) >> (64 - width);
}

using DecodeFn = void (*)(uint32_t raw, Insn& out);

struct Encoding {
    std::string_view name;   // handler-style name, e.g. "ADD_imm"
    std::string_view title;  // ARM ARM title, e.g. "ADD (immediate)"
    std::string_view pattern;
    uint32_t mask;
    uint32_t match;
    DecodeFn decode;
    // The optional feature the encoding belongs to: a PE without it decodes
    // the row's words as UNDEFINED (decode()).
    Feature feature = Feature::None;

    // The row, tagged: encoding<"…", decode_CAS>("CAS", "CAS").needs(Feature::LSE).
    constexpr Encoding needs(Feature f) const {
        Encoding e = *this;
        e.feature = f;
        return e;
    }
};

namespace detail {
template <Pattern P, void (*D)(Word<P>, Insn&)>
void decode_as(uint32_t raw, Insn& out) { D(Word<P>{raw}, out); }
}  // namespace detail

// A table row: its pattern and its decoder, a template on that pattern
// (deduced: encoding<"…", decode_ADD<false>>(…) instantiates decode_ADD for
// this row's pattern).
template <Pattern P, void (*D)(Word<P>, Insn&)>
consteval Encoding encoding(std::string_view name, std::string_view title) {
    return Encoding{name, title, P.view(), P.mask(), P.match(), &detail::decode_as<P, D>};
}

// UNDEFINED (EC 0x00 in the guest): the handler of a word no row matches,
// of an encoding this PE does not implement, and of a reserved field value
// (a decoder that installs no handler leaves the word UNDEFINED).
Flow UNDEFINED(Cpu& cpu, const Insn& insn);

// The decoder of a row whose encoding raises UNDEFINED.
template <Pattern P>
void decode_UNDEFINED(Word<P>, Insn& out) {
    out.exec = UNDEFINED;
    out.ends_block = true;
}

// Each encoding-index group contributes a table from its own file.
std::span<const Encoding> encodings_dp_imm();      // Data processing -- immediate
std::span<const Encoding> encodings_branch_sys();  // Branches, exception generating, system
std::span<const Encoding> encodings_loadstore();   // Loads and stores
std::span<const Encoding> encodings_dp_reg();      // Data processing -- register
// Data processing -- scalar floating-point and Advanced SIMD, and the
// SIMD&FP loads and stores, split by class families:
std::span<const Encoding> encodings_fp_scalar();      // FP data processing, compare, select, conversions
std::span<const Encoding> encodings_simd_ls();        // SIMD&FP loads and stores
std::span<const Encoding> encodings_simd_three();     // three same / three different (vector, scalar)
std::span<const Encoding> encodings_simd_misc();      // two-reg misc, across lanes, scalar pairwise
std::span<const Encoding> encodings_simd_shift();     // shift by immediate (vector, scalar)
std::span<const Encoding> encodings_simd_indexed();   // x indexed element (vector, scalar)
std::span<const Encoding> encodings_simd_copy();      // copy (vector, scalar)
std::span<const Encoding> encodings_simd_modimm();    // modified immediate
std::span<const Encoding> encodings_simd_permute();   // table lookup, permute, extract
std::span<const Encoding> encodings_crypto();         // Cryptographic AES, SHA

// The whole table, most specific match first.
std::span<const Encoding* const> all_encodings();

// Finds the encoding for a word (the first match in all_encodings() order,
// through an index by the word's top bits) and decodes it; a word no row
// matches, or whose row needs a feature `pe` lacks, decodes to UNDEFINED.
void decode(uint32_t raw, const Features& pe, Insn& out);
const Encoding* find_encoding(uint32_t raw);

}  // namespace cpu
