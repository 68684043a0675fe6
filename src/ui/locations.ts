// Where a tree row points: a file of an environment, on disk when its branch is checked out,
// otherwise read-only at the environment's ref through the `gitops-ref:` content provider.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { REF_CONTENT_SCHEME } from './ids';

export interface FileLocation {
  /** Root of the repository that config/discovery came from. */
  repoRoot: string;
  /** The environment's `repo:` when it lives elsewhere (resolved by the content provider). */
  environmentRepo: string | null;
  folderUri: string;
  environment: string;
  /** null = the working tree (the environment's branch is checked out). */
  ref: string | null;
  /** Repository-relative POSIX path. */
  file: string;
  /** 1-based line, when known. */
  line?: number;
}

export function fileLocationUri(location: FileLocation): vscode.Uri {
  if (location.ref === null && !location.environmentRepo) return vscode.Uri.file(join(location.repoRoot, ...location.file.split('/')));
  const query = new URLSearchParams({ folder: location.folderUri, env: location.environment, ref: location.ref ?? 'HEAD' });
  // The path keeps the file name so the editor tab and language mode are right.
  return vscode.Uri.from({ scheme: REF_CONTENT_SCHEME, path: `/${location.file}`, query: query.toString() });
}

export async function openLocation(location: FileLocation): Promise<void> {
  const uri = fileLocationUri(location);
  const document = await vscode.workspace.openTextDocument(uri);
  const line = Math.max(0, Math.min((location.line ?? 1) - 1, document.lineCount - 1));
  const position = new vscode.Position(line, 0);
  await vscode.window.showTextDocument(document, {
    selection: new vscode.Range(position, position),
    preview: true,
  });
}
