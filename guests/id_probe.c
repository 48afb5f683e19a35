/* The identification a guest reads at EL1: one "NAME value" line per
 * register, CCSIDR_EL1 once per cache CLIDR_EL1 describes, then the
 * firmware's answers (PSCI and SMCCC over HVC). Run on stepvisor --cpu X and
 * on QEMU -cpu X, the lines are the CPU model (tests/peer/cpu_model.sh). */
#include "guest.h"

#define READ(reg)                                                                              \
    ({                                                                                         \
        uint64_t v_;                                                                           \
        __asm__ volatile("mrs %0, " reg : "=r"(v_));                                           \
        v_;                                                                                    \
    })

static void report(const char *what, uint64_t v)
{
    puts_uart(what);
    puts_uart(" ");
    put_hex(v);
    puts_uart("\n");
}

/* CLIDR_EL1.Ctype<n> (D24.2.x): 1 instruction, 2 data, 3 separate, 4 unified. */
static void report_caches(uint64_t clidr)
{
    static const char *const kind[] = {"D", "I"};
    for (unsigned level = 0; level < 7; level++) {
        unsigned ctype = (clidr >> (3 * level)) & 7;
        if (ctype == 0)
            break;
        for (unsigned ind = 0; ind < 2; ind++) {
            int has = ind ? (ctype == 1 || ctype == 3) : (ctype >= 2);
            if (!has)
                continue;
            __asm__ volatile("msr csselr_el1, %0; isb" : : "r"((uint64_t)(level << 1 | ind)));
            puts_uart("CCSIDR_EL1(L");
            put_dec(level + 1);
            puts_uart(ctype == 4 ? "U" : kind[ind]);
            puts_uart(") ");
            put_hex(READ("ccsidr_el1"));
            puts_uart("\n");
        }
    }
}

#define SMCCC_VERSION 0x80000000U
#define SMCCC_ARCH_FEATURES 0x80000001U
#define PSCI_FEATURES 0x8400000AU

/* What Linux's PSCI driver asks PSCI_FEATURES about (drivers/firmware/psci). */
static const struct {
    const char *name;
    uint32_t id;
} kFeatures[] = {
    {"SMCCC_VERSION", SMCCC_VERSION},   {"CPU_SUSPEND", 0xC4000001U},
    {"CPU_ON", 0xC4000003U},            {"SYSTEM_SUSPEND", 0xC400000EU},
    {"SYSTEM_RESET2", 0x84000012U},     {"CPU_FREEZE", 0x8400000BU},
    {"PSCI_FEATURES", PSCI_FEATURES},
};

int main(void)
{
    report("MIDR_EL1", READ("midr_el1"));
    report("REVIDR_EL1", READ("revidr_el1"));
    report("AIDR_EL1", READ("aidr_el1"));
    report("CTR_EL0", READ("ctr_el0"));
    report("DCZID_EL0", READ("dczid_el0"));
    uint64_t clidr = READ("clidr_el1");
    report("CLIDR_EL1", clidr);
    report_caches(clidr);
    report("ID_AA64PFR0_EL1", READ("id_aa64pfr0_el1"));
    report("ID_AA64PFR1_EL1", READ("id_aa64pfr1_el1"));
    report("ID_AA64DFR0_EL1", READ("id_aa64dfr0_el1"));
    report("ID_AA64AFR0_EL1", READ("id_aa64afr0_el1"));
    report("ID_AA64ISAR0_EL1", READ("id_aa64isar0_el1"));
    report("ID_AA64ISAR1_EL1", READ("id_aa64isar1_el1"));
    report("ID_AA64ISAR2_EL1", READ("s3_0_c0_c6_2"));
    report("ID_AA64MMFR0_EL1", READ("id_aa64mmfr0_el1"));
    report("ID_AA64MMFR1_EL1", READ("id_aa64mmfr1_el1"));
    report("ID_AA64MMFR2_EL1", READ("s3_0_c0_c7_2"));
    report("PSCI_VERSION", hvc_call(PSCI_VERSION, 0, 0, 0));
    for (unsigned i = 0; i < sizeof(kFeatures) / sizeof(kFeatures[0]); i++) {
        puts_uart("PSCI_FEATURES(");
        puts_uart(kFeatures[i].name);
        puts_uart(")");
        report("", hvc_call(PSCI_FEATURES, kFeatures[i].id, 0, 0));
    }
    report("MIGRATE_INFO_TYPE", hvc_call(0x84000006U, 0, 0, 0));
    report("SMCCC_VERSION", hvc_call(SMCCC_VERSION, 0, 0, 0));
    report("SMCCC_ARCH_FEATURES(WORKAROUND_1)",
           hvc_call(SMCCC_ARCH_FEATURES, 0x80008000U, 0, 0));
    report("SMCCC_ARCH_FEATURES(WORKAROUND_2)",
           hvc_call(SMCCC_ARCH_FEATURES, 0x80007FFFU, 0, 0));
    report("SMCCC_ARCH_FEATURES(WORKAROUND_3)",
           hvc_call(SMCCC_ARCH_FEATURES, 0x80003FFFU, 0, 0));
    return 0;
}
