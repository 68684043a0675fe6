// The fast manifest reader (src/core/fastManifest.ts) must never change a result: wherever it
// accepts a file, parseManifests gives exactly what the `yaml` package gives (values with key
// order, ids, document indexes, document and kind ranges, the range of every field, problems).
// Checked on every YAML file of the fixtures and tests, and on generated manifests written in many
// styles (fixed seed, bounded time). It must also accept typical manifests, or it buys nothing.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { readFastDocuments, readFastFile } from '../../src/core/fastManifest';
import { escapePointerToken, parseManifests, parseManifestsWithYaml, type ManifestParseResult } from '../../src/core/manifest';
import { fuzzRuns } from '../support/fuzzSettings';
import { assertPresent, SHARED_FIXTURES, underCi } from '../support/requirePresent';

const ROOT = join(__dirname, '..', '..');
/** Fixed seed (FUZZ_SEED overrides it) and fixed run counts below: every machine runs the same cases. */
const SEED = 20_261_126;

function yamlFiles(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === '.git') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yamlFiles(path, out);
    else if (/\.ya?ml$/i.test(entry)) out.push(path);
  }
  return out;
}

function pointers(value: unknown, base = ''): string[] {
  const out = [base];
  if (Array.isArray(value)) value.forEach((item, i) => out.push(...pointers(item, `${base}/${i}`)));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) out.push(...pointers(item, `${base}/${escapePointerToken(key)}`));
  return out;
}

/** Every observable part of two readings, or the first difference. */
function difference(fast: ManifestParseResult, reference: ManifestParseResult): string | undefined {
  if (!isDeepStrictEqual(fast.problems, reference.problems)) return `problems ${JSON.stringify(fast.problems)} vs ${JSON.stringify(reference.problems)}`;
  if (fast.manifests.length !== reference.manifests.length) return `${fast.manifests.length} manifests vs ${reference.manifests.length}`;
  for (let i = 0; i < fast.manifests.length; i++) {
    const a = fast.manifests[i];
    const b = reference.manifests[i];
    if (a.docIndex !== b.docIndex) return `document ${i}: index ${a.docIndex} vs ${b.docIndex}`;
    // Key order counts (hashes and YAML written back follow it): compare the JSON text too.
    if (!isDeepStrictEqual(a.object, b.object) || JSON.stringify(a.object) !== JSON.stringify(b.object)) return `document ${i}: ${JSON.stringify(a.object)} vs ${JSON.stringify(b.object)}`;
    if (!isDeepStrictEqual(a.id, b.id)) return `document ${i}: id`;
    if (!isDeepStrictEqual(a.range, b.range)) return `document ${i}: range ${JSON.stringify(a.range)} vs ${JSON.stringify(b.range)}`;
    if (!isDeepStrictEqual(a.kindRange, b.kindRange)) return `document ${i}: kindRange ${JSON.stringify(a.kindRange)} vs ${JSON.stringify(b.kindRange)}`;
    for (const pointer of [...pointers(a.object), '/no/such/field']) {
      if (!isDeepStrictEqual(a.rangeOf(pointer), b.rangeOf(pointer))) return `document ${i}: rangeOf(${pointer})`;
      if (!isDeepStrictEqual(a.valueRangeOf(pointer), b.valueRangeOf(pointer))) return `document ${i}: valueRangeOf(${pointer})`;
      // Paths that stop short (through a scalar, a missing key) and index spellings Number() reads.
      for (const beyond of [`${pointer}/zz`, `${pointer}/01`, `${pointer}/-0`]) {
        if (!isDeepStrictEqual(a.rangeOf(beyond), b.rangeOf(beyond))) return `document ${i}: rangeOf(${beyond}) ${JSON.stringify(a.rangeOf(beyond))} vs ${JSON.stringify(b.rangeOf(beyond))}`;
      }
    }
  }
  return undefined;
}

