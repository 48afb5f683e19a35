// Where Unicorn is wrong and the ARM ARM decides: each entry names a
// documented case in docs/oracle-exceptions.md. An entry either keeps the
// case out of the test (exclude) or gives Unicorn an instruction with the
// same single-PE architectural effect (substitute), so stepvisor still runs
// the original.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "tests/difftest/encoding.h"

namespace difftest {

class Builder;

struct OracleException {
    std::string_view id;   // the heading in docs/oracle-exceptions.md
    bool (*applies)(const Fields& f);
    // nullptr: exclude the instruction; otherwise the word Unicorn runs.
    uint32_t (*substitute)(const Fields& f, uint32_t word);
};

std::span<const OracleException> oracle_exceptions();

// True if an exclude entry applies to this instruction.
bool oracle_excluded(Builder& b, const Fields& f);
// The word Unicorn runs for this instruction (usually `word` itself).
uint32_t oracle_word(const Fields& f, uint32_t word);

}  // namespace difftest
