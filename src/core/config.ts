// gitops.yaml: the file that names a repository's environments, in promotion order, when discovery
// should not guess. Read node by node (not through toJS) so every problem carries the line and
// column of the offending key or value, and one broken entry never hides the others.
import { LineCounter, isMap, isScalar, isSeq, type Document, type Node as YamlNode, type YAMLMap } from 'yaml';
import { closestMatch } from './didYouMean';
import { parseLabelSelector } from './drift/labelSelector';
import type { ClusterRef, Environment, HostKind, LocatedProblem, SourceRange } from './model';
import { branchNameProblem, isNamespaceName, isSafeEnvironmentName, looksLikeSecretUserInfo, normalizeRepoPath, repoLocationProblem, suggestEnvironmentName } from './safeNames';
import { describeNode, parseYamlDocuments, rangeFromOffsets, rangeOfNode, resolveAlias } from './yamlSource';

/** Looked up at the repository root, first match wins. */
export const CONFIG_FILE_NAMES = ['gitops.yaml', 'gitops.yml'] as const;
export const CONFIG_API_VERSION = 'gitops-environments/v1';
/** A config this large is not hand-written; refusing it keeps the parser from stalling the host. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export interface PromotionConfig {
  /** Globs (repository-relative) of files a promotion never copies, such as per-environment replicas. */
  exclude: string[];
  /** Labels put on promotion pull requests. */
  labels: string[];
  /** Reviewers requested on promotion pull requests. */
  reviewers: string[];
  /** Values a promotion never writes (`spec.replicas`, `/spec/replicas`, `**\/app.yaml#data.MODE`): the environment's own. */
  keep: string[];
}

export type DriftMode = 'server' | 'local';

/** Same shape and meaning as Argo CD's `ignoreDifferences` entries, so rules can be copied over. */
export interface IgnoreDifferenceRule {
  /** API group; '' is the core group. */
  group: string;
  kind: string;
  /** null = every object of the kind. */
  name: string | null;
  namespace: string | null;
  jsonPointers: string[];
  jqPathExpressions: string[];
  managedFieldsManagers: string[];
}

export interface DriftConfig {
  /** null = not set; the drift engine picks its default. */
  mode: DriftMode | null;
  ignoreDifferences: IgnoreDifferenceRule[];
  /**
   * Label selector of an environment's live objects (`{environment}` stands for its name): live
   * objects it matches that Git lacks are reported as Extra. null = not set (the operator's
   * tracking label, when Argo CD or Flux declares the environment).
   */
  extraSelector: string | null;
}

/** The `drift.extraSelector` of gitops.yaml for one environment. */
export function extraSelectorFor(template: string, environment: string): string {
  return template.split('{environment}').join(environment);
}

export type ConfigHostKind = Exclude<HostKind, 'unknown'>;

export interface HostConfig {
  /** Overrides the kind guessed from the remote URL (self-hosted servers with neutral names). */
  kind: ConfigHostKind | null;
  /** REST API base URL for self-hosted servers. */
  apiUrl: string | null;
}

export interface GitopsConfig {
  apiVersion: string;
  /** The valid entries, in promotion order (same array as `ConfigParseResult.environments`). */
  environments: Environment[];
  /** Named clusters that environments may refer to by name. */
  clusters: Record<string, ClusterRef>;
  promotion: PromotionConfig;
  drift: DriftConfig;
  hosts: HostConfig | null;
}

export interface ConfigParseResult {
  /** null when the file cannot be read as YAML or is not a mapping. */
  config: GitopsConfig | null;
  environments: Environment[];
  problems: LocatedProblem[];
}

const HOST_KINDS: readonly ConfigHostKind[] = ['github', 'github-enterprise', 'gitlab', 'gitea', 'azure-devops', 'bitbucket', 'bitbucket-server'];
const DRIFT_MODES: readonly DriftMode[] = ['server', 'local'];
const TOP_KEYS = ['apiVersion', 'environments', 'clusters', 'promotion', 'drift', 'hosts'];
const ENVIRONMENT_KEYS = ['name', 'branch', 'path', 'paths', 'repo', 'cluster', 'protected'];
const CLUSTER_KEYS = ['context', 'namespace'];
const PROMOTION_KEYS = ['exclude', 'labels', 'reviewers', 'keep'];
const DRIFT_KEYS = ['mode', 'ignoreDifferences', 'extraSelector'];
const IGNORE_KEYS = ['group', 'kind', 'name', 'namespace', 'jsonPointers', 'jqPathExpressions', 'managedFieldsManagers'];
const HOST_KEYS = ['kind', 'apiUrl'];

