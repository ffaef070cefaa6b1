/**
 * Rewind's VS Code extension: the `rewind` debug type (adapter process, launch configurations), the
 * Replay Step view, the status bar step, the step and reverse commands, and the assembly language client.
 * Everything about the program's state comes from the debug adapter over DAP.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { RewindAdapterDescriptorFactory } from './adapter-descriptor';
import { RewindConfigurationProvider } from './debug-configurations';
import { DEBUG_TYPE } from './replay-requests';
import { ReplayPosition } from './replay-position';
import { REPLAY_STEP_VIEW, ReplayStepView } from './replay-step-view';
import { StepStatusBar } from './step-status-bar';
import { trackAtStart } from './at-start-context';
import { registerInlineValues } from './inline-values';
import { addStepBreakpoint, goToStep, removeStepBreakpoint } from './step-commands';
import { reverseStepIn, reverseStepOut } from './reverse-step-commands';
import { goToLastWrite } from './last-write-command';
import { goToLastChange } from './last-change-command';
import { StepBreakpointGutter } from './step-breakpoint-gutter';
import { recordProgram } from './record-program-command';
import { startLanguageClient } from './language-client';
import { TIMELINE_VIEW, TimelineView } from './timeline-view';
import { showValueHistory } from './value-history-command';
import { showExecutions } from './executions-command';
import { ConsoleLines, goToOutputStep } from './console-lines';
import { addBookmark } from './bookmark-command';
import { registerMcpServerProvider } from './mcp-server-provider';
import * as ids from './command-ids';

let languageClient: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const position = new ReplayPosition();
  const view = new ReplayStepView(position);
  const timeline = new TimelineView(context.extensionUri, position);
  const consoleLines = new ConsoleLines();
  context.subscriptions.push(
    position,
    view,
    new StepStatusBar(position),
    trackAtStart(position),
    registerInlineValues(),
    timeline,
    new StepBreakpointGutter(context.extensionUri, position),
    consoleLines,
    vscode.window.registerWebviewViewProvider(TIMELINE_VIEW, timeline),
    vscode.window.registerTreeDataProvider(REPLAY_STEP_VIEW, view),
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new RewindAdapterDescriptorFactory(context.asAbsolutePath('dist/adapter.js'))),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new RewindConfigurationProvider()),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new RewindConfigurationProvider(), vscode.DebugConfigurationProviderTriggerKind.Dynamic),
    command(ids.GO_TO_STEP_COMMAND, (step) => goToStep(position, step)),
    command(ids.SEEK_COMMAND, (step) => goToStep(position, step)),
    command(ids.ADD_STEP_BREAKPOINT_COMMAND, (step) => addStepBreakpoint(position, step)),
    command(ids.REMOVE_STEP_BREAKPOINT_COMMAND, (entry) => removeStepBreakpoint(position, entry)),
    command(ids.REVERSE_STEP_IN_COMMAND, () => reverseStepIn()),
    command(ids.REVERSE_STEP_OUT_COMMAND, () => reverseStepOut()),
    command(ids.GO_TO_LAST_WRITE_COMMAND, (variable) => goToLastWrite(position, variable)),
    command(ids.GO_TO_LAST_CHANGE_COMMAND, (variable) => goToLastChange(position, variable)),
    command(ids.RECORD_PROGRAM_COMMAND, (uri) => recordProgram(context, uri)),
    command(ids.SHOW_VALUE_HISTORY_COMMAND, (variable) => showValueHistory(context.extensionUri, position, variable)),
    command(ids.SHOW_EXECUTIONS_COMMAND, (uri) => showExecutions(position, uri)),
    command(ids.GO_TO_OUTPUT_STEP_COMMAND, (line) => goToOutputStep(consoleLines, position, line)),
    command(ids.ADD_BOOKMARK_COMMAND, () => addBookmark(() => timeline.reload())),
    ...registerMcpServerProvider(context.asAbsolutePath('dist/cli.js'), String(context.extension.packageJSON.version)),
  );
  languageClient = startLanguageClient(context.asAbsolutePath('dist/language-server.js'));
}

export async function deactivate(): Promise<void> {
  await languageClient?.stop();
}

/** Registers a command whose failures reach the user as the error's own sentence. */
function command(id: string, run: (argument?: unknown) => Promise<void>): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (argument?: unknown) => {
    try {
      await run(argument);
    } catch (error) {
      void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
    }
  });
}
