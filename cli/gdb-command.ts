/**
 * `rewind gdb run.rewind [--port 1234] [--host 127.0.0.1]`: serves a recording to gdb (or any GDB
 * front end) with reverse execution, like `qemu-system-* -icount rr=replay -s -S`.
 * `rewind gdb prog.elf [--stdin FILE] [--output run.rewind] [--date DATE] [-- ARG…]`: a live session instead: the program runs
 * under gdb and is recorded as it runs, so every reverse command works on what has run so far.
 *
 * The stub binds to 127.0.0.1 unless --host says otherwise: it gives whoever connects the whole
 * history of the program, so it is not offered to the network by default.
 */
import { RecordingOutput } from '../debugger/user-files';
import { basename } from 'node:path';
import { ParsedArgs, UsageError, integerOption, refuseProgramArgs } from './args';
import { BufferedConsole } from './console-sink';
import { commandLineOf, isElf, readProgram, readUserFile, startDate } from './load-program';
import { readRecording } from './recording-file';
import { ReplayEngine } from '../emulator/replay/engine';
import { GdbServer } from '../gdb/gdb-server';

export function gdbCommand(args: ParsedArgs): number {
  const [path] = args.positional;
  if (!path) throw new UsageError('rewind gdb needs a recording or a program: rewind gdb run.rewind [--port 1234]');
  const port = integerOption(args, 'port') ?? 1234;
  if (port > 65535) throw new UsageError(`--port must be a TCP port (0–65535), not ${port}`);
  const hostOption = args.options.get('host');
  const host = typeof hostOption === 'string' ? hostOption : '127.0.0.1';
  const sink = new BufferedConsole();
  const console = { write: (stream: 'stdout' | 'stderr', bytes: Uint8Array) => { sink.write(stream, bytes); sink.flush(); } };
  const log = (line: string): void => { process.stderr.write(`rewind gdb: ${line}\n`); };

  let engine: ReplayEngine;
  let name: string;
  if (isElf(path)) {
    const { bytes } = readProgram(path);
    const stdinFile = args.options.get('stdin');
    const output = args.options.get('output');
    let append: ((b: Uint8Array) => void) | undefined;
    if (typeof output === 'string') {
      append = new RecordingOutput(output, args.options.has('force'), 'pass --force to replace it').append;
    }
    engine = ReplayEngine.live({
      program: bytes, programName: basename(path), commandLine: commandLineOf(path, args.programArgs), date: startDate(args), console, append,
      stdin: typeof stdinFile === 'string' ? readUserFile(stdinFile, 'input ') : undefined,
    });
    if (typeof stdinFile !== 'string') {
      // Input typed in this terminal goes to the program when it asks (recorded like any input).
      process.stdin.on('data', (data: Buffer) => { if (engine.live) engine.sendInput(data); });
      process.stdin.on('error', () => undefined);
    }
    name = basename(path);
  } else {
    if (args.options.has('date')) throw new UsageError('--date is for a live session on a program (rewind gdb prog.elf); a recording has its date already');
    if (args.options.has('stdin') || args.options.has('output') || args.options.has('force')) {
      throw new UsageError('--stdin and --output are for a live session on a program (rewind gdb prog.elf); a recording has its input already');
    }
    refuseProgramArgs(args, 'program arguments (-- ARG…) are for a live session on a program (rewind gdb prog.elf -- ARG…); a recording replays with the command line it was recorded with');
    const recording = readRecording(path);
    if (recording.recovery) log(`${path}: ${recording.recovery}`);
    if (recording.programMismatch) log(`${path}: ${recording.programMismatch}`);
    engine = new ReplayEngine(recording, { console });
    name = basename(path);
  }

  const server = new GdbServer(engine, { recordingName: name, log, trace: args.options.has('trace') });
  server.listen(port, host).then((address) => {
    log(`serving ${name} (${engine.live ? 'live, recording as it runs' : `${engine.lastStep.toLocaleString('en-US')} steps`}) on ${address.address}:${address.port}`);
    log(`connect with: gdb-multiarch -ex 'set architecture riscv:rv32' -ex 'target remote ${address.address}:${address.port}' ${engine.live ? path : '<the program ELF>'}`);
  }, (e: NodeJS.ErrnoException) => {
    const why = e.code === 'EADDRINUSE' ? `port ${port} is in use (choose another with --port)` : e.message;
    log(`cannot listen on ${host}:${port}: ${why}`);
    process.exitCode = 1;
    process.stdin.destroy();
  });
  const stop = (): void => {
    log('stopping');
    void (async () => {
      if (engine.live) await engine.finishLive();
      await server.close();
      process.exit(0);
    })();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return 0;
}
