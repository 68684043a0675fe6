// Lanes on the promotion ladder: where `promote --from X` goes when no target is named. An
// unqualified name (`staging`) is a lane of its own, like `eu` is the lane of `staging-eu`; a
// promotion climbs to the next tier of its own lane and never steps sideways into another lane of
// the same tier (staging → prod, not staging-us). Checked on literal cases and as a property over
// generated sets of tiers × lanes, in discovery order and in declared orders that list the lanes
// of one tier in any order.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareByLadder, defaultPromotionSource, defaultPromotionTarget, ladderRank, laneOf } from '../../src/core/environmentLadder';

type Env = { name: string };

const byLadder = (names: readonly string[]): Env[] => [...names].sort(compareByLadder).map((name) => ({ name }));
const targetOf = (envs: readonly Env[], from: string): string | undefined => defaultPromotionTarget(envs, envs.find((e) => e.name === from) as Env)?.name;
const sourceOf = (envs: readonly Env[], to: string): string | undefined => defaultPromotionSource(envs, envs.find((e) => e.name === to) as Env)?.name;

describe('default promotion target: lanes', () => {
  const lanes = ['dev', 'staging', 'staging-us', 'prod', 'prod-us'];

  it('staging → prod, staging-us → prod-us, dev → staging (the unqualified lane), whatever the order of one tier', () => {
    for (const envs of [byLadder(lanes), ['dev', 'staging-us', 'staging', 'prod-us', 'prod'].map((name) => ({ name }))]) {
      const order = envs.map((e) => e.name).join(',');
      assert.equal(targetOf(envs, 'dev'), 'staging', order);
      assert.equal(targetOf(envs, 'staging'), 'prod', order);
      assert.equal(targetOf(envs, 'staging-us'), 'prod-us', order);
      assert.equal(sourceOf(envs, 'prod'), 'staging', order);
      assert.equal(sourceOf(envs, 'prod-us'), 'staging-us', order);
      assert.equal(sourceOf(envs, 'staging'), 'dev', order);
    }
  });

  it('the same with env/ prefixes (branches env/staging beside staging-us)', () => {
    const envs = byLadder(['env/dev', 'env/staging', 'staging-us', 'env/prod', 'prod-us']);
    assert.equal(targetOf(envs, 'env/staging'), 'env/prod');
    assert.equal(targetOf(envs, 'staging-us'), 'prod-us');
    assert.equal(targetOf(envs, 'env/dev'), 'env/staging');
  });

  it('a shared first stage fans out into the lanes when it has no next tier of its own', () => {
    const envs = byLadder(['dev', 'staging-eu', 'staging-us', 'prod-eu', 'prod-us']);
    assert.equal(targetOf(envs, 'dev'), 'staging-eu');
    assert.equal(sourceOf(envs, 'staging-us'), 'dev');
  });

  it('a lane that ends rejoins the unqualified lane at a higher tier (staging-eu → prod)', () => {
    assert.equal(targetOf(byLadder(['dev', 'staging', 'staging-eu', 'prod']), 'staging-eu'), 'prod');
  });
});

// ---- generated sets --------------------------------------------------------------------------

/** One word per tier, from the first stage to production (synonyms picked per generated set). */
const TIER_WORDS: readonly (readonly string[])[] = [
  ['dev', 'development'],
  ['int', 'integration'],
  ['qa', 'test'],
  ['staging', 'uat', 'preprod'],
  ['prod', 'production', 'live'],
];

/** Ways of writing a lane: unqualified, region suffixes, a region prefix, the tier inside a name. */
const LANES: ReadonlyArray<(tier: string) => string> = [
  (t) => t,
  (t) => `${t}-eu`,
  (t) => `${t}-us`,
  (t) => `${t}-us-east-1`,
  (t) => `asia-${t}`,
  (t) => `shop-${t}-eu`,
  (t) => `guestbook-${t}`,
];

interface Generated {
  /** Environments in promotion order: by tier, the lanes of one tier in any order. */
  envs: Env[];
  tierOf: Map<string, number>;
  laneIdOf: Map<string, number>;
}

function generate(seed: number, sortByLadder: boolean): Generated {
  let state = seed;
  const random = (): number => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const words = TIER_WORDS.map((synonyms) => synonyms[Math.floor(random() * synonyms.length)]);
  const tierOf = new Map<string, number>();
  const laneIdOf = new Map<string, number>();
  const cells: Array<{ name: string; tier: number; key: number }> = [];
  for (let lane = 0; lane < LANES.length; lane++) {
    if (random() < 0.4) continue;
    for (let tier = 0; tier < words.length; tier++) {
      if (random() < 0.35) continue;
      const name = LANES[lane](words[tier]);
      tierOf.set(name, tier);
      laneIdOf.set(name, lane);
      cells.push({ name, tier, key: random() });
    }
  }
  const envs = sortByLadder ? byLadder(cells.map((c) => c.name)) : cells.sort((a, b) => a.tier - b.tier || a.key - b.key).map((c) => ({ name: c.name }));
  return { envs, tierOf, laneIdOf };
}