interface Entry {
  key: string;
  keyNode: YamlNode;
  value: YamlNode | null;
}

/** Walks the document and collects located problems; every check reports through it. */
class ConfigReader {
  readonly problems: LocatedProblem[] = [];

  constructor(
    private readonly file: string,
    private readonly lines: LineCounter,
    private readonly doc: Document,
  ) {}

  range(node: YamlNode | null | undefined): SourceRange | undefined {
    return rangeOfNode(this.lines, node);
  }

  line(node: YamlNode | null | undefined): number | undefined {
    return this.range(node)?.start.line;
  }

  report(severity: LocatedProblem['severity'], node: YamlNode | null | undefined, message: string, hint: string): void {
    const range = this.range(node);
    this.problems.push({ severity, message, hint, location: range ? { file: this.file, range } : { file: this.file } });
  }

  error(node: YamlNode | null | undefined, message: string, hint: string): void {
    this.report('error', node, message, hint);
  }

  errorCount(): number {
    return this.problems.filter((p) => p.severity === 'error').length;
  }

  resolve(node: unknown): YamlNode | null {
    return resolveAlias(this.doc, node);
  }

  /** The entries of a mapping; reports non-string keys and unknown keys (with a suggestion). */
  entries(map: YAMLMap, known: readonly string[], where: string): Entry[] {
    const out: Entry[] = [];
    for (const pair of map.items) {
      const keyNode = this.resolve(pair.key);
      if (!isScalar(keyNode) || typeof keyNode.value !== 'string') {
        this.error(keyNode, `${where}: keys must be plain words, not ${describeNode(keyNode)}`, `use one of: ${known.join(', ')}`);
        continue;
      }
      const key = keyNode.value;
      if (!known.includes(key)) {
        const guess = closestMatch(key, known);
        this.report(
          'warning',
          keyNode,
          `${where}: unknown key "${key}"${guess ? ` — did you mean "${guess}"?` : ''}; it is ignored`,
          guess ? `rename it to "${guess}"` : `known keys here: ${known.join(', ')}`,
        );
        continue;
      }
      out.push({ key, keyNode, value: this.resolve(pair.value) });
    }
    return out;
  }

  /** A string value; null when empty. Reports other types. */
  string(entry: Entry, where: string): string | null | undefined {
    const node = entry.value;
    if (isEmpty(node)) return null;
    if (isScalar(node) && typeof node.value === 'string') return node.value;
    this.error(node, `${where}: "${entry.key}" must be a string, not ${describeNode(node)}`, `quote it: ${entry.key}: "${isScalar(node) ? String(node.value) : '…'}"`);
    return undefined;
  }

  /** A list of strings; reports the container or each offending item. */
  stringList(entry: Entry, where: string, example: string): string[] {
    const node = entry.value;
    if (isEmpty(node)) return [];
    if (!isSeq(node)) {
      this.error(node, `${where}: "${entry.key}" must be a list of strings, not ${describeNode(node)}`, `write ${entry.key}: [${example}]`);
      return [];
    }
    const out: string[] = [];
    for (const raw of node.items) {
      const item = this.resolve(raw);
      if (isScalar(item) && typeof item.value === 'string') out.push(item.value);
      else this.error(item, `${where}: every item of "${entry.key}" must be a string, not ${describeNode(item)}`, 'quote the item');
    }
    return out;
  }

  /** A mapping, or undefined after reporting. */
  map(entry: Entry, where: string, example: string): YAMLMap | undefined {
    if (isMap(entry.value)) return entry.value;
    this.error(entry.value ?? entry.keyNode, `${where}: "${entry.key}" must be a mapping, not ${describeNode(entry.value)}`, `write it as ${example}`);
    return undefined;
  }
}

/** `key:` with nothing after it, or an explicit null: the same as leaving the key out. */
function isEmpty(node: YamlNode | null | undefined): boolean {
  return node === null || node === undefined || (isScalar(node) && (node.value === null || node.value === undefined));
}

function emptyPromotion(): PromotionConfig {
  return { exclude: [], labels: [], reviewers: [], keep: [] };
}

