// Hover on a drifted field: Git value vs live value, who changed it and when, and the actions.
import * as vscode from 'vscode';
import { Commands } from '../ids';
import type { DocumentDriftSource } from './documentDrift';
import type { DocumentDriftEntry } from './documentDrift';
import { fieldRange, problemRange } from './driftStore';
import { asOfText, blockValue, inlineCode } from './driftText';

/** The environment's name from a DriftStore key (`${folderUri}#${environment}`). */
function splitEnvironment(environmentKey: string): string {
  return environmentKey.slice(environmentKey.lastIndexOf('#') + 1);
}

function commandLink(title: string, command: string, args: unknown[]): string {
  return `[${title}](command:${command}?${encodeURIComponent(JSON.stringify(args))})`;
}

/**
 * An Invalid resource, on its `kind:` line (every problem) or a refused field's line (its own):
 * no Sync or Diff, since applying it fails; the fix is in Git.
 */
function invalidHover(entry: DocumentDriftEntry, line: number, resourceLine: boolean): vscode.MarkdownString | undefined {
  const problems = (entry.problems ?? []).filter((problem) => resourceLine || problemRange(problem)?.start.line === line);
  if (!resourceLine && problems.length === 0) return undefined;
  const md = new vscode.MarkdownString('', true);
  md.supportThemeIcons = true;
  const id = entry.resource.id;
  md.appendMarkdown(`**$(error) Invalid** · ${id.kind} ${id.name}: the API server would refuse it, so it cannot be synced or compared. Fix it in Git.\n\n`);
  const shown = problems.length > 0 ? problems : (entry.resource.problems ?? []);
  for (const problem of shown.slice(0, 20)) md.appendMarkdown(`- ${problem.path ? `${inlineCode(problem.path)}: ` : ''}${inlineCode(problem.message)}\n`);
  if (shown.length === 0 && entry.resource.reason) md.appendMarkdown(`${inlineCode(entry.resource.reason)}\n`);
  return md;
}

export class DriftHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly source: DocumentDriftSource,
    /** "Argo CD" / "Flux" when an operator reconciles the environment: Sync then asks it instead. */
    private readonly operatorOf: (environmentKey: string) => string | undefined = () => undefined,
  ) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const result = this.source.forDocument(document);
    if (!result) return undefined;
    const line = position.line + 1;
    for (const entry of result.entries) {
      const field = entry.fields.find((f) => fieldRange(f)?.start.line === line);
      const resourceLine = entry.declares && entry.resource.origin?.range?.start.line === line;
      if (entry.resource.status === 'Invalid') {
        const hover = invalidHover(entry, line, resourceLine === true);
        if (hover) return new vscode.Hover(hover, document.lineAt(position.line).range);
        continue;
      }
      if (!field && !(resourceLine && entry.resource.status !== 'InSync')) continue;
      const md = new vscode.MarkdownString('', true);
      md.isTrusted = { enabledCommands: [Commands.showResourceDiff, Commands.syncResource, Commands.acceptLive] };
      md.supportThemeIcons = true;
      const id = entry.resource.id;
      const args = [entry.environmentKey, entry.resource.key];
      if (field) {
        md.appendMarkdown(`**$(diff) Drift** · ${inlineCode(field.path)}${result.stale ? ` · ${asOfText(result.asOf)}` : ''}\n\n`);
        md.appendMarkdown(`| | |\n|---|---|\n`);
        md.appendMarkdown(`| Git | ${inlineCode(field.change === 'notInGit' ? '(not declared)' : blockValue(field.desired, 200))} |\n`);
        md.appendMarkdown(`| Live | ${inlineCode(field.change === 'notInLive' ? '(absent)' : blockValue(field.live, 200))} |\n\n`);
        if (field.source && field.source.via !== 'base') md.appendMarkdown(`Git's value is set here (${field.source.via}) for ${inlineCode(splitEnvironment(entry.environmentKey))}.\n\n`);
        if (field.manager) md.appendMarkdown(`Changed by ${inlineCode(field.manager)}${field.changedAt ? ` at ${new Date(field.changedAt).toLocaleString()}` : ''}\n\n`);
      } else {
        md.appendMarkdown(`**${id.kind} ${id.name}** · ${entry.resource.status}${entry.resource.reason ? ` — ${entry.resource.reason}` : ''}\n\n`);
      }
      if (entry.resource.approximate) md.appendMarkdown(`_Approximate: compared without a server dry-run._\n\n`);
      const operator = this.operatorOf(entry.environmentKey);
      const syncTitle = operator ? `Ask ${operator} to Sync` : 'Sync to Cluster';
      const actions = [commandLink('Show Diff', Commands.showResourceDiff, args), commandLink(syncTitle, Commands.syncResource, args)];
      if (field && field.change === 'changed') actions.push(commandLink('Accept Live Value into File', Commands.acceptLive, [...args, field.pointer, document.uri.toString()]));
      // The cluster lacks the field: accepting the live state removes it from the file.
      if (field && field.change === 'notInLive') actions.push(commandLink('Remove from File (not live)', Commands.acceptLive, [...args, field.pointer, document.uri.toString()]));
      md.appendMarkdown(actions.join(' · '));
      const range = document.lineAt(position.line).range;
      return new vscode.Hover(md, range);
    }
    return undefined;
  }
}
