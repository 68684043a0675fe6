// The pull request body section by section, line for line: header sentence per kind and layout,
// the summary table, warnings, commits, files (left out and why), values, images, notes, and the
// diff blocks with their budgets. Reviewers read this text; promotionBody.test.ts holds its
// limits and masking, this file holds its words. Written for the mutation group
// core-promotion-files (prBody.ts had 237 survivors: no test read the sections exactly).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildPromotionPlan, type PlanInput } from '../../src/core/promotion/buildPlan';
import { renderPullRequestBody } from '../../src/core/promotion/prBody';
import type { ImageChange, PlannedFileChange, PromotionPlan, ValueChange } from '../../src/core/promotion/promotionTypes';
import { folderPromotionInput } from './helpers/promotionInput';

/** The shared small promotion, with a commit subject of two lines (the body flattens it). */
function input(overrides: Partial<PlanInput> = {}): PlanInput {
  const base = folderPromotionInput();
  return { ...base, commits: [{ ...base.commits[0], subject: 'bump\nweb' }], ...overrides };
}

/** The lines of the body before the diff and the footer. */
function sections(plan: PromotionPlan): string[] {
  const body = renderPullRequestBody(plan);
  const end = body.search(/\n\n### (Diff|Rendered objects)\n|\n\n---\nOpened by/);
  return body.slice(0, end).split('\n');
}

function section(plan: PromotionPlan, heading: string): string[] {
  const lines = sections(plan);
  const start = lines.indexOf(`### ${heading}`);
  if (start < 0) return [];
  const next = lines.findIndex((line, i) => i > start && line.startsWith('### '));
  return lines.slice(start, next < 0 ? undefined : next).filter((line) => line !== '');
}

const commitLink = (sha: string): string => `[\`${sha.slice(0, 7)}\`](https://github.com/acme/gitops/commit/${sha})`;

function file(path: string, action: PlannedFileChange['action'], selected: boolean, excludedBy: string | null = null): PlannedFileChange {
  return { path, sourcePath: action === 'delete' ? null : path, action, excluded: excludedBy !== null, excludedBy, selected, beforeBlob: null, afterBlob: null } as PlannedFileChange;
}

function value(path: string, cls: ValueChange['class'], selected: boolean, from: string | null, to: string | null): ValueChange {
  return { id: path, file: 'envs/prod/app.yaml', sourceFile: 'envs/staging/app.yaml', docIndex: 0, pointer: `/${path}`, path, line: 7, op: 'set', from, to, yaml: to, class: cls, reason: 'r', selected } as ValueChange;
}

function image(name: string, selected: boolean, from: string | null, to: string | null): ImageChange {
  return { id: name, file: 'envs/prod/deploy.yaml', sourceFile: 'envs/staging/deploy.yaml', pointer: '/spec', docIndex: 0, line: 12, kind: 'container', field: 'image', name, from, to, selected } as ImageChange;
}

describe('pull request body: header and summary table', () => {
  it('a folder promotion: sentence, table rows in order, links to the host', () => {
    const plan = buildPromotionPlan(input({ driftState: 'in sync' }));
    const lines = sections(plan);
    assert.deepEqual(lines.slice(0, 9), [
      'Promotes **staging** → **prod**: copies `envs/staging` into `envs/prod`, value by value (identity and the environment\'s own values stay).',
      '',
      '| | |',
      '|:--|:--|',
      '| Files | 1 file (0 added, 1 modified, 0 deleted) |',
      '| Commits | 1 |',
      `| Source | staging at ${commitLink('a'.repeat(40))} |`,
      `| Target | prod on \`release\` at ${commitLink('b'.repeat(40))} |`,
      '| Drift in prod | in sync |',
    ]);
  });

  it('says how the files were copied for each layout, and "not checked" without a drift state', () => {
    const base = buildPromotionPlan(input());
    const whole = { ...base, values: [] };
    assert.equal(sections(whole)[0], 'Promotes **staging** → **prod**: copies `envs/staging` into `envs/prod`.');
    const root = { ...whole, source: { ...whole.source, folder: '' }, target: { ...whole.target, folder: '' } };
    assert.equal(sections(root)[0], 'Promotes **staging** → **prod**: copies `/` into `/`.');
    const branch = { ...whole, layout: 'branch' as const };
    assert.equal(sections(branch)[0], 'Promotes **staging** → **prod**: merges branch `main` into `release`.');
    const images = { ...whole, layout: 'image' as const };
    assert.equal(sections(images)[0], 'Promotes **staging** → **prod**: updates image references in `envs/prod`.');
    assert.ok(sections(images).includes('| Images | 0 |'), 'the image layout always has an Images row');
    assert.ok(!sections(whole).some((line) => line.startsWith('| Images |')));
    assert.ok(sections(whole).includes('| Drift in prod | not checked |'));
  });

  it('a rollback names what it restores and counts commits undone', () => {
    const plan = { ...buildPromotionPlan(input()), kind: 'rollback' as const };
    const lines = sections(plan);
    assert.equal(lines[0], `Rolls **prod** back to ${commitLink('a'.repeat(40))} (folder \`envs/prod\`).`);
    assert.ok(lines.includes('| Commits | 1 undone |'));
    assert.ok(lines.includes(`| Restored state | staging at ${commitLink('a'.repeat(40))} |`));
    assert.deepEqual(section(plan, 'Commits undone')[0], '### Commits undone');
    const noFolder = { ...plan, target: { ...plan.target, folder: '' } };
    assert.equal(sections(noFolder)[0], `Rolls **prod** back to ${commitLink('a'.repeat(40))}.`);
  });

  it('counts files by action with the left-out ones, and shows the chain', () => {
    const plan = {
      ...buildPromotionPlan(input()),
      files: [file('a.yaml', 'add', true), file('b.yaml', 'add', true), file('c.yaml', 'delete', true), file('d.yaml', 'modify', false)],
      chain: [{ environment: 'dev', commit: 'd'.repeat(40) }],
    };
    const lines = sections(plan);
    assert.ok(lines.includes('| Files | 3 files (2 added, 0 modified, 1 deleted); 1 left out |'), lines.join('\n'));
    assert.ok(lines.includes('| Chain | dev `ddddddd` → staging `aaaaaaa` → prod |'));
  });

  it('keeps table cells in one row: pipes escaped, line breaks flattened', () => {
    const plan = { ...buildPromotionPlan(input()), driftState: 'a | b\nc' };
    assert.ok(sections(plan).includes('| Drift in prod | a \\| b c |'));
  });

  it('links commits without a link when the host has no commit URL', () => {
    const plan = { ...buildPromotionPlan(input()), host: { kind: 'unknown' as const, webUrl: null } };
    assert.ok(sections(plan).includes('| Source | staging at `aaaaaaa` |'));
  });
});

describe('pull request body: sections', () => {
  it('commits: one line each with subject flattened and author; the rest counted', () => {
    const plan = buildPromotionPlan(input({ commitTotal: 3 }));
    assert.deepEqual(section(plan, 'Commits'), ['### Commits', `- ${commitLink('c'.repeat(40))} bump web — Ann`, '- … and 2 more commits']);
    const two = buildPromotionPlan(input({ commitTotal: 2 }));
    assert.equal(section(two, 'Commits')[2], '- … and 1 more commit');
    assert.deepEqual(section({ ...plan, commits: [] }, 'Commits'), []);
  });

  it('files: the ticked ones in a table, the left-out ones with why', () => {
    const plan = {
      ...buildPromotionPlan(input()),
      files: [
        file('envs/prod/new.yaml', 'add', true),
        file('envs/prod/old.yaml', 'delete', true),
        file('envs/prod/replicas.yaml', 'modify', false, '**/replicas.yaml'),
        file('envs/prod/only-here.yaml', 'delete', false),
        file('envs/prod/skip.yaml', 'modify', false),
      ],
    };
    assert.deepEqual(section(plan, 'Files'), [
      '### Files',
      '| Change | File |',
      '|:--|:--|',
      '| added | `envs/prod/new.yaml` |',
      '| deleted | `envs/prod/old.yaml` |',
      'Left out (3):',
      '- `envs/prod/replicas.yaml` — pinned per environment by `**/replicas.yaml`',
      '- `envs/prod/only-here.yaml` — exists only in the target; not deleted',
      '- `envs/prod/skip.yaml` — unticked',
    ]);
    const noneTicked = { ...plan, files: [file('x.yaml', 'modify', false)] };
    assert.deepEqual(section(noneTicked, 'Files'), ['### Files', 'Left out (1):', '- `x.yaml` — unticked']);
    assert.deepEqual(section({ ...plan, files: [] }, 'Files'), []);
  });

  it('files: at most 200 listed, the rest counted', () => {
    const files = Array.from({ length: 203 }, (_, i) => file(`f${i}.yaml`, 'modify', true));
    const lines = section({ ...buildPromotionPlan(input()), files }, 'Files');
    assert.equal(lines.filter((line) => line.startsWith('| modified |')).length, 200);
    assert.equal(lines.at(-1), '| … | 3 more |');
    const exactly = section({ ...buildPromotionPlan(input()), files: files.slice(0, 200) }, 'Files');
    assert.ok(!exactly.some((line) => line.startsWith('| … |')));
  });

  it('values: promoted ones in a table with their class, kept ones counted by class', () => {
    const plan = {
      ...buildPromotionPlan(input()),
      values: [
        value('spec.replicas', 'flows', true, '2', '3'),
        value('data.new', 'flows', true, null, 'x|y'),
        value('data.gone', 'flows', true, 'z', null),
        value('metadata.namespace', 'identity', false, 'prod', 'staging'),
        value('data.url', 'own', false, 'a', 'b'),
        value('data.off', 'flows', false, 'c', 'd'),
        value('data.off2', 'flows', false, 'c', 'd'),
      ],
    };
    assert.deepEqual(section(plan, 'Values'), [
      '### Values',
      '| File | Value | From | To | Class |',
      '|:--|:--|:--|:--|:--|',
      '| `envs/prod/app.yaml`:7 | `spec.replicas` | `2` | `3` | flows |',
      '| `envs/prod/app.yaml`:7 | `data.new` | — | `x\\|y` | flows |',
      '| `envs/prod/app.yaml`:7 | `data.gone` | `z` | (removed) | flows |',
      "Kept as prod has them (4): 1 identity, 1 the environment's own, 2 unticked.",
    ]);
    const keptOnly = { ...plan, values: [value('metadata.namespace', 'identity', false, 'prod', 'staging')] };
    assert.deepEqual(section(keptOnly, 'Values'), ['### Values', "Kept as prod has them (1): 1 identity, 0 the environment's own, 0 unticked."]);
    assert.deepEqual(section({ ...plan, values: [] }, 'Values'), []);
  });

  it('values: at most 100 listed, the rest counted', () => {
    const values = Array.from({ length: 102 }, (_, i) => value(`data.k${i}`, 'flows', true, 'a', 'b'));
    const lines = section({ ...buildPromotionPlan(input()), values }, 'Values');
    assert.equal(lines.filter((line) => line.startsWith('| `envs')).length, 100);
    assert.equal(lines.at(-1), '| … | 2 more | | | |');
    assert.ok(!section({ ...buildPromotionPlan(input()), values: values.slice(0, 100) }, 'Values').some((line) => line.startsWith('| … |')));
  });

  it('images: only the ticked ones, with field, file:line, from and to', () => {
    const plan = {
      ...buildPromotionPlan(input()),
      images: [image('registry/web', true, '1.0', '1.1'), image('registry/new', true, null, '2.0'), image('registry/old', true, '3.0', null), image('registry/skip', false, '1', '2')],
    };
    assert.deepEqual(section(plan, 'Images'), [
      '### Images',
      '| Image | Field | File | From | To |',
      '|:--|:--|:--|:--|:--|',
      '| `registry/web` | image | `envs/prod/deploy.yaml`:12 | `1.0` | `1.1` |',
      '| `registry/new` | image | `envs/prod/deploy.yaml`:12 | — | `2.0` |',
      '| `registry/old` | image | `envs/prod/deploy.yaml`:12 | `3.0` | (removed) |',
    ]);
    assert.ok(sections(plan).includes('| Images | 3 |'));
    assert.deepEqual(section({ ...plan, images: [image('registry/skip', false, '1', '2')] }, 'Images'), []);
  });

  it('warnings: titled by code, the identity-change allowance said once, at most 30', () => {
    const plan = {
      ...buildPromotionPlan(input()),
      warnings: [
        { code: 'image-downgrade' as const, message: 'web 1.2 → 1.1' },
        { code: 'identity-change' as const, message: 'namespace\nchanges' },
        { code: 'invalid-objects' as const, message: 'bad' },
      ],
      allowIdentityChange: true,
    };
    assert.deepEqual(section(plan, 'Warnings'), [
      '### Warnings',
      '- **Image downgrade** (`image-downgrade`): web 1.2 → 1.1',
      '- **Identity change** (`identity-change`): namespace changes',
      '- **invalid-objects** (`invalid-objects`): bad',
      'The identity change was explicitly allowed.',
    ]);
    assert.ok(!section({ ...plan, allowIdentityChange: false }, 'Warnings').includes('The identity change was explicitly allowed.'));
    const noIdentity = { ...plan, warnings: [{ code: 'chart-downgrade' as const, message: 'm' }, { code: 'target-ahead' as const, message: 'n' }] };
    assert.deepEqual(section(noIdentity, 'Warnings'), ['### Warnings', '- **Chart downgrade** (`chart-downgrade`): m', '- **Target ahead** (`target-ahead`): n']);
    const many = { ...plan, warnings: Array.from({ length: 31 }, (_, i) => ({ code: 'target-ahead' as const, message: `w${i}` })) };
    assert.equal(section(many, 'Warnings').length, 31);
    assert.deepEqual(section({ ...plan, warnings: [] }, 'Warnings'), []);
  });

  it('notes: at most 20, each on one line', () => {
    const plan = { ...buildPromotionPlan(input()), notes: ['first\r\nline', ...Array.from({ length: 22 }, (_, i) => `n${i}`)] };
    const lines = section(plan, 'Notes');
    assert.equal(lines[0], '### Notes');
    assert.equal(lines[1], '- first line');
    assert.equal(lines.length, 21);
    assert.deepEqual(section({ ...plan, notes: [] }, 'Notes'), []);
  });

  it('puts a value with backticks in double backticks with spaces', () => {
    const plan = { ...buildPromotionPlan(input()), values: [value('data.cmd', 'flows', true, 'a`b', 'c')] };
    assert.ok(section(plan, 'Values').includes('| `envs/prod/app.yaml`:7 | `data.cmd` | `` a`b `` | `c` | flows |'));
  });
});

describe('pull request body: the diff blocks', () => {
  it('puts the file diff in a collapsed block with its summary', () => {
    const plan = buildPromotionPlan(input());
    const body = renderPullRequestBody(plan);
    assert.match(body, /\n\n### Diff\n\n<details><summary>Changes to prod's files \(1 file, \+1 −1\)<\/summary>\n\n````diff\n/);
    assert.match(body, /````\n\n<\/details>\n\n---\nOpened by GitOps Environments\.\n\n/);
  });

  it('says the diff is in the file view when no room is left for it', () => {
    const plan = buildPromotionPlan(input());
    const body = renderPullRequestBody(plan, sections(plan).join('\n').length + 900);
    assert.match(body, /### Diff\n\nToo long for this description; see the pull request's file view\./);
  });
});
