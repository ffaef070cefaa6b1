/**
 * A GDB stub serving a recording of one of the examples, in this process, on a free port. The recording
 * is made with the real recorder and written to a file, which the stub reads like `rewind gdb` does, so
 * that a test can check the file is untouched afterwards.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { ScriptedOutside } from '../../emulator/outside';
import { Recorder } from '../../emulator/replay/recorder';
import { decodeRecording } from '../../emulator/replay/recording-format';
import { ReplayEngine } from '../../emulator/replay/engine';
import { GdbServer } from '../../gdb/gdb-server';
import { scratchDir } from '../support/toolchain';

export const EXAMPLES = join(__dirname, '..', '..', '..', 'examples');
export const exampleElf = (name: string): string => join(EXAMPLES, name, `${name}.elf`);

/**
 * Records `elf` (with `stdin` as its input) to a file in the scratch folder; returns the path. The
 * program's command line (argv[0] through semihosting) is `programName`, the file name by default.
 */
export function recordToFile(elf: string, stdin = '', maxSteps = Infinity, programName = elf.split('/').pop()!): string {
  const chunks: Uint8Array[] = [];
  const recorder = new Recorder(readFileSync(elf), programName, new ScriptedOutside(Buffer.from(stdin)),
    { write: () => undefined }, (b) => chunks.push(b.slice()));
  recorder.finish(recorder.run(maxSteps));
  const path = join(scratchDir(), `${elf.split('/').pop()}-${process.pid}-${Date.now()}.rewind`);
  writeFileSync(path, Buffer.concat(chunks));
  return path;
}

export const fileHash = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

export interface Stub {
  port: number;
  engine: ReplayEngine;
  server: GdbServer;
  log: string[];
  /** Waits until the stub has logged `count` disconnections in all (its session is then fully over). */
  disconnections(count: number): Promise<void>;
  close(): Promise<void>;
}

/** `trace` logs every packet into `log` (see SessionOptions.trace). */
export async function startStub(recordingPath: string, trace = false): Promise<Stub> {
  const engine = new ReplayEngine(decodeRecording(readFileSync(recordingPath)));
  const log: string[] = [];
  const server = new GdbServer(engine, { recordingName: recordingPath.split('/').pop()!, log: (l) => log.push(l), trace });
  const address = await server.listen(0, '127.0.0.1');
  const disconnections = async (count: number): Promise<void> => {
    const deadline = Date.now() + 60_000;
    while (log.filter((l) => l.startsWith('gdb disconnected')).length < count) {
      if (Date.now() > deadline) throw new Error(`the stub did not see the client go within 60 s; its log:\n${log.join('\n')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { port: address.port, engine, server, log, disconnections, close: () => server.close() };
}
