// Types of scripts/code-server.mjs for the end-to-end tests, which import it at run time.
export const CACHE: string;
export const NODE24: string;
export const ENTRY: string;
export function ensureCodeServer(): void;
export interface CodeServer {
  /** http://127.0.0.1:PORT */
  url: string;
  /** The throwaway user data folder (logs are under it). */
  userData: string;
  /** The address that opens `folder` as the workspace. */
  folderUrl(folder: string): string;
  /** Everything code-server printed so far. */
  log(): string;
  /** Ends code-server's whole process group and removes its throwaway folders. */
  stop(): Promise<void>;
}
export function startCodeServer(options: { vsix: string; settings?: Record<string, unknown>; quiet?: boolean }): Promise<CodeServer>;
