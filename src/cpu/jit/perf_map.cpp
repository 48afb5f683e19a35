// perf's map file for JIT code (tools/perf/Documentation/jit-interface.txt):
// one "START SIZE NAME" line, in hex, per block of generated code, in
// /tmp/perf-PID.map. Blocks are named by their guest IPA, the code they
// share stepvisor:stubs.
#include <unistd.h>

#include <atomic>
#include <cinttypes>
#include <cstdio>
#include <mutex>

#include "cpu/cpu.h"
#include "cpu/jit/code_cache.h"

namespace cpu {

namespace {
std::atomic<bool> perf_map_on{false};
}  // namespace

void set_jit_perf_map(bool on) { perf_map_on = on; }
bool jit_perf_map() { return perf_map_on; }

namespace jit {

// Cpus on several threads share the process's one file: lines are written
// whole under a lock, and flushed so perf sees them while the guest runs.
void perf_map_add(const void* start, size_t size, const char* name) {
    if (!perf_map_on) return;
    static std::mutex lock;
    static FILE* file = nullptr;
    const std::lock_guard<std::mutex> hold(lock);
    if (!file) {
        char path[64];
        std::snprintf(path, sizeof path, "/tmp/perf-%d.map", int(getpid()));
        file = std::fopen(path, "a");
        if (!file) return;
    }
    std::fprintf(file, "%" PRIxPTR " %zx %s\n", uintptr_t(start), size, name);
    std::fflush(file);
}

void perf_map_add(const void* start, size_t size, uint64_t ipa) {
    if (!perf_map_on) return;
    char name[48];
    std::snprintf(name, sizeof name, "stepvisor:ipa=0x%" PRIx64, ipa);
    perf_map_add(start, size, name);
}

}  // namespace jit
}  // namespace cpu
