// The comparison proper: walks two normalized objects side by side and records where they
// differ. Rules (why each exists):
// - local mode compares only what Git declares (Argo CD's behaviour): a field only the cluster has
//   is server-set or someone else's, unless the last apply declared it (kubectl's
//   last-applied-configuration, or a server-side applier's managedFields) — then applying Git
//   would remove it, which is drift;
// - server mode compares a dry-run result with live, both complete, so every difference counts;
// - lists with a merge key are matched by key, others by position;
// - an empty value, null and a missing field are the same thing.
import type { DriftChange, DriftMode } from './driftTypes';
import { isSetList, keyedLists } from './listKeys';
import { childForItem, childForKey, isLeafNode, type FieldsNode } from './managedFields';
import { isServerDefault } from './serverDefaults';

/** One step of the path being walked: a map key, or a list item with its index on each side (-1: absent). */
export interface Frame {
  key?: string;
  /** List item: index in the compared desired list, the live list and Git's list. */
  d: number;
  l: number;
  s: number;
  /** Merge key (`name=web`) of a list item, when the list is keyed. */
  label?: string;
  inGit: boolean;
  inLive: boolean;
}

export interface RawDrift {
  change: DriftChange;
  desired?: unknown;
  live?: unknown;
  frames: Frame[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isRecord(value)) {
    for (const _ in value) return false;
    return true;
  }
  return false;
}

function childrenForKey(nodes: FieldsNode[] | undefined, key: string): FieldsNode[] | undefined {
  if (!nodes) return undefined;
  let out: FieldsNode[] | undefined;
  for (const node of nodes) {
    const child = childForKey(node, key);
    if (child) (out ??= []).push(child);
  }
  return out;
}

function childrenForItem(nodes: FieldsNode[] | undefined, item: unknown, index: number): FieldsNode[] | undefined {
  if (!nodes) return undefined;
  let out: FieldsNode[] | undefined;
  for (const node of nodes) {
    const child = childForItem(node, item, index);
    if (child) (out ??= []).push(child);
  }
  return out;
}

function sameScalar(a: unknown, b: unknown): boolean {
  // NaN (YAML's `.nan`) equals itself here: the same declaration is no drift.
  return a === b || (isEmptyValue(a) && isEmptyValue(b)) || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b));
}

export class DiffWalker {
  readonly drifts: RawDrift[] = [];
  private readonly frames: Frame[] = [];

  constructor(
    private readonly kind: string,
    private readonly mode: DriftMode,
    /** Server mode: skip differences in fields Git does not declare (webhook mutations in the dry-run). */
    private readonly ignoreUndeclared = true,
  ) {}

  /**
   * `desired`/`live`: normalized objects. `lastApplied`: what the previous apply declared
   * (normalized). `applied`: FieldsV1 of server-side appliers of Git. `git`: Git's object (the same
   * as `desired` in local mode; in server mode `desired` is the dry-run result) — for pointers.
   */
  run(desired: unknown, live: unknown, lastApplied: unknown, applied: FieldsNode[] | undefined, git: unknown): RawDrift[] {
    this.walk(desired, live, lastApplied, applied, git, undefined, undefined);
    return this.drifts;
  }

  private record(change: DriftChange, desired: unknown, live: unknown): void {
    // A removal is always Git's doing; a value Git does not declare was put there by someone else.
    if (this.mode === 'server' && this.ignoreUndeclared && change !== 'notInGit' && !this.frames.every((frame) => frame.inGit)) return;
    this.drifts.push({ change, desired, live, frames: this.frames.slice() });
  }

  /** `spec.template.spec.containers[].image`: the shape server defaults are keyed by. */
  private shapePath(): string {
    let out = '';
    for (const frame of this.frames) {
      if (frame.key === undefined) out += '[]';
      else out += out === '' ? frame.key : `.${frame.key}`;
    }
    return out;
  }

  private isDefault(value: unknown, parent: Record<string, unknown> | undefined): boolean {
    return isServerDefault(this.kind, this.shapePath(), value, parent);
  }

