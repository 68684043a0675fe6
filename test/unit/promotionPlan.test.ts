// The promotion plan as data: which environments, which layout, which files (with excludes and
// ticks), names, the already-in-sync rule, and re-ticking in the preview.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Environment } from '../../src/core/model';
import { buildPromotionPlan, reselectPlan, type PlanInput } from '../../src/core/promotion/buildPlan';
import { chooseLayout, resolvePromotionPair, resolveRollbackEnvironment } from '../../src/core/promotion/environmentPair';
import { planBranchChanges, planFolderChanges, type TreeFile } from '../../src/core/promotion/fileChanges';
import { planJson, planText } from '../../src/core/promotion/planOutput';
import { PromotionError } from '../../src/core/promotion/promotionError';
import { commitMessage, promotionBranchName, promotionTitle, rollbackBranchName } from '../../src/core/promotion/promotionNames';
import type { PlanSide } from '../../src/core/promotion/promotionTypes';
import { branchNameProblem } from '../../src/core/safeNames';

function env(name: string, order: number, fields: Partial<Environment> = {}): Environment {
  return { name, order, repo: null, branch: null, path: `envs/${name}`, cluster: { context: null, namespace: null }, protected: false, source: 'config', ...fields };
}

const ENVS = [env('dev', 0), env('staging', 1), env('prod', 2)];

function code(error: unknown): string {
  return error instanceof PromotionError ? error.code : `not a PromotionError: ${String(error)}`;
}

describe('choosing source, target and layout', () => {
  it('defaults the target to the next environment and the source to the previous one', () => {
    assert.deepEqual(Object.values(resolvePromotionPair(ENVS, 'dev', undefined)).map((e) => e.name), ['dev', 'staging']);
    assert.deepEqual(Object.values(resolvePromotionPair(ENVS, undefined, 'prod')).map((e) => e.name), ['staging', 'prod']);
    assert.deepEqual(Object.values(resolvePromotionPair(ENVS, 'dev', 'prod')).map((e) => e.name), ['dev', 'prod']);
  });

  it('refuses the same environment twice, an unknown name (with a suggestion) and the end of the ladder', () => {
    assert.throws(() => resolvePromotionPair(ENVS, 'prod', 'prod'), (e) => code(e) === 'sameEnvironment');
    assert.throws(() => resolvePromotionPair(ENVS, 'stagign', 'prod'), (e) => code(e) === 'unknownEnvironment' && /did you mean "staging"/.test((e as Error).message));
    assert.throws(() => resolvePromotionPair(ENVS, 'prod', undefined), (e) => code(e) === 'unknownEnvironment' && /last environment/.test((e as Error).message));
    assert.throws(() => resolvePromotionPair([env('a', 0)], 'a', undefined), (e) => code(e) === 'unknownEnvironment');
    assert.throws(() => resolveRollbackEnvironment(ENVS, 'qa'), (e) => code(e) === 'unknownEnvironment');
  });

  it('refuses environments in different repositories', () => {
    assert.throws(() => resolvePromotionPair([env('a', 0), env('b', 1, { repo: 'https://x/y.git' })], 'a', 'b'), (e) => code(e) === 'unsupported');
  });

  it('branch per environment merges, folder per environment copies, image mode on request, same place is an error', () => {
    assert.equal(chooseLayout(env('a', 0, { branch: 'dev', path: null }), env('b', 1, { branch: 'prod', path: null }), false), 'branch');
    assert.equal(chooseLayout(env('a', 0, { branch: 'dev', path: 'k8s' }), env('b', 1, { branch: 'prod', path: 'k8s' }), false), 'branch');
    assert.equal(chooseLayout(env('a', 0), env('b', 1), false), 'folder');
    assert.equal(chooseLayout(env('a', 0, { branch: 'x' }), env('b', 1, { branch: 'y' }), false), 'folder');
    assert.equal(chooseLayout(env('a', 0), env('b', 1), true), 'image');
    assert.throws(() => chooseLayout(env('a', 0, { path: 'k8s' }), env('b', 1, { path: 'k8s' }), false), (e) => code(e) === 'sameEnvironment');
  });
});

