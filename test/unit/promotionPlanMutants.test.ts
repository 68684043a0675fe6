// Rules of plan assembly that the mutation run (npm run mutate -- promotion-plan) found unheld in
// buildPlan.ts and fieldPlan.ts: which promotions go value by value, the sentence that says a
// plan has nothing to do (per kind and layout), what a plan carries by default (notes, labels,
// reviewers, protection, identity allowance, merged values of branch merges only), image files
// edited one by one and re-edited after ticking, value ids, which values show the target ahead,
// the size limit and parse cache of value-by-value files, and which YAML files qualify.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_EDITED_MANIFEST_BYTES } from '../../src/core/manifest';
import { buildPromotionPlan, reselectPlan, withPullRequestText, type ImageFileInput, type PlanInput } from '../../src/core/promotion/buildPlan';
import { applyValueChanges, fieldContext, isYamlPath, planFieldFile, type FieldContext } from '../../src/core/promotion/fieldPlan';
import type { FileChangeDraft } from '../../src/core/promotion/fileChanges';
import type { PlanSide, PromotionPlan, ValueChange } from '../../src/core/promotion/promotionTypes';
import { parseYamlFile } from '../../src/core/promotion/valueDiff';

const SOURCE_SHA = 'a'.repeat(40);
const TARGET_SHA = 'b'.repeat(40);

function side(environment: string, tree: string | null = `tree-${environment}`, commit = environment === 'prod' ? TARGET_SHA : SOURCE_SHA): PlanSide {
  return { environment, ref: 'origin/main', commit, shortCommit: commit.slice(0, 7), branch: 'main', folder: `envs/${environment}`, tree, remote: 'origin' };
}

/** Drafts and blobs for files given as `relative path → [staging text, prod text]` (both present: modify). */
function modifyDrafts(files: Record<string, [string, string]>): { files: FileChangeDraft[]; blobs: Map<string, string> } {
  const blobs = new Map<string, string>();
  const drafts = Object.entries(files).map(([rel, [source, target]], i): FileChangeDraft => {
    blobs.set(`s${i}`, source);
    blobs.set(`t${i}`, target);
    return { path: `envs/prod/${rel}`, sourcePath: `envs/staging/${rel}`, action: 'modify', excluded: false, excludedBy: null, selected: true, beforeBlob: `t${i}`, afterBlob: `s${i}`, mode: '100644' };
  });
  return { files: drafts, blobs };
}

function planInput(files: Record<string, [string, string]>, extra: Partial<PlanInput> = {}): PlanInput {
  return {
    kind: 'promotion',
    layout: 'folder',
    source: side('staging'),
    target: side('prod'),
    commits: [],
    commitTotal: 0,
    ...modifyDrafts(files),
    host: { kind: 'github', webUrl: null },
    ...extra,
  };
}

function contextFor(history: FieldContext['history'] = null): FieldContext {
  return fieldContext(side('staging'), side('prod'), [], history);
}

