/*
 * core: shaped like CoreMark built with picolibc, semihosting console and clock (the build users run on
 * the virt board). The same kinds of work: a linked list of records (find, reverse, merge sort), 16-bit
 * matrix arithmetic, a state machine that scans number strings, all folded into CRC-16s; the program
 * reads its command line (picolibc's crt0 asks SYS_GET_CMDLINE for argv), calibrates its iteration count
 * with clock() as CoreMark does (doubling until the run takes long enough), times the measured run with
 * clock(), time() and gettimeofday(), and prints ticks, seconds and iterations per second with printf.
 *
 * On Rewind the clocks follow the step count (1 GHz virtual), so every line is the same in every run. On
 * QEMU semihosting clocks are the host's (SYS_CLOCK is QEMU's CPU time, SYS_ELAPSED its wall time, even
 * with -icount), so the lines that report time, the iteration count and the CRC over all iterations
 * differ from run to run there; the others must be identical. The status is 0 when the per-iteration
 * CRCs match the expected ones (computed on QEMU).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#define LIST_ITEMS 64
#define MATRIX_N 12
#define STATE_BYTES 360
/*
 * The calibration stops when a round takes 10 "seconds" of clock(), CoreMark's minimum for a valid run.
 * picolibc's semihosting times() (under clock()) returns SYS_ELAPSED's ticks unscaled, 1 GHz on Rewind
 * and on QEMU, while CLOCKS_PER_SEC is 1,000,000: so this is 10 ms, about 10 million steps here.
 */
#define CALIBRATION_TICKS (10 * CLOCKS_PER_SEC)
#define EXPECTED_LIST 0xf829u
#define EXPECTED_MATRIX 0x9870u
#define EXPECTED_STATE 0x33d5u

static uint16_t crc16_byte(uint8_t data, uint16_t crc)
{
    for (int i = 0; i < 8; i++) {
        uint16_t mix = (uint16_t)((data ^ crc) & 1);
        crc >>= 1;
        if (mix) crc ^= 0xA001;
        data >>= 1;
    }
    return crc;
}

static uint16_t crc16_word(uint16_t w, uint16_t crc) { return crc16_byte((uint8_t)(w >> 8), crc16_byte((uint8_t)w, crc)); }
static uint16_t crc16_u32(uint32_t w, uint16_t crc) { return crc16_word((uint16_t)(w >> 16), crc16_word((uint16_t)w, crc)); }

/* ---- list: records in a pool, linked, searched, reversed and merge-sorted ---- */

struct record { int16_t data; int16_t index; };
struct node { struct node *next; struct record *info; };

static struct node nodes[LIST_ITEMS];
static struct record records[LIST_ITEMS];

static struct node *list_init(uint16_t seed)
{
    struct node *head = NULL;
    for (int i = LIST_ITEMS - 1; i >= 0; i--) {
        records[i].index = (int16_t)i;
        records[i].data = (int16_t)(((seed ^ (i * 0x9e37u)) * 31u + (uint16_t)i) & 0x7fff);
        nodes[i].info = &records[i];
        nodes[i].next = head;
        head = &nodes[i];
    }
    return head;
}

static struct node *list_find(struct node *list, int16_t data, int16_t index)
{
    for (; list != NULL; list = list->next) {
        if (index >= 0 ? list->info->index == index : (list->info->data & 0xff) == (data & 0xff)) return list;
    }
    return NULL;
}

static struct node *list_reverse(struct node *list)
{
    struct node *reversed = NULL;
    while (list != NULL) {
        struct node *next = list->next;
        list->next = reversed;
        reversed = list;
        list = next;
    }
    return reversed;
}

typedef int (*compare_fn)(const struct record *, const struct record *);
static int by_data(const struct record *a, const struct record *b) { return a->data - b->data; }
static int by_index(const struct record *a, const struct record *b) { return a->index - b->index; }

