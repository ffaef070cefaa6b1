/**
 * Document URIs and file paths. The client names open documents by URI (VS Code percent-encodes more
 * than Node does, e.g. `c%3A` for a Windows drive); files found by scanning the workspace have paths.
 * Both are keyed by their file path so that an opened file replaces its scanned copy in the index.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export const pathToUri = (path: string): string => pathToFileURL(path).href;

/** The key of a document in the index: its path for files (drive letter lower-cased), else the URI. */
export function documentKey(uri: string): string {
  const path = uriToPath(uri);
  if (path === undefined) return uri;
  return process.platform === 'win32' ? path.replace(/^[A-Z]:/, (drive) => drive.toLowerCase()) : path;
}
