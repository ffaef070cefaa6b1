/*
 * jpeg: the shape of a baseline JPEG decoder. At start-up an encoder makes the stream: synthetic 8x8
 * blocks of quantized DCT coefficients, run-length coded in zigzag order into JPEG's DC/AC symbols,
 * optimal Huffman tables built from the symbol counts (canonical codes, bit counts per length, as in a
 * DHT segment), and a bit stream with 0xFF byte stuffing. The timed part is mostly decoding: a bit
 * reader, Huffman decoding with a 9-bit lookahead table and libjpeg's maxcode/valptr slow path,
 * dequantization, a fixed-point separable inverse DCT, clamping to pixels.
 */
#include <stdint.h>

#define BENCH_NAME "jpeg"
#define BENCH_EXPECTED 0x1388F35B
#include "bench.h"

#define BLOCKS 256
#define LOOKAHEAD 9

static int16_t coefficients[BLOCKS][64];
static uint8_t zigzag[64];
static uint16_t quant[64];
static uint8_t stream[64 * 1024];
static uint32_t stream_length;
static uint8_t pixels[BLOCKS][64];

struct huffman {
    uint8_t bits[17];     /* codes of each length */
    uint8_t values[256];  /* symbols by code length */
    uint16_t codes[256];  /* encoder: code of each symbol */
    uint8_t sizes[256];   /* encoder: length of each symbol's code (0: unused) */
    int32_t maxcode[18];  /* decoder: largest code of each length, -1 if none */
    int32_t valptr[17];
    int32_t mincode[17];
    uint16_t lookup[1 << LOOKAHEAD]; /* (length << 8) | symbol, 0 when the code is longer */
};
static struct huffman dc_table, ac_table;

static uint32_t seed;
static uint32_t next_random(void) { seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5; return seed; }

static void make_zigzag(void)
{
    int i = 0, x = 0, y = 0;
    for (int s = 0; s < 15; s++) {
        for (int k = 0; k <= s; k++) {
            x = (s & 1) ? k : s - k;
            y = s - x;
            if (x < 8 && y < 8) zigzag[i++] = (uint8_t)(y * 8 + x);
        }
    }
}

static int magnitude_bits(int v) { int n = 0; if (v < 0) v = -v; while (v) { n++; v >>= 1; } return n; }

static void make_blocks(void)
{
    int dc = 0;
    for (int b = 0; b < BLOCKS; b++) {
        dc += (int)(next_random() % 41) - 20;
        coefficients[b][0] = (int16_t)dc;
        for (int k = 1; k < 64; k++) {
            uint32_t r = next_random();
            int limit = 64 - k;
            coefficients[b][k] = (int16_t)((r % 100) < (uint32_t)(limit) ? (int)((r >> 8) % (2 * limit / 4 + 3)) - limit / 4 - 1 : 0);
        }
    }
}

/* Huffman code lengths from counts (at most 16 bits: counts are halved until they fit). */
static void build_lengths(uint32_t *counts, int symbols, struct huffman *h)
{
    static uint32_t freq[256];
    static int parent[512];
    static uint32_t weight[512];
    for (;;) {
        int nodes = 0, leaves[256], used = 0;
        for (int s = 0; s < symbols; s++) freq[s] = counts[s];
        for (int s = 0; s < symbols; s++) if (freq[s]) { leaves[used++] = s; weight[nodes] = freq[s]; parent[nodes++] = -1; }
        if (used == 1) { weight[nodes] = 1; parent[nodes++] = -1; }
        int live = nodes;
        int alive[512];
        for (int i = 0; i < nodes; i++) alive[i] = 1;
        while (live > 1) {
            int a = -1, b = -1;
            for (int i = 0; i < nodes; i++) {
                if (!alive[i]) continue;
                if (a < 0 || weight[i] < weight[a]) { b = a; a = i; } else if (b < 0 || weight[i] < weight[b]) b = i;
            }
            alive[a] = alive[b] = 0;
            weight[nodes] = weight[a] + weight[b];
            parent[nodes] = -1;
            alive[nodes] = 1;
            parent[a] = parent[b] = nodes++;
            live--;
        }
        int too_long = 0;
        for (int s = 0; s < 256; s++) h->sizes[s] = 0;
        for (int i = 0; i < used; i++) {
            int depth = 0;
            for (int n = i; parent[n] >= 0; n = parent[n]) depth++;
            h->sizes[leaves[i]] = (uint8_t)depth;
            if (depth > 16) too_long = 1;
        }
        if (!too_long) return;
        for (int s = 0; s < symbols; s++) if (counts[s]) counts[s] = (counts[s] + 1) / 2;
    }
}

