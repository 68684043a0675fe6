// set-image's pure part: parsing the requested image, choosing what to edit in an environment
// folder (kustomize `images:` entry first, else container / Helm fields), editing in place, and
// naming the branch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, parseAllDocuments } from 'yaml';
import { addedKustomizeEntry, canonicalImageName, setImageReference, kustomizationIncludes, withKustomizeImageEntry, imagesUsed, parseRequestedImage, planFolderEdits, setImageBranchName, setImageTitle, type RequestedImage } from '../../src/core/promotion/setImagePlan';

function image(reference: string): RequestedImage {
  const parsed = parseRequestedImage(reference);
  assert.notEqual(typeof parsed, 'string', String(parsed));
  return parsed as RequestedImage;
}

const DIGEST = `sha256:${'ab12'.repeat(16)}`;

test('parseRequestedImage reads NAME:TAG, NAME@DIGEST, NAME:TAG@DIGEST and registries with ports', () => {
  assert.deepEqual(image('ghcr.io/acme/web:1.4.0'), { name: 'ghcr.io/acme/web', tag: '1.4.0', digest: null, reference: 'ghcr.io/acme/web:1.4.0' });
  assert.deepEqual(image(`web@${DIGEST}`), { name: 'web', tag: null, digest: DIGEST, reference: `web@${DIGEST}` });
  assert.deepEqual(image(`localhost:5000/web:2@${DIGEST}`), { name: 'localhost:5000/web', tag: '2', digest: DIGEST, reference: `localhost:5000/web:2@${DIGEST}` });
  assert.equal(image('localhost:5000/web:v3').tag, 'v3');
});

test('parseRequestedImage refuses a reference without tag or digest, a bad tag, a bad digest', () => {
  assert.match(String(parseRequestedImage('ghcr.io/acme/web')), /neither a tag nor a digest/);
  assert.match(String(parseRequestedImage('localhost:5000/web')), /neither a tag nor a digest/);
  assert.match(String(parseRequestedImage('web:-bad')), /not a valid image tag/);
  assert.match(String(parseRequestedImage('web@sha256:xyz')), /not a valid digest/);
  assert.match(String(parseRequestedImage(':1.0')), /image name/);
});

test('canonicalImageName treats docker.io/library/nginx, docker.io/nginx and nginx as one image', () => {
  assert.equal(canonicalImageName('docker.io/library/nginx'), 'nginx');
  assert.equal(canonicalImageName('index.docker.io/library/nginx'), 'nginx');
  assert.equal(canonicalImageName('docker.io/nginx'), 'nginx');
  assert.equal(canonicalImageName('ghcr.io/library/nginx'), 'ghcr.io/library/nginx');
});

const KUSTOMIZATION = `# prod overlay — owned by the platform team
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../base   # the shared base
images:
  # the web front end
  - name: ghcr.io/acme/web
    newTag: "1.3.0"   # bumped by CI
  - name: ghcr.io/acme/api
    newTag: 2.0.0
`;

/** Lines that differ between two texts of the same line count. */
function changedLines(before: string, after: string): Array<[string, string]> {
  const a = before.split('\n');
  const b = after.split('\n');
  assert.equal(a.length, b.length, 'line count kept');
  return a.flatMap((line, i) => (line === b[i] ? [] : [[line, b[i]] as [string, string]]));
}

test('a kustomize images: entry gets its newTag set in place: quoting, comments and every other byte kept', () => {
  const result = planFolderEdits([{ path: 'envs/prod/kustomization.yaml', text: KUSTOMIZATION }], image('ghcr.io/acme/web:1.4.0'));
  assert.equal(result.via, 'kustomize');
  assert.equal(result.edited.length, 1);
  assert.deepEqual(changedLines(KUSTOMIZATION, result.edited[0].after), [['    newTag: "1.3.0"   # bumped by CI', '    newTag: "1.4.0"   # bumped by CI']]);
});

test('property: for any valid tag, only the entry\'s newTag line changes and the YAML reads back with that tag', () => {
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-';
  let seed = 7;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
  for (let run = 0; run < 300; run++) {
    const length = 1 + (next() % 20);
    let tag = chars[next() % 63];
    for (let i = 1; i < length; i++) tag += chars[next() % chars.length];
    const result = planFolderEdits([{ path: 'k/kustomization.yaml', text: KUSTOMIZATION }], image(`ghcr.io/acme/web:${tag}`));
    const after = result.edited[0]?.after ?? KUSTOMIZATION;
    const changed = changedLines(KUSTOMIZATION, after);
    assert.ok(changed.length <= 1, tag);
    const doc = parse(after) as { images: Array<{ name: string; newTag: unknown }> };
    assert.equal(String(doc.images[0].newTag), tag, tag);
    assert.equal(doc.images[1].newTag, '2.0.0');
  }
});

