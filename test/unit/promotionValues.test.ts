// Value-by-value promotion in the core: version order for downgrade checks, classification of
// differing values (identity / own / flows, with Git history as evidence and promotion.keep),
// in-place writes that keep every other byte, and a property over random overlays: after a
// promotion with the default ticks, every identity and own value of the target is byte-identical
// and every flowing value equals the source's.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildPromotionPlan, reselectPlan, type PlanInput } from '../../src/core/promotion/buildPlan';
import { fieldLevelText } from '../../src/core/promotion/fieldLevelFiles';
import type { FileChangeDraft } from '../../src/core/promotion/fileChanges';
import type { PlanSide, PromotionPlan } from '../../src/core/promotion/promotionTypes';
import { compareVersions, imageTag } from '../../src/core/promotion/versionOrder';
import { applyValueEdits } from '../../src/core/promotion/valueEdits';
import { parseKeepRules } from '../../src/core/promotion/valueClasses';
import { parseGitopsConfig } from '../../src/core/config';
import { seededRandom } from '../support/seededRandom';

function side(environment: string, folder: string): PlanSide {
  return { environment, ref: 'origin/main', commit: 'a'.repeat(40), shortCommit: 'aaaaaaa', branch: 'main', folder, tree: `tree-${environment}`, remote: 'origin' };
}

/** A folder plan over files given as `relative path → [source text, target text]`. */
function planOf(from: string, to: string, files: Record<string, [string, string]>, extra: Partial<PlanInput> = {}): PromotionPlan {
  const blobs = new Map<string, string>();
  const drafts: FileChangeDraft[] = Object.entries(files).map(([rel, [source, target]], i) => {
    blobs.set(`s${i}`, source);
    blobs.set(`t${i}`, target);
    return { path: `envs/${to}/${rel}`, sourcePath: `envs/${from}/${rel}`, action: 'modify', excluded: false, excludedBy: null, selected: true, beforeBlob: `t${i}`, afterBlob: `s${i}`, mode: '100644' };
  });
  return buildPromotionPlan({
    kind: 'promotion',
    layout: 'folder',
    source: side(from, `envs/${from}`),
    target: side(to, `envs/${to}`),
    commits: [],
    commitTotal: 0,
    files: drafts,
    blobs,
    host: { kind: 'github', webUrl: null },
    ...extra,
  });
}

function classes(plan: PromotionPlan): Record<string, string> {
  return Object.fromEntries(plan.values.map((v) => [v.path, v.class]));
}

describe('version order', () => {
  it('orders release numbers, v-prefixed tags, dates and pre-releases', () => {
    assert.equal(compareVersions('2.0', '3.0'), -1);
    assert.equal(compareVersions('v1.9', 'v1.10'), -1);
    assert.equal(compareVersions('2024-05-01', '2024-05-02'), -1);
    assert.equal(compareVersions('20240502-ab12cd', '20240501-ff00aa'), 1);
    assert.equal(compareVersions('1.2.0-rc.1', '1.2.0'), -1);
    assert.equal(compareVersions('1.2.0-rc.2', '1.2.0-rc.10'), -1);
    assert.equal(compareVersions('release-41', 'release-42'), -1);
  });

  it('never calls unordered tags a downgrade', () => {
    for (const [a, b] of [['latest', '1.0'], ['deadbeef1', 'abc1234f'], ['1.0-alpine', '1.0-slim'], ['release-1', 'v2'], ['>=1.0.0 <2.0.0', '1.5.0']]) assert.equal(compareVersions(a, b), null, `${a} vs ${b}`);
  });

  it('reads the tag of an image reference, with registry ports and digests', () => {
    assert.equal(imageTag('registry:5000/acme/web:1.2@sha256:abc'), '1.2');
    assert.equal(imageTag('registry:5000/acme/web'), null);
  });
});

