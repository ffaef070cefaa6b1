/*
 * rtosdemo.c: a program of the shape of FreeRTOS' RISC-V demo for QEMU's virt board (our own code, not
 * FreeRTOS'): five tasks at four priorities in machine mode, a 1 kHz tick from the CLINT's mtimecmp
 * (10,000 units of the 10 MHz mtime: a million instructions under `-icount shift=0`), each deadline one
 * tick after the last (written high word first, as the port does), context switches through `mret`,
 * `ecall` for blocking calls and the CLINT's software interrupt (msip) for taskYIELD, a blocking queue,
 * nested critical sections by `csrc/csrs mstatus, 8`, lines printed on the polled UART with times read
 * by `rdtime`, a worker that checks `rdcycle`/`rdinstret`, and an idle task that counts its turns
 * around `wfi`, as FreeRTOS' idle task runs its hook in a loop: 128 M steps, ~80% of them idle (a
 * loop that stores is not one the run loop can skip, cpu/idle-loop.ts).
 *
 * Its lines do not depend on where in a tick an interrupt lands (QEMU takes one a few instructions
 * late) except the "stats:" line (counters, idle turns): QEMU's `wfi` waits for the interrupt, Rewind's
 * is a nop the idle loop runs round, and QEMU's minstret counts traps. Exit through the SiFive test
 * finisher: 0 when the checksum is the expected one (QEMU's), 1 if not, 0x100 + mcause on an
 * unexpected trap.
 */
#include <stdint.h>

#define EXPECTED 0x1501f458u

#define UART_THR (*(volatile uint8_t *)0x10000000u)
#define UART_LSR (*(volatile uint8_t *)0x10000005u)
#define CLINT_MSIP (*(volatile uint32_t *)0x02000000u)
#define MTIMECMP_LO (*(volatile uint32_t *)0x02004000u)
#define MTIMECMP_HI (*(volatile uint32_t *)0x02004004u)
#define FINISHER (*(volatile uint32_t *)0x00100000u)

#define TICK 10000u /* mtime units: 1 ms at 10 MHz */
#define ITEMS 64u
#define QUEUE_LENGTH 4u
#define STACK_WORDS 512u

enum state { READY, DELAYED, WAITING, DONE };

struct task {
    uint32_t *sp;
    uint32_t priority;
    enum state state;
    uint32_t wake;
    const char *name;
};

static struct task tasks[5];
static uint32_t stacks[5][STACK_WORDS] __attribute__((aligned(16)));
static uint32_t current;
static volatile uint32_t ticks;
static uint32_t deadline_lo, deadline_hi;
static uint32_t nesting;
static volatile uint32_t idle_turns;
static uint32_t shared_counter;

struct queue {
    uint32_t items[QUEUE_LENGTH];
    uint32_t head, count;
};
static struct queue queue;

extern void rtosdemo_restore(uint32_t *frame) __attribute__((noreturn));
extern void rtosdemo_trap_entry(void);

static void finish(uint32_t status)
{
    FINISHER = status == 0 ? 0x5555u : (status << 16) | 0x3333u;
    for (;;)
        ;
}

/* ---- critical sections, yields, the clock ---- */

static void enter_critical(void)
{
    __asm__ volatile("csrc mstatus, 8" ::: "memory");
    nesting++;
}

static void exit_critical(void)
{
    if (--nesting == 0)
        __asm__ volatile("csrs mstatus, 8" ::: "memory");
}

/* taskYIELD: the software interrupt, taken as soon as interrupts are on. */
static void yield(void)
{
    CLINT_MSIP = 1;
    __asm__ volatile("fence" ::: "memory");
}

/* A blocking call gives up the processor through ecall (taken even inside a critical section). */
static void block(void)
{
    __asm__ volatile("ecall" ::: "memory");
}

static uint32_t read_time(void)
{
    uint32_t t;
    __asm__ volatile("rdtime %0" : "=r"(t));
    return t;
}

static void delay(uint32_t n)
{
    enter_critical();
    tasks[current].wake = ticks + n;
    tasks[current].state = DELAYED;
    block();
    exit_critical();
}

/* ---- printing (whole lines in a critical section, as a demo's print mutex would) ---- */

static void put(char c)
{
    while ((UART_LSR & 0x20u) == 0)
        ;
    UART_THR = (uint8_t)c;
}

static void put_str(const char *s)
{
    while (*s)
        put(*s++);
}

static void put_dec(uint32_t v)
{
    char digits[10];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v);
    while (n)
        put(digits[--n]);
}

static void put_hex(uint32_t v)
{
    put_str("0x");
    for (int shift = 28; shift >= 0; shift -= 4)
        put("0123456789abcdef"[(v >> shift) & 0xfu]);
}

/* ---- the queue ---- */

static void wake_waiting(void)
{
    for (uint32_t i = 0; i < 5; i++)
        if (tasks[i].state == WAITING)
            tasks[i].state = READY;
}

static void send(uint32_t value)
{
    enter_critical();
    while (queue.count == QUEUE_LENGTH) {
        tasks[current].state = WAITING;
        block();
    }
    queue.items[(queue.head + queue.count++) % QUEUE_LENGTH] = value;
    wake_waiting();
    exit_critical();
    yield(); /* a higher-priority receiver may be ready now */
}

static uint32_t receive(void)
{
    enter_critical();
    while (queue.count == 0) {
        tasks[current].state = WAITING;
        block();
    }
    uint32_t value = queue.items[queue.head];
    queue.head = (queue.head + 1) % QUEUE_LENGTH;
    queue.count--;
    wake_waiting();
    exit_critical();
    return value;
}

/* ---- the tasks ---- */

static uint32_t checksum = 2166136261u;

