// The plan as `gitops-env promote` prints it: the JSON shape scripts read (every field, exactly)
// and the terminal summary a person reads before running without --dry-run. Written for the
// mutation group core-promotion-files (planOutput.ts: 104 mutants no test held).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildPromotionPlan, type PlanInput } from '../../src/core/promotion/buildPlan';
import { planJson, planText } from '../../src/core/promotion/planOutput';
import type { ImageChange, PlannedFileChange, PromotionPlan, ValueChange } from '../../src/core/promotion/promotionTypes';
import { folderPromotionInput } from './helpers/promotionInput';

function plan(overrides: Partial<PlanInput> = {}): PromotionPlan {
  return buildPromotionPlan(folderPromotionInput(overrides));
}

const value = (id: string, op: ValueChange['op'], selected: boolean, from: string | null, to: string | null): ValueChange =>
  ({ id, file: 'envs/prod/app.yaml', sourceFile: 'envs/staging/app.yaml', docIndex: 0, pointer: `/${id}`, path: id, line: 4, op, from, to, yaml: to, class: 'flows', reason: 'differs', selected }) as ValueChange;
const image = (name: string, selected: boolean, from: string | null, to: string | null): ImageChange =>
  ({ id: name, file: 'envs/prod/d.yaml', sourceFile: 'envs/staging/d.yaml', pointer: '/x', docIndex: 0, line: 9, kind: 'container', field: 'image', name, from, to, selected }) as ImageChange;
const file = (path: string, action: PlannedFileChange['action'], selected: boolean, excludedBy: string | null, extra: Partial<PlannedFileChange> = {}): PlannedFileChange =>
  ({ path, sourcePath: path, action, excluded: excludedBy !== null, excludedBy, selected, beforeBlob: null, afterBlob: null, insertions: 2, deletions: 1, binary: false, ...extra }) as PlannedFileChange;

describe('planJson', () => {
  it('carries every field scripts read, with the outcome of opening the pull request', () => {
    const base = plan();
    const full: PromotionPlan = {
      ...base,
      values: [value('data.k', 'set', true, 'a', 'b')],
      images: [image('web', true, '1', '2')],
      warnings: [{ code: 'identity-change', message: 'namespace changes' }],
      allowIdentityChange: false,
      rollbackTo: null,
      rendered: { ...(base.rendered ?? { text: '', renderer: 'kustomize', added: [], removed: [], changed: [], problems: [] }), renderer: 'kustomize', added: ['ConfigMap a'], removed: ['Secret b'], changed: ['Deployment web'], problems: ['p'] },
    } as PromotionPlan;
    const json = planJson(full, { pullRequest: { url: 'https://x/pr/1', number: 1 }, compareUrl: 'https://x/compare' });
    assert.deepEqual(json, {
      kind: 'promotion',
      from: 'staging',
      to: 'prod',
      layout: 'folder',
      alreadyInSync: full.alreadyInSync,
      syncReason: full.syncReason,
      changes: full.files.map((f) => ({ path: f.path, action: f.action, selected: f.selected, excluded: f.excluded })),
      commits: [{ sha: 'c'.repeat(40), shortSha: 'ccccccc', subject: 'bump web', author: 'Ann', date: '2024-01-01T00:00:00Z' }],
      images: [{ file: 'envs/prod/d.yaml', line: 9, name: 'web', field: 'image', from: '1', to: '2', selected: true }],
      values: [{ id: 'data.k', file: 'envs/prod/app.yaml', line: 4, path: 'data.k', op: 'set', from: 'a', to: 'b', class: 'flows', reason: 'differs', selected: true }],
      warnings: [{ code: 'identity-change', message: 'namespace changes' }],
      allowIdentityChange: false,
      blocked: true,
      branch: full.headBranch,
      base: 'release',
      title: full.title,
      pullRequest: { url: 'https://x/pr/1', number: 1 },
      compareUrl: 'https://x/compare',
      rollbackTo: null,
      rendered: { renderer: 'kustomize', added: ['ConfigMap a'], removed: ['Secret b'], changed: ['Deployment web'], problems: ['p'] },
    });
    assert.equal(json.changes.length, 1);
    assert.equal(json.changes[0].path, 'envs/prod/f0.yaml');
  });

  it('has null outcome fields, no block without an identity change, and null rendered when not rendered', () => {
    const json = planJson({ ...plan(), rendered: null });
    assert.equal(json.pullRequest, null);
    assert.equal(json.compareUrl, null);
    assert.equal(json.blocked, false);
    assert.equal(json.rendered, null);
    assert.equal(planJson({ ...plan(), warnings: [{ code: 'identity-change', message: 'm' }], allowIdentityChange: true }).blocked, false);
  });
});

