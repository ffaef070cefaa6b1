/*
 * rtos: the shape of FreeRTOS' demo on QEMU's virt board, with an interrupt-driven UART console. A small
 * preemptive kernel (priorities, a timer tick from the CLINT, delays, counting semaphores, a message
 * queue, nested critical sections with `csrc/csrs mstatus, 8`) runs five tasks:
 *   console (priority 3)  waits on a semaphore that the UART's receive interrupt gives for every line
 *                         typed, and answers commands (help, sum, primes, upper, words, quit);
 *   status  (priority 2)  every STATUS_TICKS ticks prints the tick and what the workers have done;
 *   producer, consumer (1) pass numbers through a queue, blocking when it is full or empty;
 *   idle    (priority 0)  `wfi`.
 * Console output goes through a ring buffer that the UART's transmitter-empty interrupt drains (a task
 * whose text does not fit blocks until the interrupt has made room). The UART's interrupt reaches the
 * hart through the PLIC (source 10, context 0: machine mode), which the handler claims and completes.
 *
 * The run ends through the test finisher after "quit" has been typed and the status task has printed
 * STATUS_REPORTS reports; with no "quit" it stops after MAX_REPORTS with status 1.
 */
#include <stdint.h>

#define UART ((volatile uint8_t *)0x10000000u)
#define UART_RBR 0
#define UART_THR 0
#define UART_IER 1
#define UART_IIR 2
#define UART_LSR 5
#define IER_RX 0x01
#define IER_THRE 0x02
#define LSR_DR 0x01
#define PLIC_PRIORITY ((volatile uint32_t *)0x0c000000u)
#define PLIC_ENABLE0 (*(volatile uint32_t *)0x0c002000u)
#define PLIC_THRESHOLD0 (*(volatile uint32_t *)0x0c200000u)
#define PLIC_CLAIM0 (*(volatile uint32_t *)0x0c200004u)
#define UART_IRQ 10
#define MTIMECMP (*(volatile uint64_t *)0x02004000u)
#define MTIME (*(volatile uint64_t *)0x0200bff8u)
#define FINISHER (*(volatile uint32_t *)0x00100000u)

#define TICK 1000                  /* mtime units: 100,000 instructions on an instruction-timed machine */
#define STATUS_TICKS 10
#define STATUS_REPORTS 5
#define MAX_REPORTS 12
#define STACK_WORDS 512
#define TX_SIZE 256
#define RX_SIZE 128
#define QUEUE_SIZE 8

enum task_state { READY, BLOCKED, DELAYED };

struct task {
    uint32_t *sp;
    int priority;
    enum task_state state;
    uint32_t wake;
    int nesting;                   /* its critical-section depth while switched out (it may yield inside one) */
    const char *name;
};

struct semaphore { volatile int count; };

extern void port_trap_entry(void);
extern void port_start_task(uint32_t *sp) __attribute__((noreturn));

#define TASKS 5
static struct task tasks[TASKS];
static uint32_t stacks[TASKS][STACK_WORDS];
static int current;
static volatile uint32_t ticks;
static volatile int critical_nesting;

/* ---- critical sections and the scheduler ---- */

static void enter_critical(void)
{
    __asm__ volatile("csrc mstatus, 8" ::: "memory");
    critical_nesting++;
}

static void exit_critical(void)
{
    if (--critical_nesting == 0) __asm__ volatile("csrs mstatus, 8" ::: "memory");
}

static void yield(void) { __asm__ volatile("ecall" ::: "memory"); }

/* The highest-priority ready task; among equals the one after `after` (round robin). */
static int pick(int after)
{
    int best = -1;
    for (int i = 1; i <= TASKS; i++) {
        int t = (after + i) % TASKS;
        if (tasks[t].state == READY && (best < 0 || tasks[t].priority > tasks[best].priority)) best = t;
    }
    return best;
}

/* Wakes the highest-priority task blocked on `sem` (at most one: the count says how many may pass). */
static void wake_one(const struct semaphore *sem);

static struct semaphore *waiting_on[TASKS];

static void wake_one(const struct semaphore *sem)
{
    int best = -1;
    for (int t = 0; t < TASKS; t++)
        if (tasks[t].state == BLOCKED && waiting_on[t] == sem && (best < 0 || tasks[t].priority > tasks[best].priority)) best = t;
    if (best >= 0) {
        tasks[best].state = READY;
        waiting_on[best] = 0;
    }
}

/* From a task or an interrupt handler (inside a critical section or with interrupts off). */
static void give(struct semaphore *sem)
{
    sem->count++;
    wake_one(sem);
}

