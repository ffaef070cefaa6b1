/** The command ids contributed in package.json, named once for the code that registers and runs them. */
export const GO_TO_STEP_COMMAND = 'rewind.goToStep';
export const ADD_STEP_BREAKPOINT_COMMAND = 'rewind.addStepBreakpoint';
export const REMOVE_STEP_BREAKPOINT_COMMAND = 'rewind.removeStepBreakpoint';
export const REVERSE_STEP_IN_COMMAND = 'rewind.reverseStepIn';
export const REVERSE_STEP_OUT_COMMAND = 'rewind.reverseStepOut';
export const RECORD_PROGRAM_COMMAND = 'rewind.recordProgram';
export const GO_TO_LAST_WRITE_COMMAND = 'rewind.goToLastWrite';
export const GO_TO_LAST_CHANGE_COMMAND = 'rewind.goToLastChange';
export const SHOW_VALUE_HISTORY_COMMAND = 'rewind.showValueHistory';
export const SHOW_EXECUTIONS_COMMAND = 'rewind.showExecutions';
export const GO_TO_OUTPUT_STEP_COMMAND = 'rewind.goToOutputStep';
export const ADD_BOOKMARK_COMMAND = 'rewind.addBookmark';
/** Internal: the Replay Step view's entries run it to seek to their step. */
export const SEEK_COMMAND = 'rewind.seek';