const deployment = (name: string, namespace: string, image: string): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ${image}\n`;

/** One staging → prod deployment pair: the namespace is prod's own, the image flows. */
const WEB: Record<string, [string, string]> = { 'web.yaml': [deployment('web', 'shop-staging', 'web:2.0'), deployment('web', 'shop-prod', 'web:1.0')] };

describe('which folder promotions go value by value', () => {
  const wholeFile = (plan: PromotionPlan): void => {
    assert.deepEqual(plan.values, []);
    assert.deepEqual(plan.valueTargets, []);
    assert.equal(plan.files[0].fieldLevel, undefined);
    // The whole staging file is copied: prod's namespace goes with it.
    assert.match(plan.files[0].diff, /^- {2}namespace: shop-prod$/m);
  };

  it('a folder promotion (by default or when asked) writes only the flowing values: prod keeps its namespace', () => {
    for (const fieldLevel of [undefined, true]) {
      const plan = buildPromotionPlan(planInput(WEB, { fieldLevel }));
      assert.deepEqual(
        plan.values.map((v) => [v.path, v.class, v.selected]),
        [
          ['metadata.namespace', 'identity', false],
          ['spec.template.spec.containers[name=app].image', 'flows', true],
        ],
        `fieldLevel ${String(fieldLevel)}`,
      );
      assert.equal(plan.files[0].fieldLevel, true);
      assert.deepEqual(plan.valueTargets, [{ path: 'envs/prod/web.yaml', text: WEB['web.yaml'][1] }]);
      assert.doesNotMatch(plan.files[0].diff, /namespace/);
      assert.match(plan.files[0].diff, /^- {10}image: web:1\.0\n\+ {10}image: web:2\.0$/m);
    }
  });

  it('fieldLevel: false, a rollback and a branch merge copy whole files', () => {
    wholeFile(buildPromotionPlan(planInput(WEB, { fieldLevel: false })));
    wholeFile(buildPromotionPlan(planInput(WEB, { kind: 'rollback', source: side('prod', 'tree-old', 'd'.repeat(40)) })));
    wholeFile(buildPromotionPlan(planInput(WEB, { layout: 'branch' })));
  });
});

describe('the sentence that says a plan has nothing to do', () => {
  const TREE = '0123456789abcdef0123456789abcdef01234567';

  it('a rollback with no file to restore says the target already matches; one with files is not in sync, even on one tree', () => {
    const rollbackSide = side('prod', TREE, 'd'.repeat(40));
    const none = buildPromotionPlan(planInput({}, { kind: 'rollback', source: rollbackSide, target: side('prod', TREE) }));
    assert.equal(none.syncReason, 'prod already matches ddddddd; there is nothing to roll back');
    assert.equal(none.alreadyInSync, true);
    const some = buildPromotionPlan(planInput(WEB, { kind: 'rollback', source: rollbackSide, target: side('prod', TREE) }));
    assert.equal(some.syncReason, null);
    assert.equal(some.alreadyInSync, false);
  });

  it('folders with the same tree name the tree by its short id', () => {
    const plan = buildPromotionPlan(planInput({}, { source: side('staging', TREE), target: side('prod', TREE) }));
    assert.equal(plan.syncReason, 'staging and prod already hold the same files (tree 0123456); there is nothing to promote');
    // A folder that exists on neither side is not "the same tree".
    const absent = buildPromotionPlan(planInput({}, { source: side('staging', null), target: side('prod', null) }));
    assert.equal(absent.syncReason, 'staging and prod hold the same values; there is nothing to promote');
  });

  it('a folder promotion whose files differ only in layout holds the same values', () => {
    const plan = buildPromotionPlan(planInput({ 'cfg.yaml': ['a: 1   # staging\n', 'a: 1\n'] }));
    assert.deepEqual(plan.files, []);
    assert.equal(plan.syncReason, 'staging and prod hold the same values; there is nothing to promote');
    assert.deepEqual(plan.notes, ['1 YAML file(s) differ only in comments or layout, not in values; they are left as they are']);
  });

  it('a branch merge is in sync only without files and without commits, whatever the trees', () => {
    const sameTree = { source: side('staging', TREE), target: side('prod', TREE) };
    const synced = buildPromotionPlan(planInput({}, { layout: 'branch', ...sameTree }));
    assert.equal(synced.syncReason, 'prod already contains every commit of staging; there is nothing to promote');
    const commitsOnly = buildPromotionPlan(planInput({}, { layout: 'branch', commitTotal: 2, ...sameTree }));
    assert.equal(commitsOnly.syncReason, null);
    const filesOnly = buildPromotionPlan(planInput(WEB, { layout: 'branch' }));
    assert.equal(filesOnly.syncReason, null);
    assert.equal(filesOnly.alreadyInSync, false);
  });

  it('an image promotion without image changes says the target uses the same images; with changes it is not in sync', () => {
    const same = buildPromotionPlan(planInput({}, { layout: 'image', imageFiles: [imageFile('web.yaml', 'web:1.0', 'web:1.0')] }));
    assert.equal(same.syncReason, 'prod already uses the same images as staging; there is nothing to promote');
    assert.equal(same.alreadyInSync, true);
    const changed = buildPromotionPlan(planInput({}, { layout: 'image', imageFiles: [imageFile('web.yaml', 'web:2.0', 'web:1.0')] }));
    assert.equal(changed.syncReason, null);
    assert.equal(changed.alreadyInSync, false);
  });
});

/** One image-layout pair: a Deployment `web` whose container image is `sourceImage` in staging and `targetImage` in prod. */
function imageFile(rel: string, sourceImage: string, targetImage: string, blob = `blob-${rel}`, mode = '100644'): ImageFileInput {
  return {
    sourcePath: `envs/staging/${rel}`,
    targetPath: `envs/prod/${rel}`,
    sourceText: deployment('web', 'shop-staging', sourceImage),
    targetText: deployment('web', 'shop-prod', targetImage),
    targetBlob: blob,
    targetMode: mode,
  };
}

describe('what a plan carries by default and what it is given', () => {
  it('without notes, labels, reviewers or ticks: none are invented, nothing is protected, no identity change is allowed', () => {
    const plan = buildPromotionPlan(planInput({}, { fieldLevel: false }));
    assert.deepEqual(plan.notes, []);
    assert.deepEqual(plan.labels, []);
    assert.deepEqual(plan.reviewers, []);
    assert.deepEqual(plan.checks, { aheadValues: [], targetOnlyCommits: 0, mergedValues: [] });
    assert.equal(plan.allowIdentityChange, false);
    assert.equal(plan.targetProtected, false);
  });

  it('given notes, labels, reviewers, protection and the identity allowance, it carries them as given', () => {
    const plan = buildPromotionPlan(planInput({}, { notes: ['renamed a.yaml → b.yaml'], labels: ['promotion'], reviewers: ['alice', 'bob'], targetProtected: true, selection: { allowIdentityChange: true }, targetOnlyCommits: 3 }));
    assert.deepEqual(plan.notes, ['renamed a.yaml → b.yaml']);
    assert.deepEqual(plan.labels, ['promotion']);
    assert.deepEqual(plan.reviewers, ['alice', 'bob']);
    assert.equal(plan.targetProtected, true);
    assert.equal(plan.allowIdentityChange, true);
    assert.equal(plan.checks.targetOnlyCommits, 3);
    // Only a literal true protects.
    assert.equal(buildPromotionPlan(planInput({}, { targetProtected: false })).targetProtected, false);
  });

  it('a rollback adds the rollback label once: alone, after other labels, never twice', () => {
    const rollback = { kind: 'rollback' as const, source: side('prod', 'tree-old', 'd'.repeat(40)) };
    assert.deepEqual(buildPromotionPlan(planInput({}, rollback)).labels, ['rollback']);
    assert.deepEqual(buildPromotionPlan(planInput({}, { ...rollback, labels: ['ops'] })).labels, ['ops', 'rollback']);
    assert.deepEqual(buildPromotionPlan(planInput({}, { ...rollback, labels: ['rollback', 'ops'] })).labels, ['rollback', 'ops']);
  });

  it('the body stays within maxBodyChars when the diff is long', () => {
    const long = (n: number, v: string): string => Array.from({ length: n }, (_, i) => `key${i}: ${v}${i}`).join('\n') + '\n';
    const input = planInput({ 'big.txt': [long(400, 'new'), long(400, 'old')] });
    const roomy = buildPromotionPlan(input);
    assert.match(roomy.body, /^\+key399: new399$/m, 'the default room holds the whole diff');
    const tight = buildPromotionPlan({ ...input, maxBodyChars: 5_000 });
    assert.ok(tight.body.length <= 5_000, `${tight.body.length}`);
    assert.doesNotMatch(tight.body, /^\+key399: new399$/m);
  });
});

describe('branch merges: the image and chart values the merge brings are checked', () => {
  const app = (image: string): string => deployment('web', 'shop', image);
  /** The merge base had web:2.0; the source went back to web:1.5; the target is at web:1.0. */
  function branchInput(extra: Partial<PlanInput> = {}): PlanInput {
    return {
      ...planInput({ 'k8s/web.yaml': [app('web:1.5'), app('web:1.0')] }),
      layout: 'branch',
      source: { ...side('staging'), folder: 'k8s', branch: 'staging' },
      target: { ...side('prod'), folder: 'k8s', branch: 'prod' },
      files: [{ path: 'k8s/web.yaml', sourcePath: 'k8s/web.yaml', action: 'modify', excluded: false, excludedBy: null, selected: true, beforeBlob: 't0', afterBlob: 's0', mode: '100644' }],
      commitTotal: 1,
      mergeBaseTexts: new Map([['k8s/web.yaml', app('web:2.0')]]),
      ...extra,
    };
  }

  it('a promotion by merge records the merged image and warns that it goes back', () => {
    const plan = buildPromotionPlan(branchInput());
    assert.deepEqual(
      plan.checks.mergedValues.map((v) => [v.file, v.path, v.from, v.to, v.reason]),
      [['k8s/web.yaml', 'spec.template.spec.containers[name=app].image', 'web:2.0', 'web:1.5', 'image']],
    );
    assert.deepEqual(plan.warnings.map((w) => w.code), ['image-downgrade']);
  });

  it('a rollback on branches, and folder promotions given merge-base texts, record no merged values', () => {
    for (const extra of [{ kind: 'rollback' as const }, { layout: 'folder' as const }, { layout: 'folder' as const, fieldLevel: false }]) {
      const plan = buildPromotionPlan(branchInput(extra));
      assert.deepEqual(plan.checks.mergedValues, [], JSON.stringify(extra));
    }
  });
});

describe('image promotions: each target file edited with its own images', () => {
  const pairs = (): ImageFileInput[] => [
    imageFile('web.yaml', 'web:2.0', 'web:1.0', 'blob-web', '100644'),
    imageFile('same.yaml', 'web:1.0', 'web:1.0', 'blob-same', '100644'),
    { ...imageFile('api.yaml', 'api:7.0', 'api:6.0', 'blob-api', '100755'), sourcePath: 'envs/staging/legacy/api.yaml' },
  ];

  it('one modify per file with image changes, its diff from its own images only; files without changes are left out', () => {
    const plan = buildPromotionPlan(planInput({}, { layout: 'image', imageFiles: pairs() }));
    assert.deepEqual(
      plan.files.map((f) => [f.path, f.sourcePath, f.action, f.excluded, f.selected, f.beforeBlob, f.mode, f.insertions, f.deletions]),
      [
        ['envs/prod/web.yaml', 'envs/staging/web.yaml', 'modify', false, true, 'blob-web', '100644', 1, 1],
        ['envs/prod/api.yaml', 'envs/staging/legacy/api.yaml', 'modify', false, true, 'blob-api', '100755', 1, 1],
      ],
    );
    assert.match(plan.files[0].diff, /^- {10}image: web:1\.0\n\+ {10}image: web:2\.0$/m);
    assert.doesNotMatch(plan.files[0].diff, /api/);
    assert.match(plan.files[1].diff, /^- {10}image: api:6\.0\n\+ {10}image: api:7\.0$/m);
    assert.doesNotMatch(plan.files[1].diff, /web:/);
    assert.deepEqual(
      plan.imageTargets.map((t) => t.path),
      ['envs/prod/web.yaml', 'envs/prod/api.yaml'],
    );
    assert.equal(plan.imageTargets[1].text, pairs()[2].targetText);
  });

  it('re-ticking keeps each file`s blob, mode and source path, and redoes the edits of that file only', () => {
    const plan = buildPromotionPlan(planInput({}, { layout: 'image', imageFiles: pairs() }));
    const webImage = plan.images.find((i) => i.file === 'envs/prod/web.yaml');
    assert.ok(webImage);
    const next = reselectPlan(plan, { images: { [webImage.id]: false } });
    assert.deepEqual(
      next.files.map((f) => [f.path, f.sourcePath, f.selected, f.beforeBlob, f.mode, f.insertions]),
      [
        ['envs/prod/web.yaml', 'envs/staging/web.yaml', false, 'blob-web', '100644', 0],
        ['envs/prod/api.yaml', 'envs/staging/legacy/api.yaml', true, 'blob-api', '100755', 1],
      ],
    );
    assert.deepEqual(next.diff.files, 1);
    assert.match(next.diff.text, /\+ {10}image: api:7\.0/);
    assert.doesNotMatch(next.diff.text, /web:2\.0/);
  });

  it('a file stays ticked while any of its images is ticked', () => {
    const source = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: a\n      image: a:2\n    - name: b\n      image: b:2\n';
    const target = source.replace('a:2', 'a:1').replace('b:2', 'b:1');
    const file: ImageFileInput = { sourcePath: 'envs/staging/pod.yaml', targetPath: 'envs/prod/pod.yaml', sourceText: source, targetText: target, targetBlob: 'tb', targetMode: '100644' };
    const plan = buildPromotionPlan(planInput({}, { layout: 'image', imageFiles: [file] }));
    assert.equal(plan.images.length, 2);
    const one = buildPromotionPlan(planInput({}, { layout: 'image', imageFiles: [file], selection: { images: { [plan.images[0].id]: false } } }));
    assert.deepEqual(one.images.map((i) => i.selected), [false, true]);
    assert.equal(one.files[0].selected, true);
    assert.equal(one.files[0].insertions, 1);
    const none = buildPromotionPlan(planInput({}, { layout: 'image', imageFiles: [file], selection: { images: { [plan.images[0].id]: false, [plan.images[1].id]: false } } }));
    assert.equal(none.files[0].selected, false);
  });

  it('an image field that cannot be edited in place is named in a note, once, also after re-ticking; the plan`s other notes stay', () => {
    const file: ImageFileInput = {
      sourcePath: 'envs/staging/kustomization.yaml',
      targetPath: 'envs/prod/kustomization.yaml',
      sourceText: 'images:\n  - {name: web, digest: "sha256:abc"}\n',
      targetText: 'images:\n  - {name: web, newTag: "1.0"}\n',
      targetBlob: 'k',
      targetMode: '100644',
    };
    const handNote = 'envs/prod/kustomization.yaml:2: cannot edit newTag of web in place; change it by hand';
    const plan = buildPromotionPlan(planInput({}, { layout: 'image', imageFiles: [file], notes: ['from git: a rename'] }));
    assert.deepEqual(plan.notes, ['from git: a rename', handNote]);
    const again = reselectPlan(plan, {});
    assert.deepEqual(again.notes, ['from git: a rename', handNote]);
    const newTag = plan.images.find((i) => i.field === 'newTag');
    assert.ok(newTag);
    const unticked = reselectPlan(plan, { images: { [newTag.id]: false } });
    assert.deepEqual(unticked.notes, ['from git: a rename']);
  });
});

