/*
 * kernel: a preemptive RTOS workload of the shape of FreeRTOS' full demo on the virt board, richer than
 * rtos.c. A kernel with priorities (ready lists per priority, round robin among equals on every tick),
 * a timer tick from the CLINT (mtimecmp) that preempts, context switches through kernel-port.S's trap
 * entry and `mret` (from the tick, from `ecall` yields and from blocking calls), delays on a sorted list,
 * software timers on a sorted list whose callbacks run in the tick, counting semaphores and queues that
 * block and unblock tasks by priority, critical sections (`csrc/csrs mstatus, 8`, nested) all over the
 * kernel, and a console driven by the UART's transmitter-empty interrupt through the PLIC. Twelve tasks:
 *   main     (4)  starts the others, waits on a semaphore until they are done, returns the checksum;
 *   periodic (4)  woken by a software timer every PERIOD ticks: a CRC over a table it changes;
 *   sleeper  (3)  delays SLEEP ticks, then sorts a small array;
 *   logger   (3)  prints the lines stats sends through a queue, into the interrupt-driven console;
 *   sensor   (2)  makes samples in bursts and sends them down a queue to filter;
 *   filter   (2)  smooths them (FIR) and sends them on to stats;
 *   db_a     (2)  inserts keys into a sorted table shared with db_b under a mutex (a binary semaphore);
 *   stats    (1)  sorts windows of samples, formats a line for each (a small printf) and CRCs it;
 *   db_b     (1)  the other half of the table; the two meet at a barrier after each epoch;
 *   hash_a/b (1)  long hash loops, a shared total in critical sections, an `ecall` yield or a rest now
 *                 and then;
 *   idle     (0)  `wfi`.
 *
 * The checksum does not depend on where the ticks fall: every figure is what a task computed from its
 * own inputs, from single-producer queues (whose order is fixed) or at a barrier, combined by sums and
 * xors. So QEMU without -icount, whose timer follows the host clock, prints the same lines.
 */
#include <stdarg.h>
#include <stdint.h>

#define BENCH_NAME "kernel"
#define BENCH_EXPECTED 0x291EDD18
#include "bench.h"

#define MTIMECMP (*(volatile uint64_t *)0x02004000u)
#define MTIME (*(volatile uint64_t *)0x0200bff8u)
#define UART ((volatile uint8_t *)0x10000000u)
#define UART_IER 1
#define UART_IIR 2
#define IER_THRE 0x02
#define PLIC_PRIORITY ((volatile uint32_t *)0x0c000000u)
#define PLIC_ENABLE0 (*(volatile uint32_t *)0x0c002000u)
#define PLIC_THRESHOLD0 (*(volatile uint32_t *)0x0c200000u)
#define PLIC_CLAIM0 (*(volatile uint32_t *)0x0c200004u)
#define UART_IRQ 10
#define MCAUSE_TIMER 0x80000007u
#define MCAUSE_EXTERNAL 0x8000000bu
#define MCAUSE_ECALL 11u

#define TICK 100                   /* mtime units: 10,000 instructions on an instruction-timed machine */
#define PRIORITIES 5
#define STACK_WORDS 512
#define SAMPLES 32768              /* through sensor -> filter -> stats */
#define WINDOW 24                  /* samples per stats line */
#define LOG_EVERY 96               /* stats lines per printed line */
#define HASH_ROUNDS 900
#define DB_EPOCHS 64
#define DB_KEYS 96                 /* per task and epoch */
#define PERIOD 3
#define PERIODIC_ROUNDS 700
#define SLEEP 2
#define SLEEPER_ROUNDS 1100

/* ---- tasks and lists ---- */

enum state { READY, BLOCKED, DELAYED, DONE };

struct list;
struct task {
    uint32_t *sp;                  /* its saved frame while switched out */
    int priority;
    enum state state;
    int nesting;                   /* its critical-section depth while switched out */
    uint32_t wake;
    struct task *next, *prev;
    struct list *owner;            /* the ready, delayed or waiting list it is on */
};

