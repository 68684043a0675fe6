// gitops-env validate FILE|DIR... [--kubeconfig F] [--context C] [--kubernetes-version V] [--json]
//
// Checks manifests the way the API server would, before a pull request: the schema of each kind
// (bundled built-in schemas offline, plus the CRDs found among the same files; with a cluster, its
// own /openapi/v3, cached on disk for offline use), the server's own rules (names, labels,
// selectors, ports, policies, container names), and with a cluster a server-side dry-run of each
// object. Every problem is printed at the line of the offending key or value.
//
// Files are judged for what they are: a kustomization's patches are partial objects (no required
// fields), its configuration and generator inputs, Helm values and charts, and gitops.yaml hold no
// object; any other document that is no Kubernetes object is a problem. Repeated keys are warnings.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { FileTooLargeError, readTextFileBounded } from '../git/boundedFile';
import { escapePointerToken, isManifestPath, MAX_MANIFEST_BYTES, parseManifests, type ParsedManifest } from '../core/manifest';
import { CustomResourceCatalog, OpenApiDocumentCatalog, stackedCatalog, type SchemaCatalog } from '../core/validation/schemaCatalog';
import { validateKubernetesObject } from '../core/validation/objectValidator';
import type { LocatedProblem } from '../core/model';
import type { FieldProblem } from '../core/validation/openApiSchema';
import { builtinSchemas } from '../cluster/builtinSchemas';
import { BUNDLED_KUBERNETES_VERSION, BUNDLED_SCHEMA_SOURCE } from '../core/validation/bundledVersion';
import { isToolFileName, KUSTOMIZATION_FILE_NAMES, kustomizationFileReferences, strongerRole, type KustomizeFileRole } from '../core/validation/kustomizeFileRoles';
import { isObjectDocument, notObjectDocuments, validatePatchObject } from '../core/validation/partialObjects';
import type { ObjectValidation } from '../core/validation/objectValidator';
import { CliUsageError, parseArgs, safeIO, type CliIO } from './cliSupport';

export interface ValidationProblemOutput {
  file: string;
  line: number;
  column: number;
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  path: string;
  message: string;
  /** The API server's reason (FieldValueInvalid, FieldValueNotSupported, …), or DryRun / Parse / NotAnObject. */
  reason: string;
  /** Errors fail the run (listed under `problems`); warnings do not (listed under `warnings`). */
  severity: 'error' | 'warning';
  /** What to do about it, when the reader has advice. */
  hint?: string;
}

interface ValidateOptions {
  paths: string[];
  json: boolean;
  kubeconfig?: string;
  context?: string;
  kubernetesVersion?: string;
}

interface ManifestFile {
  file: string;
  /** Complete objects, checked against the schemas and the server's rules. */
  manifests: ParsedManifest[];
  /** Strategic-merge patches a kustomization names: checked for what they set only. */
  patches: ParsedManifest[];
}

function parseOptions(argv: string[]): ValidateOptions {
  const { flags, positional } = parseArgs(argv, { values: ['kubeconfig', 'context', 'kubernetes-version'], booleans: ['json'] });
  if (positional.length === 0) throw new CliUsageError('name at least one FILE or DIR to validate');
  const version = flags.get('kubernetes-version');
  if (typeof version === 'string' && !/^v?1\.\d+(\.\d+)?$/.test(version)) throw new CliUsageError(`--kubernetes-version "${version}" is not a Kubernetes version like 1.32`);
  const kubeconfig = flags.get('kubeconfig');
  const context = flags.get('context');
  return {
    paths: positional,
    json: flags.get('json') === true,
    kubeconfig: typeof kubeconfig === 'string' ? kubeconfig : undefined,
    context: typeof context === 'string' ? context : undefined,
    kubernetesVersion: typeof version === 'string' ? version : undefined,
  };
}

interface Discovered {
  files: string[];
  /** Kustomization files met while walking, or in the folders above a named path (absolute). */
  kustomizations: Set<string>;
  skippedCharts: string[];
}

/**
 * The folders above a path, nearest first, up to the repository root (the folder holding `.git`)
 * or the file system's root: where a kustomization naming the path, or a chart holding it, may be.
 */
