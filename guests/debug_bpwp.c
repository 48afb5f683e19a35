/* An EL1 kernel debugs itself with hardware breakpoints, watchpoints and
 * BRK (ARM ARM DDI 0487 L.a, D2.8 "Breakpoint exceptions", D2.9 "Watchpoint
 * exceptions", D2.10 "Breakpoint instruction exceptions"): MDSCR_EL1.MDE
 * and KDE set and PSTATE.D clear make debug exceptions from EL1 to EL1
 * possible (AArch64.GenerateDebugExceptionsFrom); PSTATE.D suppresses
 * them. (The OS Lock would too, but QEMU 7.2 ignores OSLSR_EL1.OSLK there,
 * so that rule is a unit test only: tests/cpu/debug_*_test.cpp.) Each exception prints its EC, ISS and, for watchpoints,
 * FAR relative to the watched buffer; the handler disables the
 * breakpoint/watchpoint and returns, so the instruction then completes.
 * Output is deterministic and the same under qemu-system-aarch64 -M virt
 * -cpu max. */
#include "guest.h"

#define MDSCR_KDE (1u << 13)
#define MDSCR_MDE (1u << 15)
#define BCR_EL1_ADDR 0x1e7u            /* E, PMC = EL0 and EL1, BAS = 0b1111 */
#define WCR(lsc, bas, mask) (1u | 3u << 1 | (lsc) << 3 | (bas) << 5 | (uint64_t)(mask) << 24)
#define LSC_LOAD 1u
#define LSC_STORE 2u

extern void bp_target(void);
__asm__(".text\n.balign 4\n.global bp_target\nbp_target:\n    nop\n    ret\n");

static volatile uint64_t buf[16] __attribute__((aligned(64)));

#define SET_SYSREG(name, v) __asm__ volatile("msr " #name ", %0\n isb" : : "r"((uint64_t)(v)))

static uint32_t load32(uintptr_t a)
{
    uint32_t v;
    __asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
    return v;
}

static void disable_all(void)
{
    SET_SYSREG(dbgbcr0_el1, 0);
    SET_SYSREG(dbgwcr0_el1, 0);
    SET_SYSREG(dbgwcr1_el1, 0);
}

static void line(const char *what, uint64_t v)
{
    puts_uart(what);
    put_hex(v);
    puts_uart("\n");
}

void guest_exception(unsigned vector, uint64_t esr, uint64_t *elr, uint64_t far)
{
    const unsigned ec = esr >> 26;
    const uint64_t iss = esr & 0x1ffffff;
    if (vector == 4 && ec == 0x31) {
        line("breakpoint at bp_target+", *elr - (uint64_t)bp_target);
        line("  ISS ", iss);
    } else if (vector == 4 && ec == 0x35) {
        line("watchpoint FAR buf+", far - (uint64_t)buf);
        line("  ISS ", iss);
    } else if (vector == 4 && ec == 0x3c) {
        line("brk ISS ", iss);
        *elr += 4;
    } else {
        line("unexpected ESR ", esr);
        system_off();
    }
    disable_all();
}

int main(void)
{
    puts_uart("debug_bpwp: EL1 debugs itself\n");
    SET_SYSREG(oslar_el1, 0);
    SET_SYSREG(mdscr_el1, MDSCR_MDE | MDSCR_KDE);
    __asm__ volatile("msr daifclr, #8");

    SET_SYSREG(dbgbvr0_el1, (uint64_t)bp_target);
    SET_SYSREG(dbgbcr0_el1, BCR_EL1_ADDR);
    bp_target();
    puts_uart("returned from bp_target\n");

    __asm__ volatile("msr daifset, #8");
    SET_SYSREG(dbgbcr0_el1, BCR_EL1_ADDR);
    bp_target();
    disable_all();
    __asm__ volatile("msr daifclr, #8");
    puts_uart("PSTATE.D set: no breakpoint\n");

    SET_SYSREG(dbgwvr0_el1, (uint64_t)&buf[0]);
    SET_SYSREG(dbgwcr0_el1, WCR(LSC_STORE, 0xffu, 0));
    buf[0] = 5;
    line("store completed, buf[0] = ", buf[0]);

    SET_SYSREG(dbgwcr0_el1, WCR(LSC_STORE, 0xffu, 0));
    line("load not watched by a store watchpoint: ", buf[0]);
    disable_all();

    SET_SYSREG(dbgwcr0_el1, WCR(LSC_LOAD, 0xf0u, 0));
    line("low word (BAS selects bytes 4-7): ", load32((uintptr_t)&buf[0]));
    line("high word: ", load32((uintptr_t)&buf[0] + 4));

    SET_SYSREG(dbgwvr1_el1, (uint64_t)&buf[0]);
    SET_SYSREG(dbgwcr1_el1, WCR(LSC_LOAD | LSC_STORE, 0xffu, 6));
    buf[5] = 7;
    line("masked range store completed, buf[5] = ", buf[5]);

    __asm__ volatile("brk #0x77");
    puts_uart("done\n");
    return 0;
}
