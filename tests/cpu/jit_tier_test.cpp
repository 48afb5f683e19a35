// The translation tier as a whole against the interpreter: budgets exact
// across chained blocks, faults in the middle of a block, self-modifying
// code, a code cache that overflows, W^X, the perf map.
#if defined(__x86_64__)
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "cpu/jit/code_cache.h"
#include "tests/cpu/jit_pair.h"

namespace cpu::test {
namespace {

// Two blocks that branch to each other: every block boundary is a chain.
TEST(JitTier, BudgetIsExactAcrossChainedBlocks) {
    JitPair p;
    p.code({
        0x91000400,  // add x0, x0, #1
        0x14000002,  // b .+8
        0xd503201f,  // nop (skipped)
        0x91000821,  // add x1, x1, #2
        0x17fffffc,  // b .-16
    });
    for (uint64_t n : {1, 2, 3, 4, 5, 7, 64, 65, 1001, 9999, 3, 1}) {
        p.run(n);
        if (testing::Test::HasFailure()) return;
    }
    EXPECT_EQ(p.jit.cpu.retired(), 1 + 2 + 3 + 4 + 5 + 7 + 64 + 65 + 1001 + 9999 + 3 + 1u);
    EXPECT_GT(p.jit.cpu.retired_jit(), 10000u);
}

// A counted loop: the block chains to itself while B.NE is taken, then
// falls through to the next block.
TEST(JitTier, ConditionalLoopChainsToItselfAndFallsThrough) {
    JitPair p;
    p.code({
        0xf1000421,  // subs x1, x1, #1
        0x54ffffe1,  // b.ne .-4
        0x91000442,  // add x2, x2, #1
        0x14000000,  // b .
    });
    p.set_x(1, 1000);
    for (uint64_t n : {1, 2, 3, 100, 1001, 997, 2, 50})
        p.run(n);
    EXPECT_EQ(p.jit.x(1), 0u);
    EXPECT_EQ(p.jit.x(2), 1u);
}

// A stage 2 abort on the load in the middle of a block: the instructions
// before it retired, the syndrome and the PC are the interpreter's.
TEST(JitTier, FaultInTheMiddleOfABlockIsPrecise) {
    JitPair p;
    p.code({
        0x91000421,  // add x1, x1, #1
        0xf9400062,  // ldr x2, [x3]
        0x91000484,  // add x4, x4, #1
        0x14000000,  // b .
    });
    p.set_x(3, 0x50000000);  // not mapped at stage 2
    EXPECT_EQ(p.run(4), Stop::Trap);
    EXPECT_EQ(p.jit.cpu.state().el2.far, 0x50000000u);
    EXPECT_EQ(p.jit.cpu.state().pc, kCodeBase + 4);  // the guest's return state: the load
    EXPECT_EQ(p.jit.x(1), 1u);
    EXPECT_EQ(p.jit.x(4), 0u);
}

// LDXR from an unaligned address: an Alignment fault to EL1 with ELR_EL1
// at the load and FAR_EL1 the address, then the vector.
TEST(JitTier, AlignmentFaultToEl1IsPrecise) {
    JitPair p;
    p.code({
        0x91000421,  // add x1, x1, #1
        0xc85f7c62,  // ldxr x2, [x3]
        0x91000484,  // add x4, x4, #1
        0x14000000,  // b .
    });
    p.set_x(3, kRamBase + 0x20003);
    p.run(4);
    const State& s = p.jit.cpu.state();
    EXPECT_EQ(s.el1.elr, kCodeBase + 4);
    EXPECT_EQ(s.el1.far, kRamBase + 0x20003);
    EXPECT_EQ(s.el1.esr >> 26, 0x25u);  // Data Abort, same EL
    EXPECT_EQ(s.pc, s.el1.vbar + 0x200);  // the vector's "B .", run three times
}

// A store into the block being run replaces an instruction after it: the
// block ends after the store and the new instruction runs at once.
TEST(JitTier, SelfModifyingCodeIsSeenAtOnce) {
    JitPair p;
    p.code({
        0xb90000c5,  // str w5, [x6]
        0x91000400,  // add x0, x0, #1  (replaced by add x0, x0, #100)
        0x91000400,  // add x0, x0, #1
        0x17fffffd,  // b .-12
    });
    p.set_x(5, 0x91019000);          // add x0, x0, #100
    p.set_x(6, kRamBase + 0x20000);  // a data word: the block runs, is compiled, chains
    p.run(40);
    EXPECT_EQ(p.jit.x(0), 20u);
    p.set_x(6, kCodeBase + 4);
    p.run(4);
    EXPECT_EQ(p.jit.x(0), 20u + 100 + 1);
    p.run(40);
    EXPECT_EQ(p.jit.x(0), 20u + 101 + 10 * 101);
}

// A store from another page replaces f's first instruction: only f's page
// loses its blocks, and the call reaches f through the lookup, whose jump
// cache and block cache must not hand back the old code.
TEST(JitTier, CodeWrittenFromAnotherPageIsSeenThroughTheLookup) {
    JitPair p;
    const uint64_t f = kCodeBase + 0x1000;
    p.code({
        0x91000400,  // loop: add x0, x0, #1
        0x940003ff,  // bl f
        0xb90000c5,  // str w5, [x6]
        0x17fffffd,  // b loop
    });
    for (Harness* h : {&p.jit, &p.ref}) {
        h->put32(f, 0x91000442);      // f: add x2, x2, #1 (replaced by add x2, x2, #100)
        h->put32(f + 4, 0xd65f03c0);  // ret
    }
    p.set_x(5, 0x91019042);          // add x2, x2, #100
    p.set_x(6, kRamBase + 0x20000);  // a data word: everything runs compiled and chained
    p.run(100);
    EXPECT_EQ(p.jit.x(2), 17u);
    p.set_x(6, f);
    p.run(100);
    EXPECT_EQ(p.jit.x(2), 17u + 16 * 100);
}

// A chain through 66 pages, each block adding 1; then every page is
// rewritten to add 2. More pages than a PE keeps track of: every block goes.
TEST(JitTier, WritesToMoreCodePagesThanTrackedDropEveryBlock) {
    constexpr uint64_t kPages = 66;
    JitPair p;
    const auto put_pages = [&](uint32_t add) {
        for (Harness* h : {&p.jit, &p.ref})
            for (uint64_t i = 0; i < kPages; ++i) {
                const uint64_t at = kCodeBase + i * 0x1000;
                h->put32(at, add);
                h->put32(at + 4, i + 1 < kPages ? 0x140003ff : 0x17fefbff);  // b next / b first
            }
    };
    put_pages(0x91000400);  // add x0, x0, #1
    p.run(2 * kPages * 3);
    EXPECT_EQ(p.jit.x(0), 3 * kPages);
    put_pages(0x91000800);  // add x0, x0, #2
    p.run(2 * kPages);
    EXPECT_EQ(p.jit.x(0), 5 * kPages);
}

// No mapping of the process is writable and executable at once.
void expect_no_wx() {
    std::ifstream maps("/proc/self/maps");
    std::string line;
    while (std::getline(maps, line)) {
        std::istringstream f(line);
        std::string range, perms;
        f >> range >> perms;
        EXPECT_FALSE(perms[1] == 'w' && perms[2] == 'x') << line;
    }
}

// The /proc/self/maps line of the mapping holding p, or "".
std::string mapping_at(const void* p) {
    std::ifstream maps("/proc/self/maps");
    std::string line;
    while (std::getline(maps, line)) {
        uintptr_t lo = 0, hi = 0;
        if (std::sscanf(line.c_str(), "%lx-%lx", &lo, &hi) == 2 && uintptr_t(p) >= lo &&
            uintptr_t(p) < hi)
            return line;
    }
    return "";
}

// The permissions of the mapping holding p.
std::string perms_at(const void* p) {
    const std::string line = mapping_at(p);
    const size_t at = line.find(' ');
    return at == std::string::npos ? "" : line.substr(at + 1, 4);
}

// Filled to its bound the cache refuses more; reset, it takes code again;
// what it holds is read-execute, never writable.
// name: what /proc/self/maps calls the executable view's memory.
void bound_reset_and_wx(jit::CodeCache::Mapping m, const char* name) {
    jit::CodeCache cache(m);
    EXPECT_NE(mapping_at(cache.begin()).find(name), std::string::npos) << mapping_at(cache.begin());
    const std::vector<uint8_t> chunk(1 << 20, 0xC3);  // ret
    size_t added = 0;
    while (cache.add(chunk)) ++added;
    EXPECT_EQ(added, jit::kCodeCacheBytes / chunk.size());
    EXPECT_EQ(perms_at(cache.begin()), "r-xs");
    EXPECT_EQ(cache.begin()[jit::kCodeCacheBytes - 1], 0xC3);
    expect_no_wx();
    cache.reset();
    EXPECT_EQ(cache.begin()[0], 0) << "the memory was given back";
    const uint8_t* again = cache.add(chunk);
    ASSERT_EQ(again, cache.begin());
    EXPECT_EQ(perms_at(again), "r-xs");
    EXPECT_EQ(again[0], 0xC3);
}

TEST(JitCodeCache, BoundResetAndWx) {
    bound_reset_and_wx(jit::CodeCache::Mapping::Anonymous, "/dev/zero");
}
// The fallback where the anonymous mapping's mremap is refused (valgrind).
TEST(JitCodeCache, MemfdBoundResetAndWx) {
    bound_reset_and_wx(jit::CodeCache::Mapping::Memfd, "memfd:stepvisor-jit");
}

// More code than the cache holds (64 MiB): 8 pages of loads (each a
// handler call) entered at every instruction, 8192 blocks of up to 64.
// The cache fills, everything is dropped, compiling starts again, and the
// results are the interpreter's.
TEST(JitTier, CodeCacheOverflowFlushesAndGoesOn) {
    JitPair p;
    constexpr uint64_t kWords = 8 * 1024;
    for (Harness* h : {&p.jit, &p.ref})
        for (uint64_t i = 0; i < kWords; ++i) h->put32(kCodeBase + 4 * i, 0xf9400041);  // ldr x1, [x2]
    p.set_x(2, kRamBase + 0x800);
    for (uint64_t i = 0; i < kWords - 64; ++i) {
        p.jit.cpu.state().pc = p.ref.cpu.state().pc = kCodeBase + 4 * i;
        p.run(64);
        if (testing::Test::HasFailure()) return;
    }
    EXPECT_GT(p.jit.cpu.retired_jit(), p.jit.cpu.retired() * 9 / 10);
    expect_no_wx();
}

// Every compiled block has a perf map line naming its IPA, at an address
// in executable memory.
TEST(JitTier, PerfMapNamesBlocks) {
    set_jit_perf_map(true);
    Harness h;
    h.cpu.set_jit_threshold(1);
    const uint64_t at = kCodeBase + 0x700;
    h.put32(at, 0x91000400);      // add x0, x0, #1
    h.put32(at + 4, 0x17ffffff);  // b .-4
    h.cpu.state().pc = at;
    h.step(10);
    set_jit_perf_map(false);
    EXPECT_EQ(h.x(0), 5u);
    const std::string path = "/tmp/perf-" + std::to_string(getpid()) + ".map";
    std::ifstream map(path);
    std::string line;
    bool found = false;
    while (std::getline(map, line)) {
        uintptr_t start = 0, size = 0;
        char name[64] = {};
        if (std::sscanf(line.c_str(), "%lx %lx %63s", &start, &size, name) != 3) continue;
        if (std::string(name) != "stepvisor:ipa=0x40001700") continue;
        found = true;
        EXPECT_GT(size, 0u);
        EXPECT_EQ(perms_at(reinterpret_cast<void*>(start)), "r-xs") << line;
        // perf reads the map only for memory it counts as anonymous
        // (tools/perf/util/map.c is_anon_memory): "//anon", "/dev/zero".
        EXPECT_NE(mapping_at(reinterpret_cast<void*>(start)).find("/dev/zero"), std::string::npos);
    }
    EXPECT_TRUE(found);
    std::remove(path.c_str());
}

TEST(JitTier, OffMeansInterpreted) {
    Harness h;
    h.cpu.set_jit(false);
    h.code({0x91000400, 0x17ffffff});  // add x0, x0, #1; b .-4
    h.step(1000);
    EXPECT_EQ(h.x(0), 500u);
    EXPECT_EQ(h.cpu.retired_jit(), 0u);
}

}  // namespace
}  // namespace cpu::test
#endif
