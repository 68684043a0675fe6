// The promotion preview's live impact against the sandbox: promoting staging → prod (kustomize
// overlays) says what applying prod's rendered "after" would change live — the promoted image as
// the change's own field, a hand-scaled replica count as live drift it overwrites — writes nothing,
// and says "unreachable" or "no cluster" when there is none to ask. The same code the editor runs
// (src/ui/promotion/promotionLiveImpact.ts), fed the cluster layer the bundle exports.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/cli/main';
import { applyObject } from '../../src/cluster/drift/applyRequest';
import { refusedReasons } from '../../src/cluster/drift/invalidDesired';
import { addLiveImpact } from '../../src/cluster/sync/liveImpact';
import { openSyncConnection } from '../../src/cluster/sync/syncConnection';
import { discoverEnvironments } from '../../src/core/discovery';
import type { Environment } from '../../src/core/model';
import { GitRepository } from '../../src/git/gitRepository';
import { planPromotion } from '../../src/git/promotion/planPromotion';
import { loadPromotionContext } from '../../src/git/promotion/promotionContext';
import { renderPlanChange } from '../../src/git/promotion/renderPlanChange';
import { workingTreeView } from '../../src/git/repoViews';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandboxServer';
import { promotionLiveImpact, RenderedAfter } from '../../src/ui/promotion/promotionLiveImpact';
import { hostedRepo } from './helpers/hostServers/promotionRepos';
import { removeTempDirs, tempDir } from './helpers/tempGitRepo';

let sandbox: SandboxHandle;
let kubeconfig: string;

const CONFIG = `apiVersion: gitops-environments/v1
environments:
  - name: staging
    path: overlays/staging
    cluster: { context: sandbox, namespace: live-staging }
  - name: prod
    path: overlays/prod
    cluster: { context: sandbox, namespace: live-prod }
`;
const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n        - name: app\n          image: ghcr.io/acme/web:1.0.0\n';
const overlay = (tag: string, namespace: string): string =>
  `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: ${namespace}\nresources:\n  - ../../base\nimages:\n  - name: ghcr.io/acme/web\n    newTag: "${tag}"\n`;

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

before(async () => {
  kubeconfig = join(tempDir('gitops-promo-live-kc-'), 'kubeconfig');
  sandbox = await startSandbox({ kubeconfigPath: kubeconfig });
});

after(async () => {
  await sandbox?.stop();
  removeTempDirs();
});

/** prod live at its commit (then scaled by hand), staging one image ahead; the plan and prod's rendered "after". */
async function promotedProd(): Promise<{ repo: GitRepository; plan: Awaited<ReturnType<typeof planPromotion>>; prod: Environment; afterObjects: NonNullable<ReturnType<RenderedAfter['of']>> }> {
  const remote = hostedRepo({
    'gitops.yaml': CONFIG,
    'base/kustomization.yaml': 'resources: [deployment.yaml]\n',
    'base/deployment.yaml': DEPLOYMENT,
    'overlays/staging/kustomization.yaml': overlay('1.2.0', 'live-staging'),
    'overlays/prod/kustomization.yaml': overlay('1.1.0', 'live-prod'),
  });
  const repo = await GitRepository.open(remote.work);
  const prod = (await discoverEnvironments(workingTreeView(repo), {})).environments.find((e) => e.name === 'prod');
  assert.ok(prod);
  const plan = await planPromotion(repo, { environments: (await loadPromotionContext(repo)).environments, from: 'staging', to: 'prod' });
  const captured = new RenderedAfter();
  const check = captured.capture((objects) => refusedReasons(objects));
  const diff = check.keep(await renderPlanChange(repo, plan, { trusted: true, refused: check.refused }));
  assert.deepEqual(diff.changed, ['Deployment live-prod/web'], diff.problems.join('\n'));
  const afterObjects = captured.of(diff);
  assert.ok(afterObjects && afterObjects.length === 1, 'the render action kept the rendered after');
  return { repo, plan, prod, afterObjects };
}

describe('promotion preview: live impact against the sandbox', () => {
  it('the promoted image is the change; a hand-scaled replica count is drift the apply overwrites; nothing is written', async () => {
    const { repo, plan, prod, afterObjects } = await promotedProd();
    const connection = openSyncConnection({ kubeconfig, context: 'sandbox' });
    await applyObject(connection, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'live-prod' } }, { dryRun: false, defaultNamespace: 'live-prod' });
    const synced = await cli('sync', '--repo', repo.root, '--env', 'prod', '--kubeconfig', kubeconfig);
    assert.equal(synced.code, 0, synced.out + synced.err);
    sandbox.store.patch({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'live-prod', name: 'web' }, { spec: { replicas: 5 } }, 'kubectl-scale');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const version = sandbox.store.resourceVersion;
    const cluster = await promotionLiveImpact({ repo, plan, environment: prod, after: afterObjects, kubeconfig, cluster: { addLiveImpact } });
    repo.dispose();
    assert.equal(sandbox.store.resourceVersion, version, 'a live check writes nothing');
    assert.equal(cluster.status, 'checked', cluster.message);
    const web = cluster.objects.find((o) => o.kind === 'Deployment' && o.name === 'web');
    assert.equal(web?.change, 'modified');
    const fields = new Map(web?.fields.map((f) => [f.path, f]));
    const image = [...fields.values()].find((f) => /image$/.test(f.path));
    assert.deepEqual([image?.before, image?.after, image?.drift ?? false], ['ghcr.io/acme/web:1.1.0', 'ghcr.io/acme/web:1.2.0', false], JSON.stringify(web?.fields));
    assert.deepEqual([fields.get('spec.replicas')?.before, fields.get('spec.replicas')?.after, fields.get('spec.replicas')?.drift], [5, 2, true]);
  });

  it('an unreachable cluster and an environment without a cluster say so instead of failing', async () => {
    const { repo, plan, prod, afterObjects } = await promotedProd();
    // A kubeconfig whose server nobody listens on.
    const dead = join(tempDir('gitops-promo-live-dead-'), 'kubeconfig');
    const { writeFileSync, readFileSync } = await import('node:fs');
    writeFileSync(dead, readFileSync(kubeconfig, 'utf8').replace(/server: https:\/\/127\.0\.0\.1:\d+/, 'server: https://127.0.0.1:9'));
    const down = await promotionLiveImpact({ repo, plan, environment: prod, after: afterObjects, kubeconfig: dead, cluster: { addLiveImpact } });
    assert.equal(down.status, 'unreachable');
    assert.match(down.message ?? '', /127\.0\.0\.1:9/);
    const noCluster = await promotionLiveImpact({ repo, plan, environment: { ...prod, cluster: { ...prod.cluster, context: null } }, after: afterObjects, cluster: { addLiveImpact } });
    repo.dispose();
    assert.equal(noCluster.status, 'none');
    assert.match(noCluster.message ?? '', /no cluster context/);
  });
});
