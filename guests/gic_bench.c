/* Cost of one in-kernel MMIO access (a GICD_TYPER read) and of one ICC_*
 * access the hypervisor's fast path emulates (ICC_PMR_EL1, trapped when the
 * host turns ICH_HCR_EL2.TC on): three loops of the same length, the first
 * empty, each ended by a line on the UART that the host timestamps. */
#include "guest.h"

#ifndef ITERS
#define ITERS 200000
#endif

#define GICD 0x08000000UL

int main(void)
{
    uint64_t sink = 0;
    puts_uart("start\n");
    for (unsigned long i = 0; i < ITERS; i++)
        __asm__ volatile("" : "+r"(sink) : : "memory");
    puts_uart("empty\n");
    for (unsigned long i = 0; i < ITERS; i++)
        sink += mmio_read32(GICD + 0x4);
    puts_uart("mmio\n");
    for (unsigned long i = 0; i < ITERS; i++) {
        uint64_t v;
        __asm__ volatile("mrs %0, icc_pmr_el1" : "=r"(v) : : "memory");
        sink += v;
    }
    puts_uart("icc\n");
    return (int)(sink & 0);
}
