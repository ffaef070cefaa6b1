/**
 * The adapter's edge toward the client: nothing a client sends ends or wedges the session. Bytes are read
 * by `ClientMessages` (a malformed message becomes a line in the Debug Console, or an error response when
 * it had a seq to answer), arguments are checked before any handler (`argumentsProblem`), and an error
 * answer is one sentence: never a JavaScript stack, never a file path of the adapter's own.
 *
 * A `DebugSession`, not the library's `LoggingDebugSession`: that one queues the JSON of every message
 * it sends and receives in its logger until someone sets the logger up, so a long session or an output
 * flood grew the adapter by the size of everything it ever said (a 100 MiB flood: 375 MB).
 */
import { PassThrough } from 'node:stream';
import { DebugSession, OutputEvent, Response } from '@vscode/debugadapter';
import { DebugProtocol } from '@vscode/debugprotocol';
import { ClientMessages } from './client-messages';
import { argumentsProblem } from './request-arguments';

/** Unread messages beyond this: the client is behind (the program's output then waits, and is thinned). */
const CLIENT_BEHIND_BYTES = 4 << 20;

export abstract class ProtocolEdge extends DebugSession {
  private transport?: NodeJS.WritableStream & { writableLength?: number };
  private readonly reader = new ClientMessages();

  constructor() {
    super();
    // A client's event named "error" is emitted as one: without a listener, the emitter would throw.
    this.on('error', () => undefined);
  }

  start(inStream: NodeJS.ReadableStream, outStream: NodeJS.WritableStream): void {
    this.transport = outStream;
    // The library's own reader ends the process on the first message it cannot parse: ours reads instead.
    super.start(new PassThrough(), outStream);
    inStream.on('data', (chunk: Buffer) => this.received(chunk));
    inStream.on('close', () => this.shutdown());
    inStream.on('error', () => this.shutdown());
    inStream.resume();
  }

  /** False while the client has not read what was sent. */
  protected get clientKeepsUp(): boolean {
    return (this.transport?.writableLength ?? 0) < CLIENT_BEHIND_BYTES;
  }

  private received(chunk: Buffer): void {
    for (const r of this.reader.push(chunk)) {
      if ('message' in r) {
        try {
          this.handleMessage(r.message);
        } catch (e) {
          this.console(`Rewind: a ${(r.message as DebugProtocol.Request).command ?? ''} message failed: ${oneLine(e)}\n`);
        }
      } else if (r.request) {
        this.sendErrorResponse(new Response(r.request), { id: 1030, format: r.problem });
      } else {
        this.console(`Rewind: ${r.problem}.\n`);
      }
    }
  }

  protected dispatchRequest(request: DebugProtocol.Request): void {
    const problem = argumentsProblem(request.command, request.arguments);
    if (problem) return this.sendErrorResponse(new Response(request), { id: 1031, format: problem });
    // Handlers may read their arguments without checking that there are any.
    request.arguments ??= {};
    super.dispatchRequest(request);
  }

  /** The library answers a handler's exception with its stack ("{_stack}"): here, with its message only. */
  protected sendErrorResponse(response: DebugProtocol.Response, codeOrMessage: number | DebugProtocol.Message, format?: string, variables?: { _exception?: string }, dest?: number): void {
    if (typeof codeOrMessage === 'number' && format === '{_stack}') {
      return this.sendErrorResponse(response, { id: codeOrMessage, format: `${response.command} failed: ${oneLine(variables?._exception)}` });
    }
    // Variables given, so that braces in the text (a user's own "{x}") are left as they are.
    if (typeof codeOrMessage === 'number') return super.sendErrorResponse(response, codeOrMessage, format, variables ?? {}, dest);
    super.sendErrorResponse(response, { ...codeOrMessage, variables: codeOrMessage.variables ?? {} });
  }

  /** Runs an asynchronous handler: a failure becomes an error answer (or, once answered, a console line). */
  protected guard(response: DebugProtocol.Response, work: () => Promise<void>): void {
    work().catch((e: unknown) => {
      if (response.seq === 0) this.sendErrorResponse(response, { id: 1032, format: `${response.command} failed: ${oneLine(e)}` });
      else this.console(`Rewind: ${response.command} failed: ${oneLine(e)}\n`);
    });
  }

  /** A message from Rewind itself in the Debug Console. */
  protected console(text: string): void {
    this.sendEvent(new OutputEvent(text, 'console'));
  }
}

/** An error as one line: its message (without a stack, whatever was thrown). */
function oneLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e ?? 'an unknown error');
  return text.split('\n')[0];
}
