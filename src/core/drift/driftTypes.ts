// Types shared by the drift engine's files: what goes in (desired, live, predicted-live objects and
// options) and what comes out (per-resource verdicts and per-field drifts). Pure data.
import type { FieldBlame, ObjectBlame } from '../blame/blameTypes';
import type { ParsedManifest } from '../manifest';
import type { ResourceId, SourceLocation, SourceRange } from '../model';
import type { DriftCache } from './driftCache';
import type { IgnoreRule } from './ignoreRules';

/** A Kubernetes object as plain JSON (what YAML parsing or the API returns). */
export type KubeObject = Record<string, unknown>;

/** `local`: Git compared with live, no cluster call. `server`: a server-side-apply dry-run result compared with live. */
export type DriftMode = 'local' | 'server';

/** `Invalid`: the API server (its dry-run) or the kind's schema refuses Git's object, so it cannot be applied, let alone compared. */
export type DriftStatus = 'InSync' | 'Drifted' | 'Missing' | 'Extra' | 'Unknown' | 'Invalid';

/** Every status, in the order reports count them. */
export const DRIFT_STATUSES: readonly DriftStatus[] = ['InSync', 'Drifted', 'Missing', 'Extra', 'Unknown', 'Invalid'];

/** One thing the server or the schema refuses in Git's object. */
export interface InvalidProblem {
  /** The API server's field path (`spec.template.spec.containers[0].imagePullPolicy`); empty for the whole object. */
  path: string;
  message: string;
  /** RFC 6901 pointer in Git's object of the offending field (of its parent for a missing one), when it can be told. */
  pointer?: string;
  /** Its range in the declaring manifest (attached like a drifted field's). */
  range?: SourceRange;
  /** The overlay line that set it, for a rendered object. */
  source?: FieldBlame;
}

/** Why Git's object is refused: a one-line reason and each problem. */
export interface InvalidVerdict {
  /** `schema`: refused by the kind's schema and the API server's rules, checked here; `server`: by the cluster's dry-run. */
  by: 'schema' | 'server';
  reason: string;
  problems: InvalidProblem[];
}

/**
 * What a consumer gets instead of a Secret value: enough to say "differs" and to tell two values
 * apart, never enough to print the value.
 */
export interface MaskedValue {
  masked: true;
  /** First 8 hex digits of the SHA-256 of the value (salted when the caller gives a salt). */
  hash: string;
}

/**
 * How one field differs:
 * - `changed`: Git and the cluster both have it, with different values;
 * - `notInLive`: Git declares it and the cluster lacks it;
 * - `notInGit`: the cluster has it and applying Git would remove it (it was declared before, by the
 *   last apply, or — in `server` mode — the dry-run result lacks it).
 */
export type DriftChange = 'changed' | 'notInLive' | 'notInGit';

export interface DriftField {
  /**
   * RFC 6901 pointer in the object from Git where Git declares the field (list items by their index
   * in Git); below the last segment Git declares, the live object's indices.
   */
  pointer: string;
  /** Pointer in the live object, when the live object has the field. */
  livePointer?: string;
  /** Readable path: `spec.template.spec.containers[name=web].image`. */
  path: string;
  change: DriftChange;
  /** Value from Git (or the dry-run result in `server` mode); absent when `change` is `notInGit`. */
  desired?: unknown;
  /** Live value; absent when `change` is `notInLive`. */
  live?: unknown;
  /**
   * Source range of the field in the manifest, or of its nearest ancestor Git declares; absent
   * when `source` says another file sets the value.
   */
  range?: SourceRange;
  /**
   * Where the value was set, for a rendered (kustomize) object: the overlay patch, `images:` entry,
   * `replicas:` count, component or base line that gave the field its Git value (or its nearest
   * ancestor's). Hints, reports and Accept Live use it before `range`.
   */
  source?: FieldBlame;
  /** The live field manager that owns the field (the latest one when several share it). */
  manager?: string;
  /** When that manager last wrote the object (its managedFields `time`). */
  changedAt?: string;
}

