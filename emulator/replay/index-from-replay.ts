/**
 * A snapshot index for a recording that has none (made before indexes existed, or by a live session):
 * a session that has replayed the whole recording from step 0 holds snapshots at its checkpoints and
 * has seen all of its console output, which is what an index is. Written once, when the session ends,
 * so that the next open of the recording starts near where it goes.
 */
import { ConsoleSink } from '../outside';
import { ReplayEngine } from './engine';
import { IndexSink } from './index-recorder';
import { profileOf } from '../cpu/region-profile';
import { OutputLog } from './output-log';

/** Console output as the session first shows it, with the step that printed it (up to the index's budget). */
export class OutputTranscript implements ConsoleSink {
  readonly log = new OutputLog();

  constructor(private readonly next: ConsoleSink, private readonly stepNow: () => number) {}

  write(stream: 'stdout' | 'stderr', bytes: Uint8Array, step?: number): void {
    this.next.write(stream, bytes, step);
    this.log.add(step ?? this.stepNow(), stream, bytes);
  }
}

/**
 * Writes the index when the session has run the whole (complete) recording from step 0 without an
 * index; otherwise discards `sink`. True when an index was written.
 */
export function writeIndexFromReplay(engine: ReplayEngine, transcript: OutputTranscript, sink: IndexSink): boolean {
  const r = engine.recording;
  // An index that was used (even in part) made the session skip output it would have to keep.
  if (!r.end || (engine.index && (engine.index.adopted > 0 || !engine.index.unusable)) || engine.furthestRun < r.end.step || transcript.log.overflow) {
    sink.abandon();
    return false;
  }
  const writer = sink.writer;
  for (const o of transcript.log.before(Infinity)) writer.output(o.step, o.stream, o.bytes);
  const steps = new Set([...r.checkpoints.map((c) => c.step), r.end.step]);
  const end = r.end.step;
  for (const { snapshot, pages } of engine.snapshots.export(steps, (count, step) => writer.accepts(count, step === end, step))) {
    writer.entry(snapshot.step, snapshot.hash, snapshot.core, pages);
  }
  if (writer.entryCount === 0) {
    sink.abandon();
    return false;
  }
  sink.finish({ programHash: r.programHash, endStep: r.end.step, endHash: r.end.hash }, profileOf(engine.machine.code.store.blocks));
  return true;
}
