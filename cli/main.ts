/**
 * The `rewind` command: the command-line front end of the same machine and replay engine that the
 * debug adapter and the GDB stub use.
 */
import { parseArgs, ParsedArgs, refuseProgramArgs, UsageError } from './args';
import { runCommand } from './run-command';
import { recordCommand } from './record-command';
import { replayCommand } from './replay-command';
import { REPLAY_OPTIONS } from './replay-options';
import { infoCommand } from './info-command';
import { loadCommand } from './lazy-command';
import { writeStdout } from './terminal-write';
import { expectOneRun } from '../emulator/cpu/wasm/warm-tiering';
import { keepCompilerMemory } from '../emulator/cpu/compiler-memory';
import { holdOptimizingWhileYoung } from '../emulator/run/youth';
import { exitAtOnce } from './exit-at-once';

const USAGE = `usage:
  rewind run prog.elf [--stdin FILE] [--max-steps N] [--stats] [--hash] [-- ARG…]  run a RISC-V program
                                      (ARG…: the program's arguments, its argv after its name)
  rewind record prog.elf -o run.rewind [--stdin FILE] [--max-steps N] [--force] [--verbose] [-- ARG…]  run it and record the run
                                      (--force: replace -o FILE even if it is not a recording)
  rewind replay run.rewind [--max-steps N] [--verbose]                re-run a recording and check it
                                      (record's --stdin, --date, -- ARG… are taken and change nothing)
  --verbose (record, replay): the line saying what was recorded or replayed even when stderr is not a
                                      terminal (without it, their stderr is what rewind run's is)
  rewind info run.rewind                                              describe a recording
  rewind gdb run.rewind|prog.elf [--port 1234] [--host ADDR] [--stdin FILE] [--output run.rewind [--force]] [-- ARG…]
                                                                      serve it to gdb, with reverse execution
  rewind mcp [run.rewind|prog.elf] [--stdin FILE] [--max-steps N]    serve it to agents (MCP on stdio)
  --date DATE (run, record, gdb, mcp on a program): the program's date at its start, ISO 8601, seconds
                                      since 1970 or now (the host's); default 2000-01-01T00:00:00Z
`;

function main(argv: string[]): number | Promise<number> {
  const [command, ...rest] = argv;
  keepCompilerMemory();
  // One program run once, then the process exits (emulator/cpu/wasm/warm-tiering.ts, emulator/run/youth.ts).
  if (command === 'run' || command === 'record' || command === 'replay') {
    expectOneRun();
    holdOptimizingWhileYoung();
  }
  switch (command) {
    case 'run':
      return runCommand(parseArgs(rest, ['stdin', 'max-steps', 'date'], ['stats', 'hash']));
    case 'record':
      return recordCommand(parseArgs(rest.map((a) => (a === '-o' ? '--o' : a)), ['o', 'output', 'stdin', 'max-steps', 'date'], ['force', 'verbose']));
    case 'replay':
      return replayCommand(parseArgs(rest, REPLAY_OPTIONS, ['verbose']));
    case 'info':
      return infoCommand(parseArgs(rest, [], []));
    case 'gdb':
      return loadCommand('gdb-command').gdbCommand(parseArgs(rest, ['port', 'host', 'stdin', 'output', 'date'], ['trace', 'force']));
    case 'mcp':
      endQuietlyWhenStdoutCloses();
      return loadCommand('mcp-command').mcpCommand(noProgramArgs(parseArgs(rest, ['stdin', 'max-steps', 'date'], []), 'rewind mcp takes no program arguments'));
    case undefined: case '--help': case '-h': case 'help':
      writeStdout(USAGE);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

function noProgramArgs(args: ParsedArgs, why: string): ParsedArgs {
  refuseProgramArgs(args, why);
  return args;
}

/**
 * The errors a user can act on (a file, a program or a recording that is not usable): a message and
 * status 1. Told by name, not class: gdb and mcp run from their own bundles (lazy-command.ts), whose
 * copies of these classes are not the ones this bundle has.
 */
const USER_ERRORS = new Set(['ProgramError', 'UserFileError', 'RecordingError']);

/** A usage or program error is a message and an exit status, never a stack trace. */
function fail(e: unknown): void {
  if ((e as NodeJS.ErrnoException | undefined)?.code === 'EPIPE') {
    // The reader of our output went away (`rewind run prog.elf | head`): stop quietly, as a shell tool does.
    process.exitCode = 141; // 128 + SIGPIPE, what the shell reports for such a tool
  } else if (e instanceof Error && e.name === 'UsageError') {
    process.stderr.write(`rewind: ${e.message}\n${USAGE}`);
    process.exitCode = 2;
  } else if (e instanceof Error && USER_ERRORS.has(e.name)) {
    process.stderr.write(`rewind: ${e.message}\n`);
    process.exitCode = 1;
  } else {
    // A bug of ours: one line for the user; the stack when asked for (REWIND_DEBUG=1).
    const error = e instanceof Error ? e : new Error(String(e));
    process.stderr.write(`rewind: internal error: ${error.message} (a bug in Rewind; run with REWIND_DEBUG=1 to see where)\n`);
    if (process.env.REWIND_DEBUG) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 70;
  }
}

/**
 * The MCP server writes to process.stdout, asynchronously: a write to a closed pipe fails there, not at
 * the write, and nothing more can be shown. The other commands write at once (terminal-write.ts) and
 * never create process.stdout, which costs ~3 ms of their start.
 */
function endQuietlyWhenStdoutCloses(): void {
  process.stdout.on('error', (e) => {
    fail(e);
    process.exit();
  });
}

try {
  const status = main(process.argv.slice(2));
  // `rewind run`, `record` and `replay` have written everything (synchronously; an index record or
  // replay writes is flushed and in place when they return) and left nothing running: they exit at once,
  // without V8's teardown of its heap and compiled code (whole-process CPU, medians of interleaved runs on
  // the loaded 2-core machine: hello 0.200 -> 0.190 s, mathlib 0.685 -> 0.665), nor its wait for
  // optimizing compiles still running on other threads (record left it to Node's exit: 25-170 ms of wall
  // time after its last line). process.exit itself still joins V8's worker threads, each finishing the
  // compile it is on: cli/exit-at-once.ts ends the process without that wait when one is running.
  const exitsAtOnce = process.argv[2] === 'run' || process.argv[2] === 'record' || process.argv[2] === 'replay';
  // A run past its first slice (cli/run-slices.ts) ends in a promise.
  if (typeof status !== 'number') status.then((code) => { if (exitsAtOnce) exitAtOnce(code); process.exitCode = code; }, fail);
  else if (exitsAtOnce) exitAtOnce(status);
  else process.exitCode = status;
} catch (e) {
  fail(e);
}
