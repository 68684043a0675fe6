// Inputs of the hostile corpus that are generated at test time: anything large (nothing over
// ~100 KB is committed, and the 70 MB file only ever exists in a temp folder), and anything whose
// exact bytes matter (encodings, line endings, binary), so no Git setting can rewrite them.
import { randomBytes } from 'node:crypto';

/** A valid Deployment used wherever a case needs a normal file beside the hostile one. */
export const NORMAL_DEPLOYMENT = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web',
  '  namespace: shop',
  'spec:',
  '  replicas: 2',
  '  template:',
  '    spec:',
  '      containers:',
  '        - name: web',
  '          image: registry.example.com/web:1.0.0',
  '',
].join('\n');

/** Seeded, so a failure reproduces byte for byte. */
function seededBytes(length: number, seed: number, pick: (n: number) => number): Buffer {
  const out = Buffer.alloc(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = pick(state >>> 24);
  }
  return out;
}

/** Billion laughs: nine levels of nine aliases (9^9 strings when expanded). */
export function aliasBomb(): Buffer {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: lol}', 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]`);
  lines.push('data:', '  boom: *a8', '');
  return Buffer.from(lines.join('\n'));
}

/** Merge keys that double at each of 30 levels. */
export function mergeKeyBomb(): Buffer {
  const lines = ['m0: &m0 {a: 1, b: 2}'];
  for (let i = 1; i <= 30; i++) lines.push(`m${i}: &m${i} {<<: [*m${i - 1}, *m${i - 1}], k${i}: ${i}}`);
  lines.push('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: merges', '  labels:', '    <<: *m30', '');
  return Buffer.from(lines.join('\n'));
}

/** `[[[[…]]]]`, 10 000 levels of flow sequences (20 KB). */
export function deepFlowSequences(levels = 10_000): Buffer {
  return Buffer.from(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: ${'['.repeat(levels)}${']'.repeat(levels)}\n`);
}

/** JSON objects nested 10 000 deep, the way a generated file might be. */
export function deepJson(levels = 10_000): Buffer {
  return Buffer.from(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep-json"},"data":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}}\n`);
}

/** `- - - - … x`: 10 000 compact block sequences on one line. */
export function deepCompactSequences(levels = 10_000): Buffer {
  return Buffer.from(`${'- '.repeat(levels)}x\n`);
}

/** Block mappings indented one more space per level, 1 000 levels (~500 KB). */
export function deepBlockMappings(levels = 1_000): Buffer {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: deep-block', 'data:'];
  for (let i = 1; i <= levels; i++) lines.push(`${' '.repeat(i)}k${i}:`);
  lines.push(`${' '.repeat(levels + 1)}leaf`, '');
  return Buffer.from(lines.join('\n'));
}

/** A 70 MB ConfigMap: over the manifest reader's 64 MB limit. */
export function seventyMegabytes(): Buffer {
  const head = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: huge\ndata:\n';
  const line = '  k: "0123456789012345678901234567890123456789012345678901234567890123456789"\n';
  const count = Math.ceil((70 * 1024 * 1024 - head.length) / line.length);
  return Buffer.from(head + line.repeat(count));
}

/** A ConfigMap of 50 000 keys (~1 MB): a duplicate-key check that compares every pair takes minutes. */
export function manyKeys(count = 50_000): Buffer {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: many-keys', 'data:'];
  for (let i = 0; i < count; i++) lines.push(`  key${i}: "value ${i}"`);
  lines.push('');
  return Buffer.from(lines.join('\n'));
}

/** 10 000 small documents in one file. */
export function manyDocuments(count = 10_000): Buffer {
  const docs: string[] = [];
  for (let i = 0; i < count; i++) docs.push(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  i: "${i}"\n`);
  return Buffer.from(docs.join('---\n'));
}

/** One value of 1 MB on one line. */
export function longLine(): Buffer {
  return Buffer.from(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: long-line\ndata:\n  blob: ${'x'.repeat(1024 * 1024)}\n`);
}

/** A PNG header and binary noise, named `.yaml`. */
export function binaryPng(): Buffer {
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]), seededBytes(4096, 7, (b) => b)]);
}

/** Random bytes from 0x80 to 0xFF: no NUL, not UTF-8. */
export function binaryWithoutNul(): Buffer {
  return seededBytes(4096, 11, (b) => 0x80 | b);
}

/** A valid manifest, then a NUL byte beyond the first 8 000 characters that binary sniffing reads. */
export function nulAfterSniffWindow(): Buffer {
  const filler = `${'# padding line to push the NUL past the sniffing window\n'.repeat(160)}`;
  return Buffer.from(`${filler}apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: late-nul\ndata:\n  k: "a\u0000b"\n  raw: a\u0000b\n`);
}

export function utf8Bom(): Buffer {
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(NORMAL_DEPLOYMENT)]);
}

export function utf16le(): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(NORMAL_DEPLOYMENT, 'utf16le')]);
}

export function utf16be(): Buffer {
  const le = Buffer.from(NORMAL_DEPLOYMENT, 'utf16le');
  const be = Buffer.alloc(le.length);
  for (let i = 0; i + 1 < le.length; i += 2) {
    be[i] = le[i + 1];
    be[i + 1] = le[i];
  }
  return Buffer.concat([Buffer.from([0xfe, 0xff]), be]);
}

/** `café` in Latin-1 on line 6: the byte 0xE9 is not UTF-8. */
export function latin1(): Buffer {
  return Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: latin1\ndata:\n  greeting: caf\u00e9\n', 'latin1');
}

export function crlf(): Buffer {
  return Buffer.from(NORMAL_DEPLOYMENT.replace(/\n/g, '\r\n'));
}

/** LF, CRLF and a lone CR in one file. */
export function mixedLineEndings(): Buffer {
  const lines = NORMAL_DEPLOYMENT.split('\n');
  return Buffer.from(lines.map((line, i) => line + (i === lines.length - 1 ? '' : i % 3 === 0 ? '\r\n' : i === 4 ? '\r' : '\n')).join(''));
}

/** A gitops.yaml over the 1 MB limit. */
export function oversizedConfig(): Buffer {
  const entries: string[] = ['apiVersion: gitops-environments/v1', 'environments:'];
  for (let i = 0; entries.join('\n').length < 1.1 * 1024 * 1024 && i < 1_000_000; i += 1000) {
    for (let j = i; j < i + 1000; j++) entries.push(`  - name: env${j}\n    path: envs/env${j}`);
  }
  return Buffer.from(`${entries.join('\n')}\n`);
}

/** 5 000 valid environments (~200 KB), all in promotion order. */
export function manyEnvironments(count = 5_000): Buffer {
  const entries: string[] = ['apiVersion: gitops-environments/v1', 'environments:', '  - name: dev', '    path: envs/dev', '  - name: staging', '    path: envs/staging'];
  for (let i = 0; i < count; i++) entries.push(`  - name: extra-${i}`, `    path: envs/extra-${i}`);
  return Buffer.from(`${entries.join('\n')}\n`);
}

export function deepConfig(levels = 10_000): Buffer {
  return Buffer.from(`apiVersion: gitops-environments/v1\nenvironments: ${'['.repeat(levels)}${']'.repeat(levels)}\n`);
}

export function configWithBomAndCrlf(): Buffer {
  const text = 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: dev\n    path: envs/dev\n  - name: staging\n    path: envs/staging\n';
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.replace(/\n/g, '\r\n'))]);
}

export function binaryConfig(): Buffer {
  return Buffer.concat([Buffer.from('apiVersion: gitops-environments/v1\n'), randomBytes(0), seededBytes(2048, 3, (b) => b)]);
}
