// The pipeline commands as a pipeline runs them, each a fresh process:
// - `gitops-env sync --prune` of 1,000 objects (all new, then 50 changed) against
//   `KUBECTL_APPLYSET=true kubectl apply --server-side --prune --applyset=secret/… -f <dir> --recursive`
//   on the same objects (in a namespace of its own) of the same sandbox, itself a separate process.
// (`gitops-env preview` has its own module: bench/previewBench.ts.)
//
//   node --import tsx bench/syncBench.ts    on its own (after npm run build)
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { median, type BenchRow } from './benchTable';
import { scaledManifests } from './cliBench';
import { startSandboxProcess } from './driftBench';
import { parse as parseYaml } from 'yaml';
import { applyObject } from '../src/cluster/drift/applyRequest';
import { openSyncConnection } from '../src/cluster/sync/syncConnection';
import { runProcess, type ProcessRun } from '../test/integration/helpers/processRun';
import { commitAll, initRepo, removeTempDirs, tempDir, writeFiles } from '../test/integration/helpers/tempGitRepo';

const CLI = join(__dirname, '..', 'dist', 'cli.js');
const KUBECTL_NAMESPACE = 'bench-kubectl';

export interface SyncBenchResult {
  objects: number;
  changed: number;
  createMs: number[];
  changeMs: number[];
  kubectlCreateMs: number[];
  kubectlChangeMs: number[];
}

function expect(run: ProcessRun, what: string): ProcessRun {
  if (run.code !== 0) throw new Error(`${what} exited ${String(run.code)}: ${run.stderr.slice(0, 2000)}`);
  return run;
}

/** The same manifests with every `namespace: bench` moved to `namespace`. */
function inNamespace(files: Record<string, string>, namespace: string): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([path, text]) => [path, text.replace(/namespace: bench\n/g, `namespace: ${namespace}\n`)]));
}

/** `count` ConfigMaps get a new value: the "50 changed" of a typical merge. */
function changeConfigMaps(files: Record<string, string>, count: number, round: number): Record<string, string> {
  const changed: Record<string, string> = {};
  const configs = Object.keys(files).filter((path) => path.startsWith('config/')).slice(0, count);
  for (const path of configs) changed[path] = files[path].replace(/TIMEOUT: "[^"]*"/, `TIMEOUT: "${31 + round}s"`);
  return changed;
}

/**
 * The sandbox runs under tsx: its first requests of each kind pay for compilation and JIT. Objects
 * of all four kinds, applied twice in a namespace of their own, warm it for both tools alike.
 */
async function warmUp(kubeconfig: string): Promise<void> {
  const connection = openSyncConnection({ kubeconfig, context: 'bench' });
  const objects = Object.values(inNamespace(scaledManifests(200), 'warm-up')).map((text) => parseYaml(text) as Record<string, unknown>);
  await applyObject(connection, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'warm-up' } }, { dryRun: false, defaultNamespace: 'warm-up' });
  for (let round = 0; round < 2; round++) {
    await Promise.all(objects.map((object) => applyObject(connection, object, { dryRun: false, defaultNamespace: 'warm-up', fieldManager: `warm-up-${round}` })));
  }
}

