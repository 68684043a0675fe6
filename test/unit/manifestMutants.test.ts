// Survivors of a mutation run on src/core/manifest.ts (pointers, locating, YAML-only values, whole-file
// checks, shifting by document): each test pins a behaviour the extension relies on — drift hints on
// the right line, values as the API server reads them, located file-level errors — so a change to
// that code that alters what users see fails here instead of shipping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BY_DOCUMENT_BYTES,
  MAX_MANIFEST_BYTES,
  escapePointerToken,
  fileProblems,
  identify,
  parseManifests,
  parseManifestsWithYaml,
  shiftManifest,
  shiftProblem,
  splitPointer,
  type ParsedManifest,
} from '../../src/core/manifest';
import type { LocatedProblem, SourceRange } from '../../src/core/model';
import { seededRandom as rng } from '../support/seededRandom';


const configMap = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  key: value\n`;

/** The text a range covers, with 1-based lines and columns and an exclusive end. */
function textAt(text: string, range: SourceRange): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; column: number }): number => lines.slice(0, p.line - 1).reduce((n, l) => n + l.length + 1, 0) + p.column - 1;
  return text.slice(offset(range.start), offset(range.end));
}

test('pointer tokens with "/" and "~" survive escaping and splitting (RFC 6901)', () => {
  const next = rng(1);
  const alphabet = ['a', 'b', '/', '~', '0', '1', '.', '-'];
  for (let round = 0; round < 300; round++) {
    const count = 1 + Math.floor(next() * 4);
    const tokens = Array.from({ length: count }, () => Array.from({ length: 1 + Math.floor(next() * 5) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''));
    assert.deepEqual(splitPointer(`/${tokens.map(escapePointerToken).join('/')}`), tokens);
  }
  assert.deepEqual(splitPointer('/metadata/annotations/example.com~1owner'), ['metadata', 'annotations', 'example.com/owner']);
  assert.deepEqual(splitPointer('/a~0b'), ['a~b']);
});

test('the root pointer, written "" or "/", names the whole document', () => {
  assert.deepEqual(splitPointer(''), []);
  assert.deepEqual(splitPointer('/'), []);
  const text = configMap('root');
  for (const parse of [parseManifests, parseManifestsWithYaml]) {
    const [m] = parse(text, 'f.yaml').manifests;
    assert.deepEqual(m.rangeOf(''), m.range);
    assert.deepEqual(m.rangeOf('/'), m.range);
  }
});

test('a pointer is split on every "/" after its leading one', () => {
  assert.deepEqual(splitPointer('/spec/template/spec'), ['spec', 'template', 'spec']);
  assert.deepEqual(splitPointer('spec/replicas'), ['spec', 'replicas']);
});

test('every located field range covers the key and its value, for keys with "/" and "~" too', () => {
  const text = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: cm',
    '  annotations:',
    '    example.com/owner: team-a',
    '    a~b: tilde',
    'data: &d',
    '  k1: v1',
    '  k2: v2',
    'list:',
    '  - one',
    '  - two',
    '',
  ].join('\n');
  const [m] = parseManifests(text, 'f.yaml').manifests;
  const cases: Array<[string[], string]> = [
    [['metadata', 'annotations', 'example.com/owner'], 'example.com/owner: team-a'],
    [['metadata', 'annotations', 'a~b'], 'a~b: tilde'],
    [['data', 'k2'], 'k2: v2'],
    [['list', '1'], 'two'],
  ];
  for (const [tokens, expected] of cases) {
    const pointer = `/${tokens.map(escapePointerToken).join('/')}`;
    assert.equal(textAt(text, m.rangeOf(pointer)), expected, pointer);
    assert.equal(textAt(text, m.valueRangeOf(pointer) as SourceRange), expected.replace(/^.*: /, ''), pointer);
  }
});

test('a document nested more than 200 levels deep is refused, one at 200 levels is read', () => {
  // `a` is level 1; each bracket adds one.
  const nest = (n: number): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\na: ${'['.repeat(n)}1${']'.repeat(n)}\n`;
  const ok = parseManifests(nest(199), 'f.yaml');
  assert.deepEqual(ok.problems, []);
  assert.equal(ok.manifests.length, 1);
  const deep = parseManifests(nest(200), 'f.yaml');
  assert.equal(deep.manifests.length, 0);
  assert.deepEqual(
    deep.problems.map((p) => p.message),
    ['Document 1 nests deeper than 200 levels'],
  );
  // The same depth reached through mappings.
  const maps = (n: number): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\na: ${'{b: '.repeat(n)}1${'}'.repeat(n)}\n`;
  assert.deepEqual(parseManifests(maps(199), 'f.yaml').problems, []);
  assert.equal(parseManifests(maps(200), 'f.yaml').problems.length, 1);
});

test('!!binary values reach the object as the standard base64 of their bytes, for every padding', () => {
  const next = rng(7);
  for (let length = 0; length <= 10; length++) {
    const bytes = Buffer.from(Array.from({ length }, () => Math.floor(next() * 256)));
    const encoded = bytes.toString('base64');
    const text = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  blob: !!binary "${encoded}"\n  nested:\n    - inner: !!binary "${encoded}"\n`;
    for (const parse of [parseManifests, parseManifestsWithYaml]) {
      const { manifests, problems } = parse(text, 'f.yaml');
      assert.deepEqual(problems, []);
      assert.deepEqual(manifests[0].object.data, { blob: encoded, nested: [{ inner: encoded }] }, `length ${length}`);
    }
  }
});