/* Canonical codes from the lengths, and the decoder's tables (JPEG Annex C and F.2.2.3). */
static void build_codes(struct huffman *h)
{
    int n = 0;
    for (int len = 1; len <= 16; len++) {
        h->bits[len] = 0;
        for (int s = 0; s < 256; s++) if (h->sizes[s] == len) { h->values[n++] = (uint8_t)s; h->bits[len]++; }
    }
    uint32_t code = 0;
    int k = 0;
    for (int i = 0; i < (1 << LOOKAHEAD); i++) h->lookup[i] = 0;
    for (int len = 1; len <= 16; len++) {
        h->valptr[len] = k;
        h->mincode[len] = (int32_t)code;
        for (int i = 0; i < h->bits[len]; i++, k++, code++) {
            uint8_t s = h->values[k];
            h->codes[s] = (uint16_t)code;
            if (len <= LOOKAHEAD) {
                int shift = LOOKAHEAD - len;
                for (int f = 0; f < (1 << shift); f++) h->lookup[(code << shift) | f] = (uint16_t)((len << 8) | s);
            }
        }
        h->maxcode[len] = h->bits[len] ? (int32_t)code - 1 : -1;
        code <<= 1;
    }
    h->maxcode[17] = 0x7fffffff;
}

static uint32_t bit_buffer;
static int bit_count;

static void put_bits(uint32_t value, int length)
{
    for (int i = length - 1; i >= 0; i--) {
        bit_buffer = (bit_buffer << 1) | ((value >> i) & 1);
        if (++bit_count == 8) {
            stream[stream_length++] = (uint8_t)bit_buffer;
            if ((uint8_t)bit_buffer == 0xff) stream[stream_length++] = 0;
            bit_buffer = 0;
            bit_count = 0;
        }
    }
}

/* Calls `symbol(table, value)` for each Huffman symbol and `extra(bits, length)` for each extra field. */
static void encode(int counting, uint32_t *dc_counts, uint32_t *ac_counts)
{
    int previous = 0;
    for (int b = 0; b < BLOCKS; b++) {
        int diff = coefficients[b][0] - previous, size = magnitude_bits(diff);
        previous = coefficients[b][0];
        if (counting) dc_counts[size]++;
        else { put_bits(dc_table.codes[size], dc_table.sizes[size]); put_bits((uint32_t)(diff < 0 ? diff - 1 : diff), size); }
        int run = 0;
        for (int k = 1; k < 64; k++) {
            int v = coefficients[b][zigzag[k]];
            if (v == 0) { run++; continue; }
            while (run > 15) {
                if (counting) ac_counts[0xf0]++; else put_bits(ac_table.codes[0xf0], ac_table.sizes[0xf0]);
                run -= 16;
            }
            int s = magnitude_bits(v), symbol = (run << 4) | s;
            if (counting) ac_counts[symbol]++;
            else { put_bits(ac_table.codes[symbol], ac_table.sizes[symbol]); put_bits((uint32_t)(v < 0 ? v - 1 : v), s); }
            run = 0;
        }
        if (run) { if (counting) ac_counts[0]++; else put_bits(ac_table.codes[0], ac_table.sizes[0]); }
    }
    if (!counting) put_bits(0x7f, 7);
}

static void make_stream(void)
{
    static uint32_t dc_counts[256], ac_counts[256];
    for (int i = 0; i < 256; i++) dc_counts[i] = ac_counts[i] = 0;
    encode(1, dc_counts, ac_counts);
    build_lengths(dc_counts, 12, &dc_table);
    build_lengths(ac_counts, 256, &ac_table);
    build_codes(&dc_table);
    build_codes(&ac_table);
    stream_length = 0;
    bit_buffer = 0;
    bit_count = 0;
    encode(0, 0, 0);
}

/* ---- the decoder ---- */

static uint32_t read_at, window;
static int window_bits;