function foldersAbove(path: string): string[] {
  const out: string[] = [];
  for (let folder = path; ; ) {
    out.push(folder);
    const parent = dirname(folder);
    if (parent === folder || existsSync(join(folder, '.git'))) return out;
    folder = parent;
  }
}

/**
 * Every manifest file under the given paths, sorted; hidden folders are skipped, and so are Helm
 * charts met while walking or holding a named path under their templates/ (their templates are not
 * YAML until rendered; named in `skippedCharts`).
 */
function discover(paths: readonly string[]): Discovered {
  const found: Discovered = { files: [], kustomizations: new Set(), skippedCharts: [] };
  const skipChart = (chart: string): void => {
    if (!found.skippedCharts.includes(chart)) found.skippedCharts.push(chart);
  };
  const walk = (path: string, explicit: boolean): void => {
    const stats = statSync(path);
    if (stats.isDirectory()) {
      const entries = readdirSync(path).sort();
      if (entries.includes('Chart.yaml')) {
        skipChart(path);
        return;
      }
      for (const entry of entries) {
        if (entry.startsWith('.') || entry === 'node_modules') continue;
        walk(join(path, entry), false);
      }
    } else {
      if (KUSTOMIZATION_FILE_NAMES.includes(basename(path))) found.kustomizations.add(resolve(path));
      if (explicit || isManifestPath(path)) found.files.push(path);
    }
  };
  for (const path of paths) {
    const absolute = resolve(path);
    const isDirectory = statSync(path).isDirectory();
    let insideTemplates: string | undefined;
    for (const folder of foldersAbove(isDirectory ? absolute : dirname(absolute))) {
      for (const name of KUSTOMIZATION_FILE_NAMES) if (existsSync(join(folder, name))) found.kustomizations.add(join(folder, name));
      const inChart = insideTemplates === undefined && existsSync(join(folder, 'Chart.yaml'));
      if (inChart && relative(folder, absolute).split(sep)[0] === 'templates') insideTemplates = join(path, relative(absolute, folder));
    }
    if (insideTemplates !== undefined) skipChart(insideTemplates);
    else walk(path, true);
  }
  return found;
}

/**
 * What each file named by a kustomization is for (absolute paths); a file named twice keeps the
 * stronger role. The kustomizations found are followed into the folders they pull in (bases,
 * components), so a Component's patches are known when only its user's folder is above a path.
 */
function kustomizeRoles(kustomizations: ReadonlySet<string>): Map<string, KustomizeFileRole> {
  const roles = new Map<string, KustomizeFileRole>();
  const queue = [...kustomizations];
  const seen = new Set(queue);
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    let spec: Record<string, unknown> | undefined;
    try {
      spec = parseManifests(readTextFileBounded(file, MAX_MANIFEST_BYTES), file).manifests[0]?.object;
    } catch {
      // An unreadable kustomization names nothing; when it is among the validated files, reading it there says why.
      continue;
    }
    if (!spec) continue;
    for (const reference of kustomizationFileReferences(spec)) {
      const path = resolve(dirname(file), reference.entry);
      roles.set(path, strongerRole(roles.get(path), reference.role));
      if (reference.role !== 'resource') continue;
      const inner = KUSTOMIZATION_FILE_NAMES.map((name) => join(path, name)).find((candidate) => existsSync(candidate));
      if (inner !== undefined && !seen.has(inner)) {
        seen.add(inner);
        queue.push(inner);
      }
    }
  }
  return roles;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function metadataOf(object: Record<string, unknown>): Record<string, unknown> {
  const metadata = object.metadata;
  return typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata) ? (metadata as Record<string, unknown>) : {};
}

function pointerOf(segments: readonly (string | number)[]): string {
  return segments.map((segment) => `/${escapePointerToken(String(segment))}`).join('');
}

function located(manifest: ParsedManifest, problem: FieldProblem, message: string): ValidationProblemOutput {
  // A missing field is reported where its parent is declared.
  const segments = problem.reason === 'FieldValueRequired' ? problem.segments.slice(0, -1) : problem.segments;
  const range = segments.length === 0 ? manifest.kindRange : manifest.rangeOf(pointerOf(segments));
  const metadata = metadataOf(manifest.object);
  return {
    file: manifest.file,
    line: range.start.line,
    column: range.start.column,
    apiVersion: text(manifest.object.apiVersion),
    kind: text(manifest.object.kind),
    namespace: text(metadata.namespace),
    name: text(metadata.name),
    path: problem.path,
    message,
    reason: problem.reason,
    severity: 'error',
  };
}

