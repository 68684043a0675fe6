// The plan as the CLI prints it: the JSON shape scripts rely on, and a short human summary.
import { identityChangeBlocked } from './safetyChecks';
import type { PlanWarning, PromotionPlan, ValueClass } from './promotionTypes';

export interface PullRequestRef {
  url: string;
  number: number;
}

export interface PlanJson {
  kind: PromotionPlan['kind'];
  from: string;
  to: string;
  layout: PromotionPlan['layout'];
  alreadyInSync: boolean;
  syncReason: string | null;
  changes: Array<{ path: string; action: string; selected: boolean; excluded: boolean }>;
  commits: Array<{ sha: string; shortSha: string; subject: string; author: string; date: string }>;
  images: Array<{ file: string; line: number; name: string; field: string; from: string | null; to: string | null; selected: boolean }>;
  /** Folder layout: each differing value of YAML files on both sides, with its class. */
  values: Array<{ id: string; file: string; line: number; path: string; op: string; from: string | null; to: string | null; class: ValueClass; reason: string; selected: boolean }>;
  /** Safety checks (`image-downgrade`, `chart-downgrade`, `identity-change`, `target-ahead`). */
  warnings: PlanWarning[];
  allowIdentityChange: boolean;
  /** An identity change that was not allowed: executing refuses. */
  blocked: boolean;
  branch: string;
  base: string;
  title: string;
  pullRequest: PullRequestRef | null;
  /** Where to open the pull request by hand when none was opened (no provider or token). */
  compareUrl: string | null;
  /** Rollback only. */
  rollbackTo: string | null;
  /** The target's rendered objects that change (with --render); null when not rendered. */
  rendered: { renderer: string; added: string[]; removed: string[]; changed: string[]; problems: string[] } | null;
}

export function planJson(plan: PromotionPlan, outcome: { pullRequest?: PullRequestRef | null; compareUrl?: string | null } = {}): PlanJson {
  return {
    kind: plan.kind,
    from: plan.from,
    to: plan.to,
    layout: plan.layout,
    alreadyInSync: plan.alreadyInSync,
    syncReason: plan.syncReason,
    changes: plan.files.map((f) => ({ path: f.path, action: f.action, selected: f.selected, excluded: f.excluded })),
    commits: plan.commits.map((c) => ({ sha: c.sha, shortSha: c.shortSha, subject: c.subject, author: c.authorName, date: c.date })),
    images: plan.images.map((i) => ({ file: i.file, line: i.line, name: i.name, field: i.field, from: i.from, to: i.to, selected: i.selected })),
    values: plan.values.map((v) => ({ id: v.id, file: v.file, line: v.line, path: v.path, op: v.op, from: v.from, to: v.to, class: v.class, reason: v.reason, selected: v.selected })),
    warnings: plan.warnings.map((w) => ({ code: w.code, message: w.message })),
    allowIdentityChange: plan.allowIdentityChange,
    blocked: identityChangeBlocked(plan),
    branch: plan.headBranch,
    base: plan.target.branch,
    title: plan.title,
    pullRequest: outcome.pullRequest ?? null,
    compareUrl: outcome.compareUrl ?? null,
    rollbackTo: plan.rollbackTo,
    rendered: plan.rendered ? { renderer: plan.rendered.renderer, added: plan.rendered.added, removed: plan.rendered.removed, changed: plan.rendered.changed, problems: plan.rendered.problems } : null,
  };
}

const MARK = { add: '+', modify: '~', delete: '-' } as const;

/** `, apps/web/overlays/prod (+1 more)`: an environment's folder, and how many more it has. */
function folderText(side: PromotionPlan['source']): string {
  if (!side.folder) return '';
  const more = (side.folders?.length ?? 1) - 1;
  return `, ${side.folder}${more > 0 ? ` (+${more} more)` : ''}`;
}

/** A few lines a person reads in a terminal before deciding to run without --dry-run. */
export function planText(plan: PromotionPlan): string {
  const lines: string[] = [plan.title];
  if (plan.kind === 'rollback') {
    lines.push(`  restores ${plan.to}${plan.target.folder ? ` (${plan.target.folder})` : ''} on ${plan.target.branch} to ${plan.source.shortCommit}`);
  } else {
    lines.push(
      `  ${plan.layout} layout: ${plan.from} (${plan.source.ref} ${plan.source.shortCommit}${folderText(plan.source)}) → ${plan.to} (${plan.target.branch} ${plan.target.shortCommit}${folderText(plan.target)})`,
    );
  }
  if (plan.alreadyInSync) {
    lines.push(`Already in sync: ${plan.syncReason ?? 'nothing differs'}.`);
    return `${lines.join('\n')}\n`;
  }
  if (plan.commitTotal > 0) {
    lines.push('', `Commits (${plan.commitTotal}${plan.kind === 'rollback' ? ' undone' : ''}):`);
    for (const c of plan.commits.slice(0, 20)) lines.push(`  ${c.shortSha} ${c.subject}`);
    if (plan.commitTotal > 20) lines.push(`  … ${plan.commitTotal - 20} more`);
  }
  if (plan.files.length) {
    lines.push('', `Files (${plan.files.filter((f) => f.selected).length} of ${plan.files.length} selected):`);
    for (const f of plan.files) {
      const why = f.selected ? '' : f.excludedBy ? `  (left out: matches ${f.excludedBy})` : f.action === 'delete' ? '  (left out: only in the target; not deleted unless ticked)' : '  (left out)';
      lines.push(`  [${f.selected ? 'x' : ' '}] ${MARK[f.action]} ${f.path}${f.binary ? ' (binary)' : ` +${f.insertions} -${f.deletions}`}${why}`);
    }
  }
  if (plan.images.length) {
    lines.push('', 'Images:');
    for (const i of plan.images) lines.push(`  [${i.selected ? 'x' : ' '}] ${i.file}:${i.line} ${i.name} ${i.field}: ${i.from ?? '(none)'} → ${i.to ?? '(removed)'}`);
  }
  if (plan.values.length) {
    lines.push('', `Values (${plan.values.filter((v) => v.selected).length} of ${plan.values.length} promoted):`);
    for (const v of plan.values.slice(0, 200)) {
      const change = v.op === 'add' ? `(new) → ${v.to}` : v.op === 'remove' ? `${v.from} → (removed)` : `${v.from} → ${v.to}`;
      lines.push(`  [${v.selected ? 'x' : ' '}] ${v.file}:${v.line} ${v.path}: ${change}  (${v.class}: ${v.reason})`);
    }
    if (plan.values.length > 200) lines.push(`  … ${plan.values.length - 200} more`);
  }
  if (plan.rendered) {
    const r = plan.rendered;
    lines.push('', `Rendered ${plan.to} (${r.renderer}): ${r.changed.length} changed, ${r.added.length} added, ${r.removed.length} removed`);
    for (const [mark, labels] of [['~', r.changed], ['+', r.added], ['-', r.removed]] as const) for (const label of labels) lines.push(`  ${mark} ${label}`);
    for (const problem of r.problems) lines.push(`  problem: ${problem}`);
  }
  for (const note of plan.notes) lines.push(`note: ${note}`);
  for (const warning of plan.warnings) lines.push(`warning (${warning.code}): ${warning.message}`);
  if (identityChangeBlocked(plan)) lines.push(`blocked: this plan changes ${plan.to}'s identity; run again with --allow-identity-change if that is intended`);
  lines.push('', `Branch: ${plan.headBranch} → ${plan.target.branch}`);
  return `${lines.join('\n')}\n`;
}
