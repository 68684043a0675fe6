// The pull request body: a summary table, the commits with links, the files and images, the
// target's drift state, the diff (cut so the whole body stays under the hosts' limits: GitHub
// refuses bodies over 65,536 characters), and the hidden metadata block. Secrets are masked last,
// over the whole text.
import { maskSecrets } from '../secrets';
import { commitUrl } from './hostLinks';
import { formatMetadataBlock } from './promotionMetadata';
import type { PromotionPlan } from './promotionTypes';

export const DEFAULT_MAX_BODY_CHARS = 60_000;
/** Commits listed by name; the rest are counted. */
const MAX_LISTED_COMMITS = 50;
const MAX_LISTED_FILES = 200;

/** Keeps a value from breaking a Markdown table row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

function code(text: string): string {
  const ticks = text.includes('`') ? '``' : '`';
  return `${ticks}${ticks.length > 1 ? ' ' : ''}${text.replace(/[\r\n]+/g, ' ')}${ticks.length > 1 ? ' ' : ''}${ticks}`;
}

function link(plan: PromotionPlan, sha: string, label: string): string {
  const url = commitUrl(plan.host.kind, plan.host.webUrl, sha);
  return url ? `[${code(label)}](${url})` : code(label);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function fileSummary(plan: PromotionPlan): string {
  const selected = plan.files.filter((f) => f.selected);
  const count = (action: string): number => selected.filter((f) => f.action === action).length;
  const left = plan.files.length - selected.length;
  const parts = [`${count('add')} added`, `${count('modify')} modified`, `${count('delete')} deleted`];
  return `${plural(selected.length, 'file')} (${parts.join(', ')})${left ? `; ${left} left out` : ''}`;
}

function chainLine(plan: PromotionPlan): string | null {
  if (plan.chain.length === 0) return null;
  const hops = plan.chain.map((link) => `${link.environment} ${code(link.commit.slice(0, 7))}`);
  return [...hops, `${plan.from} ${code(plan.source.shortCommit)}`, plan.to].join(' → ');
}

function header(plan: PromotionPlan): string[] {
  const lines: string[] = [];
  if (plan.kind === 'rollback') {
    lines.push(`Rolls **${plan.to}** back to ${link(plan, plan.source.commit, plan.source.shortCommit)}${plan.target.folder ? ` (folder ${code(plan.target.folder)})` : ''}.`);
  } else {
    const where =
      plan.layout === 'branch'
        ? `merges branch ${code(plan.source.branch)} into ${code(plan.target.branch)}`
        : plan.layout === 'folder'
          ? plan.values.length
            ? `copies ${code(plan.source.folder || '/')} into ${code(plan.target.folder || '/')}, value by value (identity and the environment's own values stay)`
            : `copies ${code(plan.source.folder || '/')} into ${code(plan.target.folder || '/')}`
          : `updates image references in ${code(plan.target.folder || '/')}`;
    lines.push(`Promotes **${plan.from}** → **${plan.to}**: ${where}.`);
  }
  lines.push('', '| | |', '|:--|:--|');
  lines.push(`| Files | ${cell(fileSummary(plan))} |`);
  if (plan.layout === 'image' || plan.images.length) lines.push(`| Images | ${plan.images.filter((i) => i.selected).length} |`);
  lines.push(`| Commits | ${plan.commitTotal}${plan.kind === 'rollback' ? ' undone' : ''} |`);
  lines.push(`| ${plan.kind === 'rollback' ? 'Restored state' : 'Source'} | ${cell(`${plan.from} at ${link(plan, plan.source.commit, plan.source.shortCommit)}`)} |`);
  lines.push(`| Target | ${cell(`${plan.to} on ${code(plan.target.branch)} at ${link(plan, plan.target.commit, plan.target.shortCommit)}`)} |`);
  if (plan.rendered) {
    const r = plan.rendered;
    const parts = [`${r.changed.length} changed`, `${r.added.length} added`, `${r.removed.length} removed`];
    lines.push(`| Rendered objects (${cell(r.renderer)}) | ${parts.join(', ')}${r.problems.length ? `; ${plural(r.problems.length, 'rendering problem')}` : ''} |`);
  }
  lines.push(`| Drift in ${cell(plan.to)} | ${cell(plan.driftState ?? 'not checked')} |`);
  const chain = chainLine(plan);
  if (chain) lines.push(`| Chain | ${cell(chain)} |`);
  return lines;
}

function commitSection(plan: PromotionPlan): string[] {
  if (plan.commits.length === 0) return [];
  const lines = ['', `### ${plan.kind === 'rollback' ? 'Commits undone' : 'Commits'}`, ''];
  for (const commit of plan.commits.slice(0, MAX_LISTED_COMMITS)) {
    lines.push(`- ${link(plan, commit.sha, commit.shortSha)} ${commit.subject.replace(/[\r\n]+/g, ' ')} — ${commit.authorName}`);
  }
  const more = plan.commitTotal - Math.min(plan.commits.length, MAX_LISTED_COMMITS);
  if (more > 0) lines.push(`- … and ${plural(more, 'more commit')}`);
  return lines;
}

const ACTION_MARK = { add: 'added', modify: 'modified', delete: 'deleted' } as const;

function fileSection(plan: PromotionPlan): string[] {
  if (plan.files.length === 0) return [];
  const selected = plan.files.filter((f) => f.selected);
  const left = plan.files.filter((f) => !f.selected);
  const lines = ['', '### Files', ''];
  if (selected.length) {
    lines.push('| Change | File |', '|:--|:--|');
    for (const file of selected.slice(0, MAX_LISTED_FILES)) lines.push(`| ${ACTION_MARK[file.action]} | ${cell(code(file.path))} |`);
    if (selected.length > MAX_LISTED_FILES) lines.push(`| … | ${selected.length - MAX_LISTED_FILES} more |`);
  }
  if (left.length) {
    lines.push('', `Left out (${left.length}):`);
    for (const file of left.slice(0, MAX_LISTED_FILES)) {
      const why = file.excludedBy ? `pinned per environment by ${code(file.excludedBy)}` : file.action === 'delete' ? 'exists only in the target; not deleted' : 'unticked';
      lines.push(`- ${code(file.path)} — ${why}`);
    }
  }
  return lines;
}

function imageSection(plan: PromotionPlan): string[] {
  const images = plan.images.filter((i) => i.selected);
  if (images.length === 0) return [];
  const lines = ['', '### Images', '', '| Image | Field | File | From | To |', '|:--|:--|:--|:--|:--|'];
  for (const image of images) {
    lines.push(`| ${cell(code(image.name))} | ${image.field} | ${cell(`${code(image.file)}:${image.line}`)} | ${cell(image.from === null ? '—' : code(image.from))} | ${cell(image.to === null ? '(removed)' : code(image.to))} |`);
  }
  return lines;
}

const WARNING_TITLE: Record<string, string> = {
  'image-downgrade': 'Image downgrade',
  'chart-downgrade': 'Chart downgrade',
  'identity-change': 'Identity change',
  'target-ahead': 'Target ahead',
};

function warningSection(plan: PromotionPlan): string[] {
  if (plan.warnings.length === 0) return [];
  const lines = ['', '### Warnings', ''];
  for (const warning of plan.warnings.slice(0, 30)) lines.push(`- **${WARNING_TITLE[warning.code] ?? warning.code}** (${code(warning.code)}): ${warning.message.replace(/[\r\n]+/g, ' ')}`);
  if (plan.warnings.some((w) => w.code === 'identity-change') && plan.allowIdentityChange) lines.push('', `The identity change was explicitly allowed.`);
  return lines;
}

const MAX_LISTED_VALUES = 100;

function valueSection(plan: PromotionPlan): string[] {
  if (plan.values.length === 0) return [];
  const promoted = plan.values.filter((v) => v.selected);
  const kept = plan.values.filter((v) => !v.selected);
  const lines = ['', '### Values', ''];
  if (promoted.length) {
    lines.push('| File | Value | From | To | Class |', '|:--|:--|:--|:--|:--|');
    for (const v of promoted.slice(0, MAX_LISTED_VALUES)) {
      lines.push(`| ${cell(`${code(v.file)}:${v.line}`)} | ${cell(code(v.path))} | ${cell(v.from === null ? '—' : code(v.from))} | ${cell(v.to === null ? '(removed)' : code(v.to))} | ${v.class} |`);
    }
    if (promoted.length > MAX_LISTED_VALUES) lines.push(`| … | ${promoted.length - MAX_LISTED_VALUES} more | | | |`);
  }
  if (kept.length) {
    const count = (c: string): number => kept.filter((v) => v.class === c).length;
    lines.push('', `Kept as ${plan.to} has them (${kept.length}): ${count('identity')} identity, ${count('own')} the environment's own, ${count('flows')} unticked.`);
  }
  return lines;
}

function notesSection(plan: PromotionPlan): string[] {
  if (plan.notes.length === 0) return [];
  return ['', '### Notes', '', ...plan.notes.slice(0, 20).map((note) => `- ${note.replace(/[\r\n]+/g, ' ')}`)];
}

/** Cuts `text` at a line boundary to at most `budget` characters and says how much was left out. */
function trimDiff(text: string, budget: number): string {
  if (text.length <= budget) return text;
  const room = Math.max(0, budget - 120);
  const cut = text.lastIndexOf('\n', room);
  const kept = cut > 0 ? text.slice(0, cut + 1) : '';
  const hidden = text.slice(kept.length).split('\n').length - 1;
  return `${kept}… diff trimmed: ${hidden} more lines are in the pull request's file view\n`;
}

