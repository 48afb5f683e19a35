/* Executes an undefined instruction and reports the exception it takes:
 * an UNDEFINED instruction is EC 0x00 at the current EL's vector
 * (ARM ARM D1.10.4, ESR_EL1.EC == 0b000000). */
#include "guest.h"

void guest_exception(unsigned vector, uint64_t esr, uint64_t *elr, uint64_t far)
{
    (void)far;
    puts_uart("exception vector ");
    put_hex(vector);
    puts_uart(" EC ");
    put_hex(esr >> 26);
    puts_uart(" IL ");
    put_hex((esr >> 25) & 1);
    puts_uart("\n");
    *elr += 4;
}

int main(void)
{
    __asm__ volatile("udf #0x1234");
    puts_uart("resumed after UDF\n");
    return 0;
}
