// Regression tests for what the hostile corpus and the fuzz tests found (issue 6 §2), one per
// fix, on literal inputs and in plain Node: each failed (or hung, or killed the process) before.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { printable } from '../../src/cli/cliSupport';
import { parseGitopsConfig } from '../../src/core/config';
import { compareResource } from '../../src/core/drift/compare';
import { compileIgnoreRules, rulesFor } from '../../src/core/drift/ignoreRules';
import { normalizeObject } from '../../src/core/drift/normalize';
import { identify, parseManifests } from '../../src/core/manifest';
import { IncrementalManifestParser } from '../../src/core/manifestChunks';
import { regexHazard, safeFullMatcher, wildcardMatches } from '../../src/core/patternSafety';
import { globMatches } from '../../src/core/promotion/globMatch';
import { planImageChanges } from '../../src/core/promotion/imageChanges';
import { unifiedDiff } from '../../src/core/promotion/lineDiff';
import { parseRenderedYaml } from '../../src/render/renderedYaml';
import { describeScaling, measureScaling } from '../support/scaling';

/** Runs `fn` and fails when it takes longer than `ms` (a regression to backtracking or quadratic time). */
function fast<T>(ms: number, fn: () => T): T {
  const started = performance.now();
  const value = fn();
  const took = performance.now() - started;
  assert.ok(took < ms, `took ${Math.round(took)} ms (limit ${ms} ms)`);
  return value;
}

const lineOf = (r: ReturnType<typeof parseManifests>): number[] => r.problems.map((p) => p.location?.range?.start.line ?? 0);

