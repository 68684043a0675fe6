// Kills mutation survivors of src/core/promotion/safetyChecks.ts and valueDiff.ts (group
// core-promotion-values): the exact warnings a promotion plan carries before its pull request
// (image and chart downgrades, identity changes of ticked values and of rendered objects renamed,
// lost or gained, objects the API server refuses, a target that is ahead), with their three-item
// cut and `…`; and the exact value differences of two YAML files (document pairing by object key
// and by position, merge-keyed lists, scalar lists as sets, lists by position with adds and
// removes in order, the scalar index of history evidence).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blocksExecution, planWarnings, safetyWarnings, type SafetyInput } from '../../src/core/promotion/safetyChecks';
import { diffYamlFiles, parseYamlFile, scalarValues, type ParsedYamlFile } from '../../src/core/promotion/valueDiff';
import type { ImageChange, PlannedFileChange, PromotionPlan, ValueChange } from '../../src/core/promotion/promotionTypes';
import type { RenderedDiff } from '../../src/core/promotion/renderedDiff';

const neutral = (v: string): string => v.replace(/staging|prod/g, '~');

function value(path: string, from: string | null, to: string | null, extra: Partial<ValueChange> = {}): ValueChange {
  return { id: `f#${path}`, file: 'values.yaml', sourceFile: 'values.yaml', docIndex: 0, pointer: '', path, line: 7, op: from === null ? 'add' : to === null ? 'remove' : 'set', from, to, yaml: to, class: 'flows', reason: '', selected: true, ...extra } as unknown as ValueChange;
}

function image(field: string, from: string | null, to: string | null, selected = true): ImageChange {
  return { id: `k#${field}`, file: 'kustomization.yaml', sourceFile: 'kustomization.yaml', pointer: '', docIndex: 0, line: 4, kind: 'kustomize', field, name: 'ghcr.io/a/web', from, to, selected } as unknown as ImageChange;
}

function file(path: string, action: PlannedFileChange['action'], selected: boolean): PlannedFileChange {
  return { path, sourcePath: null, action, excluded: false, excludedBy: null, selected, beforeBlob: null, afterBlob: null, mode: null, diff: '', diffTruncated: false, binary: false, insertions: 0, deletions: 0 } as unknown as PlannedFileChange;
}

function rendered(extra: Partial<RenderedDiff>): RenderedDiff {
  return { renderer: 'plain', added: [], removed: [], changed: [], unchanged: 0, text: '', truncated: false, problems: [], ...extra };
}

function input(extra: Partial<SafetyInput>): SafetyInput {
  return { values: [], images: [], files: [], rendered: null, targetAheadValues: [], mergedValues: [], targetOnlyCommits: 0, to: 'prod', from: 'staging', neutral, ...extra };
}

const messages = (i: Partial<SafetyInput>): string[] => safetyWarnings(input(i)).map((w) => `${w.code} ${w.message}`);

