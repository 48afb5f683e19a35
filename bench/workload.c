/* The speed benchmark's guest: a deterministic integer workload (a table
 * CRC-32, a sieve of Eratosthenes and a string copy) repeated ITERS times.
 * Every iteration executes exactly the same instructions, so the count is
 * c(1) + (ITERS - 1) * (c(2) - c(1)) for the 1- and 2-iteration builds.
 * Prints the iteration count and a checksum, then powers off (PSCI). */
#include "guest.h"

#ifndef ITERS
#define ITERS 6200
#endif

#define BUF_SIZE 4096
#define SIEVE_SIZE 8192
#define STR_SIZE 1024

static uint32_t crc_table[256];
static uint8_t buf[BUF_SIZE];
static uint8_t sieve[SIEVE_SIZE];
static char src[STR_SIZE + 1], dst[STR_SIZE + 1];

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

static uint32_t crc32_buf(const uint8_t *p, unsigned n)
{
    uint32_t c = ~0u;
    for (unsigned i = 0; i < n; i++)
        c = crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return ~c;
}

/* The prime count below SIEVE_SIZE: the same work every time. */
static unsigned run_sieve(void)
{
    unsigned count = 0;
    for (unsigned i = 0; i < SIEVE_SIZE; i++)
        sieve[i] = 1;
    for (unsigned i = 2; i < SIEVE_SIZE; i++) {
        if (!sieve[i])
            continue;
        count++;
        for (unsigned j = 2 * i; j < SIEVE_SIZE; j += i)
            sieve[j] = 0;
    }
    return count;
}

static void str_copy(char *d, const char *s)
{
    while ((*d++ = *s++) != 0)
        ;
}

int main(void)
{
    uint32_t seed = 12345;
    crc_init();
    for (unsigned i = 0; i < BUF_SIZE; i++) {
        seed = seed * 1103515245u + 12345u;
        buf[i] = (uint8_t)(seed >> 16);
    }
    for (unsigned i = 0; i < STR_SIZE; i++)
        src[i] = (char)('a' + i % 26);
    uint64_t sum = 0;
    for (unsigned it = 0; it < ITERS; it++) {
        buf[it % BUF_SIZE] ^= (uint8_t)it; /* data changes, the path does not */
        sum = sum * 31 + crc32_buf(buf, BUF_SIZE);
        sum += run_sieve();
        str_copy(dst, src);
        sum += (uint8_t)dst[it % STR_SIZE];
    }
    puts_uart("bench: iterations ");
    put_dec(ITERS);
    puts_uart(" checksum ");
    put_hex(sum);
    puts_uart("\n");
    return 0;
}
