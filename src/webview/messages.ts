/**
 * The messages between the extension and its webviews (the timeline in the Replay Timeline view and the
 * value-history plot), declared once for both sides. Plain data only: the webviews run in a browser
 * frame and import nothing of VS Code.
 */
import type { TimelineEvent, ValueSample } from '../../adapter/custom-requests';

export type TimelineToPage =
  | { type: 'timeline'; lastStep: number; events: TimelineEvent[] }
  /** Where the session is now, and whether it is moving. */
  | { type: 'now'; step: number; stopped: boolean }
  /** A sentence instead of the strip: no session, a query under way, or what went wrong. */
  | { type: 'status'; text: string };

export type ValuePlotToPage =
  | { type: 'history'; label: string; samples: ValueSample[]; lastStep: number; sampled: boolean }
  | { type: 'now'; step: number };

/** From either page: the page has loaded, or the user chose a step. */
export type PageToExtension =
  | { type: 'ready' }
  | { type: 'seek'; step: number };
