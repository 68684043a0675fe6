import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ladderRank as ladderRankFromDiscovery } from '../../src/core/discovery';
import { compareByLadder, defaultPromotionSource, defaultPromotionTarget, isProductionName, laneOf, ladderRank, PRODUCTION_RANK } from '../../src/core/environmentLadder';

describe('ladderRank', () => {
  const cases: Array<[string, number | null]> = [
    ['dev', 0],
    ['develop', 0],
    ['Development', 0],
    ['int', 1],
    ['integration', 1],
    ['test', 2],
    ['qa', 2],
    ['qa2', 2],
    ['perf', 3],
    ['perf-large', 3],
    ['load-eu', 3],
    ['load-test', 3],
    ['staging', 4],
    ['stage', 4],
    ['uat', 4],
    ['preprod', 4],
    ['pre-prod', 4],
    ['pre_production', 4],
    ['prod', 5],
    ['production', 5],
    ['live', 5],
    ['prod-eu', 5],
    ['staging-asia', 4],
    ['guestbook-dev', 0],
    ['env/qa', 2],
    ['prod01', 5],
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
    assert.equal(PRODUCTION_RANK, 5);
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

describe('laneOf', () => {
  const cases: Array<[string, string]> = [
    ['prod', ''],
    ['prod-eu', 'eu'],
    ['staging-eu', 'eu'],
    ['eu-staging', 'eu'],
    ['perf-large', 'large'],
    ['pre-prod-us', 'us'],
    ['env/prod-eu', 'eu'],
    ['guestbook-prod', 'guestbook'],
    ['qa2', ''],
    ['prod-eu-west-1', 'eu-west-1'],
    ['demo', 'demo'],
  ];
  for (const [name, lane] of cases) {
    it(`puts "${name}" in lane "${lane}"`, () => assert.equal(laneOf(name), lane));
  }
});

describe('compareByLadder: tiers', () => {
  it('puts performance and load tiers after test and before staging, never after prod', () => {
    const names = ['prod-us', 'load-eu', 'staging-eu', 'perf-large', 'qa', 'int', 'prod-eu', 'dev', 'uat', 'load-test', 'staging-us'];
    assert.deepEqual([...names].sort(compareByLadder), ['dev', 'int', 'qa', 'load-test', 'load-eu', 'perf-large', 'uat', 'staging-eu', 'staging-us', 'prod-eu', 'prod-us']);
  });

  it('gives one order whatever the input order (property over shuffles)', () => {
    const names = ['prod-us', 'load-eu', 'staging-eu', 'perf-large', 'qa', 'int', 'prod-eu', 'dev', 'uat', 'demo', 'prod-2', 'prod-10', 'staging-us', 'live'];
    const expected = [...names].sort(compareByLadder);
    let seed = 3;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 100; round++) {
      const shuffled = [...names].sort(() => random() - 0.5);
      assert.deepEqual(shuffled.sort(compareByLadder), expected);
    }
    const lastPreProd = Math.max(...expected.map((n, i) => ((ladderRank(n) ?? 99) < PRODUCTION_RANK ? i : -1)));
    const firstProd = expected.findIndex((n) => ladderRank(n) === PRODUCTION_RANK);
    assert.ok(lastPreProd < firstProd, 'every pre-production tier comes before every production one');
  });
});

describe('defaultPromotionTarget', () => {
  const ordered = (names: string[]): Array<{ name: string }> => [...names].sort(compareByLadder).map((name) => ({ name }));
  const target = (names: string[], from: string): string | undefined => {
    const envs = ordered(names);
    return defaultPromotionTarget(envs, envs.find((e) => e.name === from) as { name: string })?.name;
  };
  const regions = ['int', 'qa', 'perf', 'staging-eu', 'staging-us', 'prod-eu', 'prod-us'];

  it('follows the lane: staging-eu → prod-eu, staging-us → prod-us', () => {
    assert.equal(target(regions, 'staging-eu'), 'prod-eu');
    assert.equal(target(regions, 'staging-us'), 'prod-us');
  });

  it('goes to the next environment from a lane-less one', () => {
    assert.equal(target(regions, 'int'), 'qa');
    assert.equal(target(regions, 'qa'), 'perf');
    assert.equal(target(regions, 'perf'), 'staging-eu');
    assert.equal(target(['dev', 'qa', 'qa2', 'prod'], 'qa'), 'qa2');
  });

  it('falls back to a lane-less higher tier, then to the next environment', () => {
    assert.equal(target(['staging-eu', 'staging-us', 'prod'], 'staging-eu'), 'prod');
    assert.equal(target(['perf-large', 'staging-eu', 'prod-eu'], 'perf-large'), 'staging-eu');
  });

  it('has nothing after the last environment', () => {
    assert.equal(target(regions, 'prod-us'), undefined);
  });

  it('never goes to a lower tier and never stays in the source (property over every pair of lanes)', () => {
    const lanes = ['', '-eu', '-us', '-asia'];
    const tiers = ['dev', 'qa', 'perf', 'staging', 'prod'];
    const names = tiers.flatMap((t) => lanes.map((l) => `${t}${l}`)).sort(compareByLadder);
    for (const from of names.slice(0, -1)) {
      const to = target(names, from);
      assert.ok(to !== undefined && to !== from, from);
      assert.ok((ladderRank(to) ?? 0) >= (ladderRank(from) ?? 0), `${from} → ${to}`);
      if (laneOf(from) !== '' && !from.startsWith('prod')) assert.equal(laneOf(to), laneOf(from), `${from} → ${to} leaves its lane`);
    }
  });
});

describe('defaultPromotionSource', () => {
  const envs = ['int', 'qa', 'perf', 'staging-eu', 'staging-us', 'prod-eu', 'prod-us'].map((name) => ({ name }));
  const source = (to: string): string | undefined => defaultPromotionSource(envs, envs.find((e) => e.name === to) as { name: string })?.name;

  it('comes from the same lane: prod-eu ← staging-eu, prod-us ← staging-us', () => {
    assert.equal(source('prod-eu'), 'staging-eu');
    assert.equal(source('prod-us'), 'staging-us');
  });

  it('is the nearest lower tier when no earlier one promotes into it by default, never a same-tier neighbour of another lane', () => {
    assert.equal(source('staging-us'), 'perf');
    assert.equal(source('qa'), 'int');
    assert.equal(source('int'), undefined);
    // Only same-tier neighbours before it: the one just before.
    const ring = ['staging-eu', 'staging-us'].map((name) => ({ name }));
    assert.equal(defaultPromotionSource(ring, ring[1])?.name, 'staging-eu');
  });

  it('never picks a same-tier source of another lane when a lower tier comes before (property over random tiers × lanes)', () => {
    const tiers = ['dev', 'qa', 'staging', 'prod'];
    const lanes = ['', '-eu', '-us', '-asia'];
    for (let seed = 1; seed <= 200; seed++) {
      let state = seed;
      const next = (): number => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
      const names = tiers.flatMap((t) => lanes.filter(() => next() < 0.6).map((l) => `${t}${l}`));
      const ordered = names.map((name) => ({ name })).sort((a, b) => compareByLadder(a.name, b.name));
      for (const target of ordered) {
        const from = defaultPromotionSource(ordered, target);
        const lowerExists = ordered.slice(0, ordered.indexOf(target)).some((e) => (ladderRank(e.name) ?? 0) < (ladderRank(target.name) ?? 0));
        if (!from || !lowerExists) continue;
        // A laneless environment of the same tier may feed the lanes (qa → qa-eu); another lane may not.
        const sideways = ladderRank(from.name) === ladderRank(target.name) && laneOf(from.name) !== '' && laneOf(target.name) !== '' && laneOf(from.name) !== laneOf(target.name);
        assert.ok(!sideways, `seed ${seed}: ${from.name} → ${target.name} in ${ordered.map((e) => e.name).join(',')}`);
      }
    }
  });

  it('promotes into each laned environment from the same lane of a lower tier (property over a grid of tiers × lanes)', () => {
    const grid = ['dev', 'qa', 'staging', 'prod'].flatMap((t) => ['', '-eu', '-us', '-asia'].map((l) => ({ name: `${t}${l}` }))).sort((a, b) => compareByLadder(a.name, b.name));
    for (const target of grid) {
      if (laneOf(target.name) === '' || target.name.startsWith('dev')) continue;
      const from = defaultPromotionSource(grid, target);
      assert.ok(from, target.name);
      assert.equal(laneOf(from.name), laneOf(target.name), `${from.name} → ${target.name}`);
      assert.ok((ladderRank(from.name) ?? 0) < (ladderRank(target.name) ?? 0), `${from.name} → ${target.name}`);
      assert.equal(defaultPromotionTarget(grid, from), target, 'the two defaults agree');
    }
  });
});