static void mix(uint32_t v)
{
    checksum = (checksum ^ v) * 16777619u;
}

static void producer(void)
{
    for (uint32_t i = 0; i < ITEMS; i++) {
        delay(2);
        send(i * 2654435761u ^ ticks);
    }
    tasks[current].state = DONE;
    block();
}

static void consumer(void)
{
    for (uint32_t n = 1; n <= ITEMS; n++) {
        uint32_t v = receive();
        mix(v);
        if (n % 16 == 0) {
            uint32_t ms = read_time() / TICK;
            enter_critical();
            put_str("consumer: ");
            put_dec(n);
            put_str(" items at tick ");
            put_dec(ticks);
            put_str(" (");
            put_dec(ms);
            put_str(" ms), checksum ");
            put_hex(checksum);
            put('\n');
            exit_critical();
        }
    }
    uint32_t cycle, instret, time;
    __asm__ volatile("rdcycle %0; rdinstret %1; rdtime %2" : "=r"(cycle), "=r"(instret), "=r"(time));
    enter_critical();
    mix(shared_counter);
    put_str("stats: cycle ");
    put_dec(cycle);
    put_str(" instret ");
    put_dec(instret);
    put_str(" time ");
    put_dec(time);
    put_str(" idle ");
    put_dec(idle_turns);
    put_str("\nrtosdemo: checksum ");
    put_hex(checksum);
    put('\n');
    finish(checksum == EXPECTED ? 0 : 1);
}

/* CRC-32 rounds over a buffer, a tick's worth of work at a time; taskYIELD between chunks. */
static uint8_t buffer[1024];

static void worker(void)
{
    uint32_t crc = 0xffffffffu, last_cycle = 0, last_instret = 0;
    for (uint32_t round = 0;; round++) {
        for (uint32_t chunk = 0; chunk < 4; chunk++) {
            for (uint32_t i = 0; i < sizeof buffer; i++) {
                crc ^= buffer[i];
                for (int b = 0; b < 8; b++)
                    crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1u));
                buffer[i] = (uint8_t)crc;
            }
            enter_critical();
            shared_counter += crc & 0xffu;
            exit_critical();
            yield();
        }
        uint32_t cycle, instret;
        __asm__ volatile("rdcycle %0; rdinstret %1" : "=r"(cycle), "=r"(instret));
        if (round > 0 && (cycle - last_cycle < instret - last_instret || instret == last_instret))
            finish(0x200); /* the counters went backwards or stood still */
        last_cycle = cycle;
        last_instret = instret;
        delay(3);
    }
}

static void reporter(void)
{
    for (;;) {
        delay(40);
        uint32_t ms = read_time() / TICK;
        enter_critical();
        put_str("reporter: tick ");
        put_dec(ticks);
        put_str(", ");
        put_dec(ms);
        put_str(" ms, shared ");
        put_dec(shared_counter);
        put('\n');
        exit_critical();
    }
}

static void idle(void)
{
    for (;;) {
        idle_turns++;
        __asm__ volatile("wfi");
    }
}

/* ---- the kernel ---- */

static void schedule(void)
{
    uint32_t best = current, best_priority = 0;
    int found = 0;
    for (uint32_t k = 1; k <= 5; k++) {
        uint32_t i = (current + k) % 5; /* round robin among equals, starting after the current task */
        if (tasks[i].state == READY && (!found || tasks[i].priority > best_priority)) {
            best = i;
            best_priority = tasks[i].priority;
            found = 1;
        }
    }
    current = best;
}

static void next_deadline(void)
{
    uint32_t lo = deadline_lo + TICK;
    deadline_hi += lo < deadline_lo;
    deadline_lo = lo;
    MTIMECMP_HI = 0xffffffffu;
    MTIMECMP_LO = deadline_lo;
    MTIMECMP_HI = deadline_hi;
}

uint32_t *rtosdemo_trap(uint32_t mcause, uint32_t *frame)
{
    tasks[current].sp = frame;
    if (mcause == 0x80000007u) {
        ticks++;
        next_deadline();
        for (uint32_t i = 0; i < 5; i++)
            if (tasks[i].state == DELAYED && (int32_t)(ticks - tasks[i].wake) >= 0)
                tasks[i].state = READY;
    } else if (mcause == 0x80000003u) {
        CLINT_MSIP = 0;
    } else if (mcause == 11u) {
        frame[1] += 4; /* mepc: past the ecall */
    } else {
        finish(0x100u + mcause);
    }
    schedule();
    return tasks[current].sp;
}

static void create(uint32_t i, void (*entry)(void), uint32_t priority, const char *name)
{
    uint32_t *frame = &stacks[i][STACK_WORDS - 32];
    for (int r = 0; r < 32; r++)
        frame[r] = 0;
    frame[1] = (uint32_t)entry;       /* mepc */
    frame[31] = (3u << 11) | (1u << 7); /* mstatus: MPP = M, MPIE: interrupts on in the task */
    tasks[i] = (struct task){frame, priority, READY, 0, name};
}

int main(void)
{
    for (uint32_t i = 0; i < sizeof buffer; i++)
        buffer[i] = (uint8_t)(i * 7u + 1u);
    create(0, idle, 0, "idle");
    create(1, worker, 1, "worker");
    create(2, producer, 2, "producer");
    create(3, reporter, 2, "reporter");
    create(4, consumer, 3, "consumer");
    put_str("rtosdemo: 5 tasks, 1 kHz tick\n");
    __asm__ volatile("csrw mtvec, %0" ::"r"(rtosdemo_trap_entry));
    next_deadline();
    __asm__ volatile("csrw mie, %0" ::"r"((1u << 7) | (1u << 3)));
    current = 4;
    rtosdemo_restore(tasks[4].sp);
}
