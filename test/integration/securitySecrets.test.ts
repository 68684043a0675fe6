// Secret values never leave: Secrets seeded with fresh random values — in Git (data, stringData,
// a JSON manifest, a `kind: List` item) and in the sandbox cluster (data, the last-applied
// annotation kubectl writes, a live-only Secret) — must not appear, raw or base64, in any place a
// person or a host can read: the CLI (`drift` in all three forms, text and JSON, server and local
// mode; `envs`; `health`; `promote --dry-run`), the drift report's view model (drift and
// environment comparison), the hint, CodeLens and hover texts, the diff editor's documents, the log
// channel, the pull request body and the promotion preview's view model.
//
// The keys are neutral (`blob`, `dbUrl`, …), not `password` or `token`: `maskSecrets` hides those
// by name, and this test is about the engine's masking, not the free-text masker's.
// Every surface also gets a positive check (the Secret is there, its drift is shown, a ConfigMap's
// value is shown), so an empty output cannot pass for a clean one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { main } from '../../src/cli/main';
import { ClusterManager } from '../../src/cluster/clusterManager';
import { EnvironmentDriftService, type EnvironmentDriftReport } from '../../src/cluster/drift/environmentDriftService';
import { maskSecretObject } from '../../src/cluster/drift/syncResource';
import { acceptLiveEdit } from '../../src/core/acceptLive';
import { compareEnvironment } from '../../src/core/drift/compare';
import type { EnvironmentDrift, KubeObject, ResourceDrift } from '../../src/core/drift/driftTypes';
import { normalizeObject } from '../../src/core/drift/normalize';
import { isMaskedValue } from '../../src/core/drift/secretMask';
import { parseManifests } from '../../src/core/manifest';
import { withRenderedDiff } from '../../src/core/promotion/buildPlan';
import { renderPullRequestBody } from '../../src/core/promotion/prBody';
import type { PromotionPlan } from '../../src/core/promotion/promotionTypes';
import { directoryView } from '../../src/git/directoryView';
import { GitRepository } from '../../src/git/gitRepository';
import { planPromotion } from '../../src/git/promotion/planPromotion';
import { loadPromotionContext } from '../../src/git/promotion/promotionContext';
import { renderPlanChange } from '../../src/git/promotion/renderPlanChange';
import { renderEnvironment, type RenderedObject } from '../../src/render/renderEnvironment';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandboxServer';
import type { DocumentDriftSource } from '../../src/ui/drift/documentDrift';
import { blockValue, fieldHint, formatValue, lensTitle, resourceHint } from '../../src/ui/drift/driftText';
import { buildPreviewViewModel } from '../../src/ui/promotion/previewViewModel';
import { toReportViewModel } from '../../src/ui/webview/reportViewModel';
import { hostedRepo } from './helpers/hostServers/promotionRepos';
import { removeTempDirs, tempDir } from './helpers/tempGitRepo';

// ---- A stand-in for `vscode`, enough for the hover provider and the logger ----

class FakeMarkdownString {
  value = '';
  isTrusted: unknown;
  supportThemeIcons = false;
  appendMarkdown(text: string): this {
    this.value += text;
    return this;
  }
}

class FakeHover {
  constructor(
    readonly contents: FakeMarkdownString,
    readonly range: unknown,
  ) {}
}

const fakeVscode = { MarkdownString: FakeMarkdownString, Hover: FakeHover };
const moduleWithLoad = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const originalLoad = moduleWithLoad._load;
moduleWithLoad._load = (request: string, ...rest: unknown[]) => (request === 'vscode' ? fakeVscode : originalLoad(request, ...rest));

/** A LogOutputChannel that keeps every line it is given. */
function fakeLogChannel(lines: string[]) {
  const keep = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return { info: keep('info'), warn: keep('warn'), error: keep('error'), debug: keep('debug'), trace: keep('trace'), show: () => undefined };
}

// ---- The seeded values ----

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const fresh = (label: string): string => `${label}-${randomBytes(15).toString('base64url')}`;