describe('re-ticking value-by-value files', () => {
  const files: Record<string, [string, string]> = { 'a.yaml': ['data:\n  X: a2\n', 'data:\n  X: a1\n'], 'b.yaml': ['data:\n  X: b2\n', 'data:\n  X: b1\n'] };

  it('each file is rewritten from its own target text with its own values', () => {
    const plan = buildPromotionPlan(planInput(files));
    const same = reselectPlan(plan, {});
    for (const p of [plan, same]) {
      assert.deepEqual(
        p.files.map((f) => [f.path, f.selected, f.diff.split('\n').filter((l) => /^[-+] /.test(l))]),
        [
          ['envs/prod/a.yaml', true, ['-  X: a1', '+  X: a2']],
          ['envs/prod/b.yaml', true, ['-  X: b1', '+  X: b2']],
        ],
      );
    }
  });

  it('unticking a file`s only value unticks the file; the other file is untouched', () => {
    const plan = buildPromotionPlan(planInput(files));
    const a = plan.values.find((v) => v.file === 'envs/prod/a.yaml');
    assert.ok(a);
    const next = reselectPlan(plan, { values: { [a.id]: false } });
    assert.deepEqual(next.files.map((f) => [f.path, f.selected]), [['envs/prod/a.yaml', false], ['envs/prod/b.yaml', true]]);
    assert.equal(next.diff.files, 1);
    assert.doesNotMatch(next.diff.text, /a2/);
    assert.match(next.diff.text, /^\+ {2}X: b2$/m);
  });
});

