/* An EL1 debugger single-steps its own EL0 code with MDSCR_EL1.SS and KDE
 * (ARM ARM DDI 0487 L.a, D2.12 "Software Step exceptions"). The ERET to EL0
 * with SPSR_EL1.SS = 1 enters Active-not-pending (DebugExceptionReturnSS:
 * debug exceptions are masked at EL1 by PSTATE.D and enabled at EL0), so
 * each EL0 instruction is followed by a Software Step exception from a
 * lower EL (EC 0x32) whose ELR is the next instruction; a stepped LDXR sets
 * ISS.EX. The SVC completes its step (SSAdvance: SPSR_EL1.SS = 0) and
 * enters the SVC vector without a step exception. Output is deterministic
 * and the same under qemu-system-aarch64 -M virt -cpu max. */
#include "guest.h"

#define MDSCR_SS (1u << 0)
#define MDSCR_KDE (1u << 13)
#define SPSR_SS (1u << 21)

extern char el0_code[];

/* EL0: plain instructions, a taken branch, a load-exclusive, then SVC. */
__asm__(".text\n"
        ".balign 8\n"
        "el0_code:\n"
        "    mov x0, #1\n"
        "    add x0, x0, #2\n"
        "    b 1f\n"
        "    nop\n"
        "1:  adr x2, el0_word\n"
        "    ldxr x1, [x2]\n"
        "    clrex\n"
        "    svc #0x55\n"
        "    b .\n"
        ".balign 8\n"
        "el0_word: .quad 0x1234\n");

static unsigned steps;

static uint64_t read_spsr(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, spsr_el1" : "=r"(v));
    return v;
}

static void report(const char *what, uint64_t esr, uint64_t elr)
{
    puts_uart(what);
    puts_uart(" at el0_code+");
    put_hex(elr - (uint64_t)el0_code);
    puts_uart(" EC ");
    put_hex(esr >> 26);
    puts_uart(" ISS ");
    put_hex(esr & 0x1ffffff);
    puts_uart("\n");
}

void guest_exception(unsigned vector, uint64_t esr, uint64_t *elr, uint64_t far)
{
    (void)far;
    const unsigned ec = esr >> 26;
    if (vector == 8 && ec == 0x32 && steps < 16) {
        ++steps;
        report("step", esr, *elr);
        /* Step the next instruction: back to Active-not-pending. */
        __asm__ volatile("msr spsr_el1, %0" : : "r"(read_spsr() | SPSR_SS));
        return;
    }
    if (vector == 8 && ec == 0x15) {
        report("svc", esr, *elr);
        puts_uart("SPSR_EL1.SS after SVC ");
        put_hex((read_spsr() >> 21) & 1);
        puts_uart("\nsteps ");
        put_hex(steps);
        puts_uart("\n");
        system_off();
    }
    report("unexpected", esr, *elr);
    system_off();
}

int main(void)
{
    puts_uart("debug_step: EL1 steps EL0\n");
    __asm__ volatile("msr oslar_el1, xzr\n"  /* OSLSR_EL1.OSLK resets to 1 */
                     "msr mdscr_el1, %0\n"
                     "msr elr_el1, %1\n"
                     "msr spsr_el1, %2\n"
                     "isb\n"
                     "eret\n"
                     :
                     : "r"((uint64_t)(MDSCR_SS | MDSCR_KDE)), "r"((uint64_t)el0_code),
                       "r"((uint64_t)SPSR_SS) /* EL0t, DAIF clear, SS = 1 */
                     : "memory");
    return 0;
}
