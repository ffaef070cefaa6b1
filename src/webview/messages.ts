/**
 * The messages between the extension and its webviews (the timeline in the Replay Timeline view and the
 * value-history plot), declared once for both sides. Plain data only: the webviews run in a browser
 * frame and import nothing of VS Code.
 */
import type { TimelineEvent, TimelineEventKind, ValueSample } from '../../adapter/custom-requests';

/** Each kind of timeline event's number in `TimelineColumns.kinds` (a record, so that no kind is missed). */
const KIND_NUMBER: Record<TimelineEventKind, number> = { output: 0, input: 1, trap: 2, interrupt: 3, exit: 4, breakpoint: 5, logpoint: 6, stepBreakpoint: 7, bookmark: 8 };
/** Every kind of timeline event, by its number. */
export const TIMELINE_KINDS: readonly TimelineEventKind[] = (Object.keys(KIND_NUMBER) as TimelineEventKind[]).sort((a, b) => KIND_NUMBER[a] - KIND_NUMBER[b]);

/**
 * The timeline's events as columns: event i is at `steps[i]`, of kind `TIMELINE_KINDS[kinds[i]]`, with
 * the text `texts[textOf[i]]` (repeated texts, like a logpoint's place, are sent once). A message clones
 * typed arrays in one copy, where 200,000 event objects took a second to clone into the page.
 */
export interface TimelineColumns {
  steps: Float64Array;
  kinds: Uint8Array;
  textOf: Uint32Array;
  texts: string[];
}

export function timelineColumns(events: readonly TimelineEvent[]): TimelineColumns {
  const textNumber = new Map<string, number>();
  const columns: TimelineColumns = { steps: new Float64Array(events.length), kinds: new Uint8Array(events.length), textOf: new Uint32Array(events.length), texts: [] };
  events.forEach((e, i) => {
    columns.steps[i] = e.step;
    columns.kinds[i] = KIND_NUMBER[e.kind];
    let t = textNumber.get(e.text);
    if (t === undefined) {
      t = columns.texts.push(e.text) - 1;
      textNumber.set(e.text, t);
    }
    columns.textOf[i] = t;
  });
  return columns;
}

export type TimelineToPage =
  | { type: 'timeline'; lastStep: number; events: TimelineColumns }
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