  /** Git declares `value` where live has nothing: fine when every leaf is what the server would default. */
  private allDefault(value: unknown, parent: Record<string, unknown> | undefined): boolean {
    if (isEmptyValue(value)) return true;
    if (this.isDefault(value, parent)) return true;
    if (!isRecord(value)) return false;
    for (const key in value) {
      this.frames.push({ key, d: -1, l: -1, s: -1, inGit: true, inLive: false });
      const ok = this.allDefault(value[key], value);
      this.frames.pop();
      if (!ok) return false;
    }
    return true;
  }

  private walk(
    d: unknown,
    l: unknown,
    la: unknown,
    am: FieldsNode[] | undefined,
    git: unknown,
    dParent: Record<string, unknown> | undefined,
    lParent: Record<string, unknown> | undefined,
  ): void {
    const dHas = d !== undefined && d !== null;
    const lHas = l !== undefined && l !== null;
    if (!dHas) {
      if (lHas) this.liveOnly(l, la, am, lParent);
      return;
    }
    if (!lHas) {
      if (isEmptyValue(d)) return;
      if (this.mode === 'local' && this.allDefault(d, dParent)) return;
      this.record('notInLive', d, undefined);
      return;
    }
    if (isRecord(d) && isRecord(l)) {
      this.walkMap(d, l, la, am, git);
      return;
    }
    if (Array.isArray(d) && Array.isArray(l)) {
      this.walkList(d, l, la, am, git);
      return;
    }
    if (sameScalar(d, l)) return;
    this.record('changed', d, l);
  }

  private walkMap(d: Record<string, unknown>, l: Record<string, unknown>, la: unknown, am: FieldsNode[] | undefined, git: unknown): void {
    const laMap = isRecord(la) ? la : undefined;
    const gitMap = isRecord(git) ? git : undefined;
    for (const key in d) {
      const lv = l[key];
      const gv = gitMap?.[key];
      this.frames.push({ key, d: -1, l: -1, s: -1, inGit: gv !== undefined, inLive: lv !== undefined });
      this.walk(d[key], lv, laMap?.[key], childrenForKey(am, key), gv, d, l);
      this.frames.pop();
    }
    for (const key in l) {
      if (d[key] !== undefined) continue;
      const laChild = laMap?.[key];
      const amChild = childrenForKey(am, key);
      if (this.mode === 'local' && laChild === undefined && !amChild) continue;
      this.frames.push({ key, d: -1, l: -1, s: -1, inGit: false, inLive: true });
      this.liveOnly(l[key], laChild, amChild, l);
      this.frames.pop();
    }
  }

