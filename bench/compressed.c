/*
 * compressed: integer work, memory traffic and unpredictable branches in one program, a little bytecode
 * interpreter, built with -march=rv32imac so that most executed instructions are 16-bit ones. Dispatch
 * through a switch, a value stack in memory addressed with small offsets, and small loop bodies are
 * exactly what the C extension encodes in 16 bits (c.lw/c.sw, c.addi, c.mv, c.j, c.beqz ...), so this
 * measures an emulator's decoding and execution of compressed code against the rv32im programs.
 */
#define BENCH_NAME "compressed"
#define BENCH_EXPECTED 0x939BC3F8u
#include "bench.h"

#define RUNS 55u

enum op { PUSH, LOAD, STORE, ADD, SUB, MUL, XOR, SHR, DUP, JNZ, HALT };

struct insn {
    uint8_t op;
    int16_t arg;
};

/* A bytecode program: a = v3; for (i = 20000; i != 0; i--) { a = a * 33 ^ i; b += a >> 3; }; a ^ b. */
static const struct insn program[] = {
    {PUSH, 20000}, {STORE, 0},             /* i = 20000 */
    {LOAD, 3}, {STORE, 1},                 /* a = v3, the caller's input */
    {PUSH, 0}, {STORE, 2},                 /* b = 0 */
    /* loop: (pc 6) */
    {LOAD, 1}, {PUSH, 33}, {MUL, 0}, {LOAD, 0}, {XOR, 0}, {DUP, 0}, {STORE, 1},
    {PUSH, 3}, {SHR, 0}, {LOAD, 2}, {ADD, 0}, {STORE, 2},
    {LOAD, 0}, {PUSH, 1}, {SUB, 0}, {DUP, 0}, {STORE, 0},
    {JNZ, 6},
    {LOAD, 1}, {LOAD, 2}, {XOR, 0},
    {HALT, 0},
};

/* The value stack grows down and `top` points at its top element, so that every access is at offset 0
   or 4 from a register: c.lw and c.sw encode only small non-negative offsets, and an index, or a
   pointer to the next free slot (offsets -4 and -8), would force the 32-bit forms. */
static uint32_t interpret(const struct insn *code, uint32_t *vars)
{
    uint32_t stack[16];
    uint32_t *top = stack + 16;    /* empty */
    const struct insn *pc = code;
    for (;;) {
        const struct insn *in = pc++;
        switch (in->op) {
        case PUSH: *--top = (uint32_t)(int32_t)in->arg; break;
        case LOAD: *--top = vars[in->arg]; break;
        case STORE: vars[in->arg] = *top++; break;
        case ADD: top[1] += top[0]; top++; break;
        case SUB: top[1] -= top[0]; top++; break;
        case MUL: top[1] *= top[0]; top++; break;
        case XOR: top[1] ^= top[0]; top++; break;
        case SHR: top[1] >>= top[0] & 31u; top++; break;
        case DUP: top--; top[0] = top[1]; break;
        case JNZ: if (*top++ != 0) pc = code + in->arg; break;
        case HALT: return top[0];
        default: return 0xdeadbeefu;
        }
    }
}

uint32_t bench_run(void)
{
    uint32_t vars[4] = {0, 0, 0, 0};
    uint32_t sum = bench_seed;
    for (uint32_t r = 0; r < RUNS; r++) {
        vars[3] = sum;                     /* each run starts from the previous result */
        sum = sum * 31u + interpret(program, vars);
    }
    return sum;
}
