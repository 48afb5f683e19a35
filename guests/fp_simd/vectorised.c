/* Plain C loops that gcc -O2 turns into Advanced SIMD code (its "very
 * cheap" vectoriser: global arrays, trip counts a multiple of the vector
 * length): integer arithmetic, saturation, reductions, widening and
 * narrowing, structure loads and stores, float and double arithmetic with
 * special values among the operands. Each loop prints a checksum of what it
 * wrote (or its reduction). */
#include "fp_simd.h"

#define N 1024

struct rgb {
    uint8_t r, g, b;
};

uint8_t a8[N], b8[N], c8[N];
uint16_t a16[N], b16[N], c16[N];
int16_t s16a[N], s16b[N];
uint32_t a32[N], b32[N], c32[N];
int32_t s32[N];
int64_t a64[N], b64[N], c64[N];
struct rgb px[N];
uint8_t rgba[4 * N];
float fx[N], fy[N], fz[N];
double dx[N], dy[N], dz[N];
/* Bit patterns mixed into the float inputs: NaNs, infinities, zeros, denormals. */
uint32_t fspecial[] = {0x7fc00000, 0xff800000, 0x80000000, 0x00000003, 0x7f800000, 0x7fa00001};

static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static void fill(void)
{
    uint32_t s = 42;
    for (unsigned i = 0; i < N; i++) {
        a8[i] = (uint8_t)lcg(&s);
        b8[i] = (uint8_t)lcg(&s);
        a16[i] = (uint16_t)lcg(&s);
        b16[i] = (uint16_t)lcg(&s);
        s16a[i] = (int16_t)lcg(&s);
        s16b[i] = (int16_t)lcg(&s);
        a32[i] = lcg(&s) ^ lcg(&s) << 16;
        b32[i] = lcg(&s);
        a64[i] = (int64_t)((uint64_t)lcg(&s) << 40 ^ lcg(&s)) - (1LL << 62);
        b64[i] = (int64_t)((uint64_t)lcg(&s) << 40 ^ lcg(&s)) - (1LL << 62);
        px[i] = (struct rgb){(uint8_t)lcg(&s), (uint8_t)lcg(&s), (uint8_t)lcg(&s)};
        fx[i] = (float)(int32_t)(lcg(&s) - (1u << 23)) / 4096.0f;
        fy[i] = (float)lcg(&s) / 65536.0f + 1.0f / 3.0f;
        dx[i] = (double)(int32_t)(lcg(&s) - (1u << 23)) / 3.0;
        dy[i] = (double)lcg(&s) * 1e-3;
    }
    for (unsigned i = 0; i < N; i += 37)
        __builtin_memcpy(&fx[i], &fspecial[i % 6], 4);
}

static void int_loops(void)
{
    for (unsigned i = 0; i < N; i++)
        c8[i] = (uint8_t)(a8[i] + b8[i]);
    show("u8 add", fnv(FNV_INIT, c8, N));
    for (unsigned i = 0; i < N; i++) {
        unsigned s = a8[i] + b8[i];
        c8[i] = (uint8_t)(s > 255 ? 255 : s);
    }
    show("u8 saturating add", fnv(FNV_INIT, c8, N));
    unsigned sad = 0;
    for (unsigned i = 0; i < N; i++)
        sad += (unsigned)__builtin_abs(a8[i] - b8[i]);
    show("u8 sum of absolute differences", sad);
    int32_t dot = 0;
    for (unsigned i = 0; i < N; i++)
        dot += (int32_t)s16a[i] * s16b[i];
    show("s16 dot product", (uint32_t)dot);
    for (unsigned i = 0; i < N; i++)
        c16[i] = (uint16_t)(a16[i] << 3 ^ b16[i] >> 5);
    show("u16 shifts", fnv(FNV_INIT, c16, sizeof c16));
    for (unsigned i = 0; i < N; i++)
        c8[i] = (uint8_t)(a16[i] >> 8);
    show("u16 narrow", fnv(FNV_INIT, c8, N));
    for (unsigned i = 0; i < N; i++)
        c32[i] = a8[i] * 3u + b16[i];
    show("u8/u16 widen", fnv(FNV_INIT, c32, sizeof c32));
    for (unsigned i = 0; i < N; i++)
        c32[i] = a32[i] * 2654435761u + (b32[i] >> 3);
    show("u32 mul-add", fnv(FNV_INIT, c32, sizeof c32));
    int32_t mx = INT32_MIN;
    for (unsigned i = 0; i < N; i++) {
        s32[i] = (int32_t)(a32[i] ^ b32[i]);
        mx = s32[i] > mx ? s32[i] : mx;
    }
    show("s32 max", (uint32_t)mx);
    for (unsigned i = 0; i < N; i++)
        c32[i] = (uint32_t)__builtin_popcount(a32[i]) + __builtin_bswap32(b32[i]);
    show("u32 popcount+bswap", fnv(FNV_INIT, c32, sizeof c32));
    for (unsigned i = 0; i < N; i++)
        c64[i] = a64[i] < b64[i] ? a64[i] : b64[i] - 1;
    show("s64 compare-select", fnv(FNV_INIT, c64, sizeof c64));
    for (unsigned i = 0; i < N; i++)
        c8[i] = (uint8_t)((77 * px[i].r + 150 * px[i].g + 29 * px[i].b) >> 8);
    show("rgb to grey (3-element structures)", fnv(FNV_INIT, c8, N));
    for (unsigned i = 0; i < N; i++) {
        rgba[4 * i] = px[i].b;
        rgba[4 * i + 1] = px[i].g;
        rgba[4 * i + 2] = px[i].r;
        rgba[4 * i + 3] = 0xff;
    }
    show("rgb to bgra (4-element structures)", fnv(FNV_INIT, rgba, sizeof rgba));
}