test('!!set, !!omap and !!timestamp values become plain JSON data', () => {
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  s: !!set {a, b}\n  o: !!omap\n    - x: 1\n    - y: 2\n  t: !!timestamp 2020-01-02\n';
  const [m] = parseManifests(text, 'f.yaml').manifests;
  assert.deepEqual(m.object.data, { s: { a: null, b: null }, o: { x: 1, y: 2 }, t: '2020-01-02T00:00:00.000Z' });
  // Converted values are ordinary properties: listed, serialised and changeable like any other.
  const data = m.object.data as Record<string, unknown>;
  assert.deepEqual(Object.keys(data), ['s', 'o', 't']);
  assert.equal(JSON.stringify(data), '{"s":{"a":null,"b":null},"o":{"x":1,"y":2},"t":"2020-01-02T00:00:00.000Z"}');
  data.t = 'changed';
  assert.equal(data.t, 'changed');
  delete data.s;
  assert.deepEqual(Object.keys(data), ['o', 't']);
});

test('identify refuses empty apiVersion, kind, name, and tool configuration kinds', () => {
  const base = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } };
  assert.deepEqual(identify(base), { group: '', version: 'v1', kind: 'ConfigMap', namespace: null, name: 'a' });
  assert.equal(identify({ ...base, apiVersion: '' }), null);
  assert.equal(identify({ ...base, kind: '' }), null);
  assert.equal(identify({ ...base, metadata: { name: '' } }), null);
  assert.equal(identify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', metadata: { name: 'k' } }), null);
  assert.equal(identify({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', metadata: { name: 'k' } }), null);
  // An empty namespace is no namespace.
  assert.equal(identify({ ...base, metadata: { name: 'a', namespace: '' } })?.namespace, null);
  assert.equal(identify({ ...base, metadata: { name: 'a', namespace: 'prod' } })?.namespace, 'prod');
});

test('only a NUL near the start marks a file binary', () => {
  const late = `${configMap('late')}# ${'x'.repeat(8000)}\u0000\n`;
  assert.equal(fileProblems(late, 'f.yaml').stop, false);
  const early = `${configMap('early')}\u0000`;
  const result = fileProblems(early, 'f.yaml');
  assert.equal(result.stop, true);
  assert.deepEqual(result.problems, [
    { severity: 'error', message: 'File is binary, not YAML', location: { file: 'f.yaml' }, hint: 'rename it or remove it from the manifests folder' },
  ]);
});

test('a UTF-16 file is recognised by its BOM at the start', () => {
  const utf16 = `\uFFFD\uFFFDa\u0000p\u0000i\u0000`;
  assert.deepEqual(fileProblems(utf16, 'f.yaml'), {
    stop: true,
    problems: [{ severity: 'error', message: 'File is UTF-16, not UTF-8', location: { file: 'f.yaml' }, hint: 'save it as UTF-8' }],
  });
  // Two replacement characters at the end are not a BOM.
  assert.equal(fileProblems(`a\u0000p\u0000\uFFFD\uFFFD`, 'f.yaml').problems[0].message, 'File is binary, not YAML');
});

test('a file over the size limit is refused with a message naming both sizes; one at the limit is not', () => {
  const over = 'a'.repeat(MAX_MANIFEST_BYTES + 1);
  assert.deepEqual(fileProblems(over, 'big.yaml'), {
    stop: true,
    problems: [
      {
        severity: 'error',
        message: 'File is 64.0 MB; manifests over 64 MB are not parsed',
        location: { file: 'big.yaml' },
        hint: 'split it into smaller files',
      },
    ],
  });
  const at = 'a'.repeat(MAX_MANIFEST_BYTES);
  assert.equal(fileProblems(at, 'big.yaml').stop, false);
});

test('a non-UTF-8 byte is located at its line and column whatever the line endings, and the file is still read', () => {
  const next = rng(3);
  const breaks = ['\n', '\r\n', '\r'];
  for (let round = 0; round < 200; round++) {
    const lineCount = 1 + Math.floor(next() * 5);
    const lines = Array.from({ length: lineCount }, () => 'x'.repeat(Math.floor(next() * 6)));
    const line = Math.floor(next() * lineCount);
    const column = Math.floor(next() * (lines[line].length + 1));
    lines[line] = `${lines[line].slice(0, column)}\uFFFD${lines[line].slice(column)}`;
    const eol = breaks[Math.floor(next() * breaks.length)];
    const text = lines.join(eol);
    const result = fileProblems(text, 'f.yaml');
    assert.deepEqual(result, {
      stop: false,
      problems: [
        {
          severity: 'error',
          message: 'File is not valid UTF-8 (a byte sequence here is not UTF-8, or the file holds U+FFFD)',
          location: { file: 'f.yaml', range: { start: { line: line + 1, column: column + 1 }, end: { line: line + 1, column: column + 2 } } },
          hint: 'save the file as UTF-8; its documents are read with the character replaced',
        },
      ],
    }, JSON.stringify(text));
  }
  const parsed = parseManifests(`${configMap('bad')}  other: "\uFFFD"\n`, 'f.yaml');
  assert.equal(parsed.manifests.length, 1);
  assert.equal(parsed.problems.length, 1);
  assert.deepEqual(parsed.problems[0].location?.range?.start, { line: 7, column: 11 });
});

test('fileChecks: false skips the whole-file checks and still reads the documents', () => {
  const text = `${configMap('c')}  other: "\uFFFD"\n`;
  const result = parseManifests(text, 'f.yaml', { fileChecks: false });
  assert.deepEqual(result.problems, []);
  assert.equal(result.manifests.length, 1);
  assert.equal(result.manifests[0].id?.name, 'c');
});

test('a UTF-8 BOM is not part of the first line: ranges start at column 1', () => {
  const text = 'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: a\n';
  for (const parse of [parseManifests, parseManifestsWithYaml]) {
    const plain = parse(text, 'f.yaml').manifests[0];
    const bom = parse(`\uFEFF${text}`, 'f.yaml').manifests[0];
    assert.deepEqual(bom.object, plain.object);
    assert.deepEqual(bom.kindRange, plain.kindRange);
    assert.deepEqual(bom.kindRange.start, { line: 1, column: 1 });
    assert.deepEqual(bom.range, plain.range);
    assert.deepEqual(bom.rangeOf('/kind'), plain.rangeOf('/kind'));
  }
});

function rangesOf(m: ParsedManifest, pointers: string[]): unknown {
  return {
    docIndex: m.docIndex,
    range: m.range,
    kindRange: m.kindRange,
    rangeOf: pointers.map((p) => m.rangeOf(p)),
    valueRangeOf: pointers.map((p) => m.valueRangeOf(p)),
  };
}

test('shifting a manifest moves every range by whole lines, and shifting back restores it', () => {
  const text = `${configMap('a')}---\n${configMap('b')}`;
  const pointers = ['', '/kind', '/metadata/name', '/data/key', '/data/missing', '/nothing'];
  for (const parse of [parseManifests, parseManifestsWithYaml]) {
    for (const m of parse(text, 'f.yaml').manifests) {
      for (const lines of [0, 1, 5, 120]) {
        for (const docIndex of [m.docIndex, m.docIndex + 3]) {
          const shifted = shiftManifest(m, lines, docIndex);
          assert.equal(shifted.docIndex, docIndex);
          assert.deepEqual(shifted.object, m.object);
          assert.deepEqual(shifted.kindRange.start, { line: m.kindRange.start.line + lines, column: m.kindRange.start.column });
          for (const p of pointers) {
            assert.equal(shifted.rangeOf(p).start.line, m.rangeOf(p).start.line + lines);
            assert.equal(shifted.rangeOf(p).end.line, m.rangeOf(p).end.line + lines);
            const value = m.valueRangeOf(p);
            assert.deepEqual(shifted.valueRangeOf(p), value && { start: { ...value.start, line: value.start.line + lines }, end: { ...value.end, line: value.end.line + lines } });
          }
          assert.deepEqual(rangesOf(shiftManifest(shifted, -lines, m.docIndex), pointers), rangesOf(m, pointers));
        }
      }
    }
  }
});

test('shifting a problem moves its range; a problem without a range is unchanged', () => {
  const located: LocatedProblem = { severity: 'error', message: 'm', location: { file: 'f', range: { start: { line: 2, column: 3 }, end: { line: 4, column: 1 } } } };
  assert.deepEqual(shiftProblem(located, 10).location?.range, { start: { line: 12, column: 3 }, end: { line: 14, column: 1 } });
  assert.deepEqual(shiftProblem(shiftProblem(located, 10), -10), located);
  const unlocated: LocatedProblem = { severity: 'error', message: 'm', location: { file: 'f' } };
  assert.deepEqual(shiftProblem(unlocated, 10), unlocated);
});

/** A file of about `bytes` bytes: ConfigMaps, then `tail` documents. */
function largeFile(bytes: number, tail: string): { text: string; head: number } {
  const docs: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const doc = `${configMap(`cm-${i}`)}  filler: ${'f'.repeat(2000)}\n`;
    docs.push(doc);
    size += doc.length + 4;
  }
  return { text: `${docs.join('---\n')}---\n${tail}`, head: docs.length };
}

test('a large file read document by document keeps file positions for manifests and problems', () => {
  const tail = `${configMap('last')}---\nkind: [oops\n---\n${configMap('after')}  bad: "\uFFFD"\n`;
  const { text, head } = largeFile(BY_DOCUMENT_BYTES, tail);
  assert.ok(text.length >= BY_DOCUMENT_BYTES);
  const { manifests, problems } = parseManifests(text, 'big.yaml');
  const lines = text.split('\n');
  const lastLine = lines.indexOf('  name: last') + 1;
  const oopsLine = lines.indexOf('kind: [oops') + 1;
  const badLine = lines.findIndex((l) => l.includes('\uFFFD')) + 1;
  assert.equal(manifests.length, head + 2);
  const last = manifests.find((m) => m.id?.name === 'last') as ParsedManifest;
  assert.equal(last.docIndex, head);
  assert.equal(last.rangeOf('/metadata/name').start.line, lastLine);
  assert.equal(last.valueRangeOf('/metadata/name')?.start.line, lastLine);
  assert.equal(last.kindRange.start.line, lastLine - 2);
  const after = manifests.find((m) => m.id?.name === 'after') as ParsedManifest;
  assert.equal(after.docIndex, head + 2);
  // The syntax error is reported once at its line in the file; the bad byte once, by the whole-file check.
  assert.equal(problems.length, 2, JSON.stringify(problems));
  const syntax = problems.find((p) => p.message.startsWith('YAML syntax error')) as LocatedProblem;
  assert.ok(syntax.location?.range && syntax.location.range.start.line >= oopsLine && syntax.location.range.start.line <= oopsLine + 1);
  const encoding = problems.find((p) => p.message.startsWith('File is not valid UTF-8')) as LocatedProblem;
  assert.equal(encoding.location?.range?.start.line, badLine);
});

test('a single document larger than the by-document threshold is read', () => {
  const text = `${configMap('huge')}  filler: ${'f'.repeat(BY_DOCUMENT_BYTES)}\n`;
  const { manifests, problems } = parseManifests(text, 'huge.yaml');
  assert.deepEqual(problems, []);
  assert.equal(manifests.length, 1);
  assert.equal(manifests[0].id?.name, 'huge');
  assert.equal(manifests[0].rangeOf('/metadata/name').start.line, 4);
});

test('a large file with a %YAML 1.1 directive is read whole, so the directive holds for its later documents', () => {
  const tail = `${configMap('later')}  flag: yes\n`;
  const { text, head } = largeFile(BY_DOCUMENT_BYTES, tail);
  const { manifests, problems } = parseManifests(`%YAML 1.1\n---\n${text}`, 'big.yaml');
  assert.deepEqual(problems.filter((p) => p.severity === 'error'), []);
  assert.equal(manifests.length, head + 1);
  const later = manifests[manifests.length - 1];
  assert.equal(later.id?.name, 'later');
  // YAML 1.1 reads `yes` as true.
  assert.deepEqual(later.object.data, { key: 'value', flag: true });
});
