// The README's "In a pipeline" jobs (docs/pipeline.md), run as written: the fenced YAML is parsed,
// each job's `run:` / `script:` lines go through bash exactly as the CI runner would run them
// (GitHub: `bash --noprofile --norc -eo pipefail`; GitLab: the job's lines in one `bash -e`), with
// the runner's variables and `${{ … }}` expressions filled in. What a runner provides around them
// is emulated: `actions/checkout` is a clone of the bare remote, `npm install -g
// gitops-environments` is replaced by a `gitops-env` on the PATH that runs this checkout's CLI,
// and the GitHub CLI (`gh`, not installed here) by a double that records the comment it would post.
// The GitLab note goes through the real `curl` to a test server; set-image's pull request to the
// GitHub test server (OpenAPI-checked). So the page and the tool cannot drift apart.
//
// The story: the environments are synced on push (then synced again: nothing changes); the
// application's build runs set-image, which opens a pull request against dev; the preview jobs
// comment on it (dev only); it is merged and the sync jobs roll it out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandboxServer';
import { GitHubTestServer } from './helpers/hostServers/githubServer';
import { hostedRepo, type PromotionRepo } from './helpers/hostServers/promotionRepos';
import { git, removeTempDirs, tempDir, testGitEnv } from './helpers/tempGitRepo';

const CHECKOUT = resolve(__dirname, '..', '..');
const DOC = join(CHECKOUT, 'docs', 'pipeline.md');
const INSTALL_LINE = 'npm install -g gitops-environments';
const ENV_REPO_URL = 'https://github.com/acme/gitops.git';
const GITHUB_TOKEN = 'ghp_pipelinetoken0123456789abcdefghijkl';
const GITLAB_TOKEN = 'glpat-pipeline-token-0123456789';

type Obj = Record<string, unknown>;

interface StepResult {
  script: string;
  code: number;
  ms: number;
  stdout: string;
  stderr: string;
}

// ---- the document ------------------------------------------------------------------------------

/** Every ```yaml block of docs/pipeline.md, parsed. */
function pipelineBlocks(): Obj[] {
  const text = readFileSync(DOC, 'utf8');
  return [...text.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => parse(m[1]) as Obj);
}

function block(predicate: (doc: Obj) => boolean, what: string): Obj {
  const found = pipelineBlocks().filter(predicate);
  assert.equal(found.length, 1, `docs/pipeline.md has one ${what}`);
  return found[0];
}

const githubEnvWorkflow = (): Obj => block((d) => d.name === 'gitops' && typeof d.jobs === 'object', 'GitHub workflow for the environment repository');
const githubAppWorkflow = (): Obj => block((d) => d.name === 'build' && typeof d.jobs === 'object', 'GitHub workflow for the application build');
const gitlabPipeline = (): Obj => block((d) => Array.isArray(d.stages), 'GitLab CI pipeline');

/** `${{ expr }}` as GitHub fills it in; an expression the test does not know fails the test (the doc changed). */
function expand(text: string, expressions: Record<string, string>): string {
  return text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expr: string) => {
    if (!(expr in expressions)) throw new Error(`docs/pipeline.md uses \${{ ${expr} }}, which this test does not provide`);
    return expressions[expr];
  });
}

// ---- the runner ----------------------------------------------------------------------------------

let sandbox: SandboxHandle;
let github: GitHubTestServer;
let notes: NoteServer;
let tools: string;
let commentsDir: string;

/** Every step run, for the timing the test reports. */
const ranSteps: StepResult[] = [];

