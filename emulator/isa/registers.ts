/**
 * Integer registers: numbers, ABI names and the roles the calling convention gives them. Read by the
 * disassembler, the debugger's register views and the language server's hover.
 */

export interface RegisterSpec {
  readonly number: number;
  readonly abi: string;
  readonly role: string;
  /** Who preserves it across a call. */
  readonly saver: 'caller' | 'callee' | '—';
}

const ROLES: Array<[string, string, RegisterSpec['saver']]> = [
  ['zero', 'hard-wired zero', '—'],
  ['ra', 'return address', 'caller'],
  ['sp', 'stack pointer', 'callee'],
  ['gp', 'global pointer', '—'],
  ['tp', 'thread pointer', '—'],
  ['t0', 'temporary / alternate link register', 'caller'],
  ['t1', 'temporary', 'caller'],
  ['t2', 'temporary', 'caller'],
  ['s0', 'saved register / frame pointer (fp)', 'callee'],
  ['s1', 'saved register', 'callee'],
  ['a0', 'function argument / return value', 'caller'],
  ['a1', 'function argument / return value', 'caller'],
  ['a2', 'function argument', 'caller'],
  ['a3', 'function argument', 'caller'],
  ['a4', 'function argument', 'caller'],
  ['a5', 'function argument', 'caller'],
  ['a6', 'function argument', 'caller'],
  ['a7', 'function argument (system call number)', 'caller'],
  ...[2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((n): [string, string, RegisterSpec['saver']] => [`s${n}`, 'saved register', 'callee']),
  ['t3', 'temporary', 'caller'],
  ['t4', 'temporary', 'caller'],
  ['t5', 'temporary', 'caller'],
  ['t6', 'temporary', 'caller'],
];

export const REGISTERS: readonly RegisterSpec[] = ROLES.map(([abi, role, saver], number) => ({ number, abi, role, saver }));

/** Register number for `x5`, `t0` or `fp`; undefined if the name is not a register. */
export function registerNumber(name: string): number | undefined {
  const lower = name.toLowerCase();
  if (lower === 'fp') return 8;
  const xMatch = /^x(\d{1,2})$/.exec(lower);
  if (xMatch) {
    const n = Number(xMatch[1]);
    return n < 32 ? n : undefined;
  }
  return REGISTERS.find((r) => r.abi === lower)?.number;
}

export const abiName = (n: number): string => REGISTERS[n].abi;
