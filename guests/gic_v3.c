/* GICv3 from the guest's side on QEMU virt's layout: identify the
 * distributor and redistributor, wake the redistributor, enable the virtual
 * timer's PPI (INTID 27) and SGI 3 as Group 1, then take the timer interrupt
 * and an SGI to self (ICC_SGI1R_EL1) through ICC_IAR1_EL1 / ICC_EOIR1_EL1.
 * Runs the same on QEMU
 * -M virt,gic-version=3 -cpu max. */
#include "guest.h"

#define GICD 0x08000000UL
#define GICR 0x080A0000UL
#define GICR_SGI (GICR + 0x10000UL)
#define TIMER_INTID 27
#define SGI_INTID 3

#define READ_SYSREG(r) ({ uint64_t v_; __asm__ volatile("mrs %0, " #r : "=r"(v_)); v_; })
#define WRITE_SYSREG(r, v) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")

static volatile unsigned irqs_taken;

static void report(const char *what, uint64_t v)
{
    puts_uart(what);
    put_hex(v);
    puts_uart("\n");
}

void guest_exception(unsigned vector, uint64_t esr, uint64_t *elr, uint64_t far)
{
    (void)far;
    if (vector != 5) { /* only IRQs from EL1h are expected */
        report("unexpected exception, ESR ", esr);
        report("ELR ", *elr);
        system_off();
    }
    uint64_t intid = READ_SYSREG(icc_iar1_el1);
    if (intid == TIMER_INTID)
        WRITE_SYSREG(cntv_ctl_el0, 0); /* lower the timer's line before EOI */
    report("IRQ, ICC_IAR1_EL1 = ", intid);
    report("ICC_RPR_EL1 while active = ", READ_SYSREG(icc_rpr_el1));
    WRITE_SYSREG(icc_eoir1_el1, intid);
    irqs_taken++;
}

static void wait_for_irqs(unsigned n)
{
    for (unsigned long i = 0; i < 20000000UL && irqs_taken < n; i++)
        __asm__ volatile("" ::: "memory");
    if (irqs_taken < n)
        puts_uart("no interrupt\n");
}

int main(void)
{
    report("GICD_PIDR2.ArchRev = ", (mmio_read32(GICD + 0xFFE8) >> 4) & 0xF);
    report("GICD_TYPER.ITLinesNumber = ", mmio_read32(GICD + 0x4) & 0x1F);
    mmio_write32(GICD + 0x0, (1u << 4) | (1u << 1)); /* ARE, EnableGrp1 */
    report("GICD_CTLR = ", mmio_read32(GICD + 0x0));
    report("GICR_TYPER.Last = ", (mmio_read32(GICR + 0x8) >> 4) & 1);
    mmio_write32(GICR + 0x14, 0); /* GICR_WAKER.ProcessorSleep = 0 */
    while (mmio_read32(GICR + 0x14) & (1u << 2))
        ;
    report("GICR_WAKER = ", mmio_read32(GICR + 0x14));

    const uint32_t bits = (1u << TIMER_INTID) | (1u << SGI_INTID);
    mmio_write32(GICR_SGI + 0x080, bits); /* IGROUPR0: Group 1 */
    *(volatile uint8_t *)(GICR_SGI + 0x400 + TIMER_INTID) = 0x80;
    *(volatile uint8_t *)(GICR_SGI + 0x400 + SGI_INTID) = 0x40;
    mmio_write32(GICR_SGI + 0x100, bits); /* ISENABLER0 */
    report("GICR_ISENABLER0 = ", mmio_read32(GICR_SGI + 0x100));
    report("GICR_ICFGR0 = ", mmio_read32(GICR_SGI + 0xC00));

    WRITE_SYSREG(icc_pmr_el1, 0xF0);
    WRITE_SYSREG(icc_igrpen1_el1, 1);
    __asm__ volatile("isb");
    report("ICC_PMR_EL1 = ", READ_SYSREG(icc_pmr_el1));

    WRITE_SYSREG(cntv_tval_el0, 1000);
    WRITE_SYSREG(cntv_ctl_el0, 1);
    __asm__ volatile("msr daifclr, #2" ::: "memory");
    wait_for_irqs(1);

    /* SGI to self: INTID [27:24], TargetList bit 0 = Aff0 0, Aff3..1 = 0 */
    WRITE_SYSREG(icc_sgi1r_el1, ((uint64_t)SGI_INTID << 24) | 1);
    wait_for_irqs(2);
    __asm__ volatile("msr daifset, #2" ::: "memory");
    report("ICC_RPR_EL1 idle = ", READ_SYSREG(icc_rpr_el1));
    report("GICR_ISPENDR0 = ", mmio_read32(GICR_SGI + 0x200));
    return 0;
}
