// Generates a large GitOps repository in seconds with `git fast-import` (committing 10,000 times
// through porcelain would take minutes): one environment branch per environment, each holding a
// folder of manifests, with the later environments lagging behind the earlier ones.
// Used by the git performance test and by the benchmarks.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { git, testGitEnv } from './tempGitRepo';

export interface BigRepoOptions {
  /** Total commits in the repository. Default 10,000. */
  commits?: number;
  /** Environments in promotion order; each gets branch `env/<name>`. Default dev, staging, prod. */
  environments?: readonly string[];
  /** Manifests in `manifests/` on every branch. Default 300. */
  manifests?: number;
  /** How many main-line commits each environment is behind the previous one. Default 100. */
  lag?: number;
  /** Commits made on each environment branch only (environment-specific tweaks). Default 5. */
  ownCommits?: number;
  /** Check out the first environment's branch into the working tree. Default true. */
  checkout?: boolean;
}

export interface BigRepo {
  root: string;
  /** Branch names in promotion order (`env/dev`, `env/staging`, `env/prod`). */
  branches: string[];
  /** Folder holding the manifests on every branch. */
  manifestFolder: string;
  commits: number;
  manifests: number;
  /** Main-line commits between consecutive environments. */
  lag: number;
}

function manifest(index: number, tag: number, replicas = 1): string {
  const name = `app-${String(index).padStart(4, '0')}`;
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    '  namespace: shop',
    'spec:',
    `  replicas: ${replicas}`,
    '  selector:',
    '    matchLabels:',
    `      app: ${name}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: ${name}`,
    '    spec:',
    '      containers:',
    `        - name: ${name}`,
    `          image: registry.example.com/${name}:1.0.${tag}`,
    '',
  ].join('\n');
}

/** Streams a fast-import script into git, honouring backpressure. */
async function fastImport(root: string, write: (emit: (text: string) => Promise<void>) => Promise<void>): Promise<void> {
  const child = spawn('git', ['fast-import', '--quiet', '--done'], { cwd: root, env: testGitEnv(), stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const emit = (text: string): Promise<void> =>
    child.stdin.write(text) ? Promise.resolve() : new Promise((resolve) => child.stdin.once('drain', () => resolve()));
  await write(emit);
  await emit('done\n');
  child.stdin.end();
  const code = await exited;
  if (code !== 0) throw new Error(`git fast-import failed (${code}): ${stderr}`);
}

function data(text: string): string {
  return `data ${Buffer.byteLength(text)}\n${text}\n`;
}

/** Creates the repository in `root` (an empty or missing folder) and returns what it holds. */
export async function createBigRepo(root: string, options: BigRepoOptions = {}): Promise<BigRepo> {
  const environments = options.environments ?? ['dev', 'staging', 'prod'];
  const manifests = options.manifests ?? 300;
  const lag = options.lag ?? 100;
  const ownCommits = options.ownCommits ?? 5;
  const total = options.commits ?? 10_000;
  const mainLine = total - ownCommits * environments.length;
  if (mainLine < lag * environments.length + 1) throw new Error('not enough commits for that many environments and that lag');
  mkdirSync(root, { recursive: true });
  git(root, 'init', '--quiet', '--initial-branch=main');
  const branches = environments.map((name) => `env/${name}`);
  let time = 1_600_000_000;
  let mark = 0;
  const signature = (): string => {
    time += 60;
    return `author Generator <gen@example.com> ${time} +0000\ncommitter Generator <gen@example.com> ${time} +0000\n`;
  };

  await fastImport(root, async (emit) => {
    // Environment i's branch starts at main-line commit (mainLine - i * lag).
    const forkAt = new Map(environments.map((_, i) => [mainLine - i * lag, i]));
    const forkMarks: number[] = [];
    for (let n = 1; n <= mainLine; n++) {
      mark++;
      const parts = [`commit refs/heads/main\nmark :${mark}\n`, signature()];
      if (n === 1) {
        parts.push(data('Initial manifests'));
        for (let m = 0; m < manifests; m++) parts.push(`M 100644 inline manifests/app-${String(m).padStart(4, '0')}.yaml\n`, data(manifest(m, 0)));
        parts.push('M 100644 inline README.md\n', data('# Big repository\n'));
      } else if (n % 4 === 0) {
        // Every fourth commit touches documentation only: the path limit must skip it.
        parts.push(data(`docs: note ${n} | with a pipe\tand a tab`), 'from :' + (mark - 1) + '\n');
        parts.push(`M 100644 inline docs/note-${n % 50}.md\n`, data(`note ${n}\n`));
      } else {
        const m = n % manifests;
        parts.push(data(`Bump app-${m} to 1.0.${n}`), 'from :' + (mark - 1) + '\n');
        parts.push(`M 100644 inline manifests/app-${String(m).padStart(4, '0')}.yaml\n`, data(manifest(m, n)));
      }
      await emit(parts.join('') + '\n');
      if (forkAt.has(n)) forkMarks[forkAt.get(n) as number] = mark;
    }
    for (const [i, branch] of branches.entries()) {
      await emit(`reset refs/heads/${branch}\nfrom :${forkMarks[i]}\n\n`);
      for (let k = 0; k < ownCommits; k++) {
        mark++;
        const m = (k * 7 + i) % manifests;
        await emit(
          `commit refs/heads/${branch}\nmark :${mark}\n${signature()}${data(`${environments[i]}: scale app-${m}`)}` +
            `M 100644 inline manifests/app-${String(m).padStart(4, '0')}.yaml\n${data(manifest(m, 0, 2 + i))}\n`,
        );
      }
    }
  });
  if (options.checkout ?? true) {
    git(root, 'symbolic-ref', 'HEAD', `refs/heads/${branches[0]}`);
    git(root, 'reset', '--hard', '--quiet');
  }
  return { root, branches, manifestFolder: 'manifests', commits: total, manifests, lag };
}