struct list { struct task *head, *tail; };

enum { T_MAIN, T_PERIODIC, T_SLEEPER, T_LOGGER, T_SENSOR, T_FILTER, T_DB_A, T_STATS, T_DB_B, T_HASH_A, T_HASH_B, T_IDLE, TASKS };

static struct task tasks[TASKS];
static uint32_t stacks[TASKS][STACK_WORDS];
static struct task *current;
static struct list ready[PRIORITIES];
static uint32_t ready_mask;
static struct list delayed;
static volatile uint32_t tick_count;
static volatile int critical_nesting;

extern void kernel_trap_entry(void);
extern void kernel_idle(void);

static inline void enter_critical(void)
{
    __asm__ volatile("csrc mstatus, 8" ::: "memory");
    critical_nesting++;
}

static inline void exit_critical(void)
{
    if (--critical_nesting == 0) __asm__ volatile("csrs mstatus, 8" ::: "memory");
}

static inline void yield(void) { __asm__ volatile("ecall" ::: "memory"); }

static void list_remove(struct task *t)
{
    struct list *l = t->owner;
    if (t->prev) t->prev->next = t->next; else l->head = t->next;
    if (t->next) t->next->prev = t->prev; else l->tail = t->prev;
    t->next = t->prev = 0;
    t->owner = 0;
    if (l >= ready && l < ready + PRIORITIES && l->head == 0) ready_mask &= ~(1u << (l - ready));
}

static void list_insert_before(struct list *l, struct task *at, struct task *t)
{
    t->owner = l;
    t->next = at;
    t->prev = at ? at->prev : l->tail;
    if (t->prev) t->prev->next = t; else l->head = t;
    if (at) at->prev = t; else l->tail = t;
}

static void make_ready(struct task *t)
{
    t->state = READY;
    list_insert_before(&ready[t->priority], 0, t);
    ready_mask |= 1u << t->priority;
}

/* Waiters wait highest priority first, FIFO among equals. */
static void block_current(struct list *waiters)
{
    list_remove(current);
    current->state = BLOCKED;
    struct task *at = waiters->head;
    while (at && at->priority >= current->priority) at = at->next;
    list_insert_before(waiters, at, current);
}

/* Wakes the first waiter; says whether it should run before the current task. */
static int wake_one(struct list *waiters)
{
    struct task *t = waiters->head;
    if (!t) return 0;
    list_remove(t);
    make_ready(t);
    return t->priority > current->priority;
}

/* ---- semaphores, queues, delays ---- */

struct semaphore { int count; struct list waiters; };

static void take(struct semaphore *s)
{
    enter_critical();
    while (s->count == 0) {
        block_current(&s->waiters);
        yield();                   /* with interrupts off: the trap keeps them off for this task */
    }
    s->count--;
    exit_critical();
}

static void give(struct semaphore *s)
{
    enter_critical();
    s->count++;
    int preempt = wake_one(&s->waiters);
    exit_critical();
    if (preempt) yield();
}

/* From the tick: the trap picks the task to run when it ends. */
static void give_from_interrupt(struct semaphore *s)
{
    s->count++;
    wake_one(&s->waiters);
}

struct queue { uint32_t *items; uint32_t size, head, count; struct list senders, receivers; };

static void send(struct queue *q, uint32_t value)
{
    enter_critical();
    while (q->count == q->size) {
        block_current(&q->senders);
        yield();
    }
    q->items[(q->head + q->count) % q->size] = value;
    q->count++;
    int preempt = wake_one(&q->receivers);
    exit_critical();
    if (preempt) yield();
}

static uint32_t receive(struct queue *q)
{
    enter_critical();
    while (q->count == 0) {
        block_current(&q->receivers);
        yield();
    }
    uint32_t value = q->items[q->head];
    q->head = (q->head + 1) % q->size;
    q->count--;
    int preempt = wake_one(&q->senders);
    exit_critical();
    if (preempt) yield();
    return value;
}