describe('safety checks: downgrades', () => {
  it('warns of an image tag or chart version going back, only for ticked set values with a tag on both sides', () => {
    assert.deepEqual(messages({ values: [
      value('image.tag', '1.2.0', '1.1.0'),
      value('spec.containers[name=app].image', 'ghcr.io/a/web:2.0.0', 'ghcr.io/a/web:1.9.0', { line: 9 }),
      value('spec.containers[name=b].image', 'ghcr.io/a/web:2.0.0', 'ghcr.io/a/web'),
      value('image.tag', '1.2.0', '1.1.0', { selected: false }),
      value('image.tag', '1.0.0', '1.1.0'),
      value('spec.chart.spec.version', '3.0.0', '2.5.0', { file: 'release.yaml' }),
      value('helmCharts[name=x].version', '3.0.0', '2.5.0', { file: 'kustomization.yaml', line: 3 }),
    ] }), [
      'image-downgrade values.yaml:7: the image tag would go from 1.2.0 back to 1.1.0',
      'image-downgrade values.yaml:9: the image tag would go from 2.0.0 back to 1.9.0',
      'chart-downgrade release.yaml:7: the chart version would go from 3.0.0 back to 2.5.0',
      'chart-downgrade kustomization.yaml:3: the chart version would go from 3.0.0 back to 2.5.0',
    ]);
  });

  it('never compares image names, repositories or digests as versions', () => {
    assert.deepEqual(messages({ values: [
      value('images[name=web].newName', '2.0.0', '1.0.0'),
      value('image.repository', '2.0.0', '1.0.0'),
      value('images[name=web].digest', '2.0.0', '1.0.0'),
    ], images: [image('newName', '2.0.0', '1.0.0'), image('digest', '2.0.0', '1.0.0'), image('repository', '2.0.0', '1.0.0')] }), []);
  });

  it('warns of merged values going back, and of ticked image tags only', () => {
    assert.deepEqual(messages({
      mergedValues: [value('image.tag', '5.0.0', '4.0.0', { file: 'merged.yaml', line: 2 })],
      images: [image('newTag', '1.2.0', '1.0.0'), image('newTag', '1.2.0', '1.0.0', false), image('tag', '3.0.0', '2.0.0'), image('image', 'ghcr.io/a/web:1.0', 'ghcr.io/a/web'), image('image', 'ghcr.io/a/web:1.1', 'ghcr.io/a/web:1.0'), image('newTag', null, '1.0.0')],
    }), [
      'image-downgrade merged.yaml:2: the image tag would go from 5.0.0 back to 4.0.0',
      'image-downgrade kustomization.yaml:4: image ghcr.io/a/web would go from 1.2.0 back to 1.0.0',
      'image-downgrade kustomization.yaml:4: image ghcr.io/a/web would go from 3.0.0 back to 2.0.0',
      'image-downgrade kustomization.yaml:4: image ghcr.io/a/web would go from 1.1 back to 1.0',
    ]);
  });
});

describe('safety checks: identity', () => {
  const ident = (n: number, extra: Partial<ValueChange> = {}): ValueChange[] => Array.from({ length: n }, (_, i) => value(`ns${i}`, 'a', 'b', { class: 'identity', line: i + 1, ...extra }));

  it('names up to three ticked identity values, with … past three', () => {
    assert.deepEqual(messages({ values: [...ident(4), value('x', 'a', 'b', { class: 'identity', selected: false }), value('y', 'a', 'b')] }), [
      "identity-change 4 ticked value(s) name the environment and would change prod's identity: values.yaml:1 ns0, values.yaml:2 ns1, values.yaml:3 ns2, …",
    ]);
    assert.deepEqual(messages({ values: ident(3) }), [
      "identity-change 3 ticked value(s) name the environment and would change prod's identity: values.yaml:1 ns0, values.yaml:2 ns1, values.yaml:3 ns2",
    ]);
    assert.deepEqual(messages({ values: ident(2, { selected: false }) }), []);
    assert.equal(blocksExecution(safetyWarnings(input({ values: ident(1) })), false), true);
    assert.equal(blocksExecution(safetyWarnings(input({ values: ident(1) })), true), false);
  });

  it('pairs renamed objects through the neutral name, and reports lost and gained objects apart', () => {
    const r = rendered({
      removed: ['D prod-a', 'D prod-b', 'D prod-c', 'D prod-d', 'D gone1', 'D gone2', 'D gone3', 'D gone4', 'D onlytarget'],
      added: ['D staging-a', 'D staging-b', 'D staging-c', 'D staging-d', 'D new1', 'D new2', 'D new3', 'D new4', 'D both'],
      sourceObjects: ['D gone1', 'D gone2', 'D gone3', 'D gone4', 'D both', 'D ~-a'],
    });
    assert.deepEqual(messages({ rendered: r }), [
      'identity-change rendered prod would change the name or namespace of 4 object(s): D prod-a → D staging-a, D prod-b → D staging-b, D prod-c → D staging-c, …',
      'identity-change rendered prod would lose 4 object(s) staging still has: D gone1, D gone2, D gone3, …',
      'identity-change rendered prod would gain 4 object(s) staging does not have: D new1, D new2, D new3, …',
    ]);
  });

  it('prints exactly three without …, and a ticked deletion silences the lost objects only', () => {
    const r = rendered({ removed: ['D prod-a', 'D prod-b', 'D prod-c', 'D g1', 'D g2', 'D g3'], added: ['D staging-a', 'D staging-b', 'D staging-c', 'D n1', 'D n2', 'D n3'], sourceObjects: ['D g1', 'D g2', 'D g3'] });
    const expected = [
      'identity-change rendered prod would change the name or namespace of 3 object(s): D prod-a → D staging-a, D prod-b → D staging-b, D prod-c → D staging-c',
      'identity-change rendered prod would lose 3 object(s) staging still has: D g1, D g2, D g3',
      'identity-change rendered prod would gain 3 object(s) staging does not have: D n1, D n2, D n3',
    ];
    assert.deepEqual(messages({ rendered: r }), expected);
    assert.deepEqual(messages({ rendered: r, files: [file('a.yaml', 'delete', false), file('b.yaml', 'modify', true)] }), expected);
    assert.deepEqual(messages({ rendered: r, files: [file('b.yaml', 'modify', true), file('a.yaml', 'delete', true)] }), [expected[0], expected[2]]);
  });

  it('without the source rendered, every removed object is lost and none gained', () => {
    assert.deepEqual(messages({ rendered: rendered({ removed: ['D x'], added: ['D y'] }) }), [
      'identity-change rendered prod would lose 1 object(s) staging still has: D x',
    ]);
    assert.deepEqual(messages({ rendered: rendered({ removed: ['D x'], added: ['D y'], sourceObjects: ['D y'] }) }), []);
  });
});

