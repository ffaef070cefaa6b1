/** Reads a `.rewind` file from disk, with errors a user can act on. */
import { decodeRecording, Recording, RecordingError } from '../emulator/replay/recording-format';
import { ProgramError } from './load-program';
import { readRecordingFile, RECORDING_FILE_LIMIT, UserFileError } from '../debugger/user-files';

export function readRecording(path: string): Recording {
  let file: { bytes: Uint8Array; size: number };
  try {
    file = readRecordingFile(path, RECORDING_FILE_LIMIT, 'the file');
  } catch (e) {
    if (!(e instanceof UserFileError)) throw e;
    throw new ProgramError(e.problem === 'missing' ? `no such file: ${path}` : e.message);
  }
  try {
    return { ...decodeRecording(file.bytes), sizeBytes: file.size };
  } catch (e) {
    if (e instanceof RecordingError) throw new ProgramError(`${path}: ${e.message}`);
    throw e;
  }
}
