// The source → target choices "GitOps: Promote…" offers, with what is waiting in each. Pure (no
// `vscode`): the command turns these into QuickPick items.
import { defaultPromotionSource, defaultPromotionTarget, laneOf } from '../../core/environmentLadder';

export interface LadderEnvironment {
  name: string;
  /** 0-based position in the promotion order. */
  order: number;
  /** Commits waiting in the previous environment (as the tree shows them); null when unknown. */
  pending: { from: string; total: number } | null;
  protected: boolean;
}

export interface PairChoice {
  from: string;
  to: string;
  /** The usual promotion: the source's default target (next tier of its lane). */
  adjacent: boolean;
  /** Commits waiting, for neighbours whose count is known; null otherwise. */
  pending: number | null;
  label: string;
  description: string;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Every forward pair, the usual promotions first (each environment into its default target: the
 * next tier of its own lane, staging-eu → prod-eu), then the others: pairs that skip environments
 * of the lane, or cross into another lane.
 */
export function promotionPairs(environments: readonly LadderEnvironment[]): PairChoice[] {
  const ordered = [...environments].sort((a, b) => a.order - b.order);
  const usual: PairChoice[] = [];
  const others: PairChoice[] = [];
  for (let i = 0; i < ordered.length; i++) {
    const from = ordered[i];
    const target = defaultPromotionTarget(ordered, from);
    for (let j = i + 1; j < ordered.length; j++) {
      const to = ordered[j];
      const label = `${from.name} → ${to.name}`;
      // Said in words next to the counts: a protected target asks for its name before running.
      const shield = to.protected ? 'protected' : '';
      if (to === target) {
        const pending = to.pending && to.pending.from === from.name ? to.pending.total : null;
        const waiting = pending === null ? '' : pending === 0 ? 'up to date' : `${plural(pending, 'commit')} to promote`;
        usual.push({ from: from.name, to: to.name, adjacent: true, pending, label, description: [waiting, shield].filter(Boolean).join(' · ') });
        continue;
      }
      const [fromLane, toLane] = [laneOf(from.name), laneOf(to.name)];
      const across = fromLane !== '' && toLane !== '' && fromLane !== toLane;
      const skipped = ordered.slice(i + 1, j).filter((e) => across || laneOf(e.name) === fromLane || laneOf(e.name) === '').map((e) => e.name);
      const how = across ? `into another lane (${fromLane} → ${toLane})` : skipped.length > 0 ? `skips ${skipped.join(', ')}` : 'not the usual next step';
      others.push({ from: from.name, to: to.name, adjacent: false, pending: null, label, description: [how, shield].filter(Boolean).join(' · ') });
    }
  }
  return [...usual, ...others];
}

/**
 * The choice to preselect: the pair into `into` (from the environment before it), or out of
 * `from`; otherwise the first neighbours with something waiting, else the first neighbours.
 */
export function defaultPair(choices: readonly PairChoice[], prefer: { into?: string; from?: string } = {}): PairChoice | undefined {
  if (prefer.into) {
    const hit = choices.find((c) => c.adjacent && c.to === prefer.into);
    if (hit) return hit;
  }
  if (prefer.from) {
    const hit = choices.find((c) => c.adjacent && c.from === prefer.from);
    if (hit) return hit;
  }
  return choices.find((c) => c.adjacent && (c.pending ?? 0) > 0) ?? choices.find((c) => c.adjacent) ?? choices[0];
}

/**
 * "Promote into this environment" from the tree: the pair from the environment that promotes into
 * it (the previous tier of its lane), or null when there is none (the caller then asks where to
 * promote it to).
 */
export function pairInto(environments: readonly LadderEnvironment[], name: string): { from: string; to: string } | null {
  const ordered = [...environments].sort((a, b) => a.order - b.order);
  const target = ordered.find((e) => e.name === name);
  const source = target ? defaultPromotionSource(ordered, target) : undefined;
  return source ? { from: source.name, to: name } : null;
}