describe('YAML with positions on hostile text', () => {
  it('10 000 nested collections are a located error, again and again (a stack overflow in V8 regexp code used to abort the process)', () => {
    const deep = `a: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`;
    for (let i = 0; i < 3; i++) {
      const r = fast(2000, () => parseManifests(deep, 'deep.yaml'));
      assert.match(r.problems[0].message, /nest deeper than 256/);
      assert.deepEqual(lineOf(r), [1]);
      assert.match(parseGitopsConfig(deep).problems[0].message, /nest deeper/);
    }
  });

  /** A ConfigMap of `count` keys, the 8th repeated at the end. */
  const repeatedKey = (count: number): string => {
    const keys = Array.from({ length: count }, (_, i) => `  k${i}: v`);
    keys.push('  k7: again');
    return `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n${keys.join('\n')}\n`;
  };

  it('duplicate keys are found in linear time: 10× the keys (1,000 → 10,000) takes < 30× the time', (t) => {
    // Checking each key against all earlier ones (the hazard) would make 10× the keys cost 100×.
    const scaling = measureScaling(repeatedKey, (text) => parseManifests(text, 'dup.yaml'), 1_000, 10_000, 3);
    t.diagnostic(describeScaling(scaling, 1_000, 10_000));
    assert.ok(scaling.ratio < 30, describeScaling(scaling, 1_000, 10_000));
  });

  it('a repeated key among 40,000 is reported on its line, and the last value is read', () => {
    const r = fast(3000, () => parseManifests(repeatedKey(40_000), 'dup.yaml'));
    assert.deepEqual(lineOf(r), [40_005]);
    assert.equal(r.problems[0].severity, 'warning');
    assert.match(r.problems[0].message, /"k7" is repeated; the last value is used/);
    assert.equal((r.manifests[0].object.data as Record<string, string>).k7, 'again');
  });

  it('a lone CR ends a line, as in the editor', () => {
    const r = parseManifests('apiVersion: v1\rkind: ConfigMap\r\nmetadata:\r  name: cr\n', 'cr.yaml');
    assert.deepEqual(r.problems, []);
    assert.equal(r.manifests[0].id?.name, 'cr');
    assert.equal(r.manifests[0].kindRange.start.line, 2);
    assert.equal(r.manifests[0].rangeOf('/metadata/name').start.line, 4);
  });

  it('a syntax error stays in its own document: the valid documents around it are kept', () => {
    const cm = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
    for (const text of [`${cm('a')}---\n}\n---\n${cm('b')}`, `}\n---\n${cm('a')}---\n${cm('b')}`, `${cm('a')}]junk: 1\n...\n---\n${cm('b')}`, `${cm('a')}...\n]\n---\n${cm('b')}`]) {
      const r = parseManifests(text, 'multi.yaml');
      assert.ok(r.problems.length > 0, text);
      const names = r.manifests.map((m) => m.id?.name ?? null);
      assert.ok(names.includes('b'), `${JSON.stringify(text)} lost b: ${JSON.stringify(names)}`);
    }
  });

  it('positions after a broken multi-line token are still right', () => {
    const r = parseManifests('  name: a\napiVersion: v1\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n', 'x.yaml');
    assert.equal(r.manifests.find((m) => m.id)?.kindRange.start.line, 6);
  });

  it('merge keys are applied as kubectl applies them', () => {
    const r = parseManifests('base: &b {app: web, tier: front}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\n  labels:\n    <<: *b\n    tier: back\n', 'm.yaml');
    assert.deepEqual((r.manifests[0].object.metadata as Record<string, unknown>).labels, { app: 'web', tier: 'back' });
  });

  it('explicitly tagged binary, timestamps and sets become JSON values; __proto__ stays a key', () => {
    const r = parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: t}\ndata:\n  b: !!binary aGVsbG8=\n  t: !!timestamp 2001-12-14t21:59:43.10-05:00\n  s: !!set {x, y}\n  __proto__: {polluted: true}\n', 't.yaml');
    const data = r.manifests[0].object.data as Record<string, unknown>;
    assert.equal(data.b, 'aGVsbG8=');
    assert.equal(data.t, '2001-12-15T02:59:43.100Z');
    assert.deepEqual(data.s, { x: null, y: null });
    assert.ok(Object.hasOwn(data, '__proto__'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('encodings: UTF-16 and bytes that are not UTF-8 are named, the latter on their line', () => {
    assert.match(parseManifests('\ufffd\ufffda\u0000p\u0000i\u0000', 'u16.yaml').problems[0].message, /UTF-16/);
    const latin1 = parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf\ufffd\n', 'l1.yaml');
    assert.deepEqual(lineOf(latin1), [4]);
    assert.match(latin1.problems[0].message, /UTF-8/);
    assert.match(parseGitopsConfig('\ufffd\ufffda\u0000p\u0000').problems[0].message, /UTF-16/);
  });

  it('an alias without its anchor is located on the alias', () => {
    assert.deepEqual(lineOf(parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: *nowhere\n', 'a.yaml')), [6]);
  });

  it('an empty kind or apiVersion is not an object identity', () => {
    assert.equal(identify({ apiVersion: 'v1', kind: '', metadata: { name: 'x' } }), null);
    assert.equal(identify({ apiVersion: '', kind: 'ConfigMap', metadata: { name: 'x' } }), null);
  });
});

describe('the incremental parser reads what the whole-file parser reads', () => {
  const agree = (text: string): void => {
    const whole = parseManifests(text, 'f.yaml');
    const chunks = new IncrementalManifestParser('f.yaml').parse(text);
    assert.deepEqual(
      chunks.manifests.map((m) => [m.id?.name ?? null, m.kindRange.start.line, JSON.stringify(m.object)]),
      whole.manifests.map((m) => [m.id?.name ?? null, m.kindRange.start.line, JSON.stringify(m.object)]),
    );
    assert.equal(chunks.problems.length > 0, whole.problems.length > 0);
  };
  it('with a %YAML 1.1 directive (it carries over to later documents)', () => agree('%YAML 1.1\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: yes}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata: {x: yes}\n'));
  it('with lone CR line breaks before a later document', () => agree('apiVersion: v1\rkind: ConfigMap\r---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n'));
  it('with a block scalar ending right before ---', () => agree('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  k: |\n    text\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n'));
  it('for a binary file (a NUL in one document makes the whole file binary)', () => agree('a: 1\u0000\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n'));
});

describe('patterns from repositories never backtrack for long', () => {
  it('promotion exclude globs match in linear time with the same meaning', () => {
    fast(500, () => assert.equal(globMatches('**/**/**/**/**/**/**/**/**/**/**/**/x', `${'a/'.repeat(60)}y`), false));
    fast(500, () => assert.equal(globMatches('*a*a*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(200)), false));
    fast(500, () => assert.equal(globMatches(`${'{a,a}'.repeat(20)}b`, 'a'.repeat(20)), false));
    assert.equal(globMatches('**/**/x.yaml', 'a/b/x.yaml'), true);
    assert.equal(globMatches('*a*b', 'xaxb'), true);
    assert.equal(globMatches('[z-a].yaml', 'b.yaml'), false, 'an invalid class matches nothing instead of throwing');
  });

  it('RE2 patterns that would backtrack exponentially are refused or compared as text', () => {
    for (const evil of ['(a+)+b', '(a|a)*b', '(a*)*b', '(?:a+)+$', 'a*a*a*a*b', '(.*)\\1']) assert.ok(regexHazard(evil), evil);
    for (const fine of ['web-.*', '(api|web)', '.*-config', '[a-z0-9]+', 'prod-(eu|us)-[0-9]{1,3}']) assert.equal(regexHazard(fine), undefined, fine);
    const name = `${'a'.repeat(60)}!`;
    fast(200, () => assert.equal(safeFullMatcher('(a+)+b')(name), false));
    assert.equal(safeFullMatcher('(a+)+b')('(a+)+b'), true);
    assert.equal(safeFullMatcher('web-.*')('web-1'), true);
    fast(200, () => assert.equal(wildcardMatches('*a*a*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(300)), false));
    assert.equal(wildcardMatches('web-*-?', 'web-eu-1'), true);
  });

  it('ignore rules: a hazardous Flux target becomes a problem, an Argo glob runs in linear time', () => {
    const compiled = compileIgnoreRules([
      { kind: 'ConfigMap', name: '(a+)+b', jsonPointers: ['/data'], match: 'regex' },
      { name: '*a*a*a*a*a*a*a*a*a*a*a*a*a*b', jsonPointers: ['/data'] },
    ]);
    assert.equal(compiled.problems.length, 1);
    assert.match(compiled.problems[0], /\(a\+\)\+b/);
    const id = { group: '', version: 'v1', kind: 'ConfigMap', namespace: null, name: 'a'.repeat(200) };
    fast(500, () => assert.deepEqual(rulesFor(compiled.rules, id, {}), []));
  });
});

describe('rendered output and drift on hostile values', () => {
  it('a billion laughs in helm output is refused before anything expands it', () => {
    const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: lol}', 'a0: &a0 ["l","l","l","l","l","l","l","l","l"]'];
    for (let i = 1; i < 9; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]`);
    const r = fast(2000, () => parseRenderedYaml(`---\n# Source: c/templates/x.yaml\n${lines.join('\n')}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: fine}\n`));
    assert.deepEqual(r.documents.map((d) => d.id.name), ['fine']);
    assert.match(r.errors[0], /^c\/templates\/x\.yaml: .*expands to more than/);
  });

  it('NaN, __proto__ keys and lists under Object member names compare as themselves', () => {
    // JSON.parse makes `__proto__` an own key, as the YAML reader does.
    const object = JSON.parse('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"spec":{"ports":{"__proto__":[{"a":1}]},"constructor":[{"name":"c"}],"__proto__":[{"b":2}]}}') as Record<string, Record<string, unknown>>;
    object.spec.nan = Number.NaN;
    assert.equal(compareResource({ desired: { object }, live: structuredClone(object) }).status, 'InSync');
    const once = normalizeObject(object);
    assert.equal(JSON.stringify(normalizeObject(once)), JSON.stringify(once));
  });

  it('the CLI shows control characters from names as escapes', () => {
    assert.equal(printable('evil\u001b[31mred\u0007\r\u009b\tok\n'), 'evil\\u001b[31mred\\u0007\\u000d\\u009b\tok\n');
  });

  it('promotion: a 50 MB file is not diffed line by line nor scanned for images', () => {
    const big = 'k: v\n'.repeat(2_000_000);
    const diff = fast(1000, () => unifiedDiff('big.yaml', 'k: w\n', big));
    assert.match(diff.text, /too large to show line by line/);
    assert.equal(diff.insertions, 2_000_000);
    const planned = fast(1000, () => planImageChanges([{ sourcePath: 'a/big.yaml', targetPath: 'b/big.yaml', sourceText: `${big}${big}${big}`, targetText: 'image: x:1\n' }]));
    assert.deepEqual(planned.changes, []);
    assert.match(planned.notes[0], /over 5 MB/);
  });
});