/**
 * Parses gitops.yaml. Never throws. Problems are located and come with a hint; an environment entry
 * with an error is left out while the valid ones are still returned, so the tree keeps working while
 * the user fixes the file. Unknown keys are warnings.
 */
export function parseGitopsConfig(text: string, file: string = CONFIG_FILE_NAMES[0]): ConfigParseResult {
  try {
    return parse(text, file);
  } catch (error) {
    // Defensive: a bug here must not take the Environments view down with it.
    return {
      config: null,
      environments: [],
      problems: [{ severity: 'error', message: `Cannot read ${file}: ${(error as Error).message}`, location: { file }, hint: 'please report this with the file attached' }],
    };
  }
}

function parse(text: string, file: string): ConfigParseResult {
  const fail = (problem: LocatedProblem): ConfigParseResult => ({ config: null, environments: [], problems: [problem] });
  if (text.length > MAX_CONFIG_BYTES) {
    return fail({ severity: 'error', message: `${file} is larger than ${MAX_CONFIG_BYTES / 1024} KB`, location: { file }, hint: 'a gitops.yaml only lists environments; check that this is the right file' });
  }
  if (text.slice(0, 8000).includes('\u0000')) {
    const utf16 = text.startsWith('\uFFFD\uFFFD');
    return fail({ severity: 'error', message: `${file} is ${utf16 ? 'UTF-16' : 'binary'}, not UTF-8 YAML`, location: { file }, hint: utf16 ? 'save it as UTF-8' : 'check that this is the right file' });
  }
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = new LineCounter();
  const [doc] = parseYamlDocuments(source, { lineCounter: lines, single: true });
  if (doc.errors.length > 0) {
    return {
      config: null,
      environments: [],
      problems: doc.errors.map((error) => {
        const [start, end] = error.pos;
        return {
          severity: 'error' as const,
          message: `YAML syntax error: ${error.message.split('\n')[0]}`,
          location: { file, range: rangeFromOffsets(lines, start, end) },
          hint: 'fix the YAML at this position',
        };
      }),
    };
  }
  const reader = new ConfigReader(file, lines, doc);
  const root = reader.resolve(doc.contents);
  if (!isMap(root)) {
    const empty = isEmpty(root);
    reader.error(
      root,
      empty ? `${file} is empty` : `${file} must be a mapping with "apiVersion" and "environments", not ${describeNode(root)}`,
      `start with "apiVersion: ${CONFIG_API_VERSION}" and an "environments:" list of entries like "- name: dev"`,
    );
    return { config: null, environments: [], problems: reader.problems };
  }

  const top = new Map(reader.entries(root, TOP_KEYS, file).map((e) => [e.key, e]));
  const apiVersion = readApiVersion(reader, root, top.get('apiVersion'));
  const { clusters, invalidClusters } = readClusters(reader, top.get('clusters'));
  const environments = readEnvironments(reader, root, top.get('environments'), clusters, invalidClusters, file);
  const config: GitopsConfig = {
    apiVersion,
    environments,
    clusters: Object.fromEntries(clusters),
    promotion: readPromotion(reader, top.get('promotion')),
    drift: readDrift(reader, top.get('drift')),
    hosts: readHosts(reader, top.get('hosts')),
  };
  return { config, environments, problems: reader.problems };
}

function readApiVersion(reader: ConfigReader, root: YAMLMap, entry: Entry | undefined): string {
  if (!entry) {
    // An error, as in the JSON schema: the version is what lets a later format change be told apart.
    reader.error(root, `"apiVersion" is missing`, `add apiVersion: ${CONFIG_API_VERSION} as the first line`);
    return CONFIG_API_VERSION;
  }
  const value = reader.string(entry, 'apiVersion');
  if (typeof value === 'string' && value !== CONFIG_API_VERSION) {
    // Still read the rest: a wrong version is most often a typo, and the tree should keep working.
    reader.error(entry.value, `apiVersion "${value}" is not supported`, `use apiVersion: ${CONFIG_API_VERSION}`);
  }
  return value ?? CONFIG_API_VERSION;
}