describe('withPullRequestText', () => {
  it('keeps an edited title without its surrounding blanks, falls back to the plan`s for a blank one, and keeps the body unless given', () => {
    const plan = buildPromotionPlan(planInput(WEB));
    assert.deepEqual(
      [withPullRequestText(plan, { title: '  Ship web 2.0  ' }).title, withPullRequestText(plan, { title: '   ' }).title, withPullRequestText(plan, {}).title],
      ['Ship web 2.0', plan.title, plan.title],
    );
    assert.equal(withPullRequestText(plan, { title: 'x' }).body, plan.body);
    assert.equal(withPullRequestText(plan, { body: '' }).body, '');
  });
});

describe('isYamlPath', () => {
  it('.yaml, .yml and files named Kustomization, in any folder or at the root; nothing else', () => {
    for (const path of ['a.yaml', 'envs/prod/a.yml', 'Kustomization', 'envs/prod/Kustomization']) assert.equal(isYamlPath(path), true, path);
    for (const path of ['a.yaml.bak', 'a.json', 'notes.txt', 'myKustomization', 'Kustomization.txt', 'yaml']) assert.equal(isYamlPath(path), false, path);
  });
});

describe('fieldContext: the parser of a plan', () => {
  it('parses each text once: the same text gives the same parsed file', () => {
    const context = contextFor();
    const first = context.parse('a: 1\n');
    assert.ok(first);
    assert.equal(context.parse('a: 1\n'), first);
    assert.notEqual(context.parse('a: 2\n'), first);
  });

  it('a text over the size limit is not parsed; one of exactly the limit is', () => {
    const sized = (size: number): string => {
      const head = 'a: 1\n#';
      return head + 'x'.repeat(size - head.length);
    };
    const context = contextFor();
    assert.equal(context.parse(sized(MAX_EDITED_MANIFEST_BYTES + 1)), null);
    assert.ok(context.parse(sized(MAX_EDITED_MANIFEST_BYTES)));
  });
});

