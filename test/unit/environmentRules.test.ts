// What an environment's definition says about drift: gitops.yaml's extraSelector (per environment,
// and winning over the operator's tracking label), the Argo CD / Flux tracking labels otherwise.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadEnvironmentDriftRules } from '../../src/cluster/drift/environmentRules';
import type { Environment } from '../../src/core/model';
import { MemoryRepoView } from './helpers/memoryRepoView';

function environment(name: string, extra: Partial<Environment> = {}): Environment {
  return { name, branch: null, path: name, repo: null, cluster: null, protected: false, source: 'config', ...extra } as Environment;
}

const ARGO_APP = 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: shop-prod\nspec:\n  source: { path: prod }\n';

describe('environment drift rules', () => {
  it('gitops.yaml extraSelector names each environment', async () => {
    const view = new MemoryRepoView({ 'gitops.yaml': 'environments:\n  - name: dev\n    path: dev\ndrift:\n  extraSelector: "app.kubernetes.io/part-of=shop,env={environment}"\n' });
    assert.equal((await loadEnvironmentDriftRules(view, environment('dev'))).extraSelector, 'app.kubernetes.io/part-of=shop,env=dev');
    assert.equal((await loadEnvironmentDriftRules(view, environment('prod'))).extraSelector, 'app.kubernetes.io/part-of=shop,env=prod');
  });

  it("without one, an Argo CD environment uses the Application's tracking label, and gitops.yaml's selector wins when set", async () => {
    const declaredAt = { file: 'apps/prod.yaml', range: { start: { line: 1, column: 1 }, end: { line: 6, column: 1 } } };
    const argo = environment('prod', { source: 'argocd', declaredAt } as Partial<Environment>);
    const plain = new MemoryRepoView({ 'apps/prod.yaml': ARGO_APP });
    const fromArgo = await loadEnvironmentDriftRules(plain, argo);
    assert.equal(fromArgo.extraSelector, 'app.kubernetes.io/instance=shop-prod');
    assert.equal(fromArgo.extraTrackingApp, 'shop-prod', 'Argo CD 3 tracks by annotation');
    const configured = new MemoryRepoView({ 'apps/prod.yaml': ARGO_APP, 'gitops.yaml': 'drift:\n  extraSelector: "team=web"\n' });
    const chosen = await loadEnvironmentDriftRules(configured, argo);
    assert.equal(chosen.extraSelector, 'team=web');
    assert.equal(chosen.extraTrackingApp, undefined);
  });
});
