// How the CPU reaches guest memory: stage 2 as the hypervisor's map of IPA
// ranges onto host memory (DESIGN.md: stage 2 is a map, not page tables).
// An IPA outside every range is a stage-2 fault taken to EL2.
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <vector>

namespace cpu {

struct Stage2Region {
    uint64_t ipa = 0;
    uint64_t size = 0;
    uint8_t* host = nullptr;
    bool writable = true;

    bool operator==(const Stage2Region&) const = default;
    // [a, a+len) lies inside the region; written so that no sum can wrap.
    bool contains(uint64_t a, uint64_t len) const { return a - ipa < size && len <= size - (a - ipa); }
};

// Syndrome facts about the instruction making a data access, as the
// data-abort ISS needs them (D24.2.40, ISS encoding for a Data Abort).
struct AccessDesc {
    uint8_t size_log2 = 0;  // SAS
    uint8_t srt = 0;        // Rt
    bool write = false;     // WnR
    bool isv = false;       // single GPR, no writeback, not exclusive/atomic/pair
    bool sse = false;       // sign-extending load
    bool sf = false;        // 64-bit destination
    bool ar = false;        // acquire/release semantics
    bool unpriv = false;    // LDTR/STTR: EL0 permissions
    bool exclusive = false;
    bool atomic = false;
    bool cm = false;        // AT instruction: ISS.CM (D24.2.40)
};

enum class FaultKind : uint8_t {
    Alignment, Translation, AccessFlag, Permission, External, AddressSize,
    Watchpoint,  // a debug exception, raised after translation succeeded (va = FAR)
};

// A fault raised deep in an access and taken in one place (Cpu::take_fault):
// a record, never a C++ exception, so handlers (and generated code) pass it
// on by returning a status, with no unwinding.
struct Fault {
    FaultKind kind = FaultKind::Translation;
    uint8_t stage = 1;  // 1 or 2
    uint8_t level = 0;
    bool fetch = false;
    bool s1ptw = false;  // stage 2 fault on a stage-1 descriptor read: ipa = its IPA
    uint64_t va = 0;
    uint64_t ipa = 0;
    AccessDesc access;
};

// The DFSC/IFSC (and PAR_EL1.FST) of a fault (exceptions.cpp).
uint32_t fault_status_code(const Fault& f);

// Host bytes of one data access: p0 holds n0 bytes, p1 the rest when the
// access crosses a page.
struct HostRange {
    uint8_t* p0 = nullptr;
    uint8_t* p1 = nullptr;
    unsigned n0 = 0, size = 0;
    void load(void* dst) const {
        std::memcpy(dst, p0, n0);
        if (n0 < size) std::memcpy(static_cast<uint8_t*>(dst) + n0, p1, size - n0);
    }
    void store(const void* src) const {
        std::memcpy(p0, src, n0);
        if (n0 < size) std::memcpy(p1, static_cast<const uint8_t*>(src) + n0, size - n0);
    }
};

// The stage-2 map, and which of its 64-byte lines hold decoded instructions
// (one 64-bit mask per 4 KiB page, allocated on first use per region, so a
// store checks one word). The code lines are shared by every PE of a VM
// (share_code_lines): a store by one PE to code another decoded must be
// seen. Changing the map bumps generation() and empties the lines: the CPU
// drops every decoded block when it sees a new generation (and a VM gives
// every PE the same map at once).
class Stage2 {
public:
    Stage2() = default;
    Stage2(const Stage2&) = delete;
    Stage2& operator=(const Stage2&) = delete;

    // A map equal to the current one changes nothing.
    void set_regions(std::vector<Stage2Region> regions);
    // From now on this map records code in other's lines (same regions).
    void share_code_lines(const Stage2& other) { code_ = other.code_; }
    const std::vector<Stage2Region>& regions() const { return regions_; }
    uint64_t generation() const { return generation_; }

    // The region containing [ipa, ipa+size), or nullptr. Accesses never
    // straddle regions: a straddling access faults like an unmapped one.
    const Stage2Region* lookup(uint64_t ipa, uint64_t size) const {
        const Stage2Region* r = last_;
        if (r && r->contains(ipa, size)) return r;
        return lookup_slow(ipa, size);
    }
    // Code tracking, by 64-byte line.
    void mark_code(const Stage2Region* r, uint64_t ipa, uint64_t size);
    bool holds_code(const Stage2Region* r, uint64_t ipa, uint64_t size) const;
    // Whether any line of the page holding ipa has code (a cheap pre-check).
    bool page_has_code(const Stage2Region* r, uint64_t ipa) const {
        const uint64_t* lines = code_->by_region[size_t(r - regions_.data())].get();
        return lines && lines[(ipa - r->ipa) >> 12];
    }
    // Forgets every line: only when every PE sharing them drops its blocks.
    void clear_code();
    // For each page where [ipa, ipa+size) in r hits a line with code:
    // forgets the page's lines and calls f(the page's IPA); only when every
    // PE sharing them drops its blocks in that page.
    void clear_written_code(const Stage2Region* r, uint64_t ipa, uint64_t size,
                            const std::function<void(uint64_t)>& f);

private:
    struct Free {
        void operator()(uint64_t* p) const;
    };
    struct CodeLines {
        std::vector<std::unique_ptr<uint64_t[], Free>> by_region;  // parallel to regions_
    };
    const Stage2Region* lookup_slow(uint64_t ipa, uint64_t size) const;
    std::vector<Stage2Region> regions_;
    std::shared_ptr<CodeLines> code_ = std::make_shared<CodeLines>();
    mutable const Stage2Region* last_ = nullptr;  // the last lookup's region: the next one's guess
    uint64_t generation_ = 0;
};

}  // namespace cpu