describe('value classes', () => {
  it('namespace, namePrefix, components, STAGE, env labels and host names are identity; images and charts flow; replicas are own', () => {
    const plan = planOf('staging-eu', 'prod-eu', {
      'kustomization.yaml': ['namespace: shop-staging-eu\nnamePrefix: staging-eu-\ncomponents:\n  - ../../variants/non-prod\n  - ../../variants/eu\n', 'namespace: shop-prod-eu\nnamePrefix: prod-eu-\ncomponents:\n  - ../../variants/prod\n  - ../../variants/eu\n'],
      'values.yaml': [
        'env: non-prod\nhost: shop.staging.example.com\nimage:\n  tag: 1.2.0\nreplicaCount: 1\nlogLevel: debug\nextraEnv:\n  - name: STAGE\n    value: staging-eu\n',
        'env: prod\nhost: shop.example.com\nimage:\n  tag: 1.1.0\nreplicaCount: 3\nlogLevel: info\nextraEnv:\n  - name: STAGE\n    value: prod-eu\n',
      ],
    });
    assert.deepEqual(classes(plan), {
      namespace: 'identity',
      namePrefix: 'identity',
      'components[0]': 'identity',
      env: 'identity',
      host: 'identity',
      'image.tag': 'flows',
      replicaCount: 'own',
      logLevel: 'flows',
      'extraEnv[name=STAGE].value': 'identity',
    });
    assert.deepEqual(plan.values.filter((v) => v.selected).map((v) => v.path), ['image.tag', 'logLevel']);
  });

  it('an Argo CD destination is identity; its chart targetRevision flows', () => {
    const app = (cluster: string, revision: string): string => `kind: Application\nmetadata:\n  name: shop\nspec:\n  destination:\n    name: ${cluster}\n  source:\n    chart: shop\n    targetRevision: ${revision}\n`;
    const plan = planOf('staging', 'prod', { 'app.yaml': [app('cluster-a', '1.3.0'), app('cluster-b', '1.2.0')] });
    assert.deepEqual(classes(plan), { 'spec.destination.name': 'identity', 'spec.source.targetRevision': 'flows' });
  });

  it('with history: a target value that was once the source value flowed; one that never was is the environment’s own', () => {
    const plan = planOf(
      'staging',
      'prod',
      { 'config.yaml': ['mode: fast\nlocale: de\n', 'mode: safe\nlocale: fr\n'] },
      { history: { source: new Map([['envs/staging/config.yaml', ['mode: safe\nlocale: de\n', 'mode: fast\nlocale: de\n']]]), target: new Map() } },
    );
    assert.deepEqual(
      plan.values.map((v) => [v.path, v.class, v.reason, v.selected]),
      [
        ['mode', 'flows', 'flowed before', true],
        ['locale', 'own', 'never flowed: the target’s value was never the source’s', false],
      ],
    );
  });

  it('gitops.yaml reads promotion.keep as a list of strings', () => {
    const result = parseGitopsConfig('apiVersion: gitops-environments/v1\nenvironments:\n  - name: dev\n    path: envs/dev\npromotion:\n  keep: [spec.replicas, "**/app.yaml#data.MODE"]\n');
    assert.deepEqual(result.config?.promotion.keep, ['spec.replicas', '**/app.yaml#data.MODE']);
  });

  it('promotion.keep keeps values by dotted path, JSON pointer or file glob and path', () => {
    const keep = ['spec.paused', '/data/REGION_URL', 'other.yaml#data.MODE'];
    assert.deepEqual(
      parseKeepRules(keep).map((r) => [r.glob, r.path]),
      [[null, 'spec.paused'], [null, '/data/REGION_URL'], ['other.yaml', 'data.MODE']],
    );
    const plan = planOf(
      'staging',
      'prod',
      {
        'app.yaml': ['spec:\n  paused: true\ndata:\n  REGION_URL: a\n  MODE: x\n', 'spec:\n  paused: false\ndata:\n  REGION_URL: b\n  MODE: y\n'],
        'other.yaml': ['data:\n  MODE: x\n', 'data:\n  MODE: y\n'],
      },
      { keep },
    );
    assert.deepEqual(
      plan.values.map((v) => [v.file.slice(10), v.path, v.class]),
      [
        ['app.yaml', 'spec.paused', 'own'],
        ['app.yaml', 'data.REGION_URL', 'own'],
        ['app.yaml', 'data.MODE', 'flows'],
        ['other.yaml', 'data.MODE', 'own'],
      ],
    );
  });

  it('objects pair by kind and name without the environments’ words; list items by merge key, not position', () => {
    const plan = planOf('staging', 'prod', {
      'deploy.yaml': [
        'kind: Deployment\nmetadata:\n  name: staging-web\nspec:\n  template:\n    spec:\n      containers:\n        - name: sidecar\n          image: envoy:1.2\n        - name: app\n          image: web:2.0\n',
        'kind: Deployment\nmetadata:\n  name: prod-web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: web:1.0\n        - name: sidecar\n          image: envoy:1.2\n',
      ],
    });
    assert.deepEqual(
      plan.values.map((v) => [v.path, v.from, v.to, v.class]),
      [
        ['metadata.name', 'prod-web', 'staging-web', 'identity'],
        ['spec.template.spec.containers[name=app].image', 'web:1.0', 'web:2.0', 'flows'],
      ],
    );
  });
});

