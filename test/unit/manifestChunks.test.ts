import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifests } from '../../src/core/manifest';
import { IncrementalManifestParser, splitDocuments } from '../../src/core/manifestChunks';
import { demoDeployments, joinDocuments } from './helpers/bigManifest';
import { seededRandom } from '../support/seededRandom';

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

// A header of blank lines and comments before the first `---` is no document: YAML gives it to the
// document that marker starts. Reading by document (the editor's incremental parser, and files over
// 2 MB) must number documents as a whole reading does, or a file that opens with a comment and `---`
// (a common header) had every document's index one too high.
test('documents read one at a time keep the indexes of a whole reading, whatever precedes the first marker', () => {
  const random = seededRandom(20_261_207);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const headers = ['', '\n', '\n\n', '# header\n', '  # indented comment\n\n', '#\n# two lines\n', '\t\n', 'kind: Head\nmetadata: {name: head}\n'];
  const bodies = ['kind: A\nmetadata: {name: a}\n', 'kind: B\nmetadata:\n  name: b # trailing\n', '', '# only a comment\n', 'kind: C\nmetadata: {name: c}\ndata:\n  x: |\n    ---\n    not a marker\n'];
  for (let run = 0; run < 400; run++) {
    const documents = Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(bodies));
    const text = pick(headers) + documents.map((body) => `---${pick(['', ' # start'])}\n${body}`).join('');
    const whole = parseManifests(text, 'f.yaml', { byDocument: false });
    const byDocument = new IncrementalManifestParser('f.yaml').parse(text);
    const shape = (manifests: typeof whole.manifests): unknown => manifests.map((m) => [m.docIndex, m.id?.name ?? null, m.kindRange.start]);
    assert.deepEqual(shape(byDocument.manifests), shape(whole.manifests), JSON.stringify(text));
  }
});

test('a file over 2 MB that opens with a comment and a marker numbers its documents as a whole reading does', () => {
  const text = `# generated\n\n${Array.from({ length: 9000 }, (_, i) => `---\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  value: "${'x'.repeat(200)}"\n`).join('')}`;
  assert.ok(text.length > 2 * 1024 * 1024);
  const big = parseManifests(text, 'big.yaml');
  const whole = parseManifests(text, 'big.yaml', { byDocument: false });
  assert.equal(big.manifests.length, 9000);
  assert.deepEqual(big.manifests.map((m) => m.docIndex), whole.manifests.map((m) => m.docIndex));
  assert.equal(big.manifests[0].docIndex, 0);
});
