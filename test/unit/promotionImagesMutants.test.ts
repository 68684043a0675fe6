// Rules of image promotion that the mutation run (npm run mutate -- promotion-images) found
// unheld: which files are kustomizations (their `images:` entries are the holders, not container
// fields), the 5 MB limit on both sides of a pair, notes naming images with no counterpart, and
// the image name of a reference (registry ports, digests).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_EDITED_MANIFEST_BYTES } from '../../src/core/manifest';
import { planImageChanges } from '../../src/core/promotion/imageChanges';
import { imageName, scanImages } from '../../src/core/promotion/imageRefs';

const KUSTOMIZATION_BODY = 'images:\n  - name: ghcr.io/acme/web\n    newTag: 1.4.0\n';

describe('which files are kustomizations (their images: entries are what a promotion edits)', () => {
  it('by file name: kustomization.yaml, kustomization.yml, Kustomization — in any folder, and only those names', () => {
    for (const file of ['kustomization.yaml', 'envs/prod/kustomization.yml', 'apps/web/Kustomization']) {
      const scan = scanImages(KUSTOMIZATION_BODY, file);
      assert.deepEqual(
        scan.holders.map((h) => [h.kind, h.name]),
        [['kustomize', 'ghcr.io/acme/web']],
        file,
      );
    }
    for (const file of ['not-kustomization.yaml', 'kustomization.yaml.bak', 'kustomization.json', 'my-Kustomization', 'kustomization.yamlx']) {
      assert.deepEqual(scanImages(KUSTOMIZATION_BODY, file).holders, [], `${file} is not a kustomization`);
    }
  });

  it('by content: kind Kustomization with a kustomize.config.k8s.io apiVersion, whatever the file name', () => {
    const text = `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${KUSTOMIZATION_BODY}`;
    assert.equal(scanImages(text, 'overlay.yaml').holders.length, 1);
    // Flux's Kustomization is another kind of object: no images: entries to edit.
    const flux = `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n${KUSTOMIZATION_BODY}`;
    assert.deepEqual(scanImages(flux, 'overlay.yaml').holders, []);
    // No apiVersion: not recognised by content.
    assert.deepEqual(scanImages(`kind: Kustomization\n${KUSTOMIZATION_BODY}`, 'overlay.yaml').holders, []);
    // Another kind with the kustomize apiVersion: not a kustomization.
    assert.deepEqual(scanImages(`apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n${KUSTOMIZATION_BODY}`, 'overlay.yaml').holders, []);
  });

  it('a kustomization`s containers-looking fields are not container images, and a workload`s images: list is not a holder', () => {
    const deployment =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: ghcr.io/acme/web:1.4.0\nimages:\n  - name: ghcr.io/acme/web\n    newTag: 9.9.9\n';
    const scan = scanImages(deployment, 'deploy.yaml');
    assert.deepEqual(scan.holders, []);
    assert.deepEqual(
      scan.refs.map((r) => [r.kind, r.value]),
      [['container', 'ghcr.io/acme/web:1.4.0']],
    );
    // A document without kind and apiVersion is read as Helm values: its image keys are values, not containers.
    for (const text of ['spec:\n  containers:\n    - name: web\n      image: a:1\n', 'kind: Deployment\nspec:\n  containers:\n    - name: web\n      image: a:1\n']) {
      const kinds = scanImages(text, 'values.yaml').refs.map((r) => r.kind);
      assert.ok(!kinds.includes('container'), `${JSON.stringify(text)}: ${kinds.join(',')}`);
    }
  });
});

describe('planImageChanges', () => {
  const pair = (sourceText: string, targetText: string) => ({ sourcePath: 'staging/deploy.yaml', targetPath: 'prod/deploy.yaml', sourceText, targetText });
  const deployment = (image: string): string => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: ${image}\n`;

  it('skips a pair when either side is over the limit, saying so; at the limit it is compared', () => {
    const big = (text: string, size: number): string => text + '#'.repeat(size - text.length);
    for (const [source, target] of [
      [big(deployment('web:2'), MAX_EDITED_MANIFEST_BYTES + 1), deployment('web:1')],
      [deployment('web:2'), big(deployment('web:1'), MAX_EDITED_MANIFEST_BYTES + 1)],
    ]) {
      const result = planImageChanges([pair(source, target)]);
      assert.deepEqual(result.changes, []);
      assert.deepEqual(result.notes, [`staging/deploy.yaml: over ${MAX_EDITED_MANIFEST_BYTES / 1048576} MB; its images are not compared, change them by hand`]);
    }
    const atLimit = planImageChanges([pair(big(deployment('web:2'), MAX_EDITED_MANIFEST_BYTES), big(deployment('web:1'), MAX_EDITED_MANIFEST_BYTES))]);
    assert.equal(atLimit.changes.length, 1, 'a file of exactly the limit is still compared');
    assert.deepEqual(atLimit.notes, []);
  });

  it('names a source image with no counterpart in the target, with its line, and promotes nothing for it', () => {
    const source = `${deployment('web:2')}---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: worker}\nspec:\n  template:\n    spec:\n      containers:\n        - name: worker\n          image: worker:7\n`;
    const result = planImageChanges([pair(source, deployment('web:1'))]);
    assert.deepEqual(
      result.changes.map((c) => [c.file, c.sourceFile]),
      [['prod/deploy.yaml', 'staging/deploy.yaml']],
    );
    assert.equal(result.notes.length, 1);
    assert.match(result.notes[0], /^staging\/deploy\.yaml:19: image worker has no counterpart in prod\/deploy\.yaml; it is not promoted$/);
  });
});

describe('imageName', () => {
  it('drops the tag and the digest, never a registry port', () => {
    assert.equal(imageName('ghcr.io/acme/web:1.4.0'), 'ghcr.io/acme/web');
    assert.equal(imageName('registry.local:5000/web:1.4.0'), 'registry.local:5000/web');
    assert.equal(imageName('registry.local:5000/web'), 'registry.local:5000/web');
    assert.equal(imageName('web@sha256:0123456789abcdef'), 'web');
    assert.equal(imageName('registry.local:5000/web:1.4.0@sha256:0123456789abcdef'), 'registry.local:5000/web');
    assert.equal(imageName('nginx'), 'nginx');
  });
});
