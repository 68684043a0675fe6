// Image mode: finding image references, pairing them across environments, and editing them in
// place without touching anything else in the file.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyImageChanges, planImageChanges } from '../../src/core/promotion/imageChanges';
import { applyImageEdits, formatScalar } from '../../src/core/promotion/imageEdits';
import { imageName, scanImages } from '../../src/core/promotion/imageRefs';

const deployment = (web: string, replicas: number, extra = ''): string => `# Web frontend — prod pins replicas
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop-${replicas > 1 ? 'prod' : 'staging'}
spec:
  replicas: ${replicas}   # tuned per environment
  template:
    spec:
      initContainers:
        - name: migrate
          image: ghcr.io/acme/migrate:2.0
      containers:
        - name: app
          image: ghcr.io/acme/web:${web}   # the app
          resources: {limits: {cpu: "1"}}
        - image: 'envoyproxy/envoy:v1.29.0'
          name: proxy
${extra}`;

describe('image references', () => {
  it('imageName drops tag and digest but keeps a registry port', () => {
    assert.equal(imageName('ghcr.io/acme/web:1.2'), 'ghcr.io/acme/web');
    assert.equal(imageName('localhost:5000/web@sha256:abc'), 'localhost:5000/web');
    assert.equal(imageName('localhost:5000/web'), 'localhost:5000/web');
    assert.equal(imageName('nginx'), 'nginx');
  });

  it('finds container images in every container list with keys by object and container name', () => {
    const scan = scanImages(deployment('1.4.0', 5), 'envs/prod/web.yaml');
    assert.deepEqual(
      scan.refs.map((r) => [r.key, r.value, r.line]),
      [
        ['container:Deployment/web:spec/template/spec/initContainers/migrate', 'ghcr.io/acme/migrate:2.0', 13],
        ['container:Deployment/web:spec/template/spec/containers/app', 'ghcr.io/acme/web:1.4.0', 16],
        ['container:Deployment/web:spec/template/spec/containers/proxy', 'envoyproxy/envoy:v1.29.0', 18],
      ],
    );
  });

  it('finds CronJob containers nested under jobTemplate', () => {
    const text = 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - {name: job, image: "busybox:1.36"}\n';
    assert.deepEqual(
      scanImages(text, 'cron.yaml').refs.map((r) => [r.key, r.value]),
      [['container:CronJob/nightly:spec/jobTemplate/spec/template/spec/containers/job', 'busybox:1.36']],
    );
  });

  it('reads kustomize images entries and Helm values image maps and strings', () => {
    const kustomization = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nimages:\n  - name: web\n    newTag: "1.10"\n  - name: api\n    newName: ghcr.io/acme/api\n    digest: sha256:aaa\n';
    const scan = scanImages(kustomization, 'overlays/prod/kustomization.yaml');
    assert.deepEqual(
      scan.holders.map((h) => [h.key, Object.fromEntries(Object.entries(h.fields).map(([k, v]) => [k, v?.value]))]),
      [
        ['kustomize:web', { newTag: '1.10' }],
        ['kustomize:api', { newName: 'ghcr.io/acme/api', digest: 'sha256:aaa' }],
      ],
    );
    const values = 'replicaCount: 3\nimage:\n  repository: ghcr.io/acme/web\n  tag: 1.10\nworker:\n  image: ghcr.io/acme/worker:7\n';
    const helm = scanImages(values, 'charts/web/values-prod.yaml');
    assert.deepEqual(
      helm.holders.map((h) => [h.key, h.fields.tag?.value, h.name]),
      [['helm:/image', '1.10', 'ghcr.io/acme/web']],
      'a plain 1.10 stays the text 1.10, not the number 1.1',
    );
    assert.deepEqual(
      helm.refs.map((r) => [r.key, r.value]),
      [['helm:/worker/image', 'ghcr.io/acme/worker:7']],
    );
  });

  it('an unparsable file yields no references instead of throwing', () => {
    assert.deepEqual(scanImages('a: [unclosed\n', 'x.yaml'), { refs: [], holders: [] });
  });
});

