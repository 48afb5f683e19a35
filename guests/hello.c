/* The default guest: greets through the PL011 and powers off. */
#include "guest.h"

int main(void)
{
    puts_uart("Hello from EL1 on stepvisor\n");
    return 0;
}
