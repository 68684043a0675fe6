// The small exact pieces the drift engine stands on: base64 of a Secret's stringData, resource
// quantities compared by value, JSON pointers removed from objects, and which lists merge by key.
// Written for the mutation group core-drift-paths: the drift tests reach these through whole
// comparisons, where one wrong byte or one wrong list key can hide. Properties on seeded inputs
// hold them against independent references (Buffer's base64, BigInt arithmetic).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { utf8ToBase64 } from '../../src/core/drift/base64';
import { buildPointer, JsonPointerError, parsePointer, removeAt } from '../../src/core/drift/jsonPointer';
import { isSetList, keyedLists } from '../../src/core/drift/listKeys';
import { canonicalQuantity, formatQuantity, parseQuantity } from '../../src/core/drift/quantity';
import { seededRandom } from '../support/seededRandom';

describe('utf8ToBase64', () => {
  it('equals Buffer’s base64 for every length and for multi-byte characters', () => {
    const random = seededRandom(8201);
    const alphabet = ['a', 'Z', '0', '~', ' ', 'é', '€', '𝄞', '\u0000', '\u00ff', '/', '+'];
    for (let length = 0; length < 40; length++) {
      for (let run = 0; run < 8; run++) {
        let text = '';
        for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
        assert.equal(utf8ToBase64(text), Buffer.from(text, 'utf8').toString('base64'), JSON.stringify(text));
      }
    }
  });

  it('pads one and two leftover bytes', () => {
    assert.equal(utf8ToBase64(''), '');
    assert.equal(utf8ToBase64('f'), 'Zg==');
    assert.equal(utf8ToBase64('fo'), 'Zm8=');
    assert.equal(utf8ToBase64('foo'), 'Zm9v');
    assert.equal(utf8ToBase64('\u00ff\u00ff\u00ff'), 'w7/Dv8O/');
  });
});

describe('quantities', () => {
  const cases: Array<[string | number, string | undefined]> = [
    ['1000m', '1'],
    ['1024Mi', '1Gi'],
    ['1.5Gi', '1536Mi'],
    ['0.5', '500m'],
    ['.5', '500m'],
    ['+1', '1'],
    ['-500m', '-500m'],
    ['1e3', '1k'],
    ['1E3', '1k'],
    ['1e-3', '1m'],
    ['12e-1', '1200m'],
    ['1e40', '10000000000000000000000E'],
    ['0.0000000001', '1n'],
    ['1.0000000001', '1000000001n'],
    ['0', '0'],
    ['0.000', '0'],
    ['-0', '0'],
    ['2000u', '2m'],
    ['1500n', '1500n'],
    ['3000n', '3u'],
    ['1Ki', '1Ki'],
    ['1000Ki', '1024k'],
    ['1024Ki', '1Mi'],
    ['1024', '1Ki'],
    ['1000', '1k'],
    ['1M', '1M'],
    ['1E', '1E'],
    ['1Ei', '1Ei'],
    ['1048576Ei', '1048576Ei'],
    ['1P', '1P'],
    ['1T', '1T'],
    ['5k', '5k'],
    ['  2Gi  ', '2Gi'],
    [0.25, '250m'],
    [3, '3'],
    ['1e41', undefined],
    ['1e-41', undefined],
    ['1x', undefined],
    ['Gi', undefined],
    ['1.2.3', undefined],
    ['', undefined],
    [Number.NaN, undefined],
    [Number.POSITIVE_INFINITY, undefined],
    [`${'1'.repeat(65)}`, undefined],
  ];

  it('parses and prints each case as the API server stores it', () => {
    for (const [input, expected] of cases) {
      const nanos = parseQuantity(input);
      assert.equal(nanos === undefined ? undefined : formatQuantity(nanos), expected, String(input));
    }
  });

  it('accepts 64 characters and no more', () => {
    const sixtyFour = `1${'0'.repeat(63)}`;
    assert.notEqual(parseQuantity(sixtyFour), undefined);
    assert.equal(parseQuantity(`${sixtyFour}0`), undefined);
  });

  it('rounds sub-nano precision up, as the API server does', () => {
    assert.equal(parseQuantity('0.0000000001'), 1n);
    assert.equal(parseQuantity('0.000000001'), 1n);
    assert.equal(parseQuantity('0.0000000019'), 2n);
    assert.equal(parseQuantity('-0.0000000001'), -1n);
    assert.equal(parseQuantity('1n'), 1n);
    assert.equal(parseQuantity('1u'), 1000n);
    assert.equal(parseQuantity('1m'), 1_000_000n);
    assert.equal(parseQuantity('1'), 1_000_000_000n);
    assert.equal(parseQuantity('1Ki'), 1024n * 1_000_000_000n);
  });

  it('prints one spelling per value: reading it back gives the same value, equal values print the same', () => {
    const random = seededRandom(8202);
    const suffixes = ['', 'm', 'u', 'n', 'k', 'M', 'G', 'Ki', 'Mi', 'Gi', 'Ti', 'e2', 'e-2'];
    for (let run = 0; run < 400; run++) {
      const whole = Math.floor(random() * 5000);
      const fraction = random() < 0.4 ? `.${Math.floor(random() * 1000)}` : '';
      const text = `${random() < 0.2 ? '-' : ''}${whole}${fraction}${suffixes[Math.floor(random() * suffixes.length)]}`;
      const nanos = parseQuantity(text);
      assert.notEqual(nanos, undefined, text);
      const printed = formatQuantity(nanos as bigint);
      assert.equal(parseQuantity(printed), nanos, `${text} → ${printed}`);
      assert.equal(formatQuantity(parseQuantity(printed) as bigint), printed);
    }
  });

  it('prefers the shorter of binary and decimal, binary on a tie', () => {
    // 1Gi and 1073741824 units: binary is shorter; 1E = 10^18: decimal is shorter than its Ki form.
    assert.equal(formatQuantity(1024n ** 3n * 1_000_000_000n), '1Gi');
    assert.equal(formatQuantity(10n ** 18n * 1_000_000_000n), '1E');
    // 2^10 * 10^3 = 1024000 units: "1000Ki" (6) vs "1024k" (5): decimal is shorter.
    assert.equal(formatQuantity(1_024_000n * 1_000_000_000n), '1024k');
    // 1024 units: "1Ki" (3) vs "1024" (4, no decimal suffix divides it).
    assert.equal(formatQuantity(1024n * 1_000_000_000n), '1Ki');
    assert.equal(formatQuantity(-2048n * 1_000_000_000n), '-2Ki');
    assert.equal(formatQuantity(-1_500_000n), '-1500u');
  });

  it('canonicalises quantities and leaves everything else as it is, the same answer twice', () => {
    assert.equal(canonicalQuantity('1000m'), '1');
    assert.equal(canonicalQuantity('1000m'), '1');
    assert.equal(canonicalQuantity(2), '2');
    assert.equal(canonicalQuantity('fast'), 'fast');
    assert.equal(canonicalQuantity('fast'), 'fast');
    assert.equal(canonicalQuantity(true), true);
    assert.equal(canonicalQuantity(null), null);
    const object = { a: 1 };
    assert.equal(canonicalQuantity(object), object);
  });

  it('keeps answering right past the cache limit', () => {
    for (let i = 0; i < 10_050; i++) assert.equal(canonicalQuantity(`${i}000m`), formatQuantity(BigInt(i) * 1_000_000_000n));
    assert.equal(canonicalQuantity('1024Mi'), '1Gi');
  });
});

