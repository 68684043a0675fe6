// The Invalid drift status on literal inputs: a refused desired object is Invalid (never compared
// field by field, never Missing), its problems get the lines of the manifest, the cache tells a
// refused object from an accepted one, the schema verdict (and its Secret-safe messages), field
// paths as pointers, the CLI JSON and text and exit code, the webview model's counts and filter,
// a snapshot written before Invalid existed, and the promotion warning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { driftExitCode, driftReportJson, driftReportText } from '../../src/cluster/drift/driftReportOutput';
import { builtinCatalog, refusedObjects } from '../../src/cluster/drift/invalidDesired';
import { DesiredHashes, restoreDriftSnapshot } from '../../src/cluster/snapshots/driftSnapshot';
import { compareEnvironment, compareResource } from '../../src/core/drift/compare';
import { DriftCache } from '../../src/core/drift/driftCache';
import type { EnvironmentDrift, InvalidVerdict, KubeObject } from '../../src/core/drift/driftTypes';
import { fieldPathPointer, schemaVerdict, serverVerdict } from '../../src/core/drift/invalidObjects';
import { parseManifests } from '../../src/core/manifest';
import { safetyWarnings } from '../../src/core/promotion/safetyChecks';
import { lensTitle, resourceHint } from '../../src/ui/drift/driftText';
import { toReportViewModel } from '../../src/ui/webview/reportViewModel';
import { indexReport, filterRows, syncableKeys } from '../../webview-ui/resourceFilter';
import { isReportViewModel } from '../../webview-ui/protocol';

const DEPLOYMENT = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web',
  '  namespace: shop',
  'spec:',
  '  replicas: "two"',
  '  selector:',
  '    matchLabels:',
  '      app: web',
  '  template:',
  '    metadata:',
  '      labels:',
  '        app: web',
  '    spec:',
  '      containers:',
  '        - name: web',
  '          image: nginx:1.27',
  '          imagePullPolicy: Sometimes',
  '          portz:',
  '            - containerPort: 80',
  '',
].join('\n');

const CONFIG_MAP = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: settings', '  namespace: shop', 'data:', '  mode: fast', ''].join('\n');

function manifest(text: string, file: string) {
  const parsed = parseManifests(text, file).manifests[0];
  assert.ok(parsed);
  return parsed;
}

const liveDeployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', resourceVersion: '7' },
  spec: { replicas: 7, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } } },
};
const liveConfigMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop', resourceVersion: '3' }, data: { mode: 'slow' } };

function environment(): { drift: EnvironmentDrift; verdict: InvalidVerdict } {
  const web = manifest(DEPLOYMENT, 'deploy/web.yaml');
  const config = manifest(CONFIG_MAP, 'deploy/config.yaml');
  const verdict = schemaVerdict(web.object, builtinCatalog());
  assert.ok(verdict);
  const drift = compareEnvironment(
    [
      { object: web.object, manifest: web },
      { object: config.object, manifest: config },
    ],
    [liveDeployment, liveConfigMap],
    { invalid: new Map([['apps/Deployment/shop/web', verdict]]) },
  );
  return { drift, verdict };
}

test('a refused desired object is Invalid with its problems at their manifest lines, never compared; the others are compared as before', () => {
  const { drift } = environment();
  const web = drift.resources.find((r) => r.id.kind === 'Deployment');
  assert.equal(web?.status, 'Invalid');
  assert.deepEqual(web?.fields, [], 'no "live: 7, git: two"');
  assert.deepEqual(
    web?.problems?.map((p) => [p.path, p.range?.start.line]).sort(),
    [
      ['spec.replicas', 7],
      ['spec.template.spec.containers[0].imagePullPolicy', 19],
      ['spec.template.spec.containers[0].portz', 20],
    ],
  );
  assert.match(web?.reason ?? '', /^the API server would refuse it: .*\(and 2 more\)$/);
  assert.equal(drift.resources.find((r) => r.id.kind === 'ConfigMap')?.status, 'Drifted');
  assert.deepEqual(drift.counts, { InSync: 0, Drifted: 1, Missing: 0, Extra: 0, Unknown: 0, Invalid: 1 });
});