describe('safety checks', () => {
  it('chart versions of HelmRelease, kustomize helmCharts, Chart.yaml dependencies and Argo CD targetRevision warn when they go back', () => {
    const plan = planOf('staging', 'prod', {
      'release.yaml': ['kind: HelmRelease\nmetadata:\n  name: shop\nspec:\n  chart:\n    spec:\n      version: 1.2.0\n', 'kind: HelmRelease\nmetadata:\n  name: shop\nspec:\n  chart:\n    spec:\n      version: 1.3.0\n'],
      'kustomization.yaml': ['helmCharts:\n  - name: redis\n    version: 17.0.0\n', 'helmCharts:\n  - name: redis\n    version: 18.1.0\n'],
      'Chart.yaml': ['dependencies:\n  - name: pg\n    version: 12.1.0\n', 'dependencies:\n  - name: pg\n    version: 12.0.9\n'],
      'app.yaml': ['kind: Application\nmetadata:\n  name: shop\nspec:\n  source:\n    chart: shop\n    targetRevision: 2.0.0\n', 'kind: Application\nmetadata:\n  name: shop\nspec:\n  source:\n    chart: shop\n    targetRevision: 2.1.0\n'],
    });
    // Chart.yaml's dependency goes up (12.0.9 → 12.1.0): no warning.
    assert.deepEqual(plan.warnings.map((w) => `${w.code} ${w.message.replace(/:\d+:/, ':')}`).sort(), [
      'chart-downgrade envs/prod/app.yaml: the chart version would go from 2.1.0 back to 2.0.0',
      'chart-downgrade envs/prod/kustomization.yaml: the chart version would go from 18.1.0 back to 17.0.0',
      'chart-downgrade envs/prod/release.yaml: the chart version would go from 1.3.0 back to 1.2.0',
    ]);
    assert.ok(plan.values.every((v) => v.class === 'flows'));
  });

  it('image mode warns about an older tag too', () => {
    const plan = buildPromotionPlan({
      kind: 'promotion',
      layout: 'image',
      source: side('staging', 'envs/staging'),
      target: side('prod', 'envs/prod'),
      commits: [],
      commitTotal: 0,
      imageFiles: [{ sourcePath: 'envs/staging/app.yaml', targetPath: 'envs/prod/app.yaml', sourceText: 'image: ghcr.io/acme/web:2024-05-01\n', targetText: 'image: ghcr.io/acme/web:2024-06-01\n', targetBlob: 'b', targetMode: '100644' }],
      host: { kind: 'github', webUrl: null },
    });
    assert.deepEqual(plan.warnings.map((w) => w.code), ['image-downgrade']);
  });

  it('an unticked downgrade does not warn; ticking it again does', () => {
    const plan = planOf('staging', 'prod', { 'k.yaml': ['images:\n  - name: shop\n    newTag: "3.0"\n', 'images:\n  - name: shop\n    newTag: "2.0"\n'] });
    assert.deepEqual(plan.warnings, []);
    const back = planOf('staging', 'prod', { 'k.yaml': ['images:\n  - name: shop\n    newTag: "2.0"\n', 'images:\n  - name: shop\n    newTag: "3.0"\n'] });
    assert.deepEqual(back.warnings.map((w) => w.code), ['image-downgrade']);
    const unticked = reselectPlan(back, { values: { [back.values[0].id]: false } });
    assert.deepEqual(unticked.warnings, []);
  });
});