/** Every value that must never be printed, by a label that says where it was seeded. */
const seeded = new Map<string, string>();
function secretValue(label: string): string {
  const value = fresh(label);
  seeded.set(label, value);
  return value;
}

const git = {
  prodBlob: secretValue('git-prod-data'),
  prodDbUrl: secretValue('git-prod-stringData'),
  prodJson: secretValue('git-prod-json'),
  prodList: secretValue('git-prod-list'),
  stagingBlob: secretValue('git-staging-data'),
  stagingDbUrl: secretValue('git-staging-stringData'),
  stagingJson: secretValue('git-staging-json'),
  stagingList: secretValue('git-staging-list'),
  stagingNewKey: secretValue('git-staging-new-key'),
};
const live = {
  blob: secretValue('live-data'),
  dbUrl: secretValue('live-data-2'),
  applied: secretValue('live-last-applied'),
  json: secretValue('live-json'),
  extra: secretValue('live-only'),
};

/** Each value raw and as base64 (how `data` holds it), plus base64url for good measure. */
const needles: Array<{ label: string; text: string }> = [...seeded].flatMap(([label, value]) => [
  { label, text: value },
  { label: `${label} (base64)`, text: b64(value) },
  { label: `${label} (base64, unpadded)`, text: b64(value).replace(/=+$/, '') },
]);

function assertNoSecret(surface: string, text: string): void {
  const leaked = needles.filter((n) => text.includes(n.text)).map((n) => n.label);
  assert.deepEqual(leaked, [], `${surface} shows Secret values`);
}

// ---- The repository and the cluster ----

const NS = 'sec-prod';
const PART_OF = 'app.kubernetes.io/part-of';
const SELECTOR = `${PART_OF}=sec`;

const GITOPS_YAML = `apiVersion: gitops-environments/v1
environments:
  - name: staging
    path: envs/staging
    cluster: { context: sandbox, namespace: sec-staging }
  - name: prod
    path: envs/prod
    cluster: { context: sandbox, namespace: ${NS} }
`;

// No namespace in the manifests: each environment's namespace comes from gitops.yaml, so the same
// objects exist on both sides of a promotion.
function appYaml(blob: string, dbUrl: string, mode: string, extraKey?: string): string {
  return [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: creds',
    '  labels:',
    `    ${PART_OF}: sec`,
    'type: Opaque',
    'data:',
    `  blob: ${b64(blob)}`,
    'stringData:',
    `  dbUrl: ${dbUrl}`,
    ...(extraKey ? [`  newKey: ${extraKey}`] : []),
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: settings',
    '  labels:',
    `    ${PART_OF}: sec`,
    'data:',
    `  mode: ${mode}`,
    '',
  ].join('\n');
}

/** The line of `  dbUrl: …` under `stringData:` in appYaml (1-based). */
const STRING_DATA_LINE = appYaml('b', 'u', 'm').split('\n').indexOf('  dbUrl: u') + 1;

function jsonSecret(value: string): string {
  return `${JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'json-creds', labels: { [PART_OF]: 'sec' } }, data: { key: b64(value) } }, null, 2)}\n`;
}

function listOfSecret(value: string): string {
  return ['apiVersion: v1', 'kind: List', 'items:', '  - apiVersion: v1', '    kind: Secret', '    metadata:', '      name: listed', '      labels:', `        ${PART_OF}: sec`, '    stringData:', `      inner: ${value}`, ''].join('\n');
}

let sandbox: SandboxHandle;
let kubeconfig: string;
let work: string;
let liveDump: string;
let prodRender: RenderedObject[];
let stagingRender: RenderedObject[];
const managers: ClusterManager[] = [];
const services: EnvironmentDriftService[] = [];