describe('image changes between environments', () => {
  it('pairs containers by name, changes only differing images, and leaves replicas and comments alone', () => {
    const staging = deployment('1.5.0', 1).replace("'envoyproxy/envoy:v1.29.0'", "'envoyproxy/envoy:v1.30.1'");
    const prod = deployment('1.4.0', 5);
    const { changes, notes } = planImageChanges([{ sourcePath: 'envs/staging/web.yaml', targetPath: 'envs/prod/web.yaml', sourceText: staging, targetText: prod }]);
    assert.deepEqual(notes, []);
    assert.deepEqual(
      changes.map((c) => [c.name, c.from, c.to, c.line]),
      [
        ['ghcr.io/acme/web', 'ghcr.io/acme/web:1.4.0', 'ghcr.io/acme/web:1.5.0', 16],
        ['envoyproxy/envoy', 'envoyproxy/envoy:v1.29.0', 'envoyproxy/envoy:v1.30.1', 18],
      ],
    );
    const { text, failed } = applyImageChanges(prod, changes);
    assert.deepEqual(failed, []);
    assert.equal(text, prod.replace('web:1.4.0', 'web:1.5.0').replace("'envoyproxy/envoy:v1.29.0'", "'envoyproxy/envoy:v1.30.1'"), 'only the two values changed, quoting kept');
  });

  it('a container listed in another order still pairs by name', () => {
    const a = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - {name: a, image: "x:2"}\n    - {name: b, image: "y:2"}\n';
    const b = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - {name: b, image: "y:1"}\n    - {name: a, image: "x:1"}\n';
    const { changes } = planImageChanges([{ sourcePath: 's.yaml', targetPath: 't.yaml', sourceText: a, targetText: b }]);
    assert.equal(applyImageChanges(b, changes).text, b.replace('"y:1"', '"y:2"').replace('"x:1"', '"x:2"'));
  });

  it('kustomize: sets, adds and removes fields in place', () => {
    const staging = 'images:\n  - name: web\n    newTag: "1.10"\n    digest: sha256:abc\n  - name: api\n    newTag: v2\n';
    const prod = 'kind: Kustomization\napiVersion: kustomize.config.k8s.io/v1beta1\n# prod pins\nimages:\n  - name: web   # frontend\n    newTag: "1.9"   # keep quoted\n  - name: api\n    newTag: v1\n    digest: sha256:old\nresources: [../../base]\n';
    const { changes } = planImageChanges([{ sourcePath: 'overlays/staging/kustomization.yaml', targetPath: 'overlays/prod/kustomization.yaml', sourceText: staging, targetText: prod }]);
    assert.deepEqual(
      changes.map((c) => [c.name, c.field, c.from, c.to]),
      [
        ['web', 'newTag', '1.9', '1.10'],
        ['web', 'digest', null, 'sha256:abc'],
        ['api', 'newTag', 'v1', 'v2'],
        ['api', 'digest', 'sha256:old', null],
      ],
    );
    const { text, failed } = applyImageChanges(prod, changes);
    assert.deepEqual(failed, []);
    assert.equal(
      text,
      'kind: Kustomization\napiVersion: kustomize.config.k8s.io/v1beta1\n# prod pins\nimages:\n  - name: web   # frontend\n    newTag: "1.10"   # keep quoted\n    digest: "sha256:abc"\n  - name: api\n    newTag: v2\nresources: [../../base]\n',
    );
  });

  it('an image only in the source is reported, not invented in the target', () => {
    const { changes, notes } = planImageChanges([
      { sourcePath: 's/kustomization.yaml', targetPath: 't/kustomization.yaml', sourceText: 'images:\n  - {name: redis, newTag: "7"}\n', targetText: 'images: []\n' },
    ]);
    assert.deepEqual(changes, []);
    assert.equal(notes.length, 1);
    assert.match(notes[0], /redis has no counterpart in t\/kustomization\.yaml/);
  });

  it('unticked image changes are not applied', () => {
    const { changes } = planImageChanges([{ sourcePath: 's.yaml', targetPath: 't.yaml', sourceText: deployment('2.0.0', 1), targetText: deployment('1.0.0', 3) }]);
    const text = applyImageChanges(deployment('1.0.0', 3), changes.map((c) => ({ ...c, selected: false }))).text;
    assert.equal(text, deployment('1.0.0', 3));
  });

  it('multi-document files edit the right document', () => {
    const doc = (tag: string): string => `apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c, image: "a:1"}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec: {containers: [{name: c, image: "b:${tag}"}]}\n`;
    const { changes } = planImageChanges([{ sourcePath: 's.yaml', targetPath: 't.yaml', sourceText: doc('2'), targetText: doc('1') }]);
    assert.equal(changes.length, 1);
    assert.equal(applyImageChanges(doc('1'), changes).text, doc('2'));
  });
});

describe('in-place scalar edits', () => {
  it('quotes values that plain YAML (1.1 or 1.2) would read as something else', () => {
    assert.equal(formatScalar('v1.2.3', 'PLAIN'), 'v1.2.3');
    assert.equal(formatScalar('1.10', 'PLAIN'), '"1.10"');
    assert.equal(formatScalar('yes', 'PLAIN'), '"yes"');
    assert.equal(formatScalar('1e3', 'PLAIN'), '"1e3"');
    assert.equal(formatScalar('sha256:abc', 'PLAIN'), 'sha256:abc');
    assert.equal(formatScalar("it's", 'QUOTE_SINGLE'), "'it''s'");
    assert.equal(formatScalar('a"b', 'QUOTE_DOUBLE'), '"a\\"b"');
  });

  it('adds to a flow mapping and refuses to remove from one (reported as failed)', () => {
    const text = 'images:\n  - {name: web, newTag: "1"}\n';
    assert.equal(applyImageEdits(text, [{ docIndex: 0, pointer: '/images/0/digest', op: 'add', value: 'sha256:x' }]).text, 'images:\n  - {name: web, newTag: "1", digest: "sha256:x"}\n');
    const removal = applyImageEdits(text, [{ docIndex: 0, pointer: '/images/0/newTag', op: 'remove' }]);
    assert.equal(removal.text, text);
    assert.equal(removal.failed.length, 1);
  });

  it('adds after the last field even when the file has no final newline', () => {
    assert.equal(applyImageEdits('image:\n  tag: "1"', [{ docIndex: 0, pointer: '/image/digest', op: 'add', value: 'sha256:x' }]).text, 'image:\n  tag: "1"\n  digest: "sha256:x"\n');
  });

  it('a pointer that does not exist fails without changing the text', () => {
    const result = applyImageEdits('a: 1\n', [{ docIndex: 0, pointer: '/b/c', op: 'set', value: 'x' }]);
    assert.equal(result.text, 'a: 1\n');
    assert.equal(result.failed.length, 1);
  });
});
