// kustomize's configMapGenerator and secretGenerator name their objects after a hash of the
// content (`app-config-hf678c7m2b`). A promoted literal therefore removes one generated object and
// adds another: that is a changed object, not an identity change, whether or not the source was
// rendered. A generated object that really moves (another namespace or prefix) or vanishes is
// still reported. Also: a rendering problem both sides have is said once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { safetyWarnings, withoutGeneratedHash, type SafetyInput } from '../../src/core/promotion/safetyChecks';
import { sideProblems, type RenderedDiff } from '../../src/core/promotion/renderedDiff';

/** kustomize's encoding of a hex hash: the first ten digits, 0 1 3 a e spelled g h k m t. */
function kustomizeHash(seed: number): string {
  let hex = '';
  let x = seed * 2654435761;
  while (hex.length < 10) {
    x = (x * 1103515245 + 12345) % 2147483648;
    hex += (x % 16).toString(16);
  }
  return hex.replace(/[013ae]/g, (c) => ({ '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' })[c] ?? c);
}

const neutral = (v: string): string => v.replace(/staging|prod/g, '~');
function rendered(extra: Partial<RenderedDiff>): RenderedDiff {
  return { renderer: 'kustomize', added: [], removed: [], changed: [], unchanged: 0, text: '', truncated: false, problems: [], ...extra };
}
function identityMessages(extra: Partial<SafetyInput>): string[] {
  const input: SafetyInput = { values: [], images: [], files: [], rendered: null, targetAheadValues: [], mergedValues: [], targetOnlyCommits: 0, to: 'prod', from: 'staging', neutral, ...extra };
  return safetyWarnings(input)
    .filter((w) => w.code === 'identity-change')
    .map((w) => w.message);
}

describe('generated names', () => {
  it('every kustomize hash suffix of a ConfigMap or Secret comes off; other kinds and other suffixes stay', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const hash = kustomizeHash(seed);
      assert.match(hash, /^[245-9bcdfghkmt]{10}$/);
      for (const kind of ['ConfigMap', 'Secret']) {
        assert.equal(withoutGeneratedHash(`${kind} web-prod/app-config-${hash}`), `${kind} web-prod/app-config`);
        assert.equal(withoutGeneratedHash(`${kind} app-config-${hash}`), `${kind} app-config`, 'cluster-wide label');
      }
      assert.equal(withoutGeneratedHash(`Deployment web-prod/web-${hash}`), `Deployment web-prod/web-${hash}`);
    }
    // Not kustomize's alphabet (0, 1, 3, a, e, or other letters), or not ten characters.
    for (const name of ['app-0123456789', 'app-abcdefghij', 'app-hf678c7m2', 'app-hf678c7m2bb', 'apphf678c7m2b']) {
      assert.equal(withoutGeneratedHash(`ConfigMap ns/${name}`), `ConfigMap ns/${name}`);
    }
  });

  it('a regenerated object (new hash, same name and namespace) is no identity change, with or without the source rendered', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const [before, after, source] = [kustomizeHash(seed), kustomizeHash(seed + 1000), kustomizeHash(seed + 2000)];
      const diff = { removed: [`ConfigMap web-prod/app-config-${before}`], added: [`ConfigMap web-prod/app-config-${after}`], changed: ['Deployment web-prod/web'] };
      assert.deepEqual(identityMessages({ rendered: rendered(diff) }), []);
      assert.deepEqual(identityMessages({ rendered: rendered({ ...diff, sourceObjects: [`ConfigMap web-staging/app-config-${source}`, 'Deployment web-staging/web'] }) }), []);
    }
  });

  it('a generated object that moves to the source namespace is a rename; one that goes while the source keeps it is lost; a new one the source lacks is gained', () => {
    const [a, b, c] = [kustomizeHash(1), kustomizeHash(2), kustomizeHash(3)];
    assert.deepEqual(identityMessages({ rendered: rendered({ removed: [`ConfigMap web-prod/app-config-${a}`], added: [`ConfigMap web-staging/app-config-${b}`] }) }), [
      `rendered prod would change the name or namespace of 1 object(s): ConfigMap web-prod/app-config-${a} → ConfigMap web-staging/app-config-${b}`,
    ]);
    assert.deepEqual(identityMessages({ rendered: rendered({ removed: [`ConfigMap web-prod/app-config-${a}`], sourceObjects: [`ConfigMap web-staging/app-config-${c}`] }) }), [
      `rendered prod would lose 1 object(s) staging still has: ConfigMap web-prod/app-config-${a}`,
    ]);
    assert.deepEqual(identityMessages({ rendered: rendered({ added: [`Secret web-prod/extra-${b}`], sourceObjects: [`ConfigMap web-staging/app-config-${c}`] }) }), [
      `rendered prod would gain 1 object(s) staging does not have: Secret web-prod/extra-${b}`,
    ]);
  });
});

describe('rendering problems of both sides', () => {
  it('a problem of both sides is said once, in the order first seen; the others keep their side', () => {
    assert.deepEqual(sideProblems(['deprecated', 'only before', 'deprecated'], ['after only', 'deprecated']), ['before and after: deprecated', 'before: only before', 'after: after only']);
    assert.deepEqual(sideProblems([], ['x', 'x']), ['after: x']);
    assert.deepEqual(sideProblems(['x'], []), ['before: x']);
    assert.deepEqual(sideProblems([], []), []);
  });
});
