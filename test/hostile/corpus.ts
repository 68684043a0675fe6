// The hostile and broken input corpus (issue 6 §2): what each input is, where it goes in a
// repository, and what every stage must make of it — a located error (file, and line where it
// makes sense) or a correct result. Small inputs are literal files under inputs/; large ones and
// byte-exact ones come from generate.ts at test time.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigParseResult } from '../../src/core/config';
import type { ManifestParseResult } from '../../src/core/manifest';
import * as gen from './generate';
import { chmodExecutable, commit, createBranch, fakeExecutable, gitCommand, linkTo, moveFolders, symlinkOutside, writeRepoFile } from './repoSetup';

export const INPUTS = join(__dirname, 'inputs');

/** The stages every input runs through, in table order. */
export const STAGES = ['parse', 'discover', 'renderT', 'renderU', 'drift', 'driftCli', 'envsCli', 'healthCli', 'promote', 'promoteImg'] as const;
export type Stage = (typeof STAGES)[number];

/** What a stage must produce: a located error, or a correct (error-free) result; 'skip' when it does not apply. */
export type Outcome = 'ok' | 'error' | 'skip';

export type Role = 'manifest' | 'config' | 'kustomize' | 'helm' | 'repo';

export interface CaseContext {
  /** The repository's working tree. */
  root: string;
  /** A temp folder outside the repository (symlink targets, markers). */
  outside: string;
}

interface BaseCase {
  id: string;
  role: Role;
  /** Stage outcomes that differ from the role's defaults. */
  stages?: Partial<Record<Stage, Outcome>>;
  /** Strings that must never appear in any output: secret values, content from outside the repository. */
  forbidden?: string[];
  /** Environments discovery must find (default: dev, staging). */
  environments?: string[];
}

/** A manifest file, written to envs/dev/app.yaml (envs/staging holds a normal Deployment). */
export interface ManifestCase extends BaseCase {
  role: 'manifest';
  input: () => Buffer;
  /** `Kind/name` of every object the file declares, in order. */
  objects: string[];
  /** An error is expected, on this line (null: the whole file). */
  errorLine?: number | null;
  errorMessage?: RegExp;
  /** Further checks of a correct result; returns what is wrong. */
  check?: (result: ManifestParseResult) => string | undefined;
}

/** A gitops.yaml (envs/dev and envs/staging hold normal Deployments). */
export interface ConfigCase extends BaseCase {
  role: 'config';
  input: () => Buffer;
  /** Lines of the expected errors (null: the file as a whole); empty = no error. */
  errorLines: Array<number | null>;
  check?: (result: ConfigParseResult) => string | undefined;
}

/** A kustomize, helm or arbitrary environment folder: files under envs/dev. */
export interface FolderCase extends BaseCase {
  role: 'kustomize' | 'helm' | 'repo';
  folder: (ctx: CaseContext) => Record<string, string | Buffer>;
  /** Anything done after the first commit: symlinks, branches, more commits. */
  setup?: (ctx: CaseContext) => void;
  /** Errors of the rendering stages are located in this file (repository-relative) … */
  errorFile?: string;
  /** … on this line. */
  errorLine?: number;
  /** `helm` executable to use (a fake one written by the case), relative to ctx.outside. */
  helm?: (ctx: CaseContext) => string;
  /** A file (in ctx.outside) whose existence after rendering means a plugin ran. */
  marker?: string;
}

export type HostileCase = ManifestCase | ConfigCase | FolderCase;

/** The result check for a file with a repeated key: exactly one problem, a warning on that line naming the key. */
function duplicateWarningAt(line: number, key: string): (result: ManifestParseResult) => string | undefined {
  return (result) => {
    const [problem, ...rest] = result.problems;
    if (!problem || rest.length > 0) return `expected one problem, got ${result.problems.length}`;
    if (problem.severity !== 'warning') return `expected a warning, got ${problem.severity}`;
    if (problem.location?.range?.start.line !== line) return `expected line ${line}, got ${problem.location?.range?.start.line}`;
    return problem.message.includes(`"${key}" is repeated`) ? undefined : `message does not name the key: ${problem.message}`;
  };
}