describe('fast manifest reader', () => {
  it('gives what the yaml package gives on every YAML file of the fixtures and tests, and reads most of them itself', () => {
    // The shared fixtures are most of this corpus: a CI run without them would check far less.
    if (underCi()) assertPresent('shared fixtures (part of the YAML corpus)', SHARED_FIXTURES);
    const files = [...yamlFiles(SHARED_FIXTURES), ...yamlFiles(join(ROOT, 'test')), ...yamlFiles(join(ROOT, 'scripts'))];
    let accepted = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      if (readFastDocuments(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)) accepted++;
      const diff = difference(parseManifests(text, file), parseManifestsWithYaml(text, file));
      assert.equal(diff, undefined, `${file}: ${diff}`);
    }
    assert.ok(files.length >= 100, `only ${files.length} files found`);
    assert.ok(accepted >= files.length / 2, `the fast path read only ${accepted} of ${files.length} files`);
  });

  it('reads typical manifests itself: workloads, services, config maps with literal blocks, secrets, comments, several documents', () => {
    const text = [
      '# Managed by Git',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web # the front end',
      '  labels:',
      '    app.kubernetes.io/name: web',
      '  annotations: {}',
      'spec:',
      '  replicas: 3',
      '  template:',
      '    spec:',
      '      containers:',
      '      - name: web',
      '        image: "registry.example.com/web:1.4.2"',
      "        args: ['--port', '8080']".replace("['--port', '8080']", '[]'),
      '        env:',
      '          - name: LOG_LEVEL',
      "            value: 'info'",
      '        resources:',
      '          limits: {cpu: "1", memory: 512Mi}',
      '        ports: [{containerPort: 8080, name: http}, {containerPort: 9090}]',
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: settings',
      'data:',
      '  app.properties: |',
      '    a=1',
      '',
      '    # not a comment',
      '      b=2',
      '  strip: |-',
      '    x',
      '  keep: |+',
      '    y',
      '  ratio: 0.5',
      '  octal: 0o17',
      '  empty:',
      '  none: ~',
      '',
    ].join('\n');
    const documents = readFastDocuments(text);
    assert.ok(documents, 'the fast path gave up on a typical file');
    assert.equal(documents.length, 2);
    const diff = difference(parseManifests(text, 'a.yaml'), parseManifestsWithYaml(text, 'a.yaml'));
    assert.equal(diff, undefined, diff);
    const data = (documents[1].value as { data: Record<string, unknown> }).data;
    assert.deepEqual(data, { 'app.properties': 'a=1\n\n# not a comment\n  b=2\n', strip: 'x', keep: 'y\n', ratio: 0.5, octal: 15, empty: null, none: null });
  });

  it('gives up (and parseManifests still reads the file) on what it does not handle', () => {
    const cases: Record<string, string> = {
      anchors: 'kind: A\nbase: &b\n  x: 1\nother: *b\n',
      tags: 'kind: A\nx: !!str 1\n',
      multilineFlow: 'kind: A\nx: { a: 1,\n  b: 2 }\n',
      trailingComma: 'kind: A\nx: [a, b,]\n',
      jsonFlow: 'kind: A\nx: {"a": 1}\n',
      flowPair: 'kind: A\nx: [a: 1]\n',
      flowComment: 'kind: A\nx: [a, # c\n  b]\n',
      folded: 'kind: A\nx: >\n  a\n  b\n',
      multiline: 'kind: A\nx: a\n  b\n',
      tabs: 'kind: A\nx:\ta\n',
      crlf: 'kind: A\r\nx: a\r\n',
      duplicate: 'kind: A\nx: 1\nx: 2\n',
      merge: 'kind: A\n<<: {}\n',
      quotedKey: 'kind: A\n"x": 1\n',
      syntax: 'kind: A\nx: a: b\n',
      badIndent: 'kind: A\nx:\n    a: 1\n  b: 2\n',
      directive: '%YAML 1.2\n---\nkind: A\n',
      documentEnd: 'kind: A\n...\n',
      topLevelList: '- kind: A\n',
      list: 'apiVersion: v1\nkind: List\nitems:\n- kind: A\n',
      noKind: 'x: 1\n',
      nullKind: 'kind:\nx: 1\n',
      proto: 'kind: A\n__proto__: 1\n',
      nestedSeq: 'kind: A\nx:\n- - 1\n',
      escapes: 'kind: A\nx: "\\x41"\n',
      longKey: `kind: A\n${'k'.repeat(1100)}: 1\n`,
    };
    for (const [name, text] of Object.entries(cases)) {
      const documents = readFastDocuments(text);
      const fast = parseManifests(text, 'f.yaml');
      if (documents && name !== 'list' && name !== 'noKind') assert.fail(`${name}: the fast path accepted it`);
      assert.equal(difference(fast, parseManifestsWithYaml(text, 'f.yaml')), undefined, name);
    }
  });

  /** Generated files in many styles: every reading must agree; returns how many the fast path read. */
  const generated = (keys: readonly string[], tricky: readonly string[], numRuns: number): { accepted: number; runs: number } => {
    type Value = unknown;
    const scalar: fc.Arbitrary<Value> = fc.oneof(fc.constantFrom(...tricky), fc.integer({ min: -1e6, max: 1e6 }), fc.boolean(), fc.constant(null), fc.double({ noNaN: true, noDefaultInfinity: true }));
    const { value } = fc.letrec<{ value: Value; map: Value; seq: Value }>((tie) => ({
      value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('map'), tie('seq')),
      map: fc.dictionary(fc.constantFrom(...keys), tie('value'), { maxKeys: 4 }),
      seq: fc.array(tie('value'), { maxLength: 3 }),
    }));
    const style = fc.record({
      quoting: fc.constantFrom('plain', 'single', 'double', 'mixed'),
      indent: fc.constantFrom(2, 4),
      seqSameIndent: fc.boolean(),
      comments: fc.boolean(),
      blankLines: fc.boolean(),
      marker: fc.constantFrom('none', 'leading', 'between'),
      literal: fc.boolean(),
      flow: fc.boolean(),
    });
    type Style = typeof style extends fc.Arbitrary<infer S> ? S : never;

    const quote = (text: string, s: Style, salt: number): string => {
      const mode = s.quoting === 'mixed' ? (['plain', 'single', 'double'] as const)[salt % 3] : s.quoting;
      if (mode === 'single' && !text.includes('\n')) return `'${text.replace(/'/g, "''")}'`;
      if (mode === 'double' || text.includes('\n')) return JSON.stringify(text);
      return text;
    };
    const scalarText = (v: Value, s: Style, salt: number): string => (typeof v === 'string' ? quote(v, s, salt) : v === null ? (salt % 2 ? 'null' : '') : String(v));
    const flowText = (v: Value, s: Style, salt: { n: number }): string => {
      if (Array.isArray(v)) return `[${v.map((item) => flowText(item, s, salt)).join(salt.n++ % 2 ? ', ' : ',')}]`;
      if (v !== null && typeof v === 'object') return `{${Object.entries(v).map(([k, item]) => `${k}: ${flowText(item, s, salt)}`).join(', ')}}`;
      return scalarText(v, s, salt.n++);
    };
    const write = (v: Value, level: number, s: Style, lines: string[], salt: { n: number }): void => {
      const pad = ' '.repeat(level * s.indent);
      const comment = (): string => (s.comments && salt.n++ % 3 === 0 ? ' # note' : '');
      if (Array.isArray(v)) {
        for (const item of v) {
          if (item !== null && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).length > 0) {
            const sub: string[] = [];
            write(item, 0, s, sub, salt);
            const inner = ' '.repeat(s.indent - 2 >= 0 ? 0 : 0);
            lines.push(`${pad}- ${inner}${sub[0]}`);
            for (const line of sub.slice(1)) lines.push(`${pad}  ${line}`);
          } else if (Array.isArray(item) || (item !== null && typeof item === 'object')) {
            lines.push(`${pad}-${comment()}`);
            if (Array.isArray(item) && item.length === 0) lines[lines.length - 1] = `${pad}- []`;
            else if (!Array.isArray(item) && Object.keys(item as object).length === 0) lines[lines.length - 1] = `${pad}- {}`;
            else write(item, level + 1, s, lines, salt);
          } else {
            lines.push(`${pad}- ${scalarText(item, s, salt.n++)}${comment()}`);
          }
        }
        return;
      }
      for (const [key, item] of Object.entries(v as Record<string, Value>)) {
        if (s.blankLines && salt.n++ % 4 === 0) lines.push('');
        if (s.flow && item !== null && typeof item === 'object' && salt.n++ % 2 === 0) {
          lines.push(`${pad}${key}: ${flowText(item, s, salt)}${comment()}`);
          continue;
        }
        if (s.comments && salt.n++ % 5 === 0) lines.push(`${pad}# about ${key}`);
        if (Array.isArray(item)) {
          if (item.length === 0) lines.push(`${pad}${key}: []${comment()}`);
          else {
            lines.push(`${pad}${key}:${comment()}`);
            write(item, s.seqSameIndent ? level : level + 1, s, lines, salt);
          }
        } else if (item !== null && typeof item === 'object') {
          if (Object.keys(item).length === 0) lines.push(`${pad}${key}: {}${comment()}`);
          else {
            lines.push(`${pad}${key}:${comment()}`);
            write(item, level + 1, s, lines, salt);
          }
        } else if (s.literal && typeof item === 'string' && item.includes('\n') && !item.startsWith(' ') && !/\n\n|\n$|^\n|\n /.test(item)) {
          lines.push(`${pad}${key}: |-`);
          for (const part of item.split('\n')) lines.push(`${pad}${' '.repeat(s.indent)}${part}`);
        } else {
          lines.push(`${pad}${key}: ${scalarText(item, s, salt.n++)}${comment()}`);
        }
      }
    };
    const documentArb = fc.record({ kind: fc.constantFrom('Deployment', '"Service"', "'ConfigMap'", 'Kind # c', 'true', '1'), body: fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 5 }) });

    let accepted = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.array(documentArb, { minLength: 1, maxLength: 3 }), style, (documents, s) => {
        const parts: string[] = [];
        documents.forEach((d, i) => {
          const lines: string[] = [];
          if (s.marker === 'leading' || (s.marker === 'between' && i > 0)) lines.push('---');
          lines.push('apiVersion: v1', `kind: ${d.kind}`, 'metadata:', `${' '.repeat(s.indent)}name: n${i}`);
          write(d.body, 0, s, lines, { n: i });
          parts.push(lines.join('\n'));
        });
        const text = `${parts.join(s.marker === 'none' ? '\n---\n' : '\n')}\n`;
        runs++;
        if (readFastDocuments(text)) accepted++;
        const diff = difference(parseManifests(text, 'g.yaml'), parseManifestsWithYaml(text, 'g.yaml'));
        if (diff !== undefined) throw new Error(`${diff}\n--- text ---\n${text}`);
      }),
      fuzzRuns(numRuns, SEED),
    );
    return { accepted, runs };
  };

  it('agrees with the yaml package on generated manifests full of edge cases', () => {
    const tricky = [
      '', '~', 'null', 'Null', 'NULL', 'nul', 'true', 'True', 'TRUE', 'tRue', 'false', 'yes', 'on', 'off', 'y', '0', '-0', '+5', '-5', '007', '0o17', '0o19', '0x1F', '0X1F', '0xg',
      '1e3', '1E-3', '.5', '5.', '1.0', '1.4.3', '.inf', '-.Inf', '+.INF', '.nan', '.NaN', 'NaN', '100m', '128Mi', '12:30', '2001-12-14', '9007199254740993', '1_000',
      'a b', 'a: b', 'a:b', 'a #b', 'a#b', '#a', '- a', '-a', '-', ': a', ':a', 'a:', '{}', '[]', '{a}', "it's", 'say "hi"', 'x\\y', 'trailing ', ' leading', '@x', '`x', '%x',
      '*x', '&x', '!x', '|', '>', '?', '? x', ',x', 'unicode ü 日本 🚀', 'two\nlines', 'ends\n', 'tab\there', '---', '...', 'a---', 'http://x.example/a?b=c#d',
    ];
    const keys = ['name', 'app.kubernetes.io/name', 'LOG_LEVEL', '_x', 'x-y', 'a.b', 'null', 'true', 'on', '123', 'key with space', '__proto__', 'constructor', 'kind2', 'data'];
    const { accepted } = generated(keys, tricky, 400);
    assert.ok(accepted > 20, `the fast path accepted only ${accepted} generated files`);
  });

  it('agrees with the yaml package on generated typical manifests, and reads most of them itself', () => {
    const typical = ['web', 'nginx:1.27', 'registry.example.com/app:1.4.3', '100m', '128Mi', '1.0', '8080', 'info', 'a b c', 'http://x.example/a?b=c#d', "it's", 'two\nlines', 'ü 日本'];
    const keys = ['name', 'image', 'app.kubernetes.io/name', 'LOG_LEVEL', 'replicas', 'ports', 'env', 'value', 'data', 'spec'];
    const { accepted, runs } = generated(keys, typical, 300);
    assert.ok(accepted >= runs / 2, `the fast path accepted only ${accepted} of ${runs} generated files`);
  });

  it('locates one-line scalar fields itself (the drifted fields a report shows), and leaves the rest to yaml', () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web # the app',
      'spec:',
      '  replicas: 2',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: web',
      "          image: 'nginx:1.27'",
      '          args:',
      '            - --port=80',
      '          env: []',
      '      script: |',
      '        echo hi',
      '---',
      'kind: ConfigMap',
      'items:',
      '- one',
      '- two',
      'data:',
      '  LOG_LEVEL: "info"',
      '',
    ].join('\n');
    const fast = readFastFile(text);
    assert.ok(fast, 'the fast reader accepts the file');
    const at = (index: number, pointer: string): string | undefined => {
      const found = fast.locate(index, pointer.split('/').slice(1));
      return found && text.slice(found.start, found.end);
    };
    assert.equal(at(0, '/metadata/name'), 'name: web');
    assert.equal(at(0, '/spec/replicas'), 'replicas: 2');
    assert.equal(at(0, '/spec/replicas/deeper'), 'replicas: 2', 'a path through a scalar stops at it, as yaml does');
    assert.equal(at(0, '/spec/template/spec/containers/0/image'), "image: 'nginx:1.27'");
    assert.equal(at(0, '/spec/template/spec/containers/0/args/0'), '--port=80');
    assert.equal(at(0, '/spec/template/spec/containers/00/args/0'), '--port=80', 'indexes as Number() reads them');
    assert.equal(at(1, '/data/LOG_LEVEL'), 'LOG_LEVEL: "info"', 'past a sequence at its key\'s indentation');
    assert.equal(at(1, '/items/1'), 'two');
    for (const pointer of ['/spec', '/spec/template/spec/containers/0', '/spec/template/spec/containers/0/env', '/spec/template/spec/script', '/spec/missing', '/spec/template/spec/containers/1/image', '']) {
      assert.equal(at(0, pointer), undefined, `${pointer} is left to yaml`);
    }
  });

  it('agrees with the yaml package on random line soup (whatever it accepts must read the same)', () => {
    const indents = ['', '', '  ', '    ', '   ', '      '];
    const heads = ['kind: ', 'a: ', 'b: ', 'a:', '- ', '-', '- a: ', '- - ', '? ', ': ', '---', '--- ', '...', '#', '  # c', '', '"a": ', "'b': ", 'a : ', 'a:b: ', 'x-y.z/w: ', '_k: '];
    const tails = ['', 'v', 'Deployment', '1', '-1', '0x1F', '1e3', '.inf', '~', 'null', 'true', '"q"', "'s'", '"a\\"b"', '{}', '[]', '{a: 1}', '[1, 2]', '[a, {b: c}]', '{a: [1]}', '[a,]', '{a: }', '|', '|-', '>', '&x', '*x', '!t', '@', '`', 'a #c', 'a#c', 'a: b', 'x:', '[a: 1]', '{a: 1, a: 2}', '"unterminated', "'it''s'", 'é', '%', '- x'];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...indents), fc.constantFrom(...heads), fc.constantFrom(...tails)), { minLength: 1, maxLength: 14 }), (parts) => {
        const text = `kind: A\n${parts.map(([indent, head, tail]) => `${indent}${head}${tail}`).join('\n')}\n`;
        if (!readFastDocuments(text)) return;
        const diff = difference(parseManifests(text, 's.yaml'), parseManifestsWithYaml(text, 's.yaml'));
        if (diff !== undefined) throw new Error(`${diff}\n--- text ---\n${text}`);
      }),
      fuzzRuns(3000, SEED),
    );
  });
});
