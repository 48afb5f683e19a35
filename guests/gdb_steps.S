// The gdb step guest: every row of DESIGN.md's single-step contract that
// both stepvisor and qemu-system-aarch64 -M virt,gic-version=3 -cpu max
// have, one label per row, for gdb-multiarch to stepi through on both
// (tests/gdbpeer). Not here: SMC (UNDEFINED on QEMU without EL3), WFI with
// nothing pending (QEMU halts until real time brings an interrupt: the WFI
// row waits on a virtual timer that has already fired) and WFE (QEMU 7.2's
// stepi runs the instruction after it too; docs/step-contract.md).
//
// A read whose value legitimately differs between the two machines (an ID
// register) is cleared by the next instruction, so the traces differ at
// exactly one step (kMayDiffer in tests/gdbpeer/gdb_steps_test.cpp). The
// vectors use only x29 and x30.
    .section .text.start, "ax"
    .global _start
_start:
    msr     nzcv, xzr               // UNKNOWN at reset; QEMU's has Z = 1
    adr     x0, vectors
    msr     vbar_el1, x0
    isb
    mov     x0, xzr
    // executed by the CPU: an add, a taken branch, a load from RAM
row_add:
    add     x1, x1, #5
row_branch:
    b       1f
    udf     #0                      // skipped by the branch
1:  adr     x2, data
row_load:
    ldr     x3, [x2]
    // trapped and emulated on stepvisor (TVM, TID3), plain on QEMU
    mov     x4, #25
row_msr_tcr:
    msr     tcr_el1, x4
row_mrs_id:
    mrs     x5, id_aa64pfr0_el1
    mov     x5, xzr                 // the machines' ID registers differ
    // the lazy FP/SIMD switch on stepvisor (the run's first SIMD&FP
    // instruction traps to EL2 and runs again), plain on QEMU; FPSR = QC,
    // IXC, IOC, which both machines keep
    mov     x4, #(3 << 20)          // CPACR_EL1.FPEN: no SIMD&FP trap to EL1
    msr     cpacr_el1, x4
    isb
    movz    w4, #0x0800, lsl #16
    movk    w4, #0x0011
row_fp:
    msr     fpsr, x4
    mrs     x4, fpsr
    // exception-generating: HVC PSCI_VERSION, x0 = the result
    movz    x0, #0x8400, lsl #16
row_hvc:
    hvc     #0
    mov     x6, x0
    // the guest's own exceptions and its own BRK: the vector is the step
row_svc:
    svc     #3
row_udf:
    udf     #1
row_brk:
    brk     #7
    // in-kernel MMIO: GICD_CTLR = ARE | EnableGrp1, read back
    movz    x8, #0x0800, lsl #16
    mov     w9, #0x12
row_gicd_write:
    str     w9, [x8]
row_gicd_read:
    ldr     w10, [x8]
    // userspace MMIO: PL011 UARTFR read, then a newline to UARTDR (the
    // newline makes stepvisor's stdio serial flush the byte at once)
    movz    x11, #0x0900, lsl #16
row_uart_read:
    ldr     w12, [x11, #0x18]
    mov     w13, #'\n'
row_uart_write:
    str     w13, [x11]
    // redistributor awake; SGI 1 and the virtual timer's PPI 27 in Group 1,
    // enabled
    movz    x14, #0x080A, lsl #16
    str     wzr, [x14, #0x14]       // GICR_WAKER
    add     x15, x14, #0x10000
    movz    w16, #0x0800, lsl #16
    orr     w16, w16, #2
    str     w16, [x15, #0x80]       // GICR_IGROUPR0
    str     w16, [x15, #0x100]      // GICR_ISENABLER0
    // GIC CPU interface: the hypervisor's fast path on stepvisor
    mov     x17, #0xF0
row_icc_pmr:
    msr     icc_pmr_el1, x17
    mrs     x18, icc_pmr_el1
    mov     x17, #1
row_icc_igrpen1:
    msr     icc_igrpen1_el1, x17
    // SGI 1 to self (the fast path declines it on stepvisor)
    movz    x17, #0x0100, lsl #16
    orr     x17, x17, #1
row_icc_sgi1r:
    msr     icc_sgi1r_el1, x17
    isb
    // interrupt pending and unmasked for two instructions: stepping masks
    // it on both machines, so the instructions run and the SGI stays pending
row_daifclr:
    msr     daifclr, #2
row_unmasked:
    nop
    msr     daifset, #2
row_iar:
    mrs     x20, icc_iar1_el1
    msr     icc_eoir1_el1, x20
    // load-exclusive: gdb steps the LL/SC sequence as one unit
    adr     x21, data + 8
row_ldxr:
    ldxr    x22, [x21]
    add     x22, x22, #1
    stxr    w23, x22, [x21]
row_ldxr_end:
    cbnz    w23, row_ldxr
    // WFI with the virtual timer already fired (CNTV_TVAL_EL0 = 0): its
    // PPI is pending while PSTATE.I masks it, so WFI completes
    msr     cntv_tval_el0, xzr
    mov     x25, #1
    msr     cntv_ctl_el0, x25
    isb
row_wfi:
    wfi
    msr     cntv_ctl_el0, xzr
    // power off: PSCI SYSTEM_OFF
    movz    x0, #0x8400, lsl #16
    movk    x0, #0x0008
row_off:
    hvc     #0
    b       .

    .balign 0x800
vectors:
    .balign 0x200
    .fill   0x200 / 4, 4, 0
    // current EL with SP_ELx, synchronous: step over the UDF or BRK (SVC's
    // ELR is already past it)
vector_sync:
    mrs     x29, esr_el1
    mrs     x30, elr_el1
    lsr     x29, x29, #26
    cmp     x29, #0x15
    b.eq    1f
    add     x30, x30, #4
    msr     elr_el1, x30
1:  eret
    .balign 0x80
    // IRQ: acknowledge and end it (taken only if a machine lets one in)
vector_irq:
    mrs     x29, icc_iar1_el1
    msr     icc_eoir1_el1, x29
    mov     x30, x29
    eret
    .balign 0x80
    .fill   0x100 / 4, 4, 0

    .balign 8
data:
    .quad   0x1122334455667788
    .quad   0
