/**
 * `monitor …` commands (gdb's `qRcmd`), mirroring QEMU's replay monitor commands so that scripts
 * written for `qemu-system-* -icount rr=replay` work here. Names are accepted with `-` or `_`
 * (QEMU's HMP spells them `replay_break`, its QMP `replay-break`). Every command answers with text;
 * an error is a line starting with "error:" (gdb shows it; the packet itself succeeds, as with QEMU).
 *
 * Differences from QEMU, on purpose: any number of step breakpoints, not one; a step breakpoint in
 * the past is fine (reverse-continue reaches it; QEMU refuses it); deleting a step breakpoint that does
 * not exist is an error that says so (QEMU says nothing).
 */
import { EngineError } from '../emulator/replay/engine';
import { Debugger } from '../debugger/debugger';
import { hexNumber } from '../emulator/hex';

export interface MonitorContext {
  core: Debugger;
  /** The recording's file name, as `info replay` shows it. */
  recordingName: string;
}

export const MONITOR_HELP = `Rewind monitor commands:
  replay-break STEP          stop when the replay reaches STEP (forwards or backwards)
  replay-delete-break [STEP] delete the step breakpoint at STEP, or all of them
  replay-seek STEP           go to STEP (then 'maintenance flush register-cache' in gdb)
  info replay                the current step, the recording's length, the step breakpoints
`;

const fmt = (n: number): string => n.toLocaleString('en-US');

/** Runs one monitor command line; returns the text to show. */
export async function runMonitorCommand(line: string, ctx: MonitorContext): Promise<string> {
  const words = line.trim().split(/\s+/).filter((w) => w !== '');
  const command = (words[0] ?? '').replace(/_/g, '-');
  const args = words.slice(1);
  try {
    switch (command) {
      case 'replay-break':
        return replayBreak(ctx, args);
      case 'replay-delete-break':
        return replayDeleteBreak(ctx, args);
      case 'replay-seek':
        return await replaySeek(ctx, args);
      case 'info':
        if (args.length === 1 && args[0] === 'replay') return infoReplay(ctx);
        return `error: unknown info command "${args.join(' ')}"; try: monitor info replay\n`;
      case 'help': case '':
        return MONITOR_HELP;
      default:
        return `error: unknown monitor command "${words[0]}"\n${MONITOR_HELP}`;
    }
  } catch (e) {
    if (e instanceof EngineError || e instanceof UsageError) return `error: ${e.message}\n`;
    throw e;
  }
}

class UsageError extends Error {}

/** A step: decimal, with optional `_` or `,` separators, or 0x hex. */
function parseStep(text: string | undefined, usage: string): number {
  if (text === undefined) throw new UsageError(`a step is needed: ${usage}`);
  const clean = text.replace(/[_,]/g, '');
  const value = /^0x[0-9a-f]+$/i.test(clean) ? parseInt(clean, 16) : /^\d+$/.test(clean) ? Number(clean) : NaN;
  if (!Number.isSafeInteger(value)) throw new UsageError(`"${text}" is not a step (a whole number from 0): ${usage}`);
  return value;
}

function replayBreak(ctx: MonitorContext, args: string[]): string {
  const usage = 'monitor replay-break STEP';
  if (args.length > 1) throw new UsageError(`one step only: ${usage}`);
  const step = parseStep(args[0], usage);
  if (!ctx.core.stepBreakpoints.add(step)) return `there is already a step breakpoint at step ${fmt(step)}\n`;
  const where = step < ctx.core.step ? ' (in the past: reverse-continue stops there)'
    : step === ctx.core.step ? ' (the current step: a continue in either direction leaves it first)' : '';
  return `step breakpoint at step ${fmt(step)}${where}\n`;
}

function replayDeleteBreak(ctx: MonitorContext, args: string[]): string {
  const usage = 'monitor replay-delete-break [STEP]';
  if (args.length > 1) throw new UsageError(`at most one step: ${usage}`);
  if (args.length === 1) {
    const step = parseStep(args[0], usage);
    ctx.core.stepBreakpoints.remove(step);
    return `deleted the step breakpoint at step ${fmt(step)}\n`;
  }
  const all = ctx.core.stepBreakpoints.list();
  ctx.core.stepBreakpoints.clear();
  return all.length === 0 ? 'there are no step breakpoints to delete\n'
    : `deleted ${all.length} step breakpoint${all.length === 1 ? '' : 's'}\n`;
}

async function replaySeek(ctx: MonitorContext, args: string[]): Promise<string> {
  const usage = 'monitor replay-seek STEP';
  if (args.length > 1) throw new UsageError(`one step only: ${usage}`);
  const step = parseStep(args[0], usage);
  const from = ctx.core.step;
  await ctx.core.engine.seek(step);
  return `now at step ${fmt(ctx.core.step)} (pc ${hexNumber(ctx.core.pc)}), was ${fmt(from)}; ` +
    `gdb does not know the target moved: run "maintenance flush register-cache" to see the new registers and memory\n`;
}

function infoReplay(ctx: MonitorContext): string {
  const e = ctx.core.engine;
  const breaks = ctx.core.stepBreakpoints.list();
  // The first line is QEMU's `info replay` answer, word for word, so that scripts can parse either.
  return `Replaying execution '${ctx.recordingName}': instruction count = ${e.step}\n` +
    `${e.live ? 'recorded so far' : 'the recording ends at'} step ${e.lastStep}\n` +
    `step breakpoints: ${breaks.length === 0 ? 'none' : breaks.join(', ')}\n`;
}
