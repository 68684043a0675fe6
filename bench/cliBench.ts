// The command line as a pipeline runs it: `gitops-env drift -f <dir>` as a fresh process per run,
// against `kubectl diff --server-side --force-conflicts -f <dir> --recursive` (also a fresh process)
// on the same objects of the same sandbox, in the same script. Both must find the same drifted
// objects. Peak memory (VmHWM) is read from /proc while each process runs. The CLI compiles its
// command bundle from V8's code cache (src/cli/bundleCache.ts): the counted runs find it filled
// by an uncounted first run, as on a developer's machine or a CI runner that keeps ~/.cache; a
// separate row times runs without it (a fresh CI container). Also: `gitops-env envs` on the demo
// repository, and `gitops-env --help` (what starting the CLI costs).
//
//   node --import tsx bench/cliBench.ts [objects] [drifted]    one scale on its own (profiling)
import { join } from 'node:path';
import { ClusterManager } from '../src/cluster/clusterManager';
import type { KubeClient } from '../src/cluster/kubeClient';
import { median, type BenchRow } from './benchTable';
import { startSandboxProcess } from './driftBench';
import { runProcess, type ProcessRun } from '../test/integration/helpers/processRun';
import { removeTempDirs, tempDir, writeFiles } from '../test/integration/helpers/tempGitRepo';

const NAMESPACE = 'bench';
const CLI = join(__dirname, '..', 'dist', 'cli.js');

/** `objects` manifests in four kinds (Deployments, Services, ConfigMaps, Secrets), one file each. */
export function scaledManifests(objects: number): Record<string, string> {
  const files: Record<string, string> = {};
  const perKind = Math.ceil(objects / 4);
  for (let i = 0; i < perKind; i++) {
    const labels = `  labels:\n    app: app-${i}\n    app.kubernetes.io/part-of: bench\n`;
    files[`deploy/app-${i}.yaml`] = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\n  namespace: ${NAMESPACE}\n${labels}spec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: app-${i}\n  template:\n    metadata:\n      labels:\n        app: app-${i}\n    spec:\n      containers:\n        - name: web\n          image: registry.example.com/app-${i}:1.4.${i % 7}\n          ports:\n            - containerPort: 8080\n              name: http\n          env:\n            - name: LOG_LEVEL\n              value: info\n          resources:\n            requests:\n              cpu: 100m\n              memory: 128Mi\n            limits:\n              cpu: "1"\n              memory: 512Mi\n`;
    files[`svc/app-${i}.yaml`] = `apiVersion: v1\nkind: Service\nmetadata:\n  name: app-${i}\n  namespace: ${NAMESPACE}\n${labels}spec:\n  selector:\n    app: app-${i}\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n`;
    files[`config/app-${i}.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-${i}\n  namespace: ${NAMESPACE}\n${labels}data:\n  LOG_LEVEL: info\n  FEATURE_X: "on"\n  TIMEOUT: "30s"\n  REGION: eu-west-1\n  POOL: "${i % 16}"\n`;
    files[`secret/app-${i}.yaml`] = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-${i}\n  namespace: ${NAMESPACE}\n${labels}type: Opaque\nstringData:\n  username: app-${i}\n  password: bench-password-${i}\n`;
  }
  return files;
}

/** `drifted` live changes spread over the four kinds, made by another field manager (like `kubectl edit`). */
export async function makeDrift(client: KubeClient, objects: number, drifted: number): Promise<string[]> {
  const perKind = Math.ceil(objects / 4);
  const step = Math.max(1, Math.floor(perKind / Math.ceil(drifted / 4)));
  const kinds = [
    { group: 'apps', plural: 'deployments', kind: 'Deployment', patch: { spec: { replicas: 5 } } },
    { group: '', plural: 'services', kind: 'Service', patch: { spec: { selector: { app: 'elsewhere' } } } },
    { group: '', plural: 'configmaps', kind: 'ConfigMap', patch: { data: { LOG_LEVEL: 'debug' } } },
    { group: '', plural: 'secrets', kind: 'Secret', patch: { data: { password: Buffer.from('rotated-by-hand').toString('base64') } } },
  ];
  const keys: string[] = [];
  for (let n = 0; n < drifted; n++) {
    const k = kinds[n % 4];
    const name = `app-${Math.floor(n / 4) * step + (n % 4)}`;
    const base = k.group ? `/apis/${k.group}/v1` : '/api/v1';
    await client.request('PATCH', `${base}/namespaces/${NAMESPACE}/${k.plural}/${name}`, { body: k.patch, contentType: 'application/merge-patch+json', query: { fieldManager: 'someone-else' } });
    keys.push(`${k.group}/${k.kind}/${NAMESPACE}/${name}`);
  }
  return keys.sort();
}

