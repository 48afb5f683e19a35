#include "tests/difftest/oracle.h"

namespace difftest {

namespace {

// LDSMAX/LDSMIN (and STSMAX/STSMIN) on bytes, halfwords and words: Unicorn
// compares zero-extended 64-bit values instead of signed datasize-bit ones.
// The fault group's forms too: with --mmu some fault-window accesses complete.
bool lse_signed_minmax_subword(const Fields& f) {
    return (f.form->group == "atomic" || f.form->group == "fault") &&
           f.form->pattern.find('O') != std::string_view::npos &&
           f['O'] == 0 && (f['p'] == 4 || f['p'] == 5) && f['z'] < 3;
}

// Entries by id, as in docs/oracle-exceptions.md; the last is a sentinel.
constexpr OracleException kExceptions[] = {
    {"lse-minmax-subword", lse_signed_minmax_subword, nullptr},
    {"", nullptr, nullptr},
};

}  // namespace

std::span<const OracleException> oracle_exceptions() {
    return std::span(kExceptions).first(std::size(kExceptions) - 1);  // drop the sentinel
}

bool oracle_excluded(Builder&, const Fields& f) {
    for (const OracleException& e : oracle_exceptions())
        if (!e.substitute && e.applies(f)) return true;
    return false;
}

uint32_t oracle_word(const Fields& f, uint32_t word) {
    for (const OracleException& e : oracle_exceptions())
        if (e.substitute && e.applies(f)) return e.substitute(f, word);
    return word;
}

}  // namespace difftest
