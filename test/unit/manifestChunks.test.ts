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

// The time an edit costs the editor (≤ 20 ms from keystroke to drift hints on a manifest this
// size) is a row of the bench (bench/editBench.ts): timing belongs there, not in a test that a
// loaded machine could fail. Here: the parser really is incremental — one document re-read per
// edit, counted — and every edit reads back right.
test('an edit of a 5,000-line, 208-document manifest re-parses only the edited document', () => {
  const text = bigManifest(208);
  assert.ok(text.split('\n').length >= 5000);
  const parser = new IncrementalManifestParser('big.yaml');
  assert.equal(parser.parse(text).reparsed, 208);
  let current = text;
  for (let i = 0; i < 15; i++) {
    current = current.replace(`name: app-${i * 10}\n`, `name: app-${i * 10}-x\n`);
    const result = parser.parse(current);
    assert.equal(result.manifests.length, 208);
    assert.equal(result.reparsed, 1, `edit ${i} re-parsed ${result.reparsed} documents`);
    assert.equal(result.manifests[i * 10].id?.name, `app-${i * 10}-x`);
    // The same reading as a whole parse of the edited text, ranges included.
    const full = parseManifests(current, 'big.yaml');
    assert.deepEqual(result.manifests.map((m) => m.id), full.manifests.map((m) => m.id));
    assert.deepEqual(result.manifests[i * 10].rangeOf('/metadata/name'), full.manifests[i * 10].rangeOf('/metadata/name'));
  }
});