function readClusterRef(reader: ConfigReader, map: YAMLMap, where: string): ClusterRef | undefined {
  const before = reader.errorCount();
  const ref: ClusterRef = { context: null, namespace: null };
  for (const entry of reader.entries(map, CLUSTER_KEYS, where)) {
    const value = reader.string(entry, where);
    if (typeof value !== 'string') continue;
    if (entry.key === 'context') {
      if (value.trim() === '') reader.error(entry.value, `${where}: "context" is empty`, 'name a context from your kubeconfig (kubectl config get-contexts)');
      else ref.context = value;
    } else if (!isNamespaceName(value)) {
      reader.error(entry.value, `${where}: namespace "${value}" is not a valid Kubernetes namespace name`, 'use lower-case letters, digits and "-", at most 63 characters');
    } else {
      ref.namespace = value;
    }
  }
  return reader.errorCount() === before ? ref : undefined;
}

function readClusters(reader: ConfigReader, entry: Entry | undefined): { clusters: Map<string, ClusterRef>; invalidClusters: Set<string> } {
  const clusters = new Map<string, ClusterRef>();
  const invalidClusters = new Set<string>();
  if (!entry || isEmpty(entry.value)) return { clusters, invalidClusters };
  const map = reader.map(entry, 'clusters', '"clusters: { east: { context: prod-east, namespace: web } }"');
  if (!map) return { clusters, invalidClusters };
  for (const pair of map.items) {
    const keyNode = reader.resolve(pair.key);
    if (!isScalar(keyNode) || (typeof keyNode.value !== 'string' && typeof keyNode.value !== 'number')) {
      reader.error(keyNode, `clusters: a cluster name must be a word, not ${describeNode(keyNode)}`, 'name each cluster with a plain word, like east:');
      continue;
    }
    const name = String(keyNode.value);
    const value = reader.resolve(pair.value);
    const where = `cluster "${name}"`;
    if (!isMap(value)) {
      reader.error(value ?? keyNode, `${where} must be a mapping, not ${describeNode(value)}`, `write ${name}: { context: my-context, namespace: my-namespace }`);
      invalidClusters.add(name);
      continue;
    }
    const ref = readClusterRef(reader, value, where);
    if (ref) clusters.set(name, ref);
    else invalidClusters.add(name);
  }
  return { clusters, invalidClusters };
}

function readEnvironments(
  reader: ConfigReader,
  root: YAMLMap,
  entry: Entry | undefined,
  clusters: Map<string, ClusterRef>,
  invalidClusters: Set<string>,
  file: string,
): Environment[] {
  if (!entry) {
    reader.error(root, `"environments" is missing`, 'add "environments:" with one "- name: …" entry per environment, in promotion order');
    return [];
  }
  const seq = entry.value;
  if (isEmpty(seq)) {
    reader.report('warning', entry.keyNode, 'no environments are listed', 'add entries like  - name: dev');
    return [];
  }
  if (!isSeq(seq)) {
    reader.error(seq, `"environments" must be a list, not ${describeNode(seq)}`, 'write each environment as a list item ("- name: dev"), in promotion order');
    return [];
  }
  const environments: Environment[] = [];
  const seen = new Map<string, { name: string; line: number | undefined }>();
  seq.items.forEach((raw, index) => {
    const node = reader.resolve(raw);
    const where = `environments[${index}]`;
    if (!isMap(node)) {
      reader.error(node, `${where} must be a mapping, not ${describeNode(node)}`, 'write  - name: dev  (with optional branch, path, repo, cluster, protected)');
      return;
    }
    const env = readEnvironment(reader, node, where, clusters, invalidClusters, seen);
    if (!env) return;
    const range = reader.range(node);
    environments.push({ ...env, order: environments.length, source: 'config', declaredAt: range ? { file, range } : { file } });
  });
  return environments;
}

type EnvironmentFields = Omit<Environment, 'order' | 'source' | 'declaredAt'>;