/* Bottom-up merge sort of a linked list, as CoreMark's core_list_mergesort. */
static struct node *list_sort(struct node *list, compare_fn compare)
{
    for (int size = 1;; size *= 2) {
        struct node *p = list, *tail = NULL;
        list = NULL;
        int merges = 0;
        while (p != NULL) {
            merges++;
            struct node *q = p;
            int psize = 0;
            for (int i = 0; i < size && q != NULL; i++) { psize++; q = q->next; }
            int qsize = size;
            while (psize > 0 || (qsize > 0 && q != NULL)) {
                struct node *e;
                if (psize == 0) { e = q; q = q->next; qsize--; }
                else if (qsize == 0 || q == NULL) { e = p; p = p->next; psize--; }
                else if (compare(p->info, q->info) <= 0) { e = p; p = p->next; psize--; }
                else { e = q; q = q->next; qsize--; }
                if (tail != NULL) tail->next = e; else list = e;
                tail = e;
            }
            p = q;
        }
        tail->next = NULL;
        if (merges <= 1) return list;
    }
}

static uint16_t bench_list(uint16_t seed, uint16_t crc)
{
    struct node *list = list_init(seed);
    int found = 0, missed = 0;
    for (int i = 0; i < 24; i++) {
        struct node *hit = list_find(list, (int16_t)(i * 37 + seed), i % 3 == 0 ? (int16_t)(i * 5 % LIST_ITEMS) : -1);
        list = list_reverse(list);
        if (hit != NULL) { found++; crc = crc16_word((uint16_t)hit->info->data, crc); } else missed++;
    }
    list = list_sort(list, by_data);
    for (struct node *n = list; n != NULL; n = n->next) crc = crc16_word((uint16_t)n->info->data, crc);
    list = list_sort(list, by_index);
    for (struct node *n = list; n != NULL; n = n->next) crc = crc16_word((uint16_t)n->info->index, crc);
    return crc16_word((uint16_t)(found * 256 + missed), crc);
}

/* ---- matrix: 16-bit elements, 32-bit accumulators, as core_matrix.c ---- */

static int16_t ma[MATRIX_N][MATRIX_N], mb[MATRIX_N][MATRIX_N];
static int32_t mc[MATRIX_N][MATRIX_N];

static void matrix_init(uint16_t seed)
{
    uint32_t s = seed | 1u;
    for (int i = 0; i < MATRIX_N; i++) {
        for (int j = 0; j < MATRIX_N; j++) {
            s = s * 1103515245u + 12345u;
            ma[i][j] = (int16_t)((s >> 16) % 200 - 100);
            mb[i][j] = (int16_t)((s >> 8) % 300 - 150);
        }
    }
}

static void matrix_add_constant(int16_t value)
{
    for (int i = 0; i < MATRIX_N; i++)
        for (int j = 0; j < MATRIX_N; j++) ma[i][j] = (int16_t)(ma[i][j] + value);
}

static void matrix_mul_vector(const int16_t *v)
{
    for (int i = 0; i < MATRIX_N; i++) {
        int32_t sum = 0;
        for (int j = 0; j < MATRIX_N; j++) sum += ma[i][j] * v[j];
        mc[i][0] = sum;
    }
}

static void matrix_mul_matrix(void)
{
    for (int i = 0; i < MATRIX_N; i++)
        for (int j = 0; j < MATRIX_N; j++) {
            int32_t sum = 0;
            for (int k = 0; k < MATRIX_N; k++) sum += ma[i][k] * mb[k][j];
            mc[i][j] = sum;
        }
}

static void matrix_mul_bits(void)
{
    for (int i = 0; i < MATRIX_N; i++)
        for (int j = 0; j < MATRIX_N; j++) {
            int32_t sum = 0;
            for (int k = 0; k < MATRIX_N; k++) {
                int32_t product = ma[i][k] * mb[k][j];
                sum += ((product >> 2) & 0xf) * ((product >> 5) & 0x7f);
            }
            mc[i][j] = sum;
        }
}

