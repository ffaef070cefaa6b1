/**
 * The arguments each DAP request must have, checked before any handler runs, so that a request with
 * missing or mistyped arguments is answered with one sentence that names the argument (never with a
 * JavaScript error from deep inside a handler). Requests not listed here take any arguments.
 */

/** What an argument must be; a name ending in `?` is optional. A nested shape is an object, `[shape]` a list of them. */
type Kind = 'string' | 'integer' | 'count' | 'number' | 'boolean' | 'object' | 'strings' | 'integers' | 'list' | 'address' | Shape | [Shape];
interface Shape {
  [name: string]: Kind;
}

const THREAD: Shape = { 'threadId?': 'integer', 'granularity?': 'string', 'singleThread?': 'boolean' };
const CONDITIONS: Shape = { 'condition?': 'string', 'hitCondition?': 'string' };
const SOURCE: Shape = { 'path?': 'string', 'name?': 'string', 'sourceReference?': 'integer' };

const REQUESTS: Record<string, Shape> = {
  initialize: { 'adapterID?': 'string', 'linesStartAt1?': 'boolean', 'columnsStartAt1?': 'boolean', 'pathFormat?': 'string' },
  launch: {
    'recording?': 'string', 'program?': 'string', 'stdin?': 'string', 'recordingPath?': 'string', 'stopOnEntry?': 'boolean',
    'snapshotMemoryMB?': 'number', 'sourceRoot?': 'string', 'noDebug?': 'boolean',
  },
  disconnect: { 'restart?': 'boolean', 'terminateDebuggee?': 'boolean', 'suspendDebuggee?': 'boolean' },
  terminate: { 'restart?': 'boolean' },
  setBreakpoints: { source: SOURCE, 'breakpoints?': [{ line: 'integer', 'column?': 'integer', 'logMessage?': 'string', ...CONDITIONS }], 'lines?': 'integers' },
  setFunctionBreakpoints: { breakpoints: [{ name: 'string', ...CONDITIONS }] },
  setInstructionBreakpoints: { breakpoints: [{ instructionReference: 'string', 'offset?': 'integer', ...CONDITIONS }] },
  setExceptionBreakpoints: { filters: 'strings', 'filterOptions?': [{ filterId: 'string', 'condition?': 'string' }], 'exceptionOptions?': 'list' },
  dataBreakpointInfo: { name: 'string', 'variablesReference?': 'integer', 'frameId?': 'integer', 'bytes?': 'count', 'asAddress?': 'boolean', 'mode?': 'string' },
  setDataBreakpoints: { breakpoints: [{ dataId: 'string', 'accessType?': 'string', ...CONDITIONS }] },
  continue: THREAD, next: THREAD, stepIn: { ...THREAD, 'targetId?': 'integer' }, stepOut: THREAD, stepBack: THREAD,
  reverseContinue: THREAD, pause: THREAD,
  restartFrame: { frameId: 'integer' },
  cancel: { 'requestId?': 'integer', 'progressId?': 'string' },
  gotoTargets: { source: SOURCE, line: 'integer', 'column?': 'integer' },
  goto: { 'threadId?': 'integer', targetId: 'integer' },
  stackTrace: { 'threadId?': 'integer', 'startFrame?': 'count', 'levels?': 'count', 'format?': 'object' },
  scopes: { frameId: 'integer' },
  variables: { variablesReference: 'integer', 'filter?': 'string', 'start?': 'count', 'count?': 'count', 'format?': 'object' },
  evaluate: { expression: 'string', 'frameId?': 'integer', 'context?': 'string', 'format?': 'object' },
  disassemble: { memoryReference: 'string', 'offset?': 'integer', 'instructionOffset?': 'integer', instructionCount: 'count', 'resolveSymbols?': 'boolean' },
  readMemory: { memoryReference: 'string', 'offset?': 'integer', count: 'count' },
  // Rewind's own (custom-requests.ts); which arguments go together the handlers say.
  'rewind/seek': { step: 'integer' },
  'rewind/stepBreakpoints': { action: 'string', 'step?': 'integer' },
  'rewind/lastWrite': { 'variable?': 'string', 'frameId?': 'integer', 'address?': 'address', 'length?': 'count' },
  'rewind/reverseStepIn': { 'threadId?': 'integer' },
  'rewind/reverseStepOut': { 'threadId?': 'integer' },
  'rewind/executions': { source: SOURCE, line: 'integer', 'expressions?': 'strings' },
  'rewind/valueHistory': { 'expression?': 'string', 'frameId?': 'integer', 'address?': 'address', 'length?': 'count' },
  'rewind/bookmarks': { action: 'string', 'step?': 'integer', 'name?': 'string' },
};

