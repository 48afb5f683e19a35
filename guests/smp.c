/* PSCI on three vcpus: the boot vcpu starts two secondaries with CPU_ON,
 * each prints its context id and MPIDR and turns itself off with CPU_OFF;
 * then bad PSCI arguments, and WFI / CPU_SUSPEND sleeping until the virtual
 * timer's deadline. The output is the same on every run. */
#include "guest.h"

#define PSCI_CPU_SUSPEND 0xC4000001U
#define PSCI_CPU_OFF 0x84000002U
#define PSCI_CPU_ON 0xC4000003U
#define PSCI_AFFINITY_INFO 0xC4000004U
#define PSCI_MIGRATE_INFO_TYPE 0x84000006U
#define PSCI_FEATURES 0x8400000AU
#define SMCCC_VERSION 0x80000000U

static volatile uint32_t up[3], go[3];
static uint8_t stacks[3][4096] __attribute__((aligned(16), used));

/* x0 = context id = the vcpu's index: one stack page each. */
__asm__(".global secondary_entry\n"
        "secondary_entry:\n"
        "    adrp x1, stacks\n"
        "    add  x1, x1, :lo12:stacks\n"
        "    add  x2, x0, #1\n"
        "    lsl  x2, x2, #12\n"
        "    add  sp, x1, x2\n"
        "    bl   secondary_main\n"
        "1:  b    1b\n");
void secondary_entry(void);

static void report(const char *what, uint64_t v)
{
    puts_uart(what);
    puts_uart(" ");
    put_hex(v);
    puts_uart("\n");
}

void secondary_main(uint64_t idx)
{
    uint64_t mpidr;
    while (!go[idx]) /* the boot vcpu has printed CPU_ON's result */
        __asm__ volatile("wfe");
    __asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
    report("secondary up, context id", idx);
    report("  mpidr", mpidr);
    up[idx] = 1;
    hvc_call(PSCI_CPU_OFF, 0, 0, 0);
    puts_uart("CPU_OFF returned\n");
}

static void start(uint64_t idx)
{
    report("CPU_ON", hvc_call(PSCI_CPU_ON, idx, (uintptr_t)secondary_entry, idx));
    go[idx] = 1;
    while (!up[idx])
        __asm__ volatile("wfe");
    while (hvc_call(PSCI_AFFINITY_INFO, idx, 0, 0) != 1)
        __asm__ volatile("wfe");
    report("AFFINITY_INFO after CPU_OFF", 1);
}

static uint64_t cntvct(void)
{
    uint64_t v;
    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
    return v;
}

/* Arms the virtual timer 100000 ticks ahead (interrupts stay masked by
 * PSTATE, which does not stop WFI from waking). */
static uint64_t arm_timer(void)
{
    uint64_t cval = cntvct() + 100000;
    __asm__ volatile("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb"
                     :
                     : "r"(cval), "r"(1UL));
    return cval;
}

static void disarm_timer(void) { __asm__ volatile("msr cntv_ctl_el0, xzr; isb"); }

int main(void)
{
    start(1);
    start(2);
    report("CPU_ON self", hvc_call(PSCI_CPU_ON, 0, (uintptr_t)secondary_entry, 0));
    report("CPU_ON unknown mpidr", hvc_call(PSCI_CPU_ON, 7, (uintptr_t)secondary_entry, 0));
    report("CPU_ON misaligned entry", hvc_call(PSCI_CPU_ON, 1, (uintptr_t)secondary_entry + 2, 0));
    report("AFFINITY_INFO level 4", hvc_call(PSCI_AFFINITY_INFO, 0, 4, 0));
    report("AFFINITY_INFO self", hvc_call(PSCI_AFFINITY_INFO, 0, 0, 0));
    report("MIGRATE_INFO_TYPE", hvc_call(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0));
    report("PSCI_FEATURES(CPU_ON)", hvc_call(PSCI_FEATURES, PSCI_CPU_ON, 0, 0));
    report("PSCI_FEATURES(SMCCC_VERSION)", hvc_call(PSCI_FEATURES, SMCCC_VERSION, 0, 0));

    uint64_t cval = arm_timer();
    __asm__ volatile("wfi");
    uint64_t late = cntvct() - cval;
    report("WFI slept to the deadline", late < 16);
    disarm_timer();

    cval = arm_timer();
    uint64_t r = hvc_call(PSCI_CPU_SUSPEND, 0, 0, 0);
    late = cntvct() - cval;
    report("CPU_SUSPEND", r);
    report("CPU_SUSPEND slept to the deadline", late < 16);
    disarm_timer();
    return 0;
}
