// The promotion ladder: the words teams use for environments, from the first stage to the last,
// and the lanes beside it (a region or variant: staging-eu → prod-eu, staging-us → prod-us).
// Discovery orders environments along it; it decides which discovered environments start
// protected (the production rung) and where a promotion goes when only its source is named.

const RUNGS: readonly (readonly string[])[] = [
  ['dev', 'develop', 'development', 'devel', 'sandbox'],
  ['int', 'integration', 'sit'],
  ['test', 'testing', 'qa', 'qas', 'tst'],
  // Performance and load tests run on near-production sizes before staging; never after prod.
  ['perf', 'performance', 'load', 'loadtest', 'stress'],
  ['staging', 'stage', 'stg', 'uat', 'preprod', 'preproduction', 'acc', 'acceptance'],
  ['prod', 'production', 'prd', 'live'],
];

const RANK = new Map<string, number>(RUNGS.flatMap((words, rank) => words.map((word) => [word, rank] as const)));

/** Rank of the production rung, the last one. */
export const PRODUCTION_RANK = RUNGS.length - 1;

/** Prefixes that only say "environment" (`env/prod-eu`); they belong to neither the tier nor the lane. */
const NAME_PREFIXES = new Set(['env', 'envs', 'environment', 'environments', 'deploy', 'stage']);

function wordsOf(name: string): string[] {
  return name
    .toLowerCase()
    .split(/[-_./\s]+/)
    .filter((w) => w !== '');
}

function stripDigits(word: string): string {
  return word.replace(/(?<=[a-z])\d+$/, '');
}

/**
 * Where the ladder word sits in a name's words: its rank and the indexes it covers, or null.
 * Two neighbouring words written together are tried first (`pre-prod` → `preprod`, staging rather
 * than prod), then each word from the left (`dev-to-prod` is dev). Trailing digits are ignored.
 */
function findTier(words: readonly string[]): { rank: number; from: number; to: number } | null {
  for (let i = 0; i + 1 < words.length; i++) {
    const joined = RANK.get(stripDigits(words[i] + words[i + 1]));
    if (joined !== undefined) return { rank: joined, from: i, to: i + 1 };
  }
  for (let i = 0; i < words.length; i++) {
    const rank = RANK.get(stripDigits(words[i]));
    if (rank !== undefined) return { rank, from: i, to: i };
  }
  return null;
}

/**
 * Position of a name on the ladder (0 = dev … PRODUCTION_RANK = prod), or null when no ladder word
 * is in it. The name is split into words at `-`, `_`, `.`, `/` and spaces, so `prod-eu`,
 * `staging_asia`, `env/qa` and `guestbook-dev` are found but `product` or `devtools` are not.
 */
export function ladderRank(name: string): number | null {
  return findTier(wordsOf(name))?.rank ?? null;
}

/**
 * The lane of a name: its words other than the ladder word and "environment" prefixes, joined
 * with `-` (`staging-eu` and `prod-eu` → `eu`; `guestbook-prod` → `guestbook`; `prod` → '').
 * Trailing digits of the ladder word stay out of it (`qa2` → ''); a name without a ladder word is
 * its own lane.
 */
export function laneOf(name: string): string {
  const words = wordsOf(name);
  const tier = findTier(words);
  if (!tier) return words.join('-');
  return words.filter((w, i) => (i < tier.from || i > tier.to) && !(i === 0 && NAME_PREFIXES.has(w))).join('-');
}

// Built on first comparison, not at module load: creating it loads ICU's collation data (~8 ms of activation).
let collator: Intl.Collator | undefined;

/**
 * Promotion order for discovered environments: by ladder rank, then by lane, then by name (numbers
 * compared as numbers, so `prod-2` comes before `prod-10`). Names without a ladder word come after
 * every known one, alphabetically: we cannot tell where `demo` belongs, and listing it after prod
 * keeps the dev → prod path that the promotion commands follow intact.
 */
