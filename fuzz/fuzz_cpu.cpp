// The CPU as guest code sees it: random 32-bit words run at EL0 or EL1, with
// stage 1 off or on, from random register state, for a bounded number of
// instructions. Any architectural result is fine (UNDEFINED, aborts, traps
// to EL2, illegal returns, no progress); a host crash, a sanitizer report or
// a hang is a finding. Differential: each input runs under the interpreter
// and under the translation tier (Cpu::set_jit), and any difference in what
// the guest or the hypervisor could see at the end (registers, PSTATE, RAM,
// the instructions retired, the exits) aborts. `fuzz_cpu ARTIFACT` replays
// an input and prints the first difference on stderr.
//
// Input: a 40-byte header, then the code words.
//   [0]      bit 0: EL0 (else EL1); bit 1: MMU on; bit 2: SP_EL0 at EL1;
//            bit 3: whole SPSR from [4..7] (may be illegal); bits 4-5: vectors;
//            bit 6: an Armv8.0 PE with crypto (a cortex-a57's features: the
//            Armv8.1+ rows and the 16 KiB granule UNDEFINED or remapped)
//   [1..3]   extra HCR_EL2 trap bits (kExtraHcr), NZCV
//   [4..7]   SPSR_EL2 for the entry when [0] bit 3
//   [8..39]  X0..X30 and SP: an index into kValues each
#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "cpu/cpu.h"

namespace {

using namespace cpu;

constexpr uint64_t kRamBase = 0x40000000, kRamSize = 1 << 20;
constexpr uint64_t kRoBase = 0x50000000, kRoSize = 0x10000;  // a read-only memslot
constexpr uint64_t kVbar = kRamBase + 0x80000;
constexpr uint64_t kCode = kRamBase + 0x1000;
constexpr uint64_t kTables = kRamBase + 0xF0000;
constexpr size_t kHeader = 40;
constexpr unsigned kMaxWords = 256;
constexpr uint64_t kMaxInsns = 1024;
constexpr unsigned kMaxEntries = 8;  // returns from EL2 per input

// HCR_EL2 as the hypervisor runs a guest (hyp/kvm_host.h kHcrGuestFlags, less
// the set/way bit the CPU does not model), plus traps the input may add.
constexpr uint64_t kBaseHcr = hcr::kVM | hcr::kRW | hcr::kTSC | hcr::kTWI | hcr::kTWE |
                              hcr::kTACR | hcr::kTIDCP | hcr::kTID3 | hcr::kIMO | hcr::kFMO |
                              hcr::kAMO;
constexpr std::array<uint64_t, 12> kExtraHcr = {
    hcr::kTVM, hcr::kTRVM, hcr::kTID1, hcr::kTID2, hcr::kTTLB, hcr::kTPU,
    hcr::kTPCP, hcr::kTDZ, hcr::kVI, hcr::kVF, hcr::kVSE, hcr::kTWE};

// Register values that reach interesting places: RAM and its edges, the
// read-only slot, device space, the top of the address space.
constexpr std::array<uint64_t, 16> kValues = {
    0, 1, kRamBase, kCode, kRamBase + kRamSize - 8, kRamBase + kRamSize - 1,
    kRamBase + kRamSize, kRoBase, kTables, 0x08000000, 0x09000000, 0x0000FFFFFFFFFFF8,
    0xFFFFFFFFFFFFFFF8, 0x8000000000000000, 0xFFFF000000000000, 0x7FFFFFFF};

struct Machine {
    std::vector<uint8_t> ram = std::vector<uint8_t>(kRamSize);
    std::vector<uint8_t> ro = std::vector<uint8_t>(kRoSize, 0xA5);
    Cpu cpu;

    void put64(uint64_t ipa, uint64_t v) { std::memcpy(&ram[ipa - kRamBase], &v, 8); }
    void put32(uint64_t ipa, uint32_t v) { std::memcpy(&ram[ipa - kRamBase], &v, 4); }

