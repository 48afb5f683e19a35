// The translation tier a test runs its guests under, from the environment:
// ctest registers the step matrix and the gdb step traces twice, with
// STEPVISOR_TEST_JIT=off and STEPVISOR_TEST_JIT=on (tests/CMakeLists.txt,
// tests/gdbpeer/CMakeLists.txt; tests/peer/qemu_peer.sh reads it too).
// Unset, a test keeps stepvisor's default (on where the host has the tier).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace stepvisor::test {

// "on", "off", or "" when unset; another value fails the test that asks.
inline std::string test_jit() {
    const char* v = std::getenv("STEPVISOR_TEST_JIT");
    const std::string jit = v ? v : "";
    if (jit != "" && jit != "on" && jit != "off") {
        ADD_FAILURE() << "STEPVISOR_TEST_JIT='" << jit << "' is not on or off";
        return "";
    }
    return jit;
}

}  // namespace stepvisor::test
