// Demo GitOps repositories for the e2e tests, the demo and the README pictures.
//
// createDemoWorkspace(dir): branch per environment (dev → staging → prod) with a gitops.yaml,
//   plain manifests in deploy/, and a bare remote `origin` in `<dir>-origin.git`.
//     prod    = 4 commits
//     staging = prod + 2   ("2 to promote from staging" on prod)
//     dev     = staging + 3 ("3 to promote from dev" on staging); dev is checked out.
//   Commit dates are fixed, so commit ids are the same on every run.
// createDemoWorkspace(dir, { withGit: false }): the same files (dev's state), no Git.
// createFolderDemo(dir): folder per environment (envs/dev, envs/staging, envs/prod-eu,
//   envs/prod-us as kustomizations over base/), no gitops.yaml.
// seedManifestsForSandbox(repoDir, outDir): what each environment's cluster runs, for
//   `gitops-env sandbox --seed outDir`, with a little live drift.
//
// Real `git`, started with argument arrays (no shell).

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

export const DEMO_ENVIRONMENTS = [
  { name: 'dev', branch: 'dev', namespace: 'demo-dev', protected: false },
  { name: 'staging', branch: 'staging', namespace: 'demo-staging', protected: false },
  { name: 'prod', branch: 'prod', namespace: 'demo-prod', protected: true },
];

/** Subjects of the commits each environment has that the next one does not (what the tree shows). */
export const DEMO_PENDING = {
  staging: ['Bump web to 1.6.0', 'Scale worker to 3', 'Add cache sidecar'], // from dev
  prod: ['Bump web to 1.5.0', 'Add LOG_LEVEL to web-config'], // from staging
};

const AUTHOR = { name: 'Demo User', email: 'demo@example.com' };
const FIRST_COMMIT_DATE = Date.parse('2025-01-06T09:00:00Z');

export const GITOPS_YAML = `apiVersion: gitops-environments/v1
environments:
  - name: dev
    branch: dev
    path: deploy
    cluster: { context: sandbox, namespace: demo-dev }
  - name: staging
    branch: staging
    path: deploy
    cluster: { context: sandbox, namespace: demo-staging }
  - name: prod
    branch: prod
    path: deploy
    protected: true
    cluster: { context: sandbox, namespace: demo-prod }
`;

const README = `# demo-gitops

One branch per environment: \`dev\` → \`staging\` → \`prod\`. Changes land in \`dev\` and are
promoted by pull request. The manifests live in \`deploy/\`; \`gitops.yaml\` declares the order.
`;

/** The manifests in deploy/ for one state of the application. */
function deployFiles(state) {
  const sidecar = state.cacheSidecar
    ? `        - name: cache
          image: docker.io/library/redis:7.2-alpine
          ports:
            - containerPort: 6379
`
    : '';
  const web = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: ghcr.io/example/web:${state.webVersion}
          ports:
            - containerPort: 8080
          envFrom:
            - configMapRef:
                name: web-config
${sidecar}---
apiVersion: v1
kind: Service
metadata:
  name: web
  labels:
    app: web
spec:
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: 8080
`;
  const config = `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  GREETING: "hello from the demo"
${state.logLevel ? '  LOG_LEVEL: info\n' : ''}`;
  const worker = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
  labels:
    app: worker
spec:
  replicas: ${state.workerReplicas}
  selector:
    matchLabels:
      app: worker
  template:
    metadata:
      labels:
        app: worker
    spec:
      containers:
        - name: worker
          image: ghcr.io/example/worker:2.1.0
          args: ["--queue", "jobs"]
`;
  const files = {};
  if (state.web) files['deploy/web.yaml'] = web;
  if (state.config) files['deploy/web-config.yaml'] = config;
  if (state.worker) files['deploy/worker.yaml'] = worker;
  return files;
}

const INITIAL = { web: false, config: false, worker: false, webVersion: '1.4.0', logLevel: false, workerReplicas: 1, cacheSidecar: false };

/** [branch that receives the commits, [subject, state change]...], in history order. */
const HISTORY = [
  [
    'prod',
    [
      ['Initial layout with gitops.yaml', {}],
      ['Add web Deployment and Service', { web: true }],
      ['Add web-config ConfigMap', { config: true }],
      ['Add worker Deployment', { worker: true }],
    ],
  ],
  [
    'staging',
    [
      ['Bump web to 1.5.0', { webVersion: '1.5.0' }],
      ['Add LOG_LEVEL to web-config', { logLevel: true }],
    ],
  ],
  [
    'dev',
    [
      ['Bump web to 1.6.0', { webVersion: '1.6.0' }],
      ['Scale worker to 3', { workerReplicas: 3 }],
      ['Add cache sidecar', { cacheSidecar: true }],
    ],
  ],
];

function finalState() {
  let state = { ...INITIAL };
  for (const [, commits] of HISTORY) for (const [, change] of commits) state = { ...state, ...change };
  return state;
}

