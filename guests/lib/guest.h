/* The guest runtime: PL011 output and PSCI calls on QEMU virt's layout. */
#ifndef GUEST_H
#define GUEST_H

#include <stdint.h>

#define PL011_BASE 0x09000000UL

/* PSCI 0.2+ function ids (SMC32/SMC64 calling convention, DEN0022). */
#define PSCI_VERSION 0x84000000U
#define PSCI_SYSTEM_OFF 0x84000008U
#define PSCI_SYSTEM_RESET 0x84000009U

static inline uint32_t mmio_read32(uintptr_t a) { return *(volatile uint32_t *)a; }
static inline void mmio_write32(uintptr_t a, uint32_t v) { *(volatile uint32_t *)a = v; }

void putc_uart(char c);
void puts_uart(const char *s);
void put_hex(uint64_t v);
void put_dec(uint64_t v);
uint64_t hvc_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
void __attribute__((noreturn)) system_off(void);

/* Called for every exception the runtime's vector table takes; the default
 * prints the syndrome and powers off. Return to resume at *elr. */
void guest_exception(unsigned vector, uint64_t esr, uint64_t *elr, uint64_t far);

int main(void);

#endif
