/* Counts its boots in RAM outside its image (RAM keeps its contents across a
 * system reset; the image is reloaded): prints "boot N", requests a reset
 * (PSCI SYSTEM_RESET) until the third boot, then powers off. The counter's
 * word is 0 on the first boot because RAM starts zeroed, on QEMU as here. */
#include "guest.h"

#define BOOT_COUNTER 0x40400000UL /* 2 MiB above the image, below RAM's end at -m 8M */

int main(void)
{
    volatile uint64_t *counter = (volatile uint64_t *)BOOT_COUNTER;
    uint64_t n = *counter + 1;
    *counter = n;
    puts_uart("boot ");
    put_hex(n);
    puts_uart("\n");
    if (n < 3) hvc_call(PSCI_SYSTEM_RESET, 0, 0, 0);
    system_off();
}