const manifestFile = (name: string) => (): Buffer => readFileSync(join(INPUTS, 'manifests', name));
const configFile = (name: string) => (): Buffer => readFileSync(join(INPUTS, 'configs', name));
const literalFolder = (name: string) => (): Record<string, Buffer> => readFolder(join(INPUTS, 'folders', name));

function readFolder(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel))) {
      const path = rel ? `${rel}/${name}` : name;
      if (statSync(join(dir, path)).isDirectory()) walk(path);
      else out[path] = readFileSync(join(dir, path));
    }
  };
  walk('');
  return out;
}

type Data = Record<string, unknown>;
const data = (r: ManifestParseResult, i = 0): Data => ((r.manifests[i]?.object.data ?? {}) as Data);
const shown = (value: unknown): string => (typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value));
const expectEqual = (what: string, actual: unknown, expected: unknown): string | undefined =>
  Object.is(actual, expected) || (typeof actual === 'object' && JSON.stringify(actual) === JSON.stringify(expected)) ? undefined : `${what}: ${shown(actual)} instead of ${shown(expected)}`;
const first = (...checks: Array<string | undefined>): string | undefined => checks.find((c) => c !== undefined);

/** Documents that are YAML but not Kubernetes objects: `drift --desired/--live` refuses to compare them. */
const notAnObject: Partial<Record<Stage, Outcome>> = { driftCli: 'error' };