const cm = (namespace: string, level: string, extra = ''): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: ${namespace}\ndata:\n  LEVEL: ${level}\n${extra}`;

function fieldFile(sourceText: string, targetText: string, context = contextFor()) {
  return planFieldFile({ targetPath: 'envs/prod/cm.yaml', sourcePath: 'envs/staging/cm.yaml', sourceText, targetText, excludedBy: null }, context);
}

describe('planFieldFile', () => {
  it('texts of exactly the size limit are still compared value by value', () => {
    const pad = (text: string): string => `${text}#${'x'.repeat(MAX_EDITED_MANIFEST_BYTES - text.length - 1)}`;
    const result = fieldFile(pad(cm('shop-staging', 'debug')), pad(cm('shop-prod', 'info')));
    assert.ok(result, 'compared');
    assert.deepEqual(result.values.map((v) => [v.path, v.from, v.to]), [['metadata.namespace', 'shop-prod', 'shop-staging'], ['data.LEVEL', 'info', 'debug']]);
  });

  it('a file over the size limit on either side is left to a whole-file change', () => {
    const big = (text: string): string => `${text}#${'x'.repeat(MAX_EDITED_MANIFEST_BYTES - text.length)}`;
    assert.equal(fieldFile(big(cm('shop-staging', 'debug')), cm('shop-prod', 'info')), null);
    assert.equal(fieldFile(cm('shop-staging', 'debug'), big(cm('shop-prod', 'info'))), null);
  });

  it('a document without counterpart is one whole-object value (added: flows; only in the target: its own); a document that is no object leaves the file whole', () => {
    const other = '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n';
    const whole = (result: ReturnType<typeof fieldFile>) => result?.values.filter((v) => v.pointer === '').map((v) => [v.op, v.path, v.docIndex, v.class, v.reason, v.selected, v.from, v.to]);
    assert.deepEqual(whole(fieldFile(cm('a', 'debug') + other, cm('a', 'info'))), [['add', 'ConfigMap extra', 1, 'flows', 'new object in the source', true, null, '(whole object)']]);
    assert.deepEqual(whole(fieldFile(cm('a', 'debug'), cm('a', 'info') + other)), [['remove', 'ConfigMap extra', 1, 'own', 'only in the target', false, '(whole object)', null]]);
    assert.deepEqual(whole(fieldFile(cm('a', 'debug') + other, cm('a', 'info') + other)), []);
    // A new object whose text names the source is the source's own: copied, it would carry staging's identity.
    const named = '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: shop-staging\n';
    assert.deepEqual(whole(fieldFile(cm('a', 'debug') + named, cm('a', 'info'))), [['add', 'ConfigMap extra', 1, 'identity', 'new object naming staging', false, null, '(whole object)']]);
    // Not an object (no kind): beyond a value, the file is promoted whole.
    assert.equal(fieldFile(`${cm('a', 'debug')}---\nfoo: bar\n`, cm('a', 'info')), null);
    assert.equal(fieldFile(cm('a', 'debug'), `${cm('a', 'info')}---\nfoo: bar\n`), null);
    const plan = buildPromotionPlan(planInput({ 'cm.yaml': [cm('shop-staging', 'debug'), cm('shop-prod', 'info') + other] }));
    assert.deepEqual(plan.notes, []);
    assert.deepEqual(
      plan.values.map((v) => [v.path, v.op, v.selected]),
      [
        ['metadata.namespace', 'set', false],
        ['data.LEVEL', 'set', true],
        ['ConfigMap extra', 'remove', false],
      ],
    );
    assert.doesNotMatch(plan.files[0].diff, /name: extra/, "the target's own object stays");
  });

  it('value ids: file, object and path, the operation when not a set, and a counter for the same place twice', () => {
    const result = fieldFile(`${cm('a', 'debug', 'extra: 1\n')}---\n${cm('b', 'trace')}`, `${cm('a', 'info')}---\n${cm('b', 'warn', 'gone: 2\n')}`);
    assert.ok(result);
    assert.deepEqual(
      result.values.map((v) => [v.id, v.docIndex, v.line]),
      [
        ['envs/prod/cm.yaml#ConfigMap/settings data.LEVEL', 0, 7],
        ['envs/prod/cm.yaml#ConfigMap/settings extra add', 0, 1],
        ['envs/prod/cm.yaml#ConfigMap/settings data.LEVEL 1', 1, 15],
        ['envs/prod/cm.yaml#ConfigMap/settings gone remove', 1, 16],
      ],
    );
  });
});