/** Problems of one object against the catalog: decode failures, unknown fields, then Invalid causes. */
export function manifestProblems(manifest: ParsedManifest, catalog: SchemaCatalog): { problems: ValidationProblemOutput[]; checked: boolean } {
  return locatedProblems(manifest, validateKubernetesObject(structuredClone(manifest.object), catalog, { unknownFields: 'Strict' }));
}

/** Problems of a kustomize patch: what it sets must be right; what it leaves out is the patched object's. */
export function patchProblems(manifest: ParsedManifest, catalog: SchemaCatalog): ValidationProblemOutput[] {
  return locatedProblems(manifest, validatePatchObject(manifest.object, catalog)).problems;
}

function locatedProblems(manifest: ParsedManifest, result: ObjectValidation): { problems: ValidationProblemOutput[]; checked: boolean } {
  const problems = [
    ...result.decodeErrors.map((problem) => located(manifest, problem, problem.message)),
    ...result.unknownFields.map((problem) => located(manifest, problem, problem.message)),
    ...result.invalid.map((problem) => located(manifest, problem, problem.message)),
  ];
  if (result.exhausted) problems.push(located(manifest, { path: '', segments: [], reason: 'FieldValueInvalid', message: '' }, 'validation stopped: the schema is too large or recursive to check in time'));
  return { problems, checked: result.schemaFound };
}

function parseProblemOutput(file: string, problem: LocatedProblem): ValidationProblemOutput {
  const start = problem.location?.range?.start;
  const severity = problem.severity === 'error' ? 'error' : 'warning';
  return { file, line: start?.line ?? 1, column: start?.column ?? 1, apiVersion: '', kind: '', namespace: '', name: '', path: '', message: problem.message, reason: 'Parse', severity, hint: problem.hint };
}

interface ReadResult {
  files: ManifestFile[];
  /** YAML errors and documents that are no object (errors), repeated keys (warnings). */
  parseProblems: ValidationProblemOutput[];
  warnings: ValidationProblemOutput[];
  skippedCharts: string[];
}

function readManifests(paths: readonly string[]): ReadResult {
  const discovered = discover(paths);
  const roles = kustomizeRoles(discovered.kustomizations);
  const result: ReadResult = { files: [], parseProblems: [], warnings: [], skippedCharts: discovered.skippedCharts };
  for (const file of discovered.files) {
    const role = roles.get(resolve(file));
    // Generator inputs are data kustomize reads as bytes, whatever their extension.
    if (role === 'data') continue;
    let source: string;
    try {
      source = readTextFileBounded(file, MAX_MANIFEST_BYTES);
    } catch (error) {
      if (error instanceof FileTooLargeError) throw new Error(`${file}: ${error.message}`, { cause: error });
      throw error;
    }
    const parsed = parseManifests(source, file);
    for (const problem of parsed.problems) {
      if (problem.severity === 'error') result.parseProblems.push(parseProblemOutput(file, problem));
      else if (problem.severity === 'warning') result.warnings.push(parseProblemOutput(file, problem));
    }
    const name = basename(file);
    if (role === 'config' || KUSTOMIZATION_FILE_NAMES.includes(name)) continue;
    if (role === 'patch') {
      result.files.push({ file, manifests: [], patches: parsed.manifests });
      continue;
    }
    result.files.push({ file, manifests: parsed.manifests.filter((manifest) => manifest.id !== null || isObjectDocument(manifest.object)), patches: [] });
    // A file named by a kustomization's resources is a manifest whatever its name.
    if (role !== 'resource' && isToolFileName(name)) continue;
    const errors = parsed.problems.filter((problem) => problem.severity === 'error');
    // A whole-file error (binary, unreadable YAML) leaves nothing to say about its documents.
    if (errors.some((problem) => problem.location?.range === undefined)) continue;
    for (const found of notObjectDocuments(source, parsed.manifests, errors.map((problem) => problem.location?.range?.start.line ?? 0))) {
      result.parseProblems.push({ file, line: found.position.line, column: found.position.column, apiVersion: '', kind: '', namespace: '', name: '', path: '', message: found.message, reason: 'NotAnObject', severity: 'error' });
    }
  }
  return result;
}

