/**
 * What the adapter offers, as the `initialize` response tells VS Code: one capability a line, each after
 * what it makes VS Code do.
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import { EXCEPTION_FILTERS } from '../debugger/stop-conditions';

export const CAPABILITIES: DebugProtocol.Capabilities = {
  // VS Code waits for setBreakpoints and friends, then sends configurationDone before the run starts.
  supportsConfigurationDoneRequest: true,
  // Shows the Step Back and Reverse buttons.
  supportsStepBack: true,
  // Breakpoints with an expression, a hit count, or a log message (logpoints).
  supportsConditionalBreakpoints: true,
  supportsHitConditionalBreakpoints: true,
  supportsLogPoints: true,
  supportsFunctionBreakpoints: true,
  supportsInstructionBreakpoints: true,
  // "Break on Value Change/Read/Access" in Variables and Watch, and by address.
  supportsDataBreakpoints: true,
  supportsDataBreakpointBytes: true,
  supportsReadMemoryRequest: true,
  supportsDisassembleRequest: true,
  supportsSteppingGranularity: true,
  // "Restart Frame" travels back to the frame's entry.
  supportsRestartFrame: true,
  // "Jump to Cursor": the previous or next execution of a line.
  supportsGotoTargetsRequest: true,
  supportsEvaluateForHovers: true,
  supportsCancelRequest: true,
  // Stop ends the session with `terminate` (a live recording gets its end first), then `terminated`.
  supportsTerminateRequest: true,
  // Reading history never changes it: no setVariable, setExpression or writeMemory.
  supportsSetVariable: false,
  supportsSetExpression: false,
  supportsWriteMemoryRequest: false,
  exceptionBreakpointFilters: EXCEPTION_FILTERS.map((f) => ({ filter: f.filter, label: f.label, default: f.default })),
};