static void fill(void)
{
    while (window_bits <= 24) {
        uint32_t byte = read_at < stream_length ? stream[read_at++] : 0;
        if (byte == 0xff) read_at++; /* stuffed zero */
        window |= byte << (24 - window_bits);
        window_bits += 8;
    }
}

static uint32_t take_bits(int n)
{
    if (n == 0) return 0;
    fill();
    uint32_t v = window >> (32 - n);
    window <<= n;
    window_bits -= n;
    return v;
}

static int decode_symbol(const struct huffman *h)
{
    fill();
    uint32_t entry = h->lookup[window >> (32 - LOOKAHEAD)];
    if (entry) {
        int len = entry >> 8;
        window <<= len;
        window_bits -= len;
        return entry & 0xff;
    }
    int len = LOOKAHEAD + 1;
    int32_t code = (int32_t)(window >> (32 - len));
    while (code > h->maxcode[len]) { len++; code = (int32_t)(window >> (32 - len)); }
    window <<= len;
    window_bits -= len;
    return len > 16 ? 0 : h->values[h->valptr[len] + code - h->mincode[len]];
}

static int extend(uint32_t v, int s) { return s && v < (1u << (s - 1)) ? (int)v - (1 << s) + 1 : (int)v; }

static const int16_t cosines[9] = {4096, 4017, 3784, 3406, 2896, 2276, 1567, 799, 0};
static int32_t idct_matrix[8][8]; /* [x][u]: C(u) cos((2x+1)u pi / 16), scaled by 4096 */

static void make_idct_matrix(void)
{
    for (int x = 0; x < 8; x++) {
        for (int u = 0; u < 8; u++) {
            int a = ((2 * x + 1) * u) % 32;
            int32_t c = a <= 8 ? cosines[a] : a <= 16 ? -cosines[16 - a] : a <= 24 ? -cosines[a - 16] : cosines[32 - a];
            idct_matrix[x][u] = u == 0 ? (c * 2896) >> 12 : c;
        }
    }
}

static void idct(const int32_t in[64], uint8_t out[64])
{
    int32_t rows[64];
    for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
            int32_t sum = 0;
            for (int u = 0; u < 8; u++) sum += idct_matrix[x][u] * in[y * 8 + u];
            rows[y * 8 + x] = sum >> 10;
        }
    }
    for (int x = 0; x < 8; x++) {
        for (int y = 0; y < 8; y++) {
            int32_t sum = 0;
            for (int v = 0; v < 8; v++) sum += idct_matrix[y][v] * rows[v * 8 + x];
            int32_t p = (sum >> 16) + 128;
            out[y * 8 + x] = (uint8_t)(p < 0 ? 0 : p > 255 ? 255 : p);
        }
    }
}

static uint32_t decode_image(void)
{
    read_at = 0;
    window = 0;
    window_bits = 0;
    int previous = 0;
    uint32_t a = 1, b = 0;
    for (int blk = 0; blk < BLOCKS; blk++) {
        int32_t block[64];
        for (int k = 0; k < 64; k++) block[k] = 0;
        int s = decode_symbol(&dc_table);
        previous += extend(take_bits(s), s);
        block[0] = previous * quant[0];
        for (int k = 1; k < 64;) {
            int symbol = decode_symbol(&ac_table);
            int run = symbol >> 4, size = symbol & 15;
            if (size == 0) {
                if (run != 15) break;
                k += 16;
                continue;
            }
            k += run;
            if (k > 63) break;
            block[zigzag[k]] = extend(take_bits(size), size) * quant[zigzag[k]];
            k++;
        }
        idct(block, pixels[blk]);
        for (int i = 0; i < 64; i++) { a = (a + pixels[blk][i]) % 65521; b = (b + a) % 65521; }
    }
    return (b << 16) | a;
}

uint32_t bench_run(void)
{
    seed = bench_seed;
    make_zigzag();
    make_idct_matrix();
    for (int i = 0; i < 64; i++) quant[i] = (uint16_t)(2 + (i / 8 + i % 8) * 3);
    uint32_t checksum = 0;
    for (int image = 0; image < 4; image++) {
        make_blocks();
        make_stream();
        for (int pass = 0; pass < 5; pass++) checksum = checksum * 33u ^ decode_image();
        checksum += stream_length;
    }
    return checksum;
}
