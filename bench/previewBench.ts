// `gitops-env preview` as a pipeline runs it (a fresh process): a change to a kustomize base shared
// by 3 environments × 300 objects — every ConfigMap and image of the base edited — so every
// environment renders at base and at head. No cluster (an absent kubeconfig): the render and diff
// are what is measured; the live dry-run is the sync bench's business.
//
//   node --import tsx bench/previewBench.ts    on its own (after npm run build)
import { join } from 'node:path';
import { median, type BenchRow } from './benchTable';
import { scaledManifests } from './cliBench';
import { runProcess } from '../test/integration/helpers/processRun';
import { commitAll, git, initRepo, removeTempDirs, tempDir, writeFiles } from '../test/integration/helpers/tempGitRepo';

const CLI = join(__dirname, '..', 'dist', 'cli.js');

export interface PreviewBenchResult {
  environments: number;
  objects: number;
  previewMs: number[];
}

/** A repository with a base of `objects` objects under `environments` kustomize overlays, and the change. */
function previewRepo(environments: number, objects: number): { repo: string; baseSha: string; headSha: string } {
  const repo = initRepo();
  const base = Object.fromEntries(Object.entries(scaledManifests(objects)).map(([path, text]) => [`base/${path}`, text.replace(/ {2}namespace: bench\n/g, '')]));
  const names = Array.from({ length: environments }, (_, i) => `env${i}`);
  writeFiles(repo, {
    'gitops.yaml': `apiVersion: gitops-environments/v1\nenvironments:\n${names.map((n) => `  - name: ${n}\n    path: envs/${n}\n`).join('')}`,
    'base/kustomization.yaml': `resources:\n${Object.keys(base).map((path) => `  - ${path.slice('base/'.length)}`).join('\n')}\n`,
    ...base,
    ...Object.fromEntries(names.map((n) => [`envs/${n}/kustomization.yaml`, `namespace: ${n}\nresources:\n  - ../../base\n`])),
  });
  const baseSha = commitAll(repo, 'base');
  git(repo, 'switch', '--quiet', '-c', 'change');
  writeFiles(repo, Object.fromEntries(Object.entries(base).map(([path, text]) => [path, text.replace(/LOG_LEVEL: info/, 'LOG_LEVEL: debug').replace(/:1\.4\.(\d)/, ':1.5.$1')])));
  const headSha = commitAll(repo, 'change');
  return { repo, baseSha, headSha };
}

async function measureOnePreview(environments: number, objects: number): Promise<number> {
  const { repo, baseSha, headSha } = previewRepo(environments, objects);
  const absent = join(tempDir('gitops-bench-preview-'), 'no-kubeconfig');
  const run = await runProcess(process.execPath, [CLI, 'preview', '--repo', repo, '--base', baseSha, '--head', headSha, '--format', 'json', '--kubeconfig', absent]);
  if (run.code !== 0) throw new Error(`gitops-env preview exited ${String(run.code)}: ${run.stderr.slice(0, 2000)}`);
  const report = JSON.parse(run.stdout) as { environments: Array<{ objects: unknown[] }> };
  if (report.environments.length !== environments) throw new Error(`preview listed ${report.environments.length} environments`);
  // Every environment must show the change (all ConfigMaps and Deployments modified), or the run measured nothing.
  if (report.environments.some((env) => env.objects.length === 0)) throw new Error('preview found no object change in an environment');
  return run.ms;
}

export async function measurePreview(environments = 3, objects = 300, rounds = 3): Promise<PreviewBenchResult> {
  const result: PreviewBenchResult = { environments, objects, previewMs: [] };
  try {
    for (let round = 0; round < rounds; round++) result.previewMs.push(await measureOnePreview(environments, objects));
  } finally {
    removeTempDirs();
  }
  return result;
}

export function previewBenchRows(result: PreviewBenchResult): BenchRow[] {
  const preview = median(result.previewMs);
  return [
    {
      figure: `gitops-env preview of a change touching ${result.environments} environments × ${result.objects} objects (kustomize, fresh process)`,
      target: '≤ 2 s',
      measured: preview,
      unit: 'ms',
      pass: preview <= 2000,
    },
  ];
}

if (require.main === module) {
  void measurePreview(Number(process.argv[2] ?? 3), Number(process.argv[3] ?? 300), Number(process.argv[4] ?? 3)).then((result) => {
    console.log(JSON.stringify(result));
    console.table(previewBenchRows(result).map((row) => ({ figure: row.figure, measured: row.measured, pass: row.pass })));
  });
}
