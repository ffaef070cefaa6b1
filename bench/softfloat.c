/*
 * softfloat: floating-point kernels on a core without an FPU (rv32imac): every float and double
 * operation is a call into libgcc's soft-float routines (__adddf3, __muldf3, __divdf3, __ltdf2,
 * __floatsidf, ...), the shape of sensor-fusion and control code built for small MCUs. A double-precision
 * n-body step with a Newton square root, a single-precision FIR filter, and a polynomial sine.
 */
#include <stdint.h>

#define BENCH_NAME "softfloat"
#define BENCH_EXPECTED 0x05785213
#include "bench.h"

#define BODIES 5

static double px[BODIES], py[BODIES], vx[BODIES], vy[BODIES], mass[BODIES];

static double newton_sqrt(double a)
{
    if (a <= 0.0) return 0.0;
    double x = a > 1.0 ? a : 1.0;
    for (int i = 0; i < 8; i++) x = 0.5 * (x + a / x);
    return x;
}

static void nbody_step(double dt)
{
    for (int i = 0; i < BODIES; i++) {
        for (int j = i + 1; j < BODIES; j++) {
            double dx = px[i] - px[j], dy = py[i] - py[j];
            double d2 = dx * dx + dy * dy + 0.01;
            double d = newton_sqrt(d2);
            double f = dt / (d2 * d);
            vx[i] -= dx * mass[j] * f;
            vy[i] -= dy * mass[j] * f;
            vx[j] += dx * mass[i] * f;
            vy[j] += dy * mass[i] * f;
        }
    }
    for (int i = 0; i < BODIES; i++) {
        px[i] += dt * vx[i];
        py[i] += dt * vy[i];
    }
}

static float taps[32];
static float samples[256];

static float fir(int at)
{
    float acc = 0.0f;
    for (int k = 0; k < 32; k++) acc += taps[k] * samples[(at - k) & 255];
    return acc;
}

static float sine(float x)
{
    /* Range-reduce to [-pi, pi], then a 7th-order odd polynomial. */
    while (x > 3.14159265f) x -= 6.2831853f;
    while (x < -3.14159265f) x += 6.2831853f;
    float x2 = x * x;
    return x * (1.0f - x2 / 6.0f * (1.0f - x2 / 20.0f * (1.0f - x2 / 42.0f)));
}

static uint32_t bits_of_double(double d)
{
    union { double d; uint32_t w[2]; } u = { .d = d };
    return u.w[0] ^ u.w[1];
}

static uint32_t bits_of_float(float f)
{
    union { float f; uint32_t w; } u = { .f = f };
    return u.w;
}

uint32_t bench_run(void)
{
    uint32_t seed = bench_seed, checksum = 0;
    for (int i = 0; i < BODIES; i++) {
        seed = seed * 1664525u + 1013904223u;
        px[i] = (double)(int32_t)(seed >> 8) / 1048576.0;
        seed = seed * 1664525u + 1013904223u;
        py[i] = (double)(int32_t)(seed >> 8) / 1048576.0;
        vx[i] = vy[i] = 0.0;
        mass[i] = 1.0 + i * 0.5;
    }
    for (int k = 0; k < 32; k++) taps[k] = sine((float)k * 0.1f) / 16.0f;
    for (int step = 0; step < 300; step++) {
        nbody_step(0.001);
        if (step % 64 == 0) checksum ^= bits_of_double(px[step % BODIES] + py[(step + 1) % BODIES]);
    }
    for (int n = 0; n < 3000; n++) {
        samples[n & 255] = sine((float)n * 0.05f) + (float)(int)((seed = seed * 1103515245u + 12345u) >> 24) / 256.0f;
        float y = fir(n);
        checksum = checksum * 31u + bits_of_float(y);
        checksum ^= (uint32_t)(int32_t)(y * 1000.0f);
    }
    return checksum;
}
