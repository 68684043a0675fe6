// Pushing with a token the caller holds (the extension's GitHub sign-in) to an HTTPS-style remote
// that requires authentication: the token reaches git through the askpass helper only — never the
// remote URL, the repository's config, or an error message — and a stale stored credential of the
// user does not get in the way.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PromotionError } from '../../src/core/promotion/promotionError';
import { GitRepository } from '../../src/git/gitRepository';
import { executePlan } from '../../src/git/promotion/executePlan';
import { planPromotion } from '../../src/git/promotion/planPromotion';
import { loadPromotionContext } from '../../src/git/promotion/promotionContext';
import { GitHttpServer, stagingProdRepoOverHttp } from './helpers/hostServers/gitHttpServer';
import { git, removeTempDirs, tempDir } from './helpers/tempGitRepo';

const TOKEN = 'ghs_pushtoken0123456789abcdefghijklmnopq';
let server: GitHttpServer;
let projects: string;

before(async () => {
  projects = tempDir('gitops-http-');
  server = await GitHttpServer.start(projects, 'x-access-token', TOKEN);
});
after(async () => {
  await server.close();
  removeTempDirs();
});

const httpRepo = (): { work: string; bare: string } => stagingProdRepoOverHttp(server, projects);

async function plan(work: string) {
  const repo = await GitRepository.open(work);
  const context = await loadPromotionContext(repo);
  return { repo, plan: await planPromotion(repo, { environments: context.environments, from: 'staging', to: 'prod' }) };
}

describe('push with a token through askpass', () => {
  it('pushes with the token, bypassing a stale stored credential; the token is nowhere in config or output', async () => {
    const { work, bare } = httpRepo();
    const store = join(tempDir(), 'stale-credentials');
    writeFileSync(store, `${server.origin.replace('http://', 'http://x-access-token:old-revoked-token@')}\n`);
    git(work, 'config', 'credential.helper', `store --file=${store}`);
    const configBefore = readFileSync(join(work, '.git', 'config'), 'utf8');
    const { repo, plan: p } = await plan(work);
    const result = await executePlan(repo, p, { pushCredentials: { username: 'x-access-token', token: TOKEN } });
    repo.dispose();
    assert.equal(git(bare, 'rev-parse', p.headBranch).trim(), result.commit);
    assert.ok(server.requests.some((r) => r.method === 'POST' && r.path.endsWith('/git-receive-pack') && r.user === 'x-access-token'));
    const configAfter = readFileSync(join(work, '.git', 'config'), 'utf8');
    assert.equal(configAfter, configBefore);
    assert.ok(!configAfter.includes(TOKEN));
    assert.equal(readFileSync(store, 'utf8').includes(TOKEN), false, 'the token is not stored by the user’s helper');
  });

  it('without a token the user’s own credentials are used; none → "unauthorized" with the next step', async () => {
    const { work } = httpRepo();
    const { repo, plan: p } = await plan(work);
    await assert.rejects(executePlan(repo, p, {}), (error) => {
      assert.ok(error instanceof PromotionError);
      assert.equal(error.code, 'unauthorized');
      assert.match(error.hint, /credential helper or SSH key/);
      return true;
    });
    await assert.rejects(executePlan(repo, p, { pushCredentials: { username: 'x-access-token', token: 'ghs_wrongtoken0123456789abcdefghijklmnop' } }), (error) => {
      assert.ok(error instanceof PromotionError && error.code === 'unauthorized');
      assert.ok(!error.describe().includes('ghs_wrongtoken'));
      return true;
    });
    repo.dispose();
  });
});
