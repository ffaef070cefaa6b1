/**
 * Reading a step typed by the user (Go to Step, Add/Remove Step Breakpoint). Pure, so that the input
 * boxes can validate on every keystroke and the rules are tested without VS Code.
 */

const HELP = 'a step number, +N or -N from here, a percentage such as 50%, start or end';

/**
 * Accepts `12345`, `12,345`, `12_345`, `0x3039`, `+500` and `-100` (from `current`), `50%` (of the
 * recording), `start` and `end`; answers the step or a sentence saying what is wrong.
 */
export function parseStep(text: string, lastStep: number, current = 0): { step: number } | { error: string } {
  const cleaned = text.trim().replace(/[,_\s]/g, '').toLowerCase();
  const range = `0 to ${formatStep(lastStep)}`;
  if (cleaned === '') return { error: `Type ${HELP} (${range}).` };
  if (cleaned === 'start' || cleaned === 'begin') return { step: 0 };
  if (cleaned === 'end') return { step: lastStep };
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(cleaned);
  if (percent) {
    const p = Number(percent[1]);
    if (p > 100) return { error: `${percent[1]}% is past the end of the recording; type a percentage from 0% to 100%.` };
    return { step: Math.round((p / 100) * lastStep) };
  }
  const relative = /^([+-])(0x[0-9a-f]+|\d+)$/.exec(cleaned);
  const magnitude = (digits: string): number => (digits.startsWith('0x') ? Number.parseInt(digits.slice(2), 16) : Number(digits));
  if (relative) {
    const step = current + (relative[1] === '+' ? 1 : -1) * magnitude(relative[2]);
    if (step < 0) return { error: `${text.trim()} from step ${formatStep(current)} is before the start of the recording (step 0).` };
    if (step > lastStep) return { error: `${text.trim()} from step ${formatStep(current)} is past the end of the recording (step ${formatStep(lastStep)}).` };
    return { step };
  }
  const value = /^(0x[0-9a-f]+|\d+)$/.test(cleaned) ? magnitude(cleaned) : NaN;
  if (!Number.isSafeInteger(value)) {
    return { error: `"${text.trim()}" is not a step; type ${HELP} (${range}).` };
  }
  if (value > lastStep) {
    return { error: `The recording ends at step ${formatStep(lastStep)}; type a step from ${range}.` };
  }
  return { step: value };
}

/** Steps are shown with thousands separators, as the CLI prints them. */
export function formatStep(step: number): string {
  return step.toLocaleString('en-US');
}
