// The step matrix's GICv2 row (tests/kvm/step_matrix_test.cpp): a byte read
// of the GICv2 CPU interface is illegal; the hypervisor's fast path skips it
// and makes a virtual SError pending, which the guest takes only once it
// clears PSTATE.A. Needs a GICv2 vGIC with its CPU interface at 0x08010000.
    .section .text.start, "ax"
    .global _start
_start:
    b       main
    .balign 8
labels:                             // the host's GicV2Label enum, in this order
    .quad   vectors, row_pmr, row_bad, row_unmask

main:
    adr     x0, vectors
    msr     vbar_el1, x0
    isb
    movz    x1, #0x0801, lsl #16    // GICC
    mov     w2, #0xF0
row_pmr:
    str     w2, [x1, #4]            // GICC_PMR: a legal 32-bit access
    ldr     w3, [x1, #4]
row_bad:
    ldrb    w4, [x1, #0x0C]         // GICC_IAR as a byte: skipped, SError pending
    mov     x5, #1                  // PSTATE.A = 1: the SError waits
row_unmask:
    msr     daifclr, #4
    mov     x6, #2
    movz    x0, #0x8400, lsl #16
    movk    x0, #0x0008             // PSCI SYSTEM_OFF
    hvc     #0
    b       .

    .balign 0x800
vectors:
    .fill   0x380 / 4, 4, 0
    // current EL with SP_ELx, SError
    mov     x7, #0x5E
    eret
    .fill   0x7C / 4, 4, 0