    // 4 KiB granule, T0SZ 25 (level 1 start): VA 0..1 GiB a Device block;
    // 1..2 GiB a level 2 table whose first 2 MiB block is Normal RAM (EL0 RW,
    // executable) and the rest invalid; 2..3 GiB a block onto IPA 1 GiB, so
    // most of it reaches past RAM (stage 2 faults). The tables sit in RAM
    // where guest stores can change them.
    void build_tables() {
        const uint64_t l1 = kTables, l2 = kTables + 0x1000;
        constexpr uint64_t kAF = 1 << 10, kApEl0 = 1 << 6, kSh = 3 << 8, kDevice = 1 << 2;
        put64(l1 + 0 * 8, 0x0 | kAF | kDevice | 1);          // 0..1 GiB: Device block
        put64(l1 + 1 * 8, l2 | 3);                            // 1..2 GiB: level 2
        put64(l1 + 2 * 8, 0x40000000ull | kAF | kSh | kApEl0 | 1);  // alias of RAM
        put64(l2 + 0 * 8, kRamBase | kAF | kSh | kApEl0 | 1);  // RAM, Normal
        auto& r = cpu.state().el1;
        r.tcr = 25 | (25ull << 16) | (2ull << 30) | (5ull << 32);  // T0SZ, T1SZ, TG1 4K, IPS 48
        r.ttbr0 = l1;
        r.ttbr1 = kTables + 0x2000;  // zeroed: every TTBR1 address faults
        r.mair = 0x00FF;             // attr 0 Normal WB, attr 1 Device-nGnRnE
        r.sctlr |= kSctlrM;
    }

