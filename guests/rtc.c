/* The PL031 RTC at QEMU virt's 0x09010000 as a driver sees it: the ids, the
 * control register (started), a load read back through RTCDR, the match
 * interrupt's raw and masked status for a match that is not ahead (at once)
 * and for one that is. Prints only what does not depend on the host's
 * clock, so the output matches QEMU's (tests/peer). */
#include "guest.h"

#define RTC_BASE 0x09010000UL
#define RTCDR 0x000
#define RTCMR 0x004
#define RTCLR 0x008
#define RTCCR 0x00C
#define RTCIMSC 0x010
#define RTCRIS 0x014
#define RTCMIS 0x018
#define RTCICR 0x01C
#define RTCPERIPHID0 0xFE0

/* One plain LDR/STR each: a loop's post-indexed load would carry no
 * instruction syndrome, which a KVM-shaped VMM cannot emulate (ARM_NISV). */
static uint32_t rd(uintptr_t off)
{
    uint32_t v;
    __asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(RTC_BASE + off) : "memory");
    return v;
}

static void wr(uintptr_t off, uint32_t v)
{
    __asm__ volatile("str %w0, [%1]" : : "r"(v), "r"(RTC_BASE + off) : "memory");
}

static void show(const char *what, uint64_t v)
{
    puts_uart(what);
    put_hex(v);
    puts_uart("\n");
}

static void show_status(const char *when)
{
    puts_uart(when);
    puts_uart(": RIS ");
    put_hex(rd(RTCRIS));
    puts_uart(" MIS ");
    put_hex(rd(RTCMIS));
    puts_uart("\n");
}

int main(void)
{
    puts_uart("rtc: ids");
    for (unsigned i = 0; i < 8; i++) {
        puts_uart(" ");
        put_hex(rd(RTCPERIPHID0 + 4 * i));
    }
    puts_uart("\n");
    show("rtc: CR ", rd(RTCCR));
    wr(RTCCR, 0);
    show("rtc: CR after writing 0 ", rd(RTCCR));

    const uint32_t load = 1000000;
    wr(RTCLR, load);
    uint32_t dr = rd(RTCDR);
    /* A second may tick between the two accesses on a machine whose RTC
     * follows the host's clock. */
    puts_uart(dr - load <= 1 ? "rtc: DR counts on from the load\n" : "rtc: DR ignored the load\n");

    wr(RTCMR, rd(RTCDR));  /* not ahead: the raw status is set at once */
    puts_uart(rd(RTCMR) - load <= 1 ? "rtc: MR reads back\n" : "rtc: MR lost\n");
    show_status("rtc: match now, masked");
    wr(RTCIMSC, 1);
    show("rtc: IMSC ", rd(RTCIMSC));
    show_status("rtc: match now, unmasked");
    wr(RTCICR, 1);
    show_status("rtc: cleared");
    wr(RTCMR, rd(RTCDR) + 1000);
    show_status("rtc: match 1000 s ahead");
    wr(RTCIMSC, 0);
    return 0;
}
