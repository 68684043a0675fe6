// The layouts of LAYOUTS.md as real repositories on disk: `gitops-env envs --json` discovers and
// orders them, and a promotion from A without a target goes to the next tier in A's lane.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/main';
import { resolvePromotionPair } from '../../src/core/promotion/environmentPair';
import { GitRepository } from '../../src/git/gitRepository';
import { loadPromotionContext } from '../../src/git/promotion/promotionContext';
import { commitAll, git, initRepo, removeTempDirs, writeFiles } from './helpers/tempGitRepo';
import * as L from '../unit/helpers/layoutRepos';

after(removeTempDirs);

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

interface EnvJson {
  name: string;
  branch: string | null;
  path: string | null;
  paths: string[];
  protected: boolean;
  source: string;
}

async function envs(files: L.Files, branches: string[] = []): Promise<{ repo: string; environments: EnvJson[] }> {
  const repo = initRepo();
  writeFiles(repo, files);
  commitAll(repo, 'init');
  for (const b of branches) git(repo, 'branch', b);
  const { code, out, err } = await run(['envs', '--repo', repo, '--json']);
  assert.equal(code, 0, err);
  return { repo, environments: (JSON.parse(out) as { environments: EnvJson[] }).environments };
}

test('every layout on disk: names, order, sources and folders in envs --json', async () => {
  const cases: Array<[string, L.Files, string[], Array<[string, string[]]>, string]> = [
    ['1', L.folderPerEnvironment(), ['feature/x'], L.LAYOUT1_ENVIRONMENTS.map((n) => [n, [`envs/${n}`]]), 'folders'],
    ['3', L.manyAppsWithApplicationSet(['web', 'api'], ['dev', 'prod']), [], [['dev', ['apps/api/overlays/dev', 'apps/web/overlays/dev']], ['prod', ['apps/api/overlays/prod', 'apps/web/overlays/prod']]], 'argocd'],
    ['4', L.kargoStages(), [], [['dev', ['env/dev']], ['staging', ['env/staging']], ['prod', ['env/prod']]], 'kargo'],
    ['5', L.fluxClusters(), ['tenant-team-a'], [['staging', ['apps/staging', 'tenants/staging']], ['production', ['apps/production', 'tenants/production']]], 'flux'],
  ];
  for (const [layout, files, branches, expected, source] of cases) {
    const { environments } = await envs(files, branches);
    assert.deepEqual(
      environments.map((e) => [e.name, e.paths]),
      expected,
      `layout ${layout}`,
    );
    for (const e of environments) {
      assert.equal(e.source, source, `layout ${layout}`);
      assert.equal(e.path, e.paths[0] ?? null);
      assert.equal(e.protected, /^prod/.test(e.name));
    }
  }
});

test('the application catalogue has no environments and says why', async () => {
  const repo = initRepo();
  writeFiles(repo, L.applicationCatalogue());
  commitAll(repo, 'init');
  const { code, out, err } = await run(['envs', '--repo', repo]);
  assert.equal(code, 0, err);
  assert.match(out, /No environments found/);
  assert.match(err, /warning: root-app\.yaml:1:1: .*catalogue of applications, not environments/);
});

test('a promotion from staging-eu without a target goes to prod-eu, its lane, not staging-us (what promote --from uses)', async () => {
  const { repo } = await envs(L.folderPerEnvironment());
  const opened = await GitRepository.open(repo);
  try {
    const { environments } = await loadPromotionContext(opened);
    const target = (from: string): string => resolvePromotionPair(environments, from, undefined).target.name;
    assert.deepEqual(
      ['int', 'qa', 'perf', 'staging-eu', 'staging-us'].map((from) => [from, target(from)]),
      [
        ['int', 'qa'],
        ['qa', 'perf'],
        ['perf', 'staging-eu'],
        ['staging-eu', 'prod-eu'],
        ['staging-us', 'prod-us'],
      ],
    );
  } finally {
    opened.dispose();
  }
});