before(async () => {
  kubeconfig = join(tempDir('gitops-sec-kc-'), 'kubeconfig');
  sandbox = await startSandbox({ kubeconfigPath: kubeconfig, bookmarkIntervalMs: 200 });
  ({ work } = hostedRepo({
    'gitops.yaml': GITOPS_YAML,
    'envs/prod/app.yaml': appYaml(git.prodBlob, git.prodDbUrl, 'fast'),
    'envs/prod/more.json': jsonSecret(git.prodJson),
    'envs/prod/list.yaml': listOfSecret(git.prodList),
    'envs/staging/app.yaml': appYaml(git.stagingBlob, git.stagingDbUrl, 'fast', git.stagingNewKey),
    'envs/staging/more.json': jsonSecret(git.stagingJson),
    'envs/staging/list.yaml': listOfSecret(git.stagingList),
  }));

  const store = sandbox.store;
  store.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } as never);
  const labels = { [PART_OF]: 'sec' };
  // What `kubectl apply` leaves behind: the last applied object, Secret values included, in an annotation.
  const lastApplied = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: NS }, data: { blob: b64(live.applied) } });
  store.apply({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'creds', namespace: NS, labels, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied } },
    type: 'Opaque',
    data: { blob: b64(live.blob), dbUrl: b64(live.dbUrl) },
  } as never);
  store.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'json-creds', namespace: NS, labels }, data: { key: b64(live.json) } } as never);
  store.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'live-only', namespace: NS, labels }, data: { x: b64(live.extra) } } as never);
  store.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: NS, labels }, data: { mode: 'slow' } } as never);
  // A live object as `kubectl get -o yaml` prints it, for the offline form and `health`.
  liveDump = join(tempDir('gitops-sec-live-'), 'live.yaml');
  const liveSecret = store.get({ apiVersion: 'v1', kind: 'Secret', namespace: NS, name: 'creds' });
  assert.ok(liveSecret);
  writeFileSync(liveDump, stringify(liveSecret));

  const view = directoryView(work);
  prodRender = (await renderEnvironment({ view, path: 'envs/prod', trusted: true })).objects;
  stagingRender = (await renderEnvironment({ view, path: 'envs/staging', trusted: true })).objects;
  assert.deepEqual(prodRender.map((o) => `${o.id.kind}/${o.id.name}`).sort(), ['ConfigMap/settings', 'Secret/creds', 'Secret/json-creds', 'Secret/listed']);
});

after(async () => {
  for (const s of services) s.dispose();
  for (const m of managers) m.dispose();
  await sandbox?.stop();
  removeTempDirs();
});

async function cli(...args: string[]): Promise<{ code: number; text: string }> {
  let text = '';
  const code = await main(args, { out: (t) => (text += t), err: (t) => (text += t) });
  return { code, text };
}

async function driftReport(mode: 'server' | 'local'): Promise<EnvironmentDriftReport> {
  const manager = new ClusterManager({ path: kubeconfig }, { minBackoffMs: 50, maxBackoffMs: 300 });
  managers.push(manager);
  const service = new EnvironmentDriftService({ manager, context: sandbox.contextName, defaultNamespace: NS, mode, extraSelector: SELECTOR, autoRecompute: false, readSource: (path) => directoryView(work).readFile(path) });
  services.push(service);
  await service.setRendered(prodRender);
  return service.compute();
}

function byName(drift: EnvironmentDrift, kind: string, name: string): ResourceDrift {
  const found = drift.resources.find((r) => r.id.kind === kind && r.id.name === name);
  assert.ok(found, `${kind} ${name} not in ${drift.resources.map((r) => `${r.id.kind}/${r.id.name}`).join(', ')}`);
  return found;
}

// ---- The tests ----

test('the seeded values are really there: in the Git files and in the cluster (raw or base64)', async () => {
  const { readFileSync } = await import('node:fs');
  const files = ['envs/prod/app.yaml', 'envs/prod/more.json', 'envs/prod/list.yaml'].map((f) => readFileSync(join(work, f), 'utf8')).join('\n');
  for (const value of [git.prodDbUrl, git.prodList, b64(git.prodBlob), b64(git.prodJson)]) assert.ok(files.includes(value));
  const dump = readFileSync(liveDump, 'utf8');
  for (const value of [b64(live.blob), b64(live.dbUrl), b64(live.applied)]) assert.ok(dump.includes(value), 'the live dump carries data and the last-applied annotation');
});