describe('names', () => {
  it('head branches are deterministic and valid, titles carry the short commit', () => {
    const sha = '0123456789abcdef0123456789abcdef01234567';
    assert.equal(promotionBranchName('staging', 'prod', sha), 'gitops/promote-staging-to-prod-0123456');
    assert.equal(rollbackBranchName('prod', sha), 'gitops/rollback-prod-to-0123456');
    assert.equal(promotionTitle('staging', 'prod', sha), 'Promote staging → prod (0123456)');
    assert.equal(promotionBranchName('we ird', 'x..y.', sha), 'gitops/promote-we-ird-to-x.y-0123456');
    assert.equal(branchNameProblem(promotionBranchName('a..b', '.lock', sha)), undefined);
  });

  it('commit messages put trailers in the last paragraph, one line each', () => {
    assert.equal(
      commitMessage({ title: 'T', summary: ['one', 'two'], trailers: [['Promoted-From', 'staging'], ['Source-Commit', 'abc\ndef']] }),
      'T\n\none\ntwo\n\nPromoted-From: staging\nSource-Commit: abc def\n',
    );
  });
});

const f = (path: string, blob: string, mode = '100644'): TreeFile => ({ path, blob, mode });

describe('folder changes', () => {
  const source = [f('envs/staging/app.yaml', 'a2'), f('envs/staging/replicas.yml', 'r1'), f('envs/staging/new.yaml', 'n1'), f('envs/staging/same.yaml', 's'), f('envs/staging/run.sh', 'x', '100755')];
  const target = [f('envs/prod/app.yaml', 'a1'), f('envs/prod/replicas.yml', 'r5'), f('envs/prod/only-prod.yaml', 'o'), f('envs/prod/same.yaml', 's'), f('envs/prod/run.sh', 'x', '100644')];

  it('lists added, modified (content or mode) and target-only files; excludes and deletions start unticked', () => {
    const changes = planFolderChanges({ sourceFiles: source, targetFiles: target, sourceFolder: 'envs/staging', targetFolder: 'envs/prod', exclude: ['replicas.yml'], selectDeletions: false });
    assert.deepEqual(
      changes.map((c) => [c.path, c.action, c.selected, c.excludedBy, c.sourcePath]),
      [
        ['envs/prod/app.yaml', 'modify', true, null, 'envs/staging/app.yaml'],
        ['envs/prod/new.yaml', 'add', true, null, 'envs/staging/new.yaml'],
        ['envs/prod/only-prod.yaml', 'delete', false, null, null],
        ['envs/prod/replicas.yml', 'modify', false, 'replicas.yml', 'envs/staging/replicas.yml'],
        ['envs/prod/run.sh', 'modify', true, null, 'envs/staging/run.sh'],
      ],
    );
  });

  it('rollbacks tick deletions', () => {
    const changes = planFolderChanges({ sourceFiles: source, targetFiles: target, sourceFolder: 'envs/staging', targetFolder: 'envs/prod', exclude: [], selectDeletions: true });
    assert.equal(changes.find((c) => c.action === 'delete')?.selected, true);
  });

  it('an environment at the repository root does not swallow a nested environment folder', () => {
    const changes = planFolderChanges({
      sourceFiles: [f('envs/dev/a.yaml', '1')],
      targetFiles: [f('a.yaml', '0'), f('envs/dev/a.yaml', '1'), f('README.md', 'r')],
      sourceFolder: 'envs/dev',
      targetFolder: '',
      exclude: [],
      selectDeletions: false,
    });
    assert.deepEqual(changes.map((c) => [c.path, c.action]), [['README.md', 'delete'], ['a.yaml', 'modify']]);
  });
});

describe('branch changes', () => {
  it('what the merge brings, relative to the target, with excludes relative to the shared folder', () => {
    const changes = planBranchChanges({
      changedPaths: ['k8s/app.yaml', 'k8s/replicas.yml', 'k8s/gone.yaml', 'k8s/already.yaml', 'k8s/never.yaml'],
      sourceFiles: [f('k8s/app.yaml', 'a2'), f('k8s/replicas.yml', 'r2'), f('k8s/already.yaml', 'same')],
      targetFiles: [f('k8s/app.yaml', 'a1'), f('k8s/replicas.yml', 'r9'), f('k8s/gone.yaml', 'g'), f('k8s/already.yaml', 'same')],
      folder: 'k8s',
      exclude: ['k8s/replicas.yml'],
    });
    assert.deepEqual(
      changes.map((c) => [c.path, c.action, c.selected]),
      [
        ['k8s/app.yaml', 'modify', true],
        ['k8s/gone.yaml', 'delete', true],
        ['k8s/replicas.yml', 'modify', false],
      ],
    );
  });
});

