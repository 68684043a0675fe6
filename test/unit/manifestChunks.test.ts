import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifests } from '../../src/core/manifest';
import { IncrementalManifestParser, splitDocuments } from '../../src/core/manifestChunks';
import { demoDeployments, joinDocuments } from './helpers/bigManifest';

function bigManifest(documents: number): string {
  return joinDocuments(demoDeployments(documents, (i) => ({ replicas: (i % 5) + 1, resources: true })));
}

test('splitDocuments cuts at column-1 markers only', () => {
  const chunks = splitDocuments('a: 1\n---\nb: |\n  ---\n  x\n--- # c\nc: 3\n');
  assert.deepEqual(chunks.map((c) => c.startLine), [0, 1, 5]);
});

test('incremental parse gives the same identities and ranges as a full parse', () => {
  const text = bigManifest(12);
  const full = parseManifests(text, 'f.yaml');
  const inc = new IncrementalManifestParser('f.yaml').parse(text);
  assert.equal(inc.manifests.length, full.manifests.length);
  for (let i = 0; i < full.manifests.length; i++) {
    assert.deepEqual(inc.manifests[i].id, full.manifests[i].id);
    assert.deepEqual(inc.manifests[i].kindRange.start, full.manifests[i].kindRange.start);
    assert.deepEqual(inc.manifests[i].rangeOf('/spec/replicas').start, full.manifests[i].rangeOf('/spec/replicas').start);
    assert.deepEqual(
      inc.manifests[i].rangeOf('/spec/template/spec/containers/0/image').start,
      full.manifests[i].rangeOf('/spec/template/spec/containers/0/image').start,
    );
  }
});

test('an edit re-parses only the document it touched; problems keep their real line', () => {
  const parser = new IncrementalManifestParser('f.yaml');
  const text = bigManifest(10);
  assert.equal(parser.parse(text).reparsed, 10);
  const edited = text.replace('replicas: 4', 'replicas: 40');
  const second = parser.parse(edited);
  assert.equal(second.reparsed, 1);
  const broken = edited.replace('name: app-7\n', 'name: [app-7\n');
  const third = parser.parse(broken);
  assert.equal(third.reparsed, 1);
  assert.equal(third.problems.length, 1);
  const brokenLine = broken.split('\n').findIndex((l) => l.includes('[app-7')) + 1;
  const reported = third.problems[0].location?.range?.start.line ?? 0;
  assert.ok(Math.abs(reported - brokenLine) <= 2, `problem at ${reported}, broken line ${brokenLine}`);
});

test('re-parse after an edit of a 5,000-line, 200-document manifest takes well under 20 ms', () => {
  const text = bigManifest(208);
  assert.ok(text.split('\n').length >= 5000);
  const parser = new IncrementalManifestParser('big.yaml');
  parser.parse(text);
  const times: number[] = [];
  let current = text;
  for (let i = 0; i < 15; i++) {
    current = current.replace(`name: app-${i * 10}\n`, `name: app-${i * 10}-x\n`);
    const started = performance.now();
    const result = parser.parse(current);
    times.push(performance.now() - started);
    assert.equal(result.manifests.length, 208);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  assert.ok(median < 20, `median ${median.toFixed(1)} ms`);
});
