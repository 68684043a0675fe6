// Read-only file contents at a Git ref (`gitops-ref:/deploy/web.yaml?folder=…&env=prod&ref=origin/prod`),
// read through the repository's long-lived `git cat-file --batch`; nothing is checked out.
import * as vscode from 'vscode';
import type { EnvironmentsModel } from './environmentsModel';

export class RefContentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly model: EnvironmentsModel) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const query = new URLSearchParams(uri.query);
    const folder = query.get('folder') ?? '';
    const envName = query.get('env') ?? '';
    const ref = query.get('ref') ?? 'HEAD';
    const path = uri.path.replace(/^\//, '');
    await this.model.ensureLoaded();
    const found = this.model.findState(folder, envName);
    const status = this.model.folders().find((f) => f.folder.uri.toString() === folder);
    const repo = found
      ? await this.model.repositoryFor(folder, found.state.environment)
      : status?.kind === 'ready'
        ? status.data.repo
        : undefined;
    if (!repo) throw new Error(`No repository for ${uri.toString(true)}; refresh the Environments view`);
    const text = await repo.readFile(ref, path);
    if (text === undefined) {
      // One side of a diff of an added or deleted file: show it empty.
      if (query.get('missing') === 'empty') return '';
      throw new Error(`${path} does not exist at ${ref}`);
    }
    return text;
  }
}