export const MANIFEST_CASES: ManifestCase[] = [
  // Invalid YAML at every level.
  { id: 'invalid-top-level', role: 'manifest', input: manifestFile('invalid-top-level.yaml'), objects: [], errorLine: 5 },
  { id: 'invalid-mid-document', role: 'manifest', input: manifestFile('invalid-mid-document.yaml'), objects: [], errorLine: 12 },
  { id: 'invalid-second-document', role: 'manifest', input: manifestFile('invalid-second-document.yaml'), objects: ['ConfigMap/first', 'ConfigMap/third'], errorLine: 13 },
  // The parser notices an unclosed `[` where the next key starts.
  { id: 'unclosed-flow-sequence', role: 'manifest', input: manifestFile('unclosed-flow-sequence.yaml'), objects: [], errorLine: 7 },
  { id: 'broken-flow-mapping', role: 'manifest', input: manifestFile('broken-flow-mapping.yaml'), objects: [], errorLine: 3 },
  // An unterminated quote runs to the end of the file, where it is reported.
  { id: 'unterminated-double-quote', role: 'manifest', input: manifestFile('unterminated-double-quote.yaml'), objects: [], errorLine: 8, errorMessage: /closing "quote/ },
  { id: 'unterminated-single-quote', role: 'manifest', input: manifestFile('unterminated-single-quote.yaml'), objects: [], errorLine: 7, errorMessage: /closing 'quote/ },
  { id: 'bad-block-scalar-header', role: 'manifest', input: manifestFile('bad-block-scalar.yaml'), objects: [], errorLine: 6 },
  { id: 'block-scalar-dedent', role: 'manifest', input: manifestFile('block-scalar-dedent.yaml'), objects: [], errorLine: 8 },
  { id: 'tab-indentation', role: 'manifest', input: manifestFile('tab-indentation.yaml'), objects: [], errorLine: 4, errorMessage: /Tabs/ },
  {
    id: 'tabs-in-values',
    role: 'manifest',
    input: manifestFile('tab-in-values.yaml'),
    objects: ['ConfigMap/tabs-in-values'],
    check: (r) => first(expectEqual('data.k', data(r).k, 'v'), expectEqual('data.tsv', data(r).tsv, 'a\tb\tc')),
  },
  // Repeated keys are read as kubectl and Argo CD read them (the last wins), with a warning on the repetition.
  { id: 'duplicate-top-keys', role: 'manifest', input: manifestFile('duplicate-top-keys.yaml'), objects: ['Secret/dup'], check: duplicateWarningAt(3, 'kind') },
  { id: 'duplicate-nested-keys', role: 'manifest', input: manifestFile('duplicate-nested-keys.yaml'), objects: ['Deployment/web'], check: duplicateWarningAt(7, 'app') },
  { id: 'duplicate-flow-keys', role: 'manifest', input: manifestFile('duplicate-flow-keys.yaml'), objects: ['ConfigMap/again'], check: duplicateWarningAt(3, 'name') },
  { id: 'undefined-alias', role: 'manifest', input: manifestFile('undefined-alias.yaml'), objects: [], errorLine: 6, errorMessage: /alias/i },
  // Anchors, aliases and merge keys.
  { id: 'alias-bomb', role: 'manifest', input: gen.aliasBomb, objects: [], errorLine: 1, errorMessage: /alias/i },
  { id: 'merge-key-bomb', role: 'manifest', input: gen.mergeKeyBomb, objects: [], errorLine: 1, errorMessage: /alias/i },
  {
    id: 'merge-keys',
    role: 'manifest',
    input: manifestFile('merge-keys.yaml'),
    objects: ['ConfigMap/merged'],
    // As kubectl and kustomize read it: the anchored labels merged, the local key winning.
    check: (r) => expectEqual('labels', (r.manifests[0]?.object.metadata as Data | undefined)?.labels, { app: 'web', tier: 'back' }),
  },
  { id: 'anchors-everywhere', role: 'manifest', input: manifestFile('anchors-everywhere.yaml'), objects: ['ConfigMap/anchored'], check: (r) => expectEqual('data.again', data(r).again, 'anchored') },
  // Deep nesting and size.
  { id: 'deep-flow-10000', role: 'manifest', input: () => gen.deepFlowSequences(), objects: [], errorLine: 4, errorMessage: /nest deeper/ },
  { id: 'deep-json-10000', role: 'manifest', input: () => gen.deepJson(), objects: [], errorLine: 1, errorMessage: /nest deeper/ },
  { id: 'deep-compact-seq-10000', role: 'manifest', input: () => gen.deepCompactSequences(), objects: [], errorLine: 1, errorMessage: /nest deeper/ },
  { id: 'deep-block-map-1000', role: 'manifest', input: () => gen.deepBlockMappings(), objects: [], errorLine: 261, errorMessage: /nest deeper/ },
  { id: 'file-70mb', role: 'manifest', input: gen.seventyMegabytes, objects: [], errorLine: null, errorMessage: /MB/ },
  { id: 'many-keys-30000', role: 'manifest', input: () => gen.manyKeys(30_000), objects: ['ConfigMap/many-keys'], check: (r) => expectEqual('keys', Object.keys(data(r)).length, 30_000) },
  {
    id: 'many-documents-5000',
    role: 'manifest',
    input: () => gen.manyDocuments(5_000),
    objects: Array.from({ length: 5_000 }, (_, i) => `ConfigMap/cm-${i}`),
  },
  { id: 'long-line-1mb', role: 'manifest', input: gen.longLine, objects: ['ConfigMap/long-line'], check: (r) => expectEqual('blob length', String(data(r).blob).length, 1024 * 1024) },
  // Bytes that are not UTF-8 YAML.
  { id: 'binary-png', role: 'manifest', input: gen.binaryPng, objects: [], errorLine: null, errorMessage: /binary/ },
  { id: 'binary-no-nul', role: 'manifest', input: gen.binaryWithoutNul, objects: [], errorLine: 1, errorMessage: /UTF-8/ },
  // NUL past the sniffing window, inside scalars: read as the characters they are.
  { id: 'nul-after-8000', role: 'manifest', input: gen.nulAfterSniffWindow, objects: ['ConfigMap/late-nul'], check: (r) => expectEqual('data.k', data(r).k, 'a\u0000b') },
  { id: 'utf8-bom', role: 'manifest', input: gen.utf8Bom, objects: ['Deployment/web'], check: (r) => expectEqual('line of /spec/replicas', r.manifests[0]?.rangeOf('/spec/replicas').start.line, 7) },
  { id: 'utf16le-bom', role: 'manifest', input: gen.utf16le, objects: [], errorLine: null, errorMessage: /UTF-16/ },
  { id: 'utf16be-bom', role: 'manifest', input: gen.utf16be, objects: [], errorLine: null, errorMessage: /UTF-16/ },
  // The document is still read (with U+FFFD), and the byte is pointed at.
  { id: 'latin1-bytes', role: 'manifest', input: gen.latin1, objects: ['ConfigMap/latin1'], errorLine: 6, errorMessage: /UTF-8/ },
  { id: 'crlf', role: 'manifest', input: gen.crlf, objects: ['Deployment/web'], check: (r) => expectEqual('line of /spec/replicas', r.manifests[0]?.rangeOf('/spec/replicas').start.line, 7) },
  {
    id: 'mixed-line-endings',
    role: 'manifest',
    input: gen.mixedLineEndings,
    objects: ['Deployment/web'],
    // A lone CR is a line break in YAML and in the editor.
    check: (r) =>
      first(
        expectEqual('line of /spec/replicas', r.manifests[0]?.rangeOf('/spec/replicas').start.line, 7),
        expectEqual('namespace', (r.manifests[0]?.object.metadata as Data | undefined)?.namespace, 'shop'),
      ),
  },
  // Empty and near-empty files.
  { id: 'empty-file', role: 'manifest', input: manifestFile('empty.yaml'), objects: [] },
  { id: 'only-comments', role: 'manifest', input: manifestFile('only-comments.yaml'), objects: [] },
  { id: 'only-document-marker', role: 'manifest', input: manifestFile('only-document-marker.yaml'), objects: [] },
  { id: 'empty-documents', role: 'manifest', input: manifestFile('empty-documents.yaml'), objects: [] },
  { id: 'top-level-sequence', role: 'manifest', input: manifestFile('top-level-sequence.yaml'), objects: [] },
  { id: 'top-level-scalar', role: 'manifest', input: manifestFile('top-level-scalar.yaml'), objects: [] },
  // Missing or absurd kind / name / namespace.
  { id: 'missing-kind', role: 'manifest', input: manifestFile('missing-kind.yaml'), objects: [], stages: notAnObject },
  { id: 'empty-kind', role: 'manifest', input: manifestFile('empty-kind.yaml'), objects: [], stages: notAnObject },
  { id: 'null-kind-and-name', role: 'manifest', input: manifestFile('null-kind-and-name.yaml'), objects: [], stages: notAnObject },
  { id: 'numeric-kind-and-name', role: 'manifest', input: manifestFile('numeric-kind-and-name.yaml'), objects: [], stages: notAnObject },
  { id: 'list-kind-and-name', role: 'manifest', input: manifestFile('list-kind-and-name.yaml'), objects: [], stages: notAnObject },
  { id: 'missing-name', role: 'manifest', input: manifestFile('missing-name.yaml'), objects: [], stages: notAnObject },
  { id: 'empty-name', role: 'manifest', input: manifestFile('empty-name.yaml'), objects: [], stages: notAnObject },
  { id: 'metadata-wrong-type', role: 'manifest', input: manifestFile('metadata-wrong-type.yaml'), objects: [], stages: notAnObject },
  {
    id: 'name-10000-chars',
    role: 'manifest',
    input: () => Buffer.from(`apiVersion: v1\nkind: ${'K'.repeat(10_000)}\nmetadata:\n  name: ${'n'.repeat(10_000)}\n  namespace: ${'s'.repeat(10_000)}\n`),
    objects: [`${'K'.repeat(10_000)}/${'n'.repeat(10_000)}`],
  },
  { id: 'traversal-name', role: 'manifest', input: manifestFile('traversal-name.yaml'), objects: ['ConfigMap/../../etc/passwd'] },
  { id: 'unicode-names', role: 'manifest', input: manifestFile('unicode-names.yaml'), objects: ['Cönfig\u202eMap/wéb-\u{1f680}-\u0645\u0631\u062d\u0628\u0627'] },
  { id: 'control-characters', role: 'manifest', input: manifestFile('control-characters.yaml'), objects: ['ConfigMap/evil\u001b[31mred\u001b[0m\nsecond-line\r\u0007'] },
  { id: 'list-garbage-items', role: 'manifest', input: manifestFile('list-with-garbage-items.yaml'), objects: ['ConfigMap/the-good-one'], stages: notAnObject },
  {
    id: 'proto-keys',
    role: 'manifest',
    input: manifestFile('proto-keys.yaml'),
    objects: ['ConfigMap/proto'],
    check: (r) =>
      first(
        ({} as Data).polluted === undefined && ({} as Data).isAdmin === undefined ? undefined : 'Object.prototype was polluted',
        Object.prototype.hasOwnProperty.call(data(r), '__proto__') ? undefined : 'data.__proto__ is not an own key',
      ),
  },
  // Scalars YAML reads in more than one way.
  { id: 'huge-numbers', role: 'manifest', input: manifestFile('huge-numbers.yaml'), objects: ['Deployment/numbers'], check: (r) => expectEqual('revisionHistoryLimit', (r.manifests[0]?.object.spec as Data).revisionHistoryLimit, Infinity) },
  {
    id: 'special-floats',
    role: 'manifest',
    input: manifestFile('special-floats.yaml'),
    objects: ['ConfigMap/floats'],
    check: (r) => {
      const spec = r.manifests[0]?.object.spec as Data;
      return first(expectEqual('nan', Number.isNaN(spec.nan), true), expectEqual('inf', spec.inf, Infinity), expectEqual('-inf', spec.ninf, -Infinity), expectEqual('-0', Object.is(spec.negzero, -0), true));
    },
  },
  // YAML 1.2 (the `yaml` package's default) reads these as strings; kubectl's YAML 1.1 reader would not (see the report).
  { id: 'yaml11-booleans', role: 'manifest', input: manifestFile('yaml11-booleans.yaml'), objects: ['ConfigMap/booleans'], check: (r) => first(expectEqual('a', data(r).a, 'yes'), expectEqual('g', data(r).g, true)) },
  { id: 'yaml11-directive', role: 'manifest', input: manifestFile('yaml11-directive.yaml'), objects: ['ConfigMap/yaml11'], check: (r) => expectEqual('enabled', data(r).enabled, true) },
  { id: 'timestamps', role: 'manifest', input: manifestFile('timestamps.yaml'), objects: ['ConfigMap/dates'], check: (r) => expectEqual('when', data(r).when, '2001-12-15 2:59:43.10') },
  { id: 'unknown-tags', role: 'manifest', input: manifestFile('unknown-tags.yaml'), objects: ['ConfigMap/tags'] },
  { id: 'complex-keys', role: 'manifest', input: manifestFile('complex-keys.yaml'), objects: ['ConfigMap/complex'] },
  // Secret values must never reach an output.
  {
    id: 'secret-values',
    role: 'manifest',
    input: manifestFile('secret-values.yaml'),
    objects: ['Secret/creds'],
    forbidden: ['HOSTILE-SECRET-STRINGDATA-222', 'SE9TVElMRS1TRUNSRVQtREFUQS0xMTE=', 'HOSTILE-SECRET-DATA-111'],
  },
  // Operator objects that discovery reads.
  {
    id: 'argo-hostile-application',
    role: 'manifest',
    input: manifestFile('argo-hostile-application.yaml'),
    objects: ['Application/$(id); rm -rf /', 'Application/web-dev'],
    environments: ['web-dev'],
    stages: { promote: 'skip', promoteImg: 'skip' },
  },
  { id: 'flux-hostile-kustomization', role: 'manifest', input: manifestFile('flux-hostile-kustomization.yaml'), objects: ['Kustomization/dev'] },
  { id: 'redos-names', role: 'manifest', input: manifestFile('redos-names.yaml'), objects: [`ConfigMap/${'a'.repeat(108)}!`] },
];

export const CONFIG_CASES: ConfigCase[] = [
  { id: 'cfg-wrong-types', role: 'config', input: configFile('wrong-types-everywhere.yaml'), errorLines: [1, 2, 3, 4, 5, 6], environments: [] },
  { id: 'cfg-wrong-entry-types', role: 'config', input: configFile('wrong-types-in-entries.yaml'), errorLines: [3, 4, 5, 7, 9, 11, 13, 17, 18, 20, 21, 23, 24], environments: ['ok'] },
  { id: 'cfg-path-traversal', role: 'config', input: configFile('path-traversal.yaml'), errorLines: [4, 6, 8, 10, 12], environments: ['ok'] },
  { id: 'cfg-dotdot-globs', role: 'config', input: configFile('dotdot-globs.yaml'), errorLines: [] },
  { id: 'cfg-shell-metachar-names', role: 'config', input: configFile('shell-metacharacter-names.yaml'), errorLines: [3, 5, 7, 9, 11, 13, 15] },
  { id: 'cfg-hostile-branches', role: 'config', input: configFile('hostile-branch-names.yaml'), errorLines: [4, 6, 8, 10, 12], environments: ['demo'] },
  {
    id: 'cfg-hostile-repo-urls',
    role: 'config',
    input: configFile('hostile-repo-urls.yaml'),
    errorLines: [4, 6, 8, 14],
    environments: ['qa', 'ok'],
    forbidden: ['ghp_0123456789abcdefghijklmnopqrstuvwxyzAB', 'hunter2'],
  },
  { id: 'cfg-hostile-clusters', role: 'config', input: configFile('hostile-clusters.yaml'), errorLines: [3, 4, 5, 6, 11, 14, 16], environments: [] },
  { id: 'cfg-duplicate-envs', role: 'config', input: configFile('duplicate-environments.yaml'), errorLines: [5] },
  { id: 'cfg-duplicate-keys', role: 'config', input: configFile('duplicate-keys.yaml'), errorLines: [5], environments: [] },
  { id: 'cfg-empty', role: 'config', input: configFile('empty.yaml'), errorLines: [null], environments: [] },
  { id: 'cfg-only-comments', role: 'config', input: configFile('only-comments.yaml'), errorLines: [null], environments: [] },
  { id: 'cfg-list-at-top', role: 'config', input: configFile('list-at-top.yaml'), errorLines: [1], environments: [] },
  { id: 'cfg-multiple-documents', role: 'config', input: configFile('multiple-documents.yaml'), errorLines: [7], environments: [] },
  { id: 'cfg-invalid-yaml', role: 'config', input: configFile('invalid-yaml.yaml'), errorLines: [7], environments: [] },
  { id: 'cfg-alias-heavy', role: 'config', input: configFile('alias-heavy.yaml'), errorLines: [] },
  { id: 'cfg-unicode-yes-on', role: 'config', input: configFile('unicode-and-special.yaml'), errorLines: [3, 7, 10], environments: [] },
  { id: 'cfg-hostile-ignore-rules', role: 'config', input: configFile('ignore-rules-hostile.yaml'), errorLines: [11, 12, 16] },
  { id: 'cfg-deep-10000', role: 'config', input: () => gen.deepConfig(), errorLines: [2], environments: [] },
  { id: 'cfg-oversized', role: 'config', input: gen.oversizedConfig, errorLines: [null], environments: [] },
  {
    id: 'cfg-5000-environments',
    role: 'config',
    input: () => gen.manyEnvironments(),
    errorLines: [],
    environments: ['dev', 'staging', ...Array.from({ length: 5_000 }, (_, i) => `extra-${i}`)],
  },
  { id: 'cfg-bom-crlf', role: 'config', input: gen.configWithBomAndCrlf, errorLines: [] },
  { id: 'cfg-binary', role: 'config', input: gen.binaryConfig, errorLines: [null], environments: [] },
  {
    id: 'cfg-utf16',
    role: 'config',
    input: () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('apiVersion: gitops-environments/v1\nenvironments: []\n', 'utf16le')]),
    errorLines: [null],
    environments: [],
  },
];