static uint16_t matrix_sum(int32_t clip, uint16_t crc)
{
    int32_t previous = 0, total = 0;
    for (int i = 0; i < MATRIX_N; i++)
        for (int j = 0; j < MATRIX_N; j++) {
            total += mc[i][j];
            if (total > clip) { crc = crc16_word(10, crc); total = 0; }
            else crc = crc16_word(total > previous ? 1 : 0, crc);
            previous = total;
        }
    return crc;
}

static uint16_t bench_matrix(uint16_t seed, uint16_t crc)
{
    matrix_init(seed);
    matrix_add_constant((int16_t)(seed & 0x3f));
    matrix_mul_vector(mb[seed % MATRIX_N]);
    crc = matrix_sum(1000, crc);
    matrix_mul_matrix();
    crc = matrix_sum(20000, crc);
    matrix_mul_bits();
    crc = matrix_sum(4000, crc);
    matrix_add_constant((int16_t)-(seed & 0x3f));
    return crc;
}

/* ---- state machine: classify comma-separated tokens (integers, floats, exponents, garbage) ---- */

enum state { START, INVALID, S1, INT, FLOAT, EXPONENT, S2, SCIENTIFIC, STATES };

static char input[STATE_BYTES + 1];

static void state_init(uint16_t seed)
{
    static const char *const patterns[] = { "5012", "1234", "-874", "+122", "35.54400", ".1234500", "-110.700", "+0.64400",
                                            "5.500e+3", "-.123e-2", "-87e+832", "+0.6e-12", "T0.3e-1F", "-T.T++Tq", "1T3.4e4z", "34.0e-T^" };
    int n = 0;
    uint32_t s = seed;
    while (n + 9 < STATE_BYTES) {
        s = s * 1664525u + 1013904223u;
        const char *p = patterns[(s >> 24) & 15];
        size_t len = strlen(p);
        memcpy(input + n, p, len);
        n += (int)len;
        input[n++] = ',';
    }
    input[n] = '\0';
}

static enum state next_state(const char **text, uint32_t *transitions)
{
    const char *p = *text;
    enum state state = START;
    for (; *p != '\0' && state != INVALID; p++) {
        char c = *p;
        if (c == ',') { p++; break; }
        int digit = c >= '0' && c <= '9';
        switch (state) {
        case START:
            if (digit) state = INT;
            else if (c == '+' || c == '-') state = S1;
            else if (c == '.') state = FLOAT;
            else { state = INVALID; transitions[INVALID]++; }
            transitions[START]++;
            break;
        case S1:
            if (digit) { state = INT; transitions[S1]++; }
            else if (c == '.') { state = FLOAT; transitions[S1]++; }
            else { state = INVALID; transitions[S1]++; }
            break;
        case INT:
            if (c == '.') { state = FLOAT; transitions[INT]++; }
            else if (!digit) { state = INVALID; transitions[INT]++; }
            break;
        case FLOAT:
            if (c == 'E' || c == 'e') { state = S2; transitions[FLOAT]++; }
            else if (!digit) { state = INVALID; transitions[FLOAT]++; }
            break;
        case S2:
            if (c == '+' || c == '-') { state = EXPONENT; transitions[S2]++; }
            else { state = INVALID; transitions[S2]++; }
            break;
        case EXPONENT:
            if (digit) { state = SCIENTIFIC; transitions[EXPONENT]++; }
            else { state = INVALID; transitions[EXPONENT]++; }
            break;
        case SCIENTIFIC:
            if (!digit) { state = INVALID; transitions[INVALID]++; }
            break;
        default:
            break;
        }
    }
    *text = p;
    return state;
}

