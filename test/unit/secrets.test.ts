import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskSecrets } from '../../src/core/secrets';

test('masks the password part of URLs with userinfo', () => {
  assert.equal(maskSecrets('fetch https://bob:s3cr3t@git.example.com/repo.git failed'), 'fetch https://bob:***@git.example.com/repo.git failed');
});

test('masks token-only userinfo, bearer headers and known token shapes', () => {
  const token = 'ghp_' + 'a'.repeat(36);
  const out = maskSecrets(`https://${token}@github.com/o/r Authorization: Bearer abcdefghijklmnop ${token} glpat-ABCDEFGHIJKLMNOPQRST`);
  assert.ok(!out.includes(token), out);
  assert.ok(!out.includes('abcdefghijklmnop'), out);
  assert.ok(!out.includes('glpat-ABCDEFGHIJKLMNOPQRST'), out);
});

test('masks key: value pairs naming tokens and passwords', () => {
  assert.equal(maskSecrets('token: abc123 password="hunter2"'), 'token: *** password="***"');
});

test('leaves ordinary text alone', () => {
  const text = 'deploy/web.yaml:12:3: replicas differs (live 5, Git 2)';
  assert.equal(maskSecrets(text), text);
});
