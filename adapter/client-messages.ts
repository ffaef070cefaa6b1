/**
 * The client's byte stream as DAP messages (`Content-Length: N` header, blank line, N bytes of JSON).
 * Whatever arrives, reading goes on: a header without a length, bytes that are not JSON, a body that is
 * not an object become a problem (a sentence, with the request's seq when there is one to answer), and the
 * next well-formed message is read as usual. Memory is bounded by the largest message allowed.
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import { countText } from '../debugger/count-text';

/** The largest message taken (a setBreakpoints with thousands of lines is far below it). */
export const MAX_MESSAGE_BYTES = 16 << 20;
/** A header is a line or two; bytes without a blank line within this are not a header. */
const MAX_HEADER_BYTES = 4096;
const BLANK_LINE = '\r\n\r\n';

export type Received =
  | { message: DebugProtocol.ProtocolMessage }
  /** `request` when the problem can be answered: the message had a seq and a command. */
  | { problem: string; request?: DebugProtocol.Request };

export class ClientMessages {
  private buffered = Buffer.alloc(0);
  /** The body's length once its header is read; -1 while looking for a header. */
  private bodyLength = -1;
  private parts: Buffer[] = [];
  private partsLength = 0;
  /** Bytes of an oversized body still to be skipped. */
  private skipping = 0;

  /** The messages (and problems) completed by this chunk, in order. */
  push(chunk: Buffer): Received[] {
    const out: Received[] = [];
    if (this.skipping > 0) {
      const skipped = Math.min(this.skipping, chunk.length);
      this.skipping -= skipped;
      chunk = chunk.subarray(skipped);
    }
    // A long body arrives in many chunks: they are joined once, when it is whole.
    if (this.bodyLength >= 0 && this.buffered.length + this.partsLength + chunk.length < this.bodyLength) {
      this.parts.push(chunk);
      this.partsLength += chunk.length;
      return out;
    }
    this.buffered = Buffer.concat([this.buffered, ...this.parts, chunk]);
    this.parts = [];
    this.partsLength = 0;
    for (;;) {
      if (this.bodyLength >= 0) {
        if (this.buffered.length < this.bodyLength) break;
        out.push(parse(this.buffered.subarray(0, this.bodyLength)));
        this.buffered = this.buffered.subarray(this.bodyLength);
        this.bodyLength = -1;
        continue;
      }
      const end = this.buffered.indexOf(BLANK_LINE);
      if (end < 0) {
        if (this.buffered.length > MAX_HEADER_BYTES) {
          out.push({ problem: `ignored ${countText(this.buffered.length)} bytes that are not a DAP message (no "Content-Length: N" header followed by a blank line)` });
          this.buffered = this.buffered.subarray(this.buffered.length - (BLANK_LINE.length - 1));
        }
        break;
      }
      const header = this.buffered.subarray(0, end).toString('latin1');
      this.buffered = this.buffered.subarray(end + BLANK_LINE.length);
      const problem = this.readHeader(header);
      if (problem) out.push({ problem });
      if (this.skipping > 0) {
        const skipped = Math.min(this.skipping, this.buffered.length);
        this.skipping -= skipped;
        this.buffered = this.buffered.subarray(skipped);
      }
    }
    if (this.buffered.length === 0) this.buffered = Buffer.alloc(0);
    return out;
  }

  /** Takes the body's length from a header; says what is wrong with one that has none. */
  private readHeader(header: string): string | undefined {
    // Bytes before "Content-Length" (the body of an earlier message without a length, say) are skipped.
    const at = header.search(/Content-Length:/i);
    if (at < 0) return `ignored a message whose header has no "Content-Length: N" (${JSON.stringify(header.slice(0, 60))})`;
    const length = /^Content-Length: *(\d+) *(\r\n|$)/i.exec(header.slice(at));
    const n = length ? Number(length[1]) : NaN;
    if (!Number.isSafeInteger(n)) return `ignored a message whose "Content-Length" is not a number of bytes (${JSON.stringify(header.slice(at, at + 60))})`;
    if (n > MAX_MESSAGE_BYTES) {
      this.skipping = n;
      return `ignored a message of ${countText(n)} bytes: the most a message may have is ${countText(MAX_MESSAGE_BYTES)}`;
    }
    this.bodyLength = n;
    return at > 0 ? `ignored ${countText(at)} bytes before a message header` : undefined;
  }
}

/** A body as a message; a problem when it is not JSON, not an object, or a request without a command. */
function parse(body: Buffer): Received {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return { problem: `ignored a message that is not JSON (${countText(body.length)} bytes: ${JSON.stringify(body.subarray(0, 40).toString('utf8'))}${body.length > 40 ? '…' : ''})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problem: `ignored a message that is not a JSON object but ${value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`}` };
  }
  const m = value as Partial<DebugProtocol.Request>;
  const seq = typeof m.seq === 'number' && Number.isSafeInteger(m.seq) ? m.seq : undefined;
  if (m.type === 'response') return { message: m as DebugProtocol.ProtocolMessage };
  if (m.type !== 'request') {
    const problem = `ignored a message of type ${JSON.stringify(m.type ?? null)}: a debug adapter takes requests`;
    return seq === undefined ? { problem } : { problem, request: { seq, type: 'request', command: typeof m.command === 'string' ? m.command : '' } };
  }
  if (typeof m.command !== 'string' || m.command === '') {
    const problem = 'ignored a request without a "command" (a string)';
    return seq === undefined ? { problem } : { problem, request: { seq, type: 'request', command: '' } };
  }
  if (seq === undefined) return { problem: `ignored a ${JSON.stringify(m.command).slice(0, 60)} request without a "seq" (a whole number) to answer to` };
  return { message: m as DebugProtocol.Request };
}
