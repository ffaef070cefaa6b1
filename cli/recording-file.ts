/** Reads a `.rewind` file from disk, with errors a user can act on. */
import { decodeRecording, Recording, RecordingError } from '../emulator/replay/recording-format';
import { ProgramError, readUserFile } from './load-program';
import { RECORDING_FILE_LIMIT } from '../debugger/user-files';

export function readRecording(path: string): Recording {
  const bytes = readUserFile(path, '', RECORDING_FILE_LIMIT);
  try {
    return decodeRecording(bytes);
  } catch (e) {
    if (e instanceof RecordingError) throw new ProgramError(`${path}: ${e.message}`);
    throw e;
  }
}