describe('in-place writes', () => {
  it('writes only the promoted lines: comments, quoting, key order and blank lines stay', () => {
    const target = '# prod settings\ndata:\n  # the flag\n  FLAG: "off"   # toggled by ops\n\n  LEVEL: warn\nlist: [a, b]\n';
    const source = '# staging settings\ndata:\n  FLAG: "on"\n  LEVEL: debug\n  NEW: yes-please\nlist: [a, b, c]\n';
    const plan = planOf('staging', 'prod', { 'cfg.yaml': [source, target] });
    const ids = Object.fromEntries(plan.values.map((v) => [v.id, true]));
    const all = reselectPlan(plan, { values: ids });
    const text = fieldLevelText(all, 'envs/prod/cfg.yaml');
    assert.equal(text, '# prod settings\ndata:\n  # the flag\n  FLAG: "on"   # toggled by ops\n\n  LEVEL: debug\n  NEW: yes-please\nlist: [a, b, c]\n');
  });

  it('adds and removes list items and keys on lines of their own, and refuses what it cannot do in place', () => {
    const text = 'env:\n  - name: A\n    value: "1"\n  - name: B\n    value: "2"\nkeep: me\n';
    const added = applyValueEdits(text, [
      { docIndex: 0, pointer: '/env/-', op: 'add', yaml: '{name: C, value: "3"}' },
      { docIndex: 0, pointer: '/env/0', op: 'remove' },
    ]);
    assert.deepEqual(added, { text: 'env:\n  - name: B\n    value: "2"\n  - {name: C, value: "3"}\nkeep: me\n', failed: [] });
    const block = 'script: |\n  echo hi\n';
    assert.equal(applyValueEdits(block, [{ docIndex: 0, pointer: '/script', op: 'set', yaml: 'x' }]).failed.length, 1);
  });
});

// ---- Property: random overlays ----

const PAIRS: Array<[string, string]> = [
  ['staging', 'prod'],
  ['staging-eu', 'prod-eu'],
  ['qa', 'staging'],
  ['dev-us', 'qa-us'],
  ['int', 'preprod'],
];

interface Generated {
  text: string;
  /** Lines that hold identity or own values (must stay byte-identical). */
  kept: string[];
  /** Lines the promotion must write, as they must read afterwards. */
  promoted: string[];
}

