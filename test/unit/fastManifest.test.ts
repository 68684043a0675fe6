// The fast manifest reader (src/core/fastManifest.ts) must never change a result: wherever it
// accepts a file, parseManifests gives exactly what the `yaml` package gives (values with key
// order, ids, document indexes, document and kind ranges, the range of every field, problems).
// Here: typical manifests it must read itself, what it must give up on, field locations, and a
// quick fuzz of line soup. The whole corpus and the generated manifests in many styles are in
// fastManifestAgreement.test.ts (slower: a mutation run tries this file first).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { readFastDocuments, readFastFile } from '../../src/core/fastManifest';
import { parseManifests, parseManifestsWithYaml } from '../../src/core/manifest';
import { fuzzRuns } from '../support/fuzzSettings';
import { difference, SEED } from './helpers/fastManifestDifference';

describe('fast manifest reader', () => {
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