static void delay(uint32_t ticks)
{
    enter_critical();
    list_remove(current);
    current->state = DELAYED;
    current->wake = tick_count + ticks;
    struct task *at = delayed.head;
    while (at && at->wake <= current->wake) at = at->next;
    list_insert_before(&delayed, at, current);
    yield();
    exit_critical();
}

/* ---- software timers: a list sorted by expiry, run by the tick ---- */

struct timer {
    uint32_t expiry, period;
    void (*callback)(struct timer *);
    struct timer *next;
    uint32_t fired;
};

static struct timer *timers;

static void timer_insert(struct timer *tm)
{
    struct timer **at = &timers;
    while (*at && (*at)->expiry <= tm->expiry) at = &(*at)->next;
    tm->next = *at;
    *at = tm;
}

static void tick(void)
{
    uint32_t now = ++tick_count;
    while (delayed.head && delayed.head->wake <= now) {
        struct task *t = delayed.head;
        list_remove(t);
        make_ready(t);
    }
    while (timers && timers->expiry <= now) {
        struct timer *tm = timers;
        timers = tm->next;
        tm->fired++;
        tm->callback(tm);
        tm->expiry += tm->period;
        timer_insert(tm);
    }
    /* Time slicing: the running task goes behind the others of its priority. */
    if (current->state == READY && current->next) {
        list_remove(current);
        make_ready(current);
    }
}

/* ---- the console: a ring drained by the UART's transmitter-empty interrupt ---- */

#define TX_SIZE 64
static char tx[TX_SIZE];
static volatile uint32_t tx_head, tx_tail;
static struct list tx_waiters;    /* tasks waiting for room in the ring */
static volatile int tx_busy;

static void uart_interrupt(void)
{
    while ((UART[UART_IIR] & 0x0f) == 0x02) {
        if (tx_head != tx_tail) {
            UART[0] = (uint8_t)tx[tx_tail++ % TX_SIZE];
            if (tx_waiters.head) wake_one(&tx_waiters);
        } else {
            UART[UART_IER] = 0;
            tx_busy = 0;
            return;
        }
    }
}

static void console_putc(char c)
{
    enter_critical();
    while (tx_head - tx_tail == TX_SIZE) {
        block_current(&tx_waiters);
        yield();
    }
    tx[tx_head++ % TX_SIZE] = c;
    if (!tx_busy) {
        tx_busy = 1;
        UART[UART_IER] = IER_THRE; /* the transmitter is empty: its interrupt comes at once */
    }
    exit_critical();
}

/* ---- the trap: called from kernel-port.S with the interrupted task's frame ---- */

static void fail(const char *why)
{
    __asm__ volatile("csrc mstatus, 8");
    bench_puts(why);
    for (;;) ;
}

uint32_t *kernel_trap(uint32_t mcause, uint32_t *frame)
{
    current->sp = frame;
    current->nesting = critical_nesting;
    if (mcause == MCAUSE_TIMER) {
        /* From now, not from the last deadline: on plain QEMU mtime is the host clock. */
        MTIMECMP = MTIME + TICK;
        tick();
    } else if (mcause == MCAUSE_EXTERNAL) {
        uint32_t source = PLIC_CLAIM0;
        if (source == UART_IRQ) uart_interrupt();
        PLIC_CLAIM0 = source;
    } else if (mcause == MCAUSE_ECALL) {
        frame[1] += 4;             /* resume after the ecall */
        /* A task that yields while ready goes behind the others of its priority. */
        if (current->state == READY && current->next) {
            list_remove(current);
            make_ready(current);
        }
    } else {
        fail("kernel: unexpected trap\n");
    }
    int top = PRIORITIES - 1;      /* the idle task keeps priority 0 non-empty */
    while (!(ready_mask & (1u << top))) top--;
    current = ready[top].head;
    critical_nesting = current->nesting;
    return current->sp;
}

/* ---- work: formatting, checksums, sorts ---- */

static uint32_t crc_table[256];

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

