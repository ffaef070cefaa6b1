/*
 * The two U-mode tasks of the kernel example. Their code and constants live in the .user section, the
 * only pages U-mode may execute and read; each runs on its own stack page. They reach the kernel only
 * through `ecall`: write (64) to print, exit (93) to end.
 */
#include <stdint.h>

#define USER __attribute__((section(".user.text")))
#define USER_CONST __attribute__((section(".user.rodata")))

USER static long sys_write(const char *buffer, uint32_t length) {
  register long a0 __asm__("a0") = 1;
  register const char *a1 __asm__("a1") = buffer;
  register uint32_t a2 __asm__("a2") = length;
  register long a7 __asm__("a7") = 64;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
  return a0;
}

USER __attribute__((noreturn)) static void sys_exit(int status) {
  register long a0 __asm__("a0") = status;
  register long a7 __asm__("a7") = 93;
  __asm__ volatile("ecall" : : "r"(a0), "r"(a7) : "memory");
  for (;;) {
  }
}

/* Prints `label` and `n` on a line of their own: "label n\n". */
USER static void print_number(const char *label, uint32_t label_length, uint32_t n) {
  char line[32];
  uint32_t length = 0;
  for (uint32_t i = 0; i < label_length; i++) line[length++] = label[i];
  char digits[10];
  uint32_t count = 0;
  do {
    digits[count++] = (char)('0' + n % 10);
    n /= 10;
  } while (n != 0);
  while (count > 0) line[length++] = digits[--count];
  line[length++] = '\n';
  sys_write(line, length);
}

USER_CONST static const char COUNTER[] = "counter: ";
USER_CONST static const char PRIMES[] = "primes found: ";

/* Counts to five, slowly. */
USER void counter_task(void) {
  for (uint32_t i = 1; i <= 5; i++) {
    print_number(COUNTER, sizeof COUNTER - 1, i);
    volatile uint32_t spin = 0;
    for (uint32_t j = 0; j < 2000; j++) spin += j;
  }
  sys_exit(0);
}

USER static int is_prime(uint32_t n) {
  if (n < 2) return 0;
  for (uint32_t d = 2; d * d <= n; d++) {
    if (n % d == 0) return 0;
  }
  return 1;
}

/* Counts primes, reporting every 250 numbers. */
USER void primes_task(void) {
  uint32_t found = 0;
  for (uint32_t n = 1; n <= 1000; n++) {
    found += (uint32_t)is_prime(n);
    if (n % 250 == 0) print_number(PRIMES, sizeof PRIMES - 1, found);
  }
  sys_exit(0);
}
