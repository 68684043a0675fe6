// What `gitops-env sync` needs from the sandbox, refereed by the real kubectl: a server-side apply
// that changes nothing keeps the resourceVersion (for every kind, those without a generation too),
// and a Deployment whose image cannot be pulled rolls out but never becomes available — until
// its image is fixed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandboxServer';
import { removeTempDirs, tempDir } from './helpers/tempGitRepo';

const run = promisify(execFile);
const BROKEN = 'registry.invalid/app:missing';
let sandbox: SandboxHandle;
let kubeconfig: string;
let dir: string;

async function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8', timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function deployment(name: string, image: string): string {
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: default\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers:\n        - name: app\n          image: ${image}\n`;
}

before(async () => {
  dir = tempDir('gitops-sandbox-sync-');
  kubeconfig = join(dir, 'kubeconfig');
  sandbox = await startSandbox({ kubeconfigPath: kubeconfig, unpullableImages: [BROKEN] });
});

after(async () => {
  await sandbox?.stop();
  removeTempDirs();
});

test('a server-side apply that changes nothing keeps the resourceVersion, for a Namespace and a ConfigMap (no generation) alike', async () => {
  const manifest = file('quiet.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: quiet\n  labels: {team: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: quiet\ndata: {k: v}\n');
  assert.equal((await kubectl('apply', '--server-side', '-f', manifest)).code, 0);
  const versions = async (): Promise<string> => (await kubectl('get', 'namespace/quiet', 'configmap/c', '-n', 'quiet', '-o', 'jsonpath={.items[*].metadata.resourceVersion}')).stdout;
  const first = await versions();
  const again = await kubectl('apply', '--server-side', '-f', manifest);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(await versions(), first);
});

test('a Deployment whose image cannot be pulled never becomes available (kubectl rollout status times out) until its image is fixed', async () => {
  assert.equal((await kubectl('apply', '--server-side', '-f', file('good.yaml', deployment('good', 'nginx:1.27')))).code, 0);
  assert.equal((await kubectl('apply', '--server-side', '-f', file('stuck.yaml', deployment('stuck', BROKEN)))).code, 0);
  assert.equal((await kubectl('rollout', 'status', 'deployment/good', '--timeout=10s')).code, 0);
  const stuck = await kubectl('rollout', 'status', 'deployment/stuck', '--timeout=2s');
  assert.notEqual(stuck.code, 0);
  assert.match(stuck.stdout + stuck.stderr, /0 of 2 updated replicas are available/);
  const status = JSON.parse((await kubectl('get', 'deployment/stuck', '-o', 'jsonpath={.status}')).stdout) as { unavailableReplicas: number; updatedReplicas: number; conditions: Array<{ type: string; status: string; reason: string }> };
  assert.equal(status.unavailableReplicas, 2);
  assert.equal(status.updatedReplicas, 2);
  assert.deepEqual(status.conditions.map((c) => `${c.type}=${c.status}/${c.reason}`), ['Available=False/MinimumReplicasUnavailable', 'Progressing=True/ReplicaSetUpdated']);
  const settled = sandbox.store.resourceVersion;
  await new Promise((resolve) => setTimeout(resolve, 400));
  assert.equal(sandbox.store.resourceVersion, settled, 'the controller does not spin on a stuck rollout');
  assert.equal((await kubectl('set', 'image', 'deployment/stuck', 'app=nginx:1.27')).code, 0);
  assert.equal((await kubectl('rollout', 'status', 'deployment/stuck', '--timeout=10s')).code, 0);
});
