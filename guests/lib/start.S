// Start-up: stack, BSS, vectors, then main(); its return powers off.
// GUEST_FP (add_guest FP): before main(), the SIMD&FP unit is enabled and
// the MMU turned on, here in assembly, so no compiled instruction, FP or
// unaligned, can run before them.
    .section .text.start, "ax"
    .global _start
_start:
    ldr     x1, =__stack_top
    mov     sp, x1
    ldr     x1, =__bss_start
    ldr     x2, =__bss_end
1:  cmp     x1, x2
    b.hs    2f
    str     xzr, [x1], #8
    b       1b
2:  adr     x1, vectors
    msr     vbar_el1, x1
    isb
#ifdef GUEST_FP
    bl      fp_mmu_on
#endif
    bl      main
    bl      system_off

// Each vector saves the caller-saved registers, calls
// guest_exception(vector, esr, &elr, far) and returns with ELR as it left it.
    .macro vector n
    .balign 0x80
    sub     sp, sp, #192
    stp     x0, x1, [sp, #0]
    mov     x0, #\n
    b       common_vector
    .endm

    .text
    .balign 0x800
vectors:
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    vector \n
    .endr

common_vector:
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x30, [sp, #144]
    mrs     x1, elr_el1
    str     x1, [sp, #160]
    mrs     x1, esr_el1
    add     x2, sp, #160
    mrs     x3, far_el1
    bl      guest_exception
    ldr     x1, [sp, #160]
    msr     elr_el1, x1
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldp     x18, x30, [sp, #144]
    ldp     x0, x1, [sp, #0]
    add     sp, sp, #192
    eret

#ifdef GUEST_FP
// CPACR_EL1.FPEN = 0b11: no SIMD&FP trap at EL0 or EL1 (D19.2.30). Then
// stage 1 on with one level-1 table (4 KiB granule, T0SZ = 25: 39-bit VA,
// DDI 0487 D8.2): 1 GiB blocks, identity, Device-nGnRnE below RAM (UART,
// GIC) and Normal write-back over RAM, where unaligned accesses are
// allowed (SCTLR_EL1.A = 0). MAIR attr 0 = Device-nGnRnE, attr 1 = Normal WB.
// TCR_EL1.TG1 says 4 KiB although TTBR1 walks are off (EPD1): 0 is a
// reserved encoding, and Unicorn 2.0.1 then faults every fetch.
fp_mmu_on:
    mrs     x1, cpacr_el1
    orr     x1, x1, #(3 << 20)
    msr     cpacr_el1, x1
    isb
    adrp    x1, fp_level1
    ldr     x2, =0x0060000000000401     // block at 0: AF, attr 0, UXN, PXN
    str     x2, [x1]
    ldr     x2, =0x40000705             // block at 1 GiB: AF, inner shareable, attr 1
    str     x2, [x1, #8]
    ldr     x2, =0xFF00
    msr     mair_el1, x2
    ldr     x2, =(25 | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23) | (2 << 30) | (5 << 32))
    msr     tcr_el1, x2                 // T0SZ 25, WBWA walks, inner shareable, EPD1, TG1 4K, 48-bit PA
    msr     ttbr0_el1, x1
    dsb     ish
    tlbi    vmalle1
    dsb     ish
    isb
    mrs     x2, sctlr_el1
    orr     x2, x2, #(1 << 0)           // M
    orr     x2, x2, #(1 << 2)           // C
    orr     x2, x2, #(1 << 12)          // I
    bic     x2, x2, #(1 << 1)           // A
    msr     sctlr_el1, x2
    isb
    ret

    .bss
    .balign 4096
fp_level1:
    .space  4096
#endif
