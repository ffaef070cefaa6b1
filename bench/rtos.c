/*
 * rtos: a small preemptive kernel, the shape of FreeRTOS on the virt board. Five tasks with their own
 * stacks, switched by a timer tick (CLINT mtimecmp, every TICK mtime units) and by `ecall` (yield),
 * through rtos-port.S's trap entry and `mret`. Two producers and two consumers share a queue; every
 * queue operation and shared counter sits in a critical section (`csrc mstatus, 8` ... `csrs mstatus, 8`,
 * nested as in FreeRTOS' portENTER/EXIT_CRITICAL). The main program is a task too: it yields until
 * the others are done.
 *
 * The checksum does not depend on where the ticks fall (sums and xors of what every task computed),
 * so QEMU without -icount, whose timer follows the host clock, prints the same line.
 */
#include <stdint.h>

#define BENCH_NAME "rtos"
#define BENCH_EXPECTED 0xDEA0460C
#include "bench.h"

#define MTIMECMP (*(volatile uint64_t *)0x02004000u)
#define MTIME (*(volatile uint64_t *)0x0200bff8u)
#define TICK 40                    /* mtime units (100 instructions each on an instruction-timed machine) */
#define TASKS 6                    /* the main task and five others */
#define STACK_WORDS 512
#define ITEMS 150000               /* per producer */
#define QUEUE_SIZE 16

extern void rtos_trap_entry(void);

struct task { uint32_t *sp; int done; };
static struct task tasks[TASKS];
static uint32_t stacks[TASKS][STACK_WORDS];
static int current;
static volatile uint32_t ticks;
static volatile int critical_nesting;

static uint32_t queue[QUEUE_SIZE];
static volatile uint32_t queue_head, queue_count;
static volatile uint32_t consumed, produced_total;
static volatile uint32_t consumer_sum[2], consumer_xor[2];
static volatile uint32_t worker_result;

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

/* Called from rtos_trap_entry with the interrupted task's frame; returns the frame to resume. */
uint32_t *rtos_trap(uint32_t mcause, uint32_t *frame)
{
    tasks[current].sp = frame;
    if (mcause == 0x80000007u) {
        /* From now, not from the last deadline: on plain QEMU mtime is the host clock, and a host that
         * falls behind would be owed ticks faster than the handler takes them (an interrupt storm). */
        MTIMECMP = MTIME + TICK;
        ticks++;
    } else if (mcause == 11) {
        frame[31] += 4;            /* resume after the ecall */
    } else {
        bench_puts("rtos: unexpected trap\n");
        for (;;) ;
    }
    /* Round robin over the tasks that have not finished. */
    int next = current;
    do next = (next + 1) % TASKS; while (tasks[next].done && next != current);
    current = next;
    return tasks[current].sp;
}

static int queue_push(uint32_t value)
{
    int ok = 0;
    enter_critical();
    if (queue_count < QUEUE_SIZE) {
        queue[(queue_head + queue_count) % QUEUE_SIZE] = value;
        queue_count++;
        ok = 1;
    }
    exit_critical();
    return ok;
}

static int queue_pop(uint32_t *value)
{
    int ok = 0;
    enter_critical();
    if (queue_count > 0) {
        *value = queue[queue_head];
        queue_head = (queue_head + 1) % QUEUE_SIZE;
        queue_count--;
        ok = 1;
    }
    exit_critical();
    return ok;
}

static void finish(void)
{
    enter_critical();
    tasks[current].done = 1;
    exit_critical();
    for (;;) yield();
}

static void producer(uint32_t id)
{
    uint32_t x = bench_seed ^ (id * 0x9e3779b9u);
    for (uint32_t i = 0; i < ITEMS; i++) {
        x = x * 1664525u + 1013904223u;
        while (!queue_push(x)) yield();
        enter_critical();
        produced_total++;
        exit_critical();
    }
    finish();
}

static uint32_t process(uint32_t v)
{
    for (int k = 0; k < 6; k++) v = (v ^ (v >> 15)) * 0x2c1b3c6du;
    return v;
}

static void consumer(uint32_t id)
{
    for (;;) {
        uint32_t v;
        enter_critical();
        int all = consumed == 2 * ITEMS;
        exit_critical();
        if (all) break;
        if (!queue_pop(&v)) { yield(); continue; }
        v = process(v);
        enter_critical();
        consumed++;
        consumer_sum[id] += v;
        consumer_xor[id] ^= v;
        exit_critical();
    }
    finish();
}

static void worker(uint32_t id)
{
    uint32_t h = 2166136261u + id;
    for (uint32_t i = 0; i < 600000; i++) {
        h = (h ^ (i & 0xff)) * 16777619u;
        if ((i & 63) == 0) { enter_critical(); worker_result += h; exit_critical(); }
    }
    finish();
}

static void start_task(int t, void (*entry)(uint32_t), uint32_t argument)
{
    uint32_t *sp = &stacks[t][STACK_WORDS] - 32;
    for (int i = 0; i < 32; i++) sp[i] = 0;
    sp[9] = argument;              /* a0 */
    sp[31] = (uint32_t)entry;      /* mepc */
    register uint32_t gp __asm__("gp");
    sp[2] = gp;                    /* x3 (frame word n-1 holds xn; sp is not saved) */
    tasks[t].sp = sp;
}

uint32_t bench_run(void)
{
    start_task(1, producer, 0);
    start_task(2, producer, 1);
    start_task(3, consumer, 0);
    start_task(4, consumer, 1);
    start_task(5, worker, 0);
    current = 0;                   /* this code is task 0; its frame is saved at its first trap */
    __asm__ volatile("csrw mtvec, %0" :: "r"(rtos_trap_entry));
    MTIMECMP = MTIME + TICK;
    __asm__ volatile("csrs mie, %0" :: "r"(0x80));
    __asm__ volatile("csrs mstatus, 8");
    for (;;) {
        int all = 1;
        enter_critical();
        for (int t = 1; t < TASKS; t++) all &= tasks[t].done;
        exit_critical();
        if (all) break;
        yield();
    }
    __asm__ volatile("csrc mstatus, 8");
    __asm__ volatile("csrw mie, zero");
    uint32_t s = consumer_sum[0] + consumer_sum[1], x = consumer_xor[0] ^ consumer_xor[1];
    return s ^ (x << 1) ^ worker_result ^ (consumed << 8) ^ produced_total;
}
