// The words that name an environment — its name's parts, its tier on the promotion ladder, its
// folder — so a promotion can tell a value that names "where it runs" (`shop-staging`,
// `shop.staging.example.com`, `../../variants/non-prod`) from a value that flows. Words both
// environments share (the region of a lane: `eu` in staging-eu → prod-eu) say nothing about
// which side a value belongs to, so they are left out of each side's set.
import { ladderRank } from '../environmentLadder';

export interface EnvironmentSideWords {
  /** Words naming this side only (`staging`, `us`). */
  words: ReadonlySet<string>;
  /** Ladder rank of this side, when its name holds a tier word. */
  rank: number | null;
}

export interface PairWords {
  source: EnvironmentSideWords;
  target: EnvironmentSideWords;
}

/** Lower-case words of a value: split at anything not a letter or digit, trailing digits kept (`prod01` stays one word). */
export function tokenize(value: string): string[] {
  return value
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/** `prod01` → `prod`: numbered copies of an environment use the same words. */
function stem(word: string): string {
  return word.replace(/(?<=[a-z])\d+$/, '');
}

function sideWords(name: string, folder: string): Set<string> {
  const words = new Set<string>();
  const lastFolder = folder.split('/').filter(Boolean).pop() ?? '';
  for (const word of [...tokenize(name), ...tokenize(lastFolder)]) {
    // Generic words of folder layouts never identify an environment.
    if (/^(env|envs|environments?|overlays?|apps?|clusters?|values?|stages?|\d+)$/.test(word)) continue;
    words.add(stem(word));
  }
  return words;
}

export function pairWords(source: { name: string; folder: string }, target: { name: string; folder: string }): PairWords {
  const s = sideWords(source.name, source.folder);
  const t = sideWords(target.name, target.folder);
  const shared = [...s].filter((w) => t.has(w));
  for (const w of shared) {
    s.delete(w);
    t.delete(w);
  }
  const sourceRank = ladderRank(source.name) ?? ladderRank(source.folder);
  const targetRank = ladderRank(target.name) ?? ladderRank(target.folder);
  return {
    source: { words: s, rank: sourceRank === targetRank ? null : sourceRank },
    target: { words: t, rank: sourceRank === targetRank ? null : targetRank },
  };
}

/** True when the value holds one of this side's words, or a tier word of this side's rung (`production` for prod). */
export function namesSide(value: string, side: EnvironmentSideWords): boolean {
  for (const word of tokenize(value)) {
    const stemmed = stem(word);
    if (side.words.has(stemmed)) return true;
    if (side.rank !== null && ladderRank(stemmed) === side.rank) return true;
  }
  return false;
}

/**
 * The value with every word of one side replaced by a placeholder, so `staging-eu-web` and
 * `prod-eu-web` compare equal. Used to pair objects across environments and to spot values that
 * differ only by the environment's name.
 */
export function withoutSideWords(value: string, words: PairWords): string {
  return value.replace(/[A-Za-z0-9]+/g, (token) => {
    const lower = stem(token.toLowerCase());
    const isSide = (side: EnvironmentSideWords): boolean => side.words.has(lower) || (side.rank !== null && ladderRank(lower) === side.rank);
    return isSide(words.source) || isSide(words.target) ? '<env>' : token;
  });
}
