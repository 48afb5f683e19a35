/* Scalar FP as compiled C computes it: every operation of a table on every
 * operand (pair) of a set of special values, under the 32 FPCR settings
 * of RMode, FZ, DN and AHP. Each operation prints a checksum of its results
 * and of FPSR after each one, and the OR of the FPSR flags it raised; then a
 * few results are printed as they are. */
#include "fp_simd.h"

/* Operands where FP units differ: signed zeros, denormals, the normal
 * limits, infinities, quiet and signalling NaNs with payloads, rounding
 * ties and the integer conversion limits. Not static and not const, so the
 * compiler cannot fold an operation on them. */
uint64_t dvals[] = {
    0x0000000000000000, 0x8000000000000000, 0x3ff0000000000000, 0xbff8000000000000,
    0x4008000000000000, 0x3fb999999999999a, 0x0000000000000001, 0x800fffffffffffff,
    0x0010000000000000, 0x0010000000000001, 0x7fefffffffffffff, 0x7ff0000000000000,
    0xfff0000000000000, 0x7ff8000000000000, 0x7ff80000000000ab, 0xfff4000000000cd0,
    0x7ff0000000000001, 0x4330000000000001, 0x4004000000000000, 0xc1e0000000200000,
    0x43e0000000000000, 0x41efffffffe00000, 0x3fe0000000000000, 0xc00c000000000000,
    0x3ca0000000000000,
};
/* Single-precision patterns, one per word. */
uint64_t fvals[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbfc00000, 0x40400000, 0x3dcccccd, 0x00000001,
    0x807fffff, 0x00800000, 0x00800001, 0x7f7fffff, 0x7f800000, 0xff800000, 0x7fc00000,
    0x7fc000ab, 0xffa00cd0, 0x7f800001, 0x4b000001, 0x40200000, 0xcf000001, 0x5f000000,
    0x4f7fffff, 0x3f000000, 0xc0600000, 0x33800000,
};
#define ND (sizeof dvals / sizeof dvals[0])
#define NF (sizeof fvals / sizeof fvals[0])

static double d_(uint64_t b)
{
    double d;
    __builtin_memcpy(&d, &b, 8);
    return d;
}
static uint64_t bd(double d)
{
    uint64_t b;
    __builtin_memcpy(&b, &d, 8);
    return b;
}
static float f_(uint64_t b)
{
    uint32_t w = (uint32_t)b;
    float f;
    __builtin_memcpy(&f, &w, 4);
    return f;
}
static uint64_t bf(float f)
{
    uint32_t w;
    __builtin_memcpy(&w, &f, 4);
    return w;
}
static uint64_t bh(__fp16 h)
{
    uint16_t w;
    __builtin_memcpy(&w, &h, 2);
    return w;
}
static __fp16 h_(uint64_t b)
{
    uint16_t w = (uint16_t)b;
    __fp16 h;
    __builtin_memcpy(&h, &w, 2);
    return h;
}

/* An operation on bit patterns: c is a third operand for the fused ones. */
typedef uint64_t (*op_fn)(uint64_t a, uint64_t b, uint64_t c);
struct op {
    const char *name;
    op_fn fn;
    int binary; /* 0: one operand, a */
};

#define D2(name, expr) \
    static uint64_t name(uint64_t a_, uint64_t b_, uint64_t c_) \
    { \
        double a = d_(a_), b = d_(b_), c = d_(c_); \
        (void)a, (void)b, (void)c; \
        return expr; \
    }
#define F2(name, expr) \
    static uint64_t name(uint64_t a_, uint64_t b_, uint64_t c_) \
    { \
        float a = f_(a_), b = f_(b_), c = f_(c_); \
        (void)a, (void)b, (void)c; \
        return expr; \
    }

/* Compare results as bits: <, <=, ==, >, >=, unordered (FCMPE and FCMP). */
#define CMP_BITS(a, b) \
    ((uint64_t)((a) < (b)) | (uint64_t)((a) <= (b)) << 1 | (uint64_t)((a) == (b)) << 2 | \
     (uint64_t)((a) > (b)) << 3 | (uint64_t)((a) >= (b)) << 4 | \
     (uint64_t)__builtin_isunordered(a, b) << 5)

