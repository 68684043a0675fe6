// hasExactKeys, the check every webview message passes (a 10,000-row report calls it 10,000+
// times, so it counts keys in one pass): it must agree with the plain definition — every own key
// allowed, every required key present, no symbol key, no prototype-polluting key — on any object.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { hasExactKeys, type PlainRecord } from '../../webview-ui/shared/guards';
import { fuzzRuns } from '../support/fuzzSettings';

const POLLUTING = ['__proto__', 'constructor', 'prototype'];

/** The definition, written the slow obvious way. */
function reference(value: PlainRecord, required: readonly string[], optional: readonly string[]): boolean {
  const keys = Reflect.ownKeys(value);
  if (keys.some((key) => typeof key !== 'string' || POLLUTING.includes(key))) return false;
  return keys.every((key) => required.includes(key as string) || optional.includes(key as string)) && required.every((key) => Object.prototype.hasOwnProperty.call(value, key));
}

const NAMES = ['kind', 'key', 'name', 'line', 'file', 'a', 'b', ...POLLUTING];

/** An object built from a few names: some own, some non-enumerable, maybe a symbol, maybe a JSON `__proto__`. */
const objects = fc.record({
  own: fc.uniqueArray(fc.constantFrom(...NAMES), { maxLength: 6 }),
  hidden: fc.uniqueArray(fc.constantFrom(...NAMES), { maxLength: 2 }),
  symbol: fc.boolean(),
  jsonProto: fc.boolean(),
});

function build(spec: { own: string[]; hidden: string[]; symbol: boolean; jsonProto: boolean }): PlainRecord {
  // JSON.parse makes `__proto__` an own key, as a message from the page could.
  const value = (spec.jsonProto ? JSON.parse('{"__proto__": 1}') : {}) as PlainRecord;
  for (const key of spec.own) Object.defineProperty(value, key, { value: 1, enumerable: true, configurable: true, writable: true });
  for (const key of spec.hidden) if (!Object.prototype.hasOwnProperty.call(value, key)) Object.defineProperty(value, key, { value: 1, enumerable: false });
  if (spec.symbol) (value as Record<symbol, unknown>)[Symbol('s')] = 1;
  return value;
}

const lists = fc.uniqueArray(fc.constantFrom(...NAMES.slice(0, 7)), { maxLength: 5 });

test('hasExactKeys agrees with the definition on any object and key lists', () => {
  fc.assert(
    fc.property(objects, lists, lists, (spec, required, optionalAll) => {
      const optional = optionalAll.filter((key) => !required.includes(key));
      const value = build(spec);
      assert.equal(hasExactKeys(value, required, optional), reference(value, required, optional), JSON.stringify({ spec, required, optional }));
    }),
    fuzzRuns(2000, 1307),
  );
});

test('examples: extra, missing, optional, symbol and polluting keys', () => {
  assert.equal(hasExactKeys({ kind: 'x', key: 'k' }, ['kind', 'key']), true);
  assert.equal(hasExactKeys({ kind: 'x' }, ['kind', 'key']), false, 'a required key missing');
  assert.equal(hasExactKeys({ kind: 'x', key: 'k', extra: 1 }, ['kind', 'key']), false, 'a key not allowed');
  assert.equal(hasExactKeys({ kind: 'x', line: 3 }, ['kind'], ['line', 'file']), true, 'an optional key present');
  assert.equal(hasExactKeys({ kind: 'x', [Symbol('s')]: 1 } as PlainRecord, ['kind']), false, 'a symbol key');
  assert.equal(hasExactKeys(JSON.parse('{"kind": "x", "__proto__": {}}') as PlainRecord, ['kind'], ['__proto__']), false, 'a polluting key, even when listed');
  // A required key given only as an optional one's value does not count twice.
  assert.equal(hasExactKeys({ kind: 'x' }, ['kind', 'key'], ['key']), false);
});
