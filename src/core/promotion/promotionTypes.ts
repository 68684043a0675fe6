// The promotion plan: one data object that the CLI prints, the preview webview shows with
// checkboxes, and the executor applies. Plain JSON (no Maps, no functions) so it can cross the
// webview boundary unchanged.
import type { CommitInfo, HostKind } from '../model';
import type { RenderedDiff } from './renderedDiff';

/** How the change reaches the target: merge the source branch, copy folder files, or edit image fields only. */
export type PromotionLayout = 'branch' | 'folder' | 'image';
export type PlanKind = 'promotion' | 'rollback';
export type FileAction = 'add' | 'modify' | 'delete';

/** One side of a plan as the git layer resolved it. */
export interface PlanSide {
  environment: string;
  /** The ref the content was read from (`origin/prod`, `main`). */
  ref: string;
  commit: string;
  shortCommit: string;
  /** Branch name on the remote (`prod`); for the target, the pull request's base. */
  branch: string;
  /** Environment folder, repository-relative; '' = repository root. The first of `folders`. */
  folder: string;
  /** Every folder of an environment made of several (one per application); absent: `folder` alone. */
  folders?: string[];
  /** The environment's own Helm values files in a chart folder other environments read too (Environment.valuesFiles). */
  valuesFiles?: string[];
  /** Git tree id of the folder at `commit`; null when the folder does not exist there. */
  tree: string | null;
  /** Remote the branch lives on (where the head branch is pushed); null when there is none. */
  remote: string | null;
}

export interface PlannedFileChange {
  /** Repository-relative path in the target tree. */
  path: string;
  /** Where the new content comes from (source folder path); null for deletions. */
  sourcePath: string | null;
  action: FileAction;
  /** Matched a `promotion.exclude` glob, so it is left out unless ticked. */
  excluded: boolean;
  /** The glob that matched. */
  excludedBy: string | null;
  /** Applied when true. The user ticks and unticks this in the preview. */
  selected: boolean;
  /** Blob id before (target) and after (source); null on the side where the file is absent. */
  beforeBlob: string | null;
  afterBlob: string | null;
  /** File mode to write (`100644`, `100755`, `120000`); null for deletions. */
  mode: string | null;
  /** Unified diff of this file (may be cut, see `diffTruncated`); '' for binary files. */
  diff: string;
  diffTruncated: boolean;
  binary: boolean;
  insertions: number;
  deletions: number;
  /**
   * A YAML file present on both sides, promoted value by value: only its selected `values` are
   * written into the target's text (kept in `valueTargets`); `afterBlob` is not copied.
   */
  fieldLevel?: boolean;
}

/**
 * What a differing value is to the target environment:
 * - `identity`: it names the environment, its tier or region (namespace, namePrefix, components
 *   per tier, host names, ENV/STAGE variables, cluster names) — never copied by default;
 * - `own`: the environment's own (sizing, `promotion.keep`, `promotion.exclude`, or a value that
 *   never flowed according to Git history) — not copied by default;
 * - `flows`: image tags, chart versions, settings and everything else — promoted.
 */
export type ValueClass = 'identity' | 'own' | 'flows';

export interface ValueChange {
  /** Stable id inside the plan (`file#docKey path`), used for ticking. */
  id: string;
  /** Repository-relative target file that is edited. */
  file: string;
  sourceFile: string;
  docIndex: number;
  /** JSON pointer in the target document (for an added list item it ends with `-`). */
  pointer: string;
  /** The place in words: `spec.template.spec.containers[name=app].image`. */
  path: string;
  /** 1-based line in the target file (for an added value: the line of its parent). */
  line: number;
  op: 'set' | 'add' | 'remove';
  /** Target's current value (null when added); collections in flow style. */
  from: string | null;
  /** Source's value (null when removed). */
  to: string | null;
  /** The YAML text written for set and add. */
  yaml: string | null;
  class: ValueClass;
  /** Why it has that class, in a few words (`namespace`, `never flowed: …`). */
  reason: string;
  selected: boolean;
}