describe('JSON pointers', () => {
  it('builds and parses each other’s output, escaping ~ and /', () => {
    const random = seededRandom(8203);
    const pieces = ['a', '~', '/', '~1', '~0', '', '0', 'x/y~z'];
    for (let run = 0; run < 200; run++) {
      const tokens: string[] = [];
      const count = Math.floor(random() * 5);
      for (let i = 0; i < count; i++) tokens.push(pieces[Math.floor(random() * pieces.length)] + pieces[Math.floor(random() * pieces.length)]);
      assert.deepEqual(parsePointer(buildPointer(tokens)), tokens);
    }
    assert.equal(buildPointer(['a/b', 'c~d', 3]), '/a~1b/c~0d/3');
    assert.deepEqual(parsePointer(''), []);
    assert.deepEqual(parsePointer('/'), ['']);
  });

  it('refuses what RFC 6901 refuses, naming the pointer and the reason', () => {
    assert.throws(() => parsePointer('a/b'), (error: unknown) => error instanceof JsonPointerError && error.message === '"a/b" is not a JSON pointer (RFC 6901): it must start with "/"');
    assert.throws(() => parsePointer('/a~2'), /"~" must be followed by 0 or 1 in "a~2"/);
    assert.throws(() => parsePointer('/a~'), /"~" must be followed by 0 or 1 in "a~"/);
    const error = (() => {
      try {
        parsePointer('x');
      } catch (caught) {
        return caught as JsonPointerError;
      }
      return undefined;
    })();
    assert.equal(error?.name, 'JsonPointerError');
    assert.equal(error?.pointer, 'x');
  });

  it('removes a member or a list item and says whether anything was there', () => {
    const root = { a: { b: 1, c: [10, 20, 30] }, 'x/y': 2 };
    assert.equal(removeAt(root, ['a', 'c', '1']), true);
    assert.deepEqual(root.a.c, [10, 30]);
    assert.equal(removeAt(root, ['a', 'c', 1]), true);
    assert.deepEqual(root.a.c, [10]);
    assert.equal(removeAt(root, ['a', 'c', '1']), false, 'index past the end');
    assert.equal(removeAt(root, ['a', 'c', '-']), false, 'not an index');
    assert.equal(removeAt(root, ['a', 'c', 'x']), false);
    assert.equal(removeAt(root, ['a', 'b']), true);
    assert.deepEqual(root.a, { c: [10] });
    assert.equal(removeAt(root, ['a', 'b']), false, 'already gone');
    assert.equal(removeAt(root, ['x/y']), true);
    assert.equal(removeAt(root, []), false, 'the root is never removed');
    assert.equal(removeAt(root, ['a', 'c', '0', 'deeper']), false, 'through a number');
    assert.equal(removeAt(root, ['missing', 'b']), false);
    assert.equal(removeAt(root, ['a', 'c', 'x', 'y']), false, 'a word is no list index');
    const list = { items: [{ name: 'a', keep: 1 }, { name: 'b' }] };
    assert.equal(removeAt(list, ['items', '0', 'keep']), true);
    assert.deepEqual(list.items, [{ name: 'a' }, { name: 'b' }]);
    assert.equal(removeAt(list, ['items', 'first', 'name']), false);
    assert.equal(removeAt({ a: null }, ['a', 'b']), false);
    assert.equal(removeAt({ a: 'text' }, ['a', 'length']), false);
    const undefinedMember: Record<string, unknown> = { u: undefined };
    assert.equal(removeAt(undefinedMember, ['u']), true, 'a member set to undefined is there');
    assert.deepEqual(Object.keys(undefinedMember), []);
  });
});