describe('safety checks: invalid objects and target ahead', () => {
  it('lists three refused objects, then …', () => {
    assert.deepEqual(messages({ rendered: rendered({ invalid: ['a: x', 'b: y', 'c: z', 'd: w'] }) }), [
      'invalid-objects rendered prod would hold 4 object(s) the API server refuses, so its sync would fail: a: x; b: y; c: z; …',
    ]);
    assert.deepEqual(messages({ rendered: rendered({ invalid: ['a: x', 'b: y', 'c: z'] }) }), [
      'invalid-objects rendered prod would hold 3 object(s) the API server refuses, so its sync would fail: a: x; b: y; c: z',
    ]);
  });

  it('reports at most five values the target changed, and commits the source lacks', () => {
    const ahead = Array.from({ length: 6 }, (_, i) => value(`k${i}`, `t${i}`, `s${i}`, { selected: i !== 1, class: 'environment' as ValueChange['class'] }));
    assert.deepEqual(messages({ targetAheadValues: ahead, targetOnlyCommits: 2 }), [
      'target-ahead values.yaml:7 k0: prod once had s0 and changed it to t0; promoting would undo that',
      'target-ahead values.yaml:7 k1: prod once had s1 and changed it to t1; kept (environment); bring it back into staging if it should flow',
      'target-ahead values.yaml:7 k2: prod once had s2 and changed it to t2; promoting would undo that',
      'target-ahead values.yaml:7 k3: prod once had s3 and changed it to t3; promoting would undo that',
      'target-ahead values.yaml:7 k4: prod once had s4 and changed it to t4; promoting would undo that',
      'target-ahead prod has 2 commit(s) that staging lacks; merge them back into staging first, or check they are meant to stay',
    ]);
    assert.deepEqual(messages({ targetOnlyCommits: 0 }), []);
  });

  it('planWarnings ticks a merged value as its file is ticked', () => {
    const plan = {
      values: [], images: [], rendered: null, from: 'staging', to: 'prod',
      files: [file('a.yaml', 'modify', true), file('b.yaml', 'modify', false)],
      checks: { aheadValues: [], targetOnlyCommits: 0, mergedValues: [value('image.tag', '2.0.0', '1.0.0', { file: 'a.yaml', selected: false }), value('image.tag', '4.0.0', '3.0.0', { file: 'b.yaml' }), value('image.tag', '6.0.0', '5.0.0', { file: 'c.yaml' })] },
      source: { environment: 'staging', folder: 'envs/staging' }, target: { environment: 'prod', folder: 'envs/prod' },
    } as unknown as PromotionPlan;
    assert.deepEqual(planWarnings(plan).map((w) => w.message), ['a.yaml:7: the image tag would go from 2.0.0 back to 1.0.0']);
  });
});

function diff(source: string, target: string): ReturnType<typeof diffYamlFiles> {
  return diffYamlFiles(parseYamlFile(source) as ParsedYamlFile, parseYamlFile(target) as ParsedYamlFile, neutral);
}
const base = { docIndex: 0, sourceDocIndex: 0, docKey: '#0', itemName: null };