test('CLI drift: --repo/--env, -f and --desired/--live, text and JSON, server and local — no Secret value', async () => {
  const runs: string[][] = [
    ['drift', '--repo', work, '--env', 'prod', '--kubeconfig', kubeconfig, '--selector', SELECTOR],
    ['drift', '--repo', work, '--env', 'prod', '--kubeconfig', kubeconfig, '--selector', SELECTOR, '--json'],
    ['drift', '--repo', work, '--env', 'prod', '--kubeconfig', kubeconfig, '--selector', SELECTOR, '--mode', 'local'],
    ['drift', '--repo', work, '--env', 'prod', '--kubeconfig', kubeconfig, '--selector', SELECTOR, '--mode', 'local', '--json'],
    ['drift', '-f', join(work, 'envs', 'prod'), '--kubeconfig', kubeconfig, '--context', sandbox.contextName, '-n', NS, '--selector', SELECTOR],
    ['drift', '-f', join(work, 'envs', 'prod'), '--kubeconfig', kubeconfig, '--context', sandbox.contextName, '-n', NS, '--selector', SELECTOR, '--json'],
    ['drift', '-f', join(work, 'envs', 'prod', 'more.json'), '--kubeconfig', kubeconfig, '--context', sandbox.contextName, '-n', NS, '--mode', 'local', '--json'],
    ['drift', '--desired', join(work, 'envs', 'prod', 'app.yaml'), '--live', liveDump],
    ['drift', '--desired', join(work, 'envs', 'prod', 'app.yaml'), '--live', liveDump, '--json'],
  ];
  for (const args of runs) {
    const { code, text } = await cli(...args);
    const what = args.filter((a) => !a.includes('/')).join(' ');
    const oneFile = args.some((a) => a.endsWith('more.json'));
    assert.equal(code, 1, `${what} finds drift: ${text}`);
    assertNoSecret(what, text);
    // Positive: the Secret's drift is reported (masked), and so is the ConfigMap's plain value.
    assert.match(text, /creds/, what);
    if (!oneFile) assert.match(text, /data\.blob/, `${what} names the drifted Secret field`);
    if (!oneFile && !args.includes('--desired')) assert.match(text, /slow/, `${what} shows the ConfigMap's live value`);
  }
});

test('CLI envs and health: no Secret value', async () => {
  for (const args of [
    ['envs', '--repo', work],
    ['envs', '--repo', work, '--json'],
    ['health', join(work, 'envs', 'prod', 'app.yaml'), join(work, 'envs', 'prod', 'list.yaml'), join(work, 'envs', 'prod', 'more.json'), liveDump],
    ['health', join(work, 'envs', 'prod', 'app.yaml'), join(work, 'envs', 'prod', 'list.yaml'), join(work, 'envs', 'prod', 'more.json'), liveDump, '--json'],
  ]) {
    const { code, text } = await cli(...args);
    assert.equal(code, 0, `${args[0]}: ${text}`);
    assertNoSecret(args.filter((a) => !a.includes('/')).join(' '), text);
    assert.match(text, args[0] === 'envs' ? /prod/ : /creds/);
  }
});

