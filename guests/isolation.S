// One access the host chose, at the address it chose, then PSCI SYSTEM_OFF.
// The host (tests/kvm/isolation_test.cpp) sets x0 = the access kind and
// x1 = the address, and checks which exit each access becomes. An
// exception the guest takes is reported by two 64-bit writes to an
// unmapped report address (ESR_EL1, then FAR_EL1), and the guest resumes
// after the access.
    .equ REPORT, 0x0a000000         // no RAM, no in-kernel device: MMIO exits
    .section .text.start, "ax"
    .global _start
_start:
    adr     x9, vectors
    msr     vbar_el1, x9
    isb
    adr     x9, kinds
    add     x9, x9, x0, lsl #2
    blr     x9                      // x30: where a fetch abort resumes
    movz    x0, #0x8400, lsl #16
    movk    x0, #0x0008             // PSCI SYSTEM_OFF
    hvc     #0
    b       .

// One branch per kind, in the order of Kind in isolation_test.cpp.
kinds:
    b       load64
    b       store32
    b       ldp
    b       stp
    b       fetch

load64:
    ldr     x2, [x1]
    movz    x9, #(REPORT >> 16), lsl #16
    str     x2, [x9, #16]           // shows the host what the load returned
    ret
store32:
    movz    w2, #0xabcd
    str     w2, [x1]
    ret
ldp:
    ldp     x2, x3, [x1]
    ret
stp:
    movz    x2, #0x1111
    movz    x3, #0x2222
    stp     x2, x3, [x1]
    ret
fetch:
    mov     x28, x30
    blr     x1                      // the abort resumes at the next instruction
    ret     x28

// Every exception: report ESR and FAR, then resume after the access (for a
// fetch abort, at the return address the BLR left in x30).
report:
    mrs     x10, esr_el1
    mrs     x11, far_el1
    movz    x9, #(REPORT >> 16), lsl #16
    str     x10, [x9]
    str     x11, [x9, #8]
    lsr     x10, x10, #26
    cmp     x10, #0x21              // instruction abort, current EL
    b.eq    1f
    mrs     x10, elr_el1
    add     x10, x10, #4
    msr     elr_el1, x10
    eret
1:  msr     elr_el1, x30
    eret

    .balign 0x800
vectors:
    .rept 16
    b       report
    .balign 0x80
    .endr
