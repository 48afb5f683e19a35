// One access the host chose, at the address it chose, then PSCI SYSTEM_OFF.
// The host (tests/kvm/isolation_test.cpp) sets x0 = the access kind,
// x1 = the address and x2 = 1 to make the access with the MMU on (an
// identity map: the first GiB Device-nGnRnE, the second Normal write-back),
// and checks which exit each access becomes. An
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
    cbz     x2, 1f
    bl      mmu_on
1:  adr     x9, kinds
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

// Stage 1 on with 4 KiB granules, T0SZ = 25 (a level-1 start, 1 GiB
// blocks), unaligned Normal accesses allowed (SCTLR_EL1.A = 0).
mmu_on:
    adrp    x9, l1_table
    mov     x10, #0x401             // block at 0: AF, AttrIndx 0 (Device)
    str     x10, [x9]
    movz    x10, #0x4000, lsl #16
    movk    x10, #0x705             // block at 1 GiB: AF, inner shareable, AttrIndx 1
    str     x10, [x9, #8]
    msr     ttbr0_el1, x9
    mov     x10, #0xff00            // MAIR: attr0 Device-nGnRnE, attr1 Normal WB
    msr     mair_el1, x10
    movz    x10, #0x3519            // T0SZ 25, WB walks, inner shareable
    movk    x10, #0x80, lsl #16     // EPD1: no TTBR1 walks
    movk    x10, #2, lsl #32        // IPS: 40 bits
    msr     tcr_el1, x10
    tlbi    vmalle1
    dsb     ish
    isb
    mrs     x10, sctlr_el1
    mov     x11, #0x1005            // M, C, I
    orr     x10, x10, x11
    bic     x10, x10, #2            // A = 0
    msr     sctlr_el1, x10
    isb
    ret

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

    .data
    .balign 4096
l1_table:
    .fill   512, 8, 0
