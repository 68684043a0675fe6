// Fields the API server refuses to change on update (its ValidateXUpdate functions), for the
// built-in kinds the sandbox serves. Messages are the 1.32 server's.

import { goLabelSelector, goStringSlice } from './goValues';
import { pathText, type FieldProblem } from './openApiSchema';

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Semantic equality of decoded JSON (key order does not matter; absent equals null). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || a === null) return b === undefined || b === null;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, index) => sameJson(item, b[index]));
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (!sameJson(a[key], b[key])) return false;
    return true;
  }
  return false;
}

function specOf(object: Json): Json {
  return isRecord(object.spec) ? object.spec : {};
}

function problem(segments: (string | number)[], message: string, reason: FieldProblem['reason'] = 'FieldValueInvalid'): FieldProblem {
  return { path: pathText(segments), segments, reason, message };
}

const statefulSetMutable = new Set(['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds']);

/** What an update from `before` to `after` changes that the server forbids. */
export function immutableFieldProblems(before: Json, after: Json, group: string, kind: string): FieldProblem[] {
  const oldSpec = specOf(before);
  const newSpec = specOf(after);
  const out: FieldProblem[] = [];
  switch (`${group}/${kind}`) {
    case 'apps/Deployment':
    case 'apps/ReplicaSet':
    case 'apps/DaemonSet':
      if (!sameJson(oldSpec.selector, newSpec.selector)) out.push(problem(['spec', 'selector'], `Invalid value: ${goLabelSelector(newSpec.selector)}: field is immutable`));
      break;
    case 'apps/StatefulSet': {
      const keys = new Set([...Object.keys(oldSpec), ...Object.keys(newSpec)]);
      const changed = [...keys].some((key) => !statefulSetMutable.has(key) && !sameJson(oldSpec[key], newSpec[key]));
      if (changed) {
        out.push(problem(['spec'], "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden", 'FieldValueForbidden'));
      }
      break;
    }
    case 'batch/Job':
      if (!sameJson(oldSpec.selector, newSpec.selector)) out.push(problem(['spec', 'selector'], `Invalid value: ${goLabelSelector(newSpec.selector)}: field is immutable`));
      if (!sameJson(oldSpec.template, newSpec.template)) out.push(problem(['spec', 'template'], 'Invalid value: core.PodTemplateSpec{…}: field is immutable'));
      break;
    case '/Service': {
      const oldIP = oldSpec.clusterIP;
      const newIP = newSpec.clusterIP;
      if (typeof oldIP === 'string' && oldIP !== '' && oldIP !== 'None' && newIP !== undefined && newIP !== '' && newIP !== oldIP) {
        out.push(problem(['spec', 'clusterIPs', 0], `Invalid value: ${goStringSlice(Array.isArray(newSpec.clusterIPs) ? newSpec.clusterIPs : [newIP])}: may not change once set`));
      }
      break;
    }
    case '/PersistentVolumeClaim': {
      // As ValidatePersistentVolumeClaimUpdate: binding may set volumeName once; a bound claim may change its requests.
      const bound = isRecord(before.status) && before.status.phase === 'Bound';
      const oldComparable: Json = { ...oldSpec };
      const newComparable: Json = { ...newSpec };
      if (!oldSpec.volumeName) oldComparable.volumeName = newSpec.volumeName;
      if (bound) {
        if (isRecord(oldComparable.resources)) oldComparable.resources = { ...oldComparable.resources, requests: undefined };
        if (isRecord(newComparable.resources)) newComparable.resources = { ...newComparable.resources, requests: undefined };
      }
      if (!sameJson(oldComparable, newComparable)) {
        out.push(problem(['spec'], 'Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims', 'FieldValueForbidden'));
      }
      break;
    }
    default:
      break;
  }
  return out;
}
