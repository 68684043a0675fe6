// Files a folder promotion adds whole are copied as the source wrote them: a line naming the
// source environment (its namespace, prefix, host) would give the target the source's identity.
// Every such line of a ticked added file is an identity change; lines that do not name the source,
// comments, unticked files, modified files and branch merges are not.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planWarnings } from '../../src/core/promotion/safetyChecks';
import type { PlannedFileChange, PromotionPlan } from '../../src/core/promotion/promotionTypes';

function added(path: string, lines: string[], extra: Partial<PlannedFileChange> = {}): PlannedFileChange {
  const diff = [`--- /dev/null`, `+++ b/${path}`, `@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n');
  return { path, sourcePath: path.replace('/prod/', '/qa/'), action: 'add', selected: true, excluded: false, diff, diffTruncated: false, ...extra } as PlannedFileChange;
}

function warnings(files: PlannedFileChange[], extra: Partial<PromotionPlan> = {}): string[] {
  const plan = {
    kind: 'promotion',
    layout: 'folder',
    values: [],
    images: [],
    rendered: null,
    from: 'qa',
    to: 'prod',
    files,
    checks: { aheadValues: [], targetOnlyCommits: 0, mergedValues: [] },
    source: { environment: 'qa', folder: 'envs/qa' },
    target: { environment: 'prod', folder: 'envs/prod' },
    ...extra,
  } as unknown as PromotionPlan;
  return planWarnings(plan)
    .filter((w) => w.code === 'identity-change')
    .map((w) => w.message);
}

describe('added files that name the source', () => {
  it('names each line (up to three) that names the source, at its line in the file', () => {
    const kustomization = ['resources: [../../base]', '# qa only: comments do not count', 'namespace: shop-qa', 'namePrefix: qa-', 'images:', '  - name: web', '    newTag: "1.2"'];
    assert.deepEqual(warnings([added('envs/prod/kustomization.yaml', kustomization)]), [
      '1 added file(s) name qa and would give prod its identity: envs/prod/kustomization.yaml:3 namespace: shop-qa, envs/prod/kustomization.yaml:4 namePrefix: qa-',
    ]);
    const ingress = ['host: shop.qa.example.com', 'tls: qa-cert', 'class: nginx', 'env: QA'];
    assert.deepEqual(warnings([added('envs/prod/kustomization.yaml', kustomization), added('envs/prod/ingress.yaml', ingress)]), [
      '2 added file(s) name qa and would give prod its identity: envs/prod/kustomization.yaml:3 namespace: shop-qa, envs/prod/kustomization.yaml:4 namePrefix: qa-, envs/prod/ingress.yaml:1 host: shop.qa.example.com, …',
    ]);
  });

  it('says nothing for files without the source in them, or not ticked, or not added whole, or in a branch merge', () => {
    const neutral = ['apiVersion: autoscaling/v2', 'kind: HorizontalPodAutoscaler', 'metadata:', '  name: web', 'spec:', '  maxReplicas: 5', '  # equal in quality'];
    assert.deepEqual(warnings([added('envs/prod/hpa.yaml', neutral)]), []);
    const named = ['namespace: shop-qa'];
    assert.deepEqual(warnings([added('envs/prod/k.yaml', named, { selected: false })]), []);
    assert.deepEqual(warnings([added('envs/prod/k.yaml', named, { action: 'modify' })]), []);
    assert.deepEqual(warnings([added('envs/prod/k.yaml', named, { fieldLevel: true })]), []);
    assert.deepEqual(warnings([added('envs/prod/k.yaml', named)], { layout: 'branch' }), []);
    assert.deepEqual(warnings([added('envs/prod/k.yaml', named)], { kind: 'rollback' }), []);
    // A word that merely contains the name is not the name (`quality` is not `qa`).
    assert.deepEqual(warnings([added('envs/prod/k.yaml', ['label: quality-gate'])]), []);
  });
});
