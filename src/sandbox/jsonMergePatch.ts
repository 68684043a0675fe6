// RFC 7386 JSON merge patch (application/merge-patch+json): objects merge member by member,
// null deletes, everything else (lists included) replaces.

import { deepClone, isRecord } from './kubeObject';

export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return deepClone(patch);
  const out: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = applyMergePatch(out[key], value);
  }
  return out;
}