describe('list keys', () => {
  it('keys the known lists by their merge key', () => {
    const key = (listKey: string, item: unknown): string | undefined => keyedLists(listKey, [[item]])?.keyFn(item);
    assert.equal(key('containers', { name: 'web' }), 'name=web');
    assert.equal(key('env', { name: 'A', value: '1' }), 'name=A');
    assert.equal(key('volumeMounts', { mountPath: '/data', name: 'v' }), 'mountPath=/data');
    assert.equal(key('volumeDevices', { devicePath: '/dev/x' }), 'devicePath=/dev/x');
    assert.equal(key('hostAliases', { ip: '10.0.0.1' }), 'ip=10.0.0.1');
    assert.equal(key('conditions', { type: 'Ready' }), 'type=Ready');
    assert.equal(key('ownerReferences', { uid: 'u-1', name: 'x' }), 'uid=u-1');
    assert.equal(key('topologySpreadConstraints', { topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }), 'topologyKey=zone,whenUnsatisfiable=DoNotSchedule');
    assert.equal(key('ports', { containerPort: 80 }), 'containerPort=80,protocol=TCP');
    assert.equal(key('ports', { containerPort: 53, protocol: 'UDP' }), 'containerPort=53,protocol=UDP');
    assert.equal(key('ports', { port: 443, name: 'https' }), 'port=443,protocol=TCP');
    assert.equal(key('ports', { name: 'metrics' }), 'name=metrics');
    assert.equal(key('ports', { port: 9, name: 'n', protocol: 'SCTP' }), 'port=9,protocol=SCTP');
    assert.equal(key('webhooks', { name: 7 }), 'name=7');
  });

  it('falls back to position for an item without a key, a key of another type, or duplicates', () => {
    assert.equal(keyedLists('containers', [[{ name: 'a' }, { image: 'x' }]]), undefined);
    assert.equal(keyedLists('containers', [[{ name: 'a' }, { name: 'a' }]]), undefined);
    assert.equal(keyedLists('containers', [[{ name: true }]]), undefined);
    assert.equal(keyedLists('containers', [['a']]), undefined);
    assert.equal(keyedLists('topologySpreadConstraints', [[{ topologyKey: 'zone' }]]), undefined);
    assert.equal(keyedLists('topologySpreadConstraints', [['zone']]), undefined);
    assert.equal(keyedLists('ports', [[{ containerPort: 80 }, { containerPort: 80, protocol: 'TCP' }]]), undefined);
    assert.notEqual(keyedLists('ports', [[{ containerPort: 53 }, { containerPort: 53, protocol: 'UDP' }]]), undefined);
    assert.equal(keyedLists('ports', [[7]]), undefined);
  });

  it('gives each list its key → index map, undefined for an absent list', () => {
    const keyed = keyedLists('containers', [[{ name: 'a' }, { name: 'b' }], undefined, [{ name: 'b' }]]);
    assert.ok(keyed);
    assert.deepEqual(keyed.indexes.map((index) => (index ? [...index] : undefined)), [[['name=a', 0], ['name=b', 1]], undefined, [['name=b', 0]]]);
  });

  it('keys an unknown list of named objects by name, but not an empty one or a prototype member', () => {
    assert.ok(keyedLists('rules', [[{ name: 'r1' }, { name: 'r2' }]]));
    assert.equal(keyedLists('rules', [[], []]), undefined, 'no evidence of a key');
    assert.equal(keyedLists('rules', [undefined]), undefined);
    assert.ok(keyedLists('containers', [[], undefined]), 'a known list is keyed even when empty');
    assert.ok(keyedLists('__proto__', [[{ name: 'a' }]]), 'keyed by name as an unknown list');
    assert.equal(keyedLists('constructor', [[]]), undefined, 'Object members are not known lists');
    assert.equal(keyedLists('toString', [[{ other: 1 }]]), undefined);
  });

  it('treats only finalizers as a set', () => {
    assert.equal(isSetList('finalizers'), true);
    assert.equal(isSetList('containers'), false);
    assert.equal(isSetList('args'), false);
  });
});
