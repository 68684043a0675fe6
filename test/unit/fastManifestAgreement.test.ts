// The fast manifest reader agrees with the `yaml` package (see fastManifest.test.ts) on every
// YAML file of the fixtures and tests, and on generated manifests written in many styles (fixed
// seed, fixed run counts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { readFastDocuments } from '../../src/core/fastManifest';
import { parseManifests, parseManifestsWithYaml } from '../../src/core/manifest';
import { fuzzRuns } from '../support/fuzzSettings';
import { assertPresent, SHARED_FIXTURES, underCi } from '../support/requirePresent';
import { difference, ROOT, SEED, yamlFiles } from './helpers/fastManifestDifference';

describe('fast manifest reader: agreement with the yaml package', () => {
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

});