static uint32_t crc32(uint32_t crc, const uint8_t *p, uint32_t n)
{
    crc = ~crc;
    while (n--) crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

/* A small printf: %d %u %x %s with an optional zero flag and width. Returns the length. */
static int format(char *out, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    char *o = out;
    while (*f) {
        if (*f != '%') { *o++ = *f++; continue; }
        f++;
        char pad = ' ';
        if (*f == '0') { pad = '0'; f++; }
        int width = 0;
        while (*f >= '0' && *f <= '9') width = width * 10 + (*f++ - '0');
        char digits[12];
        int n = 0, negative = 0;
        const char *s = 0;
        switch (*f++) {
        case 'd': {
            int32_t v = va_arg(ap, int32_t);
            uint32_t u = (uint32_t)v;
            if (v < 0) { negative = 1; u = -u; }
            do digits[n++] = (char)('0' + u % 10); while ((u /= 10) != 0);
            break;
        }
        case 'u': {
            uint32_t u = va_arg(ap, uint32_t);
            do digits[n++] = (char)('0' + u % 10); while ((u /= 10) != 0);
            break;
        }
        case 'x': {
            uint32_t u = va_arg(ap, uint32_t);
            do digits[n++] = "0123456789abcdef"[u & 15]; while ((u >>= 4) != 0);
            break;
        }
        case 's':
            s = va_arg(ap, const char *);
            break;
        default:
            *o++ = '?';
            continue;
        }
        if (s) {
            int len = 0;
            while (s[len]) len++;
            for (; width > len; width--) *o++ = ' ';
            while (*s) *o++ = *s++;
            continue;
        }
        int len = n + negative;
        if (negative && pad == '0') *o++ = '-';
        for (; width > len; width--) *o++ = pad;
        if (negative && pad != '0') *o++ = '-';
        while (n) *o++ = digits[--n];
    }
    *o = 0;
    va_end(ap);
    return (int)(o - out);
}

static void insertion_sort(int32_t *a, int n)
{
    for (int i = 1; i < n; i++) {
        int32_t v = a[i];
        int j = i;
        while (j > 0 && a[j - 1] > v) { a[j] = a[j - 1]; j--; }
        a[j] = v;
    }
}

/* ---- the tasks ---- */

static struct semaphore all_done;
static uint32_t results[TASKS];

static void finish(uint32_t result)
{
    results[current - tasks] = result;
    give(&all_done);
    enter_critical();
    list_remove(current);
    current->state = DONE;
    yield();
    fail("kernel: a finished task ran\n");
}

static uint32_t raw_items[8], smooth_items[8], log_items[2];
static struct queue raw_q = { raw_items, 8, 0, 0, {0, 0}, {0, 0} };
static struct queue smooth_q = { smooth_items, 8, 0, 0, {0, 0}, {0, 0} };
static struct queue log_q = { log_items, 2, 0, 0, {0, 0}, {0, 0} };
static char log_lines[3][64];
static struct semaphore log_free = { 3, {0, 0} };

static void sensor(void)
{
    uint32_t x = bench_seed;
    for (uint32_t i = 0; i < SAMPLES; i++) {
        x = x * 1103515245u + 12345u;
        send(&raw_q, (x >> 8) & 0xffff);
        if ((i & 63) == 63) delay(1); /* samples come in bursts */
    }
    finish(x);
}

static void filter(void)
{
    static const int32_t taps[8] = { 3, -7, 21, 47, 47, 21, -7, 3 };
    int32_t history[8] = { 0 };
    uint32_t sum = 0;
    for (uint32_t i = 0; i < SAMPLES; i++) {
        history[i & 7] = (int32_t)receive(&raw_q) - 32768;
        int32_t y = 0;
        for (int k = 0; k < 8; k++) y += taps[k] * history[(i - k) & 7];
        y >>= 7;
        sum += (uint32_t)y;
        send(&smooth_q, (uint32_t)y);
    }
    finish(sum);
}

static void stats(void)
{
    int32_t window[WINDOW], sorted[WINDOW];
    char line[64];
    uint32_t crc = 0, lines = 0;
    for (uint32_t i = 0; i < SAMPLES / WINDOW; i++) {
        int32_t total = 0;
        for (int k = 0; k < WINDOW; k++) {
            window[k] = (int32_t)receive(&smooth_q);
            total += window[k];
            sorted[k] = window[k];
        }
        insertion_sort(sorted, WINDOW);
        int n = format(line, "w%04u med %6d lo %6d hi %6d avg %d %x\n", i, sorted[WINDOW / 2], sorted[0],
                       sorted[WINDOW - 1], total / WINDOW, crc >> 20);
        crc = crc32(crc, (const uint8_t *)line, (uint32_t)n);
        if (i % LOG_EVERY == LOG_EVERY - 1) {
            take(&log_free);
            char *slot = log_lines[lines++ % 3];
            for (int k = 0; k <= n; k++) slot[k] = line[k];
            send(&log_q, (uint32_t)slot);
        }
    }
    send(&log_q, 0);               /* tells logger to finish */
    finish(crc ^ lines);
}

static void logger(void)
{
    uint32_t printed = 0;
    for (;;) {
        const char *s = (const char *)receive(&log_q);
        if (!s) break;
        while (*s) { console_putc(*s++); printed++; }
        give(&log_free);
    }
    finish(printed);
}

static volatile uint32_t shared_total;

static uint32_t hash_block(uint32_t seed)
{
    uint8_t buf[256];
    uint32_t x = seed;
    for (int i = 0; i < 256; i++) { x ^= x << 13; x ^= x >> 17; x ^= x << 5; buf[i] = (uint8_t)x; }
    uint32_t h = 2166136261u;
    for (int i = 0; i < 256; i++) h = (h ^ buf[i]) * 16777619u;
    return h;
}

static void hasher(uint32_t id)
{
    uint32_t acc = id;
    for (uint32_t r = 0; r < HASH_ROUNDS; r++) {
        uint32_t h = 0;
        for (int b = 0; b < 8; b++) h ^= hash_block(acc + (uint32_t)b * 0x9e3779b9u + id);
        acc = acc * 31u + h;
        enter_critical();
        shared_total += h;
        exit_critical();
        if ((r & 15) == 15) delay(1); /* a burst of work, then a rest: the idle task runs when all rest */
        else if ((r & 7) == 7) yield();
    }
    finish(acc);
}

static void hash_a(void) { hasher(1); }
static void hash_b(void) { hasher(2); }

static struct semaphore db_mutex = { 1, {0, 0} }, db_b_in, db_cleared;
static uint32_t db[2 * DB_KEYS];
static uint32_t db_size;

static void db_insert(uint32_t key)
{
    take(&db_mutex);
    uint32_t lo = 0, hi = db_size;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (db[mid] < key) lo = mid + 1; else hi = mid;
    }
    for (uint32_t i = db_size; i > lo; i--) db[i] = db[i - 1];
    db[lo] = key;
    db_size++;
    give(&db_mutex);
}

