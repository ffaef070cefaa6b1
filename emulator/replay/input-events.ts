/**
 * The input events of a `.rewind` file ('E' chunks), written and read under one set of limits, so that
 * whatever the writer writes its reader reads back:
 *
 *   payload = varint count | per event: varint step delta (from the previous event in the file, the
 *             first from 0) | kind byte | payload
 *     kind 1 console input: blob bytes (empty = end of input)
 *     kind 2 UART byte the guest read (it polled): 1 byte
 *     kind 3 date: varint seconds, the guest's date at the start (SYS_TIME adds the seconds of its steps)
 *     kind 4 part of a console input: blob bytes, continued by the next event (kind 4 or 1) at the same
 *            step (delta 0). A guest may read more in one call than one field holds (a read of 3 MiB from
 *            a file given as stdin): the writer splits it, the reader joins it.
 *     kind 5 UART byte that arrived by itself, for a guest waiting for the receive interrupt: 1 byte
 *
 * The writer starts a new chunk before a payload passes `EVENT_CHUNK_BYTES` or holds `EVENT_CHUNK_COUNT`
 * events, so that every chunk stays far below the reader's chunk limit.
 */
import { ByteReader, ByteWriter, FormatError } from './bytes';

export type InputEvent =
  | { step: number; kind: 'console'; bytes: Uint8Array }
  /** `arrived`: the byte came by itself (the guest waited for the receive interrupt), not at a read. */
  | { step: number; kind: 'uart'; byte: number; arrived?: boolean }
  | { step: number; kind: 'clock'; seconds: number };

/** The largest console input field; a larger input is written as several parts at the same step. */
export const CONSOLE_FIELD_BYTES = 1 << 20;
/** A chunk of events is closed before its payload passes this (the reader accepts chunks up to 64 MiB). */
export const EVENT_CHUNK_BYTES = 4 << 20;
export const EVENT_CHUNK_COUNT = 1 << 16;

const CONSOLE = 1, UART = 2, CLOCK = 3, CONSOLE_PART = 4, UART_ARRIVED = 5;

/**
 * The payloads of the 'E' chunks for `events`, each passed to `emit` as its count of events and the
 * bytes after it (a writer that `emit` must copy from: it is emptied for the next payload);
 * `previousStep` is the step of the last event already in the file.
 */
export function encodeEventPayloads(events: readonly InputEvent[], previousStep: number, emit: (count: number, body: ByteWriter) => void): void {
  const body = new ByteWriter();
  let count = 0;
  let last = previousStep;
  const close = (): void => {
    if (count === 0) return;
    emit(count, body);
    body.length = 0;
    count = 0;
  };
  const add = (step: number, write: (w: ByteWriter) => void, size: number): void => {
    if (count > 0 && (count >= EVENT_CHUNK_COUNT || body.length + size > EVENT_CHUNK_BYTES)) close();
    body.varint(step - last);
    last = step;
    write(body);
    count++;
  };
  for (const e of events) {
    if (e.kind === 'console') {
      // At least one field, even for the empty input (end of input).
      for (let from = 0; from === 0 || from < e.bytes.length; from += CONSOLE_FIELD_BYTES) {
        const part = e.bytes.subarray(from, from + CONSOLE_FIELD_BYTES);
        const kind = from + CONSOLE_FIELD_BYTES < e.bytes.length ? CONSOLE_PART : CONSOLE;
        add(e.step, (w) => w.byte(kind).blob(part), part.length + 16);
      }
    } else if (e.kind === 'uart') {
      add(e.step, (w) => w.byte(e.arrived ? UART_ARRIVED : UART).byte(e.byte), 16);
    } else {
      add(e.step, (w) => w.byte(CLOCK).varint(Math.max(0, Math.floor(e.seconds))), 16);
    }
  }
  close();
}

/**
 * Reads 'E' chunks in file order. A chunk counts only if all of it decodes, so `chunk` returns its
 * events and changes nothing until `commit`; a console input split across chunks is held until its
 * last part arrives.
 */
export class EventDecoder {
  private lastStep = 0;
  private any = false;
  /** The parts of a console input whose last part has not been read yet. */
  private open: { step: number; parts: Uint8Array[] } | undefined;
  private staged: { lastStep: number; any: boolean; open: EventDecoder['open'] } | undefined;

  /** The events a chunk completes (events whose parts continue into the next chunk come later). */
  chunk(payload: Uint8Array, where: string): InputEvent[] {
    const r = new ByteReader(payload, where);
    const count = r.varint();
    if (count > payload.length) throw new FormatError(`${where} claims ${count} events`);
    const events: InputEvent[] = [];
    let step = this.lastStep;
    let any = this.any;
    let open = this.open && { step: this.open.step, parts: [...this.open.parts] };
    for (let i = 0; i < count; i++) {
      const next = step + r.varint();
      if (!Number.isSafeInteger(next)) throw new FormatError(`${where} names step ${next}, beyond any recording`);
      const kind = r.byte();
      if (open !== undefined) {
        if (next !== open.step || (kind !== CONSOLE && kind !== CONSOLE_PART)) {
          throw new FormatError(`${where}: the console input at step ${open.step} is cut off`);
        }
      } else if (any && next <= step) {
        throw new FormatError(`two input events at step ${next}`);
      }
      step = next;
      any = true;
      if (kind === CONSOLE || kind === CONSOLE_PART) {
        const bytes = r.blob(CONSOLE_FIELD_BYTES);
        if (kind === CONSOLE_PART) {
          open ??= { step, parts: [] };
          open.parts.push(bytes);
          continue;
        }
        events.push({ step, kind: 'console', bytes: open ? join([...open.parts, bytes]) : bytes });
        open = undefined;
      } else if (kind === UART) {
        events.push({ step, kind: 'uart', byte: r.byte() });
      } else if (kind === UART_ARRIVED) {
        events.push({ step, kind: 'uart', byte: r.byte(), arrived: true });
      } else if (kind === CLOCK) {
        events.push({ step, kind: 'clock', seconds: r.varint() });
      } else {
        throw new FormatError(`unknown input event kind ${kind}`);
      }
    }
    this.staged = { lastStep: step, any, open };
    return events;
  }

  /** The chunk last decoded counts. */
  commit(): void {
    if (this.staged) ({ lastStep: this.lastStep, any: this.any, open: this.open } = this.staged);
    this.staged = undefined;
  }

  /** The step of a console input that was never finished (its recorder died while writing it). */
  get unfinishedInputStep(): number | undefined {
    return this.open?.step;
  }
}

function join(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) { out.set(p, offset); offset += p.length; }
  return out;
}
