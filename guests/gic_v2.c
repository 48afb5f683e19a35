/* A GICv2 guest on QEMU virt's gic-version=2 layout: enable the virtual
 * timer's PPI (INTID 27) in the distributor, take it and an SGI to self
 * (GICD_SGIR) through GICC_IAR / GICC_EOIR, then make an illegal byte access
 * to the CPU interface, which the hypervisor skips and turns into a virtual
 * SError (taken once PSTATE.A is clear). */
#include "guest.h"

#define GICD 0x08000000UL
#define GICC 0x08010000UL
#define TIMER_INTID 27
#define SGI_INTID 3

#define WRITE_SYSREG(r, v) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")

static volatile unsigned irqs_taken, serrors_taken;

static void report(const char *what, uint64_t v)
{
    puts_uart(what);
    put_hex(v);
    puts_uart("\n");
}

void guest_exception(unsigned vector, uint64_t esr, uint64_t *elr, uint64_t far)
{
    (void)far;
    if (vector == 7) { /* SError from EL1h */
        puts_uart("SError\n");
        serrors_taken++;
        return;
    }
    if (vector != 5) {
        report("unexpected exception, ESR ", esr);
        report("ELR ", *elr);
        system_off();
    }
    uint32_t iar = mmio_read32(GICC + 0x0C);
    if ((iar & 0x3FF) == TIMER_INTID)
        WRITE_SYSREG(cntv_ctl_el0, 0);
    report("IRQ, GICC_IAR = ", iar);
    report("GICC_RPR while active = ", mmio_read32(GICC + 0x14));
    mmio_write32(GICC + 0x10, iar);
    irqs_taken++;
}

static void wait_for(volatile unsigned *count, unsigned n)
{
    for (unsigned long i = 0; i < 20000000UL && *count < n; i++)
        __asm__ volatile("" ::: "memory");
    if (*count < n)
        puts_uart("nothing taken\n");
}

int main(void)
{
    report("GICD_TYPER.ITLinesNumber = ", mmio_read32(GICD + 0x4) & 0x1F);
    mmio_write32(GICD + 0x0, 1); /* Enable */
    *(volatile uint8_t *)(GICD + 0x400 + TIMER_INTID) = 0x80;
    *(volatile uint8_t *)(GICD + 0x400 + SGI_INTID) = 0x40;
    mmio_write32(GICD + 0x100, 1u << TIMER_INTID);
    report("GICD_ISENABLER0 = ", mmio_read32(GICD + 0x100));
    mmio_write32(GICC + 0x04, 0xF0); /* GICC_PMR */
    mmio_write32(GICC + 0x00, 1);    /* GICC_CTLR.EnableGrp0 */
    report("GICC_PMR = ", mmio_read32(GICC + 0x04));

    WRITE_SYSREG(cntv_tval_el0, 1000);
    WRITE_SYSREG(cntv_ctl_el0, 1);
    __asm__ volatile("msr daifclr, #2" ::: "memory");
    wait_for(&irqs_taken, 1);

    mmio_write32(GICD + 0xF00, (2u << 24) | SGI_INTID); /* GICD_SGIR: to self */
    wait_for(&irqs_taken, 2);
    __asm__ volatile("msr daifset, #2" ::: "memory");

    (void)*(volatile uint8_t *)(GICC + 0x0C); /* illegal: not a 32-bit access */
    puts_uart("byte access skipped\n");
    __asm__ volatile("msr daifclr, #4" ::: "memory");
    wait_for(&serrors_taken, 1);
    report("GICC_RPR idle = ", mmio_read32(GICC + 0x14));
    return 0;
}
