/**
 * Reading a step number typed by the user (Go to Step, Add/Remove Step Breakpoint). Pure, so that the
 * input boxes can validate on every keystroke and the rules are tested without VS Code.
 */

/** Accepts `12345`, `12,345`, `12_345` and `0x3039`; answers the step or a sentence saying what is wrong. */
export function parseStep(text: string, lastStep: number): { step: number } | { error: string } {
  const cleaned = text.trim().replace(/[,_\s]/g, '');
  if (cleaned === '') return { error: `Type a step number from 0 to ${formatStep(lastStep)}.` };
  const value = /^0x[0-9a-f]+$/i.test(cleaned) ? Number.parseInt(cleaned.slice(2), 16)
    : /^\d+$/.test(cleaned) ? Number(cleaned) : NaN;
  if (!Number.isSafeInteger(value)) {
    return { error: `"${text.trim()}" is not a step number; type a whole number from 0 to ${formatStep(lastStep)}.` };
  }
  if (value > lastStep) {
    return { error: `The recording ends at step ${formatStep(lastStep)}; type a step from 0 to ${formatStep(lastStep)}.` };
  }
  return { step: value };
}

/** Steps are shown with thousands separators, as the CLI prints them. */
export function formatStep(step: number): string {
  return step.toLocaleString('en-US');
}
