/* System register accesses the hypervisor traps and emulates (HCR_EL2.TID3,
 * TVM, TACR, TIDCP; MDCR_EL2.TDA, TDOSA, TDRA), each value printed; the
 * registers that do not exist are UNDEFINED, seen by this guest's vector. */
#include "guest.h"

#define READ(reg)                                                                              \
    ({                                                                                         \
        uint64_t v_;                                                                           \
        __asm__ volatile("mrs %0, " reg : "=r"(v_));                                           \
        v_;                                                                                    \
    })
#define WRITE(reg, v) __asm__ volatile("msr " reg ", %0; isb" : : "r"((uint64_t)(v)))

static volatile unsigned undefs;

void guest_exception(unsigned vector, uint64_t esr, uint64_t *elr, uint64_t far)
{
    (void)far;
    if (vector != 4 || (esr >> 26) != 0) {
        puts_uart("unexpected exception\n");
        system_off();
    }
    undefs++;
    *elr += 4;
}

static void report(const char *what, uint64_t v)
{
    puts_uart(what);
    puts_uart(" ");
    put_hex(v);
    puts_uart("\n");
}

static void expect_undef(const char *what, unsigned before)
{
    report(what, undefs - before);
}

int main(void)
{
    report("ID_AA64PFR0_EL1", READ("id_aa64pfr0_el1"));
    report("ID_AA64DFR0_EL1", READ("id_aa64dfr0_el1"));
    report("ID reserved S3_0_C0_C3_3", READ("s3_0_c0_c3_3"));
    report("OSLSR_EL1 at reset", READ("oslsr_el1"));
    WRITE("oslar_el1", 0);
    report("OSLSR_EL1 after OSLAR 0", READ("oslsr_el1"));
    WRITE("mdscr_el1", 0x8000);
    report("MDSCR_EL1", READ("mdscr_el1"));
    WRITE("dbgbvr3_el1", 0x40201003);
    report("DBGBVR3_EL1", READ("dbgbvr3_el1"));
    report("MDRAR_EL1", READ("mdrar_el1"));
    WRITE("actlr_el1", 0x1234);
    report("ACTLR_EL1 after write", READ("actlr_el1"));
    WRITE("mair_el1", 0xff04);
    report("MAIR_EL1", READ("mair_el1"));
    WRITE("contextidr_el1", 0x77);
    report("CONTEXTIDR_EL1", READ("contextidr_el1"));
    __asm__ volatile("dc cisw, %0" : : "r"(0UL));
    WRITE("cntp_cval_el0", 0x1234);
    report("CNTP_CVAL_EL0", READ("cntp_cval_el0"));

    unsigned before = undefs;
    WRITE("s3_0_c12_c11_5", 1); /* ICC_SGI1R_EL1 without an irqchip */
    expect_undef("ICC_SGI1R_EL1 UNDEFINED", before);
    before = undefs;
    (void)READ("s3_0_c15_c2_0"); /* IMPLEMENTATION DEFINED, trapped by TIDCP */
    expect_undef("S3_0_C15_C2_0 UNDEFINED", before);
    before = undefs;
    WRITE("id_aa64pfr0_el1", 0); /* read-only */
    expect_undef("MSR ID_AA64PFR0_EL1 UNDEFINED", before);
    return 0;
}
