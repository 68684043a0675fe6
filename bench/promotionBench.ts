// Promotion plans on a repository of 10 environments × 300 manifests (folder per environment):
// all nine plans (dev → … → env9), through Git, against the target of ≤ 1 s; the pure core part
// alone; and, as the peer, the git CLI printing the same nine folder diffs (`git diff A B`).
import { spawnSync } from 'node:child_process';
import { buildPromotionPlan } from '../src/core/promotion/buildPlan';
import { planFolderChanges } from '../src/core/promotion/fileChanges';
import { GitRepository } from '../src/git/gitRepository';
import { planPromotion } from '../src/git/promotion/planPromotion';
import { loadPromotionContext } from '../src/git/promotion/promotionContext';
import { listFolder, readBlobTexts } from '../src/git/promotion/promotionGit';
import { commitAll, initRepo, writeFiles } from '../test/integration/helpers/tempGitRepo';

export interface PromotionBenchResult {
  environments: number;
  filesPerEnvironment: number;
  /** Files that differ between neighbouring environments. */
  changedPerHop: number;
  /** All nine plans through Git (tree listings, blob reads, diffs, PR bodies), per run. */
  planMs: number[];
  /** The core alone (buildPromotionPlan on gathered inputs) for the nine plans, per run. */
  coreMs: number[];
  /** Peer: `git diff <ref>:envs/a <ref>:envs/b` for the nine hops, per run. */
  peerMs: number[];
}

const ENVIRONMENTS = 10;
const FILES = 300;
/** Every tenth manifest carries an environment-specific image tag. */
const CHANGED_EVERY = 10;

function manifest(env: number, file: number): string {
  const tag = file % CHANGED_EVERY === 0 ? `1.${env}.0` : '1.0.0';
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc-${file}
  labels: {app: svc-${file}}
spec:
  replicas: 2
  selector: {matchLabels: {app: svc-${file}}}
  template:
    metadata: {labels: {app: svc-${file}}}
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/svc-${file}:${tag}
          ports: [{containerPort: 8080}]
          resources: {limits: {cpu: 500m, memory: 256Mi}}
`;
}

function buildRepo(): string {
  const root = initRepo();
  const names = Array.from({ length: ENVIRONMENTS }, (_, i) => `env${i}`);
  const files: Record<string, string> = {
    'gitops.yaml': `apiVersion: gitops-environments/v1\nenvironments:\n${names.map((n) => `  - name: ${n}\n    path: envs/${n}\n`).join('')}promotion:\n  exclude: [replicas.yaml]\n`,
  };
  names.forEach((name, env) => {
    for (let file = 0; file < FILES - 1; file++) files[`envs/${name}/svc-${file}.yaml`] = manifest(env, file);
    files[`envs/${name}/replicas.yaml`] = `replicas: ${env + 1}\n`;
  });
  writeFiles(root, files);
  commitAll(root, 'ten environments');
  return root;
}

export async function measurePromotionPlan(runs = 7): Promise<PromotionBenchResult> {
  const root = buildRepo();
  const names = Array.from({ length: ENVIRONMENTS }, (_, i) => `env${i}`);
  const planMs: number[] = [];
  const coreMs: number[] = [];
  const peerMs: number[] = [];
  let changedPerHop = 0;
  for (let run = 0; run < runs; run++) {
    const repo = await GitRepository.open(root);
    try {
      const context = await loadPromotionContext(repo);
      let started = performance.now();
      for (let i = 0; i + 1 < names.length; i++) {
        const plan = await planPromotion(repo, { environments: context.environments, from: names[i], to: names[i + 1], promotion: context.promotion });
        changedPerHop = plan.files.length;
        if (plan.files.length === 0) throw new Error(`expected changes between ${names[i]} and ${names[i + 1]}`);
      }
      planMs.push(performance.now() - started);

      // The core alone, on inputs gathered beforehand.
      const head = (await repo.resolve('HEAD')) as string;
      const listings = await Promise.all(names.map((n) => listFolder(repo, head, `envs/${n}`)));
      const blobs = await readBlobTexts(repo, listings.flat().map((f) => f.blob));
      started = performance.now();
      for (let i = 0; i + 1 < names.length; i++) {
        const files = planFolderChanges({ sourceFiles: listings[i], targetFiles: listings[i + 1], sourceFolder: `envs/${names[i]}`, targetFolder: `envs/${names[i + 1]}`, exclude: ['replicas.yaml'], selectDeletions: false });
        const side = (env: string) => ({ environment: env, ref: 'HEAD', commit: head, shortCommit: head.slice(0, 7), branch: 'main', folder: `envs/${env}`, tree: null, remote: null });
        buildPromotionPlan({ kind: 'promotion', layout: 'folder', source: side(names[i]), target: side(names[i + 1]), commits: [], commitTotal: 0, files, blobs, host: { kind: 'unknown', webUrl: null } });
      }
      coreMs.push(performance.now() - started);

      started = performance.now();
      for (let i = 0; i + 1 < names.length; i++) {
        const result = spawnSync('git', ['diff', `HEAD:envs/${names[i + 1]}`, `HEAD:envs/${names[i]}`], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
        if (result.status !== 0) throw new Error(result.stderr);
      }
      peerMs.push(performance.now() - started);
    } finally {
      repo.dispose();
    }
  }
  return { environments: ENVIRONMENTS, filesPerEnvironment: FILES, changedPerHop, planMs, coreMs, peerMs };
}
