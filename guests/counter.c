/* Reads the generic timer's frequency and both counters from EL1; the
 * hypervisor lets EL1 read the physical counter (CNTHCTL_EL2.EL1PCTEN), and
 * both count virtual time, so each read is later than the one before. */
#include "guest.h"

#define READ_SYSREG(r) ({ uint64_t v; __asm__ volatile("mrs %0, " #r : "=r"(v)); v; })

int main(void)
{
    uint64_t freq = READ_SYSREG(cntfrq_el0);
    uint64_t v0 = READ_SYSREG(cntvct_el0);
    uint64_t p0 = READ_SYSREG(cntpct_el0);
    uint64_t v1 = READ_SYSREG(cntvct_el0);
    uint64_t p1 = READ_SYSREG(cntpct_el0);
    puts_uart("CNTFRQ_EL0 ");
    put_hex(freq);
    puts_uart(v1 > v0 && p1 > p0 && p0 > v0 ? "\ncounters advance\n" : "\ncounters stuck\n");
    return 0;
}