/** Kustomizations with remote bases, plugins and escapes; helm-ish folders. */
export const FOLDER_CASES: FolderCase[] = [
  {
    id: 'kz-remote-github-base',
    role: 'kustomize',
    folder: literalFolder('remote-github-base'),
    errorFile: 'envs/dev/kustomization.yaml',
    errorLine: 4,
    stages: { renderT: 'error', renderU: 'error' },
  },
  {
    id: 'kz-remote-https-resource',
    role: 'kustomize',
    folder: literalFolder('remote-https-resource'),
    errorFile: 'envs/dev/kustomization.yaml',
    errorLine: 3,
    stages: { renderT: 'error', renderU: 'error' },
  },
  {
    id: 'kz-exec-transformer',
    role: 'kustomize',
    folder: (ctx) => ({ ...literalFolder('exec-transformer')(), 'evil.sh': `#!/bin/sh\ntouch '${join(ctx.outside, 'pwned')}'\ncat "$@"\n` }),
    setup: (ctx) => chmodExecutable(ctx, 'envs/dev/evil.sh'),
    marker: 'pwned',
    errorFile: 'envs/dev/kustomization.yaml',
    stages: { renderT: 'error' },
  },
  {
    id: 'kz-exec-generator',
    role: 'kustomize',
    folder: literalFolder('exec-generator'),
    marker: 'pwned',
    errorFile: 'envs/dev/kustomization.yaml',
    stages: { renderT: 'error' },
  },
  { id: 'kz-krm-container-function', role: 'kustomize', folder: literalFolder('krm-container-function'), errorFile: 'envs/dev/kustomization.yaml', stages: { renderT: 'error' } },
  { id: 'kz-inline-helm-charts', role: 'kustomize', folder: literalFolder('inline-helm-charts'), errorFile: 'envs/dev/kustomization.yaml', stages: { renderT: 'error' } },
  {
    id: 'kz-outside-resources',
    role: 'kustomize',
    folder: literalFolder('outside-resources'),
    errorFile: 'envs/dev/kustomization.yaml',
    errorLine: 3,
    forbidden: ['root:x:0:0'],
    stages: { renderT: 'error' },
  },
  { id: 'kz-cycle', role: 'kustomize', folder: literalFolder('cycle'), errorFile: 'envs/dev/kustomization.yaml', stages: { renderT: 'error' } },
  { id: 'kz-invalid-yaml', role: 'kustomize', folder: literalFolder('invalid-kustomization'), errorFile: 'envs/dev/kustomization.yaml', errorLine: 5, stages: { renderT: 'error', renderU: 'error' } },
  {
    id: 'kz-binary-kustomization',
    role: 'kustomize',
    folder: () => ({ 'kustomization.yaml': gen.binaryPng(), 'deployment.yaml': gen.NORMAL_DEPLOYMENT }),
    errorFile: 'envs/dev/kustomization.yaml',
    stages: { renderT: 'error', renderU: 'error' },
  },
  // A patch target name that backtracks exponentially in JavaScript (kustomize's RE2 takes linear time).
  { id: 'kz-redos-patch-target', role: 'kustomize', folder: literalFolder('redos-patch-target'), stages: { renderT: 'ok' } },
  {
    id: 'kz-symlink-outside',
    role: 'kustomize',
    folder: () => ({ 'kustomization.yaml': 'resources:\n  - deployment.yaml\n  - link.yaml\n', 'deployment.yaml': gen.NORMAL_DEPLOYMENT }),
    setup: (ctx) => symlinkOutside(ctx, 'envs/dev/link.yaml'),
    forbidden: ['OUTSIDE-THE-REPOSITORY-333'],
    // kustomize refuses the link; the error names the entry that pulls it in.
    errorFile: 'envs/dev/link.yaml',
    stages: { renderT: 'error' },
  },
  {
    id: 'helm-not-installed',
    role: 'helm',
    folder: literalFolder('helm-chart'),
    helm: (ctx) => join(ctx.outside, 'no-such-helm'),
    errorFile: 'envs/dev/Chart.yaml',
    stages: { renderT: 'error' },
  },
  {
    id: 'helm-hostile-output',
    role: 'helm',
    folder: literalFolder('helm-chart'),
    // A helm that prints what a hostile chart could make it print.
    helm: (ctx) => fakeExecutable(ctx, 'helm', `cat '${join(INPUTS, 'folders', 'helm-hostile-output.yaml')}'`),
    errorFile: 'envs/dev/Chart.yaml',
    stages: { renderT: 'error' },
  },
  {
    id: 'helm-broken-chart',
    role: 'helm',
    folder: () => ({ 'Chart.yaml': 'apiVersion: v2\nname: [broken\n', 'templates/a.yaml': '{{ .Values.nope | required "x" }}\n' }),
    helm: (ctx) => fakeExecutable(ctx, 'helm', "echo 'Error: YAML parse error on chart/Chart.yaml: error converting YAML to JSON' >&2; exit 1"),
    errorFile: 'envs/dev/Chart.yaml',
    stages: { renderT: 'error' },
  },
  // Symlinks that point out of the repository, in a plain folder.
  {
    id: 'repo-symlinks-outside',
    role: 'repo',
    folder: () => ({ 'app.yaml': gen.NORMAL_DEPLOYMENT }),
    setup: (ctx) => {
      symlinkOutside(ctx, 'envs/dev/outside.yaml');
      linkTo(ctx, '/etc/passwd', 'envs/dev/passwd.yaml');
      linkTo(ctx, '/etc', 'envs/dev/etc');
    },
    forbidden: ['OUTSIDE-THE-REPOSITORY-333', 'root:x:0:0'],
  },
  // Environment folders named with shell metacharacters, a newline and a space.
  {
    id: 'repo-shell-metachar-folders',
    role: 'repo',
    folder: () => ({ 'app.yaml': gen.NORMAL_DEPLOYMENT }),
    setup: (ctx) => {
      for (const name of ['$(id)', ';rm -rf ~', 'a|b', '`id`', 'dev\nprod', 'with space', '--help', '..hidden']) {
        writeRepoFile(ctx, `envs/${name}/app.yaml`, gen.NORMAL_DEPLOYMENT);
      }
    },
  },
  // Branches named with shell metacharacters and unicode; environments come from branches.
  {
    id: 'repo-hostile-branches',
    role: 'repo',
    folder: () => ({ 'app.yaml': gen.NORMAL_DEPLOYMENT }),
    setup: (ctx) => {
      // Without environment folders, the branches decide.
      moveFolders(ctx);
      for (const name of ['env/$(id)', 'env/;rm', 'env/`id`', 'env/a|b', 'env/dév', 'env/プロダクション', 'env/dev', 'env/staging']) createBranch(ctx, name);
    },
  },
  // Branch names with unicode declared in gitops.yaml (git allows them; so must we).
  {
    id: 'repo-unicode-branch-config',
    role: 'repo',
    folder: () => ({ 'app.yaml': gen.NORMAL_DEPLOYMENT }),
    setup: (ctx) => {
      writeRepoFile(ctx, 'gitops.yaml', 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: dev\n    branch: env/dév-ü\n  - name: staging\n    branch: env/stäging\n');
      commit(ctx, 'config');
      createBranch(ctx, 'env/dév-ü');
      createBranch(ctx, 'env/stäging');
      writeRepoFile(ctx, 'envs/dev/app.yaml', gen.NORMAL_DEPLOYMENT.replace('web:1.0.0', 'web:2.0.0'));
      commit(ctx, 'newer image');
      gitCommand(ctx, 'branch', '-f', 'env/dév-ü', 'HEAD');
    },
  },
];

export const ALL_CASES: HostileCase[] = [...MANIFEST_CASES, ...CONFIG_CASES, ...FOLDER_CASES];