interface ClusterPart {
  catalog: SchemaCatalog;
  note: string;
  dryRun(manifests: ParsedManifest[]): Promise<ValidationProblemOutput[]>;
}

/** Kubernetes' own API groups (decoded into Go structs): the core group, dotless groups and *.k8s.io. */
const builtinGroup = (group: string): boolean => group === '' || !group.includes('.') || group.endsWith('.k8s.io');

async function clusterPart(options: ValidateOptions): Promise<ClusterPart> {
  const { loadKubeconfig } = await import('../cluster/kubeconfigLoader');
  const { KubeClient } = await import('../cluster/kubeClient');
  const { ApiDiscovery } = await import('../cluster/apiDiscovery');
  const { runServerDryRuns } = await import('../cluster/drift/serverDryRun');
  const { clusterOpenApiDocuments, userCacheDir } = await import('../cluster/clusterOpenApi');
  const loaded = loadKubeconfig({ path: options.kubeconfig });
  const context = options.context ?? loaded.currentContext;
  if (!context) throw new CliUsageError('the kubeconfig has no current context: pass --context');
  const client = new KubeClient(loaded.forContext(context), context);
  const schemas = await clusterOpenApiDocuments(client, userCacheDir());
  const catalog = new OpenApiDocumentCatalog(schemas.documents, builtinGroup);
  const live = schemas.source === 'live';
  return {
    catalog,
    note: live ? `schemas from context "${context}" (${catalog.size} kinds)` : `cluster unreachable: schemas of context "${context}" cached at ${schemas.fetchedAt}; no dry-run`,
    async dryRun(manifests) {
      if (!live || manifests.length === 0) return [];
      const byKey = new Map(manifests.map((manifest, index) => [String(index), manifest]));
      const result = await runServerDryRuns(
        { client, discovery: new ApiDiscovery(client) },
        manifests.map((manifest, index) => ({ key: String(index), object: structuredClone(manifest.object) as never })),
        { defaultNamespace: 'default', retries: 0 },
      );
      const out: ValidationProblemOutput[] = [];
      for (const [key, outcome] of result.outcomes) {
        const manifest = byKey.get(key);
        if (!manifest || outcome.ok) continue;
        out.push(located(manifest, { path: '', segments: [], reason: 'FieldValueInvalid', message: '' }, `server dry-run: ${outcome.error.message}`));
        out[out.length - 1].reason = 'DryRun';
      }
      if (result.refused) throw new Error(result.refused);
      return out;
    },
  };
}

/** A path under the current folder is printed relative to it, any other as given. */
function shownPath(file: string, cwd: string): string {
  const shown = relative(cwd, file);
  return shown === '' || shown.startsWith('..') ? file : shown;
}

function formatText(problem: ValidationProblemOutput, cwd: string): string {
  const file = shownPath(problem.file, cwd);
  const who = problem.kind ? `${problem.kind}/${problem.name}: ` : '';
  const path = problem.path ? `${problem.path}: ` : '';
  if (problem.severity === 'warning') return `${file}:${problem.line}:${problem.column}: warning: ${who}${path}${problem.message}${problem.hint ? ` — ${problem.hint}` : ''}`;
  return `${file}:${problem.line}:${problem.column}: ${who}${path}${problem.message}`;
}

