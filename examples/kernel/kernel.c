/*
 * A small S-mode kernel: two U-mode tasks (tasks.c), each with its own Sv32 page table, switched by the
 * supervisor timer every QUANTUM ticks, and two system calls (write to the console, exit). Made to be
 * debugged backwards: step back over an `ecall` into the task, over `sret` into the kernel, or across
 * a context switch (the satp write in switch_task) to see the other task's last moment.
 *
 * Memory (one page table per task; the kernel runs on the task's table, as Linux does):
 *   0x00000000-0x003fffff  one megapage, supervisor only: the test finisher at 0x00100000
 *   0x10000000-0x103fffff  one megapage, supervisor only: the UART
 *   0x80000000-0x803fffff  4 KiB pages, identity mapped: the kernel's supervisor-only, the tasks' code
 *                          (.user) readable and executable in U-mode, and the task's own stack page
 *                          writable in U-mode; the other task's stack stays out of its reach.
 * The machine-mode firmware (machine.S) passes the timer on as the supervisor timer interrupt.
 */
#include <stdint.h>

#define UART ((volatile uint8_t *)0x10000000)
#define FINISHER ((volatile uint32_t *)0x00100000)
#define PAGE 4096u
#define PTE_V 0x01u
#define PTE_R 0x02u
#define PTE_W 0x04u
#define PTE_X 0x08u
#define PTE_U 0x10u
#define PTE_A 0x40u
#define PTE_D 0x80u
#define SATP_SV32 0x80000000u
#define SSTATUS_SUM (1u << 18)
#define SIE_STIE (1u << 5)
#define SUPERVISOR_TIMER 0x80000005u
#define ECALL_FROM_U 8u
#define SYS_WRITE 64
#define SYS_EXIT 93
/* Timer ticks per time slice: mtime ticks once every 100 instructions, so 4,000 instructions. */
#define QUANTUM 40
#define TASKS 2

#define csr_read(name) ({ uint32_t v_; __asm__ volatile("csrr %0, " #name : "=r"(v_)); v_; })
#define csr_write(name, v) __asm__ volatile("csrw " #name ", %0" : : "r"(v))
#define csr_set(name, v) __asm__ volatile("csrs " #name ", %0" : : "r"(v))

/* A task's registers while it does not run: x1..x31 (x[0] is unused), then the pc (trap.S's layout). */
struct frame {
  uint32_t x[32];
  uint32_t pc;
};

struct task {
  struct frame frame;
  uint32_t satp;
  int exited;
};

extern char __user_start[], __user_end[];
void counter_task(void);
void primes_task(void);
void supervisor_trap(void);
__attribute__((noreturn)) void return_to_user(struct frame *frame);

static uint32_t root_table[TASKS][1024] __attribute__((aligned(4096)));
static uint32_t ram_table[TASKS][1024] __attribute__((aligned(4096)));
static uint8_t user_stack[TASKS][PAGE] __attribute__((aligned(4096)));
static struct task tasks[TASKS];
static int current;
static uint32_t switches;
/* When the current time slice ends, in timer ticks: slices end on a fixed grid, however late a timer
   interrupt is taken (so the schedule is the same on any machine that keeps mtime by instructions). */
static uint64_t slice_end;

static void console_putc(char c) {
  while ((UART[5] & 0x20) == 0) {
  }
  UART[0] = (uint8_t)c;
}

static void console_puts(const char *s) {
  while (*s) console_putc(*s++);
}

static void put_decimal(uint32_t n) {
  char digits[10];
  int i = 0;
  do {
    digits[i++] = (char)('0' + n % 10);
    n /= 10;
  } while (n != 0);
  while (i > 0) console_putc(digits[--i]);
}

__attribute__((noreturn)) static void shut_down(uint32_t status) {
  *FINISHER = status == 0 ? 0x5555 : (status << 16) | 0x3333;
  for (;;) {
  }
}

/* The machine's time, 64 bits, read without tearing between its halves. */
static uint64_t now(void) {
  uint32_t hi, lo;
  do {
    hi = csr_read(timeh);
    lo = csr_read(time);
  } while (hi != csr_read(timeh));
  return ((uint64_t)hi << 32) | lo;
}

/* SBI set_timer (the firmware in machine.S): the next supervisor timer interrupt at `when`. */
static void set_timer(uint64_t when) {
  register uint32_t a0 __asm__("a0") = (uint32_t)when;
  register uint32_t a1 __asm__("a1") = (uint32_t)(when >> 32);
  register uint32_t a7 __asm__("a7") = 0;
  __asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a7) : "memory");
}