test('drift report view model (drift and environment comparison), hints, CodeLens, diff documents: no Secret value', async () => {
  for (const mode of ['server', 'local'] as const) {
    const report = await driftReport(mode);
    const drift = report.drift;
    const creds = byName(drift, 'Secret', 'creds');
    assert.equal(creds.status, 'Drifted', mode);
    assert.ok(creds.fields.some((f) => f.path === 'data.blob'), `${mode}: ${creds.fields.map((f) => f.path).join(', ')}`);
    assert.equal(byName(drift, 'Secret', 'listed').status, 'Missing');
    assert.equal(byName(drift, 'Secret', 'live-only').status, 'Extra');
    assert.equal(byName(drift, 'ConfigMap', 'settings').status, 'Drifted');

    assertNoSecret(`engine result (${mode})`, JSON.stringify(drift));
    // The key Git sets through `stringData` (dbUrl, a different value live) is shown — drifted,
    // masked on both sides with two different hashes, its hint on the stringData line — not
    // dropped, not shown as only-live, and its value nowhere (checked on every surface).
    const dbUrl = creds.fields.find((f) => f.path === 'data.dbUrl');
    assert.ok(dbUrl, `${mode}: the stringData key is a drifted field: ${creds.fields.map((f) => `${f.path} ${f.change}`).join(', ')}`);
    assert.equal(dbUrl.change, 'changed', `${mode}: Git declares dbUrl (through stringData) and the cluster has another value`);
    assert.ok(isMaskedValue(dbUrl.desired) && isMaskedValue(dbUrl.live), `${mode}: both sides of data.dbUrl are masked`);
    assert.notDeepEqual(dbUrl.desired, dbUrl.live, 'different values show different hashes');
    assert.equal(dbUrl.range?.start.line, STRING_DATA_LINE, `${mode}: the hint sits on the stringData line of envs/prod/app.yaml`);
    const model = toReportViewModel(drift, { target: { kind: 'drift', environment: 'prod' }, environments: ['staging', 'prod'], asOf: new Date(), canSync: true });
    const modelJson = JSON.stringify(model);
    assertNoSecret(`report view model (${mode})`, modelJson);
    const dbUrlRow = model.resources.find((r) => r.kind === 'Secret' && r.name === 'creds')?.fields.find((f) => f.path === 'data.dbUrl');
    assert.deepEqual([dbUrlRow?.a.kind, dbUrlRow?.b.kind], ['masked', 'masked'], `${mode}: the report shows the stringData key masked: ${JSON.stringify(dbUrlRow)}`);
    assert.match(modelJson, /"slow"|slow/, 'the ConfigMap value is in the report');

    const texts: string[] = [];
    for (const resource of drift.resources) {
      texts.push(lensTitle(resource), resourceHint(resource) ?? '');
      for (const field of resource.fields) texts.push(fieldHint(field), formatValue(field.desired), formatValue(field.live), blockValue(field.desired), blockValue(field.live));
    }
    assertNoSecret(`hints and CodeLens (${mode})`, texts.join('\n'));
    assert.ok(texts.some((t) => t.includes('differs · #')), 'Secret fields show a hash');

    // The diff editor's two documents, built as DriftActions.showDiff builds them.
    const liveCreds = sandbox.store.get({ apiVersion: 'v1', kind: 'Secret', namespace: NS, name: 'creds' }) as KubeObject;
    const desiredCreds = prodRender.find((o) => o.id.kind === 'Secret' && o.id.name === 'creds')?.object as KubeObject;
    const documents = [liveCreds, desiredCreds].map((o) => stringify(maskSecretObject(normalizeObject(o), undefined))).join('\n');
    assertNoSecret('diff editor documents', documents);
    assert.match(documents, /blob/);

    // "Accept Live Value into File" refuses Secret values (it would write a hash, or a secret).
    const manifest = parseManifests(appYaml(git.prodBlob, git.prodDbUrl, 'fast'), 'envs/prod/app.yaml').manifests[0];
    for (const field of creds.fields) assert.equal(acceptLiveEdit(manifest, field.pointer, field.live), undefined, field.path);
  }

  // Environment comparison (staging ↔ prod renders), as DriftActions.compareRenders makes it.
  const strip = (o: KubeObject): KubeObject => {
    const metadata = { ...(o.metadata as Record<string, unknown>) };
    delete metadata.namespace;
    return { ...o, metadata };
  };
  const comparison = compareEnvironment(
    stagingRender.map((o) => ({ object: strip(o.object), manifest: o.manifest, origin: o.origin })),
    prodRender.map((o) => strip(o.object)),
    { mode: 'local', extraSelector: '' },
  );
  assert.equal(byName(comparison, 'Secret', 'creds').status, 'Drifted');
  const compared = JSON.stringify(toReportViewModel(comparison, { target: { kind: 'compare', from: 'staging', to: 'prod' }, environments: ['staging', 'prod'], asOf: new Date(), readOnly: true }));
  assertNoSecret('comparison view model', compared);
});

