/**
 * How every tool answers: its result as JSON twice (structured, for programs, and as text, for models and
 * clients that read only text), or a tool error whose text is one sentence. The core's long operations
 * get MCP progress notifications and the request's cancellation.
 */
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { Control } from '../emulator/replay/engine';

/** A problem with the question (not with the server): answered as a tool error. */
export class ToolError extends Error {}

export type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export type Json = { [key: string]: unknown };

export function jsonResult(value: Json): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
}

export function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/**
 * Progress and cancellation of one tool call for the core: progress goes to the client when it asked for
 * it (a progress token), and a cancelled request stops the operation at its next slice.
 */
export function controlOf(extra: Extra): Control {
  const token = extra._meta?.progressToken;
  return {
    cancelled: () => extra.signal.aborted,
    progress: (done, total) => {
      if (token === undefined) return;
      void extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: done, ...(total > 0 ? { total } : {}) } })
        .catch(() => undefined);
    },
  };
}

/**
 * Runs tool calls one at a time, in the order they came: the session has one current step, and a core
 * operation moves it, so two must never interleave. A thrown error becomes a tool error.
 */
export class OneAtATime {
  private tail: Promise<unknown> = Promise.resolve();

  run(answer: () => Promise<Json> | Json): Promise<CallToolResult> {
    const result = this.tail.then(async () => {
      try {
        return jsonResult(await answer());
      } catch (e) {
        return errorResult(sentence(e));
      }
    });
    this.tail = result;
    return result;
  }
}

/** The error's sentence, on one line (the core's messages are sentences already). */
function sentence(e: unknown): string {
  const text = (e instanceof Error ? e.message : String(e)).trim().replace(/\s+/g, ' ');
  return text || 'the operation failed for an unknown reason';
}
