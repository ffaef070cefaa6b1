/**
 * The language server's view of the project's one instruction table: mnemonic lookup (the assembler
 * reads mnemonics in any case, and atomics with `.aq`/`.rl`/`.aqrl` ordering suffixes), the operand
 * forms to check against, and register and CSR names as the assembler spells them (lower case only).
 */
import { Extension, INSTRUCTIONS, InstructionSpec, PSEUDO_INSTRUCTIONS, PseudoSpec } from '../emulator/isa/instructions';
import { REGISTERS } from '../emulator/isa/registers';
import { CSRS, CsrSpec } from '../emulator/isa/csrs';
import { EXTRA_FORMS } from './assembler-forms';
import type { FormOperand } from './operand-kinds';

export interface Mnemonic {
  /** As in the table, lower case, without an ordering suffix. */
  readonly name: string;
  readonly extension: Extension;
  readonly instruction?: InstructionSpec;
  readonly pseudo?: PseudoSpec;
  /** Accepted operand lists; the first is the one messages and hover show. */
  readonly forms: ReadonlyArray<readonly FormOperand[]>;
}

/** Memory-ordering suffixes the A extension's instructions take. */
export const ORDERING_SUFFIXES = ['aq', 'rl', 'aqrl'] as const;

function formsOf(name: string, operands: readonly FormOperand[] | 'any'): ReadonlyArray<readonly FormOperand[]> {
  const table = operands === 'any' ? [] : [operands];
  return [...table, ...(EXTRA_FORMS[name] ?? [])];
}

const mnemonics = new Map<string, Mnemonic>();
for (const instruction of INSTRUCTIONS) {
  mnemonics.set(instruction.name, {
    name: instruction.name, extension: instruction.extension, instruction,
    forms: formsOf(instruction.name, instruction.operands),
  });
}
for (const pseudo of PSEUDO_INSTRUCTIONS) {
  mnemonics.set(pseudo.name, { name: pseudo.name, extension: pseudo.extension, pseudo, forms: formsOf(pseudo.name, pseudo.operands) });
}

export const ALL_MNEMONICS: readonly Mnemonic[] = [...mnemonics.values()];

/** Lookups by the name as written, hits and misses, so that each spelling is worked out once. */
const written = new Map<string, Mnemonic | null>();

/** The mnemonic as written (`ADDI`, `amoswap.w.aqrl`), or undefined if the table does not have it. */
export function lookupMnemonic(name: string): Mnemonic | undefined {
  const known = written.get(name);
  if (known !== undefined) return known ?? undefined;
  const found = findMnemonic(name);
  if (written.size < 10000) written.set(name, found ?? null);
  return found;
}

function findMnemonic(name: string): Mnemonic | undefined {
  const lower = name.toLowerCase();
  const found = mnemonics.get(lower);
  if (found) return found;
  const dot = lower.lastIndexOf('.');
  if (dot > 0 && (ORDERING_SUFFIXES as readonly string[]).includes(lower.slice(dot + 1))) {
    const base = mnemonics.get(lower.slice(0, dot));
    if (base?.extension === 'A') return base;
  }
  return undefined;
}

const registerNumbers = new Map<string, number>();
for (let n = 0; n < 32; n++) registerNumbers.set(`x${n}`, n);
for (const r of REGISTERS) registerNumbers.set(r.abi, r.number);
registerNumbers.set('fp', 8);

/** Register numbers by every name the assembler accepts, for loops that cannot afford a call. */
export const REGISTER_NUMBERS: ReadonlyMap<string, number> = registerNumbers;

/** All register names the assembler accepts: x0–x31, the ABI names and fp. */
export const REGISTER_NAMES: readonly string[] = [...registerNumbers.keys()];

/** Register number for a name exactly as the assembler reads it (it rejects `A0`), else undefined. */
export const registerByName = (name: string): number | undefined => registerNumbers.get(name);

const csrs = new Map(CSRS.map((c) => [c.name, c]));

/** The CSR of that exact name (the assembler rejects `MSTATUS`), else undefined. */
export const csrByExactName = (name: string): CsrSpec | undefined => csrs.get(name);

/** The nearest mnemonic to a misspelt one, for "did you mean"; undefined if none is close. */
export function closestMnemonic(written: string): string | undefined {
  const lower = written.toLowerCase();
  let best: string | undefined;
  let bestDistance = lower.length <= 3 ? 1 : 2;
  for (const name of mnemonics.keys()) {
    if (Math.abs(name.length - lower.length) > bestDistance) continue;
    const d = editDistance(lower, name, bestDistance);
    if (d < bestDistance || (d === bestDistance && best === undefined)) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance, giving up (returning limit + 1) once it must exceed `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      rowMin = Math.min(rowMin, current[j]);
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length];
}