function git(cwd, args, env = {}) {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_TERMINAL_PROMPT: '0',
      ...env,
    },
  }).trim();
}

async function writeFiles(root, files) {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, content);
  }
}

async function initRepo(dir, branch) {
  await fs.mkdir(dir, { recursive: true });
  git(dir, ['init', '-q', '-b', branch]);
  git(dir, ['config', 'user.name', AUTHOR.name]);
  git(dir, ['config', 'user.email', AUTHOR.email]);
  git(dir, ['config', 'commit.gpgsign', 'false']);
  git(dir, ['config', 'core.autocrlf', 'false']);
}

function commitAll(dir, subject, index) {
  const date = new Date(FIRST_COMMIT_DATE + index * 3600_000).toISOString();
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '--no-verify', '-m', subject], {
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
    GIT_AUTHOR_NAME: AUTHOR.name,
    GIT_AUTHOR_EMAIL: AUTHOR.email,
    GIT_COMMITTER_NAME: AUTHOR.name,
    GIT_COMMITTER_EMAIL: AUTHOR.email,
  });
}

async function addBareOrigin(repoDir, branches) {
  const originDir = `${repoDir.replace(/\/+$/, '')}-origin.git`;
  await fs.rm(originDir, { recursive: true, force: true });
  await fs.mkdir(originDir, { recursive: true });
  git(originDir, ['init', '-q', '--bare', '-b', branches[0]]);
  git(repoDir, ['remote', 'add', 'origin', originDir]);
  git(repoDir, ['push', '-q', '-u', 'origin', ...branches]);
  git(repoDir, ['fetch', '-q', 'origin']);
  return originDir;
}

/**
 * The branch-per-environment demo repository.
 * @param {string} dir created (must not exist or be empty)
 * @param {{ withGit?: boolean }} [options]
 * @returns {Promise<{ repoDir: string, originDir: string | null }>}
 */
export async function createDemoWorkspace(dir, { withGit = true } = {}) {
  const repoDir = path.resolve(dir);
  await fs.mkdir(repoDir, { recursive: true });
  if (!withGit) {
    await writeFiles(repoDir, { 'gitops.yaml': GITOPS_YAML, 'README.md': README, ...deployFiles(finalState()) });
    return { repoDir, originDir: null };
  }

  await initRepo(repoDir, 'prod');
  let state = { ...INITIAL };
  let index = 0;
  for (const [branch, commits] of HISTORY) {
    if (branch !== 'prod') git(repoDir, ['checkout', '-q', '-b', branch]);
    for (const [subject, change] of commits) {
      state = { ...state, ...change };
      const files = deployFiles(state);
      if (index === 0) Object.assign(files, { 'gitops.yaml': GITOPS_YAML, 'README.md': README });
      await writeFiles(repoDir, files);
      commitAll(repoDir, subject, index++);
    }
  }
  // dev is checked out (the last branch created).
  const originDir = await addBareOrigin(repoDir, ['prod', 'staging', 'dev']);
  return { repoDir, originDir };
}

const FOLDER_ENVS = [
  { name: 'dev', replicas: 1, tag: '1.6.0' },
  { name: 'staging', replicas: 2, tag: '1.5.0' },
  { name: 'prod-eu', replicas: 3, tag: '1.4.0' },
  { name: 'prod-us', replicas: 3, tag: '1.4.0' },
];

/**
 * The folder-per-environment demo repository (no gitops.yaml: environments come from envs/*).
 * @returns {Promise<{ repoDir: string }>}
 */
export async function createFolderDemo(dir) {
  const repoDir = path.resolve(dir);
  await initRepo(repoDir, 'main');
  await writeFiles(repoDir, {
    'README.md': '# demo-folders\n\nOne folder per environment under `envs/`, each a kustomization over `base/`.\n',
    'base/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n  - service.yaml\n',
    'base/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels:
    app: api
spec:
  replicas: 1
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
        - name: api
          image: ghcr.io/example/api:1.4.0
          ports:
            - containerPort: 8080
`,
    'base/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector:
    app: api
  ports:
    - port: 80
      targetPort: 8080
`,
  });
  commitAll(repoDir, 'Add api base', 0);
  let index = 1;
  for (const env of FOLDER_ENVS) {
    await writeFiles(repoDir, {
      [`envs/${env.name}/kustomization.yaml`]: `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: demo-${env.name}
resources:
  - ../../base
images:
  - name: ghcr.io/example/api
    newTag: "${env.tag}"
replicas:
  - name: api
    count: ${env.replicas}
`,
    });
    commitAll(repoDir, `Add ${env.name} environment`, index++);
  }
  return { repoDir };
}