function readEnvironment(
  reader: ConfigReader,
  node: YAMLMap,
  where: string,
  clusters: Map<string, ClusterRef>,
  invalidClusters: Set<string>,
  seen: Map<string, { name: string; line: number | undefined }>,
): EnvironmentFields | undefined {
  const before = reader.errorCount();
  const entries = reader.entries(node, ENVIRONMENT_KEYS, where);
  const byKey = new Map(entries.map((e) => [e.key, e]));
  const env: EnvironmentFields = { name: '', repo: null, branch: null, path: null, cluster: { context: null, namespace: null }, protected: false };

  const nameEntry = byKey.get('name');
  const name = nameEntry ? reader.string(nameEntry, where) : null;
  if (name === null) {
    reader.error(nameEntry?.value ?? node, `${where} has no "name"`, 'add  name: <environment>  (ASCII letters, digits, ".", "_", "-")');
  } else if (typeof name === 'string') {
    const label = `environment "${name}"`;
    if (!isSafeEnvironmentName(name)) {
      const suggestion = suggestEnvironmentName(name);
      reader.error(
        nameEntry?.value,
        `${label}: the name may only contain ASCII letters (a-z, A-Z), digits, ".", "_" and "-", start with a letter or digit, and be at most 63 characters`,
        suggestion ? `rename it, e.g. name: ${suggestion}` : 'rename it, e.g. name: dev',
      );
    } else {
      const earlier = seen.get(name.toLowerCase());
      if (earlier) {
        reader.error(
          nameEntry?.value,
          `${label} is declared twice${earlier.line ? ` (first on line ${earlier.line})` : ''}${earlier.name !== name ? ` as "${earlier.name}"` : ''}`,
          'environment names must be unique (ignoring case); rename or remove one of them',
        );
      } else {
        seen.set(name.toLowerCase(), { name, line: reader.line(nameEntry?.value) });
        env.name = name;
      }
    }
  }
  const label = typeof name === 'string' ? `environment "${name}"` : where;

  const branchEntry = byKey.get('branch');
  if (branchEntry) {
    const branch = reader.string(branchEntry, label);
    const problem = typeof branch === 'string' ? branchNameProblem(branch) : undefined;
    if (problem) reader.error(branchEntry.value, `${label}: branch "${branch}" ${problem}`, 'use the branch name as git shows it, e.g. env/dev');
    else if (typeof branch === 'string') env.branch = branch;
  }

  const pathEntry = byKey.get('path');
  if (pathEntry) {
    const raw = reader.string(pathEntry, label);
    if (typeof raw === 'string') {
      const result = normalizeRepoPath(raw);
      if (result.ok) env.path = result.path;
      else reader.error(pathEntry.value, `${label}: path "${raw}" ${result.reason}`, 'write a folder relative to the repository root, like deploy/dev; use "repo:" for another repository');
    }
  }
  const pathsEntry = byKey.get('paths');
  if (pathsEntry) readPaths(reader, pathsEntry, label, env, pathEntry !== undefined);

  const repoEntry = byKey.get('repo');
  if (repoEntry) {
    const repo = reader.string(repoEntry, label);
    const problem = typeof repo === 'string' ? repoLocationProblem(repo) : undefined;
    if (problem) {
      reader.error(
        repoEntry.value,
        `${label}: repo ${problem}`,
        problem.includes('token') ? 'remove the secret from the URL; git credentials come from your credential helper or VS Code sign-in' : 'use a folder path or an https:// / ssh URL',
      );
    } else if (typeof repo === 'string') {
      env.repo = repo.trim();
    }
  }

  const clusterEntry = byKey.get('cluster');
  if (clusterEntry && !isEmpty(clusterEntry.value)) {
    const value = clusterEntry.value;
    if (isMap(value)) {
      const ref = readClusterRef(reader, value, `${label}: cluster`);
      if (ref) env.cluster = ref;
    } else if (isScalar(value) && typeof value.value === 'string') {
      const ref = clusters.get(value.value);
      if (ref) {
        env.cluster = { ...ref };
      } else if (invalidClusters.has(value.value)) {
        reader.error(value, `${label}: cluster "${value.value}" is defined under "clusters:" but has errors`, 'fix that cluster entry first');
      } else {
        const guess = closestMatch(value.value, clusters.keys());
        reader.error(
          value,
          `${label}: cluster "${value.value}" is not defined under "clusters:"${guess ? ` — did you mean "${guess}"?` : ''}`,
          clusters.size ? `use one of: ${[...clusters.keys()].join(', ')}; or write { context: …, namespace: … } inline` : 'add it under clusters:, or write { context: …, namespace: … } inline',
        );
      }
    } else {
      reader.error(value, `${label}: "cluster" must be a cluster name or a mapping, not ${describeNode(value)}`, 'write cluster: { context: my-context, namespace: my-namespace }');
    }
  }

  const protectedEntry = byKey.get('protected');
  if (protectedEntry && !isEmpty(protectedEntry.value)) {
    const value = protectedEntry.value;
    if (isScalar(value) && typeof value.value === 'boolean') env.protected = value.value;
    else {
      reader.error(value, `${label}: "protected" must be true or false, not ${describeNode(value)}`, 'write protected: true (or false) without quotes');
    }
  }

  return reader.errorCount() === before && env.name !== '' ? env : undefined;
}