export function compareByLadder(a: string, b: string): number {
  const ra = ladderRank(a) ?? Number.POSITIVE_INFINITY;
  const rb = ladderRank(b) ?? Number.POSITIVE_INFINITY;
  if (ra !== rb) return ra - rb;
  collator ??= new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });
  return collator.compare(laneOf(a), laneOf(b)) || collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Discovered environments on the production rung start protected: writes need the name typed. */
export function isProductionName(name: string): boolean {
  return ladderRank(name) === PRODUCTION_RANK;
}

/**
 * Where a promotion from `source` goes when no target is named, among `ordered` (promotion order).
 * Lanes first: an unqualified name (`staging`) is a lane of its own, the default lane, exactly
 * like `eu` is the lane of `staging-eu` and `eu-prod` — so `staging` promotes into `prod`, never
 * sideways into `staging-us` just because that one is listed next.
 * - the first later environment of the source's own lane and a rank not below its own
 *   (staging-eu → prod-eu; a numbered copy of the same tier first: qa → qa2);
 * - when its lane has nothing further: a laned source rejoins the default lane at a higher tier
 *   (staging-eu → prod); otherwise, the first later environment of a higher tier in any lane —
 *   the fan-out of a shared stage into regional lanes (dev → staging-eu when there is no staging);
 * - when nothing later is of a higher tier (the last tier, or names without a ladder word), or the
 *   source has no ladder word itself: the next environment.
 * Returns undefined when the source is last (or not in the list).
 */
export function defaultPromotionTarget<T extends { name: string }>(ordered: readonly T[], source: T): T | undefined {
  const index = ordered.indexOf(source);
  if (index < 0) return undefined;
  const after = ordered.slice(index + 1);
  const rank = ladderRank(source.name);
  if (rank === null) return after[0];
  const lane = laneOf(source.name);
  const rankOf = (env: T): number => ladderRank(env.name) ?? -1;
  const sameLane = after.find((env) => laneOf(env.name) === lane && rankOf(env) >= rank);
  if (sameLane) return sameLane;
  const higher = after.filter((env) => rankOf(env) > rank);
  const laneless = lane === '' ? undefined : higher.find((env) => laneOf(env.name) === '');
  return laneless ?? higher[0] ?? after[0];
}

/**
 * Where a promotion into `target` comes from when no source is named: the nearest earlier
 * environment of a lower tier whose default target is `target` (prod-us ← staging-us, not
 * staging-eu nor prod-eu); else the nearest one whose default target it is; else the nearest one
 * of a lower tier; else the environment just before it. Undefined when `target` is first (or not
 * in the list).
 */
export function defaultPromotionSource<T extends { name: string }>(ordered: readonly T[], target: T): T | undefined {
  const index = ordered.indexOf(target);
  if (index <= 0) return undefined;
  const before = ordered.slice(0, index);
  const rank = ladderRank(target.name);
  // A same-tier environment of another lane (staging-eu beside staging-us) feeds nothing: it only
  // "targets" the neighbour when nothing above it exists.
  const sideways = (env: T): boolean => rank !== null && ladderRank(env.name) === rank && laneOf(env.name) !== '' && laneOf(target.name) !== '' && laneOf(env.name) !== laneOf(target.name);
  const feeders = before.filter((env) => !sideways(env) && defaultPromotionTarget(ordered, env) === target).reverse();
  // A lower tier first (prod-us ← staging-us, not the prod-eu ring before it), then any feeder.
  const lower = feeders.find((env) => rank === null || (ladderRank(env.name) ?? Number.NEGATIVE_INFINITY) < rank);
  if (lower ?? feeders[0]) return lower ?? feeders[0];
  // Nothing promotes into it by default (staging-us beside staging-eu): the nearest environment of a
  // lower tier (promotions climb tiers; a same-tier neighbour in another lane is not a source), else
  // the environment just before it.
  const nearestLower = rank === null ? undefined : [...before].reverse().find((env) => (ladderRank(env.name) ?? Number.POSITIVE_INFINITY) < rank);
  return nearestLower ?? before[before.length - 1];
}
