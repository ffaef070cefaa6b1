/**
 * What the replay engine is opened with (options), what a long operation is given (progress and
 * cancellation) and what a run or step ends with (the stop): the engine's vocabulary, for its callers.
 */
import { StopReason, Watchpoint } from '../machine';
import { ConsoleSink } from '../outside';
import { SnapshotIndex } from './snapshot-index';

export interface EngineOptions {
  /** Memory for snapshots (default 512 MiB). */
  snapshotMemoryBytes?: number;
  /** Steps between automatic snapshots while running forward (default 2,000,000). */
  snapshotInterval?: number;
  /**
   * Most snapshots kept (default 10,000). Each costs a few KB beyond the pages the budget counts: an idle
   * program run for billions of steps would otherwise fill the budget with near-empty snapshots.
   */
  maxSnapshots?: number;
  /**
   * Where the guest's console output goes. Output is passed on once per step of history: replaying steps
   * that already ran (after going back) prints nothing again.
   */
  console?: ConsoleSink;
  /** Full states kept beside the recording (`.rewind.index`), checked before use; `say` hears once why one is not used. */
  snapshotIndex?: SnapshotIndex;
  say?: (text: string) => void;
}

/** Progress and cancellation for a long operation. */
export interface Control {
  progress?(done: number, total: number): void;
  cancelled?(): boolean;
}

export type EngineStop =
  | { reason: 'step' }
  | { reason: 'breakpoint'; address: number }
  | { reason: 'stepBreakpoint'; step: number }
  | { reason: 'watchpoint'; address: number; size: number; access: 'read' | 'write'; pc: number; watch: Watchpoint }
  | { reason: 'trap'; mcause: number; pc: number }
  | { reason: 'start' }
  | { reason: 'end'; exit?: StopReason }
  /** Live only: the program waits for input the user has not typed yet. */
  | { reason: 'input' }
  | { reason: 'cancelled' };