/**
 * `paths:` — every folder of an environment made of several (one per application). Each item is
 * checked like `path`. With `path:` as well, the two are merged (`path` first) with a warning, so
 * a half-migrated file keeps working.
 */
function readPaths(reader: ConfigReader, entry: Entry, label: string, env: EnvironmentFields, hasPath: boolean): void {
  const node = entry.value;
  if (isEmpty(node)) return;
  if (!isSeq(node)) {
    reader.error(node, `${label}: "paths" must be a list of folders, not ${describeNode(node)}`, 'write paths: [apps/web/overlays/prod, apps/api/overlays/prod], or path: for one folder');
    return;
  }
  const paths: string[] = [];
  for (const raw of node.items) {
    const item = reader.resolve(raw);
    if (!isScalar(item) || typeof item.value !== 'string') {
      reader.error(item, `${label}: every item of "paths" must be a folder (a string), not ${describeNode(item)}`, 'quote the item');
      continue;
    }
    const result = normalizeRepoPath(item.value);
    if (!result.ok) {
      reader.error(item, `${label}: path "${item.value}" ${result.reason}`, 'write a folder relative to the repository root, like apps/web/overlays/dev');
    } else if (result.path === null) {
      reader.error(item, `${label}: "paths" cannot hold the repository root ("${item.value}")`, 'list the folders of the environment, or leave paths out to use the whole repository');
    } else if (paths.includes(result.path)) {
      reader.report('warning', item, `${label}: folder "${result.path}" is listed twice in "paths"`, 'remove the duplicate');
    } else {
      paths.push(result.path);
    }
  }
  if (hasPath) {
    reader.report('warning', entry.keyNode, `${label}: both "path" and "paths" are set; "path" is used as the first folder`, 'move the folder of "path" into "paths" and remove "path"');
    if (env.path !== null && !paths.includes(env.path)) paths.unshift(env.path);
    else if (env.path !== null) paths.splice(0, paths.length, env.path, ...paths.filter((p) => p !== env.path));
  }
  if (paths.length === 0) return;
  env.path = paths[0];
  if (paths.length > 1) env.paths = paths;
}

function readPromotion(reader: ConfigReader, entry: Entry | undefined): PromotionConfig {
  const promotion = emptyPromotion();
  if (!entry || isEmpty(entry.value)) return promotion;
  const map = reader.map(entry, 'promotion', `"promotion: { exclude: ['**/replicas.yml'] }"`);
  if (!map) return promotion;
  for (const e of reader.entries(map, PROMOTION_KEYS, 'promotion')) {
    const example = e.key === 'exclude' ? "'**/replicas.yml'" : e.key === 'labels' ? 'promotion' : e.key === 'keep' ? 'spec.replicas' : 'alice';
    promotion[e.key as keyof PromotionConfig] = reader.stringList(e, 'promotion', example);
  }
  return promotion;
}

function readDrift(reader: ConfigReader, entry: Entry | undefined): DriftConfig {
  const drift: DriftConfig = { mode: null, ignoreDifferences: [], extraSelector: null };
  if (!entry || isEmpty(entry.value)) return drift;
  const map = reader.map(entry, 'drift', '"drift: { mode: server }"');
  if (!map) return drift;
  for (const e of reader.entries(map, DRIFT_KEYS, 'drift')) {
    if (e.key === 'mode') {
      const mode = reader.string(e, 'drift');
      if (typeof mode !== 'string') continue;
      if ((DRIFT_MODES as readonly string[]).includes(mode)) drift.mode = mode as DriftMode;
      else reader.error(e.value, `drift: mode "${mode}" is not one of ${DRIFT_MODES.join(', ')}`, 'server compares with a server-side dry-run; local compares without asking the cluster');
      continue;
    }
    if (e.key === 'extraSelector') {
      const selector = reader.string(e, 'drift');
      if (typeof selector !== 'string') continue;
      try {
        parseLabelSelector(extraSelectorFor(selector, 'env'));
        drift.extraSelector = selector;
      } catch (error) {
        reader.error(e.value, `drift: extraSelector: ${(error as Error).message}`, 'write labels like  app.kubernetes.io/part-of=shop,environment={environment}');
      }
      continue;
    }
    if (isEmpty(e.value)) continue;
    if (!isSeq(e.value)) {
      reader.error(e.value, `drift: "ignoreDifferences" must be a list, not ${describeNode(e.value)}`, 'write  - { kind: Deployment, jsonPointers: [/spec/replicas] }');
      continue;
    }
    e.value.items.forEach((raw, index) => {
      const rule = readIgnoreRule(reader, reader.resolve(raw), `drift.ignoreDifferences[${index}]`);
      if (rule) drift.ignoreDifferences.push(rule);
    });
  }
  return drift;
}