static uint32_t db_key(uint32_t epoch, uint32_t k, uint32_t parity)
{
    uint32_t x = (epoch * 977u + k) * 2654435761u;
    x ^= x >> 15;
    return (x & ~1u) | parity;     /* the two tasks' keys never collide */
}

static void db_a(void)
{
    uint32_t digest = 0;
    for (uint32_t e = 0; e < DB_EPOCHS; e++) {
        for (uint32_t k = 0; k < DB_KEYS; k++) db_insert(db_key(e, k, 1));
        take(&db_b_in);            /* both halves are in: the table is the same whatever the order */
        take(&db_mutex);
        digest = crc32(digest, (const uint8_t *)db, db_size * 4);
        db_size = 0;
        give(&db_mutex);
        give(&db_cleared);
    }
    finish(digest);
}

static void db_b(void)
{
    for (uint32_t e = 0; e < DB_EPOCHS; e++) {
        for (uint32_t k = 0; k < DB_KEYS; k++) db_insert(db_key(e, k, 0));
        give(&db_b_in);
        take(&db_cleared);
    }
    finish(DB_EPOCHS);
}

static struct semaphore periodic_go;
static uint8_t periodic_table[256];

static void wake_periodic(struct timer *tm) { (void)tm; give_from_interrupt(&periodic_go); }
static void heartbeat(struct timer *tm) { (void)tm; }

