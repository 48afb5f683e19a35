/* PL011 transmit, PSCI over HVC, and the default exception report. */
#include "guest.h"

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTFR_TXFF (1u << 5)

void putc_uart(char c)
{
    while (mmio_read32(PL011_BASE + UARTFR) & UARTFR_TXFF)
        ;
    mmio_write32(PL011_BASE + UARTDR, (uint8_t)c);
}

void puts_uart(const char *s)
{
    while (*s)
        putc_uart(*s++);
}

void put_hex(uint64_t v)
{
    puts_uart("0x");
    for (int i = 60; i >= 0; i -= 4)
        putc_uart("0123456789abcdef"[(v >> i) & 0xf]);
}

void put_dec(uint64_t v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        putc_uart(tmp[--n]);
}

uint64_t hvc_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t x0 __asm__("x0") = fn;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    __asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
    return x0;
}

void system_off(void)
{
    hvc_call(PSCI_SYSTEM_OFF, 0, 0, 0);
    for (;;)
        __asm__ volatile("wfi");
}

__attribute__((weak)) void guest_exception(unsigned vector, uint64_t esr, uint64_t *elr,
                                           uint64_t far)
{
    puts_uart("unexpected exception: vector ");
    put_hex(vector);
    puts_uart(" ESR ");
    put_hex(esr);
    puts_uart(" ELR ");
    put_hex(*elr);
    puts_uart(" FAR ");
    put_hex(far);
    puts_uart("\n");
    system_off();
}