function ourDriftedKeys(json: string): string[] {
  const report = JSON.parse(json) as { resources: Array<{ apiVersion: string; kind: string; namespace: string | null; name: string; status: string }> };
  return report.resources
    .filter((r) => r.status !== 'InSync')
    .map((r) => `${r.apiVersion.includes('/') ? r.apiVersion.split('/')[0] : ''}/${r.kind}/${r.namespace ?? ''}/${r.name}`)
    .sort();
}

function kubectlDriftedKeys(output: string): string[] {
  const keys = new Set<string>();
  for (const match of output.matchAll(/^diff -u -N \S*\/LIVE-[^/\s]+\/(\S+) /gm)) {
    const parts = match[1].split('.');
    const [name, namespace, kind] = [parts.pop(), parts.pop(), parts.pop()];
    parts.pop();
    keys.add(`${parts.join('.')}/${kind}/${namespace}/${name}`);
  }
  return [...keys].sort();
}

export function sameKeys(who: string, found: readonly string[], expected: readonly string[]): void {
  if (JSON.stringify(found) !== JSON.stringify(expected)) {
    throw new Error(`${who} found ${found.length} drifted, expected ${expected.length}: only found ${found.filter((k) => !expected.includes(k)).slice(0, 5).join(', ')}; missing ${expected.filter((k) => !found.includes(k)).slice(0, 5).join(', ')}`);
  }
}

export interface CliScaleResult {
  objects: number;
  drifted: number;
  oursMs: number[];
  oursPeakMb: number[];
  /** Without the V8 code cache (GITOPS_ENV_CODE_CACHE=off): the first run on a machine. */
  oursNoCacheMs: number[];
  /** `--dry-run-all`: every object dry-run, as kubectl diff does. */
  oursAllMs: number[];
  /** Of the server-mode runs: how many objects were dry-run (a local comparison picks them). */
  kubectlMs: number[];
  kubectlPeakMb: number[];
}

