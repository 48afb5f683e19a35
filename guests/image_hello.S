// A Linux arm64 `Image` (Documentation/arm64/booting.rst, "Call the kernel
// image"): the 64-byte header a boot loader parses, then position-independent
// code that reports where it was placed and what the loader passed: its own
// address, x0 (the device tree), the DTB magic read at x0 (0xd00dfeed, stored
// big-endian) and whether x1..x3 are zero. The same .bin runs under
// `qemu-system-aarch64 -M virt -kernel image_hello.bin` and prints the same.
    .section .text.start, "ax"
    .global _start
_start:
_head:
    b       boot                    // code0
    .long   0                       // code1
    .quad   0x80000                 // text_offset
    .quad   _end - _head            // image_size: from the start of the image to the end of BSS
    .quad   0x2                     // flags: little-endian, 4K pages, 2 MiB aligned base
    .quad   0, 0, 0                 // res2..res4
    .ascii  "ARM\x64"               // magic
    .long   0                       // res5

boot:
    mov     x19, x0                 // x0: the DTB address
    orr     x20, x1, x2
    orr     x20, x20, x3            // zero iff x1..x3 all are
    movz    x21, #0x0900, lsl #16   // PL011 UARTDR

    adr     x0, msg_image
    bl      puts
    adr     x0, _head
    bl      puthex
    adr     x0, msg_x0
    bl      puts
    mov     x0, x19
    bl      puthex
    adr     x0, msg_magic
    bl      puts
    ldr     w0, [x19]               // the first word of the DTB, big-endian in memory
    rev     w0, w0
    bl      puthex
    adr     x0, msg_regs
    bl      puts
    adr     x0, msg_zero
    adr     x1, msg_nonzero
    cmp     x20, #0
    csel    x0, x0, x1, eq
    bl      puts

    movz    x0, #0x8400, lsl #16
    movk    x0, #0x0008             // PSCI SYSTEM_OFF
    hvc     #0
    b       .

// puts(x0 = NUL-terminated string); clobbers x0, x1.
puts:
    ldrb    w1, [x0], #1
    cbz     w1, 1f
    strb    w1, [x21]
    b       puts
1:  ret

// puthex(x0): "0x" and the value in hex without leading zeros; clobbers x0..x3.
puthex:
    mov     x2, x0
    mov     w1, #'0'
    strb    w1, [x21]
    mov     w1, #'x'
    strb    w1, [x21]
    clz     x3, x2
    and     x3, x3, #~3             // whole leading zero digits
    cmp     x3, #64
    b.ne    1f
    mov     x3, #60                 // the value 0 prints one digit
1:  mov     x1, #64
    sub     x3, x1, x3              // bits left to print
2:  sub     x3, x3, #4
    lsr     x1, x2, x3
    and     x1, x1, #0xf
    cmp     x1, #10
    add     x0, x1, #'0'
    add     x1, x1, #('a' - 10)
    csel    x1, x0, x1, lo
    strb    w1, [x21]
    cbnz    x3, 2b
    ret

msg_image:   .asciz "Image at "
msg_x0:      .asciz ", x0 = "
msg_magic:   .asciz ", DTB magic "
msg_regs:    .asciz ", x1..x3 "
msg_zero:    .asciz "zero\n"
msg_nonzero: .asciz "not zero\n"

    .section .bss
    .balign 16
    .space  64                      // so that image_size covers a BSS, as a kernel's does
    .global _end
_end:
