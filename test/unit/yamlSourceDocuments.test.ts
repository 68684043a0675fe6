// The YAML reading layer under every manifest reader: yamlSource.ts (positions, node names, the
// hostile-input guard, linear duplicate-key detection, where syntax errors land), documentSplit.ts
// (cutting a file at `---`) and manifestChunks.ts (re-parsing only the edited document). Written
// for the mutation group core-manifest: the manifest tests reach this code through parse() but
// hold few of its rules directly. Properties run on seeded generated files.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { splitDocuments } from '../../src/core/documentSplit';
import { parseManifests } from '../../src/core/manifest';
import { IncrementalManifestParser } from '../../src/core/manifestChunks';
import { describeNode, isMergeKey, MAX_YAML_NESTING, parseYamlDocuments, rangeFromOffsets, rangeOfNode, resolveAlias } from '../../src/core/yamlSource';
import { seededRandom } from '../support/seededRandom';

function errorCodes(text: string, options: Parameters<typeof parseYamlDocuments>[1] = {}): string[][] {
  return parseYamlDocuments(text, options).map((doc) => doc.errors.map((error) => error.code));
}

describe('yamlSource positions and names', () => {
  it('gives 1-based ranges and collapses an inverted span onto its start', () => {
    const lines = new LineCounter();
    parseDocument('a: 1\nbb: 22\n', { lineCounter: lines });
    assert.deepEqual(rangeFromOffsets(lines, 5, 12), { start: { line: 2, column: 1 }, end: { line: 3, column: 1 } });
    assert.deepEqual(rangeFromOffsets(lines, 9, 2), { start: { line: 2, column: 5 }, end: { line: 2, column: 5 } });
  });

  it('has no range for a node without one, and the value range for a parsed node', () => {
    const lines = new LineCounter();
    const doc = parseDocument('key: value # note\n', { lineCounter: lines });
    assert.equal(rangeOfNode(lines, undefined), undefined);
    assert.equal(rangeOfNode(lines, null), undefined);
    assert.equal(rangeOfNode(lines, { range: undefined } as unknown as YamlNode), undefined);
    const value = doc.get('key', true) as YamlNode;
    assert.deepEqual(rangeOfNode(lines, value), { start: { line: 1, column: 6 }, end: { line: 1, column: 11 } });
  });

  it('follows an alias once and passes other nodes through, null for nothing', () => {
    const doc = parseDocument('base: &b {x: 1}\nother: *b\n');
    const alias = doc.get('other', true);
    const resolved = resolveAlias(doc, alias);
    assert.ok(resolved && 'items' in resolved);
    assert.equal(resolveAlias(doc, doc.get('base', true)), doc.get('base', true));
    assert.equal(resolveAlias(doc, undefined), null);
    assert.equal(resolveAlias(doc, null), null);
  });

  it('names every kind of node as a user would', () => {
    const doc = parseDocument(`map: {a: 1}\nlist: [1]\nstr: hello\nlong: ${'x'.repeat(45)}\nexact: ${'y'.repeat(40)}\nyes: true\nnum: 4.5\nnothing:\n`);
    const node = (key: string): YamlNode => doc.get(key, true) as YamlNode;
    assert.equal(describeNode(null), 'empty');
    assert.equal(describeNode(node('map')), 'a mapping');
    assert.equal(describeNode(node('list')), 'a list');
    assert.equal(describeNode(node('str')), 'the string "hello"');
    assert.equal(describeNode(node('long')), `the string "${'x'.repeat(40)}…"`);
    assert.equal(describeNode(node('exact')), `the string "${'y'.repeat(40)}"`);
    assert.equal(describeNode(node('yes')), 'the boolean true');
    assert.equal(describeNode(node('num')), 'the number 4.5');
    assert.equal(describeNode(node('nothing')), 'empty');
    const big = parseDocument('n: 12345678901234567890', { intAsBigInt: true }).get('n', true) as YamlNode;
    assert.equal(describeNode(big), 'the number 12345678901234567890');
    const date = parseDocument('d: 2024-01-15', { version: '1.1' }).get('d', true) as YamlNode;
    assert.equal(describeNode(date), 'an unsupported value');
  });

  it('takes only the merge symbol for a merge key', () => {
    assert.equal(isMergeKey(Symbol('<<')), true);
    assert.equal(isMergeKey(Symbol('other')), false);
    assert.equal(isMergeKey('<<'), false);
    assert.equal(isMergeKey(undefined), false);
  });
});

