/*
 * mathlib: shaped like Embench's floating-point programs (cubic, minver, st, nbody) built with picolibc's
 * libm on rv32imac, which has no FPU: every operation is a libgcc soft-float call and every function
 * (sqrt, cbrt, acos, cos, sin, atan2, exp, log, pow, and their float versions) is picolibc's own code.
 * Cubic equations solved in closed form, Gauss-Jordan inversion of double matrices with partial
 * pivoting, statistics (mean, deviation, correlation) over generated series, and a small float DFT.
 * The checksum folds the bit patterns of the results, which are exact: soft-float is integer code.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#define BENCH_NAME "mathlib"
#define BENCH_EXPECTED 0x40819885u
#include "pico.h"

#define N 6
#define SERIES 200
#define DFT 48
#define ROUNDS 2

static uint32_t fold_double(uint32_t checksum, double value)
{
    uint64_t bits;
    memcpy(&bits, &value, sizeof bits);
    return ((checksum ^ (uint32_t)bits) * 0x01000193u) ^ (uint32_t)(bits >> 32);
}

static uint32_t fold_float(uint32_t checksum, float value)
{
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    return (checksum ^ bits) * 0x01000193u;
}

/* Real roots of a x^3 + b x^2 + c x + d = 0, as Embench's cubic (basicmath's SolveCubic). */
static int solve_cubic(double a, double b, double c, double d, double *x)
{
    double a1 = b / a, a2 = c / a, a3 = d / a;
    double q = (a1 * a1 - 3.0 * a2) / 9.0;
    double r = (2.0 * a1 * a1 * a1 - 9.0 * a1 * a2 + 27.0 * a3) / 54.0;
    double r2_q3 = r * r - q * q * q;
    if (r2_q3 <= 0) {
        double theta = acos(r / sqrt(q * q * q));
        x[0] = -2.0 * sqrt(q) * cos(theta / 3.0) - a1 / 3.0;
        x[1] = -2.0 * sqrt(q) * cos((theta + 2.0 * M_PI) / 3.0) - a1 / 3.0;
        x[2] = -2.0 * sqrt(q) * cos((theta + 4.0 * M_PI) / 3.0) - a1 / 3.0;
        return 3;
    }
    x[0] = pow(sqrt(r2_q3) + fabs(r), 1.0 / 3.0);
    x[0] += q / x[0];
    x[0] *= (r < 0.0) ? 1 : -1;
    x[0] -= a1 / 3.0;
    return 1;
}

/* Gauss-Jordan elimination with partial pivoting, in place (rows of the inverse in pivot order, which the
   checksum does not mind); returns the determinant (0: singular). */
static double invert(double m[N][N])
{
    double det = 1.0;
    for (int k = 0; k < N; k++) {
        int pivot = k;
        double best = fabs(m[k][k]);
        for (int i = k + 1; i < N; i++)
            if (fabs(m[i][k]) > best) { best = fabs(m[i][k]); pivot = i; }
        if (best < 1e-12) return 0.0;
        if (pivot != k) {
            for (int j = 0; j < N; j++) { double t = m[k][j]; m[k][j] = m[pivot][j]; m[pivot][j] = t; }
            det = -det;
        }
        double p = m[k][k];
        det *= p;
        m[k][k] = 1.0;
        for (int j = 0; j < N; j++) m[k][j] /= p;
        for (int i = 0; i < N; i++) {
            if (i == k) continue;
            double f = m[i][k];
            m[i][k] = 0.0;
            for (int j = 0; j < N; j++) m[i][j] -= f * m[k][j];
        }
    }
    return det;
}

static void statistics(const double *x, const double *y, int n, double *out)
{
    double sx = 0, sy = 0;
    for (int i = 0; i < n; i++) { sx += x[i]; sy += y[i]; }
    double mx = sx / n, my = sy / n, vx = 0, vy = 0, cxy = 0;
    for (int i = 0; i < n; i++) {
        double dx = x[i] - mx, dy = y[i] - my;
        vx += dx * dx;
        vy += dy * dy;
        cxy += dx * dy;
    }
    out[0] = mx;
    out[1] = sqrt(vx / (n - 1));
    out[2] = cxy / sqrt(vx * vy);
}

static uint32_t dft(uint32_t seed, uint32_t checksum)
{
    float re_in[DFT];
    for (int i = 0; i < DFT; i++) {
        seed = seed * 1103515245u + 12345u;
        re_in[i] = sinf(0.3f * (float)i) + (float)((seed >> 16) & 0xff) / 256.0f;
    }
    for (int k = 0; k < DFT; k++) {
        float re = 0, im = 0;
        for (int i = 0; i < DFT; i++) {
            float angle = -2.0f * (float)M_PI * (float)(k * i) / (float)DFT;
            re += re_in[i] * cosf(angle);
            im += re_in[i] * sinf(angle);
        }
        checksum = fold_float(checksum, sqrtf(re * re + im * im));
        checksum = fold_float(checksum, atan2f(im, re));
    }
    return checksum;
}

uint32_t bench_run(void)
{
    uint32_t seed = bench_seed, checksum = 0x811c9dc5u;
    for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < 40; i++) {
            double roots[3];
            double a = 1.0 + i * 0.25, b = -10.5 + round, c = 32.0 - i * 0.75, d = -30.0 + i;
            int n = solve_cubic(a, b, c, d, roots);
            for (int r = 0; r < n; r++) checksum = fold_double(checksum, roots[r]);
        }
        for (int t = 0; t < 10; t++) {
            double m[N][N];
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) {
                    seed = seed * 1664525u + 1013904223u;
                    m[i][j] = (double)(int32_t)(seed >> 8) / 4194304.0 + (i == j ? 4.0 : 0.0);
                }
            checksum = fold_double(checksum, invert(m));
            for (int i = 0; i < N; i++) checksum = fold_double(checksum, m[i][(i + t) % N]);
        }
        double x[SERIES], y[SERIES], stats[3];
        for (int i = 0; i < SERIES; i++) {
            x[i] = exp(0.01 * i) + log(1.0 + i);
            y[i] = pow(1.0 + 0.002 * i, 3.5) * 10.0 + sin(0.05 * i * (round + 1));
        }
        statistics(x, y, SERIES, stats);
        for (int i = 0; i < 3; i++) checksum = fold_double(checksum, stats[i]);
        checksum = dft(seed, checksum);
    }
    return checksum;
}
