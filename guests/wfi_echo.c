/* Serial input while idle: waits in WFI until the PL011 has received
 * something, then echoes it upper-cased, until a '.'. Nothing here enables an
 * interrupt, so only a WFI that completes for another reason (the ARM ARM
 * lets an implementation end a WFI at any time; stepvisor's ends when the
 * VMM kicks the vcpu for host input) lets it see input: on QEMU it waits
 * forever. */
#include "guest.h"

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTFR_RXFE (1u << 4)

int main(void)
{
    puts_uart("wfi_echo: type; '.' ends\n");
    for (;;) {
        while (mmio_read32(PL011_BASE + UARTFR) & UARTFR_RXFE) __asm__ volatile("wfi");
        char c = (char)(mmio_read32(PL011_BASE + UARTDR) & 0xFF);
        if (c == '.') break;
        putc_uart(c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c);
    }
    puts_uart("\nbye\n");
    system_off();
}
