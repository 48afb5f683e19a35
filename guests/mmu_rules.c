/* Stage-1 rules checked against QEMU (tests/peer): the same text must come
 * out of both machines. DDI 0487 K.a D8.2 (translation process, start
 * level from the granule and TnSZ), D8.3 (descriptors), D8.4 (access
 * permissions, AP/UXN/PXN, EL0-writable memory is PXN at EL1), D8.5 (the
 * Access flag), D24.2 PAR_EL1 (AT results), D24.2.40 ESR_EL1 (DFSC,
 * IFSC, WnR) and FAR_EL1.
 *
 * TTBR0 (4 KiB granule, T0SZ 25) maps the devices and RAM one-to-one in 1
 * GiB blocks, for the code, stack and UART. Each configuration below
 * rebuilds TTBR1's tables with one granule (TG1: 4, 16, 64 KiB) and T1SZ
 * (16, 25, 39: 48-, 39- and 25-bit ranges) and maps, from the lowest VA
 * of the range, a page per rule:
 *   0 EL1 read/write      1 EL1 read-only        2 EL0 and EL1 read/write
 *   3 AF = 0              4 invalid              5 read-only at EL0 and EL1
 *   6 code                7 code, PXN            8 code, EL0-writable
 *   9 code, UXN only      10 Device-nGnRnE
 * plus, where the range allows, a level-2 block; then it loads, stores,
 * branches and runs AT through them and prints what happened. One
 * configuration adds APTable/PXNTable, unaligned Normal access and TBI1.
 * A fault is printed by the exception handler and skipped. */
#include "guest.h"

#define DESC_TABLE 0x3UL
#define DESC_PAGE 0x3UL
#define DESC_BLOCK 0x1UL
#define ATTR_NORMAL (0UL << 2) /* MAIR attr 0: Normal write-back */
#define ATTR_DEVICE (1UL << 2) /* MAIR attr 1: Device-nGnRnE */
#define AP_EL0 (1UL << 6)
#define AP_RO (1UL << 7)
#define SH_INNER (3UL << 8)
#define AF (1UL << 10)
#define PXN (1UL << 53)
#define UXN (1UL << 54)
#define NORMAL (ATTR_NORMAL | SH_INNER | AF)

#define TCR_T0SZ(n) ((uint64_t)(n))
#define TCR_T1SZ(n) ((uint64_t)(n) << 16)
#define TCR_IPS_48 (5UL << 32)
#define TCR_WBWA (1UL << 8 | 1UL << 10 | 1UL << 24 | 1UL << 26)
#define TCR_SH_INNER (3UL << 12 | 3UL << 28)

#define POOL_SIZE 0x100000UL
#define MARKER 0x1122334455667788UL

static uint64_t ttbr0_l1[512] __attribute__((aligned(4096)));
static uint8_t pool[POOL_SIZE] __attribute__((aligned(0x10000)));
static uint64_t data_page[0x10000 / 8] __attribute__((aligned(0x10000)));
extern char exec_page[];

/* A page of code of its own: returns 42. */
__asm__(".pushsection .text.exec, \"ax\"\n"
        ".balign 0x10000\n"
        ".global exec_page\n"
        "exec_page:\n"
        "    mov x0, #42\n"
        "    ret\n"
        ".popsection\n");

static unsigned grain, t1sz;
static uint64_t pool_next;
static uint64_t ttbr1_root;
static volatile uint64_t recover_to; /* where an Instruction Abort resumes */

void guest_exception(unsigned vector, uint64_t esr, uint64_t *elr, uint64_t far)
{
    const unsigned ec = (unsigned)(esr >> 26);
    puts_uart("    abort: vector ");
    put_hex(vector);
    puts_uart(" EC ");
    put_hex(ec);
    puts_uart(" FSC ");
    put_hex(esr & 0x3F);
    puts_uart(" WnR ");
    put_hex(ec == 0x25 ? (esr >> 6) & 1 : 0);
    puts_uart(" FAR ");
    put_hex(far);
    puts_uart("\n");
    if (recover_to) {
        *elr = recover_to;
        recover_to = 0;
    } else {
        *elr += 4;
    }
}