describe('value diff', () => {
  it('pairs documents that are not objects by position only when the source has none there', () => {
    assert.deepEqual(diff('a: 1\n---\nb: 2\n', 'a: 2\n---\nkind: X\n---\nb: 3\n'), {
      differences: [{ ...base, pointer: '/a', path: 'a', key: 'a', keys: ['a'], op: 'set', from: '2', to: '1', toYaml: '1', structured: false, line: 1 }],
      unpairedSource: [1],
      unpairedTarget: [1, 2],
    });
  });

  it('pairs objects by kind and neutral name, the first source of a key once', () => {
    const r = diff('kind: Deployment\nmetadata:\n  name: staging-web\nspec:\n  x: 1\n---\nkind: Deployment\nmetadata:\n  name: staging-web\nspec:\n  x: 5\n', 'kind: Deployment\nmetadata:\n  name: prod-web\nspec:\n  x: 2\n');
    const key = { docIndex: 0, sourceDocIndex: 0, docKey: 'Deployment/~-web' };
    assert.deepEqual(r, {
      differences: [
        { ...key, pointer: '/metadata/name', path: 'metadata.name', key: 'name', keys: ['metadata', 'name'], op: 'set', from: 'prod-web', to: 'staging-web', toYaml: 'staging-web', structured: false, line: 3, itemName: 'prod-web' },
        { ...key, pointer: '/spec/x', path: 'spec.x', key: 'x', keys: ['spec', 'x'], op: 'set', from: '2', to: '1', toYaml: '1', structured: false, line: 5, itemName: null },
      ],
      unpairedSource: [1],
      unpairedTarget: [],
    });
  });

  it('pairs list items by a merge key other than name', () => {
    assert.deepEqual(diff('l:\n- key: a\n  v: 1\n- key: b\n  v: 2\n', 'l:\n- key: b\n  v: 3\n- key: c\n  v: 4\n').differences, [
      { ...base, pointer: '/l/-', path: 'l[key=a]', key: 'a', keys: ['l', 'l'], op: 'add', from: null, to: '{key: a, v: 1}', toYaml: '{key: a, v: 1}', structured: true, line: 2, itemName: 'a' },
      { ...base, pointer: '/l/0/v', path: 'l[key=b].v', key: 'v', keys: ['l', '[]', 'v'], op: 'set', from: '3', to: '2', toYaml: '2', structured: false, line: 3, itemName: 'b' },
      { ...base, pointer: '/l/1', path: 'l[key=c]', key: 'c', keys: ['l', 'l'], op: 'remove', from: '{key: c, v: 4}', to: null, toYaml: null, structured: true, line: 4, itemName: 'c' },
    ]);
  });

  it('compares scalar lists of different lengths as sets', () => {
    assert.deepEqual(diff('l: [x, y, z]\n', 'l: [x, q]\n').differences, [
      { ...base, pointer: '/l/-', path: 'l[y]', key: 'l', keys: ['l', 'l'], op: 'add', from: null, to: 'y', toYaml: 'y', structured: false, line: 1 },
      { ...base, pointer: '/l/-', path: 'l[z]', key: 'l', keys: ['l', 'l'], op: 'add', from: null, to: 'z', toYaml: 'z', structured: false, line: 1 },
      { ...base, pointer: '/l/1', path: 'l[q]', key: 'l', keys: ['l', 'l'], op: 'remove', from: 'q', to: null, toYaml: null, structured: false, line: 1 },
    ]);
    assert.deepEqual(diff('l: [a, b]\n', 'l: [b, a]\n').differences, []);
    assert.deepEqual(diff('l: [a, b]\n', 'l: [a, c]\n').differences, [
      { ...base, pointer: '/l/1', path: 'l[1]', key: 'l', keys: ['l', 'l'], op: 'set', from: 'c', to: 'b', toYaml: 'b', structured: false, line: 1 },
    ]);
  });

  it('pairs lists without a merge key by position: extra source items added, extra target items removed last first', () => {
    assert.deepEqual(diff('l: [{a: 1}, {a: 2}, {a: 3}]\n', 'l: [{a: 9}]\n').differences, [
      { ...base, pointer: '/l/0/a', path: 'l[0].a', key: 'a', keys: ['l', '[]', 'a'], op: 'set', from: '9', to: '1', toYaml: '1', structured: false, line: 1 },
      { ...base, pointer: '/l/-', path: 'l[1]', key: 'l', keys: ['l', 'l'], op: 'add', from: null, to: '{a: 2}', toYaml: '{a: 2}', structured: true, line: 1 },
      { ...base, pointer: '/l/-', path: 'l[2]', key: 'l', keys: ['l', 'l'], op: 'add', from: null, to: '{a: 3}', toYaml: '{a: 3}', structured: true, line: 1 },
    ]);
    assert.deepEqual(diff('l: [{a: 1}]\n', 'l: [{a: 9}, {a: 8}, {a: 7}]\n').differences, [
      { ...base, pointer: '/l/0/a', path: 'l[0].a', key: 'a', keys: ['l', '[]', 'a'], op: 'set', from: '9', to: '1', toYaml: '1', structured: false, line: 1 },
      { ...base, pointer: '/l/2', path: 'l[2]', key: 'l', keys: ['l', 'l'], op: 'remove', from: '{a: 7}', to: null, toYaml: null, structured: true, line: 1 },
      { ...base, pointer: '/l/1', path: 'l[1]', key: 'l', keys: ['l', 'l'], op: 'remove', from: '{a: 8}', to: null, toYaml: null, structured: true, line: 1 },
    ]);
  });

  it('writes plain scalars with flow indicators, block scalars and empty values quoted', () => {
    const toYaml = (source: string, target: string): Array<string | null> => diff(source, target).differences.map((d) => d.toYaml);
    assert.deepEqual(toYaml('a: x, y\nb: |\n  l1\nc: "q"\nd: [1, {e: f}]\ne: a]b\n', 'a: 1\nb: 1\nc: 1\nd: 1\ne: 1\n'), ['"x, y"', '"l1\\n"', '"q"', '[1, {e: f}]', '"a]b"']);
  });
});

