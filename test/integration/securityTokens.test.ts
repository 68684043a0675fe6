// A host token never reaches a process's argument list, at run time: every `git` the promotion
// starts (plan, worktree, commit, push) goes through a recording shim first on PATH, and the push
// authenticates with a token against an HTTP remote that demands it. The token must appear in no
// recorded argv, not in the askpass helper's file, not in the repository's config, not in the
// error of a refused push — and the push must really have used it (the server saw the user).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { PromotionError } from '../../src/core/promotion/promotionError';
import { GitRepository } from '../../src/git/gitRepository';
import { askPassSetup } from '../../src/git/promotion/askPass';
import { executePlan } from '../../src/git/promotion/executePlan';
import { planPromotion } from '../../src/git/promotion/planPromotion';
import { loadPromotionContext } from '../../src/git/promotion/promotionContext';
import { GitHttpServer, stagingProdRepoOverHttp } from './helpers/hostServers/gitHttpServer';
import { git, removeTempDirs, tempDir } from './helpers/tempGitRepo';
import { findExecutable } from '../../src/render/findExecutable';

const TOKEN = `ghs_${randomBytes(18).toString('hex')}`;
const USER = 'x-access-token';
let server: GitHttpServer;
let projects: string;
let argvLog: string;
const savedPath = process.env.PATH;

before(async () => {
  projects = tempDir('gitops-sec-http-');
  server = await GitHttpServer.start(projects, USER, TOKEN);
  // The shim records its arguments (unit separator between them, record separator after) and runs the real git.
  const realGit = await findExecutable('git');
  assert.ok(realGit, 'git on PATH');
  const shimDir = tempDir('gitops-sec-shim-');
  argvLog = join(shimDir, 'argv.log');
  writeFileSync(join(shimDir, 'git'), `#!/bin/sh\nfor a in "$@"; do printf '%s\\037' "$a" >> '${argvLog}'; done\nprintf '\\036' >> '${argvLog}'\nexec '${realGit}' "$@"\n`);
  chmodSync(join(shimDir, 'git'), 0o755);
  process.env.PATH = `${shimDir}${delimiter}${savedPath ?? ''}`;
});

after(async () => {
  process.env.PATH = savedPath;
  await server.close();
  removeTempDirs();
});

function recordedArgv(): string[][] {
  if (!existsSync(argvLog)) return [];
  return readFileSync(argvLog, 'utf8')
    .split('\u001e')
    .filter((record) => record !== '')
    .map((record) => record.split('\u001f').slice(0, -1));
}

const httpRepo = (): { work: string; bare: string } => stagingProdRepoOverHttp(server, projects);

test('a push with a token: git is started many times, never with the token in its arguments', async () => {
  const { work, bare } = httpRepo();
  writeFileSync(argvLog, '');
  const repo = await GitRepository.open(work);
  try {
    const context = await loadPromotionContext(repo);
    const plan = await planPromotion(repo, { environments: context.environments, from: 'staging', to: 'prod' });
    const result = await executePlan(repo, plan, { pushCredentials: { username: USER, token: TOKEN } });
    assert.equal(git(bare, 'rev-parse', plan.headBranch).trim(), result.commit);
  } finally {
    repo.dispose();
  }
  const runs = recordedArgv();
  assert.ok(runs.length >= 5, `the shim saw the product's git runs (${runs.length})`);
  assert.ok(runs.some((argv) => argv.includes('push')), 'the push went through the shim');
  const withToken = runs.filter((argv) => argv.some((a) => a.includes(TOKEN) || a.includes(Buffer.from(`${USER}:${TOKEN}`).toString('base64'))));
  assert.deepEqual(withToken, []);
  // The server saw an authenticated push: the token did travel, by the askpass helper.
  assert.ok(server.requests.some((r) => r.method === 'POST' && r.path.endsWith('/git-receive-pack') && r.user === USER));
  assert.ok(!readFileSync(join(work, '.git', 'config'), 'utf8').includes(TOKEN));
});

test('a refused token: the error says what to do and carries no token', async () => {
  const { work } = httpRepo();
  const wrong = `${TOKEN.slice(0, -4)}NOPE`;
  const repo = await GitRepository.open(work);
  try {
    const context = await loadPromotionContext(repo);
    const plan = await planPromotion(repo, { environments: context.environments, from: 'staging', to: 'prod' });
    await assert.rejects(executePlan(repo, plan, { pushCredentials: { username: USER, token: wrong } }), (error) => {
      assert.ok(error instanceof PromotionError);
      assert.equal(error.code, 'unauthorized');
      const text = `${error.message} ${error.hint} ${error.describe()} ${String(error.stack)}`;
      assert.ok(!text.includes(wrong) && !text.includes(TOKEN));
      return true;
    });
  } finally {
    repo.dispose();
  }
  assert.deepEqual(recordedArgv().filter((argv) => argv.some((a) => a.includes(wrong))), []);
});

test('the askpass helper file holds no token: git reads it from that one process environment', async () => {
  const scratch = tempDir('gitops-sec-askpass-');
  const setup = await askPassSetup(scratch, { username: USER, token: TOKEN });
  assert.ok(setup, 'POSIX');
  for (const name of readdirSync(scratch)) assert.ok(!readFileSync(join(scratch, name), 'utf8').includes(TOKEN), `${name} holds the token`);
  assert.ok(!JSON.stringify(setup.config).includes(TOKEN), 'no -c setting carries the token');
  assert.ok(Object.values(setup.env).includes(TOKEN), 'the token is handed over through the environment');
  assert.equal(process.env.GITOPS_ENV_ASKPASS_TOKEN, undefined, 'not through this process’s own environment');
});
