/* DMA over code: the guest runs a function, has virtio-blk read a sector
 * holding other code over it, and calls it again; the new instructions must
 * run. The device's write reaches guest RAM the way the vcpu's own stores
 * do (Vm::memory_written), so the code decoded from the old bytes is
 * dropped. The sector is first written from the guest (OUT), so the test
 * needs only a blank image: --disk IMG on stepvisor, -device
 * virtio-blk-device on QEMU (tests/virtio_blk/dma_code.sh).
 *
 * A minimal virtio 1.x driver (virtio §3.1.1, §4.2.3) for the first
 * virtio-mmio device, one split virtqueue of 4, polled: no interrupt. */
#include "guest.h"

/* The first virtio device: QEMU's highest transport. */
#define VIRTIO 0x0a003e00UL

/* virtio-mmio registers (virtio §4.2.2). */
enum {
    MagicValue = 0x000,
    Version = 0x004,
    DeviceID = 0x008,
    DeviceFeatures = 0x010,
    DeviceFeaturesSel = 0x014,
    DriverFeatures = 0x020,
    DriverFeaturesSel = 0x024,
    QueueSel = 0x030,
    QueueNum = 0x038,
    QueueReady = 0x044,
    QueueNotify = 0x050,
    Status = 0x070,
    QueueDescLow = 0x080,
    QueueDriverLow = 0x090,
    QueueDeviceLow = 0x0a0,
};

enum { ACKNOWLEDGE = 1, DRIVER = 2, DRIVER_OK = 4, FEATURES_OK = 8 };
enum { DESC_NEXT = 1, DESC_WRITE = 2 };
enum { BLK_IN = 0, BLK_OUT = 1 };
#define QSIZE 4

struct desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags, next;
};
static struct desc descs[QSIZE] __attribute__((aligned(16)));
static struct {
    uint16_t flags, idx, ring[QSIZE], used_event;
} avail __attribute__((aligned(2)));
static struct {
    uint16_t flags, idx;
    struct {
        uint32_t id, len;
    } ring[QSIZE];
    uint16_t avail_event;
} used __attribute__((aligned(4)));
static struct {
    uint32_t type, reserved;
    uint64_t sector;
} header;
static uint8_t status;

/* The sector the disk will hold: `mov w0, #42; ret`, then zeros. */
static const uint32_t new_code[128] = {
    0x52800540, /* mov w0, #42 */
    0xd65f03c0, /* ret */
};

/* The code the disk overwrites: one whole sector, sector-aligned. */
__asm__(".pushsection .text.patch, \"ax\"\n"
        ".balign 512\n"
        "patch_target:\n"
        "    mov w0, #1\n"
        "    ret\n"
        ".balign 512\n"
        ".popsection\n");
extern int patch_target(void);

static void reg_write(uint32_t off, uint32_t v) { mmio_write32(VIRTIO + off, v); }
static uint32_t reg_read(uint32_t off) { return mmio_read32(VIRTIO + off); }
static void barrier(void) { __asm__ volatile("dsb sy" ::: "memory"); }

static int blk_setup(void)
{
    if (reg_read(MagicValue) != 0x74726976 || reg_read(Version) != 2 || reg_read(DeviceID) != 2)
        return -1;
    reg_write(Status, ACKNOWLEDGE | DRIVER);
    reg_write(DeviceFeaturesSel, 1);
    if (!(reg_read(DeviceFeatures) & 1)) /* VIRTIO_F_VERSION_1 */
        return -2;
    reg_write(DriverFeaturesSel, 1);
    reg_write(DriverFeatures, 1);
    reg_write(DriverFeaturesSel, 0);
    reg_write(DriverFeatures, 0);
    reg_write(Status, ACKNOWLEDGE | DRIVER | FEATURES_OK);
    if (!(reg_read(Status) & FEATURES_OK))
        return -3;
    reg_write(QueueSel, 0);
    reg_write(QueueNum, QSIZE);
    reg_write(QueueDescLow, (uint32_t)(uintptr_t)descs);
    reg_write(QueueDriverLow, (uint32_t)(uintptr_t)&avail);
    reg_write(QueueDeviceLow, (uint32_t)(uintptr_t)&used);
    reg_write(QueueReady, 1);
    reg_write(Status, ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK);
    return 0;
}

static void set_desc(int i, const volatile void *addr, uint32_t len, uint16_t flags)
{
    descs[i].addr = (uintptr_t)addr;
    descs[i].len = len;
    descs[i].flags = flags;
    descs[i].next = (uint16_t)(i + 1);
}

/* One request: header, one sector of data, status; returns the status. */
static unsigned blk_request(uint32_t type, uint64_t sector, const volatile void *buf)
{
    header.type = type;
    header.reserved = 0;
    header.sector = sector;
    status = 0xff;
    set_desc(0, &header, sizeof header, DESC_NEXT);
    set_desc(1, buf, 512, DESC_NEXT | (type == BLK_IN ? DESC_WRITE : 0));
    set_desc(2, &status, 1, DESC_WRITE);
    avail.ring[avail.idx % QSIZE] = 0;
    barrier();
    avail.idx++;
    barrier();
    reg_write(QueueNotify, 0);
    while (*(volatile uint16_t *)&used.idx != avail.idx)
        ;
    barrier();
    return *(volatile uint8_t *)&status;
}

static void report(const char *what, uint64_t v)
{
    puts_uart(what);
    put_dec(v);
    putc_uart('\n');
}

int main(void)
{
    int (*volatile fn)(void) = patch_target;
    report("call: ", (uint64_t)fn());
    const int err = blk_setup();
    if (err) {
        report("no virtio-blk device at 0x0a003e00: ", (uint64_t)-err);
        return 1;
    }
    report("write sector 0: status ", blk_request(BLK_OUT, 0, new_code));
    report("read sector 0 over the code: status ", blk_request(BLK_IN, 0, (void *)patch_target));
    /* The maintenance the ARM ARM asks for before running new code
     * (B2.4.4). stepvisor's IC is a no-op, its decoded code is dropped when
     * the bytes are written: this call passes only through memory_written. */
    __asm__ volatile("dsb ish; ic iallu; dsb ish; isb" ::: "memory");
    report("call: ", (uint64_t)fn());
    return 0;
}