describe('default promotion target: property over generated tiers × lanes', () => {
  it('in a full grid of tiers × lanes, each environment promotes into the next tier of its lane and is fed by the previous one', () => {
    const tiers = ['dev', 'qa', 'staging', 'prod'];
    const names = tiers.flatMap((t) => LANES.map((lane) => lane(t)));
    for (const envs of [byLadder(names), tiers.flatMap((t) => [...LANES].reverse().map((lane) => ({ name: lane(t) })))]) {
      for (let lane = 0; lane < LANES.length; lane++) {
        for (let tier = 0; tier + 1 < tiers.length; tier++) {
          const from = LANES[lane](tiers[tier]);
          const to = LANES[lane](tiers[tier + 1]);
          assert.equal(targetOf(envs, from), to, `${from} in ${envs.map((e) => e.name).join(',')}`);
          assert.equal(sourceOf(envs, to), from, `${to} in ${envs.map((e) => e.name).join(',')}`);
        }
      }
    }
  });

  it('generated names land on the tier and lane they were built from', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const { envs, tierOf, laneIdOf } = generate(seed, true);
      for (const a of envs) {
        assert.equal(ladderRank(a.name) !== null, true, a.name);
        for (const b of envs) {
          if (a === b) continue;
          assert.equal(laneOf(a.name) === laneOf(b.name), laneIdOf.get(a.name) === laneIdOf.get(b.name), `${a.name} / ${b.name}`);
          assert.equal((ladderRank(a.name) as number) < (ladderRank(b.name) as number), (tierOf.get(a.name) as number) < (tierOf.get(b.name) as number), `${a.name} / ${b.name}`);
        }
      }
    }
  });

  for (const sortByLadder of [true, false]) {
    it(`goes to the next tier of its own lane, never to the same tier of another lane while a higher tier exists (${sortByLadder ? 'discovery order' : 'declared order, lanes of a tier shuffled'})`, () => {
      let checked = 0;
      for (let seed = 1; seed <= 400; seed++) {
        const { envs, tierOf, laneIdOf } = generate(seed, sortByLadder);
        const order = envs.map((e) => e.name).join(',');
        const tier = (name: string): number => tierOf.get(name) as number;
        const lane = (name: string): number => laneIdOf.get(name) as number;
        envs.forEach((source, index) => {
          const to = defaultPromotionTarget(envs, source)?.name;
          const later = envs.slice(index + 1).map((e) => e.name);
          const message = `seed ${seed}: ${source.name} → ${to} in ${order}`;
          if (later.length === 0) {
            assert.equal(to, undefined, message);
            return;
          }
          assert.ok(to !== undefined && later.includes(to), message);
          assert.ok(tier(to) >= tier(source.name), `${message}: a lower tier`);
          const ownLane = later.filter((n) => lane(n) === lane(source.name));
          const higher = later.filter((n) => tier(n) > tier(source.name));
          if (ownLane.length > 0) {
            // The next tier of its own lane, exactly.
            const nextTier = Math.min(...ownLane.map(tier));
            assert.equal(lane(to), lane(source.name), `${message}: left its lane`);
            assert.equal(tier(to), nextTier, `${message}: skipped a tier of its lane`);
            checked++;
          } else if (higher.length > 0) {
            // Its lane ends here: up a tier, never sideways; a laned one rejoins the unqualified lane.
            assert.ok(tier(to) > tier(source.name), `${message}: sideways into another lane of the same tier`);
            const unqualified = higher.filter((n) => lane(n) === 0);
            if (lane(source.name) !== 0 && unqualified.length > 0) assert.equal(lane(to), 0, `${message}: did not rejoin the unqualified lane`);
            else assert.equal(tier(to), Math.min(...higher.map(tier)), `${message}: skipped a tier`);
          }
        });
      }
      assert.ok(checked > 1000, `only ${checked} same-lane cases were generated`);
    });

    it(`the default source of a target is a lower tier that promotes into it by default (${sortByLadder ? 'discovery order' : 'declared order'})`, () => {
      for (let seed = 1; seed <= 400; seed++) {
        const { envs, tierOf, laneIdOf } = generate(seed, sortByLadder);
        for (const target of envs) {
          const before = envs.slice(0, envs.indexOf(target));
          const feeders = before.filter((e) => defaultPromotionTarget(envs, e) === target && (tierOf.get(e.name) as number) < (tierOf.get(target.name) as number));
          if (feeders.length === 0) continue;
          const from = defaultPromotionSource(envs, target)?.name;
          const message = `seed ${seed}: ${from} → ${target.name} in ${envs.map((e) => e.name).join(',')}`;
          assert.ok(from !== undefined && feeders.some((e) => e.name === from), message);
          assert.ok(laneIdOf.has(from), message);
        }
      }
    });
  }
});
