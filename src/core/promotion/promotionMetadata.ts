// The hidden block at the end of every promotion and rollback PR body. A later promotion (or the
// Environments tree) reads it back to show where a change came from, without guessing from titles.
import type { ChainLink, PlanKind, PromotionLayout } from './promotionTypes';

export const METADATA_MARKER = 'gitops-environments:';

export interface PromotionMetadata {
  v: 1;
  kind: PlanKind;
  from: string;
  to: string;
  layout: PromotionLayout;
  sourceCommit: string;
  targetCommit: string;
  headBranch: string;
  /** Earlier hops, oldest first. */
  chain: ChainLink[];
  rollbackTo: string | null;
}

/** `<!-- gitops-environments: {…} -->`; `>` is escaped so no value can end the comment early. */
export function formatMetadataBlock(metadata: PromotionMetadata): string {
  const json = JSON.stringify(metadata).replace(/>/g, '\\u003e').replace(/</g, '\\u003c');
  return `<!-- ${METADATA_MARKER} ${json} -->`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Reads the block back from a PR body; null when absent or not ours. */
export function parseMetadataBlock(body: string): PromotionMetadata | null {
  const start = body.lastIndexOf(`<!-- ${METADATA_MARKER}`);
  if (start < 0) return null;
  const end = body.indexOf('-->', start);
  if (end < 0) return null;
  let value: unknown;
  try {
    value = JSON.parse(body.slice(start + 5 + METADATA_MARKER.length, end).trim());
  } catch {
    return null;
  }
  if (!isRecord(value) || value.v !== 1) return null;
  const kind = value.kind === 'rollback' ? 'rollback' : value.kind === 'promotion' ? 'promotion' : null;
  const layout = value.layout === 'branch' || value.layout === 'folder' || value.layout === 'image' ? value.layout : null;
  const from = str(value.from);
  const to = str(value.to);
  const sourceCommit = str(value.sourceCommit);
  const targetCommit = str(value.targetCommit);
  const headBranch = str(value.headBranch);
  if (!kind || !layout || from === null || to === null || !sourceCommit || !targetCommit || !headBranch) return null;
  const chain = Array.isArray(value.chain)
    ? value.chain.flatMap((link): ChainLink[] => {
        if (!isRecord(link)) return [];
        const environment = str(link.environment);
        const commit = str(link.commit);
        return environment && commit ? [{ environment, commit }] : [];
      })
    : [];
  return { v: 1, kind, from, to, layout, sourceCommit, targetCommit, headBranch, chain, rollbackTo: str(value.rollbackTo) };
}