test('hover markdown on every drifted line: no Secret value', async () => {
  const { DriftHoverProvider } = await import('../../src/ui/drift/driftHover');
  const report = await driftReport('server');
  const entries = report.drift.resources.filter((r) => r.origin).map((resource) => ({ environmentKey: 'file:///repo#prod', resource, fields: resource.fields, declares: true }));
  const source = { forDocument: () => ({ entries, stale: true, asOf: Date.now() }), onDidChange: () => ({ dispose: () => undefined }) } as unknown as DocumentDriftSource;
  const provider = new DriftHoverProvider(source);
  const document = { uri: { toString: () => 'file:///repo/envs/prod/app.yaml' }, lineAt: (line: number) => ({ range: { line } }) };
  const lines = new Set<number>();
  for (const { resource } of entries) {
    if (resource.origin?.range) lines.add(resource.origin.range.start.line);
    for (const field of resource.fields) if (field.range) lines.add(field.range.start.line);
  }
  const hovers: string[] = [];
  for (const line of lines) {
    const hover = provider.provideHover(document as never, { line: line - 1 } as never) as unknown as FakeHover | undefined;
    if (hover) hovers.push(hover.contents.value);
  }
  assert.ok(hovers.length >= 3, `hovers on the Secret and ConfigMap lines: ${hovers.length}`);
  assert.ok(hovers.some((h) => h.includes('data.blob') && h.includes('differs · #')), 'a hover on the Secret field shows a hash');
  assert.ok(hovers.some((h) => h.includes('slow')), 'a hover on the ConfigMap field shows its value');
  assertNoSecret('hover markdown', hovers.join('\n'));
});

test('the log channel: drift, sync preview, sync and failures logged as the extension logs them — no Secret value', async () => {
  const { createLogger } = await import('../../src/ui/logger');
  const lines: string[] = [];
  const log = createLogger(fakeLogChannel(lines) as never).child('drift');
  const manager = new ClusterManager({ path: kubeconfig }, { minBackoffMs: 50, maxBackoffMs: 300 });
  managers.push(manager);
  const service = new EnvironmentDriftService({ manager, context: sandbox.contextName, defaultNamespace: NS, extraSelector: SELECTOR, autoRecompute: false });
  services.push(service);
  await service.setRendered(prodRender);
  const report = await service.compute();
  // DriftController's summary line, with the fallback reason and every resource's reason.
  log.info(`prod: drift ${report.drift.counts.Drifted} drifted, ${report.drift.counts.Missing} missing, ${report.drift.counts.Extra} extra (${report.drift.mode}${report.fallbackReason ? `, ${report.fallbackReason}` : ''})`);
  for (const r of report.drift.resources) log.debug(`${r.key}: ${r.status}${r.reason ? ` — ${r.reason}` : ''}`);
  // DriftActions.syncResources: the preview detail and one line per outcome.
  const keys = report.drift.resources.filter((r) => r.id.kind === 'Secret' && (r.status === 'Drifted' || r.status === 'Missing')).map((r) => r.key);
  assert.ok(keys.length >= 2);
  const previews = await service.previewSync(keys);
  for (const p of previews) log.info(p.ok ? `preview ${p.key}: ${p.action} (${p.fields.map((f) => `${f.path} ${JSON.stringify(f.live)} → ${JSON.stringify(f.desired)}`).join(', ')}) ${JSON.stringify(p)}` : `preview ${p.key}: ${p.reason}`);
  const outcomes = await service.sync(keys);
  for (const o of outcomes) log.info(`sync prod ${o.key}: ${o.ok ? `applied ${JSON.stringify(o)}` : o.reason}`);
  assert.ok(outcomes.every((o) => o.ok), JSON.stringify(outcomes.map((o) => (o.ok ? 'ok' : o.reason))));
  // A failure while writing a Secret: what the API server says is logged as the error.
  const fault = sandbox.faults.add({ method: 'PATCH', path: '/secrets/creds', status: 500 });
  try {
    const failed = await service.sync([keys[0]]);
    for (const o of failed) log.error(`sync prod ${o.key}: ${o.ok ? 'applied' : o.reason}`, new Error(o.ok ? '' : o.reason));
  } finally {
    sandbox.faults.remove(fault);
  }
  assert.ok(lines.length >= 8, lines.join('\n'));
  assert.ok(lines.some((l) => /creds/.test(l)));
  assertNoSecret('log channel', lines.join('\n'));
  // The sync really wrote Git's values: the test is not clean because nothing happened.
  const synced = sandbox.store.get({ apiVersion: 'v1', kind: 'Secret', namespace: NS, name: 'creds' }) as unknown as { data: Record<string, string> };
  assert.equal(synced.data.blob, b64(git.prodBlob));
  // Put the drift back for the other tests.
  sandbox.store.patch({ apiVersion: 'v1', kind: 'Secret', namespace: NS, name: 'creds' }, { data: { blob: b64(live.blob), dbUrl: b64(live.dbUrl) } });
  sandbox.store.delete({ apiVersion: 'v1', kind: 'Secret', namespace: NS, name: 'listed' });
});

