/** `rewind info run.rewind`: what a recording holds, and whether the file was complete. */
import { ParsedArgs, UsageError } from './args';
import { readRecording } from './recording-file';

export function infoCommand(args: ParsedArgs): number {
  const [path] = args.positional;
  if (!path) throw new UsageError('rewind info needs a recording: rewind info run.rewind');
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
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

function describeEnd(reason: unknown): string {
  const r = reason as { kind?: string; code?: number; message?: string };
  if (r.kind === 'exit') return `the program exited with status ${r.code}`;
  if (r.kind === 'limit') return 'stopped at --max-steps';
  return r.message ?? String(r.kind);
}