function readIgnoreRule(reader: ConfigReader, node: YamlNode | null, where: string): IgnoreDifferenceRule | undefined {
  if (!isMap(node)) {
    reader.error(node, `${where} must be a mapping, not ${describeNode(node)}`, 'write  - { kind: Deployment, jsonPointers: [/spec/replicas] }');
    return undefined;
  }
  const before = reader.errorCount();
  const rule: IgnoreDifferenceRule = { group: '', kind: '', name: null, namespace: null, jsonPointers: [], jqPathExpressions: [], managedFieldsManagers: [] };
  for (const e of reader.entries(node, IGNORE_KEYS, where)) {
    if (e.key === 'jsonPointers' || e.key === 'jqPathExpressions' || e.key === 'managedFieldsManagers') {
      rule[e.key] = reader.stringList(e, where, e.key === 'jsonPointers' ? '/spec/replicas' : e.key === 'jqPathExpressions' ? '.spec.replicas' : 'kube-controller-manager');
      continue;
    }
    const value = reader.string(e, where);
    if (typeof value !== 'string') continue;
    if (e.key === 'group') rule.group = value;
    else if (e.key === 'kind') rule.kind = value;
    else if (e.key === 'name') rule.name = value;
    else rule.namespace = value;
  }
  if (rule.kind === '') reader.error(node, `${where} has no "kind"`, 'add  kind: Deployment  (and group: apps for non-core kinds)');
  const pointersNode = node.items.find((p) => isScalar(p.key) && p.key.value === 'jsonPointers')?.value as YamlNode | undefined;
  for (const pointer of rule.jsonPointers) {
    if (pointer !== '' && !pointer.startsWith('/')) {
      reader.error(pointersNode, `${where}: "${pointer}" is not a JSON pointer`, `JSON pointers start with "/", e.g. /${pointer.replace(/^\.+/, '').replace(/\./g, '/')}`);
    }
  }
  if (reader.errorCount() !== before) return undefined;
  if (!rule.jsonPointers.length && !rule.jqPathExpressions.length && !rule.managedFieldsManagers.length) {
    reader.report('warning', node, `${where} ignores nothing`, 'add jsonPointers, jqPathExpressions or managedFieldsManagers');
  }
  return rule;
}

function readHosts(reader: ConfigReader, entry: Entry | undefined): HostConfig | null {
  if (!entry || isEmpty(entry.value)) return null;
  const map = reader.map(entry, 'hosts', '"hosts: { kind: gitlab, apiUrl: https://git.example.com/api/v4 }"');
  if (!map) return null;
  const hosts: HostConfig = { kind: null, apiUrl: null };
  for (const e of reader.entries(map, HOST_KEYS, 'hosts')) {
    const value = reader.string(e, 'hosts');
    if (typeof value !== 'string') continue;
    if (e.key === 'kind') {
      if ((HOST_KINDS as readonly string[]).includes(value)) hosts.kind = value as ConfigHostKind;
      else {
        const guess = closestMatch(value, HOST_KINDS);
        reader.error(e.value, `hosts: kind "${value}" is not supported${guess ? ` — did you mean "${guess}"?` : ''}`, `use one of: ${HOST_KINDS.join(', ')}`);
      }
      continue;
    }
    const url = /^(https?):\/\/([^/?#]+)/i.exec(value);
    if (!url) {
      reader.error(e.value, `hosts: apiUrl "${value}" is not an http(s) URL`, 'write the API base, e.g. https://git.example.com/api/v4');
    } else if (url[2].includes('@') && looksLikeSecretUserInfo(url[2].slice(0, url[2].lastIndexOf('@')))) {
      reader.error(e.value, 'hosts: apiUrl contains a password or token', 'remove it; tokens are kept in VS Code\'s secret storage');
    } else {
      hosts.apiUrl = value.replace(/\/+$/, '');
    }
  }
  return hosts;
}