/** One scale: sandbox seeded with `objects`, `drifted` changed live, then `runs` fresh processes of each. */
export async function measureCliDrift(objects: number, drifted: number, runs: number, kubectlRuns: number): Promise<CliScaleResult> {
  const root = tempDir('gitops-cli-bench-');
  const dir = join(root, 'manifests');
  const kubeconfig = join(root, 'kubeconfig');
  writeFiles(dir, scaledManifests(objects));
  const sandbox = await startSandboxProcess(kubeconfig, dir);
  const control = new ClusterManager({ path: kubeconfig });
  try {
    const expected = await makeDrift(control.client('bench'), objects, drifted);
    const result: CliScaleResult = { objects, drifted, oursMs: [], oursPeakMb: [], oursNoCacheMs: [], oursAllMs: [], kubectlMs: [], kubectlPeakMb: [] };
    const cacheDir = join(root, 'code-cache');
    const ours = (extra: string[], codeCache = cacheDir): Promise<ProcessRun> =>
      runProcess(process.execPath, [CLI, 'drift', '-f', dir, '--kubeconfig', kubeconfig, '--context', 'bench', '--json', ...extra], { ...process.env, GITOPS_ENV_CODE_CACHE: codeCache });
    // Uncounted: fills the code cache the counted runs use.
    const filling = await ours([]);
    if (filling.code !== 1) throw new Error(`gitops-env drift exited ${String(filling.code)}: ${filling.stderr.slice(0, 2000)}`);
    for (let i = 0; i < runs; i++) {
      const run = await ours([]);
      if (run.code !== 1) throw new Error(`gitops-env drift exited ${String(run.code)}: ${run.stderr.slice(0, 2000)}`);
      sameKeys('gitops-env drift', ourDriftedKeys(run.stdout), expected);
      result.oursMs.push(run.ms);
      result.oursPeakMb.push(run.peakMb);
      const all = await ours(['--dry-run-all']);
      sameKeys('gitops-env drift --dry-run-all', ourDriftedKeys(all.stdout), expected);
      result.oursAllMs.push(all.ms);
      const cold = await ours([], 'off');
      sameKeys('gitops-env drift (no code cache)', ourDriftedKeys(cold.stdout), expected);
      result.oursNoCacheMs.push(cold.ms);
    }
    for (let i = 0; i < kubectlRuns; i++) {
      const run = await runProcess('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, 'diff', '--server-side', '--force-conflicts', '-f', dir, '--recursive']);
      if (run.code !== 1) throw new Error(`kubectl diff exited ${String(run.code)}: ${run.stderr.slice(0, 2000)}`);
      sameKeys('kubectl diff', kubectlDriftedKeys(run.stdout), expected);
      result.kubectlMs.push(run.ms);
      result.kubectlPeakMb.push(run.peakMb);
    }
    return result;
  } finally {
    control.dispose();
    if (sandbox.exitCode === null) {
      const exited = new Promise<void>((resolve) => sandbox.once('exit', () => resolve()));
      sandbox.kill('SIGTERM');
      await exited;
    }
  }
}

/** `gitops-env envs` on a demo-sized repository and `gitops-env --help`, fresh processes. */
export async function measureCliStart(repo: string, runs: number): Promise<{ envsMs: number[]; helpMs: number[] }> {
  const envsMs: number[] = [];
  const helpMs: number[] = [];
  // As for drift: an uncounted run fills the code cache the counted runs use.
  const env = { ...process.env, GITOPS_ENV_CODE_CACHE: join(tempDir('gitops-cli-start-'), 'code-cache') };
  await runProcess(process.execPath, [CLI, 'envs', '--repo', repo, '--json'], env);
  for (let i = 0; i < runs; i++) {
    const envs = await runProcess(process.execPath, [CLI, 'envs', '--repo', repo, '--json'], env);
    if (envs.code !== 0) throw new Error(`gitops-env envs exited ${String(envs.code)}: ${envs.stderr}`);
    envsMs.push(envs.ms);
    helpMs.push((await runProcess(process.execPath, [CLI, '--help'], env)).ms);
  }
  return { envsMs, helpMs };
}

export function cliBenchRows(scales: readonly { result: CliScaleResult; targetRatio: number; rssTargetMb?: number }[], start: { envsMs: number[]; helpMs: number[] }): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const { result: r, targetRatio, rssTargetMb } of scales) {
    const kubectl = median(r.kubectlMs);
    const ours = median(r.oursMs);
    const set = `${r.objects.toLocaleString('en')} objects, ${r.drifted} drifted`;
    const peer = { name: 'kubectl diff --server-side, fresh process', measured: kubectl };
    rows.push({
      figure: `CLI: gitops-env drift -f, fresh process (${set}; server mode dry-runs what a local comparison finds different; V8 code cache filled by an earlier run)`,
      target: `≥ ${targetRatio}× faster than peer`,
      measured: ours,
      unit: 'ms',
      peer,
      pass: ours * targetRatio <= kubectl,
    });
    const noCache = median(r.oursNoCacheMs);
    rows.push({ figure: `CLI: gitops-env drift -f, fresh process without the code cache (${set}; the first run on a machine)`, target: '—', measured: noCache, unit: 'ms', peer, pass: true });
    const all = median(r.oursAllMs);
    rows.push({ figure: `CLI: gitops-env drift -f --dry-run-all, fresh process (${set}; every object dry-run, as kubectl does)`, target: '—', measured: all, unit: 'ms', peer, pass: true });
    const peak = Math.max(...r.oursPeakMb);
    rows.push({
      figure: `CLI: peak memory (VmHWM) of gitops-env drift -f (${set})`,
      target: rssTargetMb ? `≤ ${rssTargetMb} MB` : '—',
      measured: peak,
      unit: 'MB',
      peer: { name: 'kubectl diff', measured: Math.max(...r.kubectlPeakMb) },
      pass: rssTargetMb ? peak <= rssTargetMb : true,
    });
  }
  const envs = median(start.envsMs);
  rows.push({ figure: 'CLI: gitops-env envs on the demo repository, fresh process (code cache filled by an earlier run)', target: '≤ 150 ms', measured: envs, unit: 'ms', pass: envs <= 150 });
  rows.push({ figure: 'CLI: gitops-env --help, fresh process (start-up alone)', target: '—', measured: median(start.helpMs), unit: 'ms', pass: true });
  return rows;
}

if (require.main === module) {
  const objects = Number(process.argv[2] ?? 1000);
  const drifted = Number(process.argv[3] ?? 50);
  measureCliDrift(objects, drifted, 3, 2)
    .then((r) => {
      console.log(JSON.stringify({ ours: median(r.oursMs), noCache: median(r.oursNoCacheMs), all: median(r.oursAllMs), kubectl: median(r.kubectlMs), oursPeakMb: Math.max(...r.oursPeakMb), kubectlPeakMb: Math.max(...r.kubectlPeakMb), ratio: median(r.kubectlMs) / median(r.oursMs) }));
    })
    .finally(removeTempDirs);
}