function bash(args: string[], script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<StepResult> {
  const started = performance.now();
  return new Promise((done, fail) => {
    const child = spawn('bash', [...args, '-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', fail);
    child.on('exit', (code) => {
      const result = { script, code: code ?? 1, ms: Math.round(performance.now() - started), stdout, stderr };
      ranSteps.push(result);
      done(result);
    });
  });
}

/** The programs a runner has that this machine lacks: `gitops-env` (what the install line installs) and a `gh` double. */
function installRunnerTools(): string {
  const dir = tempDir('gitops-pipeline-tools-');
  writeFileSync(join(dir, 'gitops-env'), `#!/bin/sh\nexec "${join(CHECKOUT, 'node_modules', '.bin', 'tsx')}" "${join(CHECKOUT, 'src', 'cli', 'main.ts')}" "$@"\n`);
  // `gh pr comment NUMBER --body-file FILE`, authenticated by GH_TOKEN: records the body it would post.
  writeFileSync(
    join(dir, 'gh'),
    [
      '#!/bin/bash',
      'set -e',
      '[ "$1 $2" = "pr comment" ] || { echo "gh double: only pr comment is emulated, not: $*" >&2; exit 1; }',
      '[ -n "$GH_TOKEN" ] || { echo "gh: To use GitHub CLI in a GitHub Actions workflow, set the GH_TOKEN environment variable." >&2; exit 4; }',
      'number=$3; shift 3',
      'while [ $# -gt 0 ]; do case "$1" in --body-file) file=$2; shift 2;; *) echo "gh double: unexpected flag $1" >&2; exit 1;; esac; done',
      'cp "$file" "$GH_COMMENTS_DIR/$number.md"',
      'echo "https://github.com/$GITHUB_REPOSITORY/pull/$number#issuecomment-1"',
      '',
    ].join('\n'),
  );
  chmodSync(join(dir, 'gitops-env'), 0o755);
  chmodSync(join(dir, 'gh'), 0o755);
  return dir;
}

function runnerEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const runnerTemp = tempDir('gitops-runner-temp-');
  return { ...testGitEnv(), PATH: `${tools}:${process.env.PATH ?? ''}`, CI: 'true', RUNNER_TEMP: runnerTemp, GH_COMMENTS_DIR: commentsDir, ...extra };
}

/** A fresh clone as the runner's checkout makes it, pushes going to the bare remote; HEAD at `ref`. */
function checkout(remote: PromotionRepo, ref: string, url = ENV_REPO_URL, into = tempDir('gitops-runner-ws-')): string {
  git(into, 'clone', '--quiet', '-c', `url.${remote.bare}.insteadOf=${url}`, url, '.');
  git(into, 'checkout', '--quiet', ref);
  return into;
}

interface GithubRun {
  workflow: Obj;
  job: string;
  expressions: Record<string, string>;
  env: Record<string, string>;
  /** Where `actions/checkout` clones from, by `with.repository` ('' for the workflow's own). */
  checkouts: Record<string, { remote: PromotionRepo; url: string; ref: string }>;
}

/** One GitHub Actions job, step by step; stops at the first failure except for `if: always()` steps. */
async function runGithubJob(run: GithubRun): Promise<StepResult[]> {
  const job = (run.workflow.jobs as Record<string, Obj>)[run.job];
  assert.ok(job, `job ${run.job} in docs/pipeline.md`);
  let workspace = tempDir('gitops-runner-ws-');
  const env = runnerEnv(run.env);
  const results: StepResult[] = [];
  let failed = false;
  for (const step of job.steps as Obj[]) {
    const condition = step.if as string | undefined;
    if (condition !== undefined && condition !== 'always()') throw new Error(`step condition "${condition}" is not emulated`);
    if (failed && condition !== 'always()') continue;
    const uses = step.uses as string | undefined;
    if (uses?.startsWith('actions/checkout@')) {
      const options = (step.with ?? {}) as Obj;
      const source = run.checkouts[String(options.repository ?? '')];
      assert.ok(source, `a checkout of "${String(options.repository ?? '(this repository)')}"`);
      const path = options.path ? String(options.path) : '';
      if (path) mkdirSync(join(workspace, path), { recursive: true });
      const into = checkout(source.remote, source.ref, source.url, path ? join(workspace, path) : workspace);
      if (!path) workspace = into;
      continue;
    }
    if (uses?.startsWith('actions/setup-node@')) continue; // this process's Node is the runner's
    assert.equal(uses, undefined, `step ${uses} is not emulated`);
    const script = expand(String(step.run), run.expressions);
    if (script.trim() === INSTALL_LINE) continue; // gitops-env is on the PATH already
    const stepEnv = Object.fromEntries(Object.entries((step.env ?? {}) as Record<string, string>).map(([k, v]) => [k, expand(String(v), run.expressions)]));
    const result = await bash(['--noprofile', '--norc', '-eo', 'pipefail'], script, workspace, { ...env, ...stepEnv });
    results.push(result);
    if (result.code !== 0) failed = true;
  }
  return results;
}

/** One GitLab CI job: `default.before_script` + `script` in one shell (stopping at the first failure), then `after_script` in another. */
async function runGitlabJob(pipeline: Obj, name: string, workspace: string, variables: Record<string, string>): Promise<{ script: StepResult; after: StepResult | null }> {
  const job = pipeline[name] as Obj;
  assert.ok(job, `GitLab job ${name} in docs/pipeline.md`);
  const defaults = (pipeline.default ?? {}) as Obj;
  const lines = [...((job.before_script ?? defaults.before_script ?? []) as string[]), ...(job.script as string[])].filter((line) => line.trim() !== INSTALL_LINE);
  const env = runnerEnv(variables);
  const script = await bash(['-e'], lines.join('\n'), workspace, env);
  const afterLines = (job.after_script ?? defaults.after_script) as string[] | undefined;
  const afterRun = afterLines ? await bash([], afterLines.join('\n'), workspace, env) : null;
  return { script, after: afterRun };
}

function show(results: readonly StepResult[]): string {
  return results.map((r) => `$ ${r.script}\n→ ${r.code}\n${r.stdout}${r.stderr}`).join('\n');
}

// ---- servers ------------------------------------------------------------------------------------

interface NoteServer {
  url: string;
  notes: Array<{ path: string; token: string | undefined; body: string }>;
  server: Server;
}

/** The GitLab notes endpoint (`POST /projects/:id/merge_requests/:iid/notes`, form-encoded `body`, PRIVATE-TOKEN). */
function startNoteServer(): Promise<NoteServer> {
  const notesSeen: NoteServer['notes'] = [];
  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    request.on('end', () => {
      const token = request.headers['private-token'] as string | undefined;
      const match = /^\/api\/v4\/projects\/(\d+)\/merge_requests\/(\d+)\/notes$/.exec(request.url ?? '');
      if (request.method !== 'POST' || !match) {
        response.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"404 Not Found"}');
        return;
      }
      if (token !== GITLAB_TOKEN) {
        response.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"401 Unauthorized"}');
        return;
      }
      const body = new URLSearchParams(raw).get('body') ?? '';
      notesSeen.push({ path: request.url ?? '', token, body });
      response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: notesSeen.length, body }));
    });
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v4`, notes: notesSeen, server })));
}

// ---- the environment repository ------------------------------------------------------------------

function environmentFiles(): Record<string, string> {
  const overlay = (env: string, mode: string): Record<string, string> => ({
    [`envs/${env}/kustomization.yaml`]: `namespace: pipeline-${env}\nresources:\n  - ns.yaml\n  - settings.yaml\n  - ../../base\nimages:\n  - name: ghcr.io/acme/web\n    newTag: "1.0.0"\n`,
    [`envs/${env}/ns.yaml`]: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: pipeline-${env}\n`,
    [`envs/${env}/settings.yaml`]: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: ${mode}\n`,
  });
  return {
    'gitops.yaml': [
      'apiVersion: gitops-environments/v1',
      'environments:',
      ...['dev', 'staging', 'prod'].flatMap((env) => [`  - name: ${env}`, `    path: envs/${env}`, `    cluster: { context: sandbox, namespace: pipeline-${env} }`, ...(env === 'prod' ? ['    protected: true'] : [])]),
      '',
    ].join('\n'),
    'base/kustomization.yaml': 'resources:\n  - web.yaml\n',
    'base/web.yaml': [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      'spec:',
      '  replicas: 2',
      '  selector: {matchLabels: {app: web}}',
      '  template:',
      '    metadata: {labels: {app: web}}',
      '    spec:',
      '      containers:',
      '        - name: web',
      '          image: ghcr.io/acme/web:1.0.0',
      '',
    ].join('\n'),
    ...overlay('dev', 'fast'),
    ...overlay('staging', 'fast'),
    ...overlay('prod', 'safe'),
  };
}

before(async () => {
  sandbox = await startSandbox({ kubeconfigPath: join(tempDir('gitops-pipeline-kc-'), 'kubeconfig') });
  github = await GitHubTestServer.start({ owner: 'acme', repo: 'gitops', token: GITHUB_TOKEN });
  notes = await startNoteServer();
  tools = installRunnerTools();
  commentsDir = tempDir('gitops-pipeline-comments-');
});

after(async () => {
  await sandbox?.stop();
  await github?.close();
  await new Promise((done) => notes?.server.close(done));
  removeTempDirs();
});

/** Each sync job of both CI systems for a push of `sha` to main; returns every step's result by job. */
async function syncJobs(remote: PromotionRepo, sha: string): Promise<Map<string, StepResult[]>> {
  const out = new Map<string, StepResult[]>();
  const workflow = githubEnvWorkflow();
  const kubeconfigData = readFileSync(sandbox.kubeconfigPath, 'utf8');
  const sync = (workflow.jobs as Record<string, Obj>).sync;
  const matrix = ((sync.strategy as Obj).matrix as Obj).env as string[];
  // A matrix's jobs run side by side, as on the runners.
  const githubMatrix = await Promise.all(
    matrix.map((env) => runGithubJob({ workflow, job: 'sync', expressions: { 'matrix.env': env, 'secrets.KUBECONFIG_DATA': kubeconfigData }, env: { GITHUB_REPOSITORY: 'acme/gitops' }, checkouts: { '': { remote, url: ENV_REPO_URL, ref: 'main' } } })),
  );
  matrix.forEach((env, i) => out.set(`github sync ${env}`, githubMatrix[i]));
  out.set('github sync-prod', await runGithubJob({ workflow, job: 'sync-prod', expressions: { 'secrets.KUBECONFIG_DATA': kubeconfigData }, env: { GITHUB_REPOSITORY: 'acme/gitops' }, checkouts: { '': { remote, url: ENV_REPO_URL, ref: 'main' } } }));
  // GitLab's jobs on the same commit: after GitHub's, they must find nothing left to change.
  const pipeline = gitlabPipeline();
  const gitlabMatrix = (((pipeline.sync as Obj).parallel as Obj).matrix as Array<Record<string, string[]>>)[0].ENV;
  const gitlabRuns = await Promise.all(
    gitlabMatrix.map((env) => runGitlabJob(pipeline, 'sync', checkout(remote, sha), { ENV: env, KUBECONFIG: sandbox.kubeconfigPath, CI_COMMIT_SHA: sha, CI_COMMIT_BRANCH: 'main', CI_DEFAULT_BRANCH: 'main' })),
  );
  gitlabMatrix.forEach((env, i) => out.set(`gitlab sync ${env}`, [gitlabRuns[i].script]));
  const { script } = await runGitlabJob(pipeline, 'sync-prod', checkout(remote, sha), { KUBECONFIG: sandbox.kubeconfigPath, CI_COMMIT_SHA: sha, CI_COMMIT_BRANCH: 'main', CI_DEFAULT_BRANCH: 'main' });
  out.set('gitlab sync-prod', [script]);
  return out;
}

/** The one line `gitops-env sync` prints at the end: `<env> at <sha>: N created, N configured, N unchanged, N pruned; health H`. */
function summary(results: readonly StepResult[]): string {
  const last = results[results.length - 1];
  assert.equal(last.code, 0, show(results));
  const line = last.stdout.split('\n').find((l) => / at [0-9a-f]{7,}: /.test(l));
  assert.ok(line, show(results));
  return line;
}

test('the pipeline page runs as written: sync on push (twice: nothing changes), set-image opens a pull request, its preview is commented on GitHub and GitLab, and the merge rolls out', { timeout: 420_000 }, async (t) => {
  const remote = hostedRepo(environmentFiles(), ENV_REPO_URL);
  const first = git(remote.work, 'rev-parse', 'HEAD').trim();

  // Push to main: every environment is created, healthy; prod only because the job confirms it.
  const initial = await syncJobs(remote, first);
  for (const [job, results] of initial) {
    const line = summary(results);
    if (job.startsWith('github')) assert.match(line, /: 3 created, 0 configured, 0 unchanged, 0 pruned; health Healthy$/, `${job}: ${line}`);
    else assert.match(line, /: 0 created, 0 configured, 3 unchanged, 0 pruned; health Healthy$/, `${job} (a second sync of the same commit): ${line}`);
  }
  const prodSettings = sandbox.store.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'pipeline-prod', name: 'settings' }) as { data?: { mode?: string } } | undefined;
  assert.equal(prodSettings?.data?.mode, 'safe');
  const settled = sandbox.store.resourceVersion;
  const again = await syncJobs(remote, first);
  for (const [job, results] of again) assert.match(summary(results), /: 0 created, 0 configured, 3 unchanged, 0 pruned; health Healthy$/, job);
  assert.equal(sandbox.store.resourceVersion, settled, 'syncing an unchanged commit writes nothing to the cluster');

  // The application's build: set-image opens a pull request against dev on the GitHub test server.
  const appSha = 'f'.repeat(40);
  const build = await runGithubJob({
    workflow: githubAppWorkflow(),
    job: 'set-image',
    expressions: { 'secrets.GITOPS_TOKEN': GITHUB_TOKEN, 'github.repository': 'acme/web', 'github.sha': appSha },
    env: { GITHUB_REPOSITORY: 'acme/web', GITHUB_API_URL: github.url },
    checkouts: { 'acme/gitops': { remote, url: ENV_REPO_URL, ref: 'main' } },
  });
  assert.deepEqual(build.map((r) => r.code), [0], show(build));
  assert.equal(github.pulls.length, 1, show(build));
  const pull = github.pulls[0];
  assert.equal(pull.base, 'main');
  const head = git(remote.bare, 'rev-parse', `refs/heads/${pull.head}`).trim();
  assert.match(git(remote.bare, 'show', `${head}:envs/dev/kustomization.yaml`), new RegExp(`newTag: "?${appSha}`));
  assert.ok(!show(build).includes(GITHUB_TOKEN), 'the token never reaches the build log');

  // The pull request's preview, commented by each CI system: dev only, the new image, live impact checked.
  const workflow = githubEnvWorkflow();
  const previewRun = await runGithubJob({
    workflow,
    job: 'preview',
    expressions: { 'github.base_ref': 'main', 'github.event.pull_request.head.sha': head, 'github.event.pull_request.number': String(pull.number), 'github.token': GITHUB_TOKEN, 'secrets.KUBECONFIG_DATA': readFileSync(sandbox.kubeconfigPath, 'utf8') },
    env: { GITHUB_REPOSITORY: 'acme/gitops' },
    checkouts: { '': { remote, url: ENV_REPO_URL, ref: head } },
  });
  assert.deepEqual(previewRun.map((r) => r.code), [0, 0, 0], show(previewRun));
  const comment = readFileSync(join(commentsDir, `${pull.number}.md`), 'utf8');
  const gitlabPreview = await runGitlabJob(gitlabPipeline(), 'preview', checkout(remote, head), {
    KUBECONFIG: sandbox.kubeconfigPath,
    CI_PIPELINE_SOURCE: 'merge_request_event',
    CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main',
    CI_COMMIT_SHA: head,
    CI_API_V4_URL: notes.url,
    CI_PROJECT_ID: '42',
    CI_MERGE_REQUEST_IID: '7',
    GITLAB_TOKEN,
  });
  assert.equal(gitlabPreview.script.code, 0, show([gitlabPreview.script]));
  assert.equal(gitlabPreview.after?.code, 0, show(gitlabPreview.after ? [gitlabPreview.after] : []));
  assert.equal(notes.notes.length, 1);
  assert.equal(notes.notes[0].path, '/api/v4/projects/42/merge_requests/7/notes');
  for (const body of [comment, notes.notes[0].body]) {
    assert.match(body, /<summary><b>dev<\/b>: 0 added, 1 modified, 0 removed/);
    assert.ok(body.includes(appSha), 'the new image tag is in the comment');
    assert.ok(!/<b>staging<\/b>|<b>prod<\/b>/.test(body), 'environments the change does not touch are absent');
  }
  assert.equal(sandbox.store.resourceVersion, settled, 'previews write nothing');

  // Merge: main moves to the pull request's head; the sync jobs roll dev out and leave the others.
  git(remote.work, 'fetch', '--quiet', 'origin');
  git(remote.work, 'push', '--quiet', 'origin', `${head}:refs/heads/main`);
  const merged = await syncJobs(remote, head);
  assert.match(summary(merged.get('github sync dev') ?? []), /^dev at [0-9a-f]+: 0 created, 1 configured, 2 unchanged, 0 pruned; health Healthy$/);
  for (const job of ['github sync staging', 'github sync-prod', 'gitlab sync dev', 'gitlab sync staging', 'gitlab sync-prod']) {
    assert.match(summary(merged.get(job) ?? []), /: 0 created, 0 configured, 3 unchanged, 0 pruned; health Healthy$/, job);
  }
  const web = sandbox.store.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'pipeline-dev', name: 'web' }) as { spec: { template: { spec: { containers: Array<{ image: string }> } } } } | undefined;
  assert.equal(web?.spec.template.spec.containers[0].image, `ghcr.io/acme/web:${appSha}`);
  assert.deepEqual(github.violations, []);
  const total = ranSteps.reduce((sum, r) => sum + r.ms, 0);
  const slowest = [...ranSteps].sort((a, b) => b.ms - a.ms).slice(0, 3);
  t.diagnostic(`${ranSteps.length} steps in ${total} ms; slowest: ${slowest.map((r) => `${r.ms} ms ${r.script.split(' ').slice(0, 2).join(' ')}`).join(', ')}`);
});