async function measureOneSync(objects: number, changed: number, round: number): Promise<{ create: number; change: number; kubectlCreate: number; kubectlChange: number }> {
  const seed = tempDir('gitops-bench-sync-seed-');
  const kubeconfig = join(tempDir('gitops-bench-sync-kc-'), 'kubeconfig');
  const sandbox = await startSandboxProcess(kubeconfig, seed);
  try {
    const manifests = scaledManifests(objects);
    const repo = initRepo();
    writeFiles(repo, {
      'gitops.yaml': 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: bench\n    path: envs/bench\n    cluster: { context: bench, namespace: bench }\n',
      ...Object.fromEntries(Object.entries(manifests).map(([path, text]) => [`envs/bench/${path}`, text])),
    });
    commitAll(repo, 'bench');
    const kubectlDir = tempDir('gitops-bench-sync-kubectl-');
    const kubectlFiles = inNamespace(manifests, KUBECTL_NAMESPACE);
    writeFiles(kubectlDir, kubectlFiles);
    execFileSync('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, 'create', 'namespace', KUBECTL_NAMESPACE], { stdio: 'ignore' });

    await warmUp(kubeconfig);
    const ours = (): Promise<ProcessRun> => runProcess(process.execPath, [CLI, 'sync', '--repo', repo, '--env', 'bench', '--kubeconfig', kubeconfig, '--prune', '--json']);
    const theirs = (): Promise<ProcessRun> =>
      runProcess('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, 'apply', '--server-side', '--prune', `--applyset=secret/kubectl-bench`, '-n', KUBECTL_NAMESPACE, '-f', kubectlDir, '--recursive'], {
        ...process.env,
        KUBECTL_APPLYSET: 'true',
      });
    const create = expect(await ours(), 'gitops-env sync (create)').ms;
    const kubectlCreate = expect(await theirs(), 'kubectl apply (create)').ms;
    writeFiles(repo, Object.fromEntries(Object.entries(changeConfigMaps(manifests, changed, round)).map(([path, text]) => [`envs/bench/${path}`, text])));
    commitAll(repo, 'change');
    writeFiles(kubectlDir, changeConfigMaps(kubectlFiles, changed, round));
    const changeRun = expect(await ours(), 'gitops-env sync (change)');
    const report = JSON.parse(changeRun.stdout) as { applied: Array<{ action: string }> };
    const configured = report.applied.filter((o) => o.action === 'configured').length;
    if (configured !== changed) throw new Error(`sync configured ${configured} objects, expected ${changed}`);
    const kubectlChange = expect(await theirs(), 'kubectl apply (change)').ms;
    return { create, change: changeRun.ms, kubectlCreate, kubectlChange };
  } finally {
    sandbox.kill('SIGTERM');
  }
}

export async function measureSync(objects = 1000, changed = 50, rounds = 3): Promise<SyncBenchResult> {
  const result: SyncBenchResult = { objects, changed, createMs: [], changeMs: [], kubectlCreateMs: [], kubectlChangeMs: [] };
  try {
    for (let round = 0; round < rounds; round++) {
      const one = await measureOneSync(objects, changed, round);
      result.createMs.push(one.create);
      result.changeMs.push(one.change);
      result.kubectlCreateMs.push(one.kubectlCreate);
      result.kubectlChangeMs.push(one.kubectlChange);
    }
  } finally {
    removeTempDirs();
  }
  return result;
}

export function syncBenchRows(result: SyncBenchResult): BenchRow[] {
  const create = median(result.createMs);
  const change = median(result.changeMs);
  const kubectlCreate = median(result.kubectlCreateMs);
  const kubectlChange = median(result.kubectlChangeMs);
  return [
    {
      figure: `gitops-env sync --prune, ${result.objects.toLocaleString('en-US')} objects, all new (fresh process, ApplySet)`,
      target: '≥ 5× faster than kubectl',
      measured: create,
      unit: 'ms',
      peer: { name: 'kubectl apply --server-side --prune --applyset', measured: kubectlCreate },
      pass: create * 5 <= kubectlCreate,
    },
    {
      figure: `gitops-env sync --prune, same ${result.objects.toLocaleString('en-US')} objects, ${result.changed} changed`,
      target: '≥ 5× faster than kubectl',
      measured: change,
      unit: 'ms',
      peer: { name: 'kubectl apply --server-side --prune --applyset', measured: kubectlChange },
      pass: change * 5 <= kubectlChange,
    },
  ];
}

if (require.main === module) {
  void measureSync(Number(process.argv[2] ?? 1000), Number(process.argv[3] ?? 50), 1).then((result) => {
    console.log(JSON.stringify(result));
    console.table(syncBenchRows(result).map((row) => ({ figure: row.figure, measured: row.measured, peer: row.peer?.measured, pass: row.pass })));
  });
}
