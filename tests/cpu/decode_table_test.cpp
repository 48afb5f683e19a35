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
        for (char c : e->pattern) {
            if (c == ' ') continue;
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

// The checker itself: it must fail on each kind of violation.
void no_decode(uint32_t, Insn&) {}
constexpr Encoding kA = encoding("A", "A", "0000 0000 0000 0000 0000 0000 0000 xxxx", no_decode);
constexpr Encoding kB = encoding("B", "B", "0000 0000 0000 0000 0000 0000 0000 1xxx", no_decode);
constexpr Encoding kC = encoding("C", "C", "0000 0000 0000 0000 0000 0000 0000 xxx1", no_decode);
constexpr Encoding kD = encoding("D", "D", "1111 0000 0000 0000 0000 0000 0000 xxxx", no_decode);

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
