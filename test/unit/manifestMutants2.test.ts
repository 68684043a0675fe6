// Survivors of the core-manifest mutation run in the YAML path of manifest.ts (parseWithYaml,
// parseManifestsWithYaml, isManifestPath), yamlSource.ts, documentSplit.ts and manifestChunks.ts.
// Each test states a rule users rely on — where a problem is shown, what it says, what is read —
// because a mutant that no test notices is a rule that could break unseen.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineCounter, Scalar } from 'yaml';
import { splitDocuments } from '../../src/core/documentSplit';
import { isManifestPath, parseManifests, parseManifestsWithYaml } from '../../src/core/manifest';
import { IncrementalManifestParser } from '../../src/core/manifestChunks';
import { describeNode, parseYamlDocuments } from '../../src/core/yamlSource';
import { seededRandom } from '../support/seededRandom';

const nested = (open: string, close: string, depth: number, inner = ''): string => `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

describe('isManifestPath', () => {
  it('takes .yaml, .yml and .json in any case, and nothing that only contains them', () => {
    for (const path of ['a.yaml', 'dir/b.yml', 'C.YML', 'd.Json', 'e.YAML']) assert.equal(isManifestPath(path), true, path);
    for (const path of ['a.yaml.bak', 'b.yml~', 'c.txt', 'yaml', 'd.jsonl', 'e.yamlx']) assert.equal(isManifestPath(path), false, path);
  });
});

describe('parseManifestsWithYaml', () => {
  it('stops at a file-level problem and reports it alone', () => {
    const result = parseManifestsWithYaml('\u0000\u0001\u0002kind: X\n', 'bin.yaml');
    assert.deepEqual(result.manifests, []);
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0].message, /binary/);
  });

  it('keeps a non-fatal file problem (invalid UTF-8) next to the documents it still reads', () => {
    const result = parseManifestsWithYaml('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: "\uFFFD"\n', 'u.yaml');
    assert.equal(result.manifests.length, 1);
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0].message, /UTF-8/);
    assert.deepEqual(result.problems[0].location?.range?.start, { line: 6, column: 7 });
  });

  it('drops a byte-order mark so columns on the first line are the editor’s', () => {
    const result = parseManifestsWithYaml('\ufeffkind: ConfigMap\nmetadata:\n  name: a\n', 'b.yaml');
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.manifests[0].kindRange, { start: { line: 1, column: 1 }, end: { line: 1, column: 16 } });
  });

  it('applies merge keys as kubectl does', () => {
    const result = parseManifestsWithYaml('base: &b {x: 1, y: 2}\nkind: X\nspec:\n  <<: *b\n  y: 3\n', 'm.yaml');
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.manifests[0].object.spec, { x: 1, y: 3 });
  });

  it('warns once per repeated key, in file order, on the repeated key itself, with a fixed message and hint', () => {
    // The nested repetition (line 4) is found after the top-level ones (lines 7 and 9) while walking.
    const result = parseManifestsWithYaml('kind: X\nm:\n  a: 1\n  a: 2\nb: 1\nc: 1\nb: 2\nc: 2\nc: 3\n', 'd.yaml');
    assert.deepEqual(result.problems, [
      {
        severity: 'warning',
        message: 'Key "a" is repeated; the last value is used, as kubectl does',
        location: { file: 'd.yaml', range: { start: { line: 4, column: 3 }, end: { line: 4, column: 4 } } },
        hint: 'remove the earlier occurrence so the file says one thing',
      },
      {
        severity: 'warning',
        message: 'Key "b" is repeated; the last value is used, as kubectl does',
        location: { file: 'd.yaml', range: { start: { line: 7, column: 1 }, end: { line: 7, column: 2 } } },
        hint: 'remove the earlier occurrence so the file says one thing',
      },
      ...[8, 9].map((line) => ({
        severity: 'warning' as const,
        message: 'Key "c" is repeated; the last value is used, as kubectl does',
        location: { file: 'd.yaml', range: { start: { line, column: 1 }, end: { line, column: 2 } } },
        hint: 'remove the earlier occurrence so the file says one thing',
      })),
    ]);
    assert.equal(result.manifests[0].object.c, 3);
    assert.deepEqual(result.manifests[0].object.m, { a: 2 });
  });

  it('a document with a syntax error is not read, and its repeated keys are not warned about', () => {
    const result = parseManifestsWithYaml('kind: X\nb: 1\nb: 2\nc: {d: 1\n---\nkind: Y\n', 's.yaml');
    assert.deepEqual(result.manifests.map((m) => m.object.kind), ['Y']);
    assert.ok(result.problems.length > 0);
    for (const problem of result.problems) {
      assert.equal(problem.severity, 'error');
      assert.match(problem.message, /^YAML syntax error: [^\n]+$/);
      assert.equal(problem.hint, 'fix the YAML; the other documents of this file are still read');
    }
  });

  it('locates a syntax error on the offending text, spanning it', () => {
    const result = parseManifestsWithYaml('kind: X\na: {b: 1\n', 's.yaml');
    assert.deepEqual(result.problems, [
      {
        severity: 'error',
        message: 'YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }',
        location: { file: 's.yaml', range: { start: { line: 3, column: 1 }, end: { line: 3, column: 2 } } },
        hint: 'fix the YAML; the other documents of this file are still read',
      },
    ]);
  });

  it('refuses a document nested past the composer guard, naming the document', () => {
    const result = parseManifestsWithYaml(`kind: X\n---\nkind: Y\nv: ${nested('[', ']', 300)}\n`, 'deep.yaml');
    assert.deepEqual(result.manifests.map((m) => m.object.kind), ['X']);
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0].severity, 'error');
    assert.equal(result.problems[0].message, 'Document 2 cannot be read: Collections nest deeper than 256 levels');
    assert.equal(result.problems[0].hint, 'fix the YAML; the other documents of this file are still read');
    assert.deepEqual(result.problems[0].location?.range?.start, { line: 4, column: 259 });
  });

  it('reads up to 200 levels and refuses 201 (the value depth limit), naming the document', () => {
    // kind: at level 1 and the list opened at level 2: value depth = 1 + n.
    for (const depth of [150, 199, 200]) {
      const ok = parseManifestsWithYaml(`kind: X\nv: ${nested('[', ']', depth)}\n`, 'd.yaml');
      assert.deepEqual(ok.problems, [], `depth ${depth}`);
      assert.equal(ok.manifests.length, 1);
    }
    const refused = parseManifestsWithYaml(`kind: W\n---\nkind: X\nv: ${nested('[', ']', 201)}\n`, 'd.yaml');
    assert.deepEqual(refused.manifests.map((m) => m.object.kind), ['W']);
    assert.deepEqual(refused.problems, [
      {
        severity: 'error',
        message: 'Document 2 nests deeper than 200 levels',
        location: { file: 'd.yaml', range: { start: { line: 2, column: 1 }, end: { line: 5, column: 1 } } },
      },
    ]);
  });

  it('places an alias without its anchor on the alias and names the anchor to define', () => {
    const result = parseManifestsWithYaml('kind: W\n---\nkind: X\nmissing: *nope\n', 'a.yaml');
    assert.deepEqual(result.manifests.map((m) => m.object.kind), ['W']);
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0].message, /^Document 2 cannot be expanded: /);
    assert.deepEqual(result.problems[0].location?.range, { start: { line: 4, column: 10 }, end: { line: 4, column: 15 } });
    assert.equal(result.problems[0].hint, 'define the anchor &nope before this alias');
  });

  it('refuses an alias bomb on its document, with the bomb hint', () => {
    const lines = ['kind: X', 'a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const result = parseManifestsWithYaml(`kind: W\n---\n${lines.join('\n')}\n`, 'bomb.yaml');
    assert.deepEqual(result.manifests.map((m) => m.object.kind), ['W']);
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0].message, /^Document 2 cannot be expanded: /);
    assert.equal(result.problems[0].hint, 'too many YAML aliases (an alias bomb?); inline the values');
    assert.equal(result.problems[0].location?.range?.start.line, 2);
  });

  it('expands a few hundred ordinary aliases (more than the yaml default allows)', () => {
    const anchor = `[${Array(10).fill('1').join(',')}]`;
    const result = parseManifestsWithYaml(`a: &a ${anchor}\nkind: X\nb: [${Array(150).fill('*a').join(',')}]\n`, 'al.yaml');
    assert.deepEqual(result.problems, []);
    assert.equal((result.manifests[0].object.b as unknown[]).length, 150);
  });

  it('valueRangeOf: the node itself for a declared field, the document for "", undefined for an undeclared one', () => {
    const { manifests } = parseManifestsWithYaml('apiVersion: v1\nkind: X\nspec:\n  template:\n    a: 1\n', 'v.yaml');
    const m = manifests[0];
    assert.deepEqual(m.valueRangeOf('/spec/template/a'), { start: { line: 5, column: 8 }, end: { line: 5, column: 9 } });
    assert.deepEqual(m.valueRangeOf(''), { start: { line: 1, column: 1 }, end: { line: 6, column: 1 } });
    assert.equal(m.valueRangeOf('/spec/template/missing'), undefined);
    assert.equal(m.valueRangeOf('/spec/missing'), undefined);
    assert.equal(m.valueRangeOf('/spec/template/a/deeper/still'), undefined);
  });

  it('reads the items of any *List kind, and an ordinary kind with an items field as one object', () => {
    const list = parseManifestsWithYaml('apiVersion: v1\nkind: ConfigMapList\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n', 'l.yaml');
    assert.deepEqual(list.manifests.map((m) => m.id?.name), ['a', 'b']);
    assert.equal(list.manifests[1].range.start.line, 5);
    const plain = parseManifestsWithYaml('apiVersion: v1\nkind: Widget\nmetadata: {name: w}\nitems:\n- kind: ConfigMap\n  metadata: {name: a}\n', 'w.yaml');
    assert.deepEqual(plain.manifests.map((m) => m.object.kind), ['Widget']);
    // The fast path gives a *List file to the full reader too.
    const fast = parseManifests('apiVersion: v1\nkind: ConfigMapList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n', 'l.yaml');
    assert.deepEqual(fast.manifests.map((m) => m.id?.name), ['a']);
  });
});

describe('parseYamlDocuments', () => {
  it('calls a scalar without a value empty', () => {
    assert.equal(describeNode(new Scalar(undefined)), 'empty');
    assert.equal(describeNode(new Scalar(null)), 'empty');
  });

  it('guards nesting through block sequences and through mapping keys, not only flow values', () => {
    assert.deepEqual(parseYamlDocuments(`${'- '.repeat(300)}x\n`).map((d) => d.errors.map((e) => e.code)), [['RESOURCE_EXHAUSTION']]);
    assert.deepEqual(parseYamlDocuments(`${'{'.repeat(300)}a: 1${'}: 1'.repeat(300)}\n`).map((d) => d.errors.map((e) => e.code)), [['RESOURCE_EXHAUSTION']]);
    assert.deepEqual(parseYamlDocuments(`${'- '.repeat(100)}x\n`).map((d) => d.errors.length), [0]);
  });

  it('reports a repeated key at its own first character, and repeated numbers too; merge keys and NaN never', () => {
    const [doc] = parseYamlDocuments('x: 0\n1: a\n1: b\n', {});
    assert.deepEqual(doc.errors.map((e) => [e.code, e.pos]), [['DUPLICATE_KEY', [10, 11]]]);
    assert.deepEqual(parseYamlDocuments('.nan: 1\n.nan: 2\n').map((d) => d.errors.length), [0]);
    const [merged] = parseYamlDocuments('a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: *a\n  <<: *b\n', { merge: true });
    assert.deepEqual(merged.errors, []);
    assert.deepEqual(merged.toJS(), { a: { x: 1 }, b: { y: 2 }, c: { x: 1, y: 2 } });
  });

  it('reads a lone CR as a line break, keeping offsets (property over random CR/LF/CRLF mixes)', () => {
    const random = seededRandom(7);
    for (let round = 0; round < 40; round++) {
      const keys = Array.from({ length: 2 + Math.floor(random() * 5) }, (_, i) => `k${i}: v${i}`);
      const breaks = keys.map(() => ['\n', '\r', '\r\n'][Math.floor(random() * 3)]);
      const text = keys.map((k, i) => k + breaks[i]).join('');
      const lines = new LineCounter();
      const [doc] = parseYamlDocuments(text, { lineCounter: lines });
      assert.deepEqual(doc.errors, []);
      assert.deepEqual(doc.toJS(), Object.fromEntries(keys.map((_, i) => [`k${i}`, `v${i}`])));
      const last = keys.length - 1;
      const offset = text.indexOf(`k${last}:`);
      assert.equal(doc.contents && 'items' in doc.contents ? (doc.contents.items[last] as { key: { range: number[] } }).key.range[0] : -1, offset);
      assert.equal(lines.linePos(offset).line, keys.length);
    }
  });

  it('counts a line break at the very start of the text', () => {
    const lines = new LineCounter();
    const text = '\na: 1\nb: 2\n';
    parseYamlDocuments(text, { lineCounter: lines });
    assert.deepEqual(lines.linePos(text.indexOf('b')), { line: 3, col: 1 });
  });

  it('keeps errors before a `...` in the document it ends, and the next `---` document clean', () => {
    const docs = parseYamlDocuments('a: 1\n]\n...\n---\nb: 2\n');
    assert.deepEqual(docs.map((d) => d.errors.map((e) => e.pos[0])), [[5], []]);
    assert.deepEqual(docs[1].toJS(), { b: 2 });
    const after = parseYamlDocuments('a: 1\n...\n]\n---\nb: 2\n');
    assert.deepEqual(after.map((d) => d.errors.map((e) => e.pos[0])), [[], [9], []]);
    assert.deepEqual(after[2].toJS(), { b: 2 });
    const trailing = parseYamlDocuments('a: 1\n...\n]]\n');
    assert.deepEqual(trailing.map((d) => d.errors.map((e) => e.pos[0])), [[], [9, 10]]);
    const trailingNoEnd = parseYamlDocuments('a: 1\n]]\n');
    assert.equal(trailingNoEnd.length, 1);
  });

  it('gives a syntax error to the document it is in: after a `---`, the new one; before it, the previous one', () => {
    assert.deepEqual(parseYamlDocuments('a: 1\n--- ]\nb: 1\n').map((d) => d.errors.map((e) => e.pos[0])), [[], [9]]);
    const before = parseYamlDocuments('a: 1\n]\n---\nb: 2\n');
    assert.deepEqual(before.map((d) => d.errors.map((e) => e.pos[0])), [[5], []]);
    assert.deepEqual(before.map((d) => d.toJS()), [{ a: 1 }, { b: 2 }]);
  });

  it('guards the right document when junk before the first marker got a document of its own', () => {
    const docs = parseYamlDocuments(`]\n---\na: ${nested('[', ']', 300)}\n---\nb: 1\n`);
    assert.deepEqual(docs.map((d) => d.errors.map((e) => e.code)), [['UNEXPECTED_TOKEN'], ['RESOURCE_EXHAUSTION'], []]);
  });

  it('gives junk left after the last `...` (with no document after it) a document of its own', () => {
    const docs = parseYamlDocuments('a: 1\n...\n... >]\n');
    assert.equal(docs.length, 3);
    assert.deepEqual(docs[0].errors, []);
    assert.deepEqual(docs[0].toJS(), { a: 1 });
    assert.deepEqual(docs[2].errors.map((e) => e.pos[0]), [16]);
    // With `single` there is one document, and what follows it is reported as a second one.
    const single = parseYamlDocuments('a: 1\n...\n... >]\n', { single: true });
    assert.equal(single.length, 1);
    assert.deepEqual(single[0].errors.map((e) => e.code), ['MULTIPLE_DOCS']);
  });

  it('gives no document for an empty text or one holding only comments', () => {
    for (const text of ['', '\n', '# only a comment\n']) assert.deepEqual(parseYamlDocuments(text), [], JSON.stringify(text));
  });

  it('with `single`, reports a second document as MULTIPLE_DOCS with a message', () => {
    const docs = parseYamlDocuments('a: 1\n---\nb: 2\n', { single: true });
    assert.equal(docs.length, 1);
    assert.deepEqual(docs[0].errors.map((e) => [e.code, e.message.split('\n')[0]]), [['MULTIPLE_DOCS', 'Source contains multiple documents']]);
    assert.deepEqual(parseYamlDocuments('a: 1\n', { single: true })[0].errors, []);
  });
});

describe('splitDocuments and the incremental parser', () => {
  it('does not cut a one-line file that is only a marker', () => {
    for (const text of ['---', '--- # only', '---\n']) assert.deepEqual(splitDocuments(text), [{ text, startLine: 0 }], text);
  });

  it('reports whole-file problems once, not once per document', () => {
    const text = 'kind: A\nv: "\uFFFD"\n---\nkind: B\n---\nkind: C\n';
    const result = new IncrementalManifestParser('f.yaml').parse(text);
    assert.equal(result.manifests.length, 3);
    assert.equal(result.problems.length, 1);
    assert.deepEqual(result.problems, parseManifests(text, 'f.yaml').problems);
  });

  it('a % inside a value does not make the file a whole-file parse', () => {
    const parser = new IncrementalManifestParser('f.yaml');
    const text = 'kind: A\nv: 50%\n---\nkind: B\nv: 1\n---\nkind: C\n';
    assert.equal(parser.parse(text).reparsed, 3);
    assert.equal(parser.parse(text.replace('v: 1', 'v: 2')).reparsed, 1);
  });

  it('keeps the problems of a file read as a whole (directive) together with the file’s own', () => {
    const text = '%YAML 1.2\n---\nkind: A\nv: "\uFFFD"\n---\nkind: [\n';
    const result = new IncrementalManifestParser('f.yaml').parse(text);
    assert.deepEqual(result.problems, parseManifests(text, 'f.yaml').problems);
    assert.ok(result.problems.length >= 2);
  });
});