test('Invalid wins over Missing (applying it fails) and needs a desired object (a live-only object stays Extra)', () => {
  const web = manifest(DEPLOYMENT, 'deploy/web.yaml');
  const verdict = serverVerdict('Deployment', 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1', [{ field: 'spec.replicas', message: 'Invalid value: -1: must be greater than or equal to 0' }]);
  assert.equal(compareResource({ desired: { object: web.object, manifest: web }, invalid: verdict }).status, 'Invalid');
  assert.equal(compareResource({ live: liveDeployment, invalid: verdict }).status, 'Extra');
});

test('the cache keeps a refused object apart from the same object accepted', () => {
  const web = manifest(DEPLOYMENT, 'deploy/web.yaml');
  const cache = new DriftCache();
  const desired = { object: web.object, manifest: web };
  assert.equal(compareEnvironment([desired], [liveDeployment], { cache }).resources[0].status, 'Drifted');
  const verdict = schemaVerdict(web.object, builtinCatalog());
  assert.ok(verdict);
  const refused = compareEnvironment([desired], [liveDeployment], { cache, invalid: new Map([['apps/Deployment/shop/web', verdict]]) });
  assert.equal(refused.resources[0].status, 'Invalid');
  assert.equal(compareEnvironment([desired], [liveDeployment], { cache }).resources[0].status, 'Drifted');
});

test('the schema accepts a valid object, remembers its verdict per object, and refuses a changed one', () => {
  const valid = manifest(CONFIG_MAP, 'c.yaml').object;
  assert.equal(schemaVerdict(valid, builtinCatalog()), undefined);
  const refused = manifest(DEPLOYMENT, 'd.yaml').object;
  const first = schemaVerdict(refused, builtinCatalog());
  assert.equal(schemaVerdict(refused, builtinCatalog()), first, 'the same verdict, not a second validation');
  assert.equal(first?.by, 'schema');
  // The object is not touched by the validation.
  assert.equal((refused.spec as Record<string, unknown>).replicas, 'two');
  assert.deepEqual(refusedObjects([valid, refused]).map((r) => r.object), [refused]);
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

test('the schema check only reads Git\'s object (no copy is made): deep-frozen objects get the verdict a fresh copy gets', () => {
  const objects: KubeObject[] = [
    manifest(DEPLOYMENT, 'd.yaml').object,
    manifest(CONFIG_MAP, 'c.yaml').object,
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'Bad_Name', namespace: 'shop', extra: 1 }, spec: { ports: [{ port: 'http', protocol: 'SCTP-ish' }], selector: { app: 3 } }, unknownTop: true },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: 'lots' } }, ports: [{}] }] } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { password: 'not base64!' }, type: 42 },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { containers: null } } } },
  ];
  let refused = 0;
  for (const object of objects) {
    const expected = schemaVerdict(structuredClone(object), builtinCatalog());
    const frozen = deepFreeze(structuredClone(object));
    assert.deepEqual(schemaVerdict(frozen, builtinCatalog()), expected, JSON.stringify(object));
    if (expected) refused++;
  }
  assert.ok(refused >= 4, `only ${refused} of the objects were refused: the check would test little`);
});

test('a Secret value the schema or the server quotes never reaches a problem or the reason', () => {
  const secretValue = 'hunter2-not-base64!!';
  const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, data: { password: secretValue }, type: 42 };
  const verdict = schemaVerdict(secret, builtinCatalog());
  assert.ok(verdict, 'type must be a string');
  assert.ok(!JSON.stringify(verdict).includes(secretValue));
  const server = serverVerdict('Secret', `Secret "db" is invalid: data[password]: Invalid value: "${secretValue}"`, [{ field: 'data[password]', message: `Invalid value: "${secretValue}"` }]);
  assert.ok(!JSON.stringify(server).includes(secretValue), JSON.stringify(server));
  assert.equal(server.problems[0].pointer, '/data/password');
});

