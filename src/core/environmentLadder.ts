// The promotion ladder: the words teams use for environments, from the first stage to the last.
// Discovery orders environments along it; it also decides which discovered environments start
// protected (the production rung).

const RUNGS: readonly (readonly string[])[] = [
  ['dev', 'develop', 'development', 'devel'],
  ['test', 'testing', 'qa', 'int', 'integration'],
  ['staging', 'stage', 'stg', 'uat', 'preprod', 'preproduction'],
  ['prod', 'production', 'prd', 'live'],
];

const RANK = new Map<string, number>(RUNGS.flatMap((words, rank) => words.map((word) => [word, rank] as const)));

/** Rank of the production rung, the last one. */
export const PRODUCTION_RANK = RUNGS.length - 1;

/**
 * Position of a name on the ladder (0 = dev … 3 = prod), or null when no ladder word is in it.
 * The name is split into words at `-`, `_`, `.`, `/` and spaces, so `prod-eu`, `staging_asia`,
 * `env/qa` and `guestbook-dev` are found but `product` or `devtools` are not. Two neighbouring words
 * written together are tried first (`pre-prod` → `preprod`, staging rather than prod), then each word
 * from the left (`dev-to-prod` is dev). Trailing digits are ignored (`qa2`, `prod01`).
 */
export function ladderRank(name: string): number | null {
  const words = name
    .toLowerCase()
    .split(/[-_./\s]+/)
    .filter((w) => w !== '')
    .map((w) => w.replace(/(?<=[a-z])\d+$/, ''));
  for (let i = 0; i + 1 < words.length; i++) {
    const joined = RANK.get(words[i] + words[i + 1]);
    if (joined !== undefined) return joined;
  }
  for (const word of words) {
    const rank = RANK.get(word);
    if (rank !== undefined) return rank;
  }
  return null;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });

/**
 * Promotion order for discovered environments: by ladder rank, then by name (numbers compared as
 * numbers, so `prod-2` comes before `prod-10`). Names without a ladder word come after every known
 * one, alphabetically: we cannot tell where `demo` belongs, and listing it after prod keeps the
 * dev → prod path that the promotion commands follow intact.
 */
export function compareByLadder(a: string, b: string): number {
  const ra = ladderRank(a) ?? Number.POSITIVE_INFINITY;
  const rb = ladderRank(b) ?? Number.POSITIVE_INFINITY;
  if (ra !== rb) return ra - rb;
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Discovered environments on the production rung start protected: writes need the name typed. */
export function isProductionName(name: string): boolean {
  return ladderRank(name) === PRODUCTION_RANK;
}
