// An object only one side's file has is promoted as one value: appended to the target's file as
// a new document, or taken out of it with its `---` line. Properties over generated files (markers
// with and without comments, a first document without a marker, comments and blank lines between
// documents, a block scalar holding `---` indented, no final line break): the other documents stay
// byte for byte, and the file parses to exactly the documents expected.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { applyValueEdits, type ValueEdit } from '../../src/core/promotion/valueEdits';

function object(i: number): string {
  const script = i % 3 === 0 ? `  script: |\n    echo start\n    ---\n    echo ${i}\n` : '';
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  KEY: "${i}"\n${script}`;
}

/** A file of `count` objects in one of several spellings (`variant` picks them). */
function fileOf(count: number, variant: number): { text: string; bodies: string[] } {
  const bodies = Array.from({ length: count }, (_, i) => object(i + variant * 10));
  const markers = ['---\n', '--- # next\n', '\n---\n', '# about the next one\n---\n'];
  let text = variant % 2 === 0 ? '' : '---\n';
  bodies.forEach((body, i) => {
    if (i > 0) text += markers[(i + variant) % markers.length];
    text += body;
  });
  if (variant % 4 === 3) text = text.replace(/\n$/, '');
  return { text, bodies };
}

const values = (text: string): unknown[] => parseAllDocuments(text).map((d) => d.toJS() as unknown);

describe('whole documents', () => {
  it('taking out any one document leaves the others byte for byte and the file parsing to the rest', () => {
    for (let count = 1; count <= 5; count++) {
      for (let variant = 0; variant < 8; variant++) {
        const { text, bodies } = fileOf(count, variant);
        const before = values(text);
        for (let i = 0; i < count; i++) {
          const { text: out, failed } = applyValueEdits(text, [{ docIndex: i, pointer: '', op: 'remove' }]);
          assert.deepEqual(failed, [], `${count}/${variant}/${i}`);
          const after = values(out);
          assert.deepEqual(after, before.filter((_, j) => j !== i), `${count}/${variant}/${i}:\n${out}`);
          bodies.forEach((body, j) => {
            if (j !== i) assert.ok(out.includes(body.replace(/\n$/, '')), `document ${j} kept as written`);
          });
        }
      }
    }
  });

  it('appended objects come after every document, in order, and the original text is kept in front', () => {
    for (let count = 1; count <= 4; count++) {
      for (let variant = 0; variant < 8; variant++) {
        const { text } = fileOf(count, variant);
        const added = [object(90), object(91)];
        const edits: ValueEdit[] = added.map((yaml, n) => ({ docIndex: count + n, pointer: '', op: 'add', yaml }));
        const { text: out, failed } = applyValueEdits(text, edits);
        assert.deepEqual(failed, []);
        assert.ok(out.startsWith(text), 'nothing before the end changes');
        assert.deepEqual(values(out), [...values(text), ...added.map((a) => values(a)[0])]);
      }
    }
  });

  it('with a value set in another document and one object taken out and one added, all three are made', () => {
    const { text } = fileOf(3, 1);
    const { text: out, failed } = applyValueEdits(text, [
      { docIndex: 0, pointer: '/data/KEY', op: 'set', yaml: '"changed"' },
      { docIndex: 1, pointer: '', op: 'remove' },
      { docIndex: 3, pointer: '', op: 'add', yaml: object(99) },
    ]);
    assert.deepEqual(failed, []);
    const docs = values(out) as Array<{ metadata: { name: string }; data: { KEY: string } }>;
    assert.deepEqual(
      docs.map((d) => [d.metadata.name, d.data.KEY]),
      [
        ['cm-10', 'changed'],
        ['cm-12', '12'],
        ['cm-99', '99'],
      ],
    );
  });

  it('refuses what is not a whole-document edit: an append into an existing document, an empty object, a document that does not exist', () => {
    const { text } = fileOf(2, 0);
    for (const edit of [
      { docIndex: 1, pointer: '', op: 'add', yaml: object(5) },
      { docIndex: 2, pointer: '', op: 'add', yaml: '  \n' },
      { docIndex: 2, pointer: '', op: 'remove' },
      { docIndex: 0, pointer: '', op: 'set', yaml: 'x' },
    ] satisfies ValueEdit[]) {
      const result = applyValueEdits(text, [edit]);
      assert.equal(result.text, text, JSON.stringify(edit));
      assert.deepEqual(result.failed, [edit]);
    }
  });
});
