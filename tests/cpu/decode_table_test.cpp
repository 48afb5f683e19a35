// The A64 decode table as data (STYLE: "Test the table"): every pattern is 32
// bits whose fixed bits are its mask/match; names are unique; two encodings
// that can match one word must either be a strict refinement of each other
// (the more specific one wins: decode.cpp sorts by fixed-bit count) or be
// declared below with the winner first; a declared overlap that no longer
// exists, or no longer needs declaring, is stale and fails too.
#include <gtest/gtest.h>

#include <array>
#include <map>
#include <string>
#include <vector>

#include "cpu/decode.h"

namespace cpu::test {
namespace {

// An intended overlap that is not a strict refinement: `winner` decodes the
// common words. Entries name the reason.
struct DeclaredOverlap {
    std::string_view winner, loser, why;
};

// None in the current table; entries are {"WINNER", "LOSER", "reason"}.
constexpr std::array<DeclaredOverlap, 0> kDeclaredOverlaps{};

bool declared_winner(std::string_view w, std::string_view l) {
    for (const auto& d : kDeclaredOverlaps)
        if (d.winner == w && d.loser == l) return true;
    return false;
}

bool compatible(const Encoding& a, const Encoding& b) {
    return ((a.match ^ b.match) & a.mask & b.mask) == 0;
}
bool strictly_refines(const Encoding& a, const Encoding& b) {  // a more specific than b
    return a.mask != b.mask && (a.mask & b.mask) == b.mask;
}

// The overlap rules over a table in decode order; returns one message per
// violation, naming the encodings.
std::vector<std::string> overlap_errors(std::span<const Encoding* const> table,
                                        std::span<const DeclaredOverlap> declared) {
    std::vector<std::string> errors;
    std::map<std::string_view, size_t> index;
    for (size_t i = 0; i < table.size(); ++i) index[table[i]->name] = i;
    auto is_declared = [&](std::string_view w, std::string_view l) {
        for (const auto& d : declared)
            if (d.winner == w && d.loser == l) return true;
        return false;
    };
    for (size_t i = 0; i < table.size(); ++i) {
        for (size_t j = i + 1; j < table.size(); ++j) {
            const Encoding& a = *table[i];
            const Encoding& b = *table[j];
            if (!compatible(a, b)) continue;
            if (strictly_refines(a, b)) continue;  // a is earlier and wins
            if (strictly_refines(b, a)) {
                errors.push_back(std::string(b.name) + " refines " + std::string(a.name) +
                                 " but decodes after it");
                continue;
            }
            if (!is_declared(a.name, b.name))
                errors.push_back("undeclared overlap: " + std::string(a.name) + " / " +
                                 std::string(b.name));
        }
    }
    for (const auto& d : declared) {
        const auto w = index.find(d.winner), l = index.find(d.loser);
        if (w == index.end() || l == index.end()) {
            errors.push_back("stale declared overlap (no such encoding): " +
                             std::string(d.winner) + " / " + std::string(d.loser));
            continue;
        }
        const Encoding& a = *table[w->second];
        const Encoding& b = *table[l->second];
        if (!compatible(a, b) || strictly_refines(a, b) || strictly_refines(b, a))
            errors.push_back("stale declared overlap: " + std::string(d.winner) + " / " +
                             std::string(d.loser));
        else if (w->second > l->second)
            errors.push_back("declared winner decodes second: " + std::string(d.winner));
    }
    return errors;
}

TEST(DecodeTable, EveryPatternHas32BitsMatchingMaskAndMatch) {
    for (const Encoding* e : all_encodings()) {
        uint32_t mask = 0, match = 0;
        int n = 0;
        const std::string_view p = e->pattern;
        for (size_t i = 0; i < p.size(); ++i) {
            const char c = p[i];
            // "x=01": x names the fixed bits after it; neither is a bit.
            if (c == ' ' || c == '=' || (i + 1 < p.size() && p[i + 1] == '=')) continue;
            mask = mask << 1 | (c == '0' || c == '1');
            match = match << 1 | (c == '1');
            ++n;
        }
        EXPECT_EQ(n, 32) << e->name;
        EXPECT_EQ(mask, e->mask) << e->name;
        EXPECT_EQ(match, e->match) << e->name;
        EXPECT_EQ(e->match & ~e->mask, 0u) << e->name;
        EXPECT_NE(e->decode, nullptr) << e->name;
    }
}

TEST(DecodeTable, NamesAreUnique) {
    std::map<std::string_view, int> seen;
    for (const Encoding* e : all_encodings()) EXPECT_EQ(seen[e->name]++, 0) << e->name;
}

TEST(DecodeTable, OverlapsAreRefinementsOrDeclared) {
    for (const std::string& err : overlap_errors(all_encodings(), kDeclaredOverlaps))
        ADD_FAILURE() << err;
}

// Every encoding's own words decode to it or to an encoding that refines it.
TEST(DecodeTable, EachEncodingDecodesItsWords) {
    for (const Encoding* e : all_encodings()) {
        for (uint32_t fill : {0u, ~0u, 0x5A5A5A5Au, 0xA5A5A5A5u}) {
            const uint32_t word = e->match | (fill & ~e->mask);
            const Encoding* got = find_encoding(word);
            ASSERT_NE(got, nullptr) << e->name;
            EXPECT_TRUE(got == e || strictly_refines(*got, *e) ||
                        declared_winner(got->name, e->name))
                << std::hex << word << " " << e->name << " decoded as " << got->name;
        }
    }
}

// The look-up through the index finds what a scan of the whole table in
// decode order finds, for every encoding's words and for arbitrary words.
const Encoding* find_by_scan(uint32_t raw) {
    for (const Encoding* e : all_encodings())
        if ((raw & e->mask) == e->match) return e;
    return nullptr;
}

TEST(DecodeTable, IndexedLookupAgreesWithAScan) {
    for (const Encoding* e : all_encodings())
        for (uint32_t fill : {0u, ~0u, 0x5A5A5A5Au, 0xA5A5A5A5u, 0x12345678u}) {
            const uint32_t word = e->match | (fill & ~e->mask);
            EXPECT_EQ(find_encoding(word), find_by_scan(word)) << std::hex << word;
        }
    uint32_t x = 1;
    for (int i = 0; i < 200000; ++i) {
        x = x * 1664525u + 1013904223u;  // LCG: covers every top-bits bucket
        ASSERT_EQ(find_encoding(x), find_by_scan(x)) << std::hex << x;
    }
}

// Fields derived from a pattern at compile time (decode.h).
constexpr Pattern kAdd{"f 0 0 100010 s iiiiiiiiiiii nnnnn ddddd"};
static_assert(kAdd.mask() == 0x7F800000u && kAdd.match() == 0x11000000u);
static_assert(kAdd.has('n') && !kAdd.has('m'));
static_assert(kAdd.field('n').nruns == 1 && kAdd.field('n').runs[0].lo == 5 &&
              kAdd.field('n').width == 5);
constexpr Word<kAdd> kAddWord{0x91448c83u};  // add x3, x4, #0x123, lsl #12
static_assert(field<'d'>(kAddWord) == 3 && field<'n'>(kAddWord) == 4);
static_assert(field<'i'>(kAddWord) == 0x123 && field<'s'>(kAddWord) == 1);
// A field's fixed bits ("z=1z") are part of it, and do not widen the mask's
// holes; a field fixed entirely is a constant.
constexpr Pattern kLdur{"z=1z 111 0 00 o=01 0 iiiiiiiii 00 nnnnn ttttt"};
static_assert(kLdur.mask() == 0xBFE00C00u && kLdur.match() == 0xB8400000u);
static_assert(field<'z'>(Word<kLdur>{0xf85f8020u}) == 3);  // ldur x0, [x1, #-8]
static_assert(field<'o'>(Word<kLdur>{0}) == 1);
static_assert(sfield<'i'>(Word<kLdur>{0xf85f8020u}) == -8);
// A letter in two runs concatenates them, most significant first (b5:b40).
constexpr Pattern kTbz{"b 011011 x=0 bbbbb iiiiiiiiiiiiii ttttt"};
static_assert(kTbz.field('b').nruns == 2);
static_assert(field<'b'>(Word<kTbz>{0xb6f80041u}) == 63);  // tbz x1, #63, .+8
static_assert(sfield<'i'>(Word<kTbz>{0xb6f80041u}) == 2);

// The checker itself: it must fail on each kind of violation.
template <Pattern P>
void no_decode(Word<P>, Insn&) {}
constexpr Encoding kA = encoding<"0000 0000 0000 0000 0000 0000 0000 xxxx", no_decode>("A", "A");
constexpr Encoding kB = encoding<"0000 0000 0000 0000 0000 0000 0000 1xxx", no_decode>("B", "B");
constexpr Encoding kC = encoding<"0000 0000 0000 0000 0000 0000 0000 xxx1", no_decode>("C", "C");
constexpr Encoding kD = encoding<"1111 0000 0000 0000 0000 0000 0000 xxxx", no_decode>("D", "D");

TEST(DecodeTableChecker, RefinementInOrderIsAllowed) {
    const Encoding* t[] = {&kB, &kA};
    EXPECT_TRUE(overlap_errors(t, {}).empty());
}

TEST(DecodeTableChecker, UndeclaredPartialOverlapFailsByName) {
    const Encoding* t[] = {&kB, &kC};  // 0b1xx1 matches both
    const auto errors = overlap_errors(t, {});
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0], "undeclared overlap: B / C");
    const DeclaredOverlap ok[] = {{"B", "C", "test"}};
    EXPECT_TRUE(overlap_errors(t, ok).empty());
}

TEST(DecodeTableChecker, StaleDeclarationFails) {
    const Encoding* t[] = {&kB, &kD};  // disjoint
    const DeclaredOverlap stale[] = {{"B", "D", "test"}};
    const auto errors = overlap_errors(t, stale);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0], "stale declared overlap: B / D");
    const DeclaredOverlap missing[] = {{"B", "Gone", "test"}};
    EXPECT_EQ(overlap_errors(t, missing).size(), 1u);
}

TEST(DecodeTableChecker, RefinementDecodedSecondFails) {
    const Encoding* t[] = {&kA, &kB};
    EXPECT_EQ(overlap_errors(t, {}).size(), 1u);
}

}  // namespace
}  // namespace cpu::test
