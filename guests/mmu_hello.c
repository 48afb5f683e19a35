/* Turns the stage-1 MMU on and prints through it (DDI 0487 K.a D8).
 *
 * TTBR0: 4 KiB granule, 39-bit VA (T0SZ = 25, lookup from level 1): a 1 GiB
 * Device block over the devices (UART, GIC) and a 1 GiB Normal block over
 * RAM, both one-to-one. TTBR1 (T1SZ = 25): the UART again as one 4 KiB
 * Device page at the top of the address space, reached through a level-2
 * and a level-3 table. Then AT S1E1R reports the UART alias's PA, and a
 * load from an unmapped VA takes a level-1 Translation fault, which the
 * guest reports and skips. Same output on stepvisor and on QEMU virt. */
#include "guest.h"

#define DESC_BLOCK 0x1UL
#define DESC_TABLE 0x3UL
#define DESC_PAGE 0x3UL
#define ATTR_NORMAL (0UL << 2) /* MAIR attr 0 */
#define ATTR_DEVICE (1UL << 2) /* MAIR attr 1 */
#define SH_INNER (3UL << 8)
#define AF (1UL << 10)
#define PXN (1UL << 53)
#define UXN (1UL << 54)

#define TCR_T0SZ(n) ((uint64_t)(n))
#define TCR_T1SZ(n) ((uint64_t)(n) << 16)
#define TCR_TG0_4K (0UL << 14)
#define TCR_TG1_4K (2UL << 30)
#define TCR_IPS_48 (5UL << 32)
#define TCR_WBWA (1UL << 8 | 1UL << 10 | 1UL << 24 | 1UL << 26) /* IRGNn/ORGNn */
#define TCR_SH_INNER (3UL << 12 | 3UL << 28)

#define UART_ALIAS 0xFFFFFFFFFFFFF000UL /* the last page of the TTBR1 range */
#define UNMAPPED 0x0000000080000000UL   /* level-1 entry 2: invalid */

static uint64_t ttbr0_l1[512] __attribute__((aligned(4096)));
static uint64_t ttbr1_l1[512] __attribute__((aligned(4096)));
static uint64_t ttbr1_l2[512] __attribute__((aligned(4096)));
static uint64_t ttbr1_l3[512] __attribute__((aligned(4096)));

static void alias_puts(const char *s)
{
    for (; *s; ++s) mmio_write32(UART_ALIAS, (uint32_t)*s);
}

static void build_tables(void)
{
    ttbr0_l1[0] = 0x00000000UL | DESC_BLOCK | ATTR_DEVICE | AF | PXN | UXN;
    ttbr0_l1[1] = 0x40000000UL | DESC_BLOCK | ATTR_NORMAL | SH_INNER | AF;
    ttbr1_l1[511] = (uint64_t)ttbr1_l2 | DESC_TABLE;
    ttbr1_l2[511] = (uint64_t)ttbr1_l3 | DESC_TABLE;
    ttbr1_l3[511] = PL011_BASE | DESC_PAGE | ATTR_DEVICE | AF | PXN | UXN;
}

static void mmu_on(void)
{
    const uint64_t tcr = TCR_T0SZ(25) | TCR_T1SZ(25) | TCR_TG0_4K | TCR_TG1_4K | TCR_IPS_48 |
                         TCR_WBWA | TCR_SH_INNER;
    uint64_t sctlr;
    __asm__ volatile("msr mair_el1, %0" ::"r"(0x00FFUL));
    __asm__ volatile("msr tcr_el1, %0" ::"r"(tcr));
    __asm__ volatile("msr ttbr0_el1, %0" ::"r"((uint64_t)ttbr0_l1));
    __asm__ volatile("msr ttbr1_el1, %0" ::"r"((uint64_t)ttbr1_l1));
    __asm__ volatile("dsb ish; tlbi vmalle1; dsb ish; isb");
    __asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
    sctlr |= 1UL | 1UL << 2 | 1UL << 12; /* M, C, I */
    __asm__ volatile("msr sctlr_el1, %0; isb" ::"r"(sctlr));
}

void guest_exception(unsigned vector, uint64_t esr, uint64_t *elr, uint64_t far)
{
    puts_uart("abort: vector ");
    put_hex(vector);
    puts_uart(" EC ");
    put_hex(esr >> 26);
    puts_uart(" DFSC ");
    put_hex(esr & 0x3F);
    puts_uart(" FAR ");
    put_hex(far);
    puts_uart("\n");
    *elr += 4;
}

int main(void)
{
    build_tables();
    mmu_on();
    puts_uart("MMU on\n");
    alias_puts("hello through TTBR1\n");

    uint64_t par;
    __asm__ volatile("at s1e1r, %1; isb; mrs %0, par_el1" : "=r"(par) : "r"(UART_ALIAS));
    puts_uart("AT S1E1R PA ");
    put_hex(par & 0xFFFFFFFFF000UL);
    puts_uart(" F ");
    put_hex(par & 1);
    puts_uart("\n");

    (void)*(volatile uint64_t *)UNMAPPED;
    puts_uart("resumed\n");
    return 0;
}