static uint64_t alloc_table(void)
{
    const uint64_t size = 1UL << grain;
    pool_next = (pool_next + size - 1) & ~(size - 1);
    volatile uint64_t *t = (volatile uint64_t *)&pool[pool_next];
    for (uint64_t i = 0; i < size / 8; ++i)
        t[i] = 0;
    pool_next += size;
    return (uint64_t)t;
}

/* AArch64.S1StartLevel: the levels left once each stride of grain - 3
 * bits is taken from the input size. */
static unsigned start_level(void)
{
    const unsigned stride = grain - 3, inputsize = 64 - t1sz;
    return 4 - (inputsize - grain + stride - 1) / stride;
}

static uint64_t *slot(uint64_t va, unsigned level)
{
    const unsigned stride = grain - 3, inputsize = 64 - t1sz;
    uint64_t table = ttbr1_root;
    for (unsigned l = start_level();; ++l) {
        const unsigned shift = grain + stride * (3 - l);
        const unsigned n = inputsize - shift < stride ? inputsize - shift : stride;
        uint64_t *e = (uint64_t *)table + ((va >> shift) & ((1UL << n) - 1));
        if (l == level)
            return e;
        if (!(*e & 1))
            *e = alloc_table() | DESC_TABLE;
        table = *e & 0xFFFFFFFFF000UL & ~((1UL << grain) - 1);
    }
}

static void map_page(uint64_t va, uint64_t pa, uint64_t attrs) { *slot(va, 3) = pa | attrs | DESC_PAGE; }

static uint64_t page_va(unsigned k) { return -(1UL << (64 - t1sz)) + ((uint64_t)k << grain); }

static void print_va(const char *what, uint64_t va)
{
    puts_uart("  ");
    puts_uart(what);
    puts_uart(" ");
    put_hex(va);
    puts_uart(": ");
}

static uint64_t load(uint64_t va)
{
    uint64_t v = 0xDEAD;
    __asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(va) : "memory");
    return v;
}

static void store(uint64_t va, uint64_t v) { __asm__ volatile("str %0, [%1]" ::"r"(v), "r"(va) : "memory"); }

static uint64_t load_unpriv(uint64_t va)
{
    uint64_t v = 0xDEAD;
    __asm__ volatile("ldtr %0, [%1]" : "+r"(v) : "r"(va) : "memory");
    return v;
}

static void try_load(const char *what, uint64_t va, int unpriv)
{
    print_va(what, va);
    puts_uart("\n");
    const uint64_t v = unpriv ? load_unpriv(va) : load(va);
    puts_uart("    value ");
    put_hex(v);
    puts_uart("\n");
}

static void try_store(const char *what, uint64_t va, uint64_t v)
{
    print_va(what, va);
    puts_uart("\n");
    store(va, v);
}

/* BLR to va; a fetch abort resumes after the BLR with x0 still 0xdead. */
static void try_exec(const char *what, uint64_t va)
{
    uint64_t x0;
    print_va(what, va);
    puts_uart("\n");
    __asm__ volatile("mov x0, #0xdead\n"
                     "adr x9, 1f\n"
                     "str x9, [%1]\n"
                     "blr %2\n"
                     "1: mov %0, x0\n"
                     : "=r"(x0)
                     : "r"(&recover_to), "r"(va)
                     : "x0", "x9", "x30", "memory");
    recover_to = 0;
    puts_uart("    x0 ");
    put_hex(x0);
    puts_uart("\n");
}

/* PAR_EL1 fields the architecture defines for this case: F, and FST for
 * a fault; PA, ATTR and SH otherwise (D24.2.x PAR_EL1). */
static void print_par(const char *op, uint64_t par)
{
    puts_uart("    ");
    puts_uart(op);
    if (par & 1) {
        puts_uart(" F FST ");
        put_hex((par >> 1) & 0x3F);
    } else {
        puts_uart(" PA ");
        put_hex(par & 0xFFFFFFFFF000UL);
        puts_uart(" ATTR ");
        put_hex(par >> 56);
        puts_uart(" SH ");
        put_hex((par >> 7) & 3);
    }
    puts_uart("\n");
}