static void take(struct semaphore *sem)
{
    enter_critical();
    while (sem->count == 0) {
        tasks[current].state = BLOCKED;
        waiting_on[current] = sem;
        yield();                   /* with interrupts off: the trap keeps them off for this task */
    }
    sem->count--;
    exit_critical();
}

static void delay(uint32_t n)
{
    enter_critical();
    tasks[current].state = DELAYED;
    tasks[current].wake = ticks + n;
    yield();
    exit_critical();
}

/* ---- the UART: receive into a line buffer, transmit from a ring drained by the THRE interrupt ---- */

static char tx[TX_SIZE];
static volatile uint32_t tx_head, tx_tail;
static struct semaphore tx_space;
static char rx[RX_SIZE];
static volatile uint32_t rx_head, rx_tail;
static struct semaphore lines;
static volatile uint32_t rx_bytes, rx_overruns;

static void uart_interrupt(void)
{
    for (;;) {
        uint8_t iir = UART[UART_IIR] & 0x0f;
        if (iir == 0x04 || iir == 0x0c) {
            while (UART[UART_LSR] & LSR_DR) {
                char c = (char)UART[UART_RBR];
                rx_bytes++;
                if (c == '\r') c = '\n';
                if (rx_head - rx_tail < RX_SIZE) rx[rx_head++ % RX_SIZE] = c;
                else rx_overruns++;
                if (c == '\n') give(&lines);
            }
        } else if (iir == 0x02) {
            if (tx_head != tx_tail) {
                UART[UART_THR] = (uint8_t)tx[tx_tail++ % TX_SIZE];
                if (tx_space.count == 0) give(&tx_space);
            } else {
                UART[UART_IER] = IER_RX;
            }
        } else {
            return;
        }
    }
}

static void put_char(char c)
{
    enter_critical();
    while (tx_head - tx_tail == TX_SIZE) {
        tx_space.count = 0;
        exit_critical();
        take(&tx_space);
        enter_critical();
    }
    tx[tx_head++ % TX_SIZE] = c;
    UART[UART_IER] = IER_RX | IER_THRE; /* raises the transmitter-empty interrupt at once if idle */
    exit_critical();
}

static void print(const char *s)
{
    while (*s) put_char(*s++);
}

static void print_number(uint32_t n)
{
    char digits[12];
    int i = 0;
    do digits[i++] = (char)('0' + n % 10); while ((n /= 10) != 0);
    while (i > 0) put_char(digits[--i]);
}

static int read_line(char *line, int size)
{
    take(&lines);
    int n = 0;
    enter_critical();
    for (;;) {
        char c = rx[rx_tail++ % RX_SIZE];
        if (c == '\n') break;
        if (n + 1 < size) line[n++] = c;
    }
    exit_critical();
    line[n] = '\0';
    return n;
}

/* ---- the tasks ---- */

static volatile int quit_typed;
static volatile uint32_t produced, consumed, consumed_sum;
static uint32_t queue[QUEUE_SIZE];
static volatile uint32_t queue_head, queue_tail;
static struct semaphore queue_items, queue_slots;

static void producer(void)
{
    for (uint32_t n = 1;; n++) {
        take(&queue_slots);
        enter_critical();
        queue[queue_head++ % QUEUE_SIZE] = n * n;
        produced++;
        give(&queue_items);
        exit_critical();
        if (n % 4 == 0) delay(1);
    }
}

static void consumer(void)
{
    for (;;) {
        take(&queue_items);
        enter_critical();
        uint32_t v = queue[queue_tail++ % QUEUE_SIZE];
        consumed++;
        consumed_sum += v;
        give(&queue_slots);
        exit_critical();
    }
}

static uint32_t parse_number(const char **p)
{
    uint32_t n = 0;
    while (**p == ' ') (*p)++;
    while (**p >= '0' && **p <= '9') n = n * 10 + (uint32_t)(*(*p)++ - '0');
    return n;
}

static int starts_with(const char *s, const char *prefix)
{
    while (*prefix) if (*s++ != *prefix++) return 0;
    return 1;
}

