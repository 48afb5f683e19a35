/* Branches to an IPA with nothing behind it. Stage 2 has no mapping there,
 * so the hypervisor injects a prefetch abort: EC 0x21 (instruction abort
 * from the current EL), FAR_EL1 = the target, ELR_EL1 = the target. */
#include "guest.h"

#define NOWHERE 0x20000000UL

void guest_exception(unsigned vector, uint64_t esr, uint64_t *elr, uint64_t far)
{
    puts_uart("vector ");
    put_hex(vector);
    puts_uart(" EC ");
    put_hex(esr >> 26);
    puts_uart(" FAR ");
    put_hex(far);
    puts_uart(" ELR ");
    put_hex(*elr);
    puts_uart("\n");
    system_off();
}

int main(void)
{
    ((void (*)(void))NOWHERE)();
    puts_uart("returned from nowhere\n");
    return 0;
}
