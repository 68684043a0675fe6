// The pull request body: under 60,000 characters whatever the diff, metadata readable back,
// secrets masked, the chain and drift state shown.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildPromotionPlan, withRenderedDiff, type PlanInput } from '../../src/core/promotion/buildPlan';
import { planFolderChanges } from '../../src/core/promotion/fileChanges';
import { formatMetadataBlock, parseMetadataBlock } from '../../src/core/promotion/promotionMetadata';
import { DEFAULT_MAX_BODY_CHARS, renderPullRequestBody } from '../../src/core/promotion/prBody';
import { diffRenderedObjects } from '../../src/core/promotion/renderedDiff';

function bigInput(files: number, linesPerFile: number): PlanInput {
  const sourceFiles = Array.from({ length: files }, (_, i) => ({ path: `envs/staging/f${i}.yaml`, blob: `s${i}`, mode: '100644' }));
  const targetFiles = Array.from({ length: files }, (_, i) => ({ path: `envs/prod/f${i}.yaml`, blob: `t${i}`, mode: '100644' }));
  const blobs = new Map<string, string>();
  for (let i = 0; i < files; i++) {
    blobs.set(`s${i}`, Array.from({ length: linesPerFile }, (_, l) => `key${l}: next-${i}-${l}`).join('\n') + '\n');
    blobs.set(`t${i}`, Array.from({ length: linesPerFile }, (_, l) => `key${l}: current-${i}-${l}`).join('\n') + '\n');
  }
  return {
    kind: 'promotion',
    layout: 'folder',
    source: { environment: 'staging', ref: 'origin/main', commit: 'a'.repeat(40), shortCommit: 'aaaaaaa', branch: 'main', folder: 'envs/staging', tree: 't1', remote: 'origin' },
    target: { environment: 'prod', ref: 'origin/main', commit: 'b'.repeat(40), shortCommit: 'bbbbbbb', branch: 'main', folder: 'envs/prod', tree: 't2', remote: 'origin' },
    commits: Array.from({ length: 80 }, (_, i) => ({ sha: `${i}`.padStart(40, 'c'), shortSha: `${i}`.padStart(7, 'c'), subject: `change ${i}`, authorName: 'Ann', authorEmail: 'a@x', date: '2024-01-01T00:00:00Z' })),
    commitTotal: 120,
    files: planFolderChanges({ sourceFiles, targetFiles, sourceFolder: 'envs/staging', targetFolder: 'envs/prod', exclude: [], selectDeletions: false }),
    blobs,
    host: { kind: 'gitlab', webUrl: 'https://gitlab.example/acme/gitops' },
    driftState: '2 resources differ from Git (Deployment web, ConfigMap settings)',
    chain: [{ environment: 'dev', commit: 'd'.repeat(40) }],
  };
}

describe('pull request body', () => {
  it('stays under 60,000 characters with a huge diff and says the diff was trimmed', () => {
    const plan = buildPromotionPlan(bigInput(300, 50));
    assert.ok(plan.diff.text.length > 200_000, 'the plan itself keeps the long diff');
    assert.ok(plan.body.length <= DEFAULT_MAX_BODY_CHARS, `body is ${plan.body.length} characters`);
    assert.match(plan.body, /diff trimmed: \d+ more lines/);
    assert.ok(parseMetadataBlock(plan.body), 'the metadata block survives trimming');
  });

  it('honours a smaller limit (Azure DevOps, tests)', () => {
    const plan = buildPromotionPlan({ ...bigInput(20, 20), maxBodyChars: 8000 });
    assert.ok(plan.body.length <= 8000, `body is ${plan.body.length}`);
  });

  it('summary table, commit links (host style), the rest counted, drift state and chain', () => {
    const plan = buildPromotionPlan(bigInput(2, 2));
    assert.match(plan.body, /\| Files \| 2 files \(0 added, 2 modified, 0 deleted\) \|/);
    assert.match(plan.body, /\| Commits \| 120 \|/);
    assert.match(plan.body, /\[`cccccc0`\]\(https:\/\/gitlab\.example\/acme\/gitops\/-\/commit\/c{39}0\) change 0 — Ann/);
    assert.match(plan.body, /- … and 70 more commits/);
    assert.match(plan.body, /\| Drift in prod \| 2 resources differ from Git \(Deployment web, ConfigMap settings\) \|/);
    assert.match(plan.body, /\| Chain \| dev `ddddddd` → staging `aaaaaaa` → prod \|/);
    assert.match(plan.body, /````diff\n--- a\/envs\/prod\/f0\.yaml/);
  });

  it('masks credentials that reach it through commit subjects or files', () => {
    const input = bigInput(1, 1);
    input.commits = [{ ...input.commits[0], subject: 'use https://bot:ghp_abcdefghijklmnopqrstuvwxyz0123@github.com/x for mirror' }];
    input.blobs = new Map([
      ['s0', 'url: https://user:s3cr3tpass@registry.example/x\n'],
      ['t0', 'url: https://registry.example/x\n'],
    ]);
    const plan = buildPromotionPlan(input);
    assert.ok(!plan.body.includes('ghp_abcdefghijklmnopqrstuvwxyz0123'));
    assert.ok(!plan.body.includes('s3cr3tpass'));
  });

  it('a table cell cannot be broken by a pipe in a commit subject or file name', () => {
    const input = bigInput(1, 1);
    input.driftState = 'a | b';
    const plan = buildPromotionPlan(input);
    assert.match(plan.body, /\| Drift in prod \| a \\\| b \|/);
  });

  it('rendering twice gives the same text (the preview and the executor agree)', () => {
    const plan = buildPromotionPlan(bigInput(3, 3));
    assert.equal(renderPullRequestBody(plan), plan.body);
  });
});

