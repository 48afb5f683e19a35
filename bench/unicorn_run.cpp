// Runs a bare-metal guest ELF on Unicorn the way QEMU virt boots it (RAM at
// 0x4000_0000, PL011 at 0x0900_0000, entry in EL1h, x0 = 0) until its PSCI
// SYSTEM_OFF over HVC. For scripts/bench.
//
//   stepvisor-bench-unicorn ELF            runs it; guest output on stdout
//   stepvisor-bench-unicorn --count ELF    prints the instructions executed
#include <elf.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <unicorn/unicorn.h>

namespace {

constexpr uint64_t kRamBase = 0x40000000;
constexpr uint64_t kRamSize = 128ull << 20;
constexpr uint64_t kUart = 0x09000000;
constexpr uint64_t kPsciSystemOff = 0x84000008;

struct Run {
    uint64_t insns = 0;
    bool powered_off = false;
};

uint64_t uart_read(uc_engine*, uint64_t, unsigned, void*) { return 0; }  // UARTFR: never full
void uart_write(uc_engine*, uint64_t offset, unsigned, uint64_t value, void*) {
    if (offset == 0) std::putchar(int(value & 0xFF));  // UARTDR
}

// HVC (or any other exception Unicorn surfaces) ends the run; SYSTEM_OFF is
// the expected one.
void on_intr(uc_engine* uc, uint32_t, void* user) {
    uint64_t x0 = 0;
    uc_reg_read(uc, UC_ARM64_REG_X0, &x0);
    static_cast<Run*>(user)->powered_off = x0 == kPsciSystemOff;
    uc_emu_stop(uc);
}

void on_block(uc_engine*, uint64_t, uint32_t size, void* user) {
    static_cast<Run*>(user)->insns += size / 4;
}

bool load_elf(uc_engine* uc, const std::string& path, uint64_t& entry) {
    std::ifstream f(path, std::ios::binary);
    const std::vector<char> img((std::istreambuf_iterator<char>(f)), {});
    Elf64_Ehdr eh;
    if (img.size() < sizeof eh) return false;
    std::memcpy(&eh, img.data(), sizeof eh);
    if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_machine != EM_AARCH64) return false;
    for (unsigned i = 0; i < eh.e_phnum; ++i) {
        Elf64_Phdr ph;
        std::memcpy(&ph, img.data() + eh.e_phoff + i * sizeof ph, sizeof ph);
        if (ph.p_type != PT_LOAD || ph.p_filesz == 0) continue;
        if (uc_mem_write(uc, ph.p_paddr, img.data() + ph.p_offset, ph.p_filesz)) return false;
    }
    entry = eh.e_entry;
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    const bool count = argc == 3 && std::string(argv[1]) == "--count";
    if (argc != 2 && !count) {
        std::fprintf(stderr, "usage: %s [--count] ELF\n", argv[0]);
        return 2;
    }
    uc_engine* uc;
    if (uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc)) return 1;
    // The model QEMU is compared with: -cpu cortex-a57.
    uc_ctl_set_cpu_model(uc, UC_CPU_ARM64_A57);
    uc_mem_map(uc, kRamBase, kRamSize, UC_PROT_ALL);
    uc_mmio_map(uc, kUart, 0x1000, uart_read, nullptr, uart_write, nullptr);
    Run run;
    uc_hook h;
    uc_hook_add(uc, &h, UC_HOOK_INTR, reinterpret_cast<void*>(on_intr), &run, 1, 0);
    if (count) uc_hook_add(uc, &h, UC_HOOK_BLOCK, reinterpret_cast<void*>(on_block), &run, 1, 0);
    uint64_t entry = 0;
    if (!load_elf(uc, argv[argc - 1], entry)) {
        std::fprintf(stderr, "cannot load %s\n", argv[argc - 1]);
        return 2;
    }
    const uc_err e = uc_emu_start(uc, entry, 0, 0, 0);
    std::fflush(stdout);
    if (count) std::printf("%llu\n", static_cast<unsigned long long>(run.insns));
    if (!run.powered_off) {
        uint64_t pc = 0;
        uc_reg_read(uc, UC_ARM64_REG_PC, &pc);
        std::fprintf(stderr, "unicorn stopped at %#llx without SYSTEM_OFF: %s\n",
                     static_cast<unsigned long long>(pc), uc_strerror(e));
        return 1;
    }
    uc_close(uc);
    return 0;
}