describe('parseYamlDocuments on hostile and broken text', () => {
  const nested = (depth: number, style: 'flow' | 'block'): string => {
    if (style === 'flow') return `${'['.repeat(depth)}1${']'.repeat(depth)}\n`;
    let text = '';
    for (let i = 0; i < depth; i++) text += `${' '.repeat(i)}k${i}:\n`;
    return `${text}${' '.repeat(depth)}leaf\n`;
  };

  it('composes exactly MAX_YAML_NESTING levels and refuses one more, at the offending collection', () => {
    for (const style of ['flow', 'block'] as const) {
      // A block mapping of n keys nests n maps; the flow text nests n lists.
      const atLimit = parseYamlDocuments(nested(MAX_YAML_NESTING, style));
      assert.deepEqual(atLimit.map((doc) => doc.errors.map((e) => e.code)), [[]], style);
      const over = parseYamlDocuments(nested(MAX_YAML_NESTING + 1, style));
      assert.equal(over.length, 1);
      const [error] = over[0].errors;
      assert.equal(error.code, 'RESOURCE_EXHAUSTION', style);
      assert.equal(error.message.split('\n')[0].includes(`Collections nest deeper than ${MAX_YAML_NESTING} levels`), true);
      assert.equal(over[0].toJS(), null, `${style}: the deep document is not composed`);
      const text = nested(MAX_YAML_NESTING + 1, style);
      const offset = error.pos[0];
      // The error sits on the deepest collection, not at the top of the file.
      assert.ok(offset > 0 && offset < text.length, `${style}: ${offset}`);
      assert.equal(error.pos[1], offset + 1);
    }
  });

  it('guards each document on its own: the deep one fails, its neighbours stay', () => {
    const docs = parseYamlDocuments(`a: 1\n---\n${nested(MAX_YAML_NESTING + 2, 'flow')}---\nb: 2\n`);
    assert.deepEqual(docs.map((doc) => doc.errors.map((e) => e.code)), [[], ['RESOURCE_EXHAUSTION'], []]);
    assert.deepEqual(docs[0].toJS(), { a: 1 });
    assert.deepEqual(docs[2].toJS(), { b: 2 });
  });

  it('reports each repeated key once per repetition, with the key, in linear time semantics', () => {
    const [doc] = parseYamlDocuments('a: 1\nb: 2\na: 3\nnested:\n  x: 1\n  x: 2\nlist:\n  - y: 1\n    y: 2\n');
    const messages = doc.errors.map((e) => e.message.split('\n')[0]);
    assert.deepEqual(doc.errors.map((e) => e.code), ['DUPLICATE_KEY', 'DUPLICATE_KEY', 'DUPLICATE_KEY']);
    assert.ok(messages.some((m) => m.includes('Map keys must be unique: "a" is repeated')));
    assert.ok(messages.some((m) => m.includes('"x" is repeated')));
    assert.ok(messages.some((m) => m.includes('"y" is repeated')));
    // The error points at the repeated key itself (line 3 for the second `a`).
    const second = doc.errors.find((e) => e.message.includes('"a"'));
    assert.equal(second?.pos[0], 'a: 1\nb: 2\n'.length);
  });

  it('cuts a long repeated key to 100 characters in the message', () => {
    const key = 'k'.repeat(150);
    const [doc] = parseYamlDocuments(`${key}: 1\n${key}: 2\n`);
    assert.equal(doc.errors.length, 1);
    assert.ok(doc.errors[0].message.includes(`"${'k'.repeat(100)}" is repeated`));
    assert.ok(!doc.errors[0].message.includes('k'.repeat(101)));
  });

  it('does not count merge keys (with merge on), NaN keys, or different scalar types as repeats', () => {
    assert.deepEqual(errorCodes('a: &x {p: 1}\nb:\n  <<: *x\n  <<: *x\n', { merge: true }), [[]]);
    assert.deepEqual(errorCodes('a: &x {p: 1}\nb:\n  <<: *x\n  <<: *x\n'), [['DUPLICATE_KEY']]);
    assert.deepEqual(errorCodes('.nan: 1\n.NaN: 2\n'), [[]]);
    assert.deepEqual(errorCodes('1: a\n"1": b\n'), [[]]);
    assert.deepEqual(errorCodes('a: 1\na: 2\n', { uniqueKeys: false }), [[]]);
  });

  it('reads a lone CR as a line break and keeps every offset', () => {
    const lines = new LineCounter();
    const [doc] = parseYamlDocuments('a: 1\rb: 2\r\nc: 3\r', { lineCounter: lines });
    assert.deepEqual(doc.toJS(), { a: 1, b: 2, c: 3 });
    const c = (doc.contents as { items: Array<{ key: YamlNode }> }).items[2].key;
    assert.equal(c.range?.[0], 'a: 1\rb: 2\r\n'.length);
    assert.deepEqual(lines.linePos(c.range?.[0] ?? 0), { line: 3, col: 1 });
  });

  it('fills the line counter from the text itself, even after a broken multi-line token', () => {
    const text = 'a: "unclosed\nb: 1\nc: 2\n';
    const lines = new LineCounter();
    parseYamlDocuments(text, { lineCounter: lines });
    assert.deepEqual(lines.lineStarts, [0, 13, 18, 23]);
  });

  it('gives syntax errors to the document they are in, never to the valid one before', () => {
    const docs = parseYamlDocuments('a: 1\n---\nb: [unclosed\n---\nc: 3\n');
    assert.equal(docs.length, 3);
    assert.deepEqual(docs[0].errors, []);
    assert.ok(docs[1].errors.length > 0);
    assert.deepEqual(docs[2].errors, []);
    assert.deepEqual(docs[2].toJS(), { c: 3 });
  });

  it('gives junk before the first marker a document of its own', () => {
    const docs = parseYamlDocuments(']]\n---\nok: 1\n');
    assert.equal(docs.length, 2);
    assert.ok(docs[0].errors.length > 0);
    assert.deepEqual(docs[1].errors, []);
    assert.deepEqual(docs[1].toJS(), { ok: 1 });
  });

  it('keeps errors before a `...` in the document it ends, and junk after it on its own', () => {
    const docs = parseYamlDocuments('a: 1\n...\n]]\n');
    assert.deepEqual(docs[0].errors, []);
    assert.deepEqual(docs[0].toJS(), { a: 1 });
    assert.equal(docs.length, 2);
    assert.ok(docs[1].errors.length > 0);
  });

  it('with `single`, returns one document and an error for a second one', () => {
    const docs = parseYamlDocuments('a: 1\n---\nb: 2\n', { single: true });
    assert.equal(docs.length, 1);
    assert.deepEqual(docs[0].errors.map((e) => e.code), ['MULTIPLE_DOCS']);
    assert.deepEqual(docs[0].toJS(), { a: 1 });
    assert.deepEqual(parseYamlDocuments('', { single: true }).length, 1);
    assert.deepEqual(parseYamlDocuments('a: 1\n', { single: true })[0].errors, []);
  });

  it('applies merge keys only when asked', () => {
    const text = 'base: &b {x: 1}\nuse:\n  <<: *b\n  y: 2\n';
    assert.deepEqual(parseYamlDocuments(text, { merge: true })[0].toJS().use, { x: 1, y: 2 });
    assert.deepEqual(Object.keys(parseYamlDocuments(text)[0].toJS().use as object).sort(), ['<<', 'y']);
  });
});