describe('planText', () => {
  it('a folder promotion: title, where from and to, commits, files, values, images, notes, warnings, branch', () => {
    const base = plan();
    const text = planText({
      ...base,
      files: [file('envs/prod/a.yaml', 'modify', true, null), file('envs/prod/r.yaml', 'modify', false, '**/r.yaml'), file('envs/prod/x.yaml', 'delete', false, null), file('envs/prod/u.yaml', 'add', false, null), file('envs/prod/b.png', 'add', true, null, { binary: true })],
      images: [image('web', true, '1', '2'), image('new', false, null, '3'), image('old', true, '4', null)],
      values: [value('data.k', 'set', true, 'a', 'b'), value('data.n', 'add', false, null, 'c'), value('data.r', 'remove', true, 'd', null)],
      notes: ['a note'],
      warnings: [{ code: 'target-ahead', message: 'prod moved on' }],
    } as PromotionPlan);
    assert.equal(
      text,
      [
        base.title,
        '  folder layout: staging (origin/main aaaaaaa, envs/staging) → prod (release bbbbbbb, envs/prod)',
        '',
        'Commits (1):',
        '  ccccccc bump web',
        '',
        'Files (2 of 5 selected):',
        '  [x] ~ envs/prod/a.yaml +2 -1',
        '  [ ] ~ envs/prod/r.yaml +2 -1  (left out: matches **/r.yaml)',
        '  [ ] - envs/prod/x.yaml +2 -1  (left out: only in the target; not deleted unless ticked)',
        '  [ ] + envs/prod/u.yaml +2 -1  (left out)',
        '  [x] + envs/prod/b.png (binary)',
        '',
        'Images:',
        '  [x] envs/prod/d.yaml:9 web image: 1 → 2',
        '  [ ] envs/prod/d.yaml:9 new image: (none) → 3',
        '  [x] envs/prod/d.yaml:9 old image: 4 → (removed)',
        '',
        'Values (2 of 3 promoted):',
        '  [x] envs/prod/app.yaml:4 data.k: a → b  (flows: differs)',
        '  [ ] envs/prod/app.yaml:4 data.n: (new) → c  (flows: differs)',
        '  [x] envs/prod/app.yaml:4 data.r: d → (removed)  (flows: differs)',
        'note: a note',
        'warning (target-ahead): prod moved on',
        '',
        `Branch: ${base.headBranch} → release`,
        '',
      ].join('\n'),
    );
  });

  it('says when nothing differs and stops there', () => {
    const base = plan();
    const text = planText({ ...base, alreadyInSync: true, syncReason: 'same tree' });
    assert.equal(text, `${base.title}\n  folder layout: staging (origin/main aaaaaaa, envs/staging) → prod (release bbbbbbb, envs/prod)\nAlready in sync: same tree.\n`);
    assert.match(planText({ ...base, alreadyInSync: true, syncReason: null }), /Already in sync: nothing differs\.\n$/);
  });

  it('a rollback: what it restores, commits undone; folders left out when at the root', () => {
    const base = plan();
    const rollback = { ...base, kind: 'rollback' as const, commitTotal: 25, commits: Array.from({ length: 25 }, (_, i) => ({ ...base.commits[0], shortSha: `s${i}` })) };
    const lines = planText(rollback).split('\n');
    assert.equal(lines[1], '  restores prod (envs/prod) on release to aaaaaaa');
    assert.equal(lines[3], 'Commits (25 undone):');
    assert.equal(lines.filter((line) => /^ {2}s\d+ bump web$/.test(line)).length, 20);
    assert.ok(lines.includes('  … 5 more'));
    const atRoot = { ...rollback, target: { ...rollback.target, folder: '' } };
    assert.equal(planText(atRoot).split('\n')[1], '  restores prod on release to aaaaaaa');
    const promotionAtRoot = { ...base, source: { ...base.source, folder: '' }, target: { ...base.target, folder: '' } };
    assert.equal(planText(promotionAtRoot).split('\n')[1], '  folder layout: staging (origin/main aaaaaaa) → prod (release bbbbbbb)');
  });

  it('lists at most 200 values, rendered objects with their marks, and the identity block', () => {
    const base = plan();
    const values = Array.from({ length: 203 }, (_, i) => value(`data.k${i}`, 'set', true, 'a', 'b'));
    const text = planText({
      ...base,
      values,
      rendered: { text: '', renderer: 'helm', added: ['ConfigMap a'], removed: ['Secret b'], changed: ['Deployment web'], problems: ['chart missing'] },
      warnings: [{ code: 'identity-change', message: 'namespace' }],
      allowIdentityChange: false,
    } as PromotionPlan);
    const lines = text.split('\n');
    assert.equal(lines.filter((line) => line.includes(' data.k')).length, 200);
    assert.ok(lines.includes('  … 3 more'));
    const rendered = lines.indexOf('Rendered prod (helm): 1 changed, 1 added, 1 removed');
    assert.ok(rendered > 0);
    assert.deepEqual(lines.slice(rendered + 1, rendered + 5), ['  ~ Deployment web', '  + ConfigMap a', '  - Secret b', '  problem: chart missing']);
    assert.ok(lines.includes("blocked: this plan changes prod's identity; run again with --allow-identity-change if that is intended"));
    assert.ok(!planText({ ...base, commitTotal: 0, commits: [], files: [] }).includes('Commits'));
    assert.ok(!planText({ ...base, files: [] }).includes('Files ('));
  });
});