static uint32_t pte(uintptr_t physical, uint32_t flags) {
  return (uint32_t)((physical >> 12) << 10) | flags;
}

/* Task t's page table: the kernel's mappings, its code, its own stack. */
static void map_task(int t) {
  uint32_t *root = root_table[t], *ram = ram_table[t];
  root[0x00000000u >> 22] = pte(0x00000000u, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
  root[0x10000000u >> 22] = pte(0x10000000u, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
  root[0x80000000u >> 22] = pte((uintptr_t)ram, PTE_V);
  for (uint32_t i = 0; i < 1024; i++) {
    uintptr_t page = 0x80000000u + i * PAGE;
    uint32_t flags = PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D;
    if (page >= (uintptr_t)__user_start && page < (uintptr_t)__user_end) flags = PTE_V | PTE_R | PTE_X | PTE_U | PTE_A;
    if (page == (uintptr_t)user_stack[t]) flags = PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D;
    ram[i] = pte(page, flags);
  }
  tasks[t].satp = SATP_SV32 | (uint32_t)((uintptr_t)root >> 12);
}

/* The next task that has not exited (the current one if the other has), on its own page table. */
static struct frame *switch_task(void) {
  int next = (current + 1) % TASKS;
  if (!tasks[next].exited) {
    current = next;
    switches++;
    csr_write(satp, tasks[current].satp);
    __asm__ volatile("sfence.vma" : : : "memory");
  }
  return &tasks[current].frame;
}

/* Whether [address, address + length) lies in memory the current task may read. */
static int user_readable(uint32_t address, uint32_t length) {
  uint32_t stack = (uint32_t)(uintptr_t)user_stack[current];
  if (address >= (uint32_t)(uintptr_t)__user_start && length <= (uint32_t)(uintptr_t)__user_end - address) return 1;
  return address >= stack && length <= stack + PAGE - address;
}

static struct frame *system_call(struct frame *f) {
  uint32_t number = f->x[17], a0 = f->x[10], a1 = f->x[11], a2 = f->x[12];
  if (number == SYS_WRITE) {
    if (a0 != 1 || !user_readable(a1, a2)) {
      f->x[10] = (uint32_t)-1;
      return f;
    }
    /* sstatus.SUM is set: the kernel reads the task's bytes through the task's own mapping. */
    const char *bytes = (const char *)(uintptr_t)a1;
    for (uint32_t i = 0; i < a2; i++) console_putc(bytes[i]);
    f->x[10] = a2;
    return f;
  }
  if (number == SYS_EXIT) {
    tasks[current].exited = 1;
    console_puts("kernel: task ");
    put_decimal((uint32_t)current);
    console_puts(" exited with status ");
    put_decimal(a0);
    console_puts("\n");
    if (tasks[0].exited && tasks[1].exited) {
      console_puts("kernel: all tasks exited\n");
      shut_down(0);
    }
    return switch_task();
  }
  f->x[10] = (uint32_t)-1;
  return f;
}

/* Called by trap.S with the interrupted task's registers; returns the registers of the task to run. */
struct frame *trap(struct frame *interrupted) {
  uint32_t cause = csr_read(scause);
  if (cause == SUPERVISOR_TIMER) {
    slice_end += QUANTUM;
    set_timer(slice_end);
    return switch_task();
  }
  if (cause == ECALL_FROM_U) {
    interrupted->pc += 4;
    return system_call(interrupted);
  }
  console_puts("kernel: unexpected trap, scause ");
  put_decimal(cause);
  console_puts(" at pc ");
  put_decimal(interrupted->pc);
  console_puts("\n");
  shut_down(2);
}

__attribute__((noreturn)) void kernel_main(void) {
  console_puts("kernel: starting two tasks, switched every 4,000 instructions\n");
  void (*entries[TASKS])(void) = { counter_task, primes_task };
  for (int t = 0; t < TASKS; t++) {
    map_task(t);
    tasks[t].frame.pc = (uint32_t)(uintptr_t)entries[t];
    tasks[t].frame.x[2] = (uint32_t)(uintptr_t)(user_stack[t] + PAGE);
  }
  csr_write(stvec, (uint32_t)(uintptr_t)supervisor_trap);
  csr_set(sstatus, SSTATUS_SUM);
  csr_set(sie, SIE_STIE);
  slice_end = now() + QUANTUM;
  set_timer(slice_end);
  current = 0;
  csr_write(satp, tasks[0].satp);
  __asm__ volatile("sfence.vma" : : : "memory");
  return_to_user(&tasks[0].frame);
}
