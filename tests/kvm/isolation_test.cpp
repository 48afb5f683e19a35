// The guest cannot reach the host: loads, stores, pairs and fetches outside
// RAM, straddling its ends and at the top of the IPA space each become a
// guest abort, an MMIO exit or an ARM_NISV exit, and host memory on either
// side of the buffer given to set_user_memory_region is never touched.
// Guest: guests/isolation.S (x0 = the kind, x1 = the address). With the MMU
// off every data access is Device memory (D8.2.10, AArch64.S1DisabledOutput),
// so an unaligned one is an alignment fault before stage 2 is consulted.
#include <sys/mman.h>

#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "tests/kvm/vm_fixture.h"

namespace kvm::test {
namespace {

constexpr uint64_t kIsoRamSize = 4 << 20;
constexpr uint64_t kRamEnd = kRamBase + kIsoRamSize;
constexpr uint64_t kReport = 0x0a000000;   // guests/isolation.S REPORT
constexpr size_t kCanarySize = 64 << 10;    // host bytes either side of RAM
constexpr uint8_t kCanary = 0xC5;
constexpr uint64_t kMmioAnswer = 0x1122334455667788;
constexpr uint64_t kIpaTop = 1ull << 48;    // check_extension(ArmVmIpaSize) is asserted below

enum class Kind : uint64_t { Load64, Store32, Ldp, Stp, Fetch };

// ESR_EL1 fields (D24.2.40): EC, and the xFSC of an abort.
unsigned ec_of(uint64_t esr) { return unsigned(esr >> 26) & 0x3F; }
unsigned fsc_of(uint64_t esr) { return unsigned(esr) & 0x3F; }
constexpr unsigned kEcInstrAbortCur = 0x21, kEcDataAbortCur = 0x25;
constexpr unsigned kFscAlignment = 0x21, kFscSyncExternal = 0x10, kFscAddressSizeL0 = 0x00;

// What one run of the guest produced, in order.
struct Outcome {
    std::vector<std::string> exits;  // MMIO and ARM_NISV exits, one line each
    bool guest_abort = false;        // the guest took an exception and reported it
    uint64_t esr = 0, far = 0;
    std::optional<uint64_t> loaded;  // what the load returned (Kind::Load64)
    RunState::ArmNisv nisv{};
};

// The RAM buffer sits between two canary areas in one host mapping.
struct IsolationVm {
    uint8_t* map = nullptr;
    size_t map_size = 2 * kCanarySize + kIsoRamSize;
    uint8_t* ram = nullptr;
    std::unique_ptr<Vm> vm;
    Vcpu* vcpu = nullptr;

