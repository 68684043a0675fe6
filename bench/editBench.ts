// Drift hints for an open 5,000-line, 200-document manifest: the time from the editor handing its
// text to the environment's drift service (updateFile) to the new report, after a one-line edit.
// Local and server mode against the in-process sandbox; the target is the median ≤ 20 ms.
import { join } from 'node:path';
import { ClusterManager } from '../src/cluster/clusterManager';
import { EnvironmentDriftService } from '../src/cluster/drift/environmentDriftService';
import type { DriftMode } from '../src/core/drift/driftTypes';
import { parseManifests } from '../src/core/manifest';
import { startSandbox } from '../src/sandbox/sandboxServer';
import { tempDir } from '../test/integration/helpers/tempGitRepo';
import { demoDeployments, joinDocuments } from '../test/unit/helpers/bigManifest';

const NAMESPACE = 'edit-bench';
const DOCUMENTS = 208;

export interface EditBenchResult {
  lines: number;
  documents: number;
  localMs: number[];
  serverMs: number[];
}

export async function measureEdit(edits = 15): Promise<EditBenchResult> {
  const kubeconfig = join(tempDir('gitops-edit-bench-'), 'kubeconfig');
  const sandbox = await startSandbox({ kubeconfigPath: kubeconfig, controllers: false });
  const result: EditBenchResult = { lines: 0, documents: DOCUMENTS, localMs: [], serverMs: [] };
  try {
    sandbox.store.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } } as never);
    const docs = demoDeployments(DOCUMENTS, () => ({ namespace: NAMESPACE, replicas: 2 }));
    for (let i = 0; i < DOCUMENTS; i++) sandbox.store.apply(parseManifests(docs[i], 'x.yaml').manifests[0].object as never, 'kubectl');
    const file = 'deploy/all.yaml';
    const text = joinDocuments(docs);
    result.lines = text.split('\n').length;
    for (const mode of ['local', 'server'] as DriftMode[]) {
      const manager = new ClusterManager({ path: kubeconfig });
      const service = new EnvironmentDriftService({ manager, context: sandbox.contextName, defaultNamespace: NAMESPACE, mode, autoRecompute: false });
      service.setDesired(parseManifests(text, file).manifests.filter((m) => m.id).map((m) => ({ object: m.object, manifest: m })));
      await service.compute();
      await service.updateFile(file, text);
      const times = mode === 'local' ? result.localMs : result.serverMs;
      let current = text;
      for (let e = 0; e < edits; e++) {
        const i = (e * 13) % DOCUMENTS;
        current = current.replace(`  name: app-${i}\n  namespace: ${NAMESPACE}\n  labels: { app: demo }\nspec:\n  replicas: ${2 + (e % 2 === 0 ? 0 : 1)}`, `  name: app-${i}\n  namespace: ${NAMESPACE}\n  labels: { app: demo }\nspec:\n  replicas: ${e % 2 === 0 ? 3 : 2}`);
        const started = performance.now();
        const report = await service.updateFile(file, current);
        times.push(performance.now() - started);
        if (report.drift.resources.length !== DOCUMENTS) throw new Error(`report has ${report.drift.resources.length} resources`);
      }
      service.dispose();
      manager.dispose();
    }
  } finally {
    await sandbox.stop();
  }
  return result;
}
