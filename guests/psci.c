/* PSCI and SMCCC calls through HVC and SMC, each result printed; ends with
 * SYSTEM_RESET so the host sees a reset event. */
#include "guest.h"

static uint64_t smc_call(uint64_t fn)
{
    register uint64_t x0 __asm__("x0") = fn;
    __asm__ volatile("smc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
    return x0;
}

static uint64_t hvc_imm1(uint64_t fn)
{
    register uint64_t x0 __asm__("x0") = fn;
    __asm__ volatile("hvc #1" : "+r"(x0) : : "x1", "x2", "x3", "memory");
    return x0;
}

static void report(const char *what, uint64_t v)
{
    puts_uart(what);
    puts_uart(" ");
    put_hex(v);
    puts_uart("\n");
}

int main(void)
{
    report("PSCI_VERSION", hvc_call(PSCI_VERSION, 0, 0, 0));
    report("PSCI_FEATURES(SYSTEM_OFF)", hvc_call(0x8400000A, PSCI_SYSTEM_OFF, 0, 0));
    report("PSCI_FEATURES(CPU_FREEZE)", hvc_call(0x8400000A, 0x8400000B, 0, 0));
    report("SMCCC_VERSION", hvc_call(0x80000000, 0, 0, 0));
    report("unknown", hvc_call(0xC2001234, 0, 0, 0));
    report("SMC PSCI_VERSION", smc_call(PSCI_VERSION));
    report("HVC #1", hvc_imm1(PSCI_VERSION));
    hvc_call(PSCI_SYSTEM_RESET, 0, 0, 0);
    puts_uart("reset returned\n");
    return 0;
}
