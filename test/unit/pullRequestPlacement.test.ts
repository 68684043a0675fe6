// Where someone else's pull request is listed without reading Git: under the one environment whose
// branch it goes into; "ask Git" (null) when environments share that branch or live on no branch;
// nowhere when no environment lives on it. Ours are told by the head branch or the metadata block.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isOurPullRequest, placeByBase } from '../../src/ui/promotion/foreignPullRequests';
import { fuzzRuns } from '../support/fuzzSettings';

describe('placing someone else’s pull request by its base', () => {
  it('property: one environment on the base → it; several, or any on no branch → Git decides; none → nowhere', () => {
    const branch = fc.option(fc.constantFrom('main', 'staging', 'prod', 'dev'), { nil: null });
    fc.assert(
      fc.property(fc.uniqueArray(fc.record({ name: fc.string({ minLength: 1, maxLength: 8 }), branch }), { selector: (e) => e.name, maxLength: 6 }), fc.constantFrom('main', 'staging', 'prod', 'feature'), (environments, base) => {
        const placed = placeByBase({ base }, environments);
        const onBase = environments.filter((e) => e.branch === base);
        if (onBase.length === 1) assert.deepEqual(placed, [onBase[0].name]);
        else if (onBase.length > 1 || environments.some((e) => e.branch === null)) assert.equal(placed, null);
        else assert.deepEqual(placed, []);
      }),
      fuzzRuns(300, 1103),
    );
  });

  it('ours: a gitops/ head branch or our metadata block; a colleague’s branch is not', () => {
    assert.equal(isOurPullRequest({ head: 'gitops/promote-staging-to-prod-abc1234', body: '' }), true);
    assert.equal(isOurPullRequest({ head: 'fix-prod', body: 'Fixes it' }), false);
    assert.equal(isOurPullRequest({ head: 'my-gitops/x', body: '' }), false);
  });
});