static void fp_loops(void)
{
    const float a = 1.75f;
    for (unsigned i = 0; i < N; i++)
        fz[i] = a * fx[i] + fy[i];
    show("f32 saxpy", fnv(FNV_INIT, fz, sizeof fz));
    for (unsigned i = 0; i < N; i++)
        fz[i] = fx[i] / fy[i] - fy[i] * fy[i];
    show("f32 div, mul-sub", fnv(FNV_INIT, fz, sizeof fz));
    for (unsigned i = 0; i < N; i++)
        fz[i] = __builtin_sqrtf(fy[i]) + __builtin_fabsf(fx[i]);
    show("f32 sqrt, abs", fnv(FNV_INIT, fz, sizeof fz));
    for (unsigned i = 0; i < N; i++)
        fz[i] = fx[i] < fy[i] ? fx[i] : -fy[i];
    show("f32 compare-select", fnv(FNV_INIT, fz, sizeof fz));
    for (unsigned i = 0; i < N; i++)
        fz[i] = __builtin_fminf(fx[i], fy[i]) + __builtin_fmaxf(fx[i], 0.0f);
    show("f32 fmin, fmax", fnv(FNV_INIT, fz, sizeof fz));
    for (unsigned i = 0; i < N; i++)
        s32[i] = (int32_t)fx[i] + (int32_t)__builtin_roundf(fy[i] * 8.0f);
    show("f32 to s32, round", fnv(FNV_INIT, s32, sizeof s32));
    for (unsigned i = 0; i < N; i++)
        fz[i] = (float)(int32_t)a32[i] * 0.5f + (float)b32[i];
    show("s32/u32 to f32", fnv(FNV_INIT, fz, sizeof fz));
    for (unsigned i = 0; i < N; i++)
        dz[i] = dx[i] * dx[i] + 0.5 * dy[i];
    show("f64 square-add", fnv(FNV_INIT, dz, sizeof dz));
    for (unsigned i = 0; i < N; i++)
        dz[i] = __builtin_sqrt(dy[i]) / (dx[i] + 1.0);
    show("f64 sqrt, div", fnv(FNV_INIT, dz, sizeof dz));
    for (unsigned i = 0; i < N; i++)
        dz[i] = (double)fx[i] * dy[i];
    show("f32 to f64", fnv(FNV_INIT, dz, sizeof dz));
    for (unsigned i = 0; i < N; i++)
        fz[i] = (float)(dx[i] * 1e-3);
    show("f64 to f32", fnv(FNV_INIT, fz, sizeof fz));
    for (unsigned i = 0; i < N; i++)
        c64[i] = (int64_t)(dx[i] * 65536.0) ^ (int64_t)__builtin_floor(dy[i]);
    show("f64 to s64, floor", fnv(FNV_INIT, c64, sizeof c64));
}

void vectorised_loops(void)
{
    fill();
    fpsr_write(0);
    int_loops();
    fp_loops();
    show("vectorised loops fpsr", fpsr_read());
}