D2(d_add, bd(a + b))
D2(d_sub, bd(a - b))
D2(d_mul, bd(a * b))
D2(d_nmul, bd(-(a * b)))
D2(d_div, bd(a / b))
D2(d_fmadd, bd(__builtin_fma(a, b, c)))
D2(d_fmsub, bd(__builtin_fma(-a, b, c)))
D2(d_fnmadd, bd(-__builtin_fma(a, b, c)))
D2(d_fnmsub, bd(__builtin_fma(a, b, -c)))
D2(d_contract, bd(a * b + c))
D2(d_minnm, bd(__builtin_fmin(a, b)))
D2(d_maxnm, bd(__builtin_fmax(a, b)))
D2(d_select, bd(a < b ? a : b))
D2(d_cmp, CMP_BITS(a, b))
D2(d_sqrt, bd(__builtin_sqrt(a)))
D2(d_abs, bd(__builtin_fabs(a)))
D2(d_neg, bd(-a))
D2(d_to_f, bf((float)a))
D2(d_to_h, bh((__fp16)a))
D2(d_from_h, bd((double)h_(a_)))
D2(d_to_s32, (uint32_t)(int32_t)a)
D2(d_to_u32, (uint32_t)a)
D2(d_to_s64, (uint64_t)(int64_t)a)
D2(d_to_u64, (uint64_t)a)
D2(d_lround, (uint64_t)__builtin_lround(a))
D2(d_lrint, (uint64_t)__builtin_lrint(a))
D2(d_floor, bd(__builtin_floor(a)))
D2(d_ceil, bd(__builtin_ceil(a)))
D2(d_trunc, bd(__builtin_trunc(a)))
D2(d_round, bd(__builtin_round(a)))
D2(d_rint, bd(__builtin_rint(a)))
D2(d_nearbyint, bd(__builtin_nearbyint(a)))
D2(d_from_s64, bd((double)(int64_t)a_))
D2(d_from_u64, bd((double)a_))
D2(d_from_s32, bd((double)(int32_t)a_))

F2(f_add, bf(a + b))
F2(f_sub, bf(a - b))
F2(f_mul, bf(a * b))
F2(f_div, bf(a / b))
F2(f_fmadd, bf(__builtin_fmaf(a, b, c)))
F2(f_fnmsub, bf(__builtin_fmaf(a, b, -c)))
F2(f_contract, bf(a * b - c))
F2(f_minnm, bf(__builtin_fminf(a, b)))
F2(f_maxnm, bf(__builtin_fmaxf(a, b)))
F2(f_cmp, CMP_BITS(a, b))
F2(f_sqrt, bf(__builtin_sqrtf(a)))
F2(f_to_d, bd((double)a))
F2(f_to_h, bh((__fp16)a))
F2(f_from_h, bf((float)h_(a_)))
F2(f_to_s32, (uint32_t)(int32_t)a)
F2(f_to_u32, (uint32_t)a)
F2(f_to_s64, (uint64_t)(int64_t)a)
F2(f_to_u64, (uint64_t)a)
F2(f_lround, (uint64_t)__builtin_lroundf(a))
F2(f_floor, bf(__builtin_floorf(a)))
F2(f_round, bf(__builtin_roundf(a)))
F2(f_rint, bf(__builtin_rintf(a)))
F2(f_from_s32, bf((float)(int32_t)a_))
F2(f_from_u32, bf((float)(uint32_t)a_))
F2(f_from_u64, bf((float)(a_ << 33 | a_)))

static const struct op dops[] = {
    {"d add", d_add, 1},         {"d sub", d_sub, 1},         {"d mul", d_mul, 1},
    {"d nmul", d_nmul, 1},       {"d div", d_div, 1},         {"d fmadd", d_fmadd, 1},
    {"d fmsub", d_fmsub, 1},     {"d fnmadd", d_fnmadd, 1},   {"d fnmsub", d_fnmsub, 1},
    {"d a*b+c", d_contract, 1},  {"d fmin", d_minnm, 1},      {"d fmax", d_maxnm, 1},
    {"d a<b?a:b", d_select, 1},  {"d compare", d_cmp, 1},     {"d sqrt", d_sqrt, 0},
    {"d fabs", d_abs, 0},        {"d neg", d_neg, 0},         {"d ->float", d_to_f, 0},
    {"d ->half", d_to_h, 0},     {"d <-half", d_from_h, 0},   {"d ->s32", d_to_s32, 0},
    {"d ->u32", d_to_u32, 0},    {"d ->s64", d_to_s64, 0},    {"d ->u64", d_to_u64, 0},
    {"d lround", d_lround, 0},   {"d lrint", d_lrint, 0},     {"d floor", d_floor, 0},
    {"d ceil", d_ceil, 0},       {"d trunc", d_trunc, 0},     {"d round", d_round, 0},
    {"d rint", d_rint, 0},       {"d nearbyint", d_nearbyint, 0},
    {"d <-s64", d_from_s64, 0},  {"d <-u64", d_from_u64, 0},  {"d <-s32", d_from_s32, 0},
};
static const struct op fops[] = {
    {"f add", f_add, 1},         {"f sub", f_sub, 1},         {"f mul", f_mul, 1},
    {"f div", f_div, 1},         {"f fmadd", f_fmadd, 1},     {"f fnmsub", f_fnmsub, 1},
    {"f a*b-c", f_contract, 1},  {"f fmin", f_minnm, 1},      {"f fmax", f_maxnm, 1},
    {"f compare", f_cmp, 1},     {"f sqrt", f_sqrt, 0},       {"f ->double", f_to_d, 0},
    {"f ->half", f_to_h, 0},     {"f <-half", f_from_h, 0},   {"f ->s32", f_to_s32, 0},
    {"f ->u32", f_to_u32, 0},    {"f ->s64", f_to_s64, 0},    {"f ->u64", f_to_u64, 0},
    {"f lroundf", f_lround, 0},  {"f floorf", f_floor, 0},    {"f roundf", f_round, 0},
    {"f rintf", f_rint, 0},      {"f <-s32", f_from_s32, 0},  {"f <-u32", f_from_u32, 0},
    {"f <-u64", f_from_u64, 0},
};

