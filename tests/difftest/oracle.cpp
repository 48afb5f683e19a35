#include "tests/difftest/oracle.h"

namespace difftest {

namespace {
// Filled as divergences are traced to Unicorn; see docs/oracle-exceptions.md.
constexpr OracleException kExceptions[] = {
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