async function planned(): Promise<{ repo: GitRepository; plan: PromotionPlan }> {
  const repo = await GitRepository.open(work);
  const context = await loadPromotionContext(repo);
  const plan = await planPromotion(repo, { environments: context.environments, from: 'staging', to: 'prod', promotion: context.promotion });
  return { repo, plan };
}

test('promotion: the PR body, file diffs and preview of a plan that changes Secret manifests (YAML, JSON, List) show no value', async () => {
  const { repo, plan } = await planned();
  try {
    assert.deepEqual(plan.files.map((f) => f.path).sort(), ['envs/prod/app.yaml', 'envs/prod/list.yaml', 'envs/prod/more.json']);
    for (const file of plan.files) {
      assertNoSecret(`diff of ${file.path}`, file.diff);
      assert.ok(file.insertions + file.deletions > 0, `${file.path} counts its changed lines`);
      assert.match(file.diff, /Secret manifest: \d+ changed lines not shown/, `${file.path} says its lines are hidden`);
    }
    assertNoSecret('plan diff text', plan.diff.text);
    assertNoSecret('PR body', plan.body);
    assertNoSecret('PR body (re-rendered)', renderPullRequestBody(plan));
    assert.match(plan.body, /envs\/prod\/app\.yaml/, 'the body lists the Secret manifest');
    // With the rendered objects (the CLI's --render, the preview's comparison).
    const rendered = withRenderedDiff(plan, await renderPlanChange(repo, plan, { trusted: true }));
    assert.ok(rendered.rendered && rendered.rendered.changed.some((c) => c.includes('Secret')), JSON.stringify(rendered.rendered?.changed));
    assertNoSecret('rendered diff', rendered.rendered?.text ?? '');
    assertNoSecret('PR body with the rendered diff', rendered.body);
    const preview = buildPreviewViewModel({
      target: { kind: 'promotion', folder: 'file:///repo', from: 'staging', to: 'prod' },
      plan: rendered,
      rendered: { state: 'ready', diff: rendered.rendered ?? plan.rendered ?? { renderer: 'plain', added: [], removed: [], changed: [], unchanged: 0, text: '', truncated: false, problems: [] } },
      hostName: 'GitHub',
      readOnlyReason: null,
      outcome: null,
    });
    assertNoSecret('promotion preview view model', JSON.stringify(preview));
  } finally {
    repo.dispose();
  }
});

test('CLI promote --dry-run (text, JSON, --render): no Secret value', async () => {
  for (const extra of [[], ['--json'], ['--render'], ['--render', '--json']]) {
    const { code, text } = await cli('promote', '--repo', work, '--from', 'staging', '--to', 'prod', '--dry-run', ...extra);
    assert.equal(code, 0, text);
    assertNoSecret(`promote --dry-run ${extra.join(' ')}`, text);
    assert.match(text, /envs\/prod\/app\.yaml/);
  }
});