export type WarningCode = 'image-downgrade' | 'chart-downgrade' | 'identity-change' | 'target-ahead' | 'invalid-objects';

export interface PlanWarning {
  code: WarningCode;
  message: string;
}

export type ImageRefKind = 'container' | 'kustomize' | 'helm';
export type ImageField = 'image' | 'newName' | 'newTag' | 'digest' | 'repository' | 'tag';

export interface ImageChange {
  /** Stable id inside the plan (`file#key`), used for ticking. */
  id: string;
  /** Repository-relative file in the target that is edited. */
  file: string;
  /** The corresponding file in the source. */
  sourceFile: string;
  /** JSON pointer of the edited value inside its YAML document. */
  pointer: string;
  docIndex: number;
  /** 1-based line of the value in the target file. */
  line: number;
  kind: ImageRefKind;
  field: ImageField;
  /** Image name for display (`ghcr.io/acme/web`). */
  name: string;
  /** Target's current value; null when the field is added. */
  from: string | null;
  /** Source's value; null when the field is removed. */
  to: string | null;
  selected: boolean;
}

/** A promotion this one continues (read from `Promoted-From:` trailers of the promoted commits). */
export interface ChainLink {
  environment: string;
  commit: string;
}

export interface DiffSummary {
  files: number;
  insertions: number;
  deletions: number;
  /** The diff of the target before → after, for selected changes, cut to fit `maxChars`. */
  text: string;
  truncated: boolean;
}

export interface PromotionPlan {
  /** Bumped when the shape changes; the metadata block in PR bodies carries it. */
  version: 1;
  kind: PlanKind;
  from: string;
  to: string;
  layout: PromotionLayout;
  source: PlanSide;
  target: PlanSide;
  /** Commits being promoted (branch layout), or since the rollback point (rollback), newest first. */
  commits: CommitInfo[];
  /** Exact count even when `commits` is cut. */
  commitTotal: number;
  files: PlannedFileChange[];
  images: ImageChange[];
  /** Target file texts the image edits apply to (needed to redo the edits after ticking). */
  imageTargets: Array<{ path: string; text: string }>;
  /** Folder layout: the differing values of YAML files present on both sides, classified. */
  values: ValueChange[];
  /** Target texts of the field-level files (the edits are redone from them after ticking). */
  valueTargets: Array<{ path: string; text: string }>;
  /** Safety checks: downgrades, identity changes, a target that is ahead. */
  warnings: PlanWarning[];
  /**
   * The user allowed an `identity-change` (a tick in the preview, `--allow-identity-change`);
   * without it such a plan is refused when executed.
   */
  allowIdentityChange: boolean;
  /** What the checks need again after ticks change: flowing values where the target moved on, target-only commits. */
  checks: {
    aheadValues: string[];
    targetOnlyCommits: number;
    /** Branch layout: image and chart values the merge brings (merge base → source), for the downgrade checks. */
    mergedValues: ValueChange[];
  };
  diff: DiffSummary;
  /** Nothing would change; `syncReason` says why in a sentence. */
  alreadyInSync: boolean;
  syncReason: string | null;
  /** Things the user should know (an image without counterpart, a rename shown as delete + add…). */
  notes: string[];
  /** `gitops/promote-staging-to-prod-abc1234` or `gitops/rollback-prod-to-abc1234`. */
  headBranch: string;
  title: string;
  body: string;
  labels: string[];
  reviewers: string[];
  chain: ChainLink[];
  /** Rollback only: the commit whose state is restored. */
  rollbackTo: string | null;
  host: { kind: HostKind; webUrl: string | null };
  /** What the target's cluster looks like, in a sentence, for the PR body; null = not checked. */
  driftState: string | null;
  /** The target's rendered objects before → after (renderPlanChange); null until rendered. */
  rendered: RenderedDiff | null;
  /** The target environment is protected: the UI asks for its name to be typed before executing. */
  targetProtected: boolean;
}
