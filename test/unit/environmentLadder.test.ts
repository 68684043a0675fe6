import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ladderRank as ladderRankFromDiscovery } from '../../src/core/discovery';
import { compareByLadder, isProductionName, ladderRank, PRODUCTION_RANK } from '../../src/core/environmentLadder';

describe('ladderRank', () => {
  const cases: Array<[string, number | null]> = [
    ['dev', 0],
    ['develop', 0],
    ['Development', 0],
    ['test', 1],
    ['qa', 1],
    ['qa2', 1],
    ['int', 1],
    ['integration', 1],
    ['staging', 2],
    ['stage', 2],
    ['uat', 2],
    ['preprod', 2],
    ['pre-prod', 2],
    ['pre_production', 2],
    ['prod', 3],
    ['production', 3],
    ['live', 3],
    ['prod-eu', 3],
    ['staging-asia', 2],
    ['guestbook-dev', 0],
    ['env/qa', 1],
    ['prod01', 3],
    ['product', null],
    ['devtools', null],
    ['demo', null],
    ['main', null],
    ['', null],
  ];
  for (const [name, rank] of cases) {
    it(`ranks "${name}" as ${rank}`, () => assert.equal(ladderRank(name), rank));
  }

  it('is the same function discovery exports', () => {
    assert.equal(ladderRankFromDiscovery, ladderRank);
  });

  it('marks only the production rung as production', () => {
    assert.equal(PRODUCTION_RANK, 3);
    assert.equal(isProductionName('prod-eu'), true);
    assert.equal(isProductionName('live'), true);
    assert.equal(isProductionName('staging'), false);
    assert.equal(isProductionName('demo'), false);
  });
});

describe('compareByLadder', () => {
  it('orders by ladder word, then by name with numbers as numbers, unknown names last', () => {
    const names = ['zeta', 'prod-us', 'demo', 'prod-eu', 'staging-asia', 'dev', 'staging', 'qa', 'prod-10', 'prod-2', 'preview'];
    assert.deepEqual([...names].sort(compareByLadder), ['dev', 'qa', 'staging', 'staging-asia', 'prod-2', 'prod-10', 'prod-eu', 'prod-us', 'demo', 'preview', 'zeta']);
  });
});