/** What is wrong with a request's arguments, as a sentence; undefined when nothing is. */
export function argumentsProblem(command: string, args: unknown): string | undefined {
  const shape = Object.hasOwn(REQUESTS, command) ? REQUESTS[command] : undefined;
  if (args !== undefined && !isObject(args)) return `the arguments of ${command} must be an object, not ${describe(args)}`;
  return shape && shapeProblem(command, shape, (args ?? {}) as Record<string, unknown>, '');
}

function shapeProblem(command: string, shape: Shape, value: Record<string, unknown>, prefix: string): string | undefined {
  for (const [key, kind] of Object.entries(shape)) {
    const optional = key.endsWith('?');
    const name = optional ? key.slice(0, -1) : key;
    const v = value[name];
    const path = `${prefix}${name}`;
    if (v === undefined) {
      if (optional) continue;
      return `${command} needs "${path}" (${kindName(kind)})`;
    }
    const problem = kindProblem(command, kind, v, path);
    if (problem) return problem;
  }
  return undefined;
}

function kindProblem(command: string, kind: Kind, v: unknown, path: string): string | undefined {
  if (Array.isArray(kind)) {
    if (!Array.isArray(v)) return mismatch(command, path, kind, v);
    for (let i = 0; i < v.length; i++) {
      if (!isObject(v[i])) return mismatch(command, `${path}[${i}]`, kind[0], v[i]);
      const problem = shapeProblem(command, kind[0], v[i] as Record<string, unknown>, `${path}[${i}].`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (typeof kind === 'object') return isObject(v) ? shapeProblem(command, kind, v as Record<string, unknown>, `${path}.`) : mismatch(command, path, kind, v);
  return fits(kind, v) ? undefined : mismatch(command, path, kind, v);
}

function fits(kind: Exclude<Kind, Shape | [Shape]>, v: unknown): boolean {
  switch (kind) {
    case 'string': return typeof v === 'string';
    case 'integer': return Number.isSafeInteger(v);
    case 'count': return Number.isSafeInteger(v) && (v as number) >= 0;
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'boolean': return typeof v === 'boolean';
    case 'object': return isObject(v);
    case 'strings': return Array.isArray(v) && v.every((s) => typeof s === 'string');
    case 'integers': return Array.isArray(v) && v.every((n) => Number.isSafeInteger(n));
    case 'list': return Array.isArray(v);
    case 'address': return typeof v === 'string' || (Number.isSafeInteger(v) && (v as number) >= 0);
  }
}

function mismatch(command: string, path: string, kind: Kind, v: unknown): string {
  return `${command}: "${path}" must be ${kindName(kind)}, not ${describe(v)}`;
}

function kindName(kind: Kind): string {
  if (Array.isArray(kind)) return 'a list of objects';
  if (typeof kind === 'object') return 'an object';
  return {
    string: 'a string', integer: 'a whole number', count: 'a whole number from 0', number: 'a number', boolean: 'true or false',
    object: 'an object', strings: 'a list of strings', integers: 'a list of whole numbers', list: 'a list', address: 'an address',
  }[kind];
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'object') return 'an object';
  return String(v);
}

function isObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
