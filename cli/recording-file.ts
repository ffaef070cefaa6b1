/** Reads a `.rewind` file from disk, with errors a user can act on. */
import { readFileSync } from 'node:fs';
import { decodeRecording, Recording, RecordingError } from '../emulator/replay/recording-format';
import { ProgramError } from './load-program';

export function readRecording(path: string): Recording {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ProgramError(code === 'ENOENT' ? `no such file: ${path}` : `cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return decodeRecording(bytes);
  } catch (e) {
    if (e instanceof RecordingError) throw new ProgramError(`${path}: ${e.message}`);
    throw e;
  }
}
