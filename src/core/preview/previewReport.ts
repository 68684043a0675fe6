// The preview of a change for reviewers: per touched environment, what the rendered objects become
// (JSON for machines) and one collapsible `<details>` section each for a pull-request comment,
// capped at GitHub's comment size with a note when cut. Secret values arrive masked already.
import { isMaskedValue } from '../drift/secretMask';
import type { FieldChange, ObjectChangeReport } from './objectDiff';

export type ClusterCheckStatus = 'checked' | 'unreachable' | 'none';

export interface LiveChange extends Omit<ObjectChangeReport, 'change' | 'fields'> {
  /** `refused`: the server would not accept the object (the error says why). */
  change: 'added' | 'modified' | 'removed' | 'refused';
  fields: Array<FieldChange & { drift?: boolean }>;
  error?: string;
}

export interface EnvironmentPreview {
  name: string;
  objects: ObjectChangeReport[];
  cluster: { status: ClusterCheckStatus; objects: LiveChange[]; message?: string };
  /** Render or dry-run problems, one line each. */
  problems: string[];
}

export interface PreviewReport {
  base: string;
  head: string;
  environments: EnvironmentPreview[];
}

/** GitHub refuses comments over 65,536 characters; this leaves room for a bot's own header. */
export const MARKDOWN_LIMIT = 60_000;

function shown(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (isMaskedValue(value)) return `*(secret, hash ${value.hash})*`;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const cut = text.length > 120 ? `${text.slice(0, 117)}…` : text;
  return `\`${cut.replace(/`/g, 'ˋ').replace(/\|/g, '\\|').replace(/\r?\n/g, '⏎')}\``;
}

function objectName(object: { kind: string; namespace: string | null; name: string }): string {
  return `${object.kind} ${object.namespace ? `${object.namespace}/` : ''}${object.name}`;
}

function counts(objects: readonly { change: string }[]): string {
  const by = (change: string): number => objects.filter((o) => o.change === change).length;
  return `${by('added')} added, ${by('modified')} modified, ${by('removed')} removed`;
}

function clusterSummary(preview: EnvironmentPreview): string {
  const { cluster } = preview;
  if (cluster.status === 'none') return 'no cluster checked';
  if (cluster.status === 'unreachable') return 'cluster unreachable';
  const refused = cluster.objects.filter((o) => o.change === 'refused').length;
  return `live: ${cluster.objects.length - refused} would change${refused ? `, ${refused} refused` : ''}`;
}

function changeLines(objects: ReadonlyArray<ObjectChangeReport | LiveChange>): string[] {
  const lines: string[] = [];
  for (const object of objects) {
    const error = 'error' in object && object.error ? ` — ${shown(object.error)}` : '';
    if (object.fields.length === 0) {
      lines.push(`| ${object.change} | ${objectName(object)} | | | ${error} |`);
      continue;
    }
    for (const field of object.fields) {
      const drift = 'drift' in field && field.drift ? ' (overwrites live drift)' : '';
      lines.push(`| ${object.change} | ${objectName(object)} | \`${field.path}\`${drift} | ${shown(field.before)} | ${shown(field.after)} |`);
    }
  }
  return lines;
}

function sectionLines(preview: EnvironmentPreview): { head: string[]; body: string[] } {
  const head = [`<details><summary><b>${preview.name}</b>: ${counts(preview.objects)} · ${clusterSummary(preview)}</summary>`, ''];
  const body: string[] = [];
  for (const problem of preview.problems) body.push(`> ⚠️ ${problem.replace(/\r?\n/g, ' ')}`, '');
  if (preview.objects.length > 0) body.push('**Rendered objects (base → head)**', '', '| change | object | field | before | after |', '|---|---|---|---|---|', ...changeLines(preview.objects), '');
  else body.push('The rendered objects do not change.', '');
  if (preview.cluster.status === 'checked') {
    if (preview.cluster.objects.length > 0) body.push('**Live cluster (server dry-run of head)**', '', '| change | object | field | live | after apply |', '|---|---|---|---|---|', ...changeLines(preview.cluster.objects), '');
    else body.push('Applying head changes nothing live.', '');
  } else if (preview.cluster.message) body.push(`Cluster: ${preview.cluster.message}`, '');
  return { head, body };
}

const CLOSE = ['</details>', ''];

/** The PR comment. Over `limit` characters, rows are cut (whole lines, sections still closed) and a note says so. */
export function previewMarkdown(report: PreviewReport, limit = MARKDOWN_LIMIT): string {
  const title = [`### GitOps preview: \`${report.base}\` → \`${report.head}\``, ''];
  if (report.environments.length === 0) return [...title, 'No environment is touched by this change.', ''].join('\n');
  const note = (omitted: number): string => `> ✂️ This preview was cut at ${limit.toLocaleString('en-US')} characters: ${omitted} more line(s) left out. Run \`gitops-env preview --format json\` for all of it.\n`;
  const reserve = note(999_999).length + 8;
  const out: string[] = [...title];
  let size = title.join('\n').length + 1;
  let omitted = 0;
  const push = (line: string): boolean => {
    if (size + line.length + 1 > limit - reserve) return false;
    out.push(line);
    size += line.length + 1;
    return true;
  };
  for (const preview of report.environments) {
    const { head, body } = sectionLines(preview);
    const frame = [...head, ...CLOSE].join('\n').length + 1;
    if (size + frame > limit - reserve) {
      omitted += head.length + body.length;
      continue;
    }
    for (const line of head) push(line);
    // The closing lines are kept in reserve so a cut section still closes.
    size += CLOSE.join('\n').length + 1;
    let cut = false;
    for (const line of body) {
      if (cut || !push(line)) {
        cut = true;
        omitted++;
      }
    }
    size -= CLOSE.join('\n').length + 1;
    if (cut) out.push('');
    for (const line of CLOSE) {
      out.push(line);
      size += line.length + 1;
    }
  }
  if (omitted > 0) out.push(note(omitted));
  return out.join('\n');
}

/** The JSON contract: environments with name, objects and cluster (problems added for the curious). */
export function previewJson(report: PreviewReport): unknown {
  return {
    base: report.base,
    head: report.head,
    environments: report.environments.map((env) => ({ name: env.name, objects: env.objects, cluster: env.cluster, problems: env.problems })),
  };
}