describe('values that show the target ahead (it once had the source`s value and moved on)', () => {
  const config = (namespace: string, data: Record<string, string>): string =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: ${namespace}\ndata:\n${Object.entries(data).map(([k, v]) => `  ${k}: ${v}\n`).join('')}`;
  const source = config('shop-staging', { MODE: 'fast', LEVEL: 'debug', COLOR: 'red', SIZE: 'big' });
  const target = config('shop-prod', { MODE: 'safe', LEVEL: 'info', COLOR: 'blue', SIZE: 'small' });
  const history = {
    // staging once had LEVEL info and COLOR blue (they flowed); never MODE safe nor SIZE small.
    source: new Map([['envs/staging/cm.yaml', [source, config('shop-staging', { MODE: 'fast', LEVEL: 'info', COLOR: 'blue', SIZE: 'big' })]]]),
    // prod once had MODE fast, LEVEL debug and the namespace shop-staging, then changed them; never COLOR red.
    target: new Map([['envs/prod/cm.yaml', [target, config('shop-staging', { MODE: 'fast', LEVEL: 'debug', COLOR: 'blue', SIZE: 'small' })]]]),
  };

  it('a value that flows or never flowed, which the target had and changed, is ahead; an identity value or one the target never had is not', () => {
    const result = fieldFile(source, target, contextFor(history));
    assert.ok(result);
    assert.deepEqual(
      result.values.map((v) => [v.path, v.class, v.reason]),
      [
        ['metadata.namespace', 'identity', 'namespace'],
        ['data.MODE', 'own', 'never flowed: the target’s value was never the source’s'],
        ['data.LEVEL', 'flows', 'flowed before'],
        ['data.COLOR', 'flows', 'flowed before'],
        ['data.SIZE', 'own', 'never flowed: the target’s value was never the source’s'],
      ],
    );
    assert.deepEqual(result.targetAhead.map((v) => v.path), ['data.MODE', 'data.LEVEL']);
  });

  it('the plan lists them in its checks and warns about each', () => {
    const plan = buildPromotionPlan(planInput({ 'cm.yaml': [source, target] }, { history }));
    assert.deepEqual(plan.checks.aheadValues, ['envs/prod/cm.yaml#ConfigMap/settings data.MODE', 'envs/prod/cm.yaml#ConfigMap/settings data.LEVEL']);
    assert.deepEqual(
      plan.warnings.map((w) => [w.code, w.message]),
      [
        ['target-ahead', 'envs/prod/cm.yaml:7 data.MODE: prod once had fast and changed it to safe; kept (own); bring it back into staging if it should flow'],
        ['target-ahead', 'envs/prod/cm.yaml:8 data.LEVEL: prod once had debug and changed it to info; promoting would undo that'],
      ],
    );
  });

  it('history of an object is read under its kind and name, whatever its position in the file', () => {
    // The source's history holds the ConfigMap as the second document: its LEVEL info still counts as having flowed.
    const moved = { source: new Map([['envs/staging/cm.yaml', [`kind: Namespace\nmetadata:\n  name: shop\n---\n${config('shop-staging', { LEVEL: 'info' })}`]]]), target: new Map<string, string[]>() };
    const result = fieldFile(config('shop-staging', { LEVEL: 'debug' }), config('shop-prod', { LEVEL: 'info' }), contextFor(moved));
    assert.ok(result);
    assert.deepEqual(result.values.map((v) => [v.path, v.reason]), [['metadata.namespace', 'namespace'], ['data.LEVEL', 'flowed before']]);
  });
});

describe('applyValueChanges', () => {
  const value = (id: string, pointer: string, yaml: string, selected = true): ValueChange => ({
    id,
    file: 'f.yaml',
    sourceFile: 'f.yaml',
    docIndex: 0,
    pointer,
    path: pointer.slice(1),
    line: 1,
    op: 'set',
    from: null,
    to: yaml,
    yaml,
    class: 'flows',
    reason: 'setting',
    selected,
  });

  it('writes the selected values only and lists exactly those it could not write', () => {
    const text = 'a: 1\nb: |\n  hi\nc: 3\n';
    const result = applyValueChanges(text, [value('a', '/a', '2'), value('b', '/b', 'x'), value('c', '/c', '4', false)]);
    assert.equal(result.text, 'a: 2\nb: |\n  hi\nc: 3\n');
    assert.deepEqual(result.failed.map((v) => v.id), ['b']);
    assert.deepEqual(applyValueChanges(text, [value('a', '/a', '2')]).failed, []);
  });

  it('reuses a parsed file only when it is of this very text', () => {
    const text = 'x: 1\ny: 2\n';
    const stale = parseYamlFile('y: 2\n\n\n\nx: 1\n');
    assert.deepEqual(applyValueChanges(text, [value('x', '/x', '5')], stale), { text: 'x: 5\ny: 2\n', failed: [] });
    assert.deepEqual(applyValueChanges(text, [value('x', '/x', '5')], parseYamlFile(text)), { text: 'x: 5\ny: 2\n', failed: [] });
  });
});