static uint16_t bench_state(uint16_t seed, uint16_t crc)
{
    uint32_t finals[STATES] = { 0 }, transitions[STATES] = { 0 };
    state_init(seed);
    for (int pass = 0; pass < 2; pass++) {
        const char *p = input;
        while (*p != '\0') finals[next_state(&p, transitions)]++;
        /* The second pass scans a corrupted copy, as CoreMark's core_bench_state does. */
        for (int i = (seed & 7); i < STATE_BYTES && input[i] != '\0'; i += 11)
            if (input[i] != ',') input[i] ^= (char)(seed & 0x3f ? seed & 0x3f : 1);
    }
    for (int i = 0; i < STATES; i++) crc = crc16_u32(finals[i] * 65536u + transitions[i], crc);
    return crc;
}

/* ---- iterations and timing ---- */

struct results { uint16_t list, matrix, state, final; };

static struct results iterate(uint16_t seed, uint32_t iterations)
{
    struct results r = { 0, 0, 0, 0 };
    for (uint32_t i = 0; i < iterations; i++) {
        r.list = bench_list(seed, 0);
        r.matrix = bench_matrix(seed, 0);
        r.state = bench_state(seed, 0);
        r.final = crc16_word(r.list, r.final);
        r.final = crc16_word(r.matrix, r.final);
        r.final = crc16_word(r.state, r.final);
    }
    return r;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

int main(int argc, char **argv)
{
    /* The command line is the path QEMU was given (-kernel), the ELF's name on Rewind: print only the
       last part of each argument. A numeric first argument is the seed, as CoreMark's. */
    printf("core: %d argument%s:", argc, argc == 1 ? "" : "s");
    for (int i = 0; i < argc; i++) printf(" %s", base_name(argv[i]));
    printf("\n");
    uint16_t seed = argc > 1 && argv[1][0] >= '0' && argv[1][0] <= '9' ? (uint16_t)strtoul(argv[1], NULL, 0) : 0x66;

    uint32_t iterations = 1;
    clock_t spent;
    for (;;) {
        clock_t started = clock();
        iterate(seed, iterations);
        spent = clock() - started;
        if (spent >= CALIBRATION_TICKS || iterations >= (1u << 20)) break;
        iterations *= 2;
    }
    /* As CoreMark, which calibrates to one second and then runs for ten: ten times the last round. */
    iterations *= 10;

    struct timeval tv_start, tv_end;
    gettimeofday(&tv_start, NULL);
    time_t wall_start = time(NULL);
    clock_t start = clock();
    struct results r = iterate(seed, iterations);
    clock_t ticks = clock() - start;
    time_t wall_seconds = time(NULL) - wall_start;
    gettimeofday(&tv_end, NULL);
    long long micros = (tv_end.tv_sec - tv_start.tv_sec) * 1000000LL + (tv_end.tv_usec - tv_start.tv_usec);

    double seconds = (double)ticks / CLOCKS_PER_SEC;
    printf("CoreMark-shaped size : %d list items, %dx%d matrix, %d input bytes\n", LIST_ITEMS, MATRIX_N, MATRIX_N, STATE_BYTES);
    printf("Total ticks          : %lu\n", (unsigned long)ticks);
    printf("Total time (secs)    : %f\n", seconds);
    printf("Elapsed (gettimeofday): %lld us, time(): %lld s\n", micros, (long long)wall_seconds);
    printf("Iterations/Sec       : %f\n", seconds > 0 ? iterations / seconds : 0.0);
    printf("Iterations           : %lu\n", (unsigned long)iterations);
    printf("seedcrc              : 0x%04x\n", crc16_word(seed, 0));
    printf("[0]crclist           : 0x%04x\n", r.list);
    printf("[0]crcmatrix         : 0x%04x\n", r.matrix);
    printf("[0]crcstate          : 0x%04x\n", r.state);
    printf("[0]crcfinal          : 0x%04x\n", r.final);
    int ok = r.list == EXPECTED_LIST && r.matrix == EXPECTED_MATRIX && r.state == EXPECTED_STATE;
    printf(ok ? "Correct operation validated.\n" : "Errors detected: expected list 0x%04x, matrix 0x%04x, state 0x%04x\n",
           EXPECTED_LIST, EXPECTED_MATRIX, EXPECTED_STATE);
    return ok ? 0 : 1;
}
