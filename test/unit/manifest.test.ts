// The YAML-with-positions parser on hostile and broken input: every problem is located, the valid
// documents of a file survive, nothing hangs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifests, MAX_MANIFEST_BYTES } from '../../src/core/manifest';

const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: prod\nspec:\n  replicas: 2\n';

test('identifies resources and keeps the source range of every field', () => {
  const { manifests, problems } = parseManifests(`${deployment}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n`, 'deploy/web.yaml');
  assert.deepEqual(problems, []);
  assert.deepEqual(manifests[0].id, { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'prod', name: 'web' });
  assert.deepEqual(manifests[1].id, { group: '', version: 'v1', kind: 'Service', namespace: null, name: 'web' });
  assert.equal(manifests[0].rangeOf('/spec/replicas').start.line, 7);
  assert.equal(manifests[0].kindRange.start.line, 2);
  assert.equal(manifests[1].kindRange.start.line, 10);
  // A field Git does not declare: the nearest ancestor that it does.
  assert.equal(manifests[0].rangeOf('/spec/template/spec').start.line, 6);
});

test('a syntax error in one document is located and the other documents are kept', () => {
  const { manifests, problems } = parseManifests(`${deployment}---\nkind: [oops\n---\n${deployment.replace('web', 'api')}`, 'f.yaml');
  assert.equal(manifests.length, 2);
  assert.equal(problems.length, 1);
  assert.equal(problems[0].location?.file, 'f.yaml');
  assert.ok((problems[0].location?.range?.start.line ?? 0) >= 9);
});

test('an alias bomb is refused with a located error within 2 s (never expanded)', () => {
  const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 12; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  const started = Date.now();
  const { manifests, problems } = parseManifests(lines.join('\n'), 'bomb.yaml');
  assert.ok(Date.now() - started < 2000);
  assert.equal(manifests.length, 0);
  assert.match(problems[0].message, /alias|expanded/i);
});

test('a file over the size limit is refused without parsing', () => {
  const big = `# filler\n${'x: 1\n'.repeat(Math.ceil((MAX_MANIFEST_BYTES + 10) / 5))}`;
  const started = Date.now();
  const { manifests, problems } = parseManifests(big, 'huge.yaml');
  assert.ok(Date.now() - started < 500);
  assert.equal(manifests.length, 0);
  assert.match(problems[0].message, /MB/);
  assert.equal(problems[0].location?.file, 'huge.yaml');
});

test('binary content, duplicate keys, BOM and CRLF', () => {
  assert.match(parseManifests('\u0000\u0001PNG', 'x.yaml').problems[0].message, /binary/);
  const dup = parseManifests('apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata:\n  name: a\n', 'd.yaml');
  assert.equal(dup.problems.length, 1);
  assert.equal(dup.problems[0].severity, 'warning');
  assert.equal(dup.problems[0].location?.range?.start.line, 3);
  // Read as kubectl reads it: the last key wins, and its line is the one located.
  assert.equal(dup.manifests[0].id?.kind, 'Secret');
  assert.equal(dup.manifests[0].kindRange.start.line, 3);
  const bom = parseManifests(`\ufeff${deployment}`, 'b.yaml');
  assert.equal(bom.manifests[0].id?.name, 'web');
  const crlf = parseManifests(deployment.replace(/\n/g, '\r\n'), 'c.yaml');
  assert.equal(crlf.manifests[0].rangeOf('/spec/replicas').start.line, 7);
});

test('a repeated key anywhere: the last value is read and located; other errors still refuse the document', () => {
  const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n        - name: web\n          image: a:1\n          image: a:2\n  replicas: 3\n';
  const r = parseManifests(text, 'dup.yaml');
  assert.deepEqual(
    r.problems.map((p) => [p.severity, p.location?.range?.start.line]),
    [
      ['warning', 12],
      ['warning', 13],
    ],
  );
  const spec = r.manifests[0].object.spec as { replicas: number; template: { spec: { containers: Array<{ image: string }> } } };
  assert.equal(spec.replicas, 3);
  assert.equal(spec.template.spec.containers[0].image, 'a:2');
  assert.equal(r.manifests[0].rangeOf('/spec/replicas').start.line, 13);
  assert.equal(r.manifests[0].valueRangeOf('/spec/template/spec/containers/0/image')?.start.line, 12);
  const broken = parseManifests(`${text}  bad: [\n`, 'dup.yaml');
  assert.equal(broken.manifests.length, 0);
  assert.ok(broken.problems.some((p) => p.severity === 'error'));
});

test('objects without kind or name are not resources; a List is flattened', () => {
  const { manifests } = parseManifests('a: 1\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {}\n---\napiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: x\n', 'l.yaml');
  const ids = manifests.map((m) => m.id?.name ?? null);
  assert.deepEqual(ids, [null, null, 'x']);
  assert.equal(manifests[2].kindRange.start.line, 11);
});