static void console(void)
{
    char line[80];
    print("rtos: console ready; type help\n");
    for (;;) {
        read_line(line, sizeof line);
        print("> ");
        print(line);
        print("\n");
        const char *p = line;
        if (starts_with(line, "help")) {
            print("commands: sum A B, primes N, upper TEXT, words TEXT, quit\n");
        } else if (starts_with(line, "sum ")) {
            p += 4;
            uint32_t a = parse_number(&p), b = parse_number(&p);
            print_number(a); print(" + "); print_number(b); print(" = "); print_number(a + b); print("\n");
        } else if (starts_with(line, "primes ")) {
            p += 7;
            uint32_t limit = parse_number(&p), count = 0;
            for (uint32_t n = 2; n < limit && limit <= 5000; n++) {
                int prime = 1;
                for (uint32_t d = 2; d * d <= n; d++) if (n % d == 0) { prime = 0; break; }
                count += (uint32_t)prime;
            }
            print_number(count); print(" primes below "); print_number(limit); print("\n");
        } else if (starts_with(line, "upper ")) {
            for (p += 6; *p; p++) put_char(*p >= 'a' && *p <= 'z' ? (char)(*p - 32) : *p);
            print("\n");
        } else if (starts_with(line, "words ")) {
            uint32_t words = 0;
            for (p += 6; *p; p++) if (*p != ' ' && (p[1] == ' ' || p[1] == '\0')) words++;
            print_number(words); print(" words\n");
        } else if (starts_with(line, "quit")) {
            print("bye\n");
            quit_typed = 1;
        } else {
            print("unknown command: "); print(line); print("\n");
        }
    }
}

static void finish(uint32_t code)
{
    /* Wait until the transmitter interrupt has sent everything, then stop the machine. */
    while (tx_head != tx_tail) delay(1);
    FINISHER = code;
    for (;;) ;
}

static void status(void)
{
    uint32_t next = 0;
    for (uint32_t report = 1;; report++) {
        next += STATUS_TICKS;
        delay(next - ticks);
        enter_critical();
        uint32_t p = produced, c = consumed, sum = consumed_sum;
        exit_critical();
        print("status: tick "); print_number(next);
        print(", produced "); print_number(p);
        print(", consumed "); print_number(c);
        print(", sum "); print_number(sum);
        print("\n");
        if (report >= STATUS_REPORTS && quit_typed) {
            print("rtos: "); print_number(rx_bytes); print(" bytes typed, "); print_number(rx_overruns); print(" lost\n");
            finish(0x5555);
        }
        if (report >= MAX_REPORTS) {
            print("rtos: no quit typed; stopping\n");
            finish(0x13333);
        }
    }
}

static void idle(void)
{
    for (;;) __asm__ volatile("wfi");
}

/* ---- traps ---- */

uint32_t *kernel_trap(uint32_t mcause, uint32_t *frame)
{
    tasks[current].sp = frame;
    tasks[current].nesting = critical_nesting;
    int rotate = 0;
    if (mcause == 0x80000007u) {
        MTIMECMP = MTIMECMP + TICK;
        ticks++;
        for (int t = 0; t < TASKS; t++)
            if (tasks[t].state == DELAYED && (int32_t)(ticks - tasks[t].wake) >= 0) tasks[t].state = READY;
        rotate = 1;
    } else if (mcause == 0x8000000bu) {
        uint32_t source = PLIC_CLAIM0;
        if (source == UART_IRQ) uart_interrupt();
        PLIC_CLAIM0 = source;
    } else if (mcause == 11) {
        frame[31] += 4;            /* resume after the ecall */
        rotate = 1;
    } else {
        FINISHER = (mcause << 16) | 0x3333;
    }
    int next = pick(current);
    /* An interrupt other than the tick preempts only for a task of higher priority. */
    if (!rotate && tasks[current].state == READY && tasks[next].priority <= tasks[current].priority) next = current;
    current = next;
    critical_nesting = tasks[current].nesting;
    return tasks[current].sp;
}

static void create(int t, void (*entry)(void), int priority, const char *name)
{
    uint32_t *sp = &stacks[t][STACK_WORDS - 32];
    for (int i = 0; i < 32; i++) sp[i] = 0;
    sp[31] = (uint32_t)entry;      /* mepc */
    sp[1] = (3u << 11) | (1u << 7); /* mstatus: MPP machine, MPIE: interrupts on in the task */
    uint32_t gp;
    __asm__("mv %0, gp" : "=r"(gp));
    sp[2] = gp;                    /* x3: globals are reached through gp */
    tasks[t].sp = sp;
    tasks[t].priority = priority;
    tasks[t].state = READY;
    tasks[t].name = name;
}

int main(void)
{
    create(0, idle, 0, "idle");
    create(1, producer, 1, "producer");
    create(2, consumer, 1, "consumer");
    create(3, status, 2, "status");
    create(4, console, 3, "console");
    queue_slots.count = QUEUE_SIZE;
    PLIC_PRIORITY[UART_IRQ] = 1;
    PLIC_ENABLE0 = 1u << UART_IRQ;
    PLIC_THRESHOLD0 = 0;
    UART[UART_IER] = IER_RX;
    MTIMECMP = MTIME + TICK;
    __asm__ volatile("csrs mie, %0" :: "r"((1u << 7) | (1u << 11)));
    current = 4;
    port_start_task(tasks[current].sp);
}