describe('value diff: pairing, shapes and limits', () => {
  const MERGE_KEYS = ['name', 'key', 'mountPath', 'containerPort', 'port', 'ip', 'path', 'id', 'type', 'repoURL'];
  const brief = (source: string, target: string): string[] => diff(source, target).differences.map((d) => `${d.op} ${d.path}`);

  it('pairs list items by each merge key, the earlier key winning when several are unique', () => {
    for (const k of MERGE_KEYS) assert.deepEqual(brief(`l: [{${k}: a, v: 1}, {${k}: b, v: 1}]\n`, `l: [{${k}: b, v: 2}]\n`), [`add l[${k}=a]`, `set l[${k}=b].v`], k);
    for (const [i, first] of MERGE_KEYS.entries()) {
      for (const second of MERGE_KEYS.slice(i + 1)) {
        assert.deepEqual(brief(`l: [{${second}: c, ${first}: a, v: 1}, {${second}: d, ${first}: b, v: 1}]\n`, `l: [{${second}: d, ${first}: b, v: 2}]\n`), [`add l[${first}=a]`, `set l[${first}=b].v`], `${first} before ${second}`);
      }
    }
  });

  it('uses a merge key only when every item is a map with a distinct value, on both sides alike', () => {
    assert.deepEqual(brief('l: [{name: a}, {v: 1}]\n', 'l: [{name: a}, {v: 2}]\n'), ['set l[1].v']);
    assert.deepEqual(brief('l: [{name: a}, x]\n', 'l: [{name: a}, y]\n'), ['set l[1]']);
    assert.deepEqual(brief('l: [1, {a: 1}]\n', 'l: [1, {a: 2}]\n'), ['set l[1].a']);
    assert.deepEqual(brief('l: [{name: a, v: 1}]\n', 'l: [{key: a, v: 2}]\n'), ['add l[0].name', 'set l[0].v', 'remove l[0].key']);
  });

  it('keeps the document order of the target whatever way documents paired', () => {
    assert.deepEqual(diff('b: 1\n---\nkind: X\nmetadata: {name: a}\nv: 1\n', 'b: 2\n---\nkind: X\nmetadata: {name: a}\nv: 2\n').differences.map((d) => `${d.docKey} ${d.path}`), ['#0 b', 'X/a v']);
    // The object took source document 0: the values file of the target has no partner.
    const r = diff('kind: X\nmetadata: {name: a}\nv: 1\n---\nb: 1\n', 'b: 2\n---\nkind: X\nmetadata: {name: a}\nv: 2\n');
    assert.deepEqual({ ...r, differences: r.differences.map((d) => [d.docIndex, d.sourceDocIndex, d.docKey, d.path, d.line]) }, { differences: [[1, 0, 'X/a', 'v', 5]], unpairedSource: [1], unpairedTarget: [0] });
    assert.equal(diff('kind: ~\nv: 1\n', 'kind: ~\nv: 2\n').differences[0].docKey, '#0');
  });

  it('pairs two objects of one key with two distinct source documents', () => {
    const r = diff('kind: D\nmetadata: {name: staging-w}\nv: 1\n---\nkind: D\nmetadata: {name: staging-w}\nv: 2\n', 'kind: D\nmetadata: {name: prod-w}\nv: 3\n---\nkind: D\nmetadata: {name: prod-w}\nv: 4\n');
    assert.deepEqual(r.differences.map((d) => [d.sourceDocIndex, d.docIndex, d.from, d.to]), [[0, 0, 'prod-w', 'staging-w'], [0, 0, '3', '1'], [1, 1, 'prod-w', 'staging-w'], [1, 1, '4', '2']]);
  });

  it('replaces a value whose shape changed as one structured set, and the whole document at the root', () => {
    assert.deepEqual(diff('a: 1\n', 'a: {b: 1}\n').differences, [{ ...base, pointer: '/a', path: 'a', key: 'a', keys: ['a'], op: 'set', from: '{b: 1}', to: '1', toYaml: '1', structured: true, line: 1 }]);
    assert.deepEqual(diff('a: [1]\n', 'a: 1\n').differences, [{ ...base, pointer: '/a', path: 'a', key: 'a', keys: ['a'], op: 'set', from: '1', to: '[1]', toYaml: '[1]', structured: true, line: 1 }]);
    assert.deepEqual(diff('a\n', 'b\n').differences, [{ ...base, pointer: '', path: '', key: '', keys: [], op: 'set', from: 'b', to: 'a', toYaml: 'a', structured: false, line: 1 }]);
    assert.deepEqual(diff('a: 1\n', 'a: 1\nb: [2, [3]]\n').differences, [{ ...base, pointer: '/b', path: 'b', key: 'b', keys: ['b'], op: 'remove', from: '[2, [3]]', to: null, toYaml: null, structured: true, line: 2 }]);
  });

  it('finds nothing between two empty collections', () => {
    assert.deepEqual(diff('a: {}\nb: []\n', 'a: {}\nb: []\n').differences, []);
  });

  it('names set members by their neutral value and inherits the item name into nested maps', () => {
    assert.deepEqual(brief('l: [staging-x]\n', 'l: [prod-y, q]\n'), ['add l[~-x]', 'remove l[~-y]', 'remove l[q]']);
    assert.equal(diff('l: [{name: app, r: {x: 1}}]\n', 'l: [{name: app, r: {x: 2}}]\n').differences[0].itemName, 'app');
  });

  it('writes a null, a folded block and a multi-line plain scalar as JSON, keeps a quoted comma', () => {
    assert.deepEqual(diff('a:\nb: >\n  x\nc: x\n  y\nf: "a, b"\n', 'a: 1\nb: 1\nc: 1\nf: 1\n').differences.map((d) => d.toYaml), ['null', '"x\\n"', '"x y"', '"a, b"']);
  });

  it('writes an empty block scalar as an empty quoted text, not its bare header', () => {
    assert.deepEqual(diff('b: >\nc: |\nd: 1\n', 'b: 1\nc: 1\nd: 2\n').differences.map((d) => d.toYaml), ['""', '""', '1']);
  });

  it('compares a list of scalars with a list holding a map by position', () => {
    const shown = (source: string, target: string): unknown[] => diff(source, target).differences.map((d) => [d.op, d.path, d.from, d.to, d.structured]);
    assert.deepEqual(shown('l: [1, 2]\n', 'l: [1, {a: 1}]\n'), [['set', 'l[1]', '{a: 1}', '2', true]]);
    assert.deepEqual(shown('l: [1, {a: 1}]\n', 'l: [1, 2]\n'), [['set', 'l[1]', '2', '{a: 1}', true]]);
  });

  it('compares scalars with a list holding a map by position even when the lengths differ', () => {
    const shown = (source: string, target: string): unknown[] => diff(source, target).differences.map((d) => [d.op, d.path, d.from, d.to]);
    assert.deepEqual(shown('l: [1, 2, 3]\n', 'l: [1, {a: 1}]\n'), [['set', 'l[1]', '{a: 1}', '2'], ['add', 'l[2]', null, '3']]);
    assert.deepEqual(shown('l: [1, {a: 1}, 3]\n', 'l: [1, 2]\n'), [['set', 'l[1]', '2', '{a: 1}'], ['add', 'l[2]', null, '3']]);
  });

  it('a key without a value equals an empty value, and differs from a value as null', () => {
    const shown = (source: string, target: string): unknown[] => diff(source, target).differences.map((d) => [d.op, d.path, d.from, d.to, d.toYaml, d.structured]);
    assert.deepEqual(shown('? a\n', 'a:\n'), []);
    assert.deepEqual(shown('? a\n', 'a: 1\n'), [['set', 'a', '1', '', 'null', false]]);
    assert.deepEqual(shown('a: 1\n', '? a\n'), [['set', 'a', '', '1', '1', false]]);
  });

  // Suspected src bug (see the hG report): a list in the source and a string spelling the same
  // text in the target are different values, but the shape-change branch compares only their
  // compact texts, so no difference is found and the promotion would leave the string in place.
  it('finds a list replacing a quoted string of the same text', () => {
    assert.equal(diff('a: [1]\n', 'a: "[1]"\n').differences.length, 1);
    assert.equal(diff('a: {}\n', "a: '{}'\n").differences.length, 1);
  });

  it('refuses a file with a YAML error in any document', () => {
    assert.equal(parseYamlFile('a: [\n'), null);
    assert.equal(parseYamlFile('a: 1\n---\nb: [\n'), null);
    assert.notEqual(parseYamlFile('a: 1\n---\nb: 2\n'), null);
  });

  it('walks 64 nested keys and no deeper (32 list levels, each an item and a key)', () => {
    const shapes: Array<[string, (n: number, v: number) => string, number]> = [
      ['maps', (n, v) => `${'{a: '.repeat(n)}${v}${'}'.repeat(n)}`, 64],
      ['positional lists', (n, v) => `${'[{a: '.repeat(n)}${v}${'}]'.repeat(n)}`, 32],
      ['named lists', (n, v) => `${'[{name: x, a: '.repeat(n)}${v}${'}]'.repeat(n)}`, 32],
    ];
    for (const [name, shape, limit] of shapes) {
      assert.equal(diff(shape(limit, 1), shape(limit, 2)).differences.length, 1, name);
      assert.equal(diff(shape(limit + 1, 1), shape(limit + 1, 2)).differences.length, 0, name);
      const has = (n: number): boolean => [...scalarValues(parseYamlFile(shape(n, 1)) as ParsedYamlFile, neutral).values()].some((set) => set.has('1'));
      assert.equal(has(limit), true, name);
      assert.equal(has(limit + 1), false, name);
    }
  });
});

