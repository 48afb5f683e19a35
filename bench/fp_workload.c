/* The FP/SIMD benchmark's guest (scripts/bench fp): three kernels repeated
 * ITERS times, chosen by the KERNELS bit mask (1 float, 2 double, 4 vector;
 * default all):
 *   float  - a Mandelbrot set on a 48 x 32 grid, scalar single precision
 *            (FMUL, FADD, FSUB, FCMPE, FCVTZS): its exits depend on data,
 *            so gcc keeps it scalar;
 *   double - a midpoint-rule integral of 4 / (1 + x^2) and a Newton square
 *            root, scalar double precision (FDIV, FMADD, SCVTF, FSQRT
 *            checks): an ordered sum, which gcc may not vectorise;
 *   vector - a 64 x 64 single-precision matrix product and a saxpy, which
 *            gcc -O2 vectorises (LDR Q, FMLA .4S, STR Q).
 * Built with -O2 -march=armv8-a+crypto (add_guest FP). Every iteration runs
 * the same instructions on the same data, so the instruction count is
 * c(1) + (ITERS - 1) * (c(2) - c(1)) as for workload.c. Prints the
 * iteration count and a checksum of the results' bit patterns. */
#include "guest.h"

#ifndef ITERS
#define ITERS 100
#endif
#ifndef KERNELS
#define KERNELS 7
#endif

#define MW 48
#define MH 32
#define MAX_ITER 64
#define STEPS 32768
#define DIM 64

uint8_t mandel[MH][MW];
double integral, root;
float ma[DIM][DIM], mb[DIM][DIM], mc[DIM][DIM], vx[DIM * DIM], vy[DIM * DIM];

static uint64_t bits_f(float f)
{
    uint32_t w;
    __builtin_memcpy(&w, &f, 4);
    return w;
}

static uint64_t bits_d(double d)
{
    uint64_t w;
    __builtin_memcpy(&w, &d, 8);
    return w;
}

__attribute__((noinline)) static uint64_t kernel_float(void)
{
    uint64_t sum = 0;
    for (int py = 0; py < MH; py++) {
        for (int px = 0; px < MW; px++) {
            const float cr = -2.2f + (float)px * (3.0f / MW), ci = -1.2f + (float)py * (2.4f / MH);
            float zr = 0.0f, zi = 0.0f;
            int n = 0;
            while (n < MAX_ITER && zr * zr + zi * zi <= 4.0f) {
                const float t = zr * zr - zi * zi + cr;
                zi = 2.0f * zr * zi + ci;
                zr = t;
                n++;
            }
            mandel[py][px] = (uint8_t)n;
            sum += (uint64_t)n + (uint64_t)(int)(zr * 16.0f);
        }
    }
    return sum;
}

__attribute__((noinline)) static uint64_t kernel_double(void)
{
    double s = 0.0;
    const double h = 1.0 / STEPS;
    for (int i = 0; i < STEPS; i++) {
        const double x = ((double)i + 0.5) * h;
        s += 4.0 / (1.0 + x * x);
    }
    integral = s * h;
    double r = integral;
    for (int i = 0; i < 24; i++)
        r = 0.5 * (r + integral / r);
    root = r;
    return bits_d(integral) ^ bits_d(root) ^ bits_d(__builtin_sqrt(integral));
}

__attribute__((noinline)) static uint64_t kernel_vector(void)
{
    for (int i = 0; i < DIM; i++) {
        for (int j = 0; j < DIM; j++)
            mc[i][j] = 0.0f;
        for (int k = 0; k < DIM; k++)
            for (int j = 0; j < DIM; j++)
                mc[i][j] += ma[i][k] * mb[k][j];
    }
    for (int i = 0; i < DIM * DIM; i++)
        vy[i] = 0.75f * vx[i] + vy[i] * 0.5f;
    return bits_f(mc[DIM / 3][DIM / 5]) ^ bits_f(mc[DIM - 1][DIM - 1]) << 32 ^ bits_f(vy[100]);
}

int main(void)
{
    for (int i = 0; i < DIM; i++) {
        for (int j = 0; j < DIM; j++) {
            ma[i][j] = (float)(i - j) * 0.125f;
            mb[i][j] = (float)((i * 7 + j * 3) % 11) - 5.0f;
            vx[i * DIM + j] = (float)(i + j) * 0.01f;
        }
    }
    uint64_t sum = 0;
    for (unsigned it = 0; it < ITERS; it++) {
        if (KERNELS & 1)
            sum = sum * 31 + kernel_float();
        if (KERNELS & 2)
            sum = sum * 31 + kernel_double();
        if (KERNELS & 4)
            sum = sum * 31 + kernel_vector();
    }
    puts_uart("bench: iterations ");
    put_dec(ITERS);
    puts_uart(" checksum ");
    put_hex(sum);
    puts_uart("\n");
    return 0;
}