test('field paths become pointers: keys, indexes, bracketed keys with dots and slashes (property over generated paths)', () => {
  let seed = 7;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const words = ['spec', 'containers', 'app.kubernetes.io/name', 'ports', 'a~b', 'x'];
  for (let round = 0; round < 500; round++) {
    const segments: Array<{ text: string; token: string }> = [];
    let path = '';
    const length = 1 + random(5);
    for (let i = 0; i < length; i++) {
      const choice = random(3);
      if (i > 0 && choice === 0) {
        const index = String(random(20));
        path += `[${index}]`;
        segments.push({ text: index, token: index });
      } else if (i > 0 && choice === 1) {
        const key = words[random(words.length)];
        path += `[${key}]`;
        segments.push({ text: key, token: key.replace(/~/g, '~0').replace(/\//g, '~1') });
      } else {
        const key = ['spec', 'template', 'metadata', 'selector', 'replicas'][random(5)];
        path += path === '' ? key : `.${key}`;
        segments.push({ text: key, token: key });
      }
    }
    assert.equal(fieldPathPointer(path), segments.map((s) => `/${s.token}`).join(''), path);
  }
  assert.equal(fieldPathPointer('metadata.labels[app.kubernetes.io/name]'), '/metadata/labels/app.kubernetes.io~1name');
  assert.equal(fieldPathPointer('spec[0'), undefined);
});

test('drift --json adds reason and problems (file, line) to an Invalid resource only; the text report lists them; exit code 2', () => {
  const { drift } = environment();
  const json = driftReportJson(drift);
  const web = json.resources.find((r) => r.kind === 'Deployment');
  assert.equal(web?.status, 'Invalid');
  assert.deepEqual(web?.fields, []);
  assert.match(web?.reason ?? '', /would refuse it/);
  assert.deepEqual(
    web?.problems?.map((p) => [p.path, p.file, p.line]).sort(),
    [
      ['spec.replicas', 'deploy/web.yaml', 7],
      ['spec.template.spec.containers[0].imagePullPolicy', 'deploy/web.yaml', 19],
      ['spec.template.spec.containers[0].portz', 'deploy/web.yaml', 20],
    ],
  );
  const config = json.resources.find((r) => r.kind === 'ConfigMap');
  assert.deepEqual(Object.keys(config ?? {}).sort(), ['apiVersion', 'fields', 'kind', 'name', 'namespace', 'status'], 'the contract shape for the others');
  assert.equal(driftExitCode(drift), 2);
  const text = driftReportText(drift);
  assert.match(text, /^Deployment shop\/web: invalid — the API server would refuse it/m);
  assert.match(text, /deploy\/web\.yaml:19 {2}spec\.template\.spec\.containers\[0\]\.imagePullPolicy: Unsupported value: "Sometimes"/);
  assert.match(text, /2 resources: 0 in sync, 1 drifted, 0 missing, 0 extra, 0 unknown, 1 invalid/);
  // Only an Invalid count changes the exit code: the drifted ConfigMap alone is 1.
  assert.equal(driftExitCode({ ...drift, counts: { ...drift.counts, Invalid: 0 } }), 1);
});

test('hints and CodeLens say invalid, not drifted', () => {
  const web = environment().drift.resources.find((r) => r.id.kind === 'Deployment');
  assert.ok(web);
  assert.match(lensTitle(web), /^✗ invalid: 3 problems: .*spec\.replicas/);
  assert.match(resourceHint(web) ?? '', /^⟵ invalid: /);
});

test('the webview model counts Invalid, shows its problems with their lines, offers no sync, and the status filter finds it', () => {
  const model = toReportViewModel(environment().drift, { target: { kind: 'drift', environment: 'prod' }, environments: ['prod'], asOf: new Date(0), canSync: true });
  assert.ok(isReportViewModel(model), 'the webview accepts it');
  assert.equal(model.counts.Invalid, 1);
  assert.equal(model.counts.Drifted, 1);
  const index = indexReport(model.resources);
  assert.equal(index.rows[0].status, 'Invalid', 'listed first');
  const invalid = filterRows(index, { status: 'Invalid', kind: '', namespace: '', search: '' });
  assert.deepEqual(invalid.map((r) => r.name), ['web']);
  assert.match(invalid[0].reason ?? '', /line 19: spec\.template\.spec\.containers\[0\]\.imagePullPolicy: Unsupported value/);
  assert.deepEqual(filterRows(index, { status: 'changed', kind: '', namespace: '', search: 'sometimes' }).map((r) => r.name), ['web'], 'problems are searchable');
  assert.deepEqual(syncableKeys(model.resources), ['/ConfigMap/shop/settings']);
});

test('a snapshot written before Invalid existed restores with a zero Invalid count', () => {
  const source = { object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } }, origin: { file: 'web.yaml' } };
  const hashes = new DesiredHashes([source]);
  const id = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' };
  const oldCounts = { InSync: 1, Drifted: 0, Missing: 0, Extra: 0, Unknown: 0 } as EnvironmentDrift['counts'];
  const restored = restoreDriftSnapshot(
    {
      asOf: '2025-05-03T10:42:00.000Z',
      durationMs: 1,
      desiredHashes: { 'apps/Deployment/shop/web': hashes.of(id) },
      data: { mode: 'server', approximate: false, problems: [], counts: oldCounts, resources: [{ id, key: 'apps/Deployment/shop/web', status: 'InSync', fields: [], mode: 'server', approximate: false, ignored: 0 }] },
    },
    hashes,
  );
  assert.deepEqual(restored?.drift.counts, { InSync: 1, Drifted: 0, Missing: 0, Extra: 0, Unknown: 0, Invalid: 0 });
});

test('a promotion whose rendered target holds invalid objects carries an invalid-objects warning', () => {
  const base = { values: [], images: [], files: [], targetAheadValues: [], mergedValues: [], targetOnlyCommits: 0, to: 'prod', from: 'staging', neutral: (v: string) => v };
  const rendered = { renderer: 'plain', added: [], removed: [], changed: [], unchanged: 1, text: '', truncated: false, problems: [] };
  assert.deepEqual(safetyWarnings({ ...base, rendered }), []);
  const warnings = safetyWarnings({ ...base, rendered: { ...rendered, invalid: ['Deployment shop/web: the API server would refuse it: spec.replicas: …'] } });
  assert.deepEqual(warnings.map((w) => w.code), ['invalid-objects']);
  assert.match(warnings[0].message, /rendered prod would hold 1 object\(s\) the API server refuses.*Deployment shop\/web/);
});
