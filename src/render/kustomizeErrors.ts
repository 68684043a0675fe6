// Turns kustomize's (or `kubectl kustomize`'s) error output into a located problem: the line in
// a kustomization that names the missing file or remote base, the field kustomize rejected, or
// at least the kustomization file. Temporary directories never reach the message.
import type { LocatedProblem, SourceLocation } from '../core/model';
import type { KustomizeTree } from './kustomizeTree';
import { safeFullMatcher } from '../core/patternSafety';

/** The error text alone: kubectl wraps it in klog (`E1126 ... "command failed" err="..."`), kustomize prints `Error: ...`. */
export function kustomizeErrorText(stderr: string): string {
  const quoted = /"command failed" err="((?:[^"\\]|\\.)*)"/.exec(stderr);
  if (quoted) {
    try {
      return JSON.parse(`"${quoted[1]}"`) as string;
    } catch {
      return quoted[1];
    }
  }
  const block = /err=<\n([\s\S]*?)\n\s*>/.exec(stderr);
  if (block) return block[1].replace(/^\t/gm, '').trim();
  return stderr
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '' && !/^#?\s*warning:/i.test(line.trim()))
    .map((line) => line.replace(/^(error|Error):\s*/, ''))
    .join('\n')
    .trim();
}

/** Deprecation and other warnings kustomize printed on a successful build. */
export function kustomizeWarnings(stderr: string): string[] {
  return stderr
    .split(/\r?\n/)
    .map((line) => /^#?\s*warning:\s*(.*)$/i.exec(line.trim())?.[1])
    .filter((line): line is string => Boolean(line));
}

/** Replaces the materialized checkout's absolute path with repository-relative paths. */
export function withoutTempDir(text: string, materialized: string): string {
  const root = materialized.replace(/\/+$/, '');
  return text.split(`${root}/`).join('').split(root).join('.');
}

function lineOfKey(text: string, key: string): number | undefined {
  const lines = text.split('\n');
  const index = lines.findIndex((line) => new RegExp(`^\\s*-?\\s*${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:`).test(line));
  return index < 0 ? undefined : index + 1;
}

function keyLocation(tree: KustomizeTree, key: string): SourceLocation | undefined {
  for (const node of tree.nodes) {
    const line = lineOfKey(node.text, key);
    if (line) return { file: node.file, range: { start: { line, column: 1 }, end: { line, column: 1 + key.length } } };
  }
  return undefined;
}

function fullMatch(pattern: string, text: string): boolean {
  return safeFullMatcher(pattern)(text);
}

/** Where an error is, from the most to the least specific clue. */
function locate(text: string, tree: KustomizeTree): SourceLocation {
  // 1. An entry of a kustomization that kustomize could not load.
  const suspicious = tree.references.filter((ref) => ref.status !== 'file' && ref.status !== 'folder');
  const named = [...suspicious, ...tree.references].find((ref) => text.includes(`'${ref.entry}'`) || text.includes(ref.entry));
  if (named && suspicious.includes(named)) return named.location;
  // 2. A field kustomize does not know.
  const unknownField = /unknown field "([^"]+)"/.exec(text);
  if (unknownField) {
    const found = keyLocation(tree, unknownField[1].split('.').pop() ?? unknownField[1]);
    if (found) return found;
  }
  // 3. A YAML error we found ourselves in a kustomization or a file it lists.
  const yamlProblem = tree.problems.find((problem) => problem.severity === 'error' && problem.location);
  if (/yaml:|YAML|json:/.test(text) && yamlProblem?.location) return yamlProblem.location;
  // 4. A patch that matches nothing: kustomize names it by id (`Kind.version.group/name.namespace`).
  const unmatched = /no (?:resource )?match(?:es)? (?:for|strategic merge patch)[^"]*"?([A-Za-z0-9]+)\.[^/"\s]*\/([^"\s]+?)\.(?:\[noNs\]|[a-z0-9-]+)"?/.exec(text);
  if (unmatched) {
    const [, kind, name] = unmatched;
    const patch = tree.patches.find((p) => p.target.kind === kind && p.target.name !== undefined && fullMatch(p.target.name, name));
    if (patch) return patch.location;
  }
  // 5. A file of the build mentioned by path, longest first (most specific).
  const mentioned = [...tree.files].sort((a, b) => b.length - a.length).find((file) => text.includes(file));
  if (mentioned) return { file: mentioned };
  // 6. A reference that exists but is mentioned (e.g. a patch that matches nothing).
  if (named) return named.location;
  return { file: tree.root.file };
}

export function kustomizeProblem(stderr: string, tree: KustomizeTree, materialized: string): LocatedProblem {
  const text = withoutTempDir(kustomizeErrorText(stderr), materialized);
  const location = locate(text, tree);
  const reference = tree.references.find((ref) => ref.location === location);
  let hint = 'fix the kustomization; `kubectl kustomize` on the folder shows the same error';
  if (reference?.status === 'missing') hint = `${reference.entry} does not exist relative to ${reference.owner.dir || 'the repository root'}`;
  if (reference?.status === 'remote') hint = 'the remote base could not be fetched; check the URL, the ref and your network';
  if (reference?.status === 'outside') hint = 'kustomize only loads files inside the repository';
  const message = text.length > 600 ? `${text.slice(0, 600)}…` : text;
  return { severity: 'error', message: `kustomize build failed: ${message || 'no error text'}`, location, hint };
}