function side(environment: string, commit: string, tree: string | null, folder = `envs/${environment}`): PlanSide {
  return { environment, ref: `origin/main`, commit, shortCommit: commit.slice(0, 7), branch: 'main', folder, tree, remote: 'origin' };
}

function input(overrides: Partial<PlanInput> = {}): PlanInput {
  const files = planFolderChanges({
    sourceFiles: [f('envs/staging/app.yaml', 'blobA2'), f('envs/staging/replicas.yml', 'blobR1')],
    targetFiles: [f('envs/prod/app.yaml', 'blobA1'), f('envs/prod/replicas.yml', 'blobR5')],
    sourceFolder: 'envs/staging',
    targetFolder: 'envs/prod',
    exclude: ['replicas.yml'],
    selectDeletions: false,
  });
  return {
    kind: 'promotion',
    layout: 'folder',
    source: side('staging', 'a'.repeat(40), 'tree1'),
    target: side('prod', 'b'.repeat(40), 'tree2'),
    commits: [{ sha: 'c'.repeat(40), shortSha: 'ccccccc', subject: 'bump web | fast', authorName: 'Ann', authorEmail: 'ann@x', date: '2024-01-01T00:00:00Z' }],
    commitTotal: 1,
    files,
    blobs: new Map([
      ['blobA1', 'image: web:1\nreplicas: 1\n'],
      ['blobA2', 'image: web:2\nreplicas: 1\n'],
      ['blobR1', 'replicas: 1\n'],
      ['blobR5', 'replicas: 5\n'],
    ]),
    labels: ['promotion'],
    reviewers: ['alice'],
    host: { kind: 'github', webUrl: 'https://github.com/acme/gitops' },
    ...overrides,
  };
}

