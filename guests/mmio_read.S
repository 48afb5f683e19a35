// Loads from an unmapped address: stage 2 turns each into an MMIO exit.
// The host side (tests/kvm/mmio_test.cpp) answers and checks the registers.
    .section .text.start, "ax"
    .global _start
_start:
    movz    x0, #0x0903, lsl #16    // 0x09030000: no RAM, no device (QEMU's PL061)
    ldr     w1, [x0]                // 32-bit read, zero-extends into x1
    ldrsh   x2, [x0, #8]            // 16-bit read, sign-extends into x2
    ldrb    w3, [x0, #1]            // 8-bit read into w3
    str     x1, [x0, #16]           // 64-bit write of x1
    ldp     x4, x5, [x0]            // a pair: no syndrome (ISV = 0), ARM_NISV
    movz    x0, #0x8400, lsl #16
    movk    x0, #0x0008             // PSCI SYSTEM_OFF
    hvc     #0
    b       .