test('a digest on a kustomize entry adds digest and drops newTag (kustomize would otherwise keep the tag visible but unused)', () => {
  const result = planFolderEdits([{ path: 'kustomization.yaml', text: KUSTOMIZATION }], image(`ghcr.io/acme/web@${DIGEST}`));
  const doc = parse(result.edited[0].after) as { images: Array<Record<string, string>> };
  assert.deepEqual(doc.images[0], { name: 'ghcr.io/acme/web', digest: DIGEST });
  assert.match(result.edited[0].after, /# the web front end/);
});

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          image: ghcr.io/acme/web:1.3.0 # same image, runs migrations
      containers:
        - name: web
          image: ghcr.io/acme/web:1.3.0
        - name: proxy
          image: envoyproxy/envoy:v1.30.0
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: report
              image: 'ghcr.io/acme/web:1.3.0'
`;

test('without a kustomize entry, every container image: field naming the image changes (init containers, CronJobs), others do not', () => {
  const result = planFolderEdits([{ path: 'apps/web/deploy.yaml', text: DEPLOYMENT }], image('ghcr.io/acme/web:1.4.0'));
  assert.equal(result.via, 'fields');
  assert.equal(result.matches.length, 3);
  assert.deepEqual(changedLines(DEPLOYMENT, result.edited[0].after), [
    ['          image: ghcr.io/acme/web:1.3.0 # same image, runs migrations', '          image: ghcr.io/acme/web:1.4.0 # same image, runs migrations'],
    ['          image: ghcr.io/acme/web:1.3.0', '          image: ghcr.io/acme/web:1.4.0'],
    ["              image: 'ghcr.io/acme/web:1.3.0'", "              image: 'ghcr.io/acme/web:1.4.0'"],
  ]);
  assert.equal(parseAllDocuments(result.edited[0].after).length, 2);
});

test('a kustomize entry wins over container fields in the same folder (kustomize applies it to them)', () => {
  const files = [
    { path: 'o/kustomization.yaml', text: KUSTOMIZATION },
    { path: 'o/patch.yaml', text: DEPLOYMENT },
  ];
  const result = planFolderEdits(files, image('ghcr.io/acme/web:1.4.0'));
  assert.equal(result.via, 'kustomize');
  assert.deepEqual(result.edited.map((e) => e.path), ['o/kustomization.yaml']);
});

test('Helm values: image.repository + image.tag pairs get the tag; an image string gets the whole reference', () => {
  const values = 'web:\n  image:\n    repository: ghcr.io/acme/web\n    tag: "1.3.0"  # app version\nsidecar:\n  image: ghcr.io/acme/web:1.3.0\n';
  const result = planFolderEdits([{ path: 'values-prod.yaml', text: values }], image('ghcr.io/acme/web:1.4.0'));
  assert.equal(result.edited[0].after, 'web:\n  image:\n    repository: ghcr.io/acme/web\n    tag: "1.4.0"  # app version\nsidecar:\n  image: ghcr.io/acme/web:1.4.0\n');
});

test('an image already at the requested tag matches but edits nothing; a name written without docker.io keeps its spelling', () => {
  const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: n\n      image: nginx:1.27\n';
  const same = planFolderEdits([{ path: 'p.yaml', text }], image('docker.io/library/nginx:1.27'));
  assert.equal(same.matches.length, 1);
  assert.deepEqual(same.edited, []);
  const bumped = planFolderEdits([{ path: 'p.yaml', text }], image('docker.io/library/nginx:1.28'));
  assert.match(bumped.edited[0].after, /image: nginx:1\.28\n/);
});

test('a kustomize entry that renames the base\'s image (newName) is found by the new name', () => {
  const text = 'images:\n  - name: web\n    newName: ghcr.io/acme/web\n    newTag: "1"\n';
  const result = planFolderEdits([{ path: 'kustomization.yaml', text }], image('ghcr.io/acme/web:2'));
  assert.equal(result.edited[0].after, 'images:\n  - name: web\n    newName: ghcr.io/acme/web\n    newTag: "2"\n');
});

test('imagesUsed lists container images, kustomize entries with their new names, and Helm repositories', () => {
  const kustomization = 'images:\n  - name: web\n    newName: ghcr.io/acme/web\n    newTag: "1"\n';
  assert.deepEqual(imagesUsed([
    { path: 'd.yaml', text: DEPLOYMENT },
    { path: 'kustomization.yaml', text: kustomization },
    { path: 'values.yaml', text: 'image:\n  repository: quay.io/acme/worker\n  tag: "3"\n' },
  ]), ['envoyproxy/envoy', 'ghcr.io/acme/web', 'quay.io/acme/worker', 'web']);
});

test('branch name and title: basename and tag, or the digest cut short', () => {
  assert.equal(setImageBranchName('prod', image('ghcr.io/acme/web:1.4.0')), 'gitops/set-image-prod-web-1.4.0');
  assert.equal(setImageBranchName('prod', image(`ghcr.io/acme/web@${DIGEST}`)), `gitops/set-image-prod-web-${'ab12'.repeat(3)}`);
  assert.equal(setImageTitle('prod', image('ghcr.io/acme/web:1.4.0')), 'Set ghcr.io/acme/web to 1.4.0 in prod');
  assert.equal(setImageTitle('prod', image(`ghcr.io/acme/web@${DIGEST}`)), `Set ghcr.io/acme/web to sha256:${'ab12'.repeat(3)} in prod`);
});

test('kustomizationIncludes resolves local resources, bases and components against the kustomization\'s folder; remote ones and escapes are left out', () => {
  const text = 'resources:\n  - ../../base\n  - ./extra.yaml\n  - https://github.com/acme/x//y?ref=v1\n  - github.com/acme/x/y\nbases: [../../../../outside]\ncomponents:\n  - ../../components/monitoring\n';
  assert.deepEqual(kustomizationIncludes(text, 'envs/prod/kustomization.yaml'), ['base', 'envs/prod/extra.yaml', 'components/monitoring']);
  assert.deepEqual(kustomizationIncludes(': not yaml [', 'k/kustomization.yaml'), []);
});

test('withKustomizeImageEntry appends an item after the last one, at the list\'s indentation, comments kept', () => {
  const text = 'resources: [../base]\nimages:\n  - name: other # keep\n    newTag: "1"   # this too\nnamePrefix: prod-\n';
  assert.equal(withKustomizeImageEntry(text, 'ghcr.io/acme/web'), 'resources: [../base]\nimages:\n  - name: other # keep\n    newTag: "1"   # this too\n  - name: ghcr.io/acme/web\nnamePrefix: prod-\n');
  const flush = 'images:\n- name: other\n  newTag: "1"';
  assert.equal(withKustomizeImageEntry(flush, 'web'), 'images:\n- name: other\n  newTag: "1"\n- name: web\n');
});

test('withKustomizeImageEntry starts an images: list when there is none, and refuses a flow list', () => {
  assert.equal(withKustomizeImageEntry('resources:\n  - ../base # shared\n', 'web'), 'resources:\n  - ../base # shared\nimages:\n  - name: web\n');
  assert.equal(withKustomizeImageEntry('resources: [../base]', 'web'), 'resources: [../base]\nimages:\n  - name: web\n');
  assert.equal(withKustomizeImageEntry('images: [{name: a, newTag: "1"}]\n', 'web'), null);
});

test('addedKustomizeEntry: the final text reads back with the image at the requested tag or digest, the rest unchanged', () => {
  const file = { path: 'envs/prod/kustomization.yaml', text: '# prod\nresources:\n  - ../../base\n' };
  const tagged = addedKustomizeEntry(file, image('ghcr.io/acme/web:1.4.0'));
  assert.equal(tagged?.after, '# prod\nresources:\n  - ../../base\nimages:\n  - name: ghcr.io/acme/web\n    newTag: 1.4.0\n');
  const pinned = addedKustomizeEntry(file, image(`ghcr.io/acme/web@${DIGEST}`));
  assert.deepEqual((parse(pinned?.after ?? '') as { images: unknown[] }).images, [{ name: 'ghcr.io/acme/web', digest: DIGEST }]);
});

test('setImageReference marks only set-image plans: an environment to itself on a set-image branch', () => {
  const plan = { kind: 'promotion', layout: 'image', from: 'prod', to: 'prod', headBranch: 'gitops/set-image-prod-web-1.4.0', source: { ref: 'ghcr.io/acme/web:1.4.0' } };
  assert.equal(setImageReference(plan), 'ghcr.io/acme/web:1.4.0');
  assert.equal(setImageReference({ ...plan, from: 'staging', headBranch: 'gitops/promote-staging-to-prod-abc1234' }), null);
  assert.equal(setImageReference({ ...plan, from: 'staging' }), null);
  assert.equal(setImageReference({ ...plan, kind: 'rollback' }), null);
  assert.equal(setImageReference({ ...plan, headBranch: 'gitops/promote-prod-to-prod-abc1234' }), null);
});