function overlayFor(env: string, rnd: () => number, shared: { tag: string; flag: string; settings: string[] }, pick: number): Generated {
  const tier = env.split('-')[0];
  const lines: Array<{ line: string; kind: 'kept' | 'flow' | 'same' }> = [
    { line: 'apiVersion: apps/v1', kind: 'same' },
    { line: 'kind: Deployment', kind: 'same' },
    { line: 'metadata:', kind: 'same' },
    { line: `  name: ${env}-web`, kind: 'kept' },
    { line: `  namespace: shop-${env}`, kind: 'kept' },
    { line: '  labels:', kind: 'same' },
    { line: `    env: ${tier}`, kind: 'kept' },
    { line: 'spec:', kind: 'same' },
    { line: `  replicas: ${1 + Math.floor(rnd() * 9)}`, kind: 'kept' },
    { line: '  template:', kind: 'same' },
    { line: '    spec:', kind: 'same' },
    { line: '      containers:', kind: 'same' },
    { line: '        - name: app', kind: 'same' },
    { line: `          image: ghcr.io/acme/shop:${shared.tag}  # bumped by CI`, kind: 'flow' },
    { line: '          env:', kind: 'same' },
    { line: '            - name: STAGE', kind: 'same' },
    { line: `              value: "${env}"`, kind: 'kept' },
    { line: '            - name: PUBLIC_URL', kind: 'same' },
    { line: `              value: https://${tier === 'prod' ? '' : `${tier}.`}shop.example.com/`, kind: 'kept' },
    { line: '            - name: FEATURE_FLAG', kind: 'same' },
    { line: `              value: "${shared.flag}"`, kind: 'flow' },
    { line: '          resources:', kind: 'same' },
    { line: '            limits:', kind: 'same' },
    { line: `              memory: ${128 * (1 + Math.floor(rnd() * 8))}Mi`, kind: 'kept' },
  ];
  // A random subset of settings lines in random comment styles.
  shared.settings.forEach((setting, i) => {
    if ((pick >> i) & 1) lines.push({ line: `# setting ${setting}`, kind: 'same' });
  });
  return {
    text: `${lines.map((l) => l.line).join('\n')}\n`,
    kept: lines.filter((l) => l.kind === 'kept').map((l) => l.line),
    promoted: lines.filter((l) => l.kind === 'flow').map((l) => l.line),
  };
}

describe('property: random overlays', () => {
  it('after a promotion with the default ticks, identity and own lines are byte-identical and flowing values equal the source’s', () => {
    const rnd = seededRandom(20261207);
    for (let round = 0; round < 60; round++) {
      const [from, to] = PAIRS[Math.floor(rnd() * PAIRS.length)];
      const settings = ['a', 'b', 'c'];
      const pick = Math.floor(rnd() * 8);
      const source = overlayFor(from, rnd, { tag: `1.${Math.floor(rnd() * 20) + 10}.0`, flag: rnd() < 0.5 ? 'on' : 'off', settings }, pick);
      const target = overlayFor(to, rnd, { tag: `1.${Math.floor(rnd() * 10)}.0`, flag: rnd() < 0.5 ? 'on' : 'off', settings }, pick);
      const plan = planOf(from, to, { 'web.yaml': [source.text, target.text] });
      const written = fieldLevelText(plan, `envs/${to}/web.yaml`) ?? target.text;
      const lines = written.split('\n');
      for (const line of target.kept) assert.ok(lines.includes(line), `round ${round} (${from} → ${to}): lost "${line}" in\n${written}`);
      for (const line of source.promoted) assert.ok(lines.includes(line), `round ${round} (${from} → ${to}): missing "${line}" in\n${written}`);
      assert.equal(lines.length, target.text.split('\n').length, 'no line added or removed');
      assert.deepEqual(plan.warnings, [], `round ${round}: ${JSON.stringify(plan.warnings)}`);
    }
  });
});

// ---- Property: value diff + in-place writes round-trip ----

type Tree = string | number | boolean | Tree[] | { [key: string]: Tree };

function randomScalar(rnd: () => number): string | number | boolean {
  const pick = Math.floor(rnd() * 6);
  if (pick === 0) return Math.floor(rnd() * 100);
  if (pick === 1) return rnd() < 0.5;
  if (pick === 2) return `v${Math.floor(rnd() * 1000)}.${Math.floor(rnd() * 10)}`;
  if (pick === 3) return ['on', 'yes', '1.10', 'a: b', 'x, y', ''][Math.floor(rnd() * 6)];
  return `word${Math.floor(rnd() * 50)}`;
}

