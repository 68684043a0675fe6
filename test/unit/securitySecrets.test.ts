// Secret manifests in a promotion: whatever shape a Secret takes in a file — a plain manifest, an
// item of a `kind: List`, JSON, YAML flow style, quoted, CRLF, a kustomization's secretGenerator
// literals — the plan's file diff, the PR body and the rendered diff keep the counts and never the
// values. Files that only look alike (a SealedSecret, a ConfigMap) keep their diff. And the report's
// view model, the last gate before the webview, masks a Secret value the engine left in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildPromotionPlan, type PlanInput } from '../../src/core/promotion/buildPlan';
import { planFolderChanges, type TreeFile } from '../../src/core/promotion/fileChanges';
import { renderPullRequestBody } from '../../src/core/promotion/prBody';
import { diffRenderedObjects } from '../../src/core/promotion/renderedDiff';
import type { PlanSide } from '../../src/core/promotion/promotionTypes';
import { driftedSecret } from './helpers/driftFixture';
import { toReportViewModel } from '../../src/ui/webview/reportViewModel';

const OLD = 'oLdVaLuE-9f8e7d6c5b4a';
const NEW = 'nEwVaLuE-1a2b3c4d5e6f';
const b64 = (text: string): string => Buffer.from(text).toString('base64');

function side(environment: string, commit: string): PlanSide {
  return { environment, ref: 'origin/main', commit, shortCommit: commit.slice(0, 7), branch: 'main', folder: `envs/${environment}`, tree: `tree-${environment}`, remote: 'origin' };
}

const file = (path: string, blob: string): TreeFile => ({ path, blob, mode: '100644' });

/** A folder promotion staging → prod of one file whose text is `make(value)`. */
function planOf(name: string, make: (value: string) => string) {
  const files = planFolderChanges({
    sourceFiles: [file(`envs/staging/${name}`, 'after')],
    targetFiles: [file(`envs/prod/${name}`, 'before')],
    sourceFolder: 'envs/staging',
    targetFolder: 'envs/prod',
    exclude: [],
    selectDeletions: false,
  });
  const input: PlanInput = {
    kind: 'promotion',
    layout: 'folder',
    source: side('staging', 'a'.repeat(40)),
    target: side('prod', 'b'.repeat(40)),
    commits: [],
    commitTotal: 0,
    files,
    blobs: new Map([
      ['before', make(OLD)],
      ['after', make(NEW)],
    ]),
    host: { kind: 'github', webUrl: 'https://github.com/acme/gitops' },
  };
  return buildPromotionPlan(input);
}

function assertHidden(what: string, make: (value: string) => string, name = 'secret.yaml'): void {
  const plan = planOf(name, make);
  const texts = [plan.files[0].diff, plan.diff.text, plan.body, renderPullRequestBody(plan)].join('\n');
  for (const value of [OLD, NEW, b64(OLD), b64(NEW)]) assert.ok(!texts.includes(value), `${what}: a value is shown`);
  assert.match(plan.files[0].diff, /Secret manifest: \d+ changed lines not shown/, what);
  assert.ok(plan.files[0].insertions > 0 && plan.files[0].deletions > 0, `${what}: the counts stay`);
}

function assertShown(what: string, make: (value: string) => string, name = 'config.yaml'): void {
  const plan = planOf(name, make);
  assert.ok(plan.files[0].diff.includes(NEW), `${what}: its diff is shown`);
}

test('a Secret in any shape has its lines hidden from the file diff and the PR body', () => {
  assertHidden('plain manifest', (v) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  dsn: ${b64(v)}\n`);
  assertHidden('stringData, quoted kind, comment', (v) => `apiVersion: v1\nkind: "Secret" # managed by hand\nmetadata:\n  name: db\nstringData:\n  dsn: ${v}\n`);
  assertHidden('second document of a file', (v) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  dsn: ${v}\n`);
  assertHidden('item of a kind: List', (v) => `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Secret\n    metadata:\n      name: db\n    stringData:\n      dsn: ${v}\n`);
  assertHidden('JSON', (v) => `${JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { dsn: b64(v) } }, null, 2)}\n`, 'secret.json');
  assertHidden('compact JSON', (v) => `${JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { dsn: b64(v) } })}\n`, 'secret.json');
  assertHidden('YAML flow style', (v) => `{apiVersion: v1, kind: Secret, metadata: {name: db}, stringData: {dsn: ${v}}}\n`);
  assertHidden('CRLF line ends', (v) => `apiVersion: v1\r\nkind: Secret\r\nmetadata:\r\n  name: db\r\nstringData:\r\n  dsn: ${v}\r\n`);
  assertHidden('kustomize secretGenerator literals', (v) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nsecretGenerator:\n  - name: db\n    literals:\n      - dsn=${v}\n`, 'kustomization.yaml');
});

test('files that only look like Secrets keep their diff', () => {
  assertShown('ConfigMap', (v) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  note: ${v}\n`);
  // A SealedSecret holds ciphertext, meant to be committed and reviewed.
  assertShown('SealedSecret', (v) => `apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: db\nspec:\n  encryptedData:\n    dsn: ${v}\n`);
  assertShown('a value mentioning secrets', (v) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  help: see the Secret named ${v}\n`);
});

test('the rendered diff shows a Secret changed, never its values (data and stringData)', () => {
  const id = { group: '', version: 'v1', kind: 'Secret', namespace: 'shop', name: 'db' };
  const secret = (value: string) => ({
    id,
    object: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'shop' },
      data: { dsn: b64(value) },
      stringData: { other: value },
    },
  });
  const diff = diffRenderedObjects([secret(OLD)], [secret(NEW)], 'plain');
  assert.deepEqual(diff.changed, ['Secret shop/db']);
  for (const value of [OLD, NEW, b64(OLD), b64(NEW)]) assert.ok(!diff.text.includes(value));
  const added = diffRenderedObjects([], [secret(NEW)], 'plain');
  assert.match(added.text, /dsn/);
  for (const value of [NEW, b64(NEW)]) assert.ok(!added.text.includes(value));
});

test('the report view model masks a Secret value the engine left unmasked', () => {
  const drift = driftedSecret([
    { path: 'data.dsn', pointer: '/data/dsn', change: 'changed', desired: b64(NEW), live: b64(OLD) },
    { path: 'data', pointer: '/data', change: 'changed', desired: { dsn: b64(NEW) }, live: { dsn: b64(OLD) } },
  ]);
  const json = JSON.stringify(toReportViewModel(drift, { target: { kind: 'drift', environment: 'prod' }, environments: ['prod'], asOf: new Date(0) }));
  for (const value of [b64(OLD), b64(NEW)]) assert.ok(!json.includes(value), 'a raw Secret value reached the view model');
  assert.match(json, /data\.dsn/);
});
