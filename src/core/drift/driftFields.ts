// Turns the walker's raw differences into the DriftField records views consume: pointers into Git
// and live objects, a readable path, the owning field manager, masking of Secret values, and the
// managedFieldsManagers ignore rule (which needs ownership, so it runs here, after the walk).
import type { Frame, RawDrift } from './diffWalk';
import type { DriftField } from './driftTypes';
import { buildPointer } from './jsonPointer';
import { ownersAt, type LiveStep, type ManagedFieldsEntry } from './managedFields';
import { holdsSecretValue, maskValue } from './secretMask';

export interface FieldContext {
  kind: string;
  /** Normalized live object the walker saw (list indices in frames refer to it). */
  live: unknown;
  managedFields: readonly ManagedFieldsEntry[];
  ignoredManagers: ReadonlySet<string>;
  secretHashSalt?: string;
  /** Keys the raw Git object declares under `stringData` (a Secret's range lives there, not under `data`). */
  stringDataKeys?: ReadonlySet<string>;
}

export interface BuiltFields {
  fields: DriftField[];
  rangePointers: Array<string | undefined>;
  /** Differences dropped because only ignored managers own the field. */
  ignored: number;
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function readablePath(frames: readonly Frame[]): string {
  let out = '';
  for (const frame of frames) {
    if (frame.key === undefined) out += `[${frame.label ?? (frame.d >= 0 ? frame.d : frame.l)}]`;
    else if (PLAIN_KEY.test(frame.key)) out += out === '' ? frame.key : `.${frame.key}`;
    else out += `[${JSON.stringify(frame.key)}]`;
  }
  return out;
}

function gitTokens(frames: readonly Frame[]): Array<string | number> {
  return frames.map((frame) => frame.key ?? (frame.inGit ? frame.s : frame.inLive ? frame.l : frame.d));
}

function liveSteps(frames: readonly Frame[]): LiveStep[] | undefined {
  const steps: LiveStep[] = [];
  for (const frame of frames) {
    if (!frame.inLive) return undefined;
    steps.push(frame.key ?? frame.l);
  }
  return steps;
}

/** Pointer of the deepest ancestor (or the field itself) that Git declares: where the hint goes. */
function rangeTokens(frames: readonly Frame[], context: FieldContext): Array<string | number> {
  const tokens: Array<string | number> = [];
  for (const frame of frames) {
    if (!frame.inGit) break;
    tokens.push(frame.key ?? frame.s);
  }
  if (tokens[0] === 'data' && typeof tokens[1] === 'string' && context.stringDataKeys?.has(tokens[1])) tokens[0] = 'stringData';
  return tokens;
}

export function buildFields(raw: readonly RawDrift[], context: FieldContext): BuiltFields {
  if (raw.length === 0) return { fields: [], rangePointers: [], ignored: 0 };
  const fields: DriftField[] = [];
  const rangePointers: Array<string | undefined> = [];
  let ignored = 0;
  for (const drift of raw) {
    const steps = liveSteps(drift.frames);
    const owners = steps ? ownersAt(context.managedFields, context.live, steps) : [];
    if (context.ignoredManagers.size > 0 && owners.length > 0 && owners.every((owner) => context.ignoredManagers.has(owner.manager))) {
      ignored++;
      continue;
    }
    const tokens = gitTokens(drift.frames);
    const field: DriftField = { pointer: buildPointer(tokens), path: readablePath(drift.frames), change: drift.change };
    if (steps) field.livePointer = buildPointer(steps);
    const secret = holdsSecretValue(context.kind, tokens);
    if (drift.desired !== undefined) field.desired = secret ? maskValue(drift.desired, context.secretHashSalt) : drift.desired;
    if (drift.live !== undefined) field.live = secret ? maskValue(drift.live, context.secretHashSalt) : drift.live;
    // The latest writer is the one to ask about a change; ISO times sort as text.
    let latest: ManagedFieldsEntry | undefined;
    for (const owner of owners) if (!latest || (owner.time ?? '') > (latest.time ?? '')) latest = owner;
    if (latest) {
      field.manager = latest.manager;
      if (latest.time) field.changedAt = latest.time;
    }
    fields.push(field);
    rangePointers.push(buildPointer(rangeTokens(drift.frames, context)));
  }
  return { fields, rangePointers, ignored };
}