/* One operation under one FPCR value over all operands: folds each result
 * and the FPSR it left into *h, returns the OR of the FPSR values. The
 * operation runs between the FPSR accesses: its operands are loaded after
 * the first (a memory clobber), its result settled before the second. */
static uint64_t run_op(const struct op *op, const uint64_t *vals, unsigned n, uint64_t fpcr,
                       uint64_t *h)
{
    uint64_t flags = 0;
    fpcr_write(fpcr);
    for (unsigned i = 0; i < n; i++) {
        for (unsigned j = 0; j < (op->binary ? n : 1); j++) {
            fpsr_write(0);
            const uint64_t r = settled(op->fn(vals[i], vals[j], vals[(i + 3 * j + 1) % n]));
            const uint64_t fpsr = fpsr_read();
            *h = fnv_u64(fnv_u64(*h, r), fpsr);
            flags |= fpsr;
        }
    }
    fpcr_write(0);
    return flags;
}

/* RMode 0..3 (RN, RP, RM, RZ) times FZ and DN; AHP in half of them. */
static uint64_t fpcr_mode(unsigned m)
{
    return FPCR_RMODE(m & 3) | (m & 4 ? FPCR_FZ : 0) | (m & 8 ? FPCR_DN : 0) |
           (m & 16 ? FPCR_AHP : 0);
}

static void run_table(const struct op *ops, unsigned nops, const uint64_t *vals, unsigned n)
{
    for (unsigned k = 0; k < nops; k++) {
        uint64_t h = FNV_INIT, flags = 0;
        for (unsigned m = 0; m < 32; m++)
            flags |= run_op(&ops[k], vals, n, fpcr_mode(m), &h);
        puts_uart(ops[k].name);
        puts_uart(": flags ");
        put_hex(flags);
        puts_uart(" sum ");
        put_hex(h);
        putc_uart('\n');
    }
}

/* fpcr, a, b: a * b; and 65520.0, a tie between the largest half and 2^16.
 * Globals, as the operands above. */
uint64_t mul_cases[][3] = {
    {0, 0x0010000000000000, 0x3fe0000000000000},
    {FPCR_FZ, 0x0010000000000000, 0x3fe0000000000000},
    {FPCR_FZ, 0x0000000000000001, 0x3ff0000000000000},
    {0, 0x7ff0000000000001, 0x7ff80000000000ab},
    {FPCR_DN, 0x7ff0000000000001, 0x7ff80000000000ab},
    {0, 0xfff4000000000cd0, 0x3ff0000000000000},
};
uint64_t half_tie[] = {0x40effe0000000000};

/* A few results as they are, for a reader: 1/3 in each rounding mode, a
 * denormal product with and without FZ, NaN propagation with and without
 * DN, a half-precision overflow with and without AHP. */
static void show_example(const char *name, uint64_t fpcr, uint64_t (*op)(uint64_t, uint64_t, uint64_t),
                         uint64_t a, uint64_t b)
{
    fpcr_write(fpcr);
    fpsr_write(0);
    const uint64_t r = settled(op(a, b, 0));
    const uint64_t fpsr = fpsr_read();
    fpcr_write(0);
    show(name, r);
    show("  fpsr", fpsr);
}

static void show_examples(void)
{
    static const char *const one_third[] = {"1/3 RN", "1/3 RP", "1/3 RM", "1/3 RZ"};
    for (unsigned m = 0; m < 4; m++)
        show_example(one_third[m], FPCR_RMODE(m), d_div, dvals[2], dvals[4]);
    for (unsigned i = 0; i < sizeof mul_cases / sizeof mul_cases[0]; i++)
        show_example("mul", mul_cases[i][0], d_mul, mul_cases[i][1], mul_cases[i][2]);
    show_example("65520.0 ->half", 0, d_to_h, half_tie[0], 0);
    show_example("65520.0 ->half AHP", FPCR_AHP, d_to_h, half_tie[0], 0);
}

void scalar_fp(void)
{
    run_table(dops, sizeof dops / sizeof dops[0], dvals, ND);
    run_table(fops, sizeof fops / sizeof fops[0], fvals, NF);
    show_examples();
}