function detailsBlock(heading: string, summary: string, text: string, budget: number): string {
  const open = `\n\n### ${heading}\n\n<details><summary>${summary}</summary>\n\n\`\`\`\`diff\n`;
  const close = '````\n\n</details>';
  const room = budget - open.length - close.length;
  if (room < 200) return `\n\n### ${heading}\n\nToo long for this description; see the pull request's file view.`;
  return `${open}${trimDiff(text, room)}${close}`;
}

/** The complete body for `plan`, at most `maxChars` characters. */
export function renderPullRequestBody(plan: PromotionPlan, maxChars = DEFAULT_MAX_BODY_CHARS): string {
  const metadata = formatMetadataBlock({
    v: 1,
    kind: plan.kind,
    from: plan.from,
    to: plan.to,
    layout: plan.layout,
    sourceCommit: plan.source.commit,
    targetCommit: plan.target.commit,
    headBranch: plan.headBranch,
    chain: plan.chain,
    rollbackTo: plan.rollbackTo,
  });
  const before = maskSecrets([...header(plan), ...warningSection(plan), ...commitSection(plan), ...fileSection(plan), ...valueSection(plan), ...imageSection(plan), ...notesSection(plan)].join('\n'));
  const footer = `\n\n---\nOpened by GitOps Environments.\n\n${metadata}\n`;
  const diffText = maskSecrets(plan.diff.text);
  const renderedText = plan.rendered ? maskSecrets(plan.rendered.text) : '';
  // The file diff and the rendered diff share what is left; each gets at least half when both are long.
  const room = maxChars - before.length - footer.length - 400;
  const renderedShare = renderedText ? Math.max(room / 2, room - diffText.length) : 0;
  const fileShare = room - Math.min(renderedShare, renderedText.length);
  let diffBlock = '';
  if (diffText) diffBlock += detailsBlock('Diff', `Changes to ${plan.to}'s files (${plural(plan.diff.files, 'file')}, +${plan.diff.insertions} −${plan.diff.deletions})`, diffText, fileShare);
  if (renderedText && plan.rendered) {
    const r = plan.rendered;
    diffBlock += detailsBlock('Rendered objects', `${plan.to} rendered before → after (${r.changed.length} changed, ${r.added.length} added, ${r.removed.length} removed)`, renderedText, renderedShare);
  }
  let body = `${before}${diffBlock}${footer}`;
  // The parts above the diff are bounded, but a pathological plan (thousands of notes) could still overflow.
  if (body.length > maxChars) body = `${body.slice(0, maxChars - footer.length - 40)}\n… (description cut)${footer}`;
  return body;
}