describe('building the plan', () => {
  it('carries files with diffs, the head branch, title, labels, and a body', () => {
    const plan = buildPromotionPlan(input());
    assert.equal(plan.alreadyInSync, false);
    assert.equal(plan.headBranch, 'gitops/promote-staging-to-prod-aaaaaaa');
    assert.equal(plan.title, 'Promote staging → prod (aaaaaaa)');
    assert.deepEqual(plan.labels, ['promotion']);
    assert.equal(plan.diff.files, 1);
    assert.equal(plan.diff.insertions, 1);
    assert.match(plan.files[0].diff, /^-image: web:1\n\+image: web:2$/m);
    assert.match(plan.body, /\[`ccccccc`\]\(https:\/\/github\.com\/acme\/gitops\/commit\/c{40}\)/);
  });

  it('is JSON: it survives a round trip unchanged (it crosses the webview boundary)', () => {
    const plan = buildPromotionPlan(input());
    assert.deepEqual(JSON.parse(JSON.stringify(plan)), plan);
  });

  it('says "already in sync" when the two folders have the same tree', () => {
    const plan = buildPromotionPlan(input({ files: [], source: side('staging', 'a'.repeat(40), 'same'), target: side('prod', 'b'.repeat(40), 'same') }));
    assert.equal(plan.alreadyInSync, true);
    assert.match(plan.syncReason ?? '', /already hold the same files/);
  });

  it('a branch plan with commits but no file changes is not "in sync" (the merge still records them)', () => {
    const plan = buildPromotionPlan(input({ layout: 'branch', files: [] }));
    assert.equal(plan.alreadyInSync, false);
    const synced = buildPromotionPlan(input({ layout: 'branch', files: [], commits: [], commitTotal: 0 }));
    assert.equal(synced.alreadyInSync, true);
  });

  it('binary files and Secret manifests never show their content', () => {
    const files = planFolderChanges({
      sourceFiles: [f('envs/staging/logo.png', 'png2'), f('envs/staging/secret.yaml', 's2')],
      targetFiles: [f('envs/prod/logo.png', 'png1'), f('envs/prod/secret.yaml', 's1')],
      sourceFolder: 'envs/staging',
      targetFolder: 'envs/prod',
      exclude: [],
      selectDeletions: false,
    });
    const plan = buildPromotionPlan(
      input({
        files,
        blobs: new Map([
          ['png1', 'PNG\u0000\u0001'],
          ['png2', 'PNG\u0000\u0002'],
          ['s1', 'apiVersion: v1\nkind: Secret\nstringData:\n  password: hunter2\n'],
          ['s2', 'apiVersion: v1\nkind: Secret\nstringData:\n  password: correct-horse\n'],
        ]),
      }),
    );
    assert.equal(plan.files[0].binary, true);
    assert.equal(plan.files[0].diff, '');
    assert.ok(!plan.body.includes('hunter2') && !plan.body.includes('correct-horse'));
    assert.match(plan.files[1].diff, /Secret manifest: 2 changed lines not shown/);
  });

  it('reselectPlan ticks an excluded file: diff, summary and body follow', () => {
    const plan = buildPromotionPlan(input());
    const ticked = reselectPlan(plan, { files: { 'envs/prod/replicas.yml': true } });
    assert.equal(ticked.diff.files, 2);
    assert.match(ticked.diff.text, /\+replicas: 1/);
    assert.match(ticked.body, /2 files \(0 added, 2 modified, 0 deleted\)/);
    assert.equal(plan.diff.files, 1, 'the original plan is not mutated');
  });

  it('selection given up front overrides the default ticks', () => {
    const plan = buildPromotionPlan(input({ selection: { files: { 'envs/prod/app.yaml': false } } }));
    assert.deepEqual(plan.files.map((f) => f.selected), [false, false]);
  });

  it('image layout: one modify per edited file, diff from the edits, reselect redoes the edits', () => {
    const source = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: a\n      image: a:2\n    - name: b\n      image: b:2\n';
    const target = source.replace('a:2', 'a:1').replace('b:2', 'b:1');
    const plan = buildPromotionPlan(input({ layout: 'image', files: [], imageFiles: [{ sourcePath: 'envs/staging/pod.yaml', targetPath: 'envs/prod/pod.yaml', sourceText: source, targetText: target, targetBlob: 'tb', targetMode: '100644' }] }));
    assert.deepEqual(plan.files.map((f) => [f.path, f.action, f.insertions, f.deletions]), [['envs/prod/pod.yaml', 'modify', 2, 2]]);
    assert.equal(plan.images.length, 2);
    const one = reselectPlan(plan, { images: { [plan.images[1].id]: false } });
    assert.equal(one.files[0].insertions, 1);
    assert.match(one.files[0].diff, /\+ {6}image: a:2/);
    assert.doesNotMatch(one.files[0].diff, /b:2/);
    const none = reselectPlan(plan, { files: { 'envs/prod/pod.yaml': false } });
    assert.equal(none.files[0].selected, false);
    assert.equal(none.images.filter((i) => i.selected).length, 0);
  });

  it('rollback plans add the rollback label and name the branch after the restored commit', () => {
    const plan = buildPromotionPlan(input({ kind: 'rollback', source: side('prod', 'd'.repeat(40), 't0', 'envs/prod'), target: side('prod', 'b'.repeat(40), 't1', 'envs/prod') }));
    assert.deepEqual(plan.labels, ['promotion', 'rollback']);
    assert.equal(plan.headBranch, 'gitops/rollback-prod-to-ddddddd');
    assert.equal(plan.title, 'Roll back prod to ddddddd');
    assert.equal(plan.rollbackTo, 'd'.repeat(40));
  });
});

describe('CLI output of a plan', () => {
  it('JSON has the documented shape', () => {
    const json = planJson(buildPromotionPlan(input()), { pullRequest: { url: 'https://x/pull/1', number: 1 } });
    assert.deepEqual(Object.keys(json).sort(), ['allowIdentityChange', 'alreadyInSync', 'base', 'blocked', 'branch', 'changes', 'commits', 'compareUrl', 'from', 'images', 'kind', 'layout', 'pullRequest', 'rendered', 'rollbackTo', 'syncReason', 'title', 'to', 'values', 'warnings'].sort());
    assert.deepEqual(json.changes.map((c) => [c.path, c.action, c.selected]), [['envs/prod/app.yaml', 'modify', true], ['envs/prod/replicas.yml', 'modify', false]]);
    assert.deepEqual(json.pullRequest, { url: 'https://x/pull/1', number: 1 });
    assert.equal(json.branch, 'gitops/promote-staging-to-prod-aaaaaaa');
  });

  it('text says why a file is left out', () => {
    const text = planText(buildPromotionPlan(input()));
    assert.match(text, /\[ \] ~ envs\/prod\/replicas\.yml \+1 -1 {2}\(left out: matches replicas\.yml\)/);
    assert.match(text, /\[x\] ~ envs\/prod\/app\.yaml/);
  });
});
