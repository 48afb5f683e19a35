#include "tests/fp/fp_oracle.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

#include <unicorn/unicorn.h>

namespace fp_oracle {

namespace {
constexpr uint64_t kCode = 0x100000, kCodeSize = 0x100000;
constexpr uint64_t kIn = 0x200000, kOut = 0x400000, kDataSize = 0x200000;
constexpr unsigned kOpSlot = 9;  // index of the instruction under test in kLoop
// Assembled with aarch64-linux-gnu-as; the loop runs X2 cases from X0 to X1.
constexpr uint32_t kLoop[] = {
    0xF9400005,  // ldr x5, [x0]
    0xD51B4405,  // msr fpcr, x5
    0xD51B443F,  // msr fpsr, xzr
    0xFD400401,  // ldr d1, [x0, #8]
    0xFD400802,  // ldr d2, [x0, #16]
    0xFD400C03,  // ldr d3, [x0, #24]
    0xF9400409,  // ldr x9, [x0, #8]
    0xD51B421F,  // msr nzcv, xzr
    0xAA1F03EA,  // mov x10, xzr
    0xD503201F,  // (the instruction under test)
    0xD53B4426,  // mrs x6, fpsr
    0xD53B4207,  // mrs x7, nzcv
    0xFD000020,  // str d0, [x1]
    0xA9009C26,  // stp x6, x7, [x1, #8]
    0xF9000C2A,  // str x10, [x1, #24]
    0x91008000,  // add x0, x0, #32
    0x91008021,  // add x1, x1, #32
    0xF1000442,  // subs x2, x2, #1
    0x54FFFDC1,  // b.ne loop
};
constexpr uint64_t kLoopBytes = sizeof kLoop;

void check(uc_err e, const char* what) {
    if (e != UC_ERR_OK) throw std::runtime_error(std::string("unicorn ") + what + ": " + uc_strerror(e));
}
}  // namespace

Oracle::Oracle() : next_loop_(kCode) {
    check(uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc_), "open");
    check(uc_ctl_set_cpu_model(uc_, UC_CPU_ARM64_MAX), "cpu model max");
    check(uc_mem_map(uc_, kCode, kCodeSize, UC_PROT_ALL), "map code");
    check(uc_mem_map(uc_, kIn, kDataSize, UC_PROT_ALL), "map input");
    check(uc_mem_map(uc_, kOut, kDataSize, UC_PROT_ALL), "map output");
    const uint64_t cpacr = 3u << 20;  // FPEN: no FP trap at EL0/EL1
    check(uc_reg_write(uc_, UC_ARM64_REG_CPACR_EL1, &cpacr), "write CPACR_EL1");
}

Oracle::~Oracle() { uc_close(uc_); }

// Each distinct word gets its own copy of the loop at a fresh address, so
// no translated block ever goes stale.
uint64_t Oracle::loop_for(uint32_t word) {
    if (auto it = loops_.find(word); it != loops_.end()) return it->second;
    if (next_loop_ + kLoopBytes + 4 > kCode + kCodeSize) throw std::runtime_error("oracle: code area full");
    uint32_t code[sizeof kLoop / 4];
    std::memcpy(code, kLoop, sizeof code);
    code[kOpSlot] = word;
    check(uc_mem_write(uc_, next_loop_, code, sizeof code), "write loop");
    const uint64_t at = next_loop_;
    next_loop_ += (kLoopBytes + 4 + 63) & ~uint64_t(63);
    return loops_[word] = at;
}

std::vector<Output> Oracle::run(uint32_t word, const std::vector<Input>& in) {
    std::vector<Output> out(in.size());
    const uint64_t loop = loop_for(word);
    for (size_t done = 0; done < in.size(); done += kMaxBatch) {
        const size_t n = std::min(kMaxBatch, in.size() - done);
        check(uc_mem_write(uc_, kIn, &in[done], n * sizeof(Input)), "write input");
        const uint64_t x0 = kIn, x1 = kOut, x2 = n;
        check(uc_reg_write(uc_, UC_ARM64_REG_X0, &x0), "write x0");
        check(uc_reg_write(uc_, UC_ARM64_REG_X1, &x1), "write x1");
        check(uc_reg_write(uc_, UC_ARM64_REG_X2, &x2), "write x2");
        check(uc_emu_start(uc_, loop, loop + kLoopBytes, 0, 0), "run");
        check(uc_mem_read(uc_, kOut, &out[done], n * sizeof(Output)), "read output");
    }
    return out;
}

}  // namespace fp_oracle
