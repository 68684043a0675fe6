// promotion.exclude globs: the .gitignore habits users bring (name anywhere, ** across folders).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstMatchingGlob, globMatches } from '../../src/core/promotion/globMatch';

describe('promotion.exclude glob matching', () => {
  const cases: Array<[string, string, boolean]> = [
    ['replicas.yml', 'replicas.yml', true],
    ['replicas.yml', 'envs/prod/replicas.yml', true],
    ['replicas.yml', 'envs/prod/replicas.yaml', false],
    ['replicas.y*ml', 'envs/prod/replicas.yaml', true],
    ['*.secret.yaml', 'a/b/db.secret.yaml', true],
    ['*.yaml', 'a/b.yml', false],
    ['settings/*.yaml', 'settings/a.yaml', true],
    ['settings/*.yaml', 'envs/prod/settings/a.yaml', false],
    ['**/settings/*.yaml', 'envs/prod/settings/a.yaml', true],
    ['**/settings/*.yaml', 'settings/a.yaml', true],
    ['envs/*/replicas.yml', 'envs/prod/replicas.yml', true],
    ['envs/*/replicas.yml', 'envs/prod/eu/replicas.yml', false],
    ['envs/**', 'envs/prod/eu/replicas.yml', true],
    ['patches/', 'patches/x.yaml', true],
    ['patches/', 'patches', false],
    ['/config.yaml', 'config.yaml', true],
    ['/config.yaml', 'sub/config.yaml', false],
    ['./config.yaml', 'config.yaml', true],
    ['{replicas,hpa}.yaml', 'x/hpa.yaml', true],
    ['{replicas,hpa}.yaml', 'x/pdb.yaml', false],
    ['file?.yaml', 'file1.yaml', true],
    ['file?.yaml', 'file10.yaml', false],
    ['[ab].yaml', 'b.yaml', true],
    ['[!ab].yaml', 'b.yaml', false],
    ['[!ab].yaml', 'c.yaml', true],
    ['a.b', 'aXb', false],
    ['', 'anything', false],
  ];
  for (const [pattern, path, expected] of cases) {
    it(`${JSON.stringify(pattern)} ${expected ? 'matches' : 'does not match'} ${path}`, () => {
      assert.equal(globMatches(pattern, path), expected);
    });
  }

  it('firstMatchingGlob tries each path form of a file and names the glob that matched', () => {
    assert.equal(firstMatchingGlob(['nope/*', 'settings.yml'], ['settings.yml', 'envs/prod/settings.yml']), 'settings.yml');
    assert.equal(firstMatchingGlob(['overlays/*/kustomization.yaml'], ['kustomization.yaml', 'overlays/prod/kustomization.yaml']), 'overlays/*/kustomization.yaml');
    assert.equal(firstMatchingGlob(['x'], ['y', 'z']), null);
  });

  it('an unbalanced brace or bracket does not throw', () => {
    assert.equal(globMatches('{a,b', 'a'), true);
    assert.equal(globMatches('[ab', '[ab'), true);
  });
});