describe('metadata block', () => {
  it('round-trips and cannot be closed early by a value', () => {
    const metadata = { v: 1 as const, kind: 'promotion' as const, from: 'st-->aging', to: 'prod', layout: 'folder' as const, sourceCommit: 'a'.repeat(40), targetCommit: 'b'.repeat(40), headBranch: 'gitops/x', chain: [{ environment: 'dev', commit: 'c'.repeat(40) }], rollbackTo: null };
    const block = formatMetadataBlock(metadata);
    assert.equal(block.indexOf('-->'), block.length - 3);
    assert.deepEqual(parseMetadataBlock(`some text\n\n${block}\n`), metadata);
  });

  it('ignores bodies without it, with broken JSON or with missing fields', () => {
    assert.equal(parseMetadataBlock('just a PR'), null);
    assert.equal(parseMetadataBlock('<!-- gitops-environments: {nope -->'), null);
    assert.equal(parseMetadataBlock('<!-- gitops-environments: {"v":1,"kind":"promotion"} -->'), null);
    assert.equal(parseMetadataBlock('<!-- gitops-environments: {"v":2} -->'), null);
  });
});

describe('rendered before → after', () => {
  const id = (kind: string, name: string, namespace: string | null = 'shop') => ({ group: kind === 'Deployment' ? 'apps' : '', version: 'v1', kind, namespace, name });
  it('lists added, removed and changed objects and diffs their YAML; Secret values are never shown', () => {
    const before = [
      { id: id('Deployment', 'web'), object: { kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2, image: 'web:1' } } },
      { id: id('ConfigMap', 'old'), object: { kind: 'ConfigMap', metadata: { name: 'old' }, data: { a: '1' } } },
      { id: id('Secret', 'db'), object: { kind: 'Secret', metadata: { name: 'db' }, stringData: { password: 'hunter2' } } },
      { id: id('Service', 'web'), object: { kind: 'Service', metadata: { name: 'web' } } },
    ];
    const after = [
      { id: id('Deployment', 'web'), object: { kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2, image: 'web:2' } } },
      { id: id('ConfigMap', 'new'), object: { kind: 'ConfigMap', metadata: { name: 'new' }, data: { b: '2' } } },
      { id: id('Secret', 'db'), object: { kind: 'Secret', metadata: { name: 'db' }, stringData: { password: 'correct-horse' } } },
      { id: id('Service', 'web'), object: { kind: 'Service', metadata: { name: 'web' } } },
    ];
    const diff = diffRenderedObjects(before, after, 'kustomize');
    assert.deepEqual(diff.changed, ['Deployment shop/web', 'Secret shop/db']);
    assert.deepEqual(diff.added, ['ConfigMap shop/new']);
    assert.deepEqual(diff.removed, ['ConfigMap shop/old']);
    assert.equal(diff.unchanged, 1);
    assert.match(diff.text, /- {2}image: web:1\n\+ {2}image: web:2/);
    assert.match(diff.text, /Secret values changed; not shown/);
    assert.ok(!diff.text.includes('hunter2') && !diff.text.includes('correct-horse'));
  });

  it('the body gains a rendered row and block, and still fits the limit', () => {
    const plan = buildPromotionPlan(bigInput(300, 40));
    const rendered = diffRenderedObjects([], Array.from({ length: 500 }, (_, i) => ({ id: id('ConfigMap', `c${i}`), object: { kind: 'ConfigMap', metadata: { name: `c${i}` }, data: { value: 'x'.repeat(200) } } })), 'plain');
    const next = withRenderedDiff(plan, rendered);
    assert.match(next.body, /\| Rendered objects \(plain\) \| 0 changed, 500 added, 0 removed \|/);
    assert.match(next.body, /### Rendered objects/);
    assert.match(next.body, /### Diff/);
    assert.ok(next.body.length <= DEFAULT_MAX_BODY_CHARS, `${next.body.length}`);
    assert.equal(plan.rendered, null, 'the original plan is untouched');
  });
});