function randomTree(rnd: () => number, depth: number): Tree {
  const pick = depth > 2 ? 0 : Math.floor(rnd() * 4);
  if (pick === 0) return randomScalar(rnd);
  if (pick === 1) {
    // A list of distinct scalars (compared as a set) or of named items (paired by name).
    if (rnd() < 0.5) return [...new Set(Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => `item${Math.floor(rnd() * 6)}`))];
    return [...new Set(Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => `n${Math.floor(rnd() * 5)}`))].map((name) => ({ name, value: randomScalar(rnd) }));
  }
  const out: { [key: string]: Tree } = {};
  for (let i = 0; i < 1 + Math.floor(rnd() * 4); i++) out[`k${Math.floor(rnd() * 6)}`] = randomTree(rnd, depth + 1);
  return out;
}

/** A changed copy: some values replaced, keys added or dropped, list items added or dropped. */
function mutate(tree: Tree, rnd: () => number, depth = 0): Tree {
  if (Array.isArray(tree)) {
    const kept = tree.filter(() => rnd() > 0.2);
    if (rnd() < 0.3) kept.push(typeof tree[0] === 'object' ? { name: `n${5 + Math.floor(rnd() * 5)}`, value: randomScalar(rnd) } : `item${6 + Math.floor(rnd() * 6)}`);
    return kept.map((item) => (typeof item === 'object' && rnd() < 0.5 ? mutate(item, rnd, depth + 1) : item));
  }
  if (typeof tree === 'object') {
    const out: { [key: string]: Tree } = {};
    for (const [key, value] of Object.entries(tree)) {
      if (rnd() < 0.15) continue;
      out[key] = key === 'name' ? value : rnd() < 0.3 ? mutate(value, rnd, depth + 1) : value;
    }
    if (rnd() < 0.3) out[`new${Math.floor(rnd() * 3)}`] = randomScalar(rnd);
    return out;
  }
  return rnd() < 0.4 ? randomScalar(rnd) : tree;
}

/** Block-style YAML written by hand (so the test does not trust the writer it checks), with comments. */
function toYaml(tree: Tree, indent = ''): string {
  const scalar = (v: string | number | boolean): string => (typeof v === 'string' ? (/^[a-z][a-z0-9]*$/.test(v) && !['on', 'yes', 'no', 'off', 'true', 'false', 'null'].includes(v) ? v : JSON.stringify(v)) : String(v));
  if (Array.isArray(tree)) {
    if (tree.length === 0) return ' []\n';
    return `\n${tree.map((item) => (typeof item === 'object' && !Array.isArray(item) ? `${indent}- ${toYaml(item, `${indent}  `).trimStart()}` : `${indent}- ${scalar(item as string)}\n`)).join('')}`;
  }
  if (typeof tree === 'object') {
    const entries = Object.entries(tree);
    if (entries.length === 0) return ' {}\n';
    return `\n${entries.map(([key, value], i) => `${i === 0 ? '' : ''}${indent}${key}:${typeof value === 'object' ? toYaml(value, `${indent}  `) : ` ${scalar(value)}  # note\n`}`).join('')}`;
  }
  return ` ${scalar(tree)}\n`;
}