  private listKey(): string {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const key = this.frames[i].key;
      if (key !== undefined) return key;
    }
    return '';
  }

  private walkList(d: unknown[], l: unknown[], la: unknown, am: FieldsNode[] | undefined, git: unknown): void {
    const listKey = this.listKey();
    const laList = Array.isArray(la) ? la : undefined;
    const gitList = Array.isArray(git) ? git : undefined;
    if (this.mode === 'local' && isSetList(listKey)) {
      this.walkSet(d, l, laList, am);
      return;
    }
    const keyed = keyedLists(listKey, [d, l, laList, gitList]);
    if (keyed) {
      const [dIndex, lIndex, laIndex, gitIndex] = keyed.indexes as [Map<string, number>, Map<string, number>, Map<string, number> | undefined, Map<string, number> | undefined];
      for (const [label, i] of dIndex) {
        const j = lIndex.get(label);
        const g = gitIndex?.get(label);
        const k = laIndex?.get(label);
        const lv = j === undefined ? undefined : l[j];
        this.frames.push({ d: i, l: j ?? -1, s: g ?? -1, label, inGit: g !== undefined, inLive: j !== undefined });
        this.walk(d[i], lv, k === undefined ? undefined : laList?.[k], j === undefined ? undefined : childrenForItem(am, lv, j), g === undefined ? undefined : gitList?.[g], undefined, undefined);
        this.frames.pop();
      }
      for (const [label, j] of lIndex) {
        if (dIndex.has(label)) continue;
        const declared = this.mode === 'server' || laIndex?.has(label) === true || childrenForItem(am, l[j], j) !== undefined;
        if (!declared) continue;
        this.frames.push({ d: -1, l: j, s: -1, label, inGit: false, inLive: true });
        this.record('notInGit', undefined, l[j]);
        this.frames.pop();
      }
      return;
    }
    // Atomic list: replaced whole on apply, so a different length is one difference.
    if (d.length !== l.length) {
      this.record('changed', d, l);
      return;
    }
    for (let i = 0; i < d.length; i++) {
      const inGit = gitList !== undefined && i < gitList.length;
      this.frames.push({ d: i, l: i, s: inGit ? i : -1, inGit, inLive: true });
      // FieldsV1 does not descend into atomic lists, so no ownership below here.
      this.walk(d[i], l[i], laList?.[i], undefined, gitList?.[i], undefined, undefined);
      this.frames.pop();
    }
  }

  /** Sets of plain values (finalizers): others may add members; Git's must be there. */
  private walkSet(d: unknown[], l: unknown[], la: unknown[] | undefined, am: FieldsNode[] | undefined): void {
    const live = new Set(l);
    d.forEach((item, i) => {
      if (live.has(item)) return;
      this.frames.push({ d: i, l: -1, s: i, label: String(item), inGit: true, inLive: false });
      this.record('notInLive', item, undefined);
      this.frames.pop();
    });
    const desired = new Set(d);
    l.forEach((item, j) => {
      if (desired.has(item)) return;
      if (!la?.includes(item) && !childrenForItem(am, item, j)) return;
      this.frames.push({ d: -1, l: j, s: -1, label: String(item), inGit: false, inLive: true });
      this.record('notInGit', undefined, item);
      this.frames.pop();
    });
  }

  /**
   * A value only live has. Server mode: a difference. Local mode: a difference only where the
   * last apply declared it (`la`) or a server-side applier of Git owns it (`am`), since applying
   * Git would then remove it — and not when it holds the server's default anyway.
   */
  private liveOnly(l: unknown, la: unknown, am: FieldsNode[] | undefined, lParent: Record<string, unknown> | undefined): void {
    if (isEmptyValue(l)) return;
    if (this.mode === 'server') {
      this.record('notInGit', undefined, l);
      return;
    }
    const laHas = la !== undefined && la !== null;
    if (!laHas && !am) return;
    const ownedWhole = am?.some(isLeafNode) === true;
    if (!ownedWhole && isRecord(l) && (laHas ? isRecord(la) : true)) {
      const laMap = isRecord(la) ? la : undefined;
      for (const key in l) {
        const laChild = laMap?.[key];
        const amChild = childrenForKey(am, key);
        if (laChild === undefined && !amChild) continue;
        this.frames.push({ key, d: -1, l: -1, s: -1, inGit: false, inLive: true });
        this.liveOnly(l[key], laChild, amChild, l);
        this.frames.pop();
      }
      return;
    }
    if (!ownedWhole && Array.isArray(l) && (laHas ? Array.isArray(la) : true)) {
      const laList = Array.isArray(la) ? la : undefined;
      const keyed = keyedLists(this.listKey(), [l, laList]);
      if (keyed) {
        const [lIndex, laIndex] = keyed.indexes as [Map<string, number>, Map<string, number> | undefined];
        for (const [label, j] of lIndex) {
          if (laIndex?.has(label) !== true && !childrenForItem(am, l[j], j)) continue;
          this.frames.push({ d: -1, l: j, s: -1, label, inGit: false, inLive: true });
          this.record('notInGit', undefined, l[j]);
          this.frames.pop();
        }
        return;
      }
    }
    if (this.isDefault(l, lParent)) return;
    this.record('notInGit', undefined, l);
  }
}