static struct timer periodic_timer = { PERIOD, PERIOD, wake_periodic, 0, 0 };
static struct timer heartbeat_timer = { 5, 5, heartbeat, 0, 0 };
static struct timer slow_timer = { 11, 11, heartbeat, 0, 0 };

static void periodic(void)
{
    uint32_t crc = 0;
    for (uint32_t r = 0; r < PERIODIC_ROUNDS; r++) {
        take(&periodic_go);
        periodic_table[r & 255] ^= (uint8_t)(crc >> 8);
        crc = crc32(crc, periodic_table, sizeof periodic_table);
    }
    finish(crc);
}

static void sleeper(void)
{
    uint32_t digest = 0, x = 12345;
    int32_t a[20];
    for (uint32_t r = 0; r < SLEEPER_ROUNDS; r++) {
        delay(SLEEP);
        for (int i = 0; i < 20; i++) { x = x * 69069u + 1; a[i] = (int32_t)(x >> 12); }
        insertion_sort(a, 20);
        digest = digest * 33u + (uint32_t)a[r % 20];
    }
    finish(digest);
}

/* ---- start-up ---- */

static void start_task(int t, int priority, void (*entry)(void))
{
    uint32_t *sp = &stacks[t][STACK_WORDS] - 32;
    for (int i = 0; i < 32; i++) sp[i] = 0;
    sp[1] = (uint32_t)entry;       /* mepc */
    register uint32_t gp __asm__("gp");
    sp[2] = gp;                    /* x3 (frame word n-1 holds xn) */
    sp[31] = 0x1880;               /* mstatus: MPP machine, MPIE (interrupts on once it runs) */
    tasks[t].sp = sp;
    tasks[t].priority = priority;
    make_ready(&tasks[t]);
}

uint32_t bench_run(void)
{
    crc_init();
    start_task(T_PERIODIC, 4, periodic);
    start_task(T_SLEEPER, 3, sleeper);
    start_task(T_LOGGER, 3, logger);
    start_task(T_SENSOR, 2, sensor);
    start_task(T_FILTER, 2, filter);
    start_task(T_DB_A, 2, db_a);
    start_task(T_STATS, 1, stats);
    start_task(T_DB_B, 1, db_b);
    start_task(T_HASH_A, 1, hash_a);
    start_task(T_HASH_B, 1, hash_b);
    start_task(T_IDLE, 0, kernel_idle);
    /* This code is the main task: its frame is saved at its first trap. */
    tasks[T_MAIN].priority = 4;
    make_ready(&tasks[T_MAIN]);
    current = &tasks[T_MAIN];
    timer_insert(&periodic_timer);
    timer_insert(&heartbeat_timer);
    timer_insert(&slow_timer);

    PLIC_PRIORITY[UART_IRQ] = 1;
    PLIC_THRESHOLD0 = 0;
    PLIC_ENABLE0 = 1u << UART_IRQ;
    __asm__ volatile("csrw mtvec, %0" :: "r"(kernel_trap_entry));
    MTIMECMP = MTIME + TICK;
    __asm__ volatile("csrs mie, %0" :: "r"(0x880)); /* MTIE, MEIE */
    __asm__ volatile("csrs mstatus, 8");

    for (int t = 1; t < TASKS - 1; t++) take(&all_done);
    while (tx_busy) delay(1);      /* the console's last line goes out */

    __asm__ volatile("csrc mstatus, 8");
    __asm__ volatile("csrw mie, zero");
    uint32_t sum = shared_total, x = 0;
    for (int t = 1; t < TASKS - 1; t++) { sum += results[t]; x ^= results[t] * (uint32_t)(2 * t + 1); }
    return sum ^ (x << 1) ^ (x >> 31);
}
