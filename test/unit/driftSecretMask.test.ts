// Secret values never leave the drift engine: which paths hold secret material, and the masked
// form (a short salted hash) that views print instead of the value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { holdsSecretValue, isMaskedValue, maskValue } from '../../src/core/drift/secretMask';

test('only a Secret holds secret values', () => {
  assert.equal(holdsSecretValue('ConfigMap', ['data', 'password']), false);
  assert.equal(holdsSecretValue(undefined, ['data', 'password']), false);
  assert.equal(holdsSecretValue('secret', ['data']), false, 'kinds are case-sensitive');
});

test('a Secret holds secret values under data and stringData, and in the object as a whole', () => {
  assert.equal(holdsSecretValue('Secret', ['data', 'password']), true);
  assert.equal(holdsSecretValue('Secret', ['stringData', 'token']), true);
  assert.equal(holdsSecretValue('Secret', ['data']), true);
  assert.equal(holdsSecretValue('Secret', []), true, 'the whole object contains data');
  assert.equal(holdsSecretValue('Secret', ['metadata', 'labels', 'data']), false);
  assert.equal(holdsSecretValue('Secret', ['type']), false);
  assert.equal(holdsSecretValue('Secret', [0]), false);
});

test('a masked value carries a short hash, never the value', () => {
  const masked = maskValue('hunter2', undefined);
  assert.ok(masked);
  assert.equal(masked.masked, true);
  assert.match(masked.hash, /^[0-9a-f]{8}$/);
  assert.ok(!JSON.stringify(masked).includes('hunter2'));
  assert.deepEqual(Object.keys(masked).sort(), ['hash', 'masked']);
});

test('different values mask to different hashes, equal values to equal ones', () => {
  assert.notEqual(maskValue('a', undefined)?.hash, maskValue('b', undefined)?.hash);
  assert.equal(maskValue('a', undefined)?.hash, maskValue('a', undefined)?.hash);
  assert.equal(maskValue({ x: 1, y: 2 }, 's')?.hash, maskValue({ y: 2, x: 1 }, 's')?.hash, 'key order is not content');
});

test('the salt changes the hash, so a hash cannot be looked up across installations', () => {
  assert.notEqual(maskValue('a', 'salt-1')?.hash, maskValue('a', 'salt-2')?.hash);
  assert.notEqual(maskValue('a', 'salt-1')?.hash, maskValue('a', undefined)?.hash);
});

test('an absent value stays absent: there is nothing to mask', () => {
  assert.equal(maskValue(undefined, 'salt'), undefined);
  assert.ok(maskValue(null, undefined), 'null is a value');
  assert.ok(maskValue('', undefined), 'an empty string is a value');
});

test('isMaskedValue recognizes only the masked form', () => {
  assert.equal(isMaskedValue(maskValue('x', undefined)), true);
  assert.equal(isMaskedValue({ masked: true, hash: 'abcd1234' }), true);
  assert.equal(isMaskedValue({ masked: 'true', hash: 'abcd1234' }), false);
  assert.equal(isMaskedValue({ hash: 'abcd1234' }), false);
  assert.equal(isMaskedValue(null), false);
  assert.equal(isMaskedValue(undefined), false);
  assert.equal(isMaskedValue('masked'), false);
  assert.equal(isMaskedValue(true), false);
});