/** A random manifest file: documents with block scalars, comments, directives-free markers. */
function randomFile(random: () => number): string {
  const parts: string[] = [];
  const count = 1 + Math.floor(random() * 5);
  for (let i = 0; i < count; i++) {
    const name = `cm-${i}-${Math.floor(random() * 1000)}`;
    const body = random() < 0.5
      ? `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  script: |\n    echo ---\n    line ${i}\n`
      : `# comment ${i}\napiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\nstringData:\n  k: "v${i}"\n`;
    const marker = random() < 0.3 ? '--- # start\n' : '---\n';
    parts.push(i === 0 && random() < 0.5 ? body : `${marker}${body}`);
  }
  const eol = random() < 0.2 ? '\r\n' : '\n';
  return parts.join('').replace(/\n/g, eol);
}

describe('splitDocuments', () => {
  it('loses nothing: the chunks put together are the file, each starting on its own line', () => {
    const random = seededRandom(7101);
    for (let run = 0; run < 150; run++) {
      const text = randomFile(random);
      const chunks = splitDocuments(text);
      assert.equal(chunks.map((c) => c.text).join(''), text, `run ${run}`);
      let offset = 0;
      for (const chunk of chunks) {
        const before = text.slice(0, offset);
        assert.equal(chunk.startLine, (before.match(/\r\n|\r|\n/g) ?? []).length, `run ${run}`);
        offset += chunk.text.length;
      }
      for (const chunk of chunks.slice(1)) assert.match(chunk.text, /^---(?:[ \t]|\r?\n)/, `run ${run}`);
    }
  });

  it('cuts only at `---` alone at column 1, not inside text, not at `----` or `---x`', () => {
    const text = 'a: 1\n---\nb: |\n  ---x\n ---\n----\n---x: 1\n--- # c\nc: 3\n';
    assert.deepEqual(splitDocuments(text).map((c) => [c.startLine, c.text]), [
      [0, 'a: 1\n'],
      [1, '---\nb: |\n  ---x\n ---\n----\n---x: 1\n'],
      [7, '--- # c\nc: 3\n'],
    ]);
  });

  it('does not cut before a leading marker, and keeps directives with the document they start', () => {
    assert.deepEqual(splitDocuments('---\na: 1\n'), [{ text: '---\na: 1\n', startLine: 0 }]);
    assert.deepEqual(splitDocuments('a: 1\n%YAML 1.1\n%TAG ! x\n---\nb: 2\n').map((c) => [c.startLine, c.text]), [
      [0, 'a: 1\n'],
      [1, '%YAML 1.1\n%TAG ! x\n---\nb: 2\n'],
    ]);
    // Directives right at the start: nothing to cut off.
    assert.deepEqual(splitDocuments('%YAML 1.2\n---\na: 1\n').length, 1);
    assert.deepEqual(splitDocuments(''), [{ text: '', startLine: 0 }]);
  });

  it('counts CR, LF and CRLF each as one line break', () => {
    assert.deepEqual(splitDocuments('a: 1\r---\rb: 2\r\n---\r\nc: 3').map((c) => c.startLine), [0, 1, 3]);
  });
});

