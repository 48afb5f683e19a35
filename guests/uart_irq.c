/* Serial input by interrupt, as Linux's amba-pl011 driver takes it: the
 * PL011's receive interrupt (UARTIMSC.RXIM, RTIM) on SPI 1 = INTID 33,
 * routed as Group 1 through the GICv3 distributor, and the guest sleeping
 * in WFI between characters. Echoes input upper-cased until a '.'. */
#include "guest.h"

#define GICD 0x08000000UL
#define GICR 0x080A0000UL
#define UART_INTID 33
#define UARTDR 0x000
#define UARTFR 0x018
#define UARTIMSC 0x038
#define UARTICR 0x044
#define UARTFR_RXFE (1u << 4)
#define RXIM (1u << 4)
#define RTIM (1u << 6)

#define READ_SYSREG(r) ({ uint64_t v_; __asm__ volatile("mrs %0, " #r : "=r"(v_)); v_; })
#define WRITE_SYSREG(r, v) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")

static volatile int done;
static volatile unsigned interrupts;

void guest_exception(unsigned vector, uint64_t esr, uint64_t *elr, uint64_t far)
{
    (void)far;
    if (vector != 5) {
        puts_uart("unexpected exception, ESR ");
        put_hex(esr);
        puts_uart(" ELR ");
        put_hex(*elr);
        puts_uart("\n");
        system_off();
    }
    uint64_t intid = READ_SYSREG(icc_iar1_el1);
    if (intid == UART_INTID) {
        interrupts++;
        while (!(mmio_read32(PL011_BASE + UARTFR) & UARTFR_RXFE)) {
            char c = (char)(mmio_read32(PL011_BASE + UARTDR) & 0xFF);
            if (c == '.') done = 1;
            else putc_uart(c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c);
        }
        mmio_write32(PL011_BASE + UARTICR, RXIM | RTIM);
    }
    WRITE_SYSREG(icc_eoir1_el1, intid);
}

int main(void)
{
    mmio_write32(GICD + 0x0, (1u << 4) | (1u << 1)); /* ARE, EnableGrp1 */
    mmio_write32(GICR + 0x14, 0);                    /* wake the redistributor */
    while (mmio_read32(GICR + 0x14) & (1u << 2))
        ;
    mmio_write32(GICD + 0x080 + 4 * (UART_INTID / 32), 1u << (UART_INTID % 32)); /* IGROUPR */
    *(volatile uint8_t *)(GICD + 0x400 + UART_INTID) = 0x80;                     /* IPRIORITYR */
    *(volatile uint64_t *)(GICD + 0x6000 + 8 * UART_INTID) = 0;                  /* IROUTER: cpu 0 */
    mmio_write32(GICD + 0x100 + 4 * (UART_INTID / 32), 1u << (UART_INTID % 32)); /* ISENABLER */
    WRITE_SYSREG(icc_pmr_el1, 0xF0);
    WRITE_SYSREG(icc_igrpen1_el1, 1);
    mmio_write32(PL011_BASE + UARTIMSC, RXIM | RTIM);
    puts_uart("uart_irq: type; '.' ends\n");
    __asm__ volatile("msr daifclr, #2" ::: "memory");
    while (!done)
        __asm__ volatile("wfi");
    __asm__ volatile("msr daifset, #2" ::: "memory");
    puts_uart(interrupts ? "\nbye (input by interrupt)\n" : "\nbye (no interrupt)\n");
    return 0;
}
