/* An LD_PRELOAD shim that records a process's pwrite and fdatasync calls,
 * in order, to the file $SYNC_SHIM_LOG: one line per call with its sequence
 * number, its arguments, monotonic times at entry and return, and the value
 * of a 16-bit word the process asked it to watch (sync_shim_watch), read at
 * entry and at return. flush_order.cpp watches a virtqueue's used index:
 * the line for fdatasync tells whether the guest could already see the
 * FLUSH completed while the host was still syncing. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

static const volatile uint16_t *watched;
static unsigned long seq;

void sync_shim_watch(const volatile uint16_t *word) { watched = word; }

static int watched_value(void) { return watched ? *watched : -1; }

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

struct call {
    const char *name;
    int fd;
    long long offset, len;
    long long t_entry, t_return;
    int watched_entry, watched_return;
};

static void record(const struct call *c)
{
    const char *path = getenv("SYNC_SHIM_LOG");
    if (!path) return;
    FILE *f = fopen(path, "a");
    if (!f) return;
    fprintf(f, "%lu %s fd=%d offset=%lld len=%lld entry_ns=%lld return_ns=%lld "
               "watched_entry=%d watched_return=%d\n",
            ++seq, c->name, c->fd, c->offset, c->len, c->t_entry, c->t_return,
            c->watched_entry, c->watched_return);
    fclose(f);
}

int fdatasync(int fd)
{
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    struct call c = {"fdatasync", fd, 0, 0, now_ns(), 0, watched_value(), 0};
    const int r = real(fd);
    c.t_return = now_ns();
    c.watched_return = watched_value();
    record(&c);
    return r;
}

static ssize_t shim_pwrite(const char *name, int fd, const void *buf, size_t n, off_t offset)
{
    static ssize_t (*real)(int, const void *, size_t, off_t);
    if (!real) real = (ssize_t(*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite64");
    struct call c = {name, fd, (long long)offset, (long long)n, now_ns(), 0, watched_value(), 0};
    const ssize_t r = real(fd, buf, n, offset);
    c.t_return = now_ns();
    c.watched_return = watched_value();
    record(&c);
    return r;
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t offset)
{
    return shim_pwrite("pwrite", fd, buf, n, offset);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t offset)
{
    return shim_pwrite("pwrite", fd, buf, n, offset);
}
