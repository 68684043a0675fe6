// The source → target choices "GitOps: Promote…" offers, with what is waiting in each. Pure (no
// `vscode`): the command turns these into QuickPick items.

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
  /** Neighbours in the promotion order (the usual promotion). */
  adjacent: boolean;
  /** Commits waiting, for neighbours whose count is known; null otherwise. */
  pending: number | null;
  label: string;
  description: string;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Every forward pair, neighbours first (in order), then pairs that skip environments. */
export function promotionPairs(environments: readonly LadderEnvironment[]): PairChoice[] {
  const ordered = [...environments].sort((a, b) => a.order - b.order);
  const adjacent: PairChoice[] = [];
  const skipping: PairChoice[] = [];
  for (let i = 0; i < ordered.length; i++) {
    for (let j = i + 1; j < ordered.length; j++) {
      const from = ordered[i];
      const to = ordered[j];
      const label = `${from.name} → ${to.name}`;
      // Said in words next to the counts: a protected target asks for its name before running.
      const shield = to.protected ? 'protected' : '';
      if (j === i + 1) {
        const pending = to.pending && to.pending.from === from.name ? to.pending.total : null;
        const waiting = pending === null ? '' : pending === 0 ? 'up to date' : `${plural(pending, 'commit')} to promote`;
        adjacent.push({ from: from.name, to: to.name, adjacent: true, pending, label, description: [waiting, shield].filter(Boolean).join(' · ') });
      } else {
        const skipped = ordered.slice(i + 1, j).map((e) => e.name);
        skipping.push({ from: from.name, to: to.name, adjacent: false, pending: null, label, description: [`skips ${skipped.join(', ')}`, shield].filter(Boolean).join(' · ') });
      }
    }
  }
  return [...adjacent, ...skipping];
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
 * "Promote into this environment" from the tree: the pair from the environment before it, or
 * null when it is the first one (the caller then asks where to promote it to).
 */
export function pairInto(environments: readonly LadderEnvironment[], name: string): { from: string; to: string } | null {
  const ordered = [...environments].sort((a, b) => a.order - b.order);
  const index = ordered.findIndex((e) => e.name === name);
  if (index <= 0) return null;
  return { from: ordered[index - 1].name, to: name };
}