describe('IncrementalManifestParser', () => {
  const view = (result: ReturnType<IncrementalManifestParser['parse']>): unknown => ({
    manifests: result.manifests.map((m) => ({ docIndex: m.docIndex, id: m.id, object: m.object, range: m.range, kindRange: m.kindRange, name: m.rangeOf('/metadata/name') })),
    problems: result.problems.map((p) => ({ message: p.message, line: p.location?.range?.start.line })),
  });
  const whole = (text: string): unknown => {
    const result = parseManifests(text, 'f.yaml');
    return view({ ...result, reparsed: 0 });
  };

  it('gives what parsing the whole file gives, and re-parses only the documents that changed', () => {
    const random = seededRandom(7102);
    for (let run = 0; run < 60; run++) {
      const parser = new IncrementalManifestParser('f.yaml');
      const first = randomFile(random);
      const a = parser.parse(first);
      assert.equal(a.reparsed, new Set(splitDocuments(first).map((c) => c.text)).size, `run ${run}`);
      assert.deepEqual(view(a), whole(first), `run ${run}`);
      // Edit one document: only it is parsed again.
      const chunks = splitDocuments(first);
      const pick = Math.floor(random() * chunks.length);
      const edited = chunks.map((c, i) => (i === pick ? c.text.replace(/name: (\S+)/, 'name: $1-edited') : c.text)).join('');
      const b = parser.parse(edited);
      assert.equal(b.reparsed, edited === first ? 0 : 1, `run ${run}`);
      assert.deepEqual(view(b), whole(edited), `run ${run}`);
      // The same text again: nothing is parsed.
      assert.equal(parser.parse(edited).reparsed, 0);
    }
  });

  it('forgets chunks that left the file', () => {
    const parser = new IncrementalManifestParser('f.yaml');
    const a = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n';
    const b = '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n';
    parser.parse(a + b);
    parser.parse(a);
    assert.equal(parser.parse(a + b).reparsed, 1);
  });

  it('parses a file with a directive as a whole (it carries over to later documents)', () => {
    const text = '%YAML 1.1\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n';
    const parser = new IncrementalManifestParser('f.yaml');
    const first = parser.parse(text);
    assert.equal(first.reparsed, 1);
    assert.deepEqual(first.manifests.map((m) => m.id?.name), ['a', 'b']);
    assert.deepEqual(view(first), whole(text));
    assert.equal(parser.parse(text).reparsed, 0);
  });

  it('stops at a file-level problem and parses nothing', () => {
    const parser = new IncrementalManifestParser('f.yaml');
    const result = parser.parse('a\u0000b');
    assert.equal(result.reparsed, 0);
    assert.deepEqual(result.manifests, []);
    assert.ok(result.problems.length > 0);
  });

  it('places problems of a later document on its own lines', () => {
    const parser = new IncrementalManifestParser('f.yaml');
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\nkey: [unclosed\n';
    const result = parser.parse(text);
    assert.deepEqual(view(result), whole(text));
    assert.ok(result.problems.every((p) => (p.location?.range?.start.line ?? 0) >= 6));
  });
});