/** Live drift the seeded sandbox has on purpose (what the extension should report). */
export const DEMO_DRIFT = [
  { environment: 'dev', kind: 'Deployment', name: 'web', field: 'spec.replicas', git: 2, live: 3 },
  { environment: 'prod', kind: 'Deployment', name: 'web', field: 'spec.replicas', git: 2, live: 5 },
  { environment: 'staging', kind: 'ConfigMap', name: 'web-config', field: 'data.LOG_LEVEL', git: 'info', live: 'debug' },
];

/**
 * Writes what each environment's cluster runs, for `gitops-env sandbox --seed outDir`:
 * `outDir/<environment>/namespace.yaml` (the Namespace) and one multi-document YAML file per
 * manifest of the environment's branch (read with `git show <branch>:deploy/<file>`), every
 * object with `metadata.namespace: demo-<environment>`; plus the drift in DEMO_DRIFT.
 * @returns {Promise<string[]>} files written
 */
export async function seedManifestsForSandbox(repoDir, outDir) {
  const YAML = await import('yaml');
  const written = [];
  for (const env of DEMO_ENVIRONMENTS) {
    const envDir = path.join(outDir, env.name);
    await fs.mkdir(envDir, { recursive: true });
    const nsFile = path.join(envDir, 'namespace.yaml');
    await fs.writeFile(nsFile, YAML.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: env.namespace } }));
    written.push(nsFile);
    const files = git(repoDir, ['ls-tree', '-r', '--name-only', env.branch, '--', 'deploy/'])
      .split('\n')
      .filter((f) => /\.ya?ml$/.test(f));
    for (const file of files) {
      const text = git(repoDir, ['show', `${env.branch}:${file}`]);
      const docs = YAML.parseAllDocuments(text)
        .map((d) => d.toJS())
        .filter((o) => o && typeof o === 'object');
      for (const obj of docs) {
        obj.metadata = { ...(obj.metadata ?? {}), namespace: env.namespace };
        for (const drift of DEMO_DRIFT) {
          if (drift.environment === env.name && drift.kind === obj.kind && drift.name === obj.metadata.name) {
            setPath(obj, drift.field, drift.live);
          }
        }
      }
      const out = path.join(envDir, path.basename(file));
      await fs.writeFile(out, docs.map((o) => YAML.stringify(o)).join('---\n'));
      written.push(out);
    }
  }
  const application = await writeArgoApplication(repoDir, outDir, YAML);
  if (application) written.push(application);
  return written;
}

/**
 * An Argo CD Application that deploys prod, written for the seed: the sandbox's operator emulation
 * (`gitops-env sandbox --operators`) reports it Synced/Healthy at prod's previous commit, so the
 * tree shows "1 commit not yet deployed".
 */
async function writeArgoApplication(repoDir, outDir, YAML) {
  let repoURL;
  try {
    repoURL = git(repoDir, ['remote', 'get-url', 'origin']).trim();
  } catch {
    return null;
  }
  const deployed = git(repoDir, ['rev-parse', 'prod~1']).trim();
  const dir = path.join(outDir, 'argocd');
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, 'application.yaml');
  const docs = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'argocd' } },
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'web-prod', namespace: 'argocd', annotations: { [DEPLOYED_REVISION_ANNOTATION]: deployed } },
      spec: {
        project: 'default',
        source: { repoURL, targetRevision: 'prod', path: 'deploy' },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'demo-prod' },
      },
    },
  ];
  await fs.writeFile(file, docs.map((o) => YAML.stringify(o)).join('---\n'));
  return file;
}

/** The sandbox annotation the operator emulation reads the deployed revision from. */
export const DEPLOYED_REVISION_ANNOTATION = 'sandbox.gitops-environments.dev/deployed-revision';

function setPath(obj, dotted, value) {
  const keys = dotted.split('.');
  let cur = obj;
  for (const key of keys.slice(0, -1)) {
    if (typeof cur[key] !== 'object' || cur[key] === null) cur[key] = {};
    cur = cur[key];
  }
  cur[keys[keys.length - 1]] = value;
}

// `node scripts/demoWorkspace.mjs <dir> [--no-git|--folders] [--seed <outDir>]`
if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const dir = args.find((a) => !a.startsWith('--'));
  if (!dir) {
    console.error('usage: node scripts/demoWorkspace.mjs <dir> [--no-git | --folders] [--seed <outDir>]');
    process.exit(2);
  }
  const seedAt = args.indexOf('--seed');
  const main = async () => {
    if (args.includes('--folders')) console.log(JSON.stringify(await createFolderDemo(dir)));
    else {
      const result = await createDemoWorkspace(dir, { withGit: !args.includes('--no-git') });
      console.log(JSON.stringify(result));
      if (seedAt >= 0) console.log((await seedManifestsForSandbox(result.repoDir, args[seedAt + 1])).join('\n'));
    }
  };
  main().catch((err) => {
    console.error(err.stack ?? err.message);
    process.exit(1);
  });
}