export async function runValidateCommand(argv: string[], rawIO: CliIO): Promise<number> {
  const io = safeIO(rawIO);
  const options = parseOptions(argv);
  let read: ReturnType<typeof readManifests>;
  try {
    read = readManifests(options.paths);
  } catch (error) {
    io.err(`gitops-env validate: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const all = read.files.flatMap((file) => file.manifests);
  // CRDs among the validated files define the schemas of their custom resources.
  const definitions = new CustomResourceCatalog();
  for (const manifest of all) {
    if (manifest.object.kind === 'CustomResourceDefinition' && String(manifest.object.apiVersion).startsWith('apiextensions.k8s.io/')) definitions.add(manifest.object);
  }
  let cluster: ClusterPart | undefined;
  if (options.kubeconfig !== undefined || options.context !== undefined) {
    try {
      cluster = await clusterPart(options);
    } catch (error) {
      if (error instanceof CliUsageError) throw error;
      io.err(`gitops-env validate: cannot read the cluster's schemas: ${error instanceof Error ? error.message : String(error)}\n`);
      return 2;
    }
  }
  const catalog = stackedCatalog(cluster ? [definitions, cluster.catalog, builtinSchemas().catalog] : [definitions, builtinSchemas().catalog]);
  const problems: ValidationProblemOutput[] = [...read.parseProblems];
  const patches = read.files.flatMap((file) => file.patches);
  for (const patch of patches) problems.push(...patchProblems(patch, catalog));
  const unchecked: { file: string; line: number; apiVersion: string; kind: string; name: string }[] = [];
  const clean: ParsedManifest[] = [];
  for (const manifest of all) {
    const result = manifestProblems(manifest, catalog);
    problems.push(...result.problems);
    if (!result.checked) unchecked.push({ file: manifest.file, line: manifest.kindRange.start.line, apiVersion: text(manifest.object.apiVersion), kind: text(manifest.object.kind), name: text(metadataOf(manifest.object).name) });
    if (result.problems.length === 0) clean.push(manifest);
  }
  if (cluster) {
    try {
      // Only objects the schema accepts are sent: the others already have their reason.
      problems.push(...(await cluster.dryRun(clean)));
    } catch (error) {
      io.err(`gitops-env validate: server dry-run not possible: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  const byPlace = (a: ValidationProblemOutput, b: ValidationProblemOutput): number => (a.file === b.file ? a.line - b.line || a.column - b.column : a.file < b.file ? -1 : 1);
  problems.sort(byPlace);
  const warnings = [...read.warnings].sort(byPlace);
  const schemaSource = cluster ? cluster.note : `bundled schemas: ${BUNDLED_SCHEMA_SOURCE}`;
  // One Kubernetes version's schemas are bundled: another version asked for offline is said, not
  // pretended (fields added or removed since that version are judged by the bundled one).
  if (!cluster && options.kubernetesVersion !== undefined && minorOf(options.kubernetesVersion) !== minorOf(BUNDLED_KUBERNETES_VERSION)) {
    io.err(`gitops-env validate: note: --kubernetes-version ${options.kubernetesVersion}: only Kubernetes ${BUNDLED_KUBERNETES_VERSION} schemas are bundled; checked against those (give --kubeconfig to check against the cluster's own)\n`);
  }
  if (options.json) {
    io.out(`${JSON.stringify({ problems, warnings, unchecked, skippedCharts: read.skippedCharts, objects: all.length, patches: patches.length, schemas: schemaSource, kubernetesVersion: options.kubernetesVersion ?? null, bundledKubernetesVersion: BUNDLED_KUBERNETES_VERSION }, null, 2)}\n`);
  } else {
    const cwd = process.cwd();
    for (const problem of [...problems, ...warnings].sort(byPlace)) io.out(`${formatText(problem, cwd)}\n`);
    for (const chart of read.skippedCharts) io.err(`${shownPath(chart, cwd)}: a Helm chart, not checked (render it with helm template and validate the output)\n`);
    for (const item of unchecked) io.err(`${shownPath(item.file, cwd)}:${item.line}:1: ${item.kind}/${item.name}: no schema for ${item.apiVersion} ${item.kind} (not checked)\n`);
    const patchCount = patches.length > 0 ? `, ${patches.length} patch(es)` : '';
    const warningCount = warnings.length > 0 ? `, ${warnings.length} warning(s)` : '';
    io.err(`${all.length} object(s)${patchCount}, ${problems.length} problem(s)${warningCount}; ${schemaSource}\n`);
  }
  return problems.length > 0 ? 1 : 0;
}

/** "1.32", "v1.32.4" → "1.32". */
function minorOf(version: string): string {
  return version.replace(/^v/, '').split('.').slice(0, 2).join('.');
}
