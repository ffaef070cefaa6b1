/** `rewind info run.rewind`: what a recording holds, and whether the file was complete. */
import { ParsedArgs, refuseProgramArgs, UsageError } from './args';
import { readRecording } from './recording-file';
import { basename } from 'node:path';
import { statSync } from 'node:fs';
import { indexPath, openIndexFile } from '../emulator/replay/index-file';
import { Recording } from '../emulator/replay/recording-format';
import { writeStdout, writeStderr } from './terminal-write';

export function infoCommand(args: ParsedArgs): number {
  const [path] = args.positional;
  if (!path) throw new UsageError('rewind info needs a recording: rewind info run.rewind');
  refuseProgramArgs(args, 'rewind info takes no program arguments: it shows the command line the recording was made with');
  const r = readRecording(path);
  const counts = new Map<string, number>();
  for (const e of r.events) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  const events = r.events.length === 0 ? 'none' : [...counts].map(([kind, n]) => `${n} ${kind}`).join(', ');
  const lines = [
    `recording   ${path}`,
    `program     ${r.programName} (${r.program.length.toLocaleString('en-US')} bytes, sha256 ${r.programHash})`,
    `arguments   ${JSON.stringify(r.commandLine)} (the program's command line)`,
    `recorded    ${r.recordedAt}`,
    `machine     RAM ${r.config.ramSize / 1048576} MiB at 0x${r.config.ramBase.toString(16)}, ${r.config.stepsPerTick} steps per timer tick`,
    `steps       ${r.lastStep.toLocaleString('en-US')}`,
    `events      ${events}`,
    `checkpoints ${r.checkpoints.length}`,
    `size        ${r.sizeBytes.toLocaleString('en-US')} bytes (log ${(r.sizeBytes - r.program.length).toLocaleString('en-US')} bytes besides the program)`,
    `complete    ${r.end ? `yes (${describeEnd(r.end.reason)})` : `no: ${r.recovery}`}`,
  ];
  if (r.end && r.recovery) lines.push(`recovery    ${r.recovery}`);
  if (r.programMismatch) lines.push(`integrity   ${r.programMismatch}`);
  lines.push(`index       ${describeIndex(path, r)}`);
  writeStdout(lines.join('\n') + '\n');
  // A damaged or altered file is said on stderr too, and in the status, so that a script does not take it for whole.
  if (r.damage) writeStderr(`rewind: ${path} is damaged: ${r.recovery}; only that prefix can be replayed\n`);
  if (r.programMismatch) writeStderr(`rewind: ${path}: ${r.programMismatch}\n`);
  return r.damage || r.programMismatch ? 1 : 0;
}

/** The snapshot index beside the recording: what it holds, or why there is none to use. */
function describeIndex(path: string, r: Recording): string {
  const index = openIndexFile(path);
  if (typeof index === 'string') return index === 'no index' ? `none (rewind replay, or a debug session that runs to the end, writes ${basename(indexPath(path))})` : index;
  if (!index.belongsTo(r)) return `${basename(indexPath(path))} belongs to another recording: it is not used (rewind replay writes a new one)`;
  const steps = index.entries.map((e) => e.step);
  return `${basename(indexPath(path))}: ${steps.length} state${steps.length === 1 ? '' : 's'} from step ${steps[0].toLocaleString('en-US')} to ${steps[steps.length - 1].toLocaleString('en-US')}, ` +
    `${statSync(indexPath(path)).size.toLocaleString('en-US')} bytes (only saves time: it may be deleted)`;
}

/** Why the recorder stopped, in words, for any end reason a file may hold (it may come from anyone). */
export function describeEnd(reason: unknown): string {
  const r = (typeof reason === 'object' && reason !== null ? reason : {}) as { kind?: unknown; code?: unknown; message?: unknown };
  if (typeof r.message === 'string' && r.message !== '') return r.message;
  switch (r.kind) {
    case 'exit': return typeof r.code === 'number' ? `the program exited with status ${r.code}` : 'the program exited';
    case 'limit': return 'stopped at --max-steps';
    case 'input': return 'the program was waiting for input';
    case 'reset': return 'the guest asked for a reset';
    case 'trap': return 'the program stopped at a trap';
    case 'breakpoint': case 'watchpoint': return `the recorder stopped at a ${r.kind}`;
    default: return typeof r.kind === 'string' && r.kind !== '' ? `the recorder stopped (${r.kind})` : 'the recorder gave no reason';
  }
}
