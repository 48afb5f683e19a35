/* Serial input: echoes what arrives on the PL011, upper-casing letters,
 * until a '.', polling UARTFR.RXFE as a bare-metal console does; then
 * powers off. Runs the same on QEMU virt. */
#include "guest.h"

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTFR_RXFE (1u << 4)

static char getc_uart(void)
{
    while (mmio_read32(PL011_BASE + UARTFR) & UARTFR_RXFE) {
    }
    return (char)(mmio_read32(PL011_BASE + UARTDR) & 0xFF);
}

int main(void)
{
    puts_uart("echo: type; '.' ends\n");
    for (;;) {
        char c = getc_uart();
        if (c == '.') break;
        putc_uart(c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c);
    }
    puts_uart("\nbye\n");
    system_off();
}
