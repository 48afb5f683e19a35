// Start-up: stack, BSS, vectors, then main(); its return powers off.
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