/** Lists compared as sets (order is not what the promotion promises), mappings by key. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical).map((v) => JSON.stringify(v)).sort();
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, canonical(v)]));
  return value;
}

describe('property: every value written makes the target read like the source', () => {
  it('random documents: with every value ticked, the written target parses to the source (lists as sets); with none, it is untouched', async () => {
    const { parse } = await import('yaml');
    const rnd = seededRandom(424242);
    let compared = 0;
    for (let round = 0; round < 200; round++) {
      const base = randomTree(rnd, 0);
      const root = typeof base === 'object' && !Array.isArray(base) ? base : { k0: base };
      const source = `# source\n${toYaml(mutate(root, rnd)).trimStart()}`;
      const target = `# target\n${toYaml(mutate(root, rnd)).trimStart()}`;
      if (source.slice(9) === target.slice(9)) continue;
      const plan = planOf('alpha', 'beta', { 'f.yaml': [source, target] });
      const path = 'envs/beta/f.yaml';
      if (!plan.valueTargets.some((t) => t.path === path)) continue; // compared as a whole file (said in a note)
      const all = reselectPlan(plan, { values: Object.fromEntries(plan.values.map((v) => [v.id, true])) });
      const written = fieldLevelText(all, path) ?? '';
      const context = `round ${round}\n--- source\n${source}--- target\n${target}--- written\n${written}`;
      let read: unknown;
      assert.doesNotThrow(() => (read = parse(written)), context);
      assert.deepEqual(canonical(read), canonical(parse(source)), context);
      const none = reselectPlan(plan, { values: Object.fromEntries(plan.values.map((v) => [v.id, false])) });
      assert.equal(fieldLevelText(none, path), target);
      compared++;
    }
    assert.ok(compared > 100, `only ${compared} rounds compared value by value`);
  });
});

it('a new container env list flows unless it carries an identity variable; a scalar `env:` stays identity', async () => {
  const { pairWords } = await import('../../src/core/promotion/environmentWords');
  const { diffYamlFiles, parseYamlFile } = await import('../../src/core/promotion/valueDiff');
  const { classifyValue } = await import('../../src/core/promotion/valueClasses');
  const words = pairWords({ name: 'staging', folder: 'envs/staging' }, { name: 'prod', folder: 'envs/prod' });
  const deployment = (env: string): string => `kind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: web:1\n${env}`;
  const classes = (source: string, target: string): Array<[string, string]> => {
    const parsedSource = parseYamlFile(source);
    const parsedTarget = parseYamlFile(target);
    assert.ok(parsedSource && parsedTarget);
    return diffYamlFiles(parsedSource, parsedTarget, (v) => v).differences.map((diff) => {
      const result = classifyValue({ diff, files: ['envs/prod/web.yaml', 'envs/staging/web.yaml'], words, keep: [], excludedBy: null, history: null, sourceDocKey: diff.docKey });
      return [result.class, result.reason];
    });
  };
  const plain = '          env:\n            - name: LOG_FORMAT\n              value: json\n';
  const withIdentity = '          env:\n            - name: LOG_FORMAT\n              value: json\n            - name: APP_ENV\n              value: staging\n';
  for (const target of [deployment(''), deployment('          env: []\n')]) {
    assert.deepEqual(classes(deployment(plain), target).map(([cls]) => cls), ['flows'], target);
  }
  // A whole new list holding an identity variable stays the target's; into `env: []` the items
  // are added one by one, and only the identity variable stays.
  assert.deepEqual(classes(deployment(withIdentity), deployment('')), [['identity', 'variable APP_ENV']]);
  assert.deepEqual(classes(deployment(withIdentity), deployment('          env: []\n')), [['flows', 'new in the source'], ['identity', 'variable APP_ENV']]);
  // Helm-style `env: prod` (a scalar) is still where the environment runs.
  assert.deepEqual(classes('env: staging\nlevel: 1\n', 'env: prod\nlevel: 1\n'), [['identity', 'env']]);
});

it('value edits never write text that does not parse: such edits are all left for a person, the file unchanged', () => {
  const text = 'a: 1  # one\nb: [x]\n';
  const edits = [
    { docIndex: 0, pointer: '/a', op: 'set' as const, yaml: 'x: y' },
    { docIndex: 0, pointer: '/b/-', op: 'add' as const, yaml: 'z' },
  ];
  const result = applyValueEdits(text, edits);
  assert.equal(result.text, text);
  assert.deepEqual(result.failed, edits);
  // The same edits without the one that breaks the file are made.
  assert.deepEqual(applyValueEdits(text, [edits[1]]), { text: 'a: 1  # one\nb: [x, z]\n', failed: [] });
});