#define AT(op, va)                                                                              \
    ({                                                                                          \
        uint64_t par_;                                                                          \
        __asm__ volatile("at " #op ", %1; isb; mrs %0, par_el1" : "=r"(par_) : "r"(va) : "memory"); \
        par_;                                                                                   \
    })

static void try_at(const char *what, uint64_t va)
{
    print_va(what, va);
    puts_uart("AT\n");
    print_par("S1E1R", AT(s1e1r, va));
    print_par("S1E1W", AT(s1e1w, va));
    print_par("S1E0R", AT(s1e0r, va));
    print_par("S1E0W", AT(s1e0w, va));
}

static void ttbr1_on(void)
{
    static const uint64_t tg1[17] = {[12] = 2UL << 30, [14] = 1UL << 30, [16] = 3UL << 30};
    const uint64_t tcr = TCR_T0SZ(25) | TCR_T1SZ(t1sz) | tg1[grain] | TCR_IPS_48 | TCR_WBWA | TCR_SH_INNER;
    __asm__ volatile("dsb ishst\n"
                     "msr tcr_el1, %0\n"
                     "msr ttbr1_el1, %1\n"
                     "isb\n"
                     "tlbi vmalle1\n"
                     "dsb ish\n"
                     "isb" ::"r"(tcr),
                     "r"(ttbr1_root)
                     : "memory");
}

static void build_ttbr1(void)
{
    const uint64_t data = (uint64_t)data_page, code = (uint64_t)exec_page;
    pool_next = 0;
    ttbr1_root = alloc_table();
    map_page(page_va(0), data, NORMAL | PXN | UXN);
    map_page(page_va(1), data, NORMAL | AP_RO | PXN | UXN);
    map_page(page_va(2), data, NORMAL | AP_EL0 | PXN | UXN);
    map_page(page_va(3), data, (NORMAL & ~AF) | PXN | UXN);
    *slot(page_va(4), 3) = 0;
    map_page(page_va(5), data, NORMAL | AP_RO | AP_EL0 | PXN | UXN);
    map_page(page_va(6), code, NORMAL | AP_RO | UXN);
    map_page(page_va(7), code, NORMAL | AP_RO | PXN | UXN);
    map_page(page_va(8), code, NORMAL | AP_EL0 | UXN);
    map_page(page_va(9), code, NORMAL | AP_RO | UXN);
    /* SH = 10: PAR_EL1.SH is 0b10 for Device memory whatever the
     * descriptor says (D24.2 PAR_EL1, SH); QEMU 7.2 returns the
     * descriptor's SH instead (docs/oracle-exceptions.md). */
    map_page(page_va(10), data, ATTR_DEVICE | 2UL << 8 | AF | PXN | UXN);
}

/* A level-2 block over the data page's block, where the range holds two
 * blocks and level 2 is not below the start level. */
static void block_rule(void)
{
    const uint64_t bs = 1UL << (grain + (grain - 3)); /* level 2: one stride above a page */
    if ((1UL << (64 - t1sz)) < 2 * bs || start_level() > 2)
        return;
    const uint64_t va = -(1UL << (64 - t1sz)) + bs, data = (uint64_t)data_page;
    *slot(va, 2) = (data & ~(bs - 1)) | NORMAL | PXN | UXN | DESC_BLOCK;
    __asm__ volatile("dsb ish; tlbi vmalle1; dsb ish; isb" ::: "memory");
    try_load("block", va + (data & (bs - 1)), 0);
    try_at("block", va + (data & (bs - 1)));
}

static void set_tcr_tbi1(int on)
{
    uint64_t tcr;
    __asm__ volatile("mrs %0, tcr_el1" : "=r"(tcr));
    tcr = on ? tcr | 1UL << 38 : tcr & ~(1UL << 38);
    __asm__ volatile("msr tcr_el1, %0; isb; tlbi vmalle1; dsb ish; isb" ::"r"(tcr) : "memory");
}

/* Rules outside the leaf descriptor (one configuration is enough):
 * hierarchical APTable/PXNTable, an unaligned Normal access, and
 * TCR_EL1.TBI1 (D8.3.1 table descriptor attributes, B2.5.2 "Alignment of
 * data accesses", D8.8 "Address tagging"). Left to the unit tests:
 * SCTLR_EL1.WXN (this guest's code runs from EL1-writable RAM) and the
 * Alignment fault of an unaligned Device access, which QEMU 7.2 does not
 * take (docs/oracle-exceptions.md, qemu-device-unaligned). */
static void other_rules(void)
{
    const uint64_t code = (uint64_t)exec_page, data = (uint64_t)data_page;
    const uint64_t bs = 1UL << (grain + (grain - 3)), hier = page_va(0) + 2 * bs;
    map_page(hier, data, NORMAL | PXN | UXN);
    map_page(hier + (1UL << grain), code, NORMAL | AP_RO | UXN);
    *slot(hier, 2) |= 1UL << 62 | 1UL << 59; /* APTable[1]: read-only; PXNTable */
    __asm__ volatile("dsb ish; tlbi vmalle1; dsb ish; isb" ::: "memory");

    try_store("RW page under APTable read-only", hier, 3);
    try_load("RW page under APTable read-only", hier, 0);
    try_exec("code under PXNTable", hier + (1UL << grain));
    try_load("unaligned Normal", page_va(0) + 4, 0);
    try_load("top byte 0xab, TBI1 0", page_va(0) ^ 0x5400000000000000UL, 0);
    set_tcr_tbi1(1);
    try_load("top byte 0xab, TBI1 1", page_va(0) ^ 0x5400000000000000UL, 0);
    set_tcr_tbi1(0);
}

static void configuration(unsigned g, unsigned t)
{
    grain = g;
    t1sz = t;
    puts_uart("granule ");
    put_hex(1UL << g);
    puts_uart(" T1SZ ");
    put_hex(t);
    puts_uart("\n");
    data_page[0] = MARKER ^ g ^ (uint64_t)t << 8;
    build_ttbr1();
    ttbr1_on();

    try_load("EL1 RW", page_va(0), 0);
    try_store("EL1 RW", page_va(0), MARKER + t);
    try_load("read-only alias", page_va(5), 0);
    try_store("EL1 read-only", page_va(1), 1);
    try_load("EL1 read-only", page_va(1), 0);
    try_load("LDTR, EL1 only", page_va(0), 1);
    try_load("LDTR, EL0 RW", page_va(2), 1);
    try_load("AF 0", page_va(3), 0);
    try_load("invalid page", page_va(4), 0);
    try_load("unpopulated half", -(1UL << (64 - t1sz)) + (1UL << (63 - t1sz)), 0);
    try_load("below the range", page_va(0) - 8, 0);
    try_exec("code", page_va(6));
    try_exec("code PXN", page_va(7));
    try_exec("code EL0-writable", page_va(8));
    try_exec("code UXN only", page_va(9));
    for (unsigned k = 0; k <= 5; ++k)
        try_at("page", page_va(k));
    try_at("device", page_va(10));
    block_rule();
    if (g == 12 && t == 25)
        other_rules();
}

static void ttbr0_on(void)
{
    const uint64_t tcr = TCR_T0SZ(25) | TCR_T1SZ(25) | (2UL << 30) | TCR_IPS_48 | TCR_WBWA | TCR_SH_INNER |
                         (1UL << 23); /* EPD1 until a configuration builds TTBR1 */
    uint64_t sctlr;
    ttbr0_l1[0] = 0x00000000UL | DESC_BLOCK | ATTR_DEVICE | AF | PXN | UXN;
    ttbr0_l1[1] = 0x40000000UL | DESC_BLOCK | NORMAL;
    __asm__ volatile("msr mair_el1, %0" ::"r"(0x00FFUL));
    __asm__ volatile("msr tcr_el1, %0" ::"r"(tcr));
    __asm__ volatile("msr ttbr0_el1, %0" ::"r"((uint64_t)ttbr0_l1));
    __asm__ volatile("dsb ish; tlbi vmalle1; dsb ish; isb");
    __asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
    sctlr |= 1UL | 1UL << 2 | 1UL << 12; /* M, C, I */
    __asm__ volatile("msr sctlr_el1, %0; isb" ::"r"(sctlr));
}

int main(void)
{
    static const unsigned grains[] = {12, 14, 16};
    static const unsigned sizes[] = {16, 25, 39};
    ttbr0_on();
    for (unsigned g = 0; g < 3; ++g)
        for (unsigned s = 0; s < 3; ++s)
            configuration(grains[g], sizes[s]);
    puts_uart("done\n");
    return 0;
}