export interface ResourceDrift {
  id: ResourceId;
  /** `resourceKey(id)`: the key shared by every view. */
  key: string;
  status: DriftStatus;
  /** The differing fields; empty unless `status` is `Drifted`. */
  fields: DriftField[];
  /** Why the status is `Unknown` (kind not served, forbidden, dry-run failed...) or `Invalid` (the refusal in one line). */
  reason?: string;
  /** `Invalid` only: what the server or the schema refuses, field by field. */
  problems?: InvalidProblem[];
  /** Where Git declares the resource (file and the `kind:` line), when known. */
  origin?: SourceLocation;
  mode: DriftMode;
  /** True when the verdict may be off: local mode cannot see webhooks or defaults we do not know. */
  approximate: boolean;
  /** Differences that ignore rules suppressed (so a view can say "2 ignored"). */
  ignored: number;
}

export interface EnvironmentDrift {
  mode: DriftMode;
  approximate: boolean;
  /** Desired resources in input order, then extras in live order. */
  resources: ResourceDrift[];
  counts: Record<DriftStatus, number>;
  /** Ignore rules that could not be used (unsupported jq expression...), one line each. */
  problems: string[];
}

/** One object rendered from Git. */
export interface DesiredResource {
  object: KubeObject;
  /** The plain-YAML document it came from: gives the source range of every drifted field. */
  manifest?: ParsedManifest;
  /** Where it was declared when there is no manifest (a kustomize or helm render). */
  origin?: SourceLocation;
  /** Hash of the rendered content, when the caller already has one; computed otherwise. */
  contentHash?: string;
  /** Who set each field of a rendered object (built on first use, once per render). */
  blame?: ObjectBlame;
  /** Files that change the rendered object without declaring it (overlay patches): edits to them need a new render. */
  inputs?: readonly string[];
}

export interface CompareOptions {
  mode?: DriftMode;
  ignoreRules?: readonly IgnoreRule[];
  /** Compare `status` too (off: status is the controller's, not Git's). */
  compareStatus?: boolean;
  /** Drop `rules` of ClusterRoles with an `aggregationRule`: the aggregation controller writes them. */
  ignoreAggregatedRoles?: boolean;
  /**
   * Field managers that apply Git with server-side apply. A field one of them owns (operation
   * `Apply`) and Git no longer declares would be removed by the next apply, so it is drift.
   */
  applyManagers?: readonly string[];
  /**
   * `server` mode: a field the dry-run result has and Git does not declare, and live lacks or holds
   * differently, came from a mutating webhook (or defaulting) during the dry-run; it is not drift.
   * Default true, as in Argo CD.
   */
  ignoreMutationWebhook?: boolean;
  /** Mixed into the hash of masked Secret values so short hashes cannot be looked up in a table. */
  secretHashSalt?: string;
  /** Reuses results for unchanged (desired content, live resourceVersion) pairs. */
  cache?: DriftCache;
}

export interface CompareInput {
  desired?: DesiredResource;
  live?: KubeObject;
  /** `server` mode: the dry-run result of applying `desired` to the cluster. */
  predictedLive?: KubeObject;
  /** Set when the live side cannot be known (kind not served, list forbidden...). */
  unknownReason?: string;
  /** Set when Git's object is refused: the result is `Invalid`, never compared field by field. */
  invalid?: InvalidVerdict;
  options?: CompareOptions;
}

/** A kind (or a kind in one namespace) whose live objects could not be listed. */
export interface UnavailableKind {
  group: string;
  kind: string;
  /** Absent: every namespace. */
  namespace?: string;
  reason: string;
}

export interface EnvironmentCompareOptions extends CompareOptions {
  /**
   * Label selector (`app.kubernetes.io/instance=shop`, `a=b,c in (x,y)`) that marks live objects
   * belonging to the environment; those not in Git are `Extra`. Absent: no extras are reported.
   */
  extraSelector?: string;
  /**
   * Argo CD application whose tracking annotation (`argocd.argoproj.io/tracking-id:
   * <app>:<group>/<kind>:<namespace>/<name>`, Argo CD 3's default) marks live objects as the
   * environment's; those not in Git are `Extra` too. `<namespace>_<app>` for apps in any namespace.
   */
  extraTrackingApp?: string;
  /** Namespace for desired namespaced objects that declare none. */
  defaultNamespace?: string;
  /** `server` mode: dry-run results by `resourceKey`. A desired object without one is compared locally. */
  predictedLive?: ReadonlyMap<string, KubeObject>;
  liveUnavailable?: readonly UnavailableKind[];
  /** Desired objects refused by the schema or the server's dry-run, by `resourceKey`: `Invalid`. */
  invalid?: ReadonlyMap<string, InvalidVerdict>;
}
