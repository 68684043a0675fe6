// gitops-env validate FILE|DIR... [--kubeconfig F] [--context C] [--kubernetes-version V] [--json]
//
// Checks manifests the way the API server would, before a pull request: the schema of each kind
// (bundled built-in schemas offline, plus the CRDs found among the same files; with a cluster, its
// own /openapi/v3, cached on disk for offline use), the server's own rules (names, labels,
// selectors, ports, policies, container names), and with a cluster a server-side dry-run of each
// object. Every problem is printed at the line of the offending key or value.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FileTooLargeError, readTextFileBounded } from '../git/boundedFile';
import { escapePointerToken, isManifestPath, MAX_MANIFEST_BYTES, parseManifests, type ParsedManifest } from '../core/manifest';
import { CustomResourceCatalog, OpenApiDocumentCatalog, stackedCatalog, type SchemaCatalog } from '../core/validation/schemaCatalog';
import { validateKubernetesObject } from '../core/validation/objectValidator';
import type { FieldProblem } from '../core/validation/openApiSchema';
import { builtinSchemas } from '../cluster/builtinSchemas';
import { BUNDLED_KUBERNETES_VERSION, BUNDLED_SCHEMA_SOURCE } from '../core/validation/bundledVersion';
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
  /** The API server's reason (FieldValueInvalid, FieldValueNotSupported, …), or DryRun / Parse. */
  reason: string;
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
  manifests: ParsedManifest[];
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

/**
 * Every manifest file under the given paths, sorted; hidden folders are skipped, and so are Helm
 * charts met while walking (their templates are not YAML until rendered; named in `skipped`).
 */
function manifestFiles(paths: readonly string[], skipped: string[]): string[] {
  const out: string[] = [];
  const walk = (path: string, explicit: boolean): void => {
    const stats = statSync(path);
    if (stats.isDirectory()) {
      const entries = readdirSync(path).sort();
      if (entries.includes('Chart.yaml')) {
        skipped.push(path);
        return;
      }
      for (const entry of entries) {
        if (entry.startsWith('.') || entry === 'node_modules') continue;
        walk(join(path, entry), false);
      }
    } else if (explicit || isManifestPath(path)) {
      out.push(path);
    }
  };
  for (const path of paths) walk(path, true);
  return out;
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
  };
}

/** Problems of one object against the catalog: decode failures, unknown fields, then Invalid causes. */
export function manifestProblems(manifest: ParsedManifest, catalog: SchemaCatalog): { problems: ValidationProblemOutput[]; checked: boolean } {
  const object = structuredClone(manifest.object);
  const result = validateKubernetesObject(object, catalog, { unknownFields: 'Strict' });
  const problems = [
    ...result.decodeErrors.map((problem) => located(manifest, problem, problem.message)),
    ...result.unknownFields.map((problem) => located(manifest, problem, problem.message)),
    ...result.invalid.map((problem) => located(manifest, problem, problem.message)),
  ];
  if (result.exhausted) problems.push(located(manifest, { path: '', segments: [], reason: 'FieldValueInvalid', message: '' }, 'validation stopped: the schema is too large or recursive to check in time'));
  return { problems, checked: result.schemaFound };
}

function readManifests(paths: readonly string[]): { files: ManifestFile[]; parseProblems: ValidationProblemOutput[]; skippedCharts: string[] } {
  const files: ManifestFile[] = [];
  const parseProblems: ValidationProblemOutput[] = [];
  const skippedCharts: string[] = [];
  for (const file of manifestFiles(paths, skippedCharts)) {
    let source: string;
    try {
      source = readTextFileBounded(file, MAX_MANIFEST_BYTES);
    } catch (error) {
      if (error instanceof FileTooLargeError) throw new Error(`${file}: ${error.message}`, { cause: error });
      throw error;
    }
    const parsed = parseManifests(source, file);
    for (const problem of parsed.problems) {
      if (problem.severity !== 'error') continue;
      const start = problem.location?.range?.start;
      parseProblems.push({ file, line: start?.line ?? 1, column: start?.column ?? 1, apiVersion: '', kind: '', namespace: '', name: '', path: '', message: problem.message, reason: 'Parse' });
    }
    files.push({ file, manifests: parsed.manifests.filter((manifest) => manifest.id !== null) });
  }
  return { files, parseProblems, skippedCharts };
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
  problems.sort((a, b) => (a.file === b.file ? a.line - b.line || a.column - b.column : a.file < b.file ? -1 : 1));
  const schemaSource = cluster ? cluster.note : `bundled schemas: ${BUNDLED_SCHEMA_SOURCE}`;
  // One Kubernetes version's schemas are bundled: another version asked for offline is said, not
  // pretended (fields added or removed since that version are judged by the bundled one).
  if (!cluster && options.kubernetesVersion !== undefined && minorOf(options.kubernetesVersion) !== minorOf(BUNDLED_KUBERNETES_VERSION)) {
    io.err(`gitops-env validate: note: --kubernetes-version ${options.kubernetesVersion}: only Kubernetes ${BUNDLED_KUBERNETES_VERSION} schemas are bundled; checked against those (give --kubeconfig to check against the cluster's own)\n`);
  }
  if (options.json) {
    io.out(`${JSON.stringify({ problems, unchecked, skippedCharts: read.skippedCharts, objects: all.length, schemas: schemaSource, kubernetesVersion: options.kubernetesVersion ?? null, bundledKubernetesVersion: BUNDLED_KUBERNETES_VERSION }, null, 2)}\n`);
  } else {
    const cwd = process.cwd();
    for (const problem of problems) io.out(`${formatText(problem, cwd)}\n`);
    for (const chart of read.skippedCharts) io.err(`${shownPath(chart, cwd)}: a Helm chart, not checked (render it with helm template and validate the output)\n`);
    for (const item of unchecked) io.err(`${shownPath(item.file, cwd)}:${item.line}:1: ${item.kind}/${item.name}: no schema for ${item.apiVersion} ${item.kind} (not checked)\n`);
    io.err(`${all.length} object(s), ${problems.length} problem(s); ${schemaSource}\n`);
  }
  return problems.length > 0 ? 1 : 0;
}

/** "1.32", "v1.32.4" → "1.32". */
function minorOf(version: string): string {
  return version.replace(/^v/, '').split('.').slice(0, 2).join('.');
}