    // At each return from run(): the Stop, then the PC, ESR_EL2, FAR_EL2 and
    // instruction count the hypervisor saw.
    static constexpr const char* kExitFields[] = {"Stop", "pc", "esr_el2", "far_el2", "retired"};
    std::vector<std::array<uint64_t, std::size(kExitFields)>> exits;
};

using Named = std::vector<std::pair<std::string, uint64_t>>;

// What the guest and the hypervisor can read of a PE at an exit, by name.
Named observable(const Cpu& cpu) {
    const State& s = cpu.state();
    Named r;
    for (unsigned n = 0; n < 31; ++n) r.emplace_back("x" + std::to_string(n), s.x[n]);
    for (unsigned n = 0; n < 32; ++n) {
        r.emplace_back("v" + std::to_string(n) + ".d[0]", s.v[n].get(64, 0));
        r.emplace_back("v" + std::to_string(n) + ".d[1]", s.v[n].get(64, 1));
    }
    const El1Regs& e1 = s.el1;
    const El2Regs& e2 = s.el2;
    r.insert(r.end(), {
        {"sp_el0", s.sp_el[0]}, {"sp_el1", s.sp_el[1]}, {"pc", s.pc},
        {"pstate", s.pstate.to_spsr()}, {"fpcr", s.fpcr}, {"fpsr", s.fpsr},
        {"sctlr_el1", e1.sctlr}, {"cpacr_el1", e1.cpacr}, {"tcr_el1", e1.tcr},
        {"ttbr0_el1", e1.ttbr0}, {"ttbr1_el1", e1.ttbr1}, {"mair_el1", e1.mair},
        {"amair_el1", e1.amair}, {"contextidr_el1", e1.contextidr},
        {"tpidr_el0", e1.tpidr_el0}, {"tpidrro_el0", e1.tpidrro_el0},
        {"tpidr_el1", e1.tpidr_el1}, {"vbar_el1", e1.vbar}, {"esr_el1", e1.esr},
        {"far_el1", e1.far}, {"par_el1", e1.par}, {"afsr0_el1", e1.afsr0},
        {"afsr1_el1", e1.afsr1}, {"actlr_el1", e1.actlr}, {"cntkctl_el1", e1.cntkctl},
        {"csselr_el1", e1.csselr}, {"elr_el1", e1.elr}, {"spsr_el1", e1.spsr},
        {"mdscr_el1", e1.mdscr}, {"elr_el2", e2.elr}, {"spsr_el2", e2.spsr},
        {"esr_el2", e2.esr}, {"far_el2", e2.far}, {"hpfar_el2", e2.hpfar},
        {"cntp_ctl_el0", s.timer[0].ctl}, {"cntp_cval_el0", s.timer[0].cval},
        {"cntv_ctl_el0", s.timer[1].ctl}, {"cntv_cval_el0", s.timer[1].cval},
        {"retired", cpu.retired()},
    });
    return r;
}

std::string hex(uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%#llx", static_cast<unsigned long long>(v));
    return buf;
}

std::string differ(const std::string& what, uint64_t interp, uint64_t tier) {
    return what + ": " + hex(interp) + " (interpreter) vs " + hex(tier) + " (tier)";
}

// The first thing that tells the two runs apart, or "".
std::string first_difference(const Machine& a, const Machine& b) {
    if (a.exits.size() != b.exits.size())
        return differ("returns from run()", a.exits.size(), b.exits.size());
    for (size_t i = 0; i < a.exits.size(); ++i)
        for (size_t f = 0; f < std::size(Machine::kExitFields); ++f)
            if (a.exits[i][f] != b.exits[i][f])
                return differ(std::string(Machine::kExitFields[f]) + " at exit " +
                                  std::to_string(i),
                              a.exits[i][f], b.exits[i][f]);
    const Named ra = observable(a.cpu), rb = observable(b.cpu);
    for (size_t i = 0; i < ra.size(); ++i)
        if (ra[i].second != rb[i].second) return differ(ra[i].first, ra[i].second, rb[i].second);
    if (std::memcmp(a.ram.data(), b.ram.data(), kRamSize) == 0) return "";
    const auto at = std::mismatch(a.ram.begin(), a.ram.end(), b.ram.begin()).first;
    const size_t i = size_t(at - a.ram.begin());
    return differ("RAM byte at IPA " + hex(kRamBase + i), a.ram[i], b.ram[i]);
}

// Runs one input on a fresh machine, with the tier on or off.
void run_input(Machine& m, const uint8_t* data, size_t size, bool jit) {
    Cpu& cpu = m.cpu;
    cpu.set_jit(jit);
    cpu.set_jit_threshold(1);  // short inputs: compile every block at its first run
    cpu.stage2().set_regions({{kRamBase, kRamSize, m.ram.data(), true},
                              {kRoBase, kRoSize, m.ro.data(), false}});
    State& s = cpu.state();
    const uint8_t mode = data[0];

    const size_t words = std::min<size_t>((size - kHeader) / 4, kMaxWords);
    for (size_t i = 0; i < words; ++i) {
        uint32_t w;
        std::memcpy(&w, data + kHeader + 4 * i, 4);
        m.put32(kCode + 4 * i, w);
    }
    // Vectors: B . (a spin the budget ends), ERET (back to the faulting
    // instruction: no progress), or the guest's own code again.
    for (uint64_t off = 0; off < 0x800; off += 4) {
        static constexpr uint32_t kSpin = 0x14000000, kEret = 0xD69F03E0;
        const unsigned kind = (mode >> 4) & 3;
        uint32_t w = kind == 0 ? kSpin : kind == 1 ? kEret : 0;
        if (kind >= 2) std::memcpy(&w, data + kHeader + 4 * ((off / 4) % words), 4);
        m.put32(kVbar + off, w);
    }
    s.el1.vbar = kVbar;
    if (mode & 2) m.build_tables();
    if (mode & 0x40) cpu.set_features(features_from_id(0x00011120, 0, 0x00001124));

    uint64_t hcr = kBaseHcr;
    const uint16_t extra = uint16_t(data[1] | data[2] << 8);
    for (size_t i = 0; i < kExtraHcr.size(); ++i)
        if (extra & (1u << i)) hcr |= kExtraHcr[i];
    s.el2.hcr = hcr;

    for (unsigned n = 0; n < 31; ++n) s.x[n] = kValues[data[8 + n] & 15] + (data[8 + n] >> 4) * 8;
    s.sp_el[0] = s.sp_el[1] = kValues[data[39] & 15];
    s.pc = kCode;
    if (mode & 8) {
        uint32_t spsr;
        std::memcpy(&spsr, data + 4, 4);
        s.pstate = arch::PState::from_spsr(spsr);
    } else {
        s.pstate = arch::PState{};
        s.pstate.el = (mode & 1) ? 0 : 1;
        s.pstate.sp = !(mode & 1) && !(mode & 4);
        s.pstate.set_nzcv(data[3] >> 4);
    }

    // A minimal hypervisor: every exception to EL2 is "handled" by stepping
    // past it, a bounded number of times.
    for (unsigned e = 0; e < kMaxEntries; ++e) {
        const Stop stop = cpu.run(kMaxInsns);
        m.exits.push_back({uint64_t(stop), s.pc, s.el2.esr, s.el2.far, cpu.retired()});
        if (stop == Stop::NoProgress) break;
        if (stop == Stop::Trap) s.pc += 4;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < kHeader + 4) return 0;
    Machine interp, jit;
    run_input(interp, data, size, false);
    run_input(jit, data, size, Cpu::jit_supported());
    if (const std::string d = first_difference(interp, jit); !d.empty()) {
        std::fprintf(stderr, "fuzz_cpu: the tier and the interpreter differ: %s\n", d.c_str());
        std::abort();
    }
    return 0;
}
