// The step matrix guest (DESIGN.md, "The single-step contract"): one short
// sequence per row, run one step at a time through the API by
// tests/kvm/step_matrix_test.cpp, which finds the rows by the label table
// below. Needs a GICv3 vGIC with every ICC_* class trapped. Registers x1..x28
// hold each row's results; the vectors use only x29 and x30.
    .section .text.start, "ax"
    .global _start
_start:
    b       main
    .balign 8
labels:                             // the host's Label enum, in this order
    .quad   vectors, row_tid3, row_uart_read, row_time, row_ldxr, row_brk
    .quad   row_daifclr, row_wfi, row_svc, row_udf, row_icc_fast, row_icc_decline
    .quad   row_smc, row_hvc, row_gicd, row_fp, row_fp_dp, row_fp_ld, data

main:
    adr     x0, vectors
    msr     vbar_el1, x0
    isb
    // executed by the CPU: an add, a taken branch, a load from RAM
    mov     x1, #5
    add     x1, x1, #1
    b       1f
    udf     #0                      // skipped by the branch
1:  adr     x2, data
    ldr     x3, [x2]
    // trapped, emulated: TVM MSR, TID3 MRS, TSC SMC, TWE WFE
    mov     x4, #25
    msr     tcr_el1, x4
row_tid3:
    mrs     x5, id_aa64pfr0_el1
    // the lazy FP/SIMD switch: with CPACR_EL1.FPEN open, the run's first
    // SIMD&FP instruction traps to EL2 (CPTR_EL2.TFP) and runs again there;
    // FPSR keeps QC and the cumulative flags (0x0800009f)
    mov     x4, #(3 << 20)
    msr     cpacr_el1, x4
    isb
    mov     w4, #0xf80000ff
row_fp:
    msr     fpsr, x4
    mrs     x4, fpsr
    // a SIMD&FP data-processing instruction and a SIMD&FP load take the
    // same trap in their runs (the load's before its address is used)
row_fp_dp:
    fmov    d0, x4
row_fp_ld:
    ldr     q1, [x2]
    movz    x0, #0x8400, lsl #16    // PSCI_VERSION
row_smc:
    smc     #0
    mov     x6, x0
    wfe
    // exception-generating: HVC (PSCI)
    movz    x0, #0x8400, lsl #16
row_hvc:
    hvc     #0
    mov     x7, x0
    // the guest's own exceptions, and its own BRK
row_svc:
    svc     #3
row_udf:
    udf     #1
row_brk:
    brk     #7
    // in-kernel MMIO: GICv3 distributor GICD_CTLR = ARE_NS | EnableGrp1NS
    movz    x8, #0x0800, lsl #16
    mov     w9, #0x12
row_gicd:
    str     w9, [x8]
    ldr     w10, [x8]
    // userspace MMIO: PL011 UARTFR read, UARTDR write
    movz    x11, #0x0900, lsl #16
row_uart_read:
    ldr     w12, [x11, #0x18]
    mov     w13, #'S'
    strb    w13, [x11]
    // redistributor awake, SGI 1 in Group 1 and enabled
    movz    x14, #0x080A, lsl #16
    str     wzr, [x14, #0x14]       // GICR_WAKER
    add     x15, x14, #0x10000
    mov     w16, #2
    str     w16, [x15, #0x80]       // GICR_IGROUPR0
    str     w16, [x15, #0x100]      // GICR_ISENABLER0
    // hyp fast path: ICC_PMR_EL1, ICC_IGRPEN1_EL1
    mov     x17, #0xF0
row_icc_fast:
    msr     icc_pmr_el1, x17
    mrs     x18, icc_pmr_el1
    mov     x17, #1
    msr     icc_igrpen1_el1, x17
    // fast path declines: SGI generation (SGI 1 to self)
    mrs     x19, icc_sre_el1
    movz    x17, #0x0100, lsl #16
    orr     x17, x17, #1
row_icc_decline:
    msr     icc_sgi1r_el1, x17
    isb
    // interrupt pending: unmasked for two instructions
row_daifclr:
    msr     daifclr, #2
    nop
    msr     daifset, #2
    mrs     x20, icc_iar1_el1       // the SGI under `mask`, 1023 under `enter`
    msr     icc_eoir1_el1, x20
    // load-exclusive: an LL/SC increment
    adr     x21, data + 8
row_ldxr:
    ldxr    x22, [x21]
    add     x22, x22, #1
    stxr    w23, x22, [x21]
    cbnz    w23, row_ldxr
    // WFI with nothing pending until the virtual timer fires
    mrs     x24, cntvct_el0
    add     x24, x24, #64
    msr     cntv_cval_el0, x24
    mov     x25, #1
    msr     cntv_ctl_el0, x25
row_wfi:
    wfi
    mrs     x26, cntvct_el0
    msr     cntv_ctl_el0, xzr
    // the host holds the vcpu between these two reads
row_time:
    mrs     x27, cntvct_el0
    mrs     x28, cntvct_el0
    movz    x0, #0x8400, lsl #16
    movk    x0, #0x0008             // PSCI SYSTEM_OFF
    hvc     #0
    b       .

    .balign 0x800
vectors:
    .balign 0x200
    .fill   0x200 / 4, 4, 0
    // current EL with SP_ELx, synchronous: step over the UDF or BRK (SVC's
    // ELR is already past it)
    mrs     x29, esr_el1
    mrs     x30, elr_el1
    lsr     x29, x29, #26
    cmp     x29, #0x15
    b.eq    1f
    add     x30, x30, #4
    msr     elr_el1, x30
1:  eret
    .balign 0x80
    // IRQ: acknowledge and end the SGI
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