    IsolationVm() {
        map = static_cast<uint8_t*>(
            mmap(nullptr, map_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
        EXPECT_NE(map, MAP_FAILED);
        std::memset(map, kCanary, map_size);
        ram = map + kCanarySize;
        std::memset(ram, 0, kIsoRamSize);
        vm = std::move(Vm::create().value());
        EXPECT_EQ(vm->check_extension(Cap::ArmVmIpaSize), 48);
        EXPECT_TRUE(vm->set_user_memory_region({0, 0, kRamBase, kIsoRamSize, ram}));
        vcpu = vm->create_vcpu(0).value();
        VcpuInit init;
        init.features[0] = 1u << vcpu_feature::kPsci0_2;
        EXPECT_TRUE(vcpu->init(init));
        const std::string path = std::string(STEPVISOR_GUEST_DIR) + "/isolation.bin";
        std::ifstream f(path, std::ios::binary);
        EXPECT_TRUE(f) << "cannot open " << path;
        const std::vector<uint8_t> bin{std::istreambuf_iterator<char>(f), {}};
        std::memcpy(ram + (kGuestLoad - kRamBase), bin.data(), bin.size());
        vm->memory_written(kGuestLoad, bin.size());
    }
    ~IsolationVm() { munmap(map, map_size); }

    bool canaries_intact() const {
        for (size_t i = 0; i < kCanarySize; ++i) {
            if (map[i] != kCanary || ram[kIsoRamSize + i] != kCanary) return false;
        }
        return true;
    }
    uint64_t ram64(uint64_t gpa) const {
        uint64_t v;
        std::memcpy(&v, ram + (gpa - kRamBase), 8);
        return v;
    }

    // Plays the VMM: answers MMIO reads with kMmioAnswer, steps past an
    // access it cannot emulate (ARM_NISV), until the guest powers off.
    Outcome run(Kind kind, uint64_t addr, bool mmu_on = false) {
        Outcome o;
        EXPECT_TRUE(vcpu->set_one_reg(reg::kPc, kGuestLoad));
        EXPECT_TRUE(vcpu->set_one_reg(reg::x(0), uint64_t(kind)));
        EXPECT_TRUE(vcpu->set_one_reg(reg::x(1), addr));
        EXPECT_TRUE(vcpu->set_one_reg(reg::x(2), mmu_on));
        for (int i = 0; i < 100; ++i) {
            EXPECT_TRUE(vcpu->run());
            RunState& r = vcpu->run_state();
            if (r.exit_reason == ExitReason::SystemEvent) return o;
            if (r.exit_reason == ExitReason::ArmNisv) {
                o.nisv = r.arm_nisv;
                o.exits.push_back(fmt::format("ARM_NISV {:#x}", r.arm_nisv.fault_ipa));
                EXPECT_TRUE(vcpu->set_one_reg(reg::kPc, vcpu->get_one_reg(reg::kPc).value() + 4));
                continue;
            }
            if (r.exit_reason != ExitReason::Mmio) {
                ADD_FAILURE() << "got " << exit_reason_name(r.exit_reason)
                              << " (expected MMIO, ARM_NISV or SYSTEM_EVENT)";
                return o;
            }
            uint64_t data = 0;
            std::memcpy(&data, r.mmio.data, 8);
            if (r.mmio.phys_addr >= kReport && r.mmio.phys_addr < kReport + 24) {
                const uint64_t off = r.mmio.phys_addr - kReport;
                if (off == 0) o.guest_abort = true, o.esr = data;
                if (off == 8) o.far = data;
                if (off == 16) o.loaded = data;
                continue;
            }
            o.exits.push_back(fmt::format("MMIO {} {:#x} len {}{}", r.mmio.is_write ? "write" : "read",
                                          r.mmio.phys_addr, r.mmio.len,
                                          r.mmio.is_write ? fmt::format(" data {:#x}", data) : ""));
            if (!r.mmio.is_write) std::memcpy(r.mmio.data, &kMmioAnswer, 8);
        }
        ADD_FAILURE() << "guest did not power off";
        return o;
    }
};

using Exits = std::vector<std::string>;

TEST(Isolation, LoadJustPastRamIsAnMmioExit) {
    IsolationVm v;
    const Outcome o = v.run(Kind::Load64, kRamEnd);
    EXPECT_EQ(o.exits, Exits{"MMIO read 0x40400000 len 8"});
    EXPECT_FALSE(o.guest_abort);
    EXPECT_EQ(o.loaded, kMmioAnswer) << "the VMM's answer, not host bytes past RAM";
    EXPECT_TRUE(v.canaries_intact());
}

TEST(Isolation, StoreJustPastRamIsAnMmioExit) {
    IsolationVm v;
    const Outcome o = v.run(Kind::Store32, kRamEnd);
    EXPECT_EQ(o.exits, Exits{"MMIO write 0x40400000 len 4 data 0xabcd"});
    EXPECT_TRUE(v.canaries_intact());
}

TEST(Isolation, StoreJustBelowRamIsAnMmioExit) {
    IsolationVm v;
    const Outcome o = v.run(Kind::Store32, kRamBase - 4);
    EXPECT_EQ(o.exits, Exits{"MMIO write 0x3ffffffc len 4 data 0xabcd"});
    EXPECT_TRUE(v.canaries_intact());
}

// Device memory: the unaligned access faults on alignment at stage 1, so no
// byte on either side of the end is read (AArch64.S1DisabledOutput,
// AArch64.AlignmentFault).
TEST(Isolation, LoadStraddlingRamEndIsAGuestAlignmentFault) {
    IsolationVm v;
    const Outcome o = v.run(Kind::Load64, kRamEnd - 4);
    EXPECT_EQ(o.exits, Exits{});
    ASSERT_TRUE(o.guest_abort);
    EXPECT_EQ(ec_of(o.esr), kEcDataAbortCur) << fmt::format("ESR {:#x}", o.esr);
    EXPECT_EQ(fsc_of(o.esr), kFscAlignment) << fmt::format("ESR {:#x}", o.esr);
    EXPECT_EQ(o.far, kRamEnd - 4);
    EXPECT_TRUE(v.canaries_intact());
}

TEST(Isolation, StoreStraddlingRamEndIsAGuestAlignmentFault) {
    IsolationVm v;
    const Outcome o = v.run(Kind::Store32, kRamEnd - 2);
    EXPECT_EQ(o.exits, Exits{});
    ASSERT_TRUE(o.guest_abort);
    EXPECT_EQ(fsc_of(o.esr), kFscAlignment) << fmt::format("ESR {:#x}", o.esr);
    EXPECT_EQ(v.ram64(kRamEnd - 8), 0u) << "nothing written below the end";
    EXPECT_TRUE(v.canaries_intact());
}

// With the MMU on, RAM is Normal memory and an unaligned access is allowed:
// one crossing RAM's end translates both pages before touching a byte
// (docs/architecture-choices.md, "Unaligned Normal access crossing a
// page"), so the second page's stage-2 fault comes first and no byte on
// either side of the end is read or written. A single-register access keeps
// its syndrome (ISV = 1: AArch64.FaultSyndrome takes LSInstructionSyndrome
// for any stage-2 fault), so, as on hardware under KVM, the whole access
// goes to userspace as MMIO at the first byte of the faulting page.
TEST(Isolation, MmuOnLoadStraddlingRamEndIsAnMmioExitOfTheWholeAccess) {
    IsolationVm v;
    const Outcome o = v.run(Kind::Load64, kRamEnd - 4, /*mmu_on=*/true);
    EXPECT_EQ(o.exits, Exits{"MMIO read 0x40400000 len 8"});
    EXPECT_FALSE(o.guest_abort);
    EXPECT_EQ(o.loaded, kMmioAnswer) << "no host byte from either side of the end";
    EXPECT_TRUE(v.canaries_intact());
}

TEST(Isolation, MmuOnStoreStraddlingRamEndWritesNothingToRam) {
    IsolationVm v;
    const Outcome o = v.run(Kind::Store32, kRamEnd - 2, /*mmu_on=*/true);
    EXPECT_EQ(o.exits, Exits{"MMIO write 0x40400000 len 4 data 0xabcd"});
    EXPECT_EQ(v.ram64(kRamEnd - 8), 0u) << "the half in RAM is not written";
    EXPECT_TRUE(v.canaries_intact());
}

TEST(Isolation, MmuOnLoadJustPastRamIsAnMmioExit) {
    IsolationVm v;
    const Outcome o = v.run(Kind::Load64, kRamEnd, /*mmu_on=*/true);
    EXPECT_EQ(o.exits, Exits{"MMIO read 0x40400000 len 8"});
    EXPECT_EQ(o.loaded, kMmioAnswer);
    EXPECT_TRUE(v.canaries_intact());
}

TEST(Isolation, MmuOnStpStraddlingRamEndIsArmNisv) {
    IsolationVm v;
    const Outcome o = v.run(Kind::Stp, kRamEnd - 8, /*mmu_on=*/true);
    EXPECT_EQ(o.exits, Exits{"ARM_NISV 0x40400000"});
    const uint64_t last = v.ram64(kRamEnd - 8);
    EXPECT_TRUE(last == 0 || last == 0x1111) << fmt::format("{:#x}", last);
    EXPECT_TRUE(v.canaries_intact());
}

// A pair has no instruction syndrome (ISS.ISV = 0, D24.2.40): KVM cannot
// emulate it and reports ARM_NISV with the faulting IPA (api.rst,
// KVM_EXIT_ARM_NISV). Half in RAM, half out: the fault is on the half out.
TEST(Isolation, LdpStraddlingRamEndIsArmNisv) {
    IsolationVm v;
    const Outcome o = v.run(Kind::Ldp, kRamEnd - 8);
    ASSERT_EQ(o.exits.size(), 1u) << ::testing::PrintToString(o.exits);
    EXPECT_EQ(o.exits[0].rfind("ARM_NISV", 0), 0u) << o.exits[0];
    EXPECT_GE(o.nisv.fault_ipa, kRamEnd);
    EXPECT_LT(o.nisv.fault_ipa, kRamEnd + 8);
    EXPECT_FALSE(o.nisv.esr_iss & (1u << 24)) << "ISV";
    EXPECT_TRUE(v.canaries_intact());
}

// The first half of a faulting STP may or may not be written (a multi-access
// instruction that aborts leaves its earlier accesses UNKNOWN), but nothing
// past RAM's end is.
TEST(Isolation, StpStraddlingRamEndIsArmNisvAndWritesNothingPastRam) {
    IsolationVm v;
    const Outcome o = v.run(Kind::Stp, kRamEnd - 8);
    ASSERT_EQ(o.exits.size(), 1u) << ::testing::PrintToString(o.exits);
    EXPECT_GE(o.nisv.fault_ipa, kRamEnd);
    EXPECT_LT(o.nisv.fault_ipa, kRamEnd + 8);
    const uint64_t last = v.ram64(kRamEnd - 8);
    EXPECT_TRUE(last == 0 || last == 0x1111) << fmt::format("{:#x}", last);
    EXPECT_TRUE(v.canaries_intact());
}

TEST(Isolation, StpStraddlingRamStartIsArmNisv) {
    IsolationVm v;
    const Outcome o = v.run(Kind::Stp, kRamBase - 8);
    ASSERT_EQ(o.exits.size(), 1u) << ::testing::PrintToString(o.exits);
    EXPECT_GE(o.nisv.fault_ipa, kRamBase - 8);
    EXPECT_LT(o.nisv.fault_ipa, kRamBase);
    const uint64_t first = v.ram64(kRamBase);
    EXPECT_TRUE(first == 0 || first == 0x2222) << fmt::format("{:#x}", first);
    EXPECT_TRUE(v.canaries_intact());
}

TEST(Isolation, LdpPastRamIsArmNisv) {
    IsolationVm v;
    const Outcome o = v.run(Kind::Ldp, kRamEnd);
    EXPECT_EQ(o.exits, Exits{"ARM_NISV 0x40400000"});
    EXPECT_TRUE(v.canaries_intact());
}

TEST(Isolation, LoadAtTopOfIpaSpaceIsAnMmioExit) {
    IsolationVm v;
    const Outcome o = v.run(Kind::Load64, kIpaTop - 8);
    EXPECT_EQ(o.exits, Exits{"MMIO read 0xfffffffffff8 len 8"});
    EXPECT_EQ(o.loaded, kMmioAnswer);
}

TEST(Isolation, StpAtTopOfIpaSpaceIsArmNisv) {
    IsolationVm v;
    const Outcome o = v.run(Kind::Stp, kIpaTop - 16);
    EXPECT_EQ(o.exits, Exits{"ARM_NISV 0xfffffffffff0"});
}

// Beyond the 48-bit PA range the access never reaches stage 2: a stage-1
// fault at level 0 in the guest, no exit.
TEST(Isolation, LoadBeyondPaRangeIsAGuestAbortWithoutAnExit) {
    IsolationVm v;
    const Outcome o = v.run(Kind::Load64, kIpaTop);
    EXPECT_EQ(o.exits, Exits{});
    ASSERT_TRUE(o.guest_abort);
    EXPECT_EQ(ec_of(o.esr), kEcDataAbortCur) << fmt::format("ESR {:#x}", o.esr);
    EXPECT_EQ(o.far, kIpaTop);
}

// AArch64.S1DisabledOutput: VA bits above PAMax set -> Fault_AddressSize,
// level 0 (xFSC 0b000000), for data and fetch.
TEST(Isolation, LoadBeyondPaRangeIsAnAddressSizeFault) {
    IsolationVm v;
    const Outcome load = v.run(Kind::Load64, kIpaTop);
    ASSERT_TRUE(load.guest_abort);
    EXPECT_EQ(fsc_of(load.esr), kFscAddressSizeL0) << fmt::format("ESR {:#x}", load.esr);
    const Outcome fetch = v.run(Kind::Fetch, kIpaTop);
    ASSERT_TRUE(fetch.guest_abort);
    EXPECT_EQ(fsc_of(fetch.esr), kFscAddressSizeL0) << fmt::format("ESR {:#x}", fetch.esr);
}

// A fetch outside every memslot: KVM injects a synchronous external abort
// (kvm_inject_pabt, IFSC 0b010000) into the guest; there is no exit.
TEST(Isolation, FetchPastRamIsAGuestPrefetchAbort) {
    IsolationVm v;
    const Outcome o = v.run(Kind::Fetch, kRamEnd);
    EXPECT_EQ(o.exits, Exits{});
    ASSERT_TRUE(o.guest_abort);
    EXPECT_EQ(ec_of(o.esr), kEcInstrAbortCur) << fmt::format("ESR {:#x}", o.esr);
    EXPECT_EQ(fsc_of(o.esr), kFscSyncExternal) << fmt::format("ESR {:#x}", o.esr);
    EXPECT_EQ(o.far, kRamEnd);
}

TEST(Isolation, FetchAtTopOfIpaSpaceIsAGuestPrefetchAbort) {
    IsolationVm v;
    const Outcome o = v.run(Kind::Fetch, kIpaTop - 4);
    EXPECT_EQ(o.exits, Exits{});
    ASSERT_TRUE(o.guest_abort);
    EXPECT_EQ(ec_of(o.esr), kEcInstrAbortCur) << fmt::format("ESR {:#x}", o.esr);
    EXPECT_EQ(o.far, kIpaTop - 4);
}

TEST(Isolation, FetchBeyondPaRangeIsAGuestPrefetchAbort) {
    IsolationVm v;
    const Outcome o = v.run(Kind::Fetch, kIpaTop);
    EXPECT_EQ(o.exits, Exits{});
    ASSERT_TRUE(o.guest_abort);
    EXPECT_EQ(ec_of(o.esr), kEcInstrAbortCur) << fmt::format("ESR {:#x}", o.esr);
    EXPECT_EQ(o.far, kIpaTop);
}

}  // namespace
}  // namespace kvm::test