describe('scalar values', () => {
  it('indexes every scalar by document key and path, list scalars by neutral value and index, merge-keyed items whole', () => {
    const m = scalarValues(parseYamlFile('kind: K\nmetadata: {name: prod-a}\nl: [staging-x, 2]\nm: [{name: n1, v: 1}]\nn: [[1]]\n---\nz: 1\n') as ParsedYamlFile, neutral);
    assert.deepEqual([...m].map(([k, v]) => [k, [...v]]), [
      ['K/~-a kind', ['K']], ['K/~-a metadata.name', ['prod-a']], ['K/~-a l[~-x]', ['staging-x']], ['K/~-a l[0]', ['staging-x']],
      ['K/~-a l[2]', ['2']], ['K/~-a l[1]', ['2']], ['K/~-a m[name=n1].name', ['n1']], ['K/~-a m[name=n1].v', ['1']],
      ['K/~-a m[name=n1]', ['{name: n1, v: 1}']], ['K/~-a n[0][1]', ['1']], ['K/~-a n[0][0]', ['1']], ['#1 z', ['1']],
    ]);
  });

  it('gathers every value met at one neutral place', () => {
    const m = scalarValues(parseYamlFile('l: [staging-x, prod-x]\n') as ParsedYamlFile, neutral);
    assert.deepEqual([...m].map(([k, v]) => [k, [...v]]), [['#0 l[~-x]', ['staging-x', 'prod-x']], ['#0 l[0]', ['staging-x']], ['#0 l[1]', ['prod-x']]]);
  });
});
