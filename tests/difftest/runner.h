// The two sides of the difftest: stepvisor's cpu::Cpu and Unicorn, each with
// its own copy of the same RAM, loaded from a Case and stepped together.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cpu/cpu.h"
#include "tests/difftest/gen.h"

struct uc_struct;

namespace difftest {

// What the comparison looks at after every step.
struct Snapshot {
    std::array<uint64_t, 31> x{};
    uint64_t sp = 0, pc = 0;
    uint32_t nzcv = 0;     // bits [31:28]
    std::array<std::array<uint64_t, 2>, 32> v{};  // V0..V31 as {bits [63:0], bits [127:64]}
    uint32_t fpcr = 0, fpsr = 0;
    std::string fault;     // empty unless the step raised an exception or error
    bool undefined_at(uint64_t pc) const { return undef_elr == pc && !fault.empty(); }
    uint64_t undef_elr = ~0ull;  // stepvisor: ELR_EL1 of an EC 0x00 exception to EL1
    bool trapped = false;        // stepvisor: a synchronous exception to EL2
    uint64_t trap_esr = 0, trap_far = 0;
    bool el1_exception = false;  // stepvisor: an exception to EL1, with its syndrome
    uint64_t el1_esr = 0, el1_far = 0, el1_elr = 0;
    int uc_intno = -1;           // Unicorn: the exception it raised (UC_HOOK_INTR), or -1
};

// QEMU's exception numbers as Unicorn's UC_HOOK_INTR reports them
// (target/arm/cpu.h EXCP_*).
inline constexpr int kExcpUdef = 1, kExcpPrefetchAbort = 3, kExcpDataAbort = 4;

class SvRunner {
public:
    // jit: blocks run as generated code, each compiled on its
    // jit_threshold-th run (1: at once, as a case's code mostly runs
    // once); else the interpreter alone.
    explicit SvRunner(bool jit = cpu::Cpu::jit_supported(), uint32_t jit_threshold = 1);
    // keep_code: the code buffer already holds c's code, so its compiled
    // blocks and their chains stay (a case run again).
    void load(const Case& c, bool keep_code = false);
    // Runs n instructions as one Cpu::run(n) (each run is an exception
    // return, which clears the exclusive monitor: a group runs as one).
    Snapshot step(unsigned n);
    Snapshot snapshot(const std::string& fault = {}) const;
    uint8_t* ram() { return ram_.data(); }
    cpu::Cpu& cpu() { return cpu_; }

private:
    std::vector<uint8_t> ram_;
    cpu::Cpu cpu_;
    size_t loaded_ = 0;
    size_t tables_loaded_ = 0;
};

class UcRunner {
public:
    // window: map a dummy region at the fault window's VA (--mmu; see open()).
    explicit UcRunner(bool window = false);
    ~UcRunner();
    UcRunner(const UcRunner&) = delete;
    UcRunner& operator=(const UcRunner&) = delete;
    void load(const Case& c);
    Snapshot step(unsigned n);
    // Runs the loaded case to `end` in one uc_emu_start (so each block is
    // translated once), calling at(pc) before every instruction; the state
    // then is the one after the previous instruction. at() returning false
    // stops the run. Returns Unicorn's error, or an empty string.
    std::string run(uint64_t end, const std::function<bool(uint64_t)>& at);
    Snapshot snapshot(const std::string& fault = {}) const;
    uint8_t* ram() { return ram_.data(); }

private:
    static void on_code(uc_struct* uc, uint64_t addr, uint32_t size, void* self);
    static void on_intr(uc_struct* uc, uint32_t intno, void* self);
    void open();
    void close();
    std::vector<uint8_t> ram_;
    uc_struct* uc_ = nullptr;
    bool window_ = false;
    const std::function<bool(uint64_t)>* at_ = nullptr;
    size_t loaded_ = 0;
    size_t tables_loaded_ = 0;
    uint64_t loads_ = 0;
    int intno_ = -1;
};

}  // namespace difftest
