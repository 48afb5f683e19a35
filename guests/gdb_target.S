// The gdb guest (tests/cli/gdb_run_test.cpp): one label per thing the gdb
// tests stop at. A PL011 write, a loop that stores and loads a counter
// (watchpoints), an SVC to its own vector and an MRS the hypervisor
// emulates (catch exception), a wait in WFI
// with nothing pending until the debugger sets `go` (Ctrl-C must still
// reach it), then PSCI SYSTEM_OFF.
    .section .text.start, "ax"
    .global _start
_start:
    adr     x0, vectors
    msr     vbar_el1, x0
    isb
    movz    x1, #0x0900, lsl #16    // PL011 UARTDR
    mov     w2, #'G'
    .global uart_write
uart_write:
    strb    w2, [x1]
    .global after_uart
after_uart:
    adr     x3, counter
    mov     x4, #0
    .global count_loop
count_loop:
    add     x4, x4, #1
    .global counter_store
counter_store:
    str     x4, [x3]
    .global counter_load
counter_load:
    ldr     x5, [x3]
    cmp     x4, #3
    b.ne    count_loop
    .global do_svc
do_svc:
    svc     #0x15
    .global after_svc
after_svc:
    .global trap_mrs
trap_mrs:
    mrs     x8, id_aa64pfr0_el1     // HCR_EL2.TID3: emulated by the hypervisor
    adr     x6, go
    .global spin
spin:
    ldr     x7, [x6]
    cbnz    x7, done
    wfi                             // nothing pending, no timer: sleeps until kicked
    b       spin
    .global done
done:
    movz    x0, #0x8400, lsl #16
    add     x0, x0, #8              // PSCI SYSTEM_OFF
    hvc     #0
    b       .

// Every vector returns at once: the SVC's ELR_EL1 is the next instruction.
    .balign 2048
    .global vectors
vectors:
    .rept   16
    eret
    .balign 0x80
    .endr

    .data
    .balign 16                      // a 16-byte watchpoint (DBGWCR.MASK) covers both
    .global counter
counter:
    .quad   0
    .global go
go:
    .quad   0
